/**
 * What Parallel and Map share: child frames, counting their completions on
 * the parent, and collecting their outputs once all are done.
 */
import type { JsonValue } from '../../asl/json';
import type { CompiledState } from '../../asl/model';
import type { StateHandler } from './handler';
import type { ChildProgress } from '../frame';
import { isPromise, type Awaitable } from '../../asl/awaitable';
import type { ChildCompletedMessage, ChildDetail, Message } from '../messages';
import type { AbortChildrenEffect } from '../effects';
import { copyFrame, FramePhase, FrameStatus, NO_RETRIES, NO_VARIABLES, progressWith, type Frame } from '../frame';
import type { Transition } from '../transition';

/** The id of a child frame: parent id, state entry, child run, index — unique and deterministic. */
export function childId(parent: Pick<Frame, 'id' | 'entry'>, run: number, index: number): string {
  return `${parent.id}/${parent.entry}.${run}.${index}`;
}

/**
 * A new child frame running `scope` on `input`; with `childExecution`, a
 * DISTRIBUTED Map's iteration: a child execution of that ARN, of that Map Run.
 */
export function newChild(t: Transition, scope: string, run: number, index: number, input: JsonValue, childExecution?: { arn: string; mapRunArn: string }): Frame {
  const parent = t.frame;
  const startAt = t.machine.scopes.get(scope)!.startAt;
  const child: Frame = {
    id: childId(parent, run, index),
    parentId: parent.id,
    index,
    parentEntry: parent.entry,
    parentRun: run,
    scope,
    version: 0,
    status: FrameStatus.RUNNING,
    phase: FramePhase.ENTERING,
    state: startAt,
    entry: 0,
    input,
    enteredAt: t.now,
    vars: NO_VARIABLES,
    retries: NO_RETRIES,
    startedAt: t.now,
    recordedEvents: 0,
  };
  // Which run of the execution started it: a driver that caches the execution's record knows it is stale when a frame is newer.
  if (parent.redrives !== undefined) child.redrives = parent.redrives;
  // "States in a Parallel branch or Map iteration can read variables from outer scopes"; DISTRIBUTED child workflows cannot.
  if (childExecution === undefined) child.outerVars = t.variablesForChildren();
  const execution = childExecution !== undefined ? { arn: childExecution.arn, frameId: child.id, mapRunArn: childExecution.mapRunArn } : parent.execution;
  if (execution !== undefined) child.execution = execution;
  return copyFrame(child, 0);
}

/** Asks the driver to collect the outputs of every child of the current run. */
export function collect(t: Transition, withDetails = false): void {
  const progress = t.frame.children!;
  const childIds: string[] = new Array(progress.total);
  for (let i = 0; i < progress.total; i++) childIds[i] = childId(t.frame, progress.run, i);
  t.frame.phase = FramePhase.COLLECTING;
  t.effect({ type: 'CollectChildren', frameId: t.frame.id, entry: t.frame.entry, run: progress.run, childIds, ...(withDetails ? { details: true } : {}) });
}

/**
 * The run number of the next child run: one per attempt of the state, and
 * past any run the state had before (a redrive resets the retry counts).
 */
export function nextRun(t: Transition): number {
  const attempts = t.frame.retries.reduce((a, b) => a + b, 0);
  const before = t.frame.children?.run;
  return before !== undefined && before >= attempts ? before + 1 : attempts;
}

/**
 * Applies ChildrenRedriven: the children that had succeeded count as done;
 * returns the indexes to start again (aborted before they ran), or undefined
 * when the message is stale.
 */
export function redriven(t: Transition, message: Extract<Message, { type: 'ChildrenRedriven' }>): number[] | undefined {
  let progress = t.frame.children;
  if (t.frame.phase !== FramePhase.CHILDREN || !progress || message.run !== progress.run) return undefined;
  if ((progress.redriven ?? 0) >= message.redriveCount) return undefined; // a duplicate
  progress = progressWith(progress, { redriven: message.redriveCount });
  for (const index of message.succeeded) {
    const done = markCompleted(progress, index);
    if (done) progress = progressAfter(progress, done, 'SUCCEEDED');
  }
  t.frame.children = progress;
  return message.restart;
}

/**
 * Child frames that replace ones aborted before their first transition: a
 * version past the stored stub, so their first write supersedes it.
 */
export function restartedChild(child: Frame): Frame {
  return copyFrame(child, 1);
}

/**
 * Records that child `index` completed; undefined when it had already (a
 * duplicate completion message), so each child is counted exactly once.
 */
export function markCompleted(progress: ChildProgress, index: number): Pick<ChildProgress, 'doneBelow' | 'doneAbove'> | undefined {
  let below = progress.doneBelow ?? 0;
  const above = progress.doneAbove ?? [];
  if (index < below || above.includes(index)) return undefined;
  let rest: number[];
  if (index === below) {
    below++;
    let i = 0;
    while (i < above.length && above[i] === below) {
      below++;
      i++;
    }
    rest = i === 0 ? above : above.slice(i);
  } else {
    rest = above.slice();
    let at = rest.length;
    while (at > 0 && rest[at - 1] > index) at--;
    rest.splice(at, 0, index);
  }
  return rest.length > 0 ? { doneBelow: below, doneAbove: rest } : { doneBelow: below, doneAbove: undefined };
}

