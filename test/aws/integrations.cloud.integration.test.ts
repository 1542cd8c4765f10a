/**
 * Service integration tasks through the cloud driver on the loopback
 * services (lambda/transition.ts driven by real SQS messages): the same
 * definitions as `switchyard run`, the same results and error names.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { startCloud, waitForEnd, type CloudFixture } from '../../harness/fixture';

jest.setTimeout(60_000);

let fx: CloudFixture;
beforeAll(async () => {
  fx = await startCloud(new Map());
});
afterAll(async () => {
  await fx?.stop();
});

describe('service integrations in the cloud runtime', () => {
  it('puts an item, sends a message and catches S3.NoSuchKeyException, as in-process', async () => {
    const { dynamodb, sqs } = fx.observer.clients;
    await dynamodb.send(
      new CreateTableCommand({ TableName: 'CloudOrders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'cloud-orders' }))).QueueUrl!;
    const definition = {
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'CloudOrders', Item: { id: { 'S.$': '$.id' } } }, ResultPath: null, Next: 'Get' },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { TableName: 'CloudOrders', Key: { id: { 'S.$': '$.id' } } }, ResultPath: '$.got', Next: 'Send' },
        Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: queueUrl, 'MessageBody.$': '$.got.Item' }, ResultSelector: { 'sent.$': '$.MessageId' }, ResultPath: '$.send', Next: 'Missing' },
        Missing: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
          Parameters: { Bucket: fx.bucket, Key: 'absent' },
          Catch: [{ ErrorEquals: ['S3.NoSuchKeyException'], ResultPath: '$.missing', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', Parameters: { 'got.$': '$.got', 'error.$': '$.missing.Error' }, End: true },
      },
    };
    const sm = await fx.cloud.driver.putStateMachine('Integrations', JSON.stringify(definition));
    const { executionArn } = await fx.cloud.driver.startExecution(sm.stateMachineArn, { input: { id: 'c-1' } });
    const record = await waitForEnd(fx.observer, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.output).toEqual({ got: { Item: { id: { S: 'c-1' } } }, error: 'S3.NoSuchKeyException' });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(received.Messages?.map((m) => m.Body)).toEqual(['{"id":{"S":"c-1"}}']);
  });
});
