/** EXPRESS executions on the in-memory ports: run in one go, kept only in memory, logged through the observer. */
import { createScheduleHandler } from '../../lambda/schedule';
import type { Cloud } from '../../lib/aws/environment';
import type { EventDraft } from '../../lib/engine/events';
import { routeRequest } from '../../lib/service/api';
import type { CloudDriver } from '../../lib/service/driver';
import type { ExecutionRecord, ExpressLaunch, ExpressLauncher, LoggingConfiguration } from '../../lib/service/ports';
import { setup } from './memory-cloud';

const ROLE = 'arn:aws:iam::123456789012:role/r';
const LOGGING: LoggingConfiguration = { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:express:*' } }] };
const ADD = { StartAt: 'Add', States: { Add: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, Next: 'Done' }, Done: { Type: 'Succeed' } } };

/** Calls the JSON protocol as the SDK would; returns the status and the parsed body. */
async function call(driver: CloudDriver, action: string, body: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await routeRequest(driver, { method: 'POST', path: '/', headers: { 'x-amz-target': `AWSStepFunctions.${action}` }, body: JSON.stringify(body) });
  return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
}

/** Creates an EXPRESS state machine. */
function express(driver: CloudDriver, name: string, definition: object, logging?: LoggingConfiguration) {
  return driver.createStateMachine(name, JSON.stringify(definition), ROLE, { type: 'EXPRESS', ...(logging ? { loggingConfiguration: logging } : {}) });
}

/** A driver whose observer records what it is told. */
function observed() {
  const told: { kind: string; record: ExecutionRecord; events?: string[] }[] = [];
  const cloud = setup({
    observer: {
      started: (record) => void told.push({ kind: 'started', record }),
      transitioned: (record, events: readonly EventDraft[]) => void told.push({ kind: 'transitioned', record, events: events.map((e) => e.type) }),
      finished: (record) => void told.push({ kind: 'finished', record }),
    },
  });
  return { ...cloud, told };
}

