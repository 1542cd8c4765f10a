/**
 * HTTP Tasks (`arn:aws:states:::http:invoke`) against a local HTTP server,
 * run by LocalRuntime with the HTTP task runner and a connections file's
 * connections: what is sent (method, headers, query, JSON and URL-encoded
 * bodies, API key and basic authorization, OAuth tokens) and what comes
 * back (the output shape, a non-2xx status as States.Http.StatusCode.<code>
 * caught by Catch, a refused socket as States.Http.Socket).
 *
 * What was confirmed, and where (searched December 2026): the error name
 * `States.Http.StatusCode.<code>` is what definitions run on AWS retry and
 * catch (`ErrorEquals: ["States.Http.StatusCode.400"]`, `….429`, `….503`),
 * with the task on the developer guide's "Call HTTPS APIs in Step Functions
 * workflows" (call-https-apis.html), whose error sections the search could
 * not reach. Not confirmed: whether the output's StatusCode is text or a
 * number — TestState's InspectionDataResponse.statusCode is a String (API
 * reference), the API Gateway integration's StatusCode an Integer
 * (connect-api-gateway.md); it stays text, as it was.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalRuntime } from '../../lib/local/runtime';
import { parseConnections } from '../../lib/local/connections-file';
import { HttpTaskRunner } from '../../lib/service/http-task-runner';
import type { JsonValue } from '../../lib/asl/json';

interface Received { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }
const received: Received[] = [];
/** Responses of /slow, answered only when the test ends. */
const held: http.ServerResponse[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-1', token_type: 'bearer' }));
      } else if (req.url!.startsWith('/missing')) {
        res.writeHead(404, 'Not Found', { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'no such order' }));
      } else if (req.url!.startsWith('/slow')) {
        held.push(res);
      } else if (req.url!.startsWith('/moved')) {
        res.writeHead(302, 'Found', { location: 'http://elsewhere.example/' }).end();
      } else if (req.url!.startsWith('/text')) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
      } else {
        res.writeHead(201, 'Created', { 'content-type': 'application/json; charset=utf-8', 'x-order': 'o-1' }).end(JSON.stringify({ id: 'o-1' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const res of held) res.end();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => (received.length = 0));

const KEYED = 'arn:aws:events:us-east-1:123456789012:connection/keyed/11111111-1111-1111-1111-111111111111';
const BASIC = 'arn:aws:events:us-east-1:123456789012:connection/basic/22222222-2222-2222-2222-222222222222';
const OAUTH = 'arn:aws:events:us-east-1:123456789012:connection/oauth/33333333-3333-3333-3333-333333333333';
const runner = (options: { timeoutMs?: number } = {}) =>
  new HttpTaskRunner({
    ...options,
    connections: parseConnections(
      {
        [KEYED]: {
          authorizationType: 'API_KEY',
          authParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k-123' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-tenant', Value: 'acme' }], QueryStringParameters: [{ Key: 'v', Value: '2' }] } },
        },
        [BASIC]: { authorizationType: 'BASIC', authParameters: { BasicAuthParameters: { Username: 'ada', Password: 's3cret' } } },
        [OAUTH]: {
          authorizationType: 'OAUTH_CLIENT_CREDENTIALS',
          authParameters: { OAuthParameters: { AuthorizationEndpoint: `${base}/token`, HttpMethod: 'POST', ClientParameters: { ClientID: 'app', ClientSecret: 'shh' }, OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'orders' }] } } },
        },
      },
      'the test',
    ),
  });
const call = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: parameters, ...extra });
const run = async (definition: unknown, input: JsonValue = {}) => new LocalRuntime({ taskRunner: runner(), timeScale: 0 }).startExecution(definition, { input }).result;

it('sends the method, headers, query and JSON body with the connection’s API key and parameters, and returns Headers, ResponseBody, StatusCode and StatusText', async () => {
  const definition = {
    StartAt: 'Order',
    States: {
      Order: call({ ApiEndpoint: `${base}/orders`, Method: 'POST', Authentication: { ConnectionArn: KEYED }, Headers: { 'X-Trace': 't-9' }, QueryParameters: { dry: 'false', tag: ['a', 'b'] }, 'RequestBody.$': '$.order' }, { End: true }),
    },
  };
  const result = await run(definition, { order: { sku: 'w-1', qty: 2 } });
  expect(result.status).toBe('SUCCEEDED');
  expect(received).toHaveLength(1);
  const [sent] = received;
  expect(sent!.method).toBe('POST');
  expect(sent!.url).toBe('/orders?dry=false&tag=a&tag=b&v=2');
  expect(sent!.headers).toMatchObject({ 'x-trace': 't-9', 'x-api-key': 'k-123', 'x-tenant': 'acme', 'content-type': 'application/json; charset=UTF-8' });
  expect(JSON.parse(sent!.body)).toEqual({ sku: 'w-1', qty: 2 });
  const output = result.output as { Headers: Record<string, string[]>; ResponseBody: unknown; StatusCode: string; StatusText: string };
  expect(output.ResponseBody).toEqual({ id: 'o-1' });
  expect([output.StatusCode, output.StatusText]).toEqual(['201', 'Created']);
  expect(output.Headers['x-order']).toEqual(['o-1']);
  expect(output.Headers['content-type']).toEqual(['application/json; charset=utf-8']);
});

