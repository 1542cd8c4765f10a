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

/** A launcher that keeps what it was handed, as Lambda's event queue would, for the test to deliver. */
function keptLaunches() {
  const launches: ExpressLaunch[] = [];
  const launcher: ExpressLauncher = { launch: async (launch) => void launches.push(JSON.parse(JSON.stringify(launch)) as ExpressLaunch) };
  return { launches, launcher };
}

/** A driver with a launcher, and the Express runs' ends as the observer is told of them. */
function launching(options: Parameters<typeof setup>[0] = {}) {
  const { launches, launcher } = keptLaunches();
  const ends: ExecutionRecord[] = [];
  const cloud = setup({ expressLauncher: launcher, observer: { started: () => {}, transitioned: () => {}, finished: (record) => void ends.push(record) }, ...options });
  return { ...cloud, launches, ends };
}

/** A STANDARD parent whose one Task starts `childArn` with `resource`, named `c1`, with the parent's input. */
function parentOf(driver: CloudDriver, name: string, resource: string, childArn: string, task: object = {}) {
  const definition = { StartAt: 'Nested', States: { Nested: { Type: 'Task', Resource: resource, Parameters: { StateMachineArn: childArn, Name: 'c1', 'Input.$': '$' }, End: true, ...task } } };
  return driver.createStateMachine(name, JSON.stringify(definition), ROLE);
}