/** `progress` once a completion markCompleted accepted is counted: its `done` marks and one more succeeded or failed child. */
export function progressAfter(progress: ChildProgress, done: Pick<ChildProgress, 'doneBelow' | 'doneAbove'>, status: 'SUCCEEDED' | 'FAILED'): ChildProgress {
  const next = progressWith(progress);
  next.doneBelow = done.doneBelow;
  next.doneAbove = done.doneAbove;
  if (status === 'SUCCEEDED') next.succeeded++;
  else next.failed++;
  return next;
}

/**
 * Applies ChildrenCompleted's completions in order with `apply`, as separate
 * steps would: once one ends the state's children phase (collecting, failed,
 * caught, retried), the rest would be stale there, and are here.
 */
function eachCompletion(t: Transition, completions: readonly ChildCompletedMessage[], apply: (m: ChildCompletedMessage) => Awaitable<void>): Awaitable<void> {
  const entry = t.frame.entry;
  const from = (start: number): Awaitable<void> => {
    for (let i = start; i < completions.length; i++) {
      if (t.frame.phase !== FramePhase.CHILDREN || t.frame.entry !== entry) return;
      const work = apply(completions[i]);
      if (isPromise(work)) return work.then(() => from(i + 1));
    }
  };
  return from(0);
}

/**
 * The `receive` of a state with children (Map, Parallel): each child
 * completion, alone or in a ChildrenCompleted, to `completed`; any other
 * message to `other`.
 */
export function receiveWithChildren<S extends CompiledState>(
  completed: (t: Transition, state: S, message: ChildCompletedMessage) => Awaitable<void>,
  other: (t: Transition, state: S, message: Message) => Awaitable<void>,
): NonNullable<StateHandler<S>['receive']> {
  return (t, state, message) => {
    if (message.type === 'ChildCompleted') return completed(t, state, message);
    if (message.type === 'ChildrenCompleted') return eachCompletion(t, message.completions, (m) => completed(t, state, m));
    return other(t, state, message);
  };
}

/** A finished child frame as ResultWriter reports it (drivers build these for CollectChildren with `details`). */
export function childDetail(child: Frame | undefined, now: number): ChildDetail {
  const status = (child?.status ?? 'FAILED') as ChildDetail['status'];
  // (Only a child execution's own root counts its redrives: frames inside it carry its record too.)
  const redriveCount = child?.execution?.frameId === child?.id ? child?.execution?.redriveCount : undefined;
  return { status, startDate: child?.startedAt ?? now, stopDate: child?.endedAt ?? now, ...(redriveCount !== undefined ? { redriveCount } : {}) };
}

/**
 * What CollectChildren replies for one child: a succeeded child's output, or
 * the error and cause it ended with (a Parallel or Map reads them when it
 * tolerates failures).
 */
export function childOutput(child: Frame | undefined): JsonValue {
  return child?.status === FrameStatus.SUCCEEDED ? (child.output ?? null) : { Error: child?.error ?? null, Cause: child?.cause ?? null };
}

/**
 * The AbortChildren effect for `frame`: every running descendant, naming the
 * current run's started children; `failing`: the state fails once they are cut short.
 */
export function abortChildrenEffect(frame: Frame, failing = false): AbortChildrenEffect {
  const progress = frame.children;
  const childIds = progress ? Array.from({ length: progress.started }, (_, i) => childId(frame, progress.run, i)) : [];
  return { type: 'AbortChildren', frameId: frame.id, ...(childIds.length > 0 ? { childIds } : {}), ...(failing ? { failing: { entry: frame.entry } } : {}) };
}

export function abortChildren(t: Transition): void {
  t.effect(abortChildrenEffect(t.frame));
}

/**
 * A failing Map or Parallel whose children still run cuts them short first
 * (ABORTING: each records its state's …Aborted event) and fails with `error`
 * when ChildrenAborted says they have; false when none runs, and it fails now.
 */
export function cutShort(t: Transition, error: string, cause: string | undefined): boolean {
  const progress = t.frame.children;
  if (!progress || t.frame.phase !== FramePhase.CHILDREN || progress.started - progress.succeeded - progress.failed <= 0) return false;
  t.frame.phase = FramePhase.ABORTING;
  t.frame.error = error;
  t.frame.cause = cause;
  t.effect(abortChildrenEffect(t.frame, true));
  return true;
}

/** The failure a state in ABORTING resumes with once its children are cut short (undefined: the message is stale). */
export function resumeFailure(t: Transition, message: Message): { error: string; cause: string | undefined } | undefined {
  if (message.type !== 'ChildrenAborted' || t.frame.phase !== FramePhase.ABORTING) return undefined;
  const failure = { error: t.frame.error ?? 'States.Runtime', cause: t.frame.cause };
  t.frame.phase = FramePhase.CHILDREN;
  t.frame.error = undefined;
  t.frame.cause = undefined;
  return failure;
}