describe('EXPRESS executions', () => {
  it('StartSyncExecution answers with the output and stores nothing: no execution record, no frame versions', async () => {
    const { driver, store } = setup();
    const sm = await express(driver, 'adder', ADD);
    const r = await call(driver, 'StartSyncExecution', { stateMachineArn: sm.stateMachineArn, name: 'one', input: '{"a":2,"b":3}' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'SUCCEEDED', name: 'one', output: '{"sum":5}', input: '{"a":2,"b":3}', stateMachineArn: sm.stateMachineArn, billingDetails: { billedMemoryUsedInMB: 64 } });
    const executionArn = r.body.executionArn as string;
    expect(executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:adder:one:[0-9a-f-]{36}$/);
    expect(await store.getExecution(executionArn)).toBeUndefined();
    expect(await store.allFrameVersions(executionArn)).toEqual([]);
  });

  it('StartSyncExecution of a failing machine answers FAILED with the error and cause', async () => {
    const { driver } = setup();
    const definition = { StartAt: 'No', States: { No: { Type: 'Fail', Error: 'Nope', Cause: 'not today' } } };
    const sm = await express(driver, 'fails', definition);
    const r = await call(driver, 'StartSyncExecution', { stateMachineArn: sm.stateMachineArn });
    expect(r.body).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'not today' });
    expect(r.body.output).toBeUndefined();
  });

  it('times an execution out at the Express limit with States.Timeout', async () => {
    const { driver } = setup({ expressMaxDurationMs: 30 });
    const definition = { StartAt: 'Long', States: { Long: { Type: 'Wait', Seconds: 600, End: true } } };
    const sm = await express(driver, 'long', definition);
    const r = await call(driver, 'StartSyncExecution', { stateMachineArn: sm.stateMachineArn });
    expect(r.body).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('gives the history to the observer (the execution log) when the state machine logs, and only then', async () => {
    const { driver, told } = observed();
    const logged = await express(driver, 'logged', ADD, LOGGING);
    const silent = await express(driver, 'silent', ADD);
    await driver.startSyncExecution(logged.stateMachineArn, { input: { a: 1, b: 1 } });
    expect(told.map((t) => [t.kind, t.events])).toEqual([
      ['started', undefined],
      ['transitioned', ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']],
      ['finished', undefined],
    ]);
    expect(told[2].record).toMatchObject({ status: 'SUCCEEDED', output: { sum: 2 } });
    told.length = 0;
    await driver.startSyncExecution(silent.stateMachineArn, { input: { a: 1, b: 1 } });
    expect(told.map((t) => t.kind)).toEqual(['started', 'finished']);
  });

  it('StartExecution without a launcher sends one message that runs the execution to its end, and runs it again if redelivered (at least once)', async () => {
    const { driver, queue, drain, told } = observed();
    const sm = await express(driver, 'async', ADD);
    const started = await call(driver, 'StartExecution', { stateMachineArn: sm.stateMachineArn, name: 'later', input: '{"a":4,"b":5}' });
    expect(started.body.executionArn).toMatch(/:express:async:later:/);
    const [message] = queue.receive(10);
    queue.enqueue(message.body, 0);
    queue.enqueue(message.body, 0);
    queue.delete(message.id);
    await drain();
    const ends = told.filter((t) => t.kind === 'finished').map((t) => [t.record.info.executionArn, t.record.status, t.record.output]);
    expect(ends).toEqual([
      [started.body.executionArn, 'SUCCEEDED', { sum: 9 }],
      [started.body.executionArn, 'SUCCEEDED', { sum: 9 }],
    ]);
  });

  it('StartExecution with a launcher hands it the unstored execution and sends no message; the Express function runs each delivery to its end (at least once)', async () => {
    const launches: ExpressLaunch[] = [];
    const launcher: ExpressLauncher = { launch: async (launch) => void launches.push(launch) };
    const told: { record: ExecutionRecord }[] = [];
    const { driver, queue, store } = setup({ expressLauncher: launcher, observer: { started: () => {}, transitioned: () => {}, finished: (record) => void told.push({ record }) } });
    const sm = await express(driver, 'launched', ADD);
    const started = await call(driver, 'StartExecution', { stateMachineArn: sm.stateMachineArn, name: 'soon', input: '{"a":1,"b":2}' });
    expect(queue.size).toBe(0);
    expect(told).toEqual([]);
    expect(launches).toEqual([{ v: 1, express: expect.objectContaining({ status: 'RUNNING', revisionId: sm.revisionId, info: expect.objectContaining({ executionArn: started.body.executionArn, name: 'soon', input: { a: 1, b: 2 } }) }) }]);
    // The launch crosses Lambda as JSON; a retried invocation delivers it again and the execution runs again.
    const delivered = JSON.parse(JSON.stringify(launches[0])) as ExpressLaunch;
    const runs = [await driver.runExpress(delivered), await driver.runExpress(delivered)];
    expect(runs.map((r) => [r.info.executionArn, r.status, r.output])).toEqual([
      [started.body.executionArn, 'SUCCEEDED', { sum: 3 }],
      [started.body.executionArn, 'SUCCEEDED', { sum: 3 }],
    ]);
    expect(told.map((t) => t.record.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(await store.getExecution(started.body.executionArn as string)).toBeUndefined();
  });

  it('the schedule function runs an Express execution in its own invocation, sending no message', async () => {
    const { driver, queue, told } = observed();
    const sm = await express(driver, 'ticks', ADD);
    const handler = createScheduleHandler({ driver } as unknown as Cloud, {});
    const { executionArn } = await handler({ stateMachineArn: sm.stateMachineArn, input: { a: 20, b: 22 }, name: 'e3f1a7c2' });
    expect(executionArn).toMatch(/:express:ticks:e3f1a7c2:/);
    expect(queue.size).toBe(0);
    expect(told.filter((t) => t.kind === 'finished').map((t) => [t.record.status, t.record.output])).toEqual([['SUCCEEDED', { sum: 42 }]]);
  });

  it("refuses an Express execution's ARN in DescribeExecution, GetExecutionHistory and StopExecution, and ListExecutions of an Express machine, with the service's errors", async () => {
    const { driver } = setup();
    const sm = await express(driver, 'adder', ADD);
    const { executionArn } = await driver.startSyncExecution(sm.stateMachineArn, {}).then((r) => r.info);
    const invalid = { __type: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: express'" };
    for (const action of ['DescribeExecution', 'GetExecutionHistory', 'StopExecution']) {
      expect(await call(driver, action, { executionArn })).toEqual({ status: 400, body: invalid });
    }
    expect(await call(driver, 'ListExecutions', { stateMachineArn: sm.stateMachineArn })).toEqual({
      status: 400,
      body: { __type: 'StateMachineTypeNotSupported', message: 'This operation is not supported by this type of state machine' },
    });
  });
});
