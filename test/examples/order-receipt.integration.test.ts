/**
 * The order-receipt example on real-API local services: its item put in
 * dynalite, its announcement published on fauxqs's SNS (and delivered to a
 * subscribed queue), its invoice totalled by a nested invoice-total
 * execution — through `switchyard run`, through `switchyard serve`, and
 * through the cloud driver on the loopback fixture.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { main } from '../../lib/cli/main';
import { serveCommand } from '../../lib/cli/serve';
import { startCloud, startServices, waitForEnd, type Services } from '../../harness/fixture';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples');
const read = (...parts: string[]) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, ...parts), 'utf8')) as Record<string, unknown>;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const saved = { ...process.env };

let services: Services;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let topicArn: string;
let queueUrl: string;

beforeAll(async () => {
  services = await startServices();
  // The CLI's clients take the SDK's default credentials and region.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' });
  dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: services.dynamodb, credentials });
  await dynamodb.send(
    new CreateTableCommand({ TableName: 'switchyard-orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  sqs = new SQSClient({ region: 'us-east-1', endpoint: services.sqs, credentials });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'order-events-inbox' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const sns = new SNSClient({ region: 'us-east-1', endpoint: services.sqs, credentials });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'order-events' }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
  sns.destroy();
});
afterAll(async () => {
  process.env = saved;
  dynamodb?.destroy();
  sqs?.destroy();
  await services?.stop();
});

const endpoints = () => [`dynamodb=${services.dynamodb}`, `sns=${services.sqs}`];

/** The item the run put, and the announcement it published (then both removed, for the next run). */
async function effects(orderId: string): Promise<{ item: unknown; message: unknown }> {
  const item = (await dynamodb.send(new GetItemCommand({ TableName: 'switchyard-orders', Key: { id: { S: orderId } } }))).Item;
  await dynamodb.send(new DeleteItemCommand({ TableName: 'switchyard-orders', Key: { id: { S: orderId } } }));
  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }));
  return { item, message: (received.Messages ?? []).map((m) => JSON.parse(m.Body!) as unknown) };
}

describe('the order-receipt example on dynalite + fauxqs', () => {
  it('runs through switchyard run with invoice-total as a nested execution', async () => {
    // Arrange
    const input = { ...read('order-receipt', 'input.json'), topicArn };
    let stdout = '';

    // Act
    const code = await main(
      ['run', 'examples/order-receipt/definition.asl.json', '--input', JSON.stringify(input), '--state-machine', 'examples/invoice-total/definition.asl.json', '--json', '--history', ...endpoints().flatMap((e) => ['--endpoint-url', e])],
      { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: ROOT },
    );

    // Assert
    const summary = JSON.parse(stdout) as { status: string; output: unknown; history: { type: string }[]; children: { executionArn: string; status: string }[] };
    expect(code).toBe(0);
    expect(summary.output).toEqual(read('order-receipt', 'expected-output.json'));
    expect(summary.history.filter((e) => e.type.startsWith('Task') && !e.type.startsWith('TaskState')).map((e) => e.type)).toEqual([
      'TaskScheduled', 'TaskStarted', 'TaskSucceeded',
      'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded',
      'TaskScheduled', 'TaskStarted', 'TaskSucceeded',
    ]);
    expect(summary.children).toEqual([{ executionArn: expect.stringMatching(/^arn:aws:states:us-east-1:123456789012:execution:invoice-total:/), status: 'SUCCEEDED', history: expect.any(Array) }]);
    expect(await effects('o-3001')).toEqual({ item: { id: { S: 'o-3001' }, customer: { S: 'ada@example.com' } }, message: [{ orderId: 'o-3001', customer: 'ada@example.com', total: 54 }] });
  });

  it('runs through switchyard serve, which registers both examples', async () => {
    const server = await serveCommand({ port: '0', quiet: true, 'endpoint-url': endpoints() }, { stdout: () => undefined, stderr: () => undefined, cwd: ROOT });
    try {
      const input = { ...read('order-receipt', 'input.json'), orderId: 'o-3002', topicArn };
      const { executionArn } = await server.driver.startExecution(server.driver.stateMachineArn('order-receipt'), { input: input as never });
      let record = await server.driver.describeExecution(executionArn);
      while (record.status === 'RUNNING') {
        await new Promise((r) => setTimeout(r, 20));
        record = await server.driver.describeExecution(executionArn);
      }
      expect({ status: record.status, output: record.output }).toEqual({ status: 'SUCCEEDED', output: { ...read('order-receipt', 'expected-output.json'), orderId: 'o-3002' } });
      const children = (await server.driver.listExecutions(server.driver.stateMachineArn('invoice-total'), { limit: 100 })).executions;
      expect(children.map((c) => ({ status: c.status, parent: c.parent?.executionArn }))).toEqual([{ status: 'SUCCEEDED', parent: executionArn }]);
      expect(await effects('o-3002')).toEqual({ item: { id: { S: 'o-3002' }, customer: { S: 'ada@example.com' } }, message: [{ orderId: 'o-3002', customer: 'ada@example.com', total: 54 }] });
    } finally {
      await server.close();
    }
  });

  it('runs through the cloud driver on the loopback fixture', async () => {
    const fx = await startCloud(new Map(), { services });
    try {
      const d = fx.cloud.driver;
      await d.putStateMachine('invoice-total', fs.readFileSync(path.join(EXAMPLES, 'invoice-total', 'definition.asl.json'), 'utf8'));
      const parent = await d.putStateMachine('order-receipt', fs.readFileSync(path.join(EXAMPLES, 'order-receipt', 'definition.asl.json'), 'utf8'));
      const input = { ...read('order-receipt', 'input.json'), orderId: 'o-3003', topicArn };

      const { executionArn } = await d.startExecution(parent.stateMachineArn, { input: input as never });
      const done = await waitForEnd(fx.observer, executionArn);

      expect({ status: done.status, output: done.output }).toEqual({ status: 'SUCCEEDED', output: { ...read('order-receipt', 'expected-output.json'), orderId: 'o-3003' } });
      const children = (await d.listExecutions(d.stateMachineArn('invoice-total'), { limit: 100 })).executions;
      expect(children.map((c) => ({ status: c.status, parent: c.parent?.executionArn }))).toEqual([{ status: 'SUCCEEDED', parent: executionArn }]);
      expect(await effects('o-3003')).toEqual({ item: { id: { S: 'o-3003' }, customer: { S: 'ada@example.com' } }, message: [{ orderId: 'o-3003', customer: 'ada@example.com', total: 54 }] });
    } finally {
      await fx.stop();
    }
  });
});
