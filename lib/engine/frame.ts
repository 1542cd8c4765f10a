/**
 * Frames: the whole run state of an execution, as plain JSON.
 *
 * An execution is a root frame plus one child frame per Parallel branch and
 * per Map iteration. A frame holds everything `step` needs besides the
 * compiled definition and the execution's fixed facts, under stable keys, so
 * it survives a trip through a queue, a table, or `JSON.stringify`.
 */
import type { JsonValue } from '../asl/json';
import type { RerunChild, TaskFailedMessage, TaskSucceededMessage } from './messages';

export const FrameStatus = {
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  TIMED_OUT: 'TIMED_OUT',
  ABORTED: 'ABORTED',
} as const;
export type FrameStatus = (typeof FrameStatus)[keyof typeof FrameStatus];

/** Where a frame is within its current state. */
export const FramePhase = {
  /** Transitioned into `state`; an Enter message will run it. */
  ENTERING: 'ENTERING',
  /** A task attempt is scheduled and awaited. */
  TASK: 'TASK',
  /** Waiting for a retry interval to elapse before the next attempt. */
  RETRY_WAIT: 'RETRY_WAIT',
  /** A Wait state is waiting. */
  WAITING: 'WAITING',
  /** A Map or Parallel state is running its child frames. */
  CHILDREN: 'CHILDREN',
  /** Every child finished; their outputs are being collected. */
  COLLECTING: 'COLLECTING',
  /**
   * A Map or Parallel state is failing (`error`, `cause`): its children still
   * running are being cut short, and it fails once the driver says they are.
   */
  ABORTING: 'ABORTING',
  /** A DISTRIBUTED Map is waiting for its ItemReader. */
  READING_ITEMS: 'READING_ITEMS',
  /** A DISTRIBUTED Map is waiting for its ResultWriter to export the results. */
  WRITING_RESULTS: 'WRITING_RESULTS',
  /** The frame has ended; see `status`. */
  DONE: 'DONE',
} as const;
export type FramePhase = (typeof FramePhase)[keyof typeof FramePhase];

/** The task attempt a frame is waiting on. */
export interface PendingTask {
  /** Attempt number within this state entry, 0 first. */
  attempt: number;
  /** The task token handed out for this attempt, when the integration uses one. */
  token?: string;
  /** Heartbeats received; a heartbeat timer only fires for the count it was set with. */
  heartbeats: number;
  /** An activity task's worker took it (ActivityStarted is recorded once). */
  started?: true;
  heartbeatSeconds?: number;
  /**
   * What a `.sync` task submitted and now waits for (a child execution's
   * ARN), once its TaskSubmitted event is recorded: stopping the task stops it.
   */
  job?: string;
  /**
   * The job's end, when it came before the submission was recorded (a child
   * that ended at once): applied right after TaskSubmitted, so the history
   * reads in the order things happened.
   */
  early?: TaskSucceededMessage | TaskFailedMessage;
}

/** Progress of a Map or Parallel state's children. */
export interface ChildProgress {
  /** Distinguishes the children of a retried Map or Parallel from those of the attempt before. */
  run: number;
  total: number;
  /** Children started so far (indexes 0 … started-1). */
  started: number;
  succeeded: number;
  failed: number;
  /** 0 means no limit. */
  maxConcurrency: number;
  /** DISTRIBUTED Map: failures tolerated before the Map fails. */
  toleratedFailures: number;
  /**
   * Which children have reported completion: every index below `doneBelow`,
   * plus the sorted `doneAbove`. A completion reported twice (a redelivered
   * message) is recognised and counted once. Children finish roughly in
   * index order, so `doneAbove` stays short.
   */
  doneBelow?: number;
  doneAbove?: number[];
  /** The redrive whose ChildrenRedriven this run applied last, so a duplicate of it changes nothing. */
  redriven?: number;
  /** DISTRIBUTED Map: how many times this run's Map Run was redriven (DescribeMapRun's redriveCount), and when last. */
  mapRunRedrives?: number;
  mapRunRedrivenAt?: number;
  /** Children of a redriven Map waiting for its MaxConcurrency to let them be redriven (the Map Run's "Pending redrive"). */
  pendingRedrives?: number[];
  /** EXPRESS children of a redriven Map waiting likewise to run again (see RerunChild). */
  pendingReruns?: RerunChild[];
  /** The inputs each child starts from: the Map items (before ItemSelector), or the Parallel effective input. */
  items?: JsonValue[];
  effectiveInput: JsonValue;
}

/** A DISTRIBUTED Map iteration as the child execution it is (see {@link Frame.execution}). */
export interface ChildExecution {
  /** `arn:aws:states:REGION:ACCOUNT:execution:MACHINE/LABEL:UUID`. */
  arn: string;
  /** The iteration's frame: the child execution's root. */
  frameId: string;
  /** The Map Run that started it. */
  mapRunArn: string;
  /** How many times the child execution was redriven with its Map Run (DescribeExecution's redriveCount), and when last. */
  redriveCount?: number;
  redriveDate?: number;
  /** The entry its (re)run started at: past 0 when an EXPRESS child was run again by a redrive (see rerunChild). */
  startEntry?: number;
}

/** The retry counts of a state entry not yet retried: shared, since counts are copied on write (Transition.raise). */
export const NO_RETRIES: number[] = Object.freeze([]) as unknown as number[];

/** The variables of a frame that assigned none: shared, since assignment copies (Transition.assign). */
export const NO_VARIABLES: Record<string, JsonValue> = Object.freeze({}) as Record<string, JsonValue>;

