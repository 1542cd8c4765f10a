/**
 * A Map Run's child executions as its redrives leave them (developer guide,
 * "Redriving Map Runs in Step Functions executions"), read from their frames:
 * each child's own redrive count and date, its status as DescribeExecution
 * and ListExecutions report it, and how long it stays redrivable. The
 * engine's side is lib/engine/map-run-redrive.ts; DescribeMapRun's
 * `pendingRedrive` and `failuresNotRedrivable`: map-run-counts.ts.
 */
import { FrameStatus, type Frame } from '../engine/frame';
import type { ExecutionStatus } from './ports';

/**
 * How long after its end an execution can be redriven (the service's 14
 * days): an unsuccessful child that ended longer ago counts in
 * `failuresNotRedrivable` — "its redrivable period of 14 days has expired",
 * which "might [be so] if the parent workflow execution has closed within 14
 * days, but the child workflow execution closed earlier than 14 days".
 */
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
