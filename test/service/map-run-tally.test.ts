/** A Map Run's tally (map-run-tally.ts): its children counted by how they ended, in the order a redrive takes them. */
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import { heldSplit, notRedrivable, tallyChildren } from '../../lib/service/map-run-tally';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

function child(index: number, status: FrameStatus, endedAt: number, state = 'Work'): Frame {
  return {
    id: `root/1.0.${index}`,
    parentId: 'root',
    index,
    parentEntry: 1,
    parentRun: 0,
    scope: '/States/M/ItemProcessor',
    version: 3,
    status,
    phase: status === FrameStatus.RUNNING ? FramePhase.ENTERING : FramePhase.DONE,
    state,
    entry: 2,
    input: {},
    enteredAt: endedAt - 5,
    ...(status !== FrameStatus.RUNNING ? { endedAt } : {}),
    vars: {},
    retries: [],
  };
}

const map = { version: 9, progress: { run: 0, total: 8, started: 7, succeeded: 0, failed: 0, maxConcurrency: 2, toleratedFailures: 1, effectiveInput: null } };

describe('tallyChildren', () => {
  it('counts each started child once by its status: running ones and ones never stored as aborted', () => {
    const frames = [
      child(0, FrameStatus.SUCCEEDED, T0 + 1),
      child(1, FrameStatus.FAILED, T0 + 2),
      child(2, FrameStatus.FAILED, T0 + 3),
      child(3, FrameStatus.ABORTED, T0 + 4),
      child(4, FrameStatus.RUNNING, T0 + 5),
      child(5, FrameStatus.TIMED_OUT, T0 + 6),
    ];
    const tally = tallyChildren(7, (i) => frames[i], map, T0 + 100);
    expect(tally).toEqual({
      version: 9,
      progress: { total: 8, maxConcurrency: 2, toleratedFailures: 1 },
      succeeded: 1,
      failed: 2,
      timedOut: 1,
      aborted: 3,
      // Index 6 never ran (no frame): a redrive starts it again rather than redriving it.
      order: [
        [FrameStatus.FAILED, 2],
        [FrameStatus.ABORTED, 2],
        [FrameStatus.TIMED_OUT, 1],
      ],
      ends: [
        [T0 + 2, 1],
        [T0 + 3, 1],
        [T0 + 4, 1],
        [T0 + 6, 1],
        [T0 + 100, 2],
      ],
    });
  });

  it('keeps a child aborted before it ran (state "") out of the redrive order', () => {
    const frames = [child(0, FrameStatus.FAILED, T0), child(1, FrameStatus.ABORTED, T0, '')];
    expect(tallyChildren(2, (i) => frames[i], map, T0).order).toEqual([[FrameStatus.FAILED, 1]]);
  });

  it('coarsens many end times into at most 512 groups, each at its latest time, every child still counted', () => {
    const frames = Array.from({ length: 2000 }, (_, i) => child(i, FrameStatus.FAILED, T0 + i * 1000));
    const tally = tallyChildren(2000, (i) => frames[i], map, T0);
    expect(tally.ends.length).toBeLessThanOrEqual(512);
    expect(tally.ends.reduce((n, [, c]) => n + c, 0)).toBe(2000);
    expect(tally.ends[tally.ends.length - 1][0]).toBe(T0 + 1999 * 1000);
  });
});

describe('notRedrivable', () => {
  it('counts the unsuccessful children that ended more than 14 days ago', () => {
    const frames = [child(0, FrameStatus.FAILED, T0), child(1, FrameStatus.ABORTED, T0 + 2 * DAY), child(2, FrameStatus.SUCCEEDED, T0)];
    const tally = tallyChildren(3, (i) => frames[i], map, T0);
    expect(notRedrivable(tally, T0 + 14 * DAY)).toBe(0);
    expect(notRedrivable(tally, T0 + 15 * DAY)).toBe(1);
    expect(notRedrivable(tally, T0 + 17 * DAY)).toBe(2);
  });
});

describe('heldSplit', () => {
  const frames = [child(0, FrameStatus.FAILED, T0), child(1, FrameStatus.FAILED, T0), child(2, FrameStatus.ABORTED, T0), child(3, FrameStatus.TIMED_OUT, T0)];
  const tally = tallyChildren(4, (i) => frames[i], map, T0);

  it('takes the children held back from the end of the redrive order', () => {
    expect(heldSplit(tally, 0)).toEqual({ failed: 0, timedOut: 0, aborted: 0 });
    expect(heldSplit(tally, 1)).toEqual({ failed: 0, timedOut: 1, aborted: 0 });
    expect(heldSplit(tally, 2)).toEqual({ failed: 0, timedOut: 1, aborted: 1 });
    expect(heldSplit(tally, 4)).toEqual({ failed: 2, timedOut: 1, aborted: 1 });
  });

  it('counts failed ones first when the order was too long to keep', () => {
    const { order: _order, ...unordered } = tally;
    expect(heldSplit(unordered, 3)).toEqual({ failed: 2, timedOut: 1, aborted: 0 });
  });
});
