/**
 * A Map Run's final counts, kept so DescribeMapRun reads one small item
 * instead of every child execution. The service already reads all of a
 * run's children at the two moments its counts settle — when it collects
 * their outputs (CollectChildren) and when it cuts them short or aborts them
 * (AbortChildren) — and tallies them there, once per end, in one write under
 * the parent execution. While the run is under way its counts come from the
 * Map frame's own progress (map-runs.ts); the tally of its last end is the
 * base a redrive starts from.
 */
import { FrameStatus, type ChildProgress, type Frame } from '../engine/frame';
import { REDRIVABLE_MS } from './map-run-redrive';
import type { ExecutionStore } from './ports';

/** How many distinct end times a tally keeps before it coarsens them (its item stays a few KB). */
const MAX_ENDS = 512;

/** A Map Run's children as they stood when the run ended. */
export interface MapRunTally {
  /** The Map frame's version the tally follows: the run's end event is on it or a few versions after. */
  version: number;
  /** What DescribeMapRun reports of the run's own progress, which the Map frame drops once it moves on. */
  progress: MapRunSettings;
  succeeded: number;
  failed: number;
  timedOut: number;
  /** Includes the started children that never committed a transition. */
  aborted: number;
  /**
   * The unsuccessful children that ran, in index order, as runs of one
   * status (`[status, count]`): the order a redrive redrives them in, so
   * DescribeMapRun knows which of those held back by MaxConcurrency failed
   * and which were aborted. Absent when it would be long (see heldSplit).
   */
  order?: [FrameStatus, number][];
  /** When the unsuccessful children ended, as `[epoch ms, count]` ascending; each time is its group's latest. */
  ends: [number, number][];
}

/** The parts of a run's progress DescribeMapRun reports beside its counts. */
export type MapRunSettings = Pick<ChildProgress, 'total' | 'maxConcurrency' | 'toleratedFailures' | 'mapRunRedrives' | 'mapRunRedrivenAt'>;

/** `progress`'s settings alone (its items and done marks stay out of the tally). */
export function settingsOf(progress: ChildProgress | undefined): MapRunSettings {
  const p: MapRunSettings = progress ?? { total: 0, maxConcurrency: 0, toleratedFailures: 0 };
  return {
    total: p.total,
    maxConcurrency: p.maxConcurrency,
    toleratedFailures: p.toleratedFailures,
    ...(p.mapRunRedrives !== undefined ? { mapRunRedrives: p.mapRunRedrives } : {}),
    ...(p.mapRunRedrivenAt !== undefined ? { mapRunRedrivenAt: p.mapRunRedrivenAt } : {}),
  };
}

const UNSUCCESSFUL: ReadonlySet<string> = new Set([FrameStatus.FAILED, FrameStatus.ABORTED, FrameStatus.TIMED_OUT]);

/** The value key of a run's tally, under the parent execution: a Map Run is its Map frame's state entry and run. */
export function tallyKey(frameId: string, entry: number, run: number): string {
  return `map-run-tally#${frameId}#${entry}#${run}`;
}

/** True when `frame` is a DISTRIBUTED Map's iteration: the root of a child execution. */
export function isChildExecution(frame: Frame | undefined): boolean {
  return frame !== undefined && frame.execution?.frameId === frame.id;
}

/**
 * The tally of a run's `started` children, read from their latest frames
 * (`child(i)`, undefined for one never stored: counted aborted, as its run ended).
 */
