/** Tasks handed to the task invoker: the invoker applies each outcome itself, and what it writes per task. */
import type { TaskRequest } from '../../lib/service/ports';
import { LOST_WORKER_CAUSE } from '../../lib/service/task-attempts';
import { setup } from './memory-cloud';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';
const TWO_TASKS = { StartAt: 'A', States: { A: { Type: 'Task', Resource: `${FN}a`, Next: 'B' }, B: { Type: 'Task', Resource: `${FN}b`, End: true } } };

function withInvoker() {
  const requests: TaskRequest[] = [];
  const cloud = setup({ taskRequests: { request: async (r) => void requests.push(...r) } });
  const writes = { markOutboxDone: 0, recordTaskResult: 0, claimTask: 0 };
  for (const name of Object.keys(writes) as (keyof typeof writes)[]) {
    const original = cloud.store[name].bind(cloud.store) as (...args: unknown[]) => Promise<unknown>;
    (cloud.store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => (writes[name]++, original(...args));
  }
  /** Drains the transition queue and hands every request to the invoker, until neither has anything left. */
  const run = async (invoke = (r: TaskRequest) => cloud.driver.invokeTask(r)) => {
    for (let i = 0; i < 100; i++) {
      await cloud.drain();
      const next = requests.shift();
      if (!next) return;
      await invoke(next);
    }
  };
  return { ...cloud, requests, writes, run };
}

describe('tasks through the task invoker', () => {
  it("runs a frame's next task itself: one claim write for the first task, none for the chained one, no outcome record, no outbox mark, no message", async () => {
    const { driver, queue, requests, writes, run } = withInvoker();
    const sent = jest.spyOn(queue, 'send');
    const requested: string[] = [];
    const sm = await driver.putStateMachine('two', JSON.stringify(TWO_TASKS));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: { n: 1 } });
    await run((r) => (requested.push(r.effect.invocation.resource), driver.invokeTask(r)));
    expect(await driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { ok: true } });
    expect(writes).toEqual({ markOutboxDone: 0, recordTaskResult: 0, claimTask: 1 });
    expect(requested).toEqual([`${FN}a`]);
    expect(requests).toEqual([]);
    // Only the start's Enter went through the transition queue.
    expect(sent.mock.calls.flatMap(([out]) => out.map((o) => o.envelope.message.type))).toEqual(['Enter']);
    const history = await driver.getExecutionHistory(executionArn);
    expect(history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited',
      'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('sends the next task as a request when the invocation has no time left for it (its deadline and the margin past the end)', async () => {
    const { driver, requests, writes, run } = withInvoker();
    const requested: string[] = [];
    const sm = await driver.putStateMachine('two', JSON.stringify(TWO_TASKS));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: { n: 1 } });
    // Ten minutes for an untimed task and one of margin: an invocation with ten minutes left (on the test's clock) chains nothing.
    await run((r) => (requested.push(r.effect.invocation.resource), driver.invokeTask(r, Date.UTC(2026, 10, 1) + 600_000)));
    expect(await driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(requested).toEqual([`${FN}a`, `${FN}b`]);
    expect(requests).toEqual([]);
    expect(writes.claimTask).toBe(2);
  });

  it('stops a chain at StopExecution: the running task ends, its outcome loses to the Stop, and the next task is never invoked', async () => {
    const requests: TaskRequest[] = [];
    const ran: string[] = [];
    let stop: (() => Promise<unknown>) | undefined;
    const cloud = setup({
      tasks: {
        run: async (invocation) => {
          ran.push(invocation.resource);
          await stop?.(); // StopExecution while A runs
          return { kind: 'succeeded', output: { ok: true } };
        },
      },
      taskRequests: { request: async (r) => void requests.push(...r) },
    });
    const sm = await cloud.driver.putStateMachine('two', JSON.stringify(TWO_TASKS));
    const { executionArn } = await cloud.driver.startExecution(sm.stateMachineArn, { input: { n: 1 } });
    stop = () => cloud.driver.stopExecution(executionArn);
    await cloud.drain();
    expect(await cloud.driver.invokeTask(requests.shift()!)).toBe(1);
    await cloud.drain();
    expect(ran).toEqual([`${FN}a`]);
    expect(requests).toEqual([]);
    expect(await cloud.driver.describeExecution(executionArn)).toMatchObject({ status: 'ABORTED' });
    expect((await cloud.driver.getExecutionHistory(executionArn)).map((e) => e.type).slice(-1)).toEqual(['ExecutionAborted']);
  });

  it('never invokes a chained task again when its invoker died in it: the redelivered request carries its version out, and past lostTaskAfterMs the attempt fails as a lost worker', async () => {
    const requests: TaskRequest[] = [];
    const ran: string[] = [];
    let dies = true;
    const cloud = setup({
      lostTaskAfterMs: 60_000,
      tasks: {
        run: async (invocation) => {
          ran.push(invocation.resource);
          // The invoker dies while B runs: B's outcome is never applied.
          if (dies && invocation.resource === `${FN}b`) throw new Error('the invoker died');
          return { kind: 'succeeded', output: { ok: true } };
        },
      },
      taskRequests: { request: async (r) => void requests.push(...r) },
    });
    const sm = await cloud.driver.putStateMachine('two', JSON.stringify(TWO_TASKS));
    const { executionArn } = await cloud.driver.startExecution(sm.stateMachineArn, { input: { n: 1 } });
    await cloud.drain();
    const a = requests.shift()!;
    await expect(cloud.driver.invokeTask(a)).rejects.toThrow('the invoker died');
    dies = false;
    // Redelivered: A is claimed with no outcome recorded and its frame moved on; B was claimed by that commit.
    await expect(cloud.driver.invokeTask(a)).rejects.toThrow(/may still be running/);
    cloud.advance(60_000);
    await cloud.driver.invokeTask(a);
    await cloud.drain();
    expect(requests).toEqual([]);
    expect(ran).toEqual([`${FN}a`, `${FN}b`]);
    expect(await cloud.driver.describeExecution(executionArn)).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed', cause: LOST_WORKER_CAUSE });
  });

  it('sends a chained task\'s outcome it could not apply round the transition queue, kept with a claim item first', async () => {
    const requests: TaskRequest[] = [];
    const cloud = setup({ taskRequests: { request: async (r) => void requests.push(...r) } });
    const sm = await cloud.driver.putStateMachine('two', JSON.stringify(TWO_TASKS));
    const { executionArn } = await cloud.driver.startExecution(sm.stateMachineArn, { input: { n: 1 } });
    await cloud.drain();
    // B's outcome loses its commit (contended): it is recorded and sent.
    const put = cloud.store.putFrameVersion.bind(cloud.store);
    let puts = 0;
    jest.spyOn(cloud.store, 'putFrameVersion').mockImplementation(async (arn, v) => (++puts >= 2 ? false : put(arn, v)));
    await cloud.driver.invokeTask(requests.shift()!);
    expect(await cloud.store.getTaskClaim(executionArn, 'root#1#0')).toMatchObject({ result: { type: 'TaskSucceeded', frameId: 'root', entry: 1, attempt: 0 } });
    jest.restoreAllMocks();
    await cloud.drain();
    expect(await cloud.driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
  });
});
