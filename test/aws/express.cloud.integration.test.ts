/**
 * EXPRESS executions on the cloud runtime's real adapters (dynalite,
 * fauxqs, s3rver, a local Lambda endpoint running the Express function
 * behind the real Invoke API): each runs in one invocation and writes
 * nothing to the table, as the cost meter counts.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createApiHandler } from '../../lambda/api';
import { createScheduleHandler } from '../../lambda/schedule';
import { CostMeter } from '../../lib/aws/meter';
import type { LambdaHandler } from '../../lib/local/tasks/handlers-file';
import { EXPRESS_FUNCTION_NAME, startCloud, waitForEnd, type CloudFixture } from '../../harness/fixture';

jest.setTimeout(60_000);

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';
const recorded: unknown[] = [];
const handlers = new Map<string, LambdaHandler>([
  ['Double', async (event) => ({ value: (event as { value: number }).value * 2 })],
  ['Record', async (event) => {
    recorded.push(event);
    return { recorded: true };
  }],
]);
const DEFINITION = {
  StartAt: 'Double',
  States: {
    Double: { Type: 'Task', Resource: `${FN}Double`, Parameters: { 'value.$': '$.n' }, Next: 'Shape' },
    Shape: { Type: 'Pass', Parameters: { 'doubled.$': '$.value' }, Next: 'Record' },
    Record: { Type: 'Task', Resource: `${FN}Record`, ResultPath: null, End: true },
  },
};

const meter = new CostMeter();
let fx: CloudFixture;
beforeAll(async () => {
  fx = await startCloud(handlers, { meter });
});
afterAll(async () => {
  await fx?.stop();
});

/** A JSON-protocol request through the API function, as API Gateway hands it over. */
async function api(action: string, body: object): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const handler = createApiHandler(fx.cloud);
  const r = await handler({ httpMethod: 'POST', path: '/', headers: { 'X-Amz-Target': `AWSStepFunctions.${action}`, 'Content-Type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) });
  return { statusCode: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
}

/** DynamoDB operations the meter saw that consumed write units. */
function tableWrites(): string[] {
  return [...meter.totals].filter(([key, u]) => key.startsWith('dynamodb:') && u.writeUnits > 0).map(([key]) => key);
}

describe('EXPRESS executions on dynalite + fauxqs', () => {
  it('StartSyncExecution through the API function returns the output, invokes each task once and writes nothing to the table', async () => {
    const sm = await fx.cloud.driver.createStateMachine('express-sync', JSON.stringify(DEFINITION), 'arn:aws:iam::123456789012:role/r', { type: 'EXPRESS' });
    recorded.length = 0;
    meter.reset();
    const r = await api('StartSyncExecution', { stateMachineArn: sm.stateMachineArn, input: '{"n":21}' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatchObject({ status: 'SUCCEEDED', output: '{"doubled":42}', input: '{"n":21}' });
    expect(recorded).toEqual([{ doubled: 42 }]);
    expect(tableWrites()).toEqual([]);
    expect(meter.totals.get('lambda:TaskFunctionInvoke')?.requests).toBe(2);
    // Nothing is sent to a queue (the fixture's pollers still receive in the background).
    expect([...meter.totals].filter(([key, u]) => key.startsWith('sqs:Send') && u.requests > 0)).toEqual([]);
  });

  it('StartExecution invokes the Express function asynchronously, which runs it to the end: no queue message, no table writes', async () => {
    const sm = await fx.cloud.driver.createStateMachine('express-async', JSON.stringify(DEFINITION), 'arn:aws:iam::123456789012:role/r', { type: 'EXPRESS' });
    recorded.length = 0;
    meter.reset();
    const before = fx.lambda.calls.get(EXPRESS_FUNCTION_NAME) ?? 0;
    const started = await api('StartExecution', { stateMachineArn: sm.stateMachineArn, input: '{"n":5}' });
    expect(started.body.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:express-async:/);
    await fx.lambda.settled();
    expect(recorded).toEqual([{ doubled: 10 }]);
    expect(fx.lambda.calls.get(EXPRESS_FUNCTION_NAME)).toBe(before + 1);
    expect(tableWrites()).toEqual([]);
    expect(meter.totals.get('lambda:TaskFunctionInvoke')?.requests).toBe(2);
    expect(meter.totals.get('lambda:ExpressInvoke')?.requests).toBe(1);
    expect([...meter.totals].filter(([key, u]) => key.startsWith('sqs:Send') && u.requests > 0)).toEqual([]);
    expect(meter.totals.get('s3:PutObject')).toBeUndefined();
  });

  it('stores a launch larger than an asynchronous invoke carries in the payload bucket, and the run reads it from there', async () => {
    const sm = await fx.cloud.driver.createStateMachine('express-large', JSON.stringify(DEFINITION), 'arn:aws:iam::123456789012:role/r', { type: 'EXPRESS' });
    recorded.length = 0;
    meter.reset();
    const pad = 'x'.repeat(300 * 1024);
    const started = await api('StartExecution', { stateMachineArn: sm.stateMachineArn, input: JSON.stringify({ n: 4, pad }) });
    expect(started.statusCode).toBe(200);
    await fx.lambda.settled();
    expect(recorded).toEqual([{ doubled: 8 }]);
    expect(meter.totals.get('s3:PutObject')?.requests).toBe(1);
    expect(meter.totals.get('s3:GetObject')?.requests).toBe(1);
    expect(meter.totals.get('lambda:ExpressInvoke')?.requests).toBe(1);
    expect(tableWrites()).toEqual([]);
  });

  it('retries an invocation that could not run twice, then hands the event to the on-failure destination', async () => {
    const before = fx.lambda.calls.get(EXPRESS_FUNCTION_NAME) ?? 0;
    fx.expressFailures.length = 0;
    // A launch stored aside whose object is gone: reading it fails on every attempt.
    const event = { $blob: 'express-launches/missing' };
    const out = await fx.cloud.clients.lambda.send(new InvokeCommand({ FunctionName: EXPRESS_FUNCTION_NAME, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
    expect(out.StatusCode).toBe(202);
    await fx.lambda.settled();
    expect(fx.lambda.calls.get(EXPRESS_FUNCTION_NAME)).toBe(before + 3);
    expect(fx.expressFailures).toEqual([{ event, cause: expect.stringContaining('NoSuchKey') }]);
  });

  it('the schedule function starts an Express execution by the same asynchronous invoke, sending no message and writing nothing', async () => {
    const sm = await fx.cloud.driver.createStateMachine('express-scheduled', JSON.stringify(DEFINITION), 'arn:aws:iam::123456789012:role/r', { type: 'EXPRESS' });
    recorded.length = 0;
    meter.reset();
    const before = fx.lambda.calls.get(EXPRESS_FUNCTION_NAME) ?? 0;
    const { executionArn } = await createScheduleHandler(fx.cloud, {})({ stateMachineArn: sm.stateMachineArn, input: { n: 7 }, name: 'tick-1' });
    expect(executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:express-scheduled:tick-1:/);
    await fx.lambda.settled();
    expect(recorded).toEqual([{ doubled: 14 }]);
    expect(fx.lambda.calls.get(EXPRESS_FUNCTION_NAME)).toBe(before + 1);
    expect(meter.totals.get('lambda:ExpressInvoke')?.requests).toBe(1);
    expect(tableWrites()).toEqual([]);
    expect([...meter.totals].filter(([key, u]) => key.startsWith('sqs:Send') && u.requests > 0)).toEqual([]);
  });

  it('a STANDARD parent\'s .sync:2 task launches its EXPRESS child on the Express function once, and the child\'s end completes the parent', async () => {
    const child = await fx.cloud.driver.createStateMachine('express-child', JSON.stringify(DEFINITION), 'arn:aws:iam::123456789012:role/r', { type: 'EXPRESS' });
    const parent = await fx.cloud.driver.createStateMachine(
      'express-parent',
      JSON.stringify({
        StartAt: 'Nested',
        States: { Nested: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child.stateMachineArn, Name: 'nested-1', 'Input.$': '$' }, ResultSelector: { 'output.$': '$.Output', 'status.$': '$.Status', 'arn.$': '$.ExecutionArn' }, End: true } },
      }),
      'arn:aws:iam::123456789012:role/r',
    );
    recorded.length = 0;
    const before = fx.lambda.calls.get(EXPRESS_FUNCTION_NAME) ?? 0;
    const { executionArn } = await fx.cloud.driver.startExecution(parent.stateMachineArn, { input: { n: 3 } });
    const done = await waitForEnd(fx.observer, executionArn);
    await fx.lambda.settled();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ output: { doubled: 6 }, status: 'SUCCEEDED', arn: expect.stringMatching(/^arn:aws:states:us-east-1:123456789012:express:express-child:nested-1:/) });
    expect(recorded).toEqual([{ doubled: 6 }]);
    expect(fx.lambda.calls.get(EXPRESS_FUNCTION_NAME)).toBe(before + 1);
    expect((await fx.observer.driver.getExecutionHistory(executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  it("answers DescribeExecution and GetExecutionHistory of an Express execution with the service's InvalidArn", async () => {
    const sm = await fx.cloud.driver.createStateMachine('express-describe', JSON.stringify(DEFINITION), 'arn:aws:iam::123456789012:role/r', { type: 'EXPRESS' });
    const run = await api('StartSyncExecution', { stateMachineArn: sm.stateMachineArn, input: '{"n":1}' });
    const invalid = { statusCode: 400, body: { __type: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: express'" } };
    expect(await api('DescribeExecution', { executionArn: run.body.executionArn })).toEqual(invalid);
    expect(await api('GetExecutionHistory', { executionArn: run.body.executionArn })).toEqual(invalid);
  });
});
