import { processBatch } from '../../lib/service/batch';
import { COLLECT_PAGE, waitingCompletions } from '../../lib/service/completions';
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import type { ChildCompletedMessage } from '../../lib/engine/messages';
import { MemoryStore } from '../../lib/service/memory';
import type { Envelope, FrameVersion } from '../../lib/service/ports';
import { setup } from './memory-cloud';

const X = 'arn:aws:states:us-east-1:123456789012:execution:m:x';

function wakeUp(index: number, extra: Partial<ChildCompletedMessage> = {}): Envelope {
  return { v: 1, executionArn: X, lc: 1, message: { type: 'ChildCompleted', frameId: 'root', entry: 2, run: 0, index, status: 'SUCCEEDED', ...extra } };
}

function parent(extra: Partial<Frame> = {}, doneBelow = 0, doneAbove?: number[]): Frame {
  return {
    id: 'root',
    scope: '',
    version: 3,
    status: FrameStatus.RUNNING,
    phase: FramePhase.CHILDREN,
    state: 'Fan',
    entry: 2,
    input: {},
    enteredAt: 0,
    vars: {},
    retries: [],
    children: { run: 0, total: 10, started: 10, succeeded: doneBelow, failed: 0, maxConcurrency: 0, toleratedFailures: 0, effectiveInput: null, doneBelow, ...(doneAbove ? { doneAbove } : {}) },
    ...extra,
  };
}

describe('waitingCompletions', () => {
  it("collects the recorded completions of the current run the parent has not counted, by index, with the latest of their children's clocks", async () => {
    const store = new MemoryStore();
    for (const index of [1, 2, 4, 6, 7]) await store.putChildCompletion(X, { message: wakeUp(index).message as ChildCompletedMessage, redrives: 0, lc: 10 * index });
    const waiting = await waitingCompletions(store, X, parent({}, 2, [4]), [wakeUp(1)]);
    // (The parent's version that counts them is ordered after index 7's end, lc 70, in the history.)
    expect(waiting).toEqual({ message: { type: 'ChildrenCompleted', frameId: 'root', entry: 2, completions: [2, 6, 7].map((i) => wakeUp(i).message) }, lc: 70 });
  });

  it('leaves out completions recorded before the parent was redriven, and collects nothing for another run, entry or phase', async () => {
    const store = new MemoryStore();
    await store.putChildCompletion(X, { message: wakeUp(3).message as ChildCompletedMessage, redrives: 0 });
    await store.putChildCompletion(X, { message: wakeUp(5).message as ChildCompletedMessage, redrives: 1 });
    expect((await waitingCompletions(store, X, parent({ redrives: 1 }), [wakeUp(0)]))?.message.completions).toEqual([wakeUp(5).message]);
    expect(await waitingCompletions(store, X, parent(), [wakeUp(0, { run: 1 })])).toBeUndefined();
    expect(await waitingCompletions(store, X, parent(), [wakeUp(0, { entry: 1 })])).toBeUndefined();
    expect(await waitingCompletions(store, X, parent({ phase: FramePhase.COLLECTING }), [wakeUp(0)])).toBeUndefined();
    expect(COLLECT_PAGE).toBe(500);
  });
});

describe('CloudDriver collecting completions', () => {
  it('lets the first wake-up collect every recorded completion: the children never write the parent, the other wake-ups write nothing', async () => {
    const { driver, store, queue } = setup();
    const writes: string[] = [];
    const put = store.putFrameVersion.bind(store);
    store.putFrameVersion = async (arn: string, v: FrameVersion) => {
      writes.push(`${v.frame.id}@${v.frame.version}`);
      return put(arn, v);
    };
    const items = Array.from({ length: 8 }, (_, i) => i);
    const definition = { StartAt: 'Fan', States: { Fan: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } };
    const sm = await driver.putStateMachine('fan8', JSON.stringify(definition));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: items });
    // One message per batch, as one poller each: no container coalesces the wake-ups.
    for (let i = 0; i < 1_000; i++) {
      const [m] = queue.receive(1);
      if (!m) break;
      await processBatch(driver, queue, [{ messageId: m.id, body: m.body }], { log: () => {} });
      queue.delete(m.id);
    }
    expect((await driver.describeExecution(executionArn)).output).toEqual(items);
    // Started, the Map entered, all eight completions collected by the first wake-up, the outputs collected: four versions.
    expect(writes.filter((w) => w.startsWith('root@'))).toEqual(['root@1', 'root@2', 'root@3', 'root@4']);
    const history = await driver.getExecutionHistory(executionArn);
    expect(history.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(8);
  });
});
