/**
 * The cloud runtime end to end on real-API local services: dynalite
 * (DynamoDB), fauxqs (SQS, S3), a local Lambda Invoke endpoint, and an SQS
 * event source driving lambda/transition.ts with real SQSEvent records, and
 * one driving the task invoker (lambda/invoker.ts) on its own queue.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { executionKey } from '../../lib/aws/dynamodb-store';
import type { LambdaHandler } from '../../lib/local/tasks/handlers-file';
import { startCloud, waitForEnd, type CloudFixture } from '../../harness/fixture';
import type { TaskRequest } from '../../lib/service/ports';
import { LocalRuntime } from '../../lib/local/runtime';

jest.setTimeout(60_000);

class PaymentDeclined extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentDeclined';
  }
}

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';
let notified: { token: string; value: number }[] = [];
/** When each run of the function Second started and ended. */
const seconds: [number, number][] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const handlers = new Map<string, LambdaHandler>([
  ['Second', async (event) => {
    const start = Date.now();
    await sleep(1000);
    seconds.push([start, Date.now()]);
    return event;
  }],
  ['ThreeSeconds', async (event) => (await sleep(3000), event)],
  ['Once', async (event) => (await sleep(300), { seen: event })],
  ['Double', async (event) => ({ value: (event as { value: number }).value * 2 })],
  ['Charge', async () => {
    throw new PaymentDeclined('card declined');
  }],
  ['Notify', async (event) => {
    notified.push(event as { token: string; value: number });
    return { sent: true };
  }],
]);

let fx: CloudFixture;
beforeAll(async () => {
  // As deployed: every item of an execution carries its expiry (the table's TTL attribute).
  // (A request that found its attempt running comes back after 5 s: the test of a request delivered twice waits for it.)
  fx = await startCloud(handlers, { retentionSeconds: 90 * 86_400, invokerVisibilitySeconds: 5 });
});
afterAll(async () => {
  await fx?.stop();
});

async function run(name: string, definition: object, input: unknown) {
  const sm = await fx.cloud.driver.putStateMachine(name, JSON.stringify(definition));
  const { executionArn } = await fx.cloud.driver.startExecution(sm.stateMachineArn, { input: input as never });
  return { executionArn, sm };
}