export interface Frame {
  /** `root` for the execution's frame; children extend their parent's id. */
  id: string;
  parentId?: string;
  /** Index of this child within its parent's Map iterations or Parallel branches. */
  index?: number;
  /** The parent's `entry` when this child started; addresses the completion message. */
  parentEntry?: number;
  /** The parent's child run (see {@link ChildProgress.run}) this child belongs to. */
  parentRun?: number;
  /** Pointer of the states list this frame runs (`''` top level, `/States/P/Branches/0`, ...). */
  scope: string;
  /** Incremented by every committed transition; the store's optimistic lock. */
  version: number;
  status: FrameStatus;
  phase: FramePhase;
  /** The current state. */
  state: string;
  /** Incremented on every state entry; messages carry it so stale ones are ignored. */
  entry: number;
  /** The raw input of the current state. */
  input: JsonValue;
  /** When the current state was entered (epoch ms). */
  enteredAt: number;
  /**
   * The history id of the current state's `…StateEntered` event, when the
   * driver told `step` which id its events start at (see StepOptions); quoted
   * in cause texts the way Step Functions does.
   */
  enteredEventId?: number;
  /**
   * How many history events the frame and the children whose completions it
   * counted have recorded in its history (its execution's, or its child
   * execution's), or undefined when that is not known: a driver that numbers
   * events only when history is read learns from it where a state's entered
   * event stands (event-count.ts).
   */
  recordedEvents?: number;
  /**
   * How many events of its history come before the frame's first, when that
   * is known exactly: a child started as its parent's only one running
   * (event-count.ts). Undefined for a history's first frame, which has none.
   */
  precedingEvents?: number;
  /** Variables assigned in this frame's scope. */
  vars: Record<string, JsonValue>;
  /** Variables of the enclosing scopes, visible read-only (Parallel branches, INLINE Map iterations). */
  outerVars?: Record<string, JsonValue>;
  /** Attempts used per Retrier of the current state, by index. */
  retries: number[];
  task?: PendingTask;
  /** Epoch ms a Wait state waits until. */
  waitUntil?: number;
  children?: ChildProgress;
  /**
   * How many times the execution was redriven when the frame last (re)started: the root frame's
   * ignores timers of an earlier run; a child inherits its parent's, and a redriven one takes the new count.
   */
  redrives?: number;
  /** Child frames: when the child started and ended (epoch ms), for ResultWriter's StartDate and StopDate. */
  startedAt?: number;
  endedAt?: number;
  /**
   * The child execution this frame runs in: a DISTRIBUTED Map's iteration
   * is a child execution of its Map Run, with its own ARN and history
   * (`frameId` is the iteration's frame); inherited by the frames it starts.
   * Absent for the execution's own frames.
   */
  execution?: ChildExecution;
  /** Set when the frame ends. */
  output?: JsonValue;
  error?: string;
  cause?: string;
}

/**
 * The frame a transition starts from: a copy with the next version. Every
 * field is written in one fixed order so all frames share one object shape
 * (a spread of an object with optional members does not), which keeps the
 * engine's property reads monomorphic on the hot path.
 */
export function nextVersion(frame: Frame): Frame {
  return copyFrame(frame, frame.version + 1);
}

/** A copy of `frame` at `version`, its fields in the one order every frame has (see {@link nextVersion}). */
export function copyFrame(frame: Frame, version: number): Frame {
  return {
    id: frame.id,
    parentId: frame.parentId,
    index: frame.index,
    parentEntry: frame.parentEntry,
    parentRun: frame.parentRun,
    scope: frame.scope,
    version,
    status: frame.status,
    phase: frame.phase,
    state: frame.state,
    entry: frame.entry,
    input: frame.input,
    enteredAt: frame.enteredAt,
    enteredEventId: frame.enteredEventId,
    recordedEvents: frame.recordedEvents,
    precedingEvents: frame.precedingEvents,
    vars: frame.vars,
    outerVars: frame.outerVars,
    retries: frame.retries,
    task: frame.task,
    waitUntil: frame.waitUntil,
    children: frame.children,
    redrives: frame.redrives,
    startedAt: frame.startedAt,
    endedAt: frame.endedAt,
    execution: frame.execution,
    output: frame.output,
    error: frame.error,
    cause: frame.cause,
  };
}

/**
 * `progress` with `changes` applied, as a new object whose fields are
 * written in one fixed order (see {@link nextVersion}): a Map of 10,000
 * iterations makes a new one per completion, and the engine reads them all.
 * Also normalises a new progress literal.
 */
export function progressWith(progress: ChildProgress, changes?: Partial<ChildProgress>): ChildProgress {
  const next: ChildProgress = {
    run: progress.run,
    total: progress.total,
    started: progress.started,
    succeeded: progress.succeeded,
    failed: progress.failed,
    maxConcurrency: progress.maxConcurrency,
    toleratedFailures: progress.toleratedFailures,
    doneBelow: progress.doneBelow,
    doneAbove: progress.doneAbove,
    redriven: progress.redriven,
    mapRunRedrives: progress.mapRunRedrives,
    mapRunRedrivenAt: progress.mapRunRedrivenAt,
    pendingRedrives: progress.pendingRedrives,
    pendingReruns: progress.pendingReruns,
    items: progress.items,
    effectiveInput: progress.effectiveInput,
  };
  return changes ? Object.assign(next, changes) : next;
}