export function tallyChildren(started: number, child: (index: number) => Frame | undefined, map: { version: number; progress: ChildProgress | undefined }, at: number): MapRunTally {
  const tally: MapRunTally = { version: map.version, progress: settingsOf(map.progress), succeeded: 0, failed: 0, timedOut: 0, aborted: 0, ends: [] };
  const order: [FrameStatus, number][] = [];
  const ends = new Map<number, number>();
  for (let i = 0; i < started; i++) {
    const f = child(i);
    const status = f === undefined || f.status === FrameStatus.RUNNING ? FrameStatus.ABORTED : f.status;
    if (status === FrameStatus.SUCCEEDED) tally.succeeded++;
    else if (status === FrameStatus.FAILED) tally.failed++;
    else if (status === FrameStatus.TIMED_OUT) tally.timedOut++;
    else tally.aborted++;
    if (!UNSUCCESSFUL.has(status)) continue;
    // (An aborted frame keeps no end of its own: it ended with the abort, `at`.)
    const ended = f?.endedAt ?? (status === FrameStatus.ABORTED ? at : f!.enteredAt);
    ends.set(ended, (ends.get(ended) ?? 0) + 1);
    // (Those that never ran are started again by a redrive, not redriven: restartedChild.)
    if (f === undefined || f.state === '') continue;
    const last = order[order.length - 1];
    if (last?.[0] === status) last[1]++;
    else order.push([status, 1]);
  }
  tally.ends = coarsen([...ends].sort((a, b) => a[0] - b[0]));
  if (order.length <= MAX_ENDS) tally.order = order;
  return tally;
}

/** Merges neighbouring end times pairwise (keeping the later) until at most MAX_ENDS remain. */
function coarsen(ends: [number, number][]): [number, number][] {
  let out = ends;
  while (out.length > MAX_ENDS) {
    const next: [number, number][] = [];
    for (let i = 0; i < out.length; i += 2) next.push(i + 1 < out.length ? [out[i + 1][0], out[i][1] + out[i + 1][1]] : out[i]);
    out = next;
  }
  return out;
}

/**
 * `failuresNotRedrivable`: the tallied unsuccessful children whose
 * redrivable period of 14 days is over at `now` (see map-run-redrive.ts). A
 * coarsened group counts once its latest end is that old.
 */
export function notRedrivable(tally: MapRunTally, now: number): number {
  let n = 0;
  for (const [ended, count] of tally.ends) if (now - ended > REDRIVABLE_MS) n += count;
  return n;
}

/**
 * Which of the `held` children a redrive holds back (the last of `order`:
 * it redrives them from the front) had failed, timed out or been aborted.
 * Without an order (a very mixed run), failed ones are assumed first.
 */
export function heldSplit(tally: MapRunTally, held: number): { failed: number; timedOut: number; aborted: number } {
  const split = { failed: 0, timedOut: 0, aborted: 0 };
  if (tally.order === undefined) {
    split.failed = Math.min(held, tally.failed);
    split.timedOut = Math.min(held - split.failed, tally.timedOut);
    split.aborted = held - split.failed - split.timedOut;
    return split;
  }
  let left = held;
  for (let i = tally.order.length - 1; i >= 0 && left > 0; i--) {
    const [status, count] = tally.order[i];
    const n = Math.min(left, count);
    if (status === FrameStatus.FAILED) split.failed += n;
    else if (status === FrameStatus.TIMED_OUT) split.timedOut += n;
    else split.aborted += n;
    left -= n;
  }
  return split;
}

/** Writes a run's tally (an overwrite: a replay, or the run's next end after a redrive, replaces it). */
export function putTally(store: ExecutionStore, executionArn: string, key: { frameId: string; entry: number; run: number }, tally: MapRunTally): Promise<void> {
  return store.putValue(executionArn, tallyKey(key.frameId, key.entry, key.run), JSON.stringify(tally));
}

/** A run's tally, or undefined when none was written (the run has not ended, or ended before tallies were kept). */
export async function readTally(store: ExecutionStore, executionArn: string, key: { frameId: string; entry: number; run: number }): Promise<MapRunTally | undefined> {
  try {
    return JSON.parse(await store.getValue(executionArn, tallyKey(key.frameId, key.entry, key.run))) as MapRunTally;
  } catch {
    return undefined;
  }
}
