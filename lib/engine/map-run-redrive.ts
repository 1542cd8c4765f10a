/**
 * What RedriveExecution does to a DISTRIBUTED Map (developer guide,
 * "Redriving Map Runs in Step Functions executions"): "A redriven parent
 * workflow redrives all the unsuccessful states, including Distributed Map",
 * and its unsuccessful Standard child workflow executions "are redriven
 * using the RedriveExecution API action … from the last state in
 * ItemProcessor that resulted in their unsuccessful execution". The parent
 * records MapRunRedriven, each redriven child ExecutionRedriven in its own
 * history; the Map Run and each child count their own redrives.
 */
import { StatesErrorName } from '../asl/errors';
import type { CompiledState } from '../asl/model';
import { event, type EventDraft } from './events';
import type { ExecutionInfo } from './execution';
import { copyFrame, progressWith, type ChildExecution, type ChildProgress, type Frame } from './frame';
import type { RerunChild } from './messages';
import { mapRunArn } from './states/result-writer';

/**
 * "A new Map Run is started and the existing Map Run isn't redriven … [when
 * the] Map Run failed because of the States.DataLimitExceeded error [or] the
 * JSON data interpolation error, States.Runtime."
 */
export function startsNewMapRun(state: CompiledState | undefined, frame: Frame): boolean {
  if (state?.type !== 'Map' || state.mode !== 'DISTRIBUTED') return false;
  return frame.error === StatesErrorName.DataLimitExceeded || frame.error === StatesErrorName.Runtime;
}

/**
 * "You haven't exceeded the hard limit of 1000 redrives of a given Map Run.
 * If you've exceeded this limit, you'll receive the States.Runtime error."
 * (developer guide, "Redrive eligibility for child workflows in a Map Run").
 */
export const MAX_MAP_RUN_REDRIVES = 1000;

/**
 * The cause a Map Run past its redrive limit fails the execution with, or
 * undefined while it may be redriven again. (The guide names the error, not
 * its cause text: this wording is ours.)
 */
export function mapRunRedrivesExceeded(state: CompiledState | undefined, progress: ChildProgress): string | undefined {
  if (state?.type !== 'Map' || state.mode !== 'DISTRIBUTED') return undefined;
  if ((progress.mapRunRedrives ?? 0) < MAX_MAP_RUN_REDRIVES) return undefined;
  return `The Map Run of the state '${state.name}' has been redriven the maximum number of times (${MAX_MAP_RUN_REDRIVES}).`;
}

/**
 * A redriven DISTRIBUTED Map's run: its progress counting one more redrive of
 * its Map Run, and the parent's MapRunRedriven ("the number of times the Map
 * Run has been redriven at this point in the execution's history including
 * this event"). Undefined for any other state.
 */
export function redriveMapRun(
  execution: ExecutionInfo,
  frame: Frame,
  state: CompiledState | undefined,
  progress: ChildProgress,
  now: number,
): { progress: ChildProgress; event: EventDraft } | undefined {
  if (state?.type !== 'Map' || state.mode !== 'DISTRIBUTED') return undefined;
  const redriveCount = (progress.mapRunRedrives ?? 0) + 1;
  const arn = mapRunArn({ execution, frame }, state, progress.run);
  return {
    progress: progressWith(progress, { mapRunRedrives: redriveCount, mapRunRedrivenAt: now }),
    event: event('MapRunRedriven', frame.id, now, { mapRunArn: arn, redriveCount }),
  };
}

/**
 * A redriven frame that is a child execution's root: the child counting one
 * more redrive of its own, and its ExecutionRedriven. Undefined for any other
 * frame (an iteration of an INLINE Map, a Parallel branch, a frame inside a
 * child execution).
 */
export function redriveChildExecution(frame: Frame, now: number): { execution: ChildExecution; event: EventDraft } | undefined {
  const own = frame.execution;
  if (own === undefined || own.frameId !== frame.id) return undefined;
  const redriveCount = (own.redriveCount ?? 0) + 1;
  return {
    execution: { ...own, redriveCount, redriveDate: now },
    event: event('ExecutionRedriven', frame.id, now, { redriveCount }),
  };
}

/**
 * An EXPRESS child execution run again by its Map Run's redrive: "When you
 * redrive a Map Run, the Express child workflows are rerun using the
 * StartExecution API action" — from the ItemProcessor's first state with its
 * item's input, as a new execution (its own redrive count 0). `child` is the
 * new iteration's frame; it takes the place of the one that ended (`at`): a
 * version past that one's last, so its first write follows it, and an entry
 * past its last, so the frames it starts have ids of their own.
 */
export function rerunChild(child: Frame, at: RerunChild): Frame {
  const frame = copyFrame(child, at.version + 1);
  frame.entry = at.entry + 1;
  frame.execution = { ...child.execution!, startEntry: frame.entry };
  // Its history holds the versions of the run before it too: not counted here (event-count.ts).
  frame.recordedEvents = undefined;
  return frame;
}

/** True when `frame`, entering at `entry`, is a child execution's first state: its history starts with ExecutionStarted. */
export function startsChildExecution(frame: Frame): boolean {
  const own = frame.execution;
  if (own === undefined || own.frameId !== frame.id) return false;
  // (A child restarted in place of one aborted before its first transition starts at version 1: see restartedChild.)
  return own.startEntry === undefined ? frame.version <= 1 && frame.entry === 0 : frame.entry === own.startEntry;
}