describe('EXPRESS starts by EventBridge and by a STANDARD parent: the launcher, as the API starts them', () => {
  it('the schedule function hands an Express start to the launcher once and runs nothing itself: no message, no run in its own 30 seconds', async () => {
    const { driver, queue, launches, ends } = launching();
    const sm = await express(driver, 'ticks', ADD);
    const handler = createScheduleHandler({ driver } as unknown as Cloud, {});
    const { executionArn } = await handler({ stateMachineArn: sm.stateMachineArn, input: { a: 20, b: 22 }, name: 'e3f1a7c2' });
    expect(executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:ticks:e3f1a7c2:[0-9a-f-]{36}$/);
    expect(queue.size).toBe(0);
    expect(ends).toEqual([]);
    expect(launches).toEqual([{ v: 1, express: expect.objectContaining({ status: 'RUNNING', info: expect.objectContaining({ executionArn, name: 'e3f1a7c2', input: { a: 20, b: 22 } }) }) }]);
    expect(launches[0]!.express.parent).toBeUndefined();
    const ended = await driver.runExpress(launches[0]!);
    expect([ended.status, ended.output]).toEqual(['SUCCEEDED', { sum: 42 }]);
  });

  it('the schedule function of a cloud without an Express function sends the start as one message (serve), which runs it', async () => {
    const { driver, queue, drain, told } = observed();
    const sm = await express(driver, 'ticks', ADD);
    const handler = createScheduleHandler({ driver } as unknown as Cloud, {});
    const { executionArn } = await handler({ stateMachineArn: sm.stateMachineArn, input: { a: 1, b: 2 }, name: 'tick-2' });
    expect(queue.size).toBe(1);
    await drain();
    expect(told.filter((t) => t.kind === 'finished').map((t) => [t.record.info.executionArn, t.record.status, t.record.output])).toEqual([[executionArn, 'SUCCEEDED', { sum: 3 }]]);
  });

  it('a .sync:2 task of a STANDARD parent launches its EXPRESS child once (no message for it) and ends with its DescribeExecution, output as JSON', async () => {
    const { driver, launches, ends, drain } = launching();
    const child = await express(driver, 'adder', ADD);
    const parent = await parentOf(driver, 'parent', 'arn:aws:states:::states:startExecution.sync:2', child.stateMachineArn);
    const { executionArn } = await driver.startExecution(parent.stateMachineArn, { name: 'p1', input: { a: 2, b: 5 } });
    await drain();
    expect(launches).toHaveLength(1);
    const launch = launches[0]!;
    const childArn = launch.express.info.executionArn;
    expect(childArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:adder:c1:[0-9a-f-]{36}$/);
    expect(launch.express.parent).toEqual({ executionArn, taskToken: expect.any(String), pattern: 'SYNC:2' });
    expect((await driver.describeExecution(executionArn)).status).toBe('RUNNING');
    // The Express function runs the launch; the child's end completes the parent through the queue.
    await driver.runExpress(launch);
    await drain();
    const [end] = ends.filter((r) => r.info.executionArn === childArn);
    const described = {
      ExecutionArn: childArn,
      Input: { a: 2, b: 5 },
      InputDetails: { Included: true },
      Name: 'c1',
      Output: { sum: 7 },
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      StartDate: launch.express.info.startTime,
      StateMachineArn: child.stateMachineArn,
      Status: 'SUCCEEDED',
      StopDate: end!.stopDate!,
    };
    const record = await driver.describeExecution(executionArn);
    expect([record.status, record.output]).toEqual(['SUCCEEDED', described]);
    const history = await driver.getExecutionHistory(executionArn);
    expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(history[5]!.taskSucceededEventDetails).toMatchObject({ output: JSON.stringify(described), outputDetails: { truncated: false } });
    expect(launches).toHaveLength(1);
  });

  it('a launch delivered twice (at least once) runs the child twice and completes its .sync parent once, with the first end', async () => {
    const { driver, launches, drain } = launching();
    const child = await express(driver, 'adder', ADD);
    const parent = await parentOf(driver, 'parent', 'arn:aws:states:::states:startExecution.sync', child.stateMachineArn, { ResultSelector: { 'out.$': '$.Output' } });
    const { executionArn } = await driver.startExecution(parent.stateMachineArn, { input: { a: 1, b: 1 } });
    await drain();
    const runs = [await driver.runExpress(launches[0]!), await driver.runExpress(launches[0]!)];
    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    await drain();
    // `.sync`: the child's output is JSON text.
    expect(await driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { out: '{"sum":2}' } });
    expect((await driver.getExecutionHistory(executionArn)).filter((e) => e.type === 'TaskSucceeded')).toHaveLength(1);
    expect(launches).toHaveLength(1);
  });

  it('an EXPRESS child that fails or reaches the five-minute limit fails its .sync task with States.TaskFailed and its description as the cause', async () => {
    const { driver, launches, drain } = launching({ expressMaxDurationMs: 30 });
    const fails = await express(driver, 'fails', { StartAt: 'No', States: { No: { Type: 'Fail', Error: 'Nope', Cause: 'not today' } } });
    const long = await express(driver, 'long', { StartAt: 'Long', States: { Long: { Type: 'Wait', Seconds: 600, End: true } } });
    const causes: Record<string, unknown>[] = [];
    for (const child of [fails, long]) {
      const parent = await parentOf(driver, `parent-${child.name}`, 'arn:aws:states:::states:startExecution.sync:2', child.stateMachineArn);
      const { executionArn } = await driver.startExecution(parent.stateMachineArn, { input: {} });
      await drain();
      const launch = launches.at(-1)!;
      await driver.runExpress(launch);
      await drain();
      const record = await driver.describeExecution(executionArn);
      expect([record.status, record.error]).toEqual(['FAILED', 'States.TaskFailed']);
      causes.push(JSON.parse(record.cause!) as Record<string, unknown>);
      expect(causes.at(-1)).toMatchObject({ ExecutionArn: launch.express.info.executionArn, Input: {}, Name: 'c1', RedriveCount: 0, RedriveStatus: 'REDRIVABLE', StartDate: launch.express.info.startTime, StateMachineArn: child.stateMachineArn });
    }
    expect(causes.map((c) => [c.Status, c.Error, c.Cause])).toEqual([
      ['FAILED', 'Nope', 'not today'],
      ['TIMED_OUT', 'States.Timeout', undefined],
    ]);
    expect(launches).toHaveLength(2);
  });

  it('a request-response start of an EXPRESS child launches it once and succeeds at once with its ARN', async () => {
    const { driver, launches, drain } = launching();
    const child = await express(driver, 'adder', ADD);
    const parent = await parentOf(driver, 'parent', 'arn:aws:states:::states:startExecution', child.stateMachineArn, { ResultSelector: { 'arn.$': '$.ExecutionArn' } });
    const { executionArn } = await driver.startExecution(parent.stateMachineArn, { input: { a: 0, b: 0 } });
    await drain();
    expect(launches).toHaveLength(1);
    expect(launches[0]!.express.parent).toBeUndefined();
    expect(await driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { arn: launches[0]!.express.info.executionArn } });
  });

  it('a .sync task that times out before its EXPRESS child ends leaves the child running (it cannot be stopped) and refuses its late end', async () => {
    const { driver, launches, drain, queue } = launching();
    const child = await express(driver, 'adder', ADD);
    const parent = await parentOf(driver, 'parent', 'arn:aws:states:::states:startExecution.sync:2', child.stateMachineArn, { TimeoutSeconds: 5 });
    const { executionArn } = await driver.startExecution(parent.stateMachineArn, { input: { a: 1, b: 2 } });
    await drain();
    const record = await driver.describeExecution(executionArn);
    expect([record.status, record.error]).toEqual(['FAILED', 'States.Timeout']);
    expect(queue.deadLetters).toEqual([]);
    const late = await driver.runExpress(launches[0]!);
    expect(late.status).toBe('SUCCEEDED');
    await drain();
    expect((await driver.getExecutionHistory(executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskTimedOut', 'ExecutionFailed']);
  });

  it('without a launcher (serve) a .sync parent\'s EXPRESS child goes as one message and its end completes the parent', async () => {
    const { driver, drain } = setup();
    const child = await express(driver, 'adder', ADD);
    const parent = await parentOf(driver, 'parent', 'arn:aws:states:::states:startExecution.sync:2', child.stateMachineArn, { ResultSelector: { 'out.$': '$.Output' } });
    const { executionArn } = await driver.startExecution(parent.stateMachineArn, { input: { a: 3, b: 4 } });
    await drain();
    expect(await driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { out: { sum: 7 } } });
  });
});
