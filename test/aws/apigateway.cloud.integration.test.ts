/**
 * API Gateway tasks (`arn:aws:states:::apigateway:invoke`) through the cloud
 * driver on the loopback services, every API reached at a local server (the
 * cloud's `apigateway` endpoint): the same output and history as the
 * in-process driver's, a RESOURCE_POLICY call signed with the deployment's
 * own credentials, a 403 caught as ApiGateway.403.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCloud, waitForEnd, type CloudFixture } from '../../harness/fixture';
import { firstDifference } from '../../harness/history-check';
import { apiGatewaySigner } from '../../lib/aws/apigateway-signer';
import { LocalRuntime } from '../../lib/local/runtime';
import { ApiGatewayTaskRunner } from '../../lib/service/apigateway-task-runner';

jest.setTimeout(60_000);

const ENDPOINT = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com';
let api: http.Server;
let origin: string;
const received: { url: string; keyId: string | undefined }[] = [];
let fx: CloudFixture;

beforeAll(async () => {
  api = http.createServer((req, res) => {
    res.sendDate = false;
    req.resume();
    req.on('end', () => {
      received.push({ url: req.url!, keyId: /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] });
      if (req.url!.startsWith('/prod/private')) res.writeHead(403, 'Forbidden', { 'content-type': 'application/json' }).end('{"message":"Missing Authentication Token"}');
      else res.writeHead(200, 'OK', { 'content-type': 'application/json' }).end('{"myBills":[]}');
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  fx = await startCloud(new Map(), { endpoints: { apigateway: origin } });
});
afterAll(async () => {
  await fx?.stop();
  await new Promise<void>((resolve) => api.close(() => resolve()));
});

const definition = {
  StartAt: 'Bills',
  States: {
    Bills: {
      Type: 'Task',
      Resource: 'arn:aws:states:::apigateway:invoke',
      Parameters: { ApiEndpoint: ENDPOINT, Method: 'GET', Stage: 'prod', Path: 'bills', QueryParameters: { 'billId.$': 'States.Array($.id)' }, AuthType: 'RESOURCE_POLICY' },
      ResultSelector: { 'status.$': '$.StatusCode', 'body.$': '$.ResponseBody' },
      ResultPath: '$.bills',
      Next: 'Private',
    },
    Private: {
      Type: 'Task',
      Resource: 'arn:aws:states:::apigateway:invoke',
      Parameters: { ApiEndpoint: ENDPOINT, Method: 'GET', Stage: 'prod', Path: 'private' },
      Catch: [{ ErrorEquals: ['ApiGateway.403'], ResultPath: '$.denied', Next: 'Done' }],
      End: true,
    },
    Done: { Type: 'Pass', End: true },
  },
};

it('calls the API and records the history the in-process driver records', async () => {
  const sm = await fx.cloud.driver.putStateMachine('Bills', JSON.stringify(definition), 'arn:aws:iam::123456789012:role/switchyard-local');
  const { executionArn } = await fx.cloud.driver.startExecution(sm.stateMachineArn, { name: 'b-1', input: { id: '123456' } });
  const record = await waitForEnd(fx.observer, executionArn);
  const history = await fx.observer.driver.getExecutionHistory(executionArn);
  const cloudRequests = received.splice(0);

  const runner = new ApiGatewayTaskRunner({ origin, sign: apiGatewaySigner({ credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) });
  const reference = await new LocalRuntime({ taskRunner: runner, timeScale: 0 }).startExecution(definition, { input: { id: '123456' }, name: 'b-1', stateMachineName: 'Bills' }).result;

  expect(record.status).toBe('SUCCEEDED');
  expect(record.output).toEqual({ id: '123456', bills: { status: 200, body: { myBills: [] } }, denied: { Error: 'ApiGateway.403', Cause: '{"message":"Missing Authentication Token"}' } });
  expect(record.output).toEqual(reference.output);
  expect(firstDifference(history, reference.history)).toBeUndefined();
  // RESOURCE_POLICY is signed with the deployment's own credentials; NO_AUTH is not signed.
  expect(cloudRequests).toEqual([
    { url: '/prod/bills?billId=123456', keyId: 'local' },
    { url: '/prod/private', keyId: undefined },
  ]);
  expect(received).toEqual(cloudRequests);
});
