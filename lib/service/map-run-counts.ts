/**
 * DescribeMapRun's item and execution counts (API reference,
 * "MapRunItemCounts", "MapRunExecutionCounts") from what one read gives:
 * the Map frame's progress while its run is under way, the run's tally
 * (map-run-tally.ts) once it ended. Never from the children themselves, so
 * a Map Run of 100,000 child executions is described with a few reads.
 *
 * While it runs, a child counts as succeeded or failed once the Map has
 * collected its completion (lib/service/completions.ts: every recorded
 * completion, a page at a time, at the parent's next wake-up); until then it
 * is running. So counts under way may trail the children by a collection,
 * as Step Functions' own are eventually consistent; once the run ended they
 * are exact, tallied from every child.
 *
 * `pendingRedrive`: "unsuccessful child workflow executions currently
 * waiting to be redriven" — while a redriven run runs, those it has not run
 * again yet; "When a Map Run has completed its execution or is aborted, the
 * count … is reset to 0." `failuresNotRedrivable`: see REDRIVABLE_MS.
 */
import { FramePhase, type Frame } from '../engine/frame';
import { heldSplit, notRedrivable, type MapRunTally } from './map-run-tally';

/** The counts DescribeMapRun reports for items and for executions alike. */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable: number;
  pendingRedrive: number;
}

/**
 * The counts of a run under way, from its Map frame `map` (phase CHILDREN,
 * COLLECTING, WRITING_RESULTS or ABORTING) and, when the run was redriven,
 * `tally`, its children as they stood when it last ended: the redrive's base.
 */
export function runningCounts(map: Frame, tally: MapRunTally | undefined, now: number): MapRunCounts {
  const p = map.children!;
  const counts: MapRunCounts = { pending: p.total - p.started, running: 0, succeeded: p.succeeded, failed: p.failed, timedOut: 0, aborted: 0, total: p.total, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 };
  // (A tally written as this run collects or is cut short is its new end, not a redrive's base.)
  const base = (p.mapRunRedrives ?? 0) > 0 && map.phase === FramePhase.CHILDREN && tally !== undefined && tally.version < map.version ? tally : undefined;
  if (base === undefined) {
    counts.running = p.started - p.succeeded - p.failed;
    return counts;
  }
  if ((p.redriven ?? 0) < (map.redrives ?? 0)) {
    // Redriven, its children not yet sorted (RedriveChildren): every one stands as the run's end left it.
    const unsuccessful = base.failed + base.timedOut + base.aborted;
    const expired = notRedrivable(base, now);
    Object.assign(counts, { succeeded: base.succeeded, failed: base.failed, timedOut: base.timedOut, aborted: base.aborted, failuresNotRedrivable: expired, pendingRedrive: unsuccessful - expired });
    counts.running = Math.max(0, p.started - base.succeeded - unsuccessful);
    return counts;
  }
  // Those MaxConcurrency holds back wait as they ended ("Pending redrive"); the others run again.
  const held = (p.pendingRedrives?.length ?? 0) + (p.pendingReruns?.length ?? 0);
  const split = heldSplit(base, held);
  counts.failed += split.failed;
  counts.timedOut = split.timedOut;
  counts.aborted = split.aborted;
  counts.pendingRedrive = held;
  counts.running = p.started - p.succeeded - p.failed - held;
  return counts;
}

/** The counts of a run that ended with `status`, from its tally (undefined: nothing was tallied, as for a run of no items). */
export function endedCounts(tally: MapRunTally | undefined, status: 'SUCCEEDED' | 'FAILED' | 'ABORTED', total: number, now: number): MapRunCounts {
  const t = tally ?? { succeeded: 0, failed: 0, timedOut: 0, aborted: 0, ends: [] };
  return {
    pending: 0,
    running: 0,
    succeeded: t.succeeded,
    failed: t.failed,
    timedOut: t.timedOut,
    aborted: t.aborted,
    total,
    // The results of succeeded iterations are written once the Map Run collects them.
    resultsWritten: status === 'SUCCEEDED' ? t.succeeded : 0,
    // "When a Map Run has completed its execution or is aborted, the count [pendingRedrive] is reset to 0."
    failuresNotRedrivable: tally ? notRedrivable(tally, now) : 0,
    pendingRedrive: 0,
  };
}
