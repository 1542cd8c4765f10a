/**
 * TimeoutSeconds and HeartbeatSeconds end a task attempt in the cloud driver
 * exactly as in-process, for every kind of task (DESIGN.md invariant 6): the
 * attempt's timers go out before it is invoked, a synchronous invocation is
 * not awaited past its deadline, and a result later than the timer is stale
 * and ignored.
 */
import type { TaskOutcome, TaskRunner } from '../../lib/engine/ports/task-runner';
import { LocalRuntime } from '../../lib/local/runtime';
import { setup } from './memory-cloud';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Slow';
const ROLE = 'arn:aws:iam::123456789012:role/switchyard-local'; // LocalRuntime's, so the histories match to the byte

/** A task that never ends by itself: it answers only once its attempt is aborted (a result too late to count). */
const untilAborted: TaskRunner = {
  run: (_invocation, signal) =>
    new Promise<TaskOutcome>((resolve) => {
      const late = () => resolve({ kind: 'succeeded', output: { late: true } });
      if (signal.aborted) late();
      else signal.addEventListener('abort', late);
    }),
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A history without what differs between runs and drivers by design (timestamps). */
function normal(history: readonly object[]): object[] {
  return history.map(({ timestamp: _t, ...rest }: { timestamp?: unknown }) => rest);
}

/** In-process, on a clock a thousand times fast (the virtual clock does not jump while a task runs). */
async function inProcess(definition: object, tasks: TaskRunner) {
  const runtime = new LocalRuntime({ taskRunner: tasks, timeScale: 0.001 });
  const r = await runtime.startExecution(definition, { input: { n: 1 }, name: 'e', stateMachineName: 'm' }).result;
  return { status: r.status, error: r.error, cause: r.cause, history: normal(r.history) };
}

type Cloud = ReturnType<typeof setup>;

async function start(c: Cloud, definition: object) {
  const sm = await c.driver.putStateMachine('m', JSON.stringify(definition), ROLE);
  return c.driver.startExecution(sm.stateMachineArn, { name: 'e', input: { n: 1 } });
}

async function described(c: Cloud, executionArn: string) {
  const d = await c.driver.describeExecution(executionArn);
  return { status: d.status, error: d.error, cause: d.cause, history: normal(await c.driver.getExecutionHistory(executionArn)) };
}

const types = (history: readonly object[]) => history.map((e) => (e as { type: string }).type);

/** A signal that aborts at once, noting the deadline it was asked for. */
function immediateDeadline(asked: number[]) {
  return (ms: number) => {
    asked.push(ms);
    return AbortSignal.abort();
  };
}

describe('task timeouts in the cloud driver', () => {
  const timed = { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, TimeoutSeconds: 1, End: true } } };
  const timedOutTypes = ['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionTimedOut', 'ExecutionFailed'];

  it('times a synchronous Lambda task out at its TimeoutSeconds, with the in-process history, and ignores its late result', async () => {
    // Arrange: the invocation outlives its timeout, and is not abandoned at its deadline.
    const started = deferred<void>();
    const late = deferred<TaskOutcome>();
    const c = setup({ tasks: { run: () => (started.resolve(), late.promise) }, taskDeadline: () => new AbortController().signal });
    const { executionArn, startDate } = await start(c, timed);

    // Act: one worker waits in the invocation while another takes the timer; then the result comes.
    const invoking = c.drain();
    await started.promise;
    await c.drain();
    const timedOut = await described(c, executionArn);
    late.resolve({ kind: 'succeeded', output: { late: true } });
    await invoking;

    // Assert
    expect(timedOut).toEqual(await inProcess(timed, untilAborted));
    expect(types(timedOut.history)).toEqual(timedOutTypes);
    expect(timedOut).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect((await c.driver.describeExecution(executionArn)).stopDate! - startDate).toBe(1000);
    expect(await described(c, executionArn)).toEqual(timedOut); // the late result changed nothing
  });

  it('stops waiting for a synchronous invocation at its deadline and leaves the attempt to its timer', async () => {
    const asked: number[] = [];
    let aborted: boolean | undefined;
    const c = setup({ tasks: { run: async (_i, signal) => ((aborted = signal.aborted), { kind: 'succeeded', output: { late: true } }) }, taskDeadline: immediateDeadline(asked) });
    const { executionArn } = await start(c, timed);
    await c.drain();
    expect(asked).toEqual([1000]);
    expect(aborted).toBe(true);
    const cloud = await described(c, executionArn);
    expect(cloud).toEqual(await inProcess(timed, untilAborted));
    expect(types(cloud.history)).toEqual(timedOutTypes);
  });

  it('takes the deadline of a synchronous task from its TimeoutSecondsPath', async () => {
    const definition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, TimeoutSecondsPath: '$.n', End: true } } };
    const asked: number[] = [];
    const c = setup({ tasks: untilAborted, taskDeadline: immediateDeadline(asked) });
    const { executionArn } = await start(c, definition);
    await c.drain();
    expect(asked).toEqual([1000]);
    expect(await described(c, executionArn)).toEqual(await inProcess(definition, untilAborted));
  });

  it('times a synchronous Lambda task out at its HeartbeatSeconds when that is sooner (no heartbeat can come without a token)', async () => {
    const definition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, TimeoutSeconds: 5, HeartbeatSeconds: 2, End: true } } };
    const asked: number[] = [];
    const c = setup({ tasks: untilAborted, taskDeadline: immediateDeadline(asked) });
    const { executionArn, startDate } = await start(c, definition);
    await c.drain();
    expect(asked).toEqual([2000]);
    const cloud = await described(c, executionArn);
    expect(cloud).toEqual(await inProcess(definition, untilAborted));
    expect(cloud).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect((await c.driver.describeExecution(executionArn)).stopDate! - startDate).toBe(2000);
  });

  it('times a callback task out at its HeartbeatSeconds, with the in-process history', async () => {
    const definition = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'Notify', Payload: { 'token.$': '$$.Task.Token' } }, HeartbeatSeconds: 3, End: true } },
    };
    const waits: TaskRunner = { run: async () => ({ kind: 'pending' }) };
    const c = setup({ tasks: waits });
    const { executionArn, startDate } = await start(c, definition);
    await c.drain();
    const cloud = await described(c, executionArn);
    const local = await inProcess(definition, waits);
    // The task token is drawn per runtime: the rest of the history is the same.
    const untokened = (h: object[]) => JSON.parse(JSON.stringify(h).replace(/"token\\":\\"[^\\]*\\"/g, '"token\\":\\"T\\"')) as object[];
    expect({ ...cloud, history: untokened(cloud.history) }).toEqual({ ...local, history: untokened(local.history) });
    expect(types(cloud.history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskTimedOut', 'ExecutionFailed']);
    expect(cloud).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect((await c.driver.describeExecution(executionArn)).stopDate! - startDate).toBe(3000);
  });

  it('ends an attempt whose handler died at its TimeoutSeconds, not after the lost-worker bound, without invoking it again', async () => {
    // Arrange: the handler dies in the invocation (a runner that throws); the queue redelivers its message
    // (visibility 30 s) before the 60-second timeout is due.
    const definition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, TimeoutSeconds: 60, End: true } } };
    let runs = 0;
    const c = setup({
      tasks: {
        run: async () => {
          runs++;
          throw new Error('the container died');
        },
      },
      lostTaskAfterMs: 16 * 60_000,
    });
    const { executionArn, startDate } = await start(c, definition);

    // Act
    await c.drain();

    // Assert
    expect(runs).toBe(1);
    expect((await c.driver.describeExecution(executionArn)).stopDate! - startDate).toBe(60_000);
    const cloud = await described(c, executionArn);
    expect(cloud).toEqual(await inProcess(definition, untilAborted));
    expect(cloud).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });
});
