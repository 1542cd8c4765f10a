/** Tasks handed to the task invoker: the invoker applies each outcome itself, and what it writes per task. */
import type { TaskRequest } from '../../lib/service/ports';
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
  it('runs each task with one claim write and no outcome record, no outbox mark and no message for its outcome', async () => {
    const { driver, queue, writes, run } = withInvoker();
    const sent = jest.spyOn(queue, 'send');
    const sm = await driver.putStateMachine('two', JSON.stringify(TWO_TASKS));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: { n: 1 } });
    await run();
    expect(await driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { ok: true } });
    expect(writes).toEqual({ markOutboxDone: 0, recordTaskResult: 0, claimTask: 2 });
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

  it('carries out the version an invoker committed and died after, when its request comes again, without invoking the task again', async () => {
    const requests: TaskRequest[] = [];
    let failSend = true;
    const cloud = setup({
      tasks: { run: async (invocation) => (ran.push(invocation.resource), { kind: 'succeeded', output: { ok: true } }) },
      taskRequests: {
        request: async (r) => {
          // The invoker dies as it sends B's request (after its commit of A's outcome): nothing more of it runs.
          if (failSend && r[0].effect.invocation.resource === `${FN}b`) throw new Error('the invoker died');
          requests.push(...r);
        },
      },
    });
    const ran: string[] = [];
    jest.spyOn(cloud.store, 'recordTaskResult').mockRejectedValueOnce(new Error('the invoker died'));
    const sm = await cloud.driver.putStateMachine('two', JSON.stringify(TWO_TASKS));
    const { executionArn } = await cloud.driver.startExecution(sm.stateMachineArn, { input: { n: 1 } });
    await cloud.drain();
    const a = requests.shift()!;
    await expect(cloud.driver.invokeTask(a)).rejects.toThrow('the invoker died');
    failSend = false;
    // Redelivered: A is claimed with no outcome recorded, but its frame moved on; B's request goes out now.
    await cloud.driver.invokeTask(a);
    expect(requests.map((r) => r.effect.invocation.resource)).toEqual([`${FN}b`]);
    await cloud.driver.invokeTask(requests.shift()!);
    await cloud.drain();
    expect(await cloud.driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(ran).toEqual([`${FN}a`, `${FN}b`]);
  });
});
