import { CloudDriver, messageKey, missingRevisionCause } from '../../lib/service/driver';
import { setup } from './memory-cloud';
import { createScheduleHandler } from '../../lambda/schedule';
import type { Cloud } from '../../lib/aws/environment';

describe('CloudDriver', () => {
  it('chains a wait longer than the queue allows and records when it ended', async () => {
    const { driver, drain } = setup();
    const sm = await driver.putStateMachine('w', JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 2000, End: true } } }));
    const { executionArn, startDate } = await driver.startExecution(sm.stateMachineArn, { input: { a: 1 } });
    await drain();
    const done = await driver.describeExecution(executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { a: 1 } });
    expect(done.stopDate! - startDate).toBeGreaterThanOrEqual(2_000_000);
    expect(done.stopDate! - startDate).toBeLessThan(2_005_000);
  });

  it('fails an execution whose definition revision was deleted, with a cause naming it', async () => {
    const { driver, store, queue } = setup();
    const sm = await driver.putStateMachine('gone', JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, {});
    store.deleteDefinition(sm.stateMachineArn, sm.revisionId);
    // A cold container (nothing cached) takes the first transition.
    const cold = new CloudDriver({ store, queue, tasks: { run: async () => ({ kind: 'pending' }) } });
    await cold.process({ v: 1, executionArn, message: { type: 'Enter', frameId: 'root', entry: 0 }, lc: 1 });
    const failed = await cold.describeExecution(executionArn);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(failed.cause).toBe(`The definition revision '${sm.revisionId}' of the state machine '${sm.stateMachineArn}' that this execution runs was deleted.`);
    expect(failed.cause).toBe(missingRevisionCause(failed));
  });

  it('gives redeliveries of one logical message the same key', () => {
    expect(messageKey({ type: 'Timer', frameId: 'root/0.0.1', entry: 3, timer: 'Retry' })).toBe('Timer|root/0.0.1|3||Retry||||');
    expect(messageKey({ type: 'Redrive', frameId: 'root', redriveCount: 2 })).toBe('Redrive|root|||||||2');
    expect(messageKey({ type: 'ChildCompleted', frameId: 'root', entry: 1, run: 0, index: 7, status: 'SUCCEEDED' })).toBe('ChildCompleted|root|1|||0|7||');
    const completed = (index: number) => ({ type: 'ChildCompleted' as const, frameId: 'root', entry: 1, run: 0, index, status: 'SUCCEEDED' as const });
    expect(messageKey({ type: 'ChildrenCompleted', frameId: 'root', entry: 1, completions: [completed(7), completed(8)] })).toBe('ChildrenCompleted|root|1|||||||0.7,0.8');
  });

  it('stores large state once and reads it back into history', async () => {
    const { driver, drain } = setup();
    const big = { text: 'y'.repeat(10_000) };
    const sm = await driver.putStateMachine('big', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } }));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: big });
    await drain();
    expect((await driver.describeExecution(executionArn)).output).toEqual(big);
    const history = await driver.getExecutionHistory(executionArn);
    expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    for (const e of history) {
      const details = Object.values(e).find((v) => v && typeof v === 'object') as { input?: string; output?: string } | undefined;
      const payload = details?.input ?? details?.output;
      expect(payload).toBe(JSON.stringify(big));
    }
  });
  it("shows the input of a Map iteration's and a Parallel branch's first state in the history", async () => {
    const { driver, drain } = setup();
    const sm = await driver.putStateMachine(
      'children',
      JSON.stringify({
        StartAt: 'Fan',
        States: {
          Fan: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }], Next: 'Each' },
          Each: { Type: 'Map', ItemsPath: '$[0].items', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true },
        },
      }),
    );
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: { items: [7] } });
    await drain();
    const entered = (await driver.getExecutionHistory(executionArn)).filter((e) => e.type === 'PassStateEntered').map((e) => e.stateEnteredEventDetails);
    expect(entered).toEqual([
      { name: 'B', input: '{"items":[7]}', inputDetails: { truncated: false } },
      { name: 'I', input: '7', inputDetails: { truncated: false } },
    ]);
  });
});

describe('CloudDriver going straight on into the next state', () => {
  /** Runs a chain of nine Pass states (the middle one a Choice) and a Wait; what was committed and the history. */
  async function chain(statesPerCommit: number) {
    const { driver, drain, store } = setup({ statesPerCommit });
    const commits: string[][] = [];
    const put = store.putFrameVersion.bind(store);
    store.putFrameVersion = async (arn, v) => (commits.push(v.events.map((e) => e.type)), put(arn, v));
    const states: Record<string, object> = {};
    for (let i = 0; i < 9; i++) states[`S${i}`] = i === 4 ? { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'S5' }] } : { Type: 'Pass', Next: i === 8 ? 'W' : `S${i + 1}` };
    states.W = { Type: 'Wait', Seconds: 5, End: true };
    const sm = await driver.putStateMachine('chain', JSON.stringify({ StartAt: 'S0', States: states }));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: { n: 1 } });
    await drain();
    const history = (await driver.getExecutionHistory(executionArn)).map((e) => `${e.id}:${e.previousEventId}:${e.type}`);
    return { commits, history, status: (await driver.describeExecution(executionArn)).status, entered: driver.takeStatesEntered() };
  }

  it('enters up to statesPerCommit states in one commit, stops at a delay, and leaves the history as one state per commit does', async () => {
    const four = await chain(4);
    const one = await chain(1);
    expect(four.status).toBe('SUCCEEDED');
    expect(four.history).toEqual(one.history);
    expect(one.commits.length).toBe(12); // the start, nine states, the Wait's entry and its end
    expect(four.commits.map((c) => c.filter((t) => t.endsWith('Entered')).length)).toEqual([0, 4, 4, 2, 0]);
    expect(four.commits[3]).toEqual(['PassStateEntered', 'PassStateExited', 'WaitStateEntered']);
    expect(four.commits[4]).toEqual(['WaitStateExited', 'ExecutionSucceeded']);
    // The StateTransitions metric: states entered, however many a commit took.
    expect([four.entered, one.entered]).toEqual([10, 10]);
  });
});

