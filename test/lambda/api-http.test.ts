/**
 * lambda/api.ts behind an HTTP API (the construct's `frontDoor: 'http-api'`):
 * the official @aws-sdk/client-sfn through a shim that turns each request
 * into the payload format 2.0 event API Gateway's HTTP API sends —
 * lower-cased headers, `rawPath`, a base64 body — over the cloud runtime on
 * dynalite and fauxqs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateStateMachineCommand, DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startCloud, type CloudFixture } from '../../harness/fixture';
import { createApiHandler, type HttpApiEvent } from '../../lambda/api';

jest.setTimeout(60_000);

let fx: CloudFixture;
let server: Server;
let base: string;
let sfn: SFNClient;

beforeAll(async () => {
  fx = await startCloud(new Map());
  const api = createApiHandler(fx.cloud);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const event: HttpApiEvent = {
        version: '2.0',
        rawPath: (req.url ?? '/').split('?')[0]!,
        rawQueryString: (req.url ?? '').split('?')[1] ?? '',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v])),
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks).toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
        requestContext: { http: { method: req.method ?? 'GET' } },
      };
      void api(event).then((r) => {
        res.writeHead(r.statusCode, r.headers);
        res.end(r.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sfn = new SFNClient({ endpoint: base, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  sfn?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  await fx?.stop();
});

const definition = JSON.stringify({ StartAt: 'Greet', States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, End: true } } });

describe('lambda/api.ts with HTTP API events and @aws-sdk/client-sfn', () => {
  it('creates a state machine, runs an execution and reads its history', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'hello-http', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'one', input: '{"name":"Ada"}' }));
    expect(executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:hello-http:one');
    let described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    while (described.status === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 50));
      described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    }
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"greeting":"Hello, Ada!"}' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('raises the service exception the SDK knows', async () => {
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:hello-http:nope' }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('serves the REST surface at the raw path, with its query string', async () => {
    const started = await fetch(`${base}/state-machines/hello-http/executions?name=rest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bo' }) });
    expect(started.status).toBe(201);
    expect(await started.json()).toMatchObject({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:hello-http:rest' });
  });
});
