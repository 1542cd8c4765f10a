/**
 * HTTP Tasks (`arn:aws:states:::http:invoke`) through the cloud driver on
 * the loopback services (lambda/transition.ts and the task invoker on real
 * SQS messages, DynamoStore on dynalite), their connection read as in an
 * account: DescribeConnection from EventBridge, the secret values from the
 * connection's Secrets Manager secret (harness/connections-endpoint.ts
 * stands in for both). The history equals the in-process driver's event by
 * event, with the same connection given as a connections file.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCloud, waitForEnd, type CloudFixture } from '../../harness/fixture';
import { startConnectionsEndpoint, type ConnectionsEndpoint } from '../../harness/connections-endpoint';
import { firstDifference } from '../../harness/history-check';
import { parseConnections } from '../../lib/local/connections-file';
import { LocalRuntime } from '../../lib/local/runtime';
import { HttpTaskRunner } from '../../lib/service/http-task-runner';

jest.setTimeout(60_000);

const KEYED = 'arn:aws:events:us-east-1:123456789012:connection/orders-api/11111111-2222-3333-4444-555555555555';

let api: http.Server;
let base: string;
const received: { method: string; url: string; key: string | undefined; tenant: string | undefined; body: string }[] = [];
let standIn: ConnectionsEndpoint;
let fx: CloudFixture;

beforeAll(async () => {
  api = http.createServer((req, res) => {
    // No Date header: the two runs' responses (and so their histories) are the same to the byte.
    res.sendDate = false;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, key: req.headers['x-api-key'] as string | undefined, tenant: req.headers['x-tenant'] as string | undefined, body });
      if (req.url!.startsWith('/missing')) res.writeHead(404, 'Not Found', { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'no such order' }));
      else res.writeHead(201, 'Created', { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'o-7' }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  standIn = await startConnectionsEndpoint([
    {
      arn: KEYED,
      authorizationType: 'API_KEY',
      described: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-tenant', IsValueSecret: true }] } },
      secret: { api_key_name: 'x-api-key', api_key_value: 'k-cloud', invocation_http_parameters: { header_parameters: [{ key: 'x-tenant', value: 'acme', is_value_secret: true }] } },
    },
  ]);
  fx = await startCloud(new Map(), { endpoints: { events: standIn.url, secretsmanager: standIn.url } });
});
afterAll(async () => {
  await fx?.stop();
  await standIn?.close();
  await new Promise<void>((resolve) => api.close(() => resolve()));
});

const definition = () => ({
  StartAt: 'Order',
  States: {
    Order: {
      Type: 'Task',
      Resource: 'arn:aws:states:::http:invoke',
      Parameters: { ApiEndpoint: `${base}/orders`, Method: 'POST', Authentication: { ConnectionArn: KEYED }, RequestBody: { 'id.$': '$.id' } },
      ResultSelector: { 'status.$': '$.StatusCode', 'body.$': '$.ResponseBody' },
      ResultPath: '$.order',
      Next: 'Missing',
    },
    Missing: {
      Type: 'Task',
      Resource: 'arn:aws:states:::http:invoke',
      Parameters: { ApiEndpoint: `${base}/missing`, Method: 'GET', Authentication: { ConnectionArn: KEYED } },
      Catch: [{ ErrorEquals: ['States.Http.StatusCode.404'], ResultPath: '$.missing', Next: 'Done' }],
      End: true,
    },
    Done: { Type: 'Pass', Parameters: { 'order.$': '$.order', 'error.$': '$.missing.Error' }, End: true },
  },
});

describe('http:invoke in the cloud driver on local services', () => {
  it('reads the connection from EventBridge and its secret, calls the API and records the history the in-process driver records', async () => {
    // The role the in-process driver names, so the two ExecutionStarted events are the same.
    const sm = await fx.cloud.driver.putStateMachine('HttpOrders', JSON.stringify(definition()), 'arn:aws:iam::123456789012:role/switchyard-local');
    const { executionArn } = await fx.cloud.driver.startExecution(sm.stateMachineArn, { name: 'h-1', input: { id: 'o-7' } });
    const record = await waitForEnd(fx.observer, executionArn);
    const history = await fx.observer.driver.getExecutionHistory(executionArn);
    const cloudRequests = received.splice(0);

    const connections = parseConnections(
      {
        [KEYED]: {
          authorizationType: 'API_KEY',
          authParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k-cloud' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-tenant', Value: 'acme' }] } },
        },
      },
      'the test',
    );
    const reference = await new LocalRuntime({ taskRunner: new HttpTaskRunner({ connections }), timeScale: 0 }).startExecution(definition(), { input: { id: 'o-7' }, name: 'h-1', stateMachineName: 'HttpOrders' }).result;

    expect(record.status).toBe('SUCCEEDED');
    expect(record.output).toEqual({ order: { status: '201', body: { id: 'o-7' } }, error: 'States.Http.StatusCode.404' });
    expect(record.output).toEqual(reference.output);
    expect(firstDifference(history, reference.history)).toBeUndefined();
    expect(cloudRequests).toEqual([
      { method: 'POST', url: '/orders', key: 'k-cloud', tenant: 'acme', body: '{"id":"o-7"}' },
      { method: 'GET', url: '/missing', key: 'k-cloud', tenant: 'acme', body: '' },
    ]);
    expect(received).toEqual(cloudRequests);
    // Each task read the connection and then its secret, signed with the deployment's credentials.
    expect(standIn.calls).toEqual([
      { target: 'AWSEvents.DescribeConnection', keyId: 'local' },
      { target: 'secretsmanager.GetSecretValue', keyId: 'local' },
      { target: 'AWSEvents.DescribeConnection', keyId: 'local' },
      { target: 'secretsmanager.GetSecretValue', keyId: 'local' },
    ]);
  });
});