describe('lambda/schedule.ts', () => {
  it('starts the named state machine with the schedule input, and a pattern rule with the event, named by the event id', async () => {
    const { driver, drain } = setup();
    const sm = await driver.putStateMachine('tick', JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    const handler = createScheduleHandler({ driver } as unknown as Cloud, { SWITCHYARD_STATE_MACHINE_ARN: sm.stateMachineArn });
    const fixed = await handler({ stateMachineArn: sm.stateMachineArn, input: { report: 'daily' } });
    const event = { id: '7bf73129-1428-4cd3-a780-95db273d1602', source: 'shop', 'detail-type': 'OrderPlaced', detail: { order: 9 } };
    const patterned = await handler(event);
    expect(patterned.executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:tick:${event.id}`);
    await expect(handler(event)).resolves.toEqual(patterned); // a redelivered event starts nothing new
    // The construct's targets name the state machine and pass the name: the scheduler's execution id or the event id.
    const named = await handler({ stateMachineArn: sm.stateMachineArn, input: { report: 'weekly' }, name: 'e3f1a7c2d9b04c1a' });
    expect(named.executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:tick:e3f1a7c2d9b04c1a`);
    await expect(handler({ stateMachineArn: sm.stateMachineArn, input: { report: 'weekly' }, name: 'e3f1a7c2d9b04c1a' })).resolves.toEqual(named);
    await drain();
    expect((await driver.describeExecution(fixed.executionArn)).output).toEqual({ report: 'daily' });
    expect((await driver.describeExecution(patterned.executionArn)).output).toEqual(event);
  });
});

describe('CloudDriver ending executions early', () => {
  it('stops an execution: the root is ABORTED and every running child frame with it', async () => {
    const { driver, store, drain, advance } = setup();
    const sm = await driver.putStateMachine(
      'fan',
      JSON.stringify({
        StartAt: 'Each',
        States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } }, End: true } },
      }),
    );
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: { items: [1, 2, 3] } });
    await drain(true); // every child now waits: their 600-second timers are not due
    expect((await store.framesUnder(executionArn, 'root/')).map((f) => f.frame.phase)).toEqual(['WAITING', 'WAITING', 'WAITING']);
    await driver.stopExecution(executionArn, 'Stopped', 'by test');
    advance(1000);
    await drain();
    expect(await driver.describeExecution(executionArn)).toMatchObject({ status: 'ABORTED', error: 'Stopped', cause: 'by test' });
    const children = await store.framesUnder(executionArn, 'root/');
    expect(children.map((c) => c.frame.status)).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
    const history = await driver.getExecutionHistory(executionArn);
    expect(history.at(-1)!.type).toBe('ExecutionAborted');
    expect(history.filter((e) => e.type === 'WaitStateExited')).toHaveLength(0);
  });

  it('times an execution out after its TimeoutSeconds', async () => {
    const { driver, drain } = setup();
    const sm = await driver.putStateMachine('slow', JSON.stringify({ TimeoutSeconds: 5, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } }));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, {});
    await drain();
    expect(await driver.describeExecution(executionArn)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect((await driver.getExecutionHistory(executionArn)).at(-1)!.type).toBe('ExecutionTimedOut');
  });
});

describe('CloudDriver applying several completions at once', () => {
  it('applies the completions of children that arrive in one batch as one transition of their parent', async () => {
    const { driver, store, drain } = setup();
    const branch = (n: number) => ({ StartAt: `B${n}`, States: { [`B${n}`]: { Type: 'Pass', Result: n, End: true } } });
    const sm = await driver.putStateMachine('fan4', JSON.stringify({ StartAt: 'Fan', States: { Fan: { Type: 'Parallel', Branches: [0, 1, 2, 3].map(branch), End: true } } }));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, {});
    await drain();
    expect((await driver.describeExecution(executionArn)).output).toEqual([0, 1, 2, 3]);
    const root = (await store.allFrameVersions(executionArn)).filter((v) => v.frame.id === 'root');
    // Start, Parallel entered, the four completions together, the outputs collected: four versions, not seven.
    expect(root.map((v) => v.frame.version).sort()).toEqual([1, 2, 3, 4]);
    const history = await driver.getExecutionHistory(executionArn);
    expect(history.filter((e) => e.type === 'PassStateExited')).toHaveLength(4);
    expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
  });
});