describe('cloud runtime on dynalite + fauxqs', () => {
  it('runs Pass, Choice, Map of Lambda tasks, Parallel, Wait and Catch to the output the in-process driver gives', async () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Each',
              States: {
                Each: {
                  Type: 'Map',
                  ItemsPath: '$.items',
                  MaxConcurrency: 2,
                  ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Task', Resource: `${FN}Double`, Parameters: { 'value.$': '$' }, OutputPath: '$.value', End: true } } },
                  End: true,
                },
              },
            },
            {
              StartAt: 'Charge',
              States: {
                Charge: { Type: 'Task', Resource: `${FN}Charge`, Catch: [{ ErrorEquals: ['PaymentDeclined'], ResultPath: '$.error', Next: 'Declined' }], End: true },
                Declined: { Type: 'Pass', Parameters: { 'error.$': '$.error.Error', 'message.$': 'States.StringToJson($.error.Cause)' }, OutputPath: '$.error', End: true },
              },
            },
            { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Big' }, Big: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 2, Next: 'Yes' }], Default: 'No' }, Yes: { Type: 'Pass', Result: 'big', End: true }, No: { Type: 'Pass', Result: 'small', End: true } } },
          ],
          End: true,
        },
      },
    };
    const { executionArn } = await run('mixed', definition, { items: [1, 2, 3, 4, 5], n: 3 });
    const end = await waitForEnd(fx.cloud, executionArn);
    expect(end.status).toBe('SUCCEEDED');
    expect(end.output).toEqual([[2, 4, 6, 8, 10], 'PaymentDeclined', 'big']);
    const history = await fx.cloud.driver.getExecutionHistory(executionArn);
    expect(history[0]).toMatchObject({ id: 1, previousEventId: 0, type: 'ExecutionStarted' });
    expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
    expect(history.at(-1)!.type).toBe('ExecutionSucceeded');
    const count = (type: string) => history.filter((e) => e.type === type).length;
    expect(count('MapIterationSucceeded')).toBe(5);
    expect(count('LambdaFunctionSucceeded')).toBe(5);
    expect(count('LambdaFunctionFailed')).toBe(1);
    expect(count('WaitStateExited')).toBe(1);
    expect(fx.lambda.calls.get('Double')).toBe(5);
  });

  it("quotes failing states' entered events in a one-branch Parallel, a Map of MaxConcurrency 1 and after them, with the history the in-process driver gives, event by event", async () => {
    const parse = { StartAt: 'Parse', States: { Parse: { Type: 'Pass', Parameters: { 'v.$': 'States.StringToJson($.text)' }, End: true } } };
    const definition = {
      StartAt: 'Solo',
      States: {
        Solo: { Type: 'Parallel', Branches: [{ StartAt: 'One', States: { One: { Type: 'Pass', End: true } } }], ResultPath: '$.solo', Next: 'Each' },
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 1,
          ItemProcessor: { StartAt: 'Try', States: { Try: { Type: 'Parallel', Branches: [parse], Catch: [{ ErrorEquals: ['States.IntrinsicFailure'], Next: 'Caught' }], End: true }, Caught: { Type: 'Pass', End: true } } },
          ResultPath: '$.each',
          Next: 'Bad',
        },
        Bad: { Type: 'Pass', InputPath: '$.missing', End: true },
      },
    };
    const input = { items: [{ text: 'x' }, { text: 'y' }] };
    const role = 'arn:aws:iam::123456789012:role/switchyard-local'; // LocalRuntime's
    const sm = await fx.cloud.driver.putStateMachine('entered-id', JSON.stringify(definition), role);
    const { executionArn } = await fx.cloud.driver.startExecution(sm.stateMachineArn, { name: 'e', input });
    const end = await waitForEnd(fx.cloud, executionArn);
    const local = await new LocalRuntime({ timeScale: 0 }).startExecution(definition, { input, name: 'e', stateMachineName: 'entered-id' }).result;

    const normal = (history: readonly object[]) => history.map(({ timestamp: _t, ...rest }: { timestamp?: unknown }) => rest);
    const history = await fx.cloud.driver.getExecutionHistory(executionArn);
    expect(normal(history)).toEqual(normal(local.history));
    const bad = history.find((e) => e.type === 'PassStateEntered' && (e.stateEnteredEventDetails as { name: string }).name === 'Bad')!;
    expect(bad.id).toBe(history.length - 1);
    const cause = `An error occurred while executing the state 'Bad' (entered at the event id #${bad.id}). Invalid path '$.missing' : No results for path: $['missing']`;
    expect([end.status, end.error, end.cause]).toEqual(['FAILED', 'States.Runtime', cause]);
    expect([local.status, local.error, local.cause]).toEqual(['FAILED', 'States.Runtime', cause]);
    // Each iteration's Parse failed with the id of its own entered event, handed on in the Map's result.
    const parses = history.filter((e) => e.type === 'PassStateEntered' && (e.stateEnteredEventDetails as { name: string }).name === 'Parse').map((e) => e.id);
    expect(JSON.parse((bad.stateEnteredEventDetails as { input: string }).input).each.map((r: { Cause: string }) => r.Cause)).toEqual(
      parses.map((id) => `An error occurred while executing the state 'Parse' (entered at the event id #${id}). The argument of States.StringToJson is not valid JSON: "${id === parses[0] ? 'x' : 'y'}"`),
    );
  });

  const itemsOf = async (executionArn: string) =>
    (await fx.cloud.clients.dynamodb.send(new QueryCommand({ TableName: fx.bucket, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: executionKey(executionArn) } } }))).Items!;

  /**
   * The execution's items once its end has settled their expiry: the record is
   * written first and the other items' expiry is rewritten after it, so a
   * reader that saw the end may still find an item with the running expiry.
   */
  const settledItemsOf = async (executionArn: string, ex: number, sk = '') => {
    for (const deadline = Date.now() + 10_000; ; ) {
      const items = await itemsOf(executionArn);
      if (items.every((i) => !i.sk!.S!.startsWith(sk) || Number(i.ex!.N) === ex) || Date.now() > deadline) return items;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  // A Wait on a path leaves the run unbounded (lib/service/run-bound.ts): its items are written to last a year.
  const unboundedWait = { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } };

  it("gives a finished execution's record and other items an expiry of its end plus the retention", async () => {
    const { executionArn } = await run('ttl', unboundedWait, { s: 0 });
    const end = await waitForEnd(fx.cloud, executionArn);
    const items = await settledItemsOf(executionArn, Math.floor(end.stopDate! / 1000) + 90 * 86_400);
    const record = items.find((i) => i.sk!.S === 'X')!;
    expect(Number(record.ex!.N)).toBe(Math.floor(end.stopDate! / 1000) + 90 * 86_400);
    const frames = items.filter((i) => i.sk!.S!.startsWith('F#'));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.map((f) => Number(f.ex!.N))).toEqual(frames.map(() => Math.floor(end.stopDate! / 1000) + 90 * 86_400));
  });

  it("settles a bounded execution's input value, written before its record with a year's expiry, to its end plus the retention", async () => {
    const { executionArn } = await run('ttl-big-input', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, { big: 'x'.repeat(100_000) });
    const end = await waitForEnd(fx.cloud, executionArn);
    const target = Math.floor(end.stopDate! / 1000) + 90 * 86_400;
    const values = (await settledItemsOf(executionArn, target, 'V#')).filter((i) => i.sk!.S!.startsWith('V#'));
    expect(values.length).toBeGreaterThan(0);
    expect(values.map((v) => Number(v.ex!.N))).toEqual(values.map(() => target));
  });

  it("keeps a bounded execution's items its bound and a day past each write plus the retention, so its end need not rewrite them", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { executionArn } = await run('ttl-pass', { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'W' }, W: { Type: 'Wait', Seconds: 1, End: true } } }, {});
    const end = await waitForEnd(fx.cloud, executionArn);
    const frames = (await itemsOf(executionArn)).filter((i) => i.sk!.S!.startsWith('F#'));
    // The last version expires with the record; the others keep the expiry they were written with (1 s and a day).
    const last = frames.map((f) => Number(f.ex!.N)).filter((ex) => ex === Math.floor(end.stopDate! / 1000) + 90 * 86_400);
    expect(last).toHaveLength(1);
    for (const f of frames.filter((x) => Number(x.ex!.N) !== last[0])) {
      expect(Number(f.ex!.N) - before).toBeGreaterThanOrEqual(1 + 86_400 + 90 * 86_400);
      expect(Number(f.ex!.N) - before).toBeLessThan(1 + 86_400 + 90 * 86_400 + 60);
    }
  });

  it("keeps a running execution's items a year plus the retention after each write, or its TimeoutSeconds and a day when it has one", async () => {
    const before = Math.floor(Date.now() / 1000);
    const unbounded = await run('ttl-running', unboundedWait, { s: 3600 });
    const bounded = await run('ttl-bounded', { ...unboundedWait, TimeoutSeconds: 7200 }, { s: 3600 });
    for (const [{ executionArn }, longest] of [[unbounded, 366 * 86_400], [bounded, 7200 + 86_400]] as const) {
      const frames = (await itemsOf(executionArn)).filter((i) => i.sk!.S!.startsWith('F#'));
      expect(frames.length).toBeGreaterThan(0);
      for (const f of frames) expect(Number(f.ex!.N) - before).toBeGreaterThanOrEqual(longest + 90 * 86_400);
      for (const f of frames) expect(Number(f.ex!.N) - before).toBeLessThan(longest + 90 * 86_400 + 60);
    }
    await fx.cloud.driver.stopExecution(unbounded.executionArn);
    await fx.cloud.driver.stopExecution(bounded.executionArn);
  });

  it("uses its state machine's own retention for an execution's items", async () => {
    const sm = await fx.cloud.driver.putStateMachine('short-lived', JSON.stringify(unboundedWait), undefined, 'STANDARD', { retentionSeconds: 7 * 86_400 });
    const { executionArn } = await fx.cloud.driver.startExecution(sm.stateMachineArn, { input: { s: 0 } });
    const end = await waitForEnd(fx.cloud, executionArn);
    const items = await settledItemsOf(executionArn, Math.floor(end.stopDate! / 1000) + 7 * 86_400);
    expect(Number(items.find((i) => i.sk!.S === 'X')!.ex!.N)).toBe(Math.floor(end.stopDate! / 1000) + 7 * 86_400);
    const frames = items.filter((i) => i.sk!.S!.startsWith('F#'));
    expect(frames.map((f) => Number(f.ex!.N))).toEqual(frames.map(() => Math.floor(end.stopDate! / 1000) + 7 * 86_400));
  });

  it('extends every item of a redriven execution again, so the new run keeps its history and frames', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:redriven:e-1';
    const info = { executionArn: arn, name: 'e-1', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:redriven', stateMachineName: 'redriven', roleArn: 'r', input: {}, startTime: Date.now(), redriveCount: 0 };
    const running = { info, revisionId: 'r1', status: 'RUNNING' as const };
    await fx.cloud.store.createExecution(running);
    const frame = { id: 'root', version: 1 } as never;
    await fx.cloud.store.putFrameVersion(arn, { frame, lc: 1, at: Date.now(), events: [{ type: 'ExecutionStarted', timestamp: Date.now(), details: { input: { $p: 'x'.repeat(600) } } }] });
    const stopDate = Date.now();
    await fx.cloud.store.finishExecution(arn, { status: 'FAILED', stopDate, error: 'E' }, running);
    const frameEx = async () => Number((await itemsOf(arn)).find((i) => i.sk!.S!.startsWith('F#'))!.ex!.N);
    expect(await frameEx()).toBe(Math.floor(stopDate / 1000) + 90 * 86_400);
    const before = Math.floor(Date.now() / 1000);
    await fx.cloud.store.reopenExecution(arn, 'FAILED', { ...running, info: { ...info, redriveCount: 1 }, redriveDate: Date.now() });
    expect((await frameEx()) - before).toBeGreaterThanOrEqual((366 + 90) * 86_400);
    expect((await frameEx()) - before).toBeLessThan((366 + 90) * 86_400 + 60);
  });

  it('treats an item whose TTL has passed as gone before DynamoDB deletes it', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:old:e-1';
    const stopDate = Date.now() - 10 * 86_400_000;
    const info = { executionArn: arn, name: 'e-1', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:old', stateMachineName: 'old', roleArn: 'r', input: {}, startTime: stopDate - 1000, redriveCount: 0 };
    await fx.cloud.store.createExecution({ info, revisionId: 'r1', status: 'SUCCEEDED', stopDate, retentionSeconds: 86_400 });
    const raw = await fx.cloud.clients.dynamodb.send(new QueryCommand({ TableName: fx.bucket, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: executionKey(arn) } } }));
    expect(raw.Items!.map((i) => Number(i.ex!.N))).toEqual([Math.floor(stopDate / 1000) + 86_400]);
    expect(await fx.cloud.store.getExecution(arn)).toBeUndefined();
    expect(await fx.cloud.store.listExecutions(info.stateMachineArn, { limit: 100 })).toEqual({ items: [] });
  });

  it('maps a function error to its errorType with the Lambda error payload as the cause', async () => {
    const { executionArn } = await run('charge', { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: `${FN}Charge`, End: true } } }, {});
    const end = await waitForEnd(fx.cloud, executionArn);
    expect(end.status).toBe('FAILED');
    expect(end.error).toBe('PaymentDeclined');
    expect(JSON.parse(end.cause!)).toMatchObject({ errorType: 'PaymentDeclined', errorMessage: 'card declined' });
  });

  it('fails an unknown function as Lambda.ResourceNotFoundException', async () => {
    const { executionArn } = await run('missing', { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Nope`, End: true } } }, {});
    const end = await waitForEnd(fx.cloud, executionArn);
    expect(end.status).toBe('FAILED');
    expect(end.error).toBe('Lambda.ResourceNotFoundException');
  });

  it('completes a .waitForTaskToken task with SendTaskSuccess', async () => {
    notified = [];
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'Notify', Payload: { 'token.$': '$$.Task.Token', value: 7 } },
          ResultPath: '$.answer',
          End: true,
        },
      },
    };
    const { executionArn } = await run('approval', definition, { order: 1 });
    for (let i = 0; i < 200 && notified.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(notified).toHaveLength(1);
    await fx.cloud.driver.sendTaskSuccess(notified[0].token, { approved: true });
    const end = await waitForEnd(fx.cloud, executionArn);
    expect(end).toMatchObject({ status: 'SUCCEEDED', output: { order: 1, answer: { approved: true } } });
    await expect(fx.cloud.driver.sendTaskSuccess(notified[0].token, {})).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
  });

  it('carries 300 KiB of state through items and messages by way of S3', async () => {
    const big = 'x'.repeat(300 * 1024);
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Parameters: { 'data.$': '$.data', 'size.$': 'States.ArrayLength(States.StringSplit($.data, \'y\'))' }, End: true } } };
    const { executionArn } = await run('large', definition, { data: big });
    const end = await waitForEnd(fx.cloud, executionArn);
    expect(end.status).toBe('SUCCEEDED');
    expect((end.output as { data: string }).data.length).toBe(300 * 1024);
    const history = await fx.cloud.driver.getExecutionHistory(executionArn);
    expect(JSON.parse((history[0].executionStartedEventDetails as { input: string }).input).data).toHaveLength(300 * 1024);
  });

  it('stops a running execution with StopExecution', async () => {
    const { executionArn } = await run('long', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }, {});
    await new Promise((r) => setTimeout(r, 300));
    await fx.cloud.driver.stopExecution(executionArn, 'Operator', 'no longer needed');
    const end = await waitForEnd(fx.cloud, executionArn);
    expect(end).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'no longer needed' });
  });

  it('parks a malformed message on the dead-letter queue with its reason and goes on with the rest', async () => {
    await fx.cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl: fx.queueUrl, MessageBody: '{"not":"an envelope"}' }));
    const { executionArn } = await run('after-bad', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, { ok: true });
    expect((await waitForEnd(fx.cloud, executionArn)).status).toBe('SUCCEEDED');
    let parked;
    for (let i = 0; i < 20 && !parked; i++) {
      const out = await fx.cloud.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: fx.deadLetterQueueUrl, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      parked = out.Messages?.[0];
    }
    expect(parked?.Body).toBe('{"not":"an envelope"}');
    expect(parked?.MessageAttributes?.reason?.StringValue).toBe('Unknown envelope version undefined');
  });

  it('runs a DISTRIBUTED Map over a CSV object and over a listing of objects in S3', async () => {
    const s3 = fx.cloud.clients.s3;
    await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'in/orders.csv', Body: 'id,qty\n1,2\n2,"5"\n3,1\n' }));
    await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'in/more.json', Body: '[1,2]' }));
    const map = (reader: object) => ({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemReader: reader,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });
    const csv = await run('csv-map', map({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: fx.bucket, Key: 'in/orders.csv' } }), {});
    expect(await waitForEnd(fx.cloud, csv.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: [{ id: '1', qty: '2' }, { id: '2', qty: '5' }, { id: '3', qty: '1' }] });
    const listed = await run('list-map', map({ Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: fx.bucket, Prefix: 'in/' } }), {});
    const end = await waitForEnd(fx.cloud, listed.executionArn);
    expect(end.status).toBe('SUCCEEDED');
    expect((end.output as { Key: string; Size: number }[]).map((o) => [o.Key, o.Size])).toEqual([['in/more.json', 5], ['in/orders.csv', 21]]);
    const missing = await run('missing-map', map({ Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: fx.bucket, Key: 'in/none.json' } }), {});
    expect(await waitForEnd(fx.cloud, missing.executionArn)).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
  });

  it("exports a DISTRIBUTED Map's results to S3 with ResultWriter", async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($, $)' }, End: true } } },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: fx.bucket, Prefix: 'out' } },
          End: true,
        },
      },
    };
    const { executionArn } = await run('exported', definition, { items: [1, 2, 3] });
    const end = await waitForEnd(fx.cloud, executionArn);
    expect(end.status).toBe('SUCCEEDED');
    const details = (end.output as { ResultWriterDetails: { Bucket: string; Key: string } }).ResultWriterDetails;
    expect(details.Bucket).toBe(fx.bucket);
    const read = async (key: string) => (await fx.cloud.clients.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: key }))).Body!.transformToString();
    const manifest = JSON.parse(await read(details.Key)) as { ResultFiles: { SUCCEEDED: { Key: string }[] } };
    const records = JSON.parse(await read(manifest.ResultFiles.SUCCEEDED[0].Key)) as { Output: string; Status: string }[];
    expect(records.map((r) => JSON.parse(r.Output))).toEqual([{ twice: 2 }, { twice: 4 }, { twice: 6 }]);
  });

  describe('the task invoker', () => {
    it('runs a Map of ten one-second tasks at MaxConcurrency 10 at once, not one after another', async () => {
      const definition = {
        StartAt: 'Each',
        States: { Each: { Type: 'Map', MaxConcurrency: 10, ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Second`, End: true } } }, End: true } },
      };
      const started = Date.now();
      const { executionArn } = await run('ten-seconds', definition, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const end = await waitForEnd(fx.cloud, executionArn);
      const span = Math.max(...seconds.map(([, e]) => e)) - Math.min(...seconds.map(([b]) => b));
      console.log(`task invoker: Map of 10 one-second tasks at MaxConcurrency 10: execution ${((Date.now() - started) / 1000).toFixed(2)} s of wall time, tasks ${(span / 1000).toFixed(2)} s from the first start to the last end`);
      expect(end).toMatchObject({ status: 'SUCCEEDED', output: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
      expect(fx.lambda.calls.get('Second')).toBe(10);
    });

    it('times out a three-second task with TimeoutSeconds 1 as States.Timeout', async () => {
      const { executionArn } = await run('timed-out', { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}ThreeSeconds`, TimeoutSeconds: 1, End: true } } }, {});
      const end = await waitForEnd(fx.cloud, executionArn);
      expect(end).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
      const history = await fx.cloud.driver.getExecutionHistory(executionArn);
      expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionTimedOut', 'ExecutionFailed']);
    });

    it('never invokes an attempt twice when its request is delivered twice', async () => {
      const requests = jest.spyOn(fx.cloud.taskRequests!, 'request');
      const original = requests.getMockImplementation() ?? Object.getPrototypeOf(fx.cloud.taskRequests!).request;
      // The transition's request sent twice, as SQS may deliver it twice: both copies reach the invoker while the task runs.
      requests.mockImplementationOnce(function (this: unknown, sent: readonly TaskRequest[]) {
        return original.call(fx.cloud.taskRequests, [...sent, ...sent]);
      });
      const handled: string[] = [];
      const invokeTask = jest.spyOn(fx.cloud.driver, 'invokeTask');
      const invoke = Object.getPrototypeOf(fx.cloud.driver).invokeTask;
      invokeTask.mockImplementation(function (request: TaskRequest) {
        return invoke.call(fx.cloud.driver, request).then(
          () => void handled.push('handled'),
          (err: unknown) => {
            handled.push('redelivered');
            throw err;
          },
        );
      });
      try {
        const { executionArn } = await run('delivered-twice', { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Once`, End: true } } }, { n: 1 });
        const end = await waitForEnd(fx.cloud, executionArn);
        expect(end).toMatchObject({ status: 'SUCCEEDED', output: { seen: { n: 1 } } });
        // The copy that found the attempt claimed and running comes back after the visibility timeout, finds the outcome, sends it again.
        for (let i = 0; i < 200 && handled.filter((h) => h === 'handled').length < 2; i++) await sleep(50);
        // (Both copies handled: the one that claimed it, and the other once its frame moved on — after a redelivery if it came while the task ran.)
        expect(handled.filter((h) => h === 'handled')).toHaveLength(2);
        await sleep(500); // (the outcome sent again: a stale message the frame ignores)
        expect(fx.lambda.calls.get('Once')).toBe(1);
        const history = await fx.cloud.driver.getExecutionHistory(executionArn);
        expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
      } finally {
        requests.mockRestore();
        invokeTask.mockRestore();
      }
    });
  });
});
