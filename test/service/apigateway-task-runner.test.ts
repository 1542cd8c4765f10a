/**
 * API Gateway tasks (`arn:aws:states:::apigateway:invoke`) against a local
 * HTTP server standing in for the API, run by LocalRuntime: the URL built
 * from ApiEndpoint, Stage, Path and QueryParameters, list-valued headers,
 * nulls left out of the body unless AllowNullValues, the output Step
 * Functions documents, `ApiGateway.<status>` caught by Catch, the
 * `.waitForTaskToken` pattern, and signing by AuthType.
 *
 * Source of the shapes and names (developer guide, "Call API Gateway with
 * Step Functions", doc_source/connect-api-gateway.md): output "ResponseBody
 * JSON or String · Headers JSON · StatusCode Integer · StatusText String";
 * "If the HTTP status code is available, then the error will be returned in
 * the format ApiGateway.<HTTP Status Code> … the cause is returned as a
 * string", e.g. `{"error": "ApiGateway.403", "cause": "{\"message\":\"Missing Authentication Token\"}"}`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonValue } from '../../lib/asl/json';
import { LocalRuntime } from '../../lib/local/runtime';
import { ApiGatewayTaskRunner, type ApiGatewaySigner, type SigningIdentity } from '../../lib/service/apigateway-task-runner';

interface Received { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }
const received: Received[] = [];
let server: http.Server;
let origin: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.sendDate = false;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const json = (status: number, text: string, value: unknown) => res.writeHead(status, text, { 'content-type': 'application/json', 'x-request': 'r-1' }).end(JSON.stringify(value));
      if (req.url!.startsWith('/prod/private')) json(403, 'Forbidden', { message: 'Missing Authentication Token' });
      else if (req.url!.startsWith('/prod/text')) res.writeHead(200, 'OK', { 'content-type': 'text/plain' }).end('plain words');
      else if (req.method === 'POST') json(201, 'Created', { received: JSON.parse(body) as unknown });
      else json(200, 'OK', { myBills: [] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => (received.length = 0));

const ENDPOINT = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
const ROLE = 'arn:aws:iam::123456789012:role/switchyard-local';
const call = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}, resource = 'arn:aws:states:::apigateway:invoke') => ({ Type: 'Task', Resource: resource, Parameters: { ApiEndpoint: ENDPOINT, ...parameters }, ...extra });
const run = (definition: unknown, runner = new ApiGatewayTaskRunner({ origin }), input: JsonValue = {}) => new LocalRuntime({ taskRunner: runner, timeScale: 0 }).startExecution(definition, { input }).result;

it('calls <ApiEndpoint>/<Stage>/<Path> with the query and list-valued headers, and returns ResponseBody, Headers, StatusCode (a number) and StatusText', async () => {
  const definition = { StartAt: 'Bills', States: { Bills: call({ Method: 'GET', Stage: 'prod', Path: 'bills', Headers: { key: ['value1', 'value2'] }, QueryParameters: { billId: ['123456', '7'] }, AuthType: 'NO_AUTH' }, { End: true }) } };

  const result = await run(definition);

  expect(received.map(({ method, url, headers, body }) => ({ method, url, key: headers.key, authorization: headers.authorization, body }))).toEqual([
    { method: 'GET', url: '/prod/bills?billId=123456&billId=7', key: 'value1,value2', authorization: undefined, body: '' },
  ]);
  expect(result.status).toBe('SUCCEEDED');
  const output = result.output as { Headers: Record<string, string[]> };
  expect(output).toEqual({ ResponseBody: { myBills: [] }, Headers: output.Headers, StatusCode: 200, StatusText: 'OK' });
  expect([output.Headers['content-type'], output.Headers['x-request']]).toEqual([['application/json'], ['r-1']]);
});

it('sends a JSON RequestBody without its nulls, unless AllowNullValues is true', async () => {
  const body = { 'billId.$': '$.id', note: null, lines: [{ sku: 'a', gift: null }] };
  const definition = {
    StartAt: 'Plain',
    States: {
      Plain: call({ Method: 'POST', Stage: 'prod', Path: '/bills/add', RequestBody: body }, { ResultSelector: { 'status.$': '$.StatusCode', 'got.$': '$.ResponseBody.received' }, ResultPath: '$.plain', Next: 'Nulls' }),
      Nulls: call({ Method: 'POST', Stage: 'prod', Path: 'bills/add', RequestBody: body, AllowNullValues: true }, { ResultSelector: { 'got.$': '$.ResponseBody.received' }, ResultPath: '$.nulls', End: true }),
    },
  };

  const result = await run(definition, undefined, { id: 'b-1' });

  expect(result.output).toEqual({ id: 'b-1', plain: { status: 201, got: { billId: 'b-1', lines: [{ sku: 'a' }] } }, nulls: { got: { billId: 'b-1', note: null, lines: [{ sku: 'a', gift: null }] } } });
  expect(received.map((r) => [r.url, r.headers['content-type']])).toEqual([
    ['/prod/bills/add', 'application/json'],
    ['/prod/bills/add', 'application/json'],
  ]);
});

it('returns a text body as text', async () => {
  const result = await run({ StartAt: 'T', States: { T: call({ Method: 'GET', Stage: 'prod', Path: 'text' }, { OutputPath: '$.ResponseBody', End: true }) } });
  expect(result.output).toBe('plain words');
});

it('fails a non-2xx answer as ApiGateway.<status> with the body as its cause, which Catch catches', async () => {
  const definition = {
    StartAt: 'Private',
    States: {
      Private: call({ Method: 'GET', Stage: 'prod', Path: 'private' }, { Catch: [{ ErrorEquals: ['ApiGateway.403'], Next: 'Denied' }], End: true }),
      Denied: { Type: 'Pass', End: true },
    },
  };
  expect((await run(definition)).output).toEqual({ Error: 'ApiGateway.403', Cause: '{"message":"Missing Authentication Token"}' });
});

it('.waitForTaskToken sends the token and waits for it to come back', async () => {
  const runtime = new LocalRuntime({ taskRunner: new ApiGatewayTaskRunner({ origin }), timeScale: 0 });
  const tokens: string[] = [];
  runtime.onPendingTask((task) => void tokens.push(task.taskToken));
  const definition = {
    StartAt: 'Ask',
    States: { Ask: call({ Method: 'POST', Stage: 'prod', Path: 'bills/add', Headers: { 'TaskToken.$': 'States.Array($$.Task.Token)' }, RequestBody: { billId: 'my-new-bill' } }, { End: true }, 'arn:aws:states:::apigateway:invoke.waitForTaskToken') },
  };

  const execution = runtime.startExecution(definition, { input: {} });
  // The API answers later with the token it was sent, as a callback's receiver does.
  while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  runtime.sendTaskSuccess(String(received[0]!.headers.tasktoken), { approved: true });
  const result = await execution.result;

  expect(result.output).toEqual({ approved: true });
  expect(received.map((r) => [r.url, r.headers.tasktoken, r.body])).toEqual([['/prod/bills/add', tokens[0], '{"billId":"my-new-bill"}']]);
});

it('signs IAM_ROLE calls as the task’s role and RESOURCE_POLICY calls as the orchestrator, in the API’s region; NO_AUTH not at all', async () => {
  const identities: SigningIdentity[] = [];
  const sign: ApiGatewaySigner = async (request, identity) => {
    identities.push(identity);
    return { ...request.headers, authorization: `signed as ${identity.roleArn ?? 'the orchestrator'}` };
  };
  const definition = {
    StartAt: 'Role',
    States: {
      Role: call({ Method: 'GET', Stage: 'prod', Path: 'bills', AuthType: 'IAM_ROLE' }, { ResultPath: null, Next: 'Policy' }),
      Policy: call({ Method: 'GET', Stage: 'prod', Path: 'bills', AuthType: 'RESOURCE_POLICY' }, { ResultPath: null, Next: 'None' }),
      None: call({ Method: 'GET', Stage: 'prod', Path: 'bills' }, { ResultPath: null, End: true }),
    },
  };

  expect((await run(definition, new ApiGatewayTaskRunner({ origin, sign }))).status).toBe('SUCCEEDED');

  expect(identities).toEqual([{ roleArn: ROLE, region: 'eu-west-1' }, { region: 'eu-west-1' }]);
  expect(received.map((r) => r.headers.authorization)).toEqual([`signed as ${ROLE}`, 'signed as the orchestrator', undefined]);
});

it('fails States.Runtime for an IAM_ROLE call with nothing to sign it, and a run-time ApiEndpoint that is no API Gateway host', async () => {
  const signed = await run({ StartAt: 'R', States: { R: call({ Method: 'GET', AuthType: 'IAM_ROLE' }, { End: true }) } });
  expect([signed.error, signed.cause]).toEqual(['States.Runtime', "The API Gateway task's AuthType IAM_ROLE signs its request, and this runtime has no credentials to sign with."]);

  const dynamic = await run({ StartAt: 'D', States: { D: { Type: 'Task', Resource: 'arn:aws:states:::apigateway:invoke', Parameters: { 'ApiEndpoint.$': '$.api', Method: 'GET' }, End: true } } }, undefined, { api: 'example.com' });
  expect([dynamic.error, dynamic.cause]).toEqual(['States.Runtime', 'The API Gateway task\'s ApiEndpoint must be the host name of an API Gateway URL, <API ID>.execute-api.<region>.amazonaws.com, got "example.com".']);
  expect(received).toEqual([]);
});

it('fails a call that gets no answer as ApiGateway.SdkClientException', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const result = await run({ StartAt: 'C', States: { C: call({ Method: 'GET', Stage: 'prod' }, { End: true }) } }, new ApiGatewayTaskRunner({ origin: `http://127.0.0.1:${port}` }));

  expect([result.error, result.cause]).toEqual(['ApiGateway.SdkClientException', `GET http://127.0.0.1:${port}/prod failed: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:${port})`]);
});
