/**
 * A wait longer than the queue's maximum delay on the real adapters —
 * DynamoStore on dynalite, SqsQueue on fauxqs — with every not-yet-due hop
 * delivered three times: each hop goes out once, its claim item is recorded
 * sent and expires with SQS's retention, and the Wait ends once.
 */
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoStore, executionKey } from '../../lib/aws/dynamodb-store';
import { SqsQueue } from '../../lib/aws/sqs-queue';
import { processBatch } from '../../lib/service/batch';
import { CloudDriver } from '../../lib/service/driver';
import type { Envelope, Outgoing } from '../../lib/service/ports';
import { REQUEST_CLAIM_KEEP_MS } from '../../lib/service/task-attempts';
import { hopKey } from '../../lib/service/timer-hops';
import { startServices, type Services } from '../../harness/fixture';

jest.setTimeout(60_000);

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let services: Services | undefined;
let dynamodb: DynamoDBClient | undefined;
let sqs: SQSClient | undefined;

beforeAll(async () => {
  services = await startServices();
  dynamodb = new DynamoDBClient({ endpoint: services.dynamodb, region: 'us-east-1', credentials });
  sqs = new SQSClient({ endpoint: services.sqs, region: 'us-east-1', credentials });
});
afterAll(async () => {
  dynamodb?.destroy();
  sqs?.destroy();
  await services?.stop();
});

it('sends each hop of a 5-second Wait chained at 1 second once while every hop is delivered three times', async () => {
  const table = `hops${process.pid}`;
  await DynamoStore.createTable(dynamodb!, table);
  const queueUrl = (await sqs!.send(new CreateQueueCommand({ QueueName: table, Attributes: { VisibilityTimeout: '2' } }))).QueueUrl!;
  const sqsQueue = new SqsQueue({ client: sqs!, queueUrl });
  const sent: Envelope[] = [];
  const queue = { send: (out: Outgoing[]) => (sent.push(...out.map((o) => o.envelope)), sqsQueue.send(out)), deadLetter: async () => {} };
  const store = new DynamoStore({ client: dynamodb!, tableName: table, retentionSeconds: 86_400 });
  const driver = new CloudDriver({ store, queue, tasks: { run: async () => ({ kind: 'pending' }) }, maxDelayMs: 1_000 });
  // A Wait on a path leaves the run unbounded (run-bound.ts): its other items last a year, its hop claims 15 days.
  const sm = await driver.putStateMachine('w', JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } }));
  const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: { s: 5 } });

  const before = Math.floor(Date.now() / 1000);
  for (let round = 0; round < 40 && (await driver.describeExecution(executionArn)).status === 'RUNNING'; round++) {
    const out = await sqs!.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of out.Messages ?? []) {
      const record = { messageId: m.MessageId!, body: m.Body! };
      const hop = (JSON.parse(m.Body!) as Envelope).notBefore !== undefined;
      // A not-yet-due hop delivered three times (SQS's at-least-once, or a handler that died before deleting).
      for (let i = 0; i < (hop ? 3 : 1); i++) expect((await processBatch(driver, queue, [record], { log: () => {} })).batchItemFailures).toEqual([]);
      await sqs!.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
  }

  // One send per hop: the Wait's timer (hop 0) and each time it was sent back, numbered without a repeat.
  const hops = sent.filter((e) => e.notBefore !== undefined).map((e) => e.hops ?? 0);
  expect(hops.length).toBeGreaterThanOrEqual(4);
  expect(hops).toEqual(hops.map((_, i) => i));
  // A claim item per hop sent back (not the last, which was due), each recorded sent, none taken over.
  const items = await dynamodb!.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hop)', ExpressionAttributeValues: { ':pk': { S: executionKey(executionArn) }, ':hop': { S: 'C#hop|' } } }),
  );
  const forwarded = sent.filter((e) => e.notBefore !== undefined).slice(0, -1);
  expect(items.Items!.map((i) => i.sk!.S).sort()).toEqual(forwarded.map((e) => `C#${hopKey(e)}`).sort());
  for (const e of forwarded) expect(await store.getTaskClaim(executionArn, hopKey(e))).toEqual({ claimedAt: 0, pending: true });
  // Each expires with SQS's retention (15 days), not the execution's year and retention.
  for (const item of items.Items!) {
    expect(Number(item.ex!.N)).toBeGreaterThanOrEqual(before + REQUEST_CLAIM_KEEP_MS / 1000);
    expect(Number(item.ex!.N)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + REQUEST_CLAIM_KEEP_MS / 1000);
  }
  const history = await driver.getExecutionHistory(executionArn);
  expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
  const waited = history[2].timestamp - history[1].timestamp;
  // Due 5 s after it was entered; a hop is applied up to 500 ms before it is due (transitions.ts).
  expect(waited).toBeGreaterThanOrEqual(4_500);
  expect(waited).toBeLessThan(8_000);
});
