/**
 * Effects: what a transition asks its driver to do. `step` never performs
 * I/O; it returns these, and the driver carries them out after committing
 * the new frame (they are the transition's outbox).
 */
import type { JsonValue } from '../asl/json';
import type { TaskInvocation } from './ports/task-runner';
import type { Frame } from './frame';
import type { Message } from './messages';

/** Send a message, now or after a delay. */
export interface DeliverEffect {
  type: 'Deliver';
  message: Message;
  /** Milliseconds; 0 for now. */
  delayMs: number;
}

/** Run one task attempt; its outcome comes back as TaskSucceeded / TaskFailed for `frameId`, `entry`, `attempt`. */
export interface InvokeTaskEffect {
  type: 'InvokeTask';
  frameId: string;
  entry: number;
  attempt: number;
  invocation: TaskInvocation;
  /** The task waits for a token (callback pattern); the runner's own result is not the task's result. */
  waitForToken: boolean;
  /** An activity task: the driver queues it for GetActivityTask instead of invoking a runner. */
  activityArn?: string;
}

/** Abandon a task attempt (timed out, aborted): the driver cancels it and forgets its token. */
export interface CancelTaskEffect {
  type: 'CancelTask';
  frameId: string;
  attempt: number;
  token?: string;
  /** The job a `.sync` task submitted (a child execution's ARN): the driver stops it too. */
  job?: string;
}

/** The CancelTask effect for a frame's pending task attempt. */
export function cancelTaskEffect(frameId: string, task: { attempt: number; token?: string; job?: string }): CancelTaskEffect {
  return { type: 'CancelTask', frameId, attempt: task.attempt, ...(task.token !== undefined ? { token: task.token } : {}), ...(task.job !== undefined ? { job: task.job } : {}) };
}

/** Create child frames and run them. */
export interface StartFramesEffect {
  type: 'StartFrames';
  frames: Frame[];
  /**
   * How many of the step's events came before the children started: their
   * first events follow the last of those (for a driver that numbers
   * events, as the in-process one does).
   */
  eventsBefore?: number;
}

/** Abort every running descendant frame of `frameId` (a Map or Parallel state failed or was stopped). */
export interface AbortChildrenEffect {
  type: 'AbortChildren';
  frameId: string;
  /**
   * The children of the current run that were started, so a driver whose
   * store only holds frames that committed a transition can also stop those
   * whose first message is still on its way.
   */
  childIds?: string[];
  /**
   * Set when the state is failing and waits for its children to end first:
   * each running descendant records its state's …Aborted event (aborted.ts),
   * innermost first, and the driver then replies ChildrenAborted for this
   * entry. Absent, the execution itself ended: its states record nothing,
   * and only a child execution records ExecutionAborted.
   */
  failing?: { entry: number };
}

/**
 * RedriveExecution reached a Map or Parallel state: find which of the
 * `started` children of `frameId`'s run succeeded, redrive the others that
 * ran, and reply ChildrenRedriven (naming those that never ran, which the
 * state starts again itself).
 */
export interface RedriveChildrenEffect {
  type: 'RedriveChildren';
  frameId: string;
  entry: number;
  run: number;
  started: number;
  redriveCount: number;
  /**
   * A Map with a MaxConcurrency: reply with the children to redrive instead
   * of redriving them, and the Map redrives them as the limit allows.
   */
  limited?: boolean;
  /**
   * EXPRESS child workflows: reply with the unsuccessful children that ran
   * (`rerun`) instead of redriving them; the Map starts each again as a new
   * execution ("the Express child workflows are rerun using the
   * StartExecution API action").
   */
  rerun?: boolean;
}

/** Gather the outputs of the `count` children of `frameId` started at `entry`, and reply ChildrenCollected. */
export interface CollectChildrenEffect {
  type: 'CollectChildren';
  frameId: string;
  entry: number;
  run: number;
  /** Child frame ids, in index order. */
  childIds: string[];
  /** Also reply each child's status and start and stop times (ResultWriter). */
  details?: boolean;
}

/** Export a DISTRIBUTED Map's results (ResultWriter): put these objects, then reply ResultsWritten. */
export interface WriteResultsEffect {
  type: 'WriteResults';
  frameId: string;
  entry: number;
  objects: { bucket: string; key: string; body: string }[];
}

/** Read a DISTRIBUTED Map's items (ItemReader) and reply ItemsRead. */
export interface ReadItemsEffect {
  type: 'ReadItems';
  frameId: string;
  entry: number;
  reader: JsonValue;
}

/** The execution reached a terminal status. */
export interface ExecutionFinishedEffect {
  type: 'ExecutionFinished';
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: JsonValue;
  error?: string;
  cause?: string;
}

export type Effect =
  | DeliverEffect
  | InvokeTaskEffect
  | CancelTaskEffect
  | StartFramesEffect
  | AbortChildrenEffect
  | RedriveChildrenEffect
  | CollectChildrenEffect
  | ReadItemsEffect
  | WriteResultsEffect
  | ExecutionFinishedEffect;

/**
 * How a driver carries out effects: one handler per Effect type, each given
 * its own effect and the driver's `context`. Every driver implements it, so a
 * new effect does not compile until each driver handles it (as
 * `StateHandlers` does for state types).
 */
export type EffectHandlers<C, R> = { readonly [K in Effect['type']]: (effect: Extract<Effect, { type: K }>, context: C) => R };

/** Carries out one effect with the handler its type names. */
export function performEffect<C, R>(handlers: EffectHandlers<C, R>, effect: Effect, context: C): R {
  // Indexing the mapped type by a union loses the pairing of each type with its handler: restored by this one cast.
  return (handlers[effect.type] as (effect: Effect, context: C) => R)(effect, context);
}

/** An effect a driver cannot carry out by design (it never produces the message that leads to it). */
export class EffectNotSupportedError extends Error {
  constructor(
    readonly effectType: Effect['type'],
    reason: string,
  ) {
    super(`The effect ${effectType} is not supported here: ${reason}`);
    this.name = 'EffectNotSupportedError';
  }
}
