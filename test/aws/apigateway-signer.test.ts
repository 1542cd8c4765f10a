/**
 * IAM_ROLE API Gateway tasks are signed with SigV4 for `execute-api` with
 * the credentials of the task's role, assumed through STS (the STS stand-in
 * hands out the keys), and RESOURCE_POLICY tasks with the orchestrator's own:
 * the local API checks each request's signature by signing it again with
 * the secret of the key it names.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { apiGatewaySigner } from '../../lib/aws/apigateway-signer';
import { NodeSha256 } from '../../lib/aws/console-proxy';
import { roleCredentials } from '../../lib/aws/role-credentials';
import { ApiGatewayTaskRunner } from '../../lib/service/apigateway-task-runner';
import { startStsEndpoint, type StsEndpoint } from '../../harness/sts-endpoint';

const ROLE = 'arn:aws:iam::123456789012:role/orders';
const OWN = { accessKeyId: 'AKIAORCHESTRATOR', secretAccessKey: 'own-secret' };
const ENDPOINT = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';

interface Checked { keyId: string; scope: string; token: string | undefined; valid: boolean }
const checked: Checked[] = [];
let sts: StsEndpoint;
let api: http.Server;
let origin: string;

beforeAll(async () => {
  sts = await startStsEndpoint();
  api = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        const authorization = String(req.headers.authorization ?? '');
        const [, keyId = '', scope = ''] = /Credential=([^/]+)\/\d{8}\/([^,]+),/.exec(authorization) ?? [];
        const secretAccessKey = keyId === OWN.accessKeyId ? OWN.secretAccessKey : `secret-${keyId}`;
        const token = req.headers['x-amz-security-token'] as string | undefined;
        const url = new URL(req.url!, `http://${req.headers.host}`);
        const signer = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', credentials: { accessKeyId: keyId, secretAccessKey, ...(token ? { sessionToken: token } : {}) }, sha256: NodeSha256 });
        const stamp = String(req.headers['x-amz-date']);
        const signingDate = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
        const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
        const headers = Object.fromEntries(signedNames.map((n) => [n, String(req.headers[n])]));
        const again = await signer.sign(
          { method: req.method!, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers, ...(body ? { body } : {}) },
          { signingDate },
        );
        checked.push({ keyId, scope, token, valid: again.headers.authorization === authorization });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      })();
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sts.close();
  await new Promise<void>((resolve) => api.close(() => resolve()));
});

it('signs IAM_ROLE with the assumed role’s keys and RESOURCE_POLICY with the orchestrator’s, both valid SigV4 for execute-api in the API’s region', async () => {
  const runner = new ApiGatewayTaskRunner({ origin, sign: apiGatewaySigner({ credentials: OWN, credentialsFor: roleCredentials({ region: 'us-east-1', endpoint: sts.url, credentials: OWN }) }) });
  const invocation = (AuthType: string) => ({
    resource: 'arn:aws:states:::apigateway:invoke',
    parameters: { ApiEndpoint: ENDPOINT, Method: 'POST', Stage: 'prod', Path: 'bills', QueryParameters: { id: ['1'] }, RequestBody: { a: 1 }, AuthType },
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:Bills:e-1',
    stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Bills',
    stateName: 'Call',
    roleArn: ROLE,
    attempt: 0,
    attemptId: 'a-1',
  });

  const outcomes = [await runner.run(invocation('IAM_ROLE')), await runner.run(invocation('RESOURCE_POLICY'))];

  expect(outcomes.map((o) => o.kind)).toEqual(['succeeded', 'succeeded']);
  expect(sts.calls.map((c) => c.roleArn)).toEqual([ROLE]);
  expect(checked).toEqual([
    { keyId: 'ASIASTANDIN0001', scope: 'eu-west-1/execute-api/aws4_request', token: 'token-ASIASTANDIN0001', valid: true },
    { keyId: 'AKIAORCHESTRATOR', scope: 'eu-west-1/execute-api/aws4_request', token: undefined, valid: true },
  ]);
});
