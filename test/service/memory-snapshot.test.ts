/**
 * MemoryStore.snapshot and MemoryQueue.snapshot (what a journal's compaction
 * writes): applied to empty ones, they answer every read as the originals,
 * older frame versions keep of their outboxes only the StartFrames, and queue ids go on.
 */
import { MemoryQueue, MemoryStore } from '../../lib/service/memory';
import type { ExecutionRecord, FrameVersion } from '../../lib/service/ports';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e';
const record = { info: { executionArn: ARN, name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M', stateMachineName: 'M', startTime: 1, redriveCount: 0 }, revisionId: 'r1', status: 'RUNNING' } as unknown as ExecutionRecord;
const version = (v: number): FrameVersion =>
  ({ frame: { id: 'root', version: v }, lc: v, at: v, events: [{ type: 'PassStateEntered', timestamp: v }], outbox: { cause: `c${v}`, effects: [{ type: 'Deliver' }], done: false } }) as unknown as FrameVersion;

/** A copy through JSON, as the journal stores the records. */
function rebuilt(store: MemoryStore): MemoryStore {
  const copy = new MemoryStore() as unknown as Record<string, (...args: unknown[]) => void>;
  for (const r of store.snapshot()) copy[r.op](...(JSON.parse(JSON.stringify(r.args)) as unknown[]));
  return copy as unknown as MemoryStore;
}

describe('MemoryStore.snapshot', () => {
  it('rebuilds a store that answers every read the same, older frame versions without their outboxes', async () => {
    const store = new MemoryStore();
    await store.putStateMachine({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M', revisionId: 'r2', definition: '{"v":2}' } as never);
    await store.putStateMachine({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M', revisionId: 'r1', definition: '{"v":1}' } as never);
    await store.createExecution(record);
    for (const v of [1, 2, 3]) await store.putFrameVersion(ARN, version(v));
    await store.putValue(ARN, 'h1', '"big"');
    await store.claimTask(ARN, 'root|1|0', 5);
    await store.putActivity({ activityArn: 'arn:a', name: 'a', creationDate: 1 } as never);
    await store.enqueueActivityTask('arn:a', { taskToken: 't', input: '{}', scheduledAt: 2 } as never);

    const copy = rebuilt(store);

    expect(await copy.getExecution(ARN)).toEqual(await store.getExecution(ARN));
    expect(await copy.getDefinition('arn:aws:states:us-east-1:123456789012:stateMachine:M', 'r2')).toBe('{"v":2}');
    expect(await copy.getStateMachine('arn:aws:states:us-east-1:123456789012:stateMachine:M')).toEqual(await store.getStateMachine('arn:aws:states:us-east-1:123456789012:stateMachine:M'));
    expect(await copy.latestFrame(ARN, 'root')).toEqual(version(3));
    const { outbox: _1, ...first } = version(1);
    const { outbox: _2, ...second } = version(2);
    expect(await copy.allFrameVersions(ARN)).toEqual([first, second, version(3)]);
    expect(await copy.getValue(ARN, 'h1')).toBe('"big"');
    expect(await copy.getTaskClaim(ARN, 'root|1|0')).toEqual({ claimedAt: 5 });
    expect(await copy.listActivities()).toEqual(await store.listActivities());
    expect(await copy.takeActivityTask('arn:a')).toEqual({ taskToken: 't', input: '{}', scheduledAt: 2 });
  });

  it('keeps the child completions a running Map has not collected, and the StartFrames of older versions', async () => {
    const store = new MemoryStore();
    await store.createExecution(record);
    const starts = { type: 'StartFrames', frames: [{ id: 'root/1.0.0' }] };
    await store.putFrameVersion(ARN, { ...version(1), outbox: { cause: 'c1', effects: [{ type: 'Deliver' }, starts], done: false } } as unknown as FrameVersion);
    await store.putFrameVersion(ARN, version(2));
    const completion = (index: number) => ({ message: { type: 'ChildCompleted', frameId: 'root', entry: 1, run: 0, index, status: 'SUCCEEDED' }, redrives: 0 }) as never;
    await store.putChildCompletion(ARN, completion(0));
    await store.putChildCompletion(ARN, completion(2));

    const copy = rebuilt(store);

    expect(await copy.childCompletions(ARN, 'root', 1, 0, 0, 10)).toEqual([completion(0), completion(2)]);
    expect((await copy.allFrameVersions(ARN))[0].outbox).toEqual({ cause: 'c1', effects: [starts], done: true });
  });
});

describe('MemoryQueue.snapshot', () => {
  it('keeps each message’s id and due time, and new ids go on after the last one given', () => {
    const queue = new MemoryQueue(() => 1_000);
    queue.enqueueAt('a', 10);
    queue.enqueueAt('b', 20);
    queue.enqueueAt('c', 30);
    queue.delete('m3');
    const { messages, nextId } = queue.snapshot();

    const copy = new MemoryQueue(() => 1_000);
    for (const m of messages) copy.restore(m.id, m.body, m.visibleAt);
    copy.continueIdsFrom(nextId);
    copy.enqueueAt('d', 40);

    expect(messages).toEqual([{ id: 'm1', body: 'a', visibleAt: 10 }, { id: 'm2', body: 'b', visibleAt: 20 }]);
    expect(copy.receive(10).map((r) => [r.id, r.body])).toEqual([['m1', 'a'], ['m2', 'b'], ['m4', 'd']]);
  });
});