it('URL-encodes the body when Transform asks, arrays in the ArrayFormat given, and sends basic authorization', async () => {
  const formats = ['INDICES', 'REPEAT', 'COMMAS', 'BRACKETS'];
  const definition = {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.formats',
        ItemSelector: { 'format.$': '$$.Map.Item.Value' },
        MaxConcurrency: 1,
        ItemProcessor: {
          StartAt: 'Form',
          States: {
            Form: call(
              {
                ApiEndpoint: `${base}/form`,
                Method: 'PUT',
                Authentication: { ConnectionArn: BASIC },
                RequestBody: { name: 'Ada L', tags: ['x', 'y'], address: { city: 'Oslo' } },
                Transform: { RequestBodyEncoding: 'URL_ENCODED', RequestEncodingOptions: { 'ArrayFormat.$': '$.format' } },
              },
              { End: true },
            ),
          },
        },
        End: true,
      },
    },
  };
  const result = await run(definition, { formats });
  expect(result.status).toBe('SUCCEEDED');
  expect(received.map((r) => r.body)).toEqual([
    'name=Ada+L&tags%5B0%5D=x&tags%5B1%5D=y&address%5Bcity%5D=Oslo',
    'name=Ada+L&tags=x&tags=y&address%5Bcity%5D=Oslo',
    'name=Ada+L&tags=x%2Cy&address%5Bcity%5D=Oslo',
    'name=Ada+L&tags%5B%5D=x&tags%5B%5D=y&address%5Bcity%5D=Oslo',
  ]);
  for (const r of received) {
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from('ada:s3cret').toString('base64')}`);
  }
});

it('fails a 404 as States.Http.StatusCode.404 with the response as its cause, caught by Catch; a text body stays text', async () => {
  const definition = {
    StartAt: 'Find',
    States: {
      Find: call({ ApiEndpoint: `${base}/missing/o-9`, Method: 'GET', Authentication: { ConnectionArn: KEYED } }, { Catch: [{ ErrorEquals: ['States.Http.StatusCode.404'], ResultPath: '$.error', Next: 'Text' }], End: true }),
      Text: call({ ApiEndpoint: `${base}/text`, Method: 'GET', Authentication: { ConnectionArn: KEYED } }, { ResultSelector: { 'body.$': '$.ResponseBody' }, ResultPath: '$.text', End: true }),
    },
  };
  const result = await run(definition);
  expect(result.status).toBe('SUCCEEDED');
  const output = result.output as { error: { Error: string; Cause: string }; text: unknown };
  expect(output.error.Error).toBe('States.Http.StatusCode.404');
  const cause = JSON.parse(output.error.Cause) as Record<string, unknown>;
  expect([cause.ResponseBody, cause.StatusCode, cause.StatusText]).toEqual([{ message: 'no such order' }, '404', 'Not Found']);
  expect(output.text).toEqual({ body: 'plain words' });
});

it('gets an OAuth client-credentials token and sends it as a bearer token', async () => {
  const result = await run({ StartAt: 'Call', States: { Call: call({ ApiEndpoint: `${base}/orders`, Method: 'GET', Authentication: { ConnectionArn: OAUTH } }, { End: true }) } });
  expect(result.status).toBe('SUCCEEDED');
  const [token, request] = received;
  expect(token!.body).toBe('grant_type=client_credentials&scope=orders');
  expect(token!.headers.authorization).toBe(`Basic ${Buffer.from('app:shh').toString('base64')}`);
  expect(request!.headers.authorization).toBe('Bearer tok-1');
});

it('fails an unreachable endpoint as States.Http.Socket, an unknown connection naming it, and a reserved header as States.Runtime', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const socket = await run({ StartAt: 'C', States: { C: call({ ApiEndpoint: `http://127.0.0.1:${port}/x`, Method: 'GET', Authentication: { ConnectionArn: KEYED } }, { End: true }) } });
  expect([socket.status, socket.error]).toEqual(['FAILED', 'States.Http.Socket']);
  expect(socket.cause).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/x\?v=2 failed: ECONNREFUSED/);
  const unknown = 'arn:aws:events:us-east-1:123456789012:connection/none/0';
  const missing = await run({ StartAt: 'C', States: { C: call({ ApiEndpoint: `${base}/x`, Method: 'GET', Authentication: { ConnectionArn: unknown } }, { End: true }) } });
  expect([missing.error, missing.cause]).toEqual(['Events.ConnectionResource.ResourceNotFound', `There is no connection ${unknown}.`]);
  const reserved = await run({ StartAt: 'C', States: { C: call({ ApiEndpoint: `${base}/x`, Method: 'GET', Authentication: { ConnectionArn: KEYED }, Headers: { Authorization: 'mine' } }, { End: true }) } });
  expect([reserved.error, reserved.cause]).toEqual(['States.Runtime', "The HTTP Task may not set the header 'Authorization'."]);
  expect(received).toEqual([]);
});

it('fails a request that outlasts the timeout as States.Http.Socket, and answers a redirect instead of following it', async () => {
  const slow = runner({ timeoutMs: 50 });
  const definition = { StartAt: 'C', States: { C: call({ ApiEndpoint: `${base}/slow`, Method: 'GET', Authentication: { ConnectionArn: BASIC } }, { End: true }) } };
  const timedOut = await new LocalRuntime({ taskRunner: slow, timeScale: 0 }).startExecution(definition, {}).result;
  expect([timedOut.error, timedOut.cause]).toEqual(['States.Http.Socket', `GET ${base}/slow timed out after 50 ms.`]);
  const moved = await run({ StartAt: 'C', States: { C: call({ ApiEndpoint: `${base}/moved`, Method: 'GET', Authentication: { ConnectionArn: BASIC } }, { End: true }) } });
  expect(moved.error).toBe('States.Http.StatusCode.302');
  expect((JSON.parse(moved.cause!) as { Headers: Record<string, string[]> }).Headers.location).toEqual(['http://elsewhere.example/']);
});
