/**
 * A Map Run's child executions as its redrives leave them (developer guide,
 * "Redriving Map Runs in Step Functions executions"), read from their frames:
 * each child's own redrive count and date, its status as DescribeExecution
 * and ListExecutions report it, and DescribeMapRun's `pendingRedrive` and
 * `failuresNotRedrivable`. The engine's side is lib/engine/map-run-redrive.ts.
 */
import { FrameStatus, type Frame } from '../engine/frame';
import type { ExecutionStatus } from './ports';

/** How long after its end an execution can be redriven (the service's 14 days). */
export const REDRIVABLE_MS = 14 * 86_400_000;

/** A child execution's status and end, from its root frame (undefined before its first commit) and its parent's. */
export function childStatus(frame: Frame | undefined, parent: { status: ExecutionStatus; stopDate?: number }, startDate: number): { status: ExecutionStatus; stopDate?: number } {
  const running = frame === undefined || frame.status === FrameStatus.RUNNING;
  // A child the Map stopped (its execution ended, or the Map failed) is ABORTED.
  const status: ExecutionStatus = running ? (parent.status === 'RUNNING' ? 'RUNNING' : 'ABORTED') : (frame.status as ExecutionStatus);
  return status === 'RUNNING' ? { status } : { status, stopDate: frame?.endedAt ?? parent.stopDate ?? startDate };
}

/** A child execution's redrives: "Standard child workflow executions use the same execution ARN … You can distinctly identify the individual redrives". */
export function childRedrives(frame: Frame | undefined): { redriveCount: number; redriveDate?: number } {
  const own = frame?.execution;
  const redriveCount = own?.redriveCount ?? 0;
  return own?.redriveDate !== undefined ? { redriveCount, redriveDate: own.redriveDate } : { redriveCount };
}

/** The counts of a Map Run's children its redrives move. */
export interface RedriveCounts {
  pendingRedrive: number;
  failuresNotRedrivable: number;
}

const UNSUCCESSFUL: ReadonlySet<string> = new Set([FrameStatus.FAILED, FrameStatus.ABORTED, FrameStatus.TIMED_OUT]);

/**
 * `pendingRedrive`: "unsuccessful child workflow executions currently
 * waiting to be redriven" — while a redriven Map Run runs, those that ended
 * before its redrive and have not run again; "When a Map Run has completed
 * its execution or is aborted, the count … is reset to 0."
 * `failuresNotRedrivable`: the unsuccessful ones a redrive would not run
 * again — "its redrivable period of 14 days has expired", which "might [be
 * so] if the parent workflow execution has closed within 14 days, but the
 * child workflow execution closed earlier than 14 days".
 */
export function redriveCounts(children: readonly Frame[], run: { redrivenAt?: number; ended: boolean }, now: number): RedriveCounts {
  let pendingRedrive = 0;
  let failuresNotRedrivable = 0;
  for (const child of children) {
    if (!UNSUCCESSFUL.has(child.status)) continue;
    const endedAt = child.endedAt ?? child.enteredAt;
    if (now - endedAt > REDRIVABLE_MS) failuresNotRedrivable++;
    else if (!run.ended && run.redrivenAt !== undefined && endedAt <= run.redrivenAt) pendingRedrive++;
  }
  return { pendingRedrive, failuresNotRedrivable };
}
