/**
 * Service integration tasks through `switchyard run` on real-API local
 * services: DynamoDB (dynalite), SQS, SNS and S3 (fauxqs), each named with
 * `--endpoint-url SERVICE=URL`. Results, error names and causes as Step
 * Functions gives them; errors caught by Catch.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { main } from '../../lib/cli/main';
import { serveCommand } from '../../lib/cli/serve';
import { startServices, type Services } from '../../harness/fixture';

jest.setTimeout(60_000);

let services: Services;
let dir: string;
let queueUrl: string;
let topicArn: string;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const saved = { ...process.env };

beforeAll(async () => {
  services = await startServices();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-integrations-'));
  // The CLI's clients take the SDK's default credentials and region.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' });
  const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: services.dynamodb, credentials });
  await dynamodb.send(
    new CreateTableCommand({ TableName: 'Orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  dynamodb.destroy();
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: services.sqs, credentials });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl!;
  sqs.destroy();
  const sns = new SNSClient({ region: 'us-east-1', endpoint: services.sqs, credentials });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'shipped' }))).TopicArn!;
  sns.destroy();
  const s3 = new S3Client({ region: 'us-east-1', endpoint: services.s3, credentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'documents' }));
  s3.destroy();
});
afterAll(async () => {
  process.env = saved;
  await services?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(definition: object, input: unknown = {}): Promise<{ code: number; result: { status: string; output: unknown; error: string | null; cause: string | null } }> {
  const file = path.join(dir, `d${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(definition));
  let stdout = '';
  const endpoints = ['--endpoint-url', `dynamodb=${services.dynamodb}`, '--endpoint-url', `sqs=${services.sqs}`, '--endpoint-url', `sns=${services.sqs}`, '--endpoint-url', `s3=${services.s3}`];
  const code = await main(['run', file, '--input', JSON.stringify(input), '--json', ...endpoints], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: dir });
  return { code, result: JSON.parse(stdout) };
}

const HTTP_METADATA = expect.objectContaining({
  SdkHttpMetadata: expect.objectContaining({ HttpStatusCode: 200, HttpHeaders: expect.objectContaining({ 'Content-Type': 'application/x-amz-json-1.0' }) }),
  SdkResponseMetadata: { RequestId: expect.any(String) },
});

describe('optimized DynamoDB integrations', () => {
  it('puts, gets, updates and deletes an item, with results in attribute-value form', async () => {
    const { code, result } = await run(
      {
        StartAt: 'Put',
        States: {
          Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Orders', Item: { id: { 'S.$': '$.id' }, total: { N: '42' }, sig: { B: 'aGk=' }, sigs: { BS: ['AQI=', 'AwQ='] } } }, ResultPath: '$.put', Next: 'Get' },
          Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'Orders', Key: { id: { 'S.$': '$.id' } } }, ResultSelector: { 'Item.$': '$.Item' }, ResultPath: '$.get', Next: 'Update' },
          Update: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:updateItem',
            Parameters: { TableName: 'Orders', Key: { id: { 'S.$': '$.id' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'PAID' } }, ReturnValues: 'ALL_NEW' },
            ResultSelector: { 'Attributes.$': '$.Attributes' },
            ResultPath: '$.update',
            Next: 'Delete',
          },
          Delete: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:deleteItem', Parameters: { TableName: 'Orders', Key: { id: { 'S.$': '$.id' } }, ReturnValues: 'ALL_OLD' }, ResultSelector: { 'Attributes.$': '$.Attributes' }, ResultPath: '$.delete', End: true },
        },
      },
      { id: 'o-1' },
    );
    expect(result.error).toBeNull();
    expect(code).toBe(0);
    const output = result.output as Record<string, unknown>;
    expect(output.put).toEqual(HTTP_METADATA);
    // Binary attributes go in and come back as base64 text.
    const item = { id: { S: 'o-1' }, total: { N: '42' }, sig: { B: 'aGk=' }, sigs: { BS: ['AQI=', 'AwQ='] } };
    expect(output.get).toEqual({ Item: item });
    expect(output.update).toEqual({ Attributes: { ...item, status: { S: 'PAID' } } });
    expect(output.delete).toEqual({ Attributes: { ...item, status: { S: 'PAID' } } });
  });

  it('fails a conditional put as DynamoDB.ConditionalCheckFailedException, caught by Catch, with the cause AWS gives', async () => {
    const put = (resource: string, catchName: string, next: string) => ({
      Type: 'Task',
      Resource: resource,
      Parameters: { TableName: 'Orders', Item: { id: { S: 'dup' } }, ConditionExpression: 'attribute_not_exists(id)' },
      Catch: [{ ErrorEquals: [catchName], ResultPath: '$.error', Next: next }],
      ResultPath: null,
      Next: next,
    });
    const { result } = await run({
      StartAt: 'First',
      States: {
        First: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Orders', Item: { id: { S: 'dup' } } }, ResultPath: null, Next: 'Optimized' },
        Optimized: put('arn:aws:states:::dynamodb:putItem', 'DynamoDB.ConditionalCheckFailedException', 'KeepOptimized'),
        KeepOptimized: { Type: 'Pass', Parameters: { 'optimized.$': '$.error' }, Next: 'Sdk' },
        Sdk: put('arn:aws:states:::aws-sdk:dynamodb:putItem', 'DynamoDb.ConditionalCheckFailedException', 'Done'),
        Done: { Type: 'Pass', Parameters: { 'optimized.$': '$.optimized', 'sdk.$': '$.error' }, End: true },
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    const { optimized, sdk } = result.output as { optimized: { Error: string; Cause: string }; sdk: { Error: string; Cause: string } };
    expect(optimized.Error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(optimized.Cause).toMatch(/^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: \S+; Proxy: null\)$/);
    expect(sdk.Error).toBe('DynamoDb.ConditionalCheckFailedException');
    expect(sdk.Cause).toMatch(/^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$/);
  });

  it('runs any DynamoDB action through aws-sdk, parameters and result as the API has them', async () => {
    const { result } = await run({
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem', Parameters: { TableName: 'Orders', Item: { id: { S: 'q-1' }, n: { N: '7' } } }, ResultPath: null, Next: 'Query' },
        Query: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Parameters: { TableName: 'Orders', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'q-1' } } },
          End: true,
        },
      },
    });
    expect(result.output).toEqual({ Count: 1, Items: [{ id: { S: 'q-1' }, n: { N: '7' } }], ScannedCount: 1 });
  });
});

describe('SQS and SNS', () => {
  it('sends a message whose JSON body Step Functions turns into text, and returns MD5OfMessageBody and MessageId', async () => {
    const { result } = await run({ StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: queueUrl, MessageBody: { 'order.$': '$.order' } }, End: true } } }, { order: 'o-7' });
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as Record<string, unknown>;
    expect(output).toEqual(expect.objectContaining({ MD5OfMessageBody: createHash('md5').update('{"order":"o-7"}').digest('hex'), MessageId: expect.any(String) }));
    expect(output.SdkHttpMetadata).toEqual(expect.objectContaining({ HttpStatusCode: 200 }));
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: services.sqs, credentials });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    sqs.destroy();
    expect(received.Messages?.map((m) => m.Body)).toEqual(['{"order":"o-7"}']);
  });

  it('publishes to an SNS topic and returns the MessageId', async () => {
    const { result } = await run({ StartAt: 'Publish', States: { Publish: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: topicArn, Message: { shipped: true } }, ResultSelector: { 'MessageId.$': '$.MessageId' }, End: true } } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ MessageId: expect.any(String) });
  });
});

describe('aws-sdk:s3', () => {
  it('puts and gets an object, the Body as text, and names a missing key S3.NoSuchKeyException', async () => {
    const { result } = await run({
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:putObject', Parameters: { Bucket: 'documents', Key: 'a.txt', Body: 'hello' }, ResultPath: null, Next: 'Get' },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { Bucket: 'documents', Key: 'a.txt' }, ResultSelector: { 'Body.$': '$.Body' }, ResultPath: '$.got', Next: 'Missing' },
        Missing: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
          Parameters: { Bucket: 'documents', Key: 'nope.txt' },
          Catch: [{ ErrorEquals: ['S3.NoSuchKeyException'], ResultPath: '$.missing', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', End: true },
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as { got: unknown; missing: { Error: string; Cause: string } };
    expect(output.got).toEqual({ Body: 'hello' });
    expect(output.missing.Error).toBe('S3.NoSuchKeyException');
    expect(output.missing.Cause).toMatch(/ \(Service: S3, Status Code: 404, Request ID: \S+\)$/);
  });
});

describe('switchyard serve', () => {
  it('runs integration tasks at the --endpoint-url given', async () => {
    const examples = fs.mkdtempSync(path.join(dir, 'examples-'));
    let banner = '';
    const server = await serveCommand({ port: '0', examples, quiet: true, 'endpoint-url': [`dynamodb=${services.dynamodb}`] }, { stdout: (t) => (banner += t), stderr: () => undefined, cwd: dir });
    try {
      expect(banner).toContain(`Service integration tasks (sqs:sendMessage, dynamodb:putItem, aws-sdk:…) call dynamodb=${services.dynamodb}`);
      const definition = {
        StartAt: 'Put',
        States: {
          Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Orders', Item: { id: { S: 'served' } } }, ResultPath: null, Next: 'Get' },
          Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'Orders', Key: { id: { S: 'served' } } }, OutputPath: '$.Item', End: true },
        },
      };
      const { stateMachineArn } = await server.driver.putStateMachine('Served', JSON.stringify(definition));
      const { executionArn } = await server.driver.startExecution(stateMachineArn, { input: {} });
      let record = await server.driver.describeExecution(executionArn);
      while (record.status === 'RUNNING') {
        await new Promise((r) => setTimeout(r, 20));
        record = await server.driver.describeExecution(executionArn);
      }
      expect(record.status).toBe('SUCCEEDED');
      expect(record.output).toEqual({ id: { S: 'served' } });
    } finally {
      await server.close();
    }
  });
});

describe('what cannot run', () => {
  it('names the AWS SDK client packages to install before the run starts (exit 2)', async () => {
    const file = path.join(dir, 'missing.json');
    fs.writeFileSync(file, JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:nosuchservice:doThing', End: true } } }));
    let stderr = '';
    const code = await main(['run', file], { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('the definition calls services whose AWS SDK clients are not installed: @aws-sdk/client-nosuchservice (npm install @aws-sdk/client-nosuchservice)');
  });
});
