/** Children of a Map's or Parallel's run in the store: collected, redriven, aborted. */
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import { ChildFrames } from '../../lib/service/child-frames';
import { MemoryStore } from '../../lib/service/memory';
import { PayloadCodec } from '../../lib/service/payload-codec';
import type { FrameVersion } from '../../lib/service/ports';
import { StoredState } from '../../lib/service/stored-state';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e1';

function setup() {
  const store = new MemoryStore();
  const codec = new PayloadCodec(store);
  const stored = new StoredState(store, codec);
  return { store, stored, children: new ChildFrames({ store, codec, stored, maxConflicts: 3 }) };
}

/** Child `index` of root's entry 1, run 0. */
function child(index: number, status: Frame['status'], fields: Partial<Frame> = {}): FrameVersion {
  const frame: Frame = {
    id: `root/1.0.${index}`,
    parentId: 'root',
    index,
    parentEntry: 1,
    parentRun: 0,
    scope: '/States/M/ItemProcessor',
    version: 2,
    status,
    phase: status === FrameStatus.RUNNING ? FramePhase.ENTERING : FramePhase.DONE,
    state: 'S',
    entry: 1,
    input: index,
    enteredAt: 0,
    vars: {},
    retries: [],
    ...fields,
  };
  return { frame, lc: 2, at: 0, events: [] };
}

describe('ChildFrames', () => {
  it('collects each child’s output or its error, in index order', async () => {
    const { stored, children } = setup();
    await stored.save(ARN, child(0, FrameStatus.SUCCEEDED, { output: 'a' }));
    await stored.save(ARN, child(1, FrameStatus.FAILED, { error: 'E', cause: 'c' }));
    const reply = await children.collect(ARN, { type: 'CollectChildren', frameId: 'root', entry: 1, run: 0, childIds: ['root/1.0.0', 'root/1.0.1'] }, 9);
    expect(reply).toEqual({ type: 'ChildrenCollected', frameId: 'root', entry: 1, run: 0, outputs: ['a', { Error: 'E', Cause: 'c' }] });
  });

  it('redrives the children that ran and failed, and names for restart those that never ran', async () => {
    const { stored, children } = setup();
    await stored.save(ARN, child(0, FrameStatus.SUCCEEDED, { output: 'a' }));
    await stored.save(ARN, child(1, FrameStatus.FAILED));
    const result = await children.redrive(ARN, { type: 'RedriveChildren', frameId: 'root', entry: 1, run: 0, started: 3, redriveCount: 1 });
    expect(result).toEqual({
      redrives: [{ type: 'Redrive', frameId: 'root/1.0.1', redriveCount: 1 }],
      reply: { type: 'ChildrenRedriven', frameId: 'root', entry: 1, run: 0, redriveCount: 1, succeeded: [0], restart: [2] },
    });
  });

  it('names the children to redrive in the reply instead when the Map’s MaxConcurrency limits them', async () => {
    const { stored, children } = setup();
    await stored.save(ARN, child(0, FrameStatus.FAILED));
    await stored.save(ARN, child(1, FrameStatus.SUCCEEDED, { output: 'b' }));
    await stored.save(ARN, child(2, FrameStatus.ABORTED));
    const result = await children.redrive(ARN, { type: 'RedriveChildren', frameId: 'root', entry: 1, run: 0, started: 3, redriveCount: 2, limited: true });
    expect(result).toEqual({
      redrives: [],
      reply: { type: 'ChildrenRedriven', frameId: 'root', entry: 1, run: 0, redriveCount: 2, succeeded: [1], restart: [], redrive: [0, 2] },
    });
  });

  it('aborts running children, and gives a started child not yet stored an aborted first version', async () => {
    const { stored, children } = setup();
    await stored.save(ARN, child(0, FrameStatus.RUNNING));
    const cause: FrameVersion = { ...child(0, FrameStatus.RUNNING), lc: 7, at: 50 };
    await children.abortDescendants(ARN, undefined, { type: 'AbortChildren', frameId: 'root', childIds: ['root/1.0.0', 'root/1.0.1'] }, cause);
    const [running, unstarted] = [await stored.load(ARN, 'root/1.0.0'), await stored.load(ARN, 'root/1.0.1')];
    expect([running?.frame.status, running?.frame.version, running?.lc]).toEqual([FrameStatus.ABORTED, 3, 8]);
    expect([unstarted?.frame.status, unstarted?.frame.version, unstarted?.frame.state, unstarted?.at]).toEqual([FrameStatus.ABORTED, 1, '', 50]);
  });
});
