/**
 * `step(machine, execution, frame, message, now)` — the whole engine.
 *
 * It turns one message into one decision: the new frame, the history events
 * and the effects for the driver to carry out. It performs no I/O and reads
 * no clock or random source of its own, so the in-process driver and the
 * cloud driver run the very same transitions, and a replayed message decides
 * the same thing twice. The frame passed in is never modified.
 */
import { isPromise, type Awaitable } from '../asl/awaitable';
import type { JsonValue } from '../asl/json';
import type { CompiledStateMachine } from '../asl/model';
import { StatesErrorName } from '../asl/errors';
import { cancelTaskEffect, type Effect } from './effects';
import { errorDetails, event, type EventDraft, inputDetails, stateEntered } from './events';
import type { ExecutionInfo } from './execution';
import { FramePhase, FrameStatus, copyFrame, nextVersion, NO_RETRIES, NO_VARIABLES, progressWith, type Frame } from './frame';
import type { Message } from './messages';
import type { TaskTokenKey } from './token';
import { handlerFor } from './states';
import { Transition } from './transition';
import { abortChildrenEffect } from './states/children';
import { mapRunRedrivesExceeded, redriveChildExecution, redriveMapRun, startsChildExecution, startsNewMapRun } from './map-run-redrive';
import { mapRunAborted } from './aborted';
import { historyLimitCause } from './history-limit';
import { countedNextEventId, hasUncountedChildren, placeStartedChildren, plusEvents } from './event-count';

export interface StepResult {
  /** The frame after the transition; the same object as the input when the message was stale. */
  frame: Frame;
  events: EventDraft[];
  effects: Effect[];
  /** False when the message was stale or a duplicate and nothing changed. */
  changed: boolean;
}

const ROOT = 'root';

/** The root frame, ExecutionStarted, and the first Enter: what StartExecution commits. */
export function startExecution(machine: CompiledStateMachine, execution: ExecutionInfo): StepResult {
  const root = machine.scopes.get('')!;
  // Through copyFrame: every frame has the same fields in the same order (see nextVersion).
  const frame: Frame = copyFrame(
    {
      id: ROOT,
      scope: '',
      version: 1,
      status: FrameStatus.RUNNING,
      phase: FramePhase.ENTERING,
      state: root.startAt,
      entry: 0,
      input: execution.input,
      enteredAt: execution.startTime,
      vars: NO_VARIABLES,
      retries: NO_RETRIES,
    },
    1,
  );
  frame.recordedEvents = 1; // ExecutionStarted
  const events: EventDraft[] = [
    event('ExecutionStarted', ROOT, execution.startTime, {
      ...inputDetails(execution.input),
      roleArn: execution.roleArn,
      stateMachineArn: execution.stateMachineArn,
    }),
  ];
  const effects: Effect[] = [{ type: 'Deliver', message: { type: 'Enter', frameId: ROOT, entry: 0 }, delayMs: 0 }];
  if (machine.timeoutSeconds !== undefined) {
    effects.push({ type: 'Deliver', message: { type: 'ExecutionTimeout', frameId: ROOT }, delayMs: machine.timeoutSeconds * 1000 });
  }
  return { frame, events, effects, changed: true };
}

function unchanged(frame: Frame): StepResult {
  return { frame, events: [], effects: [], changed: false };
}

/** What a driver may tell `step` beyond the message. */
export interface StepOptions {
  /**
   * The history id the first event of this step will get, when the driver
   * numbers events as it commits them (the in-process driver does). The
   * engine quotes the id of a state's entered event in cause texts, as Step
   * Functions does; without it the quote is left out.
   */
  nextEventId?: number;
  /**
   * How many states this step may take the frame through (1: the message's
   * own work only). When a state moves on to the next, the next is entered in
   * the same step instead of by an Enter message: the same events, fewer
   * frames and messages for the driver to commit and send.
   * @default 1
   */
  maxStates?: number;
  /**
   * The deployment's task token key: a Task state that hands out a token
   * (callback tasks and activities) signs it with this key (see token.ts).
   * Never stored in the frame, a message or history. A step that must hand
   * out a token without one throws: a driver that runs such tasks must give it.
   */
  tokenKey?: TaskTokenKey;
  /**
   * The largest output a state may produce, in UTF-8 bytes of its JSON: a
   * larger one fails the frame with States.DataLimitExceeded, as Step
   * Functions fails it at 256 KiB (aws-limits.ts). @default no limit
   */
  maxPayloadBytes?: number;
  /**
   * How far an INLINE Map's iterations may start past the first one not yet
   * counted done (ChildProgress.doneBelow): no more than this many start in
   * one step, and the frame's set of completions counted out of order
   * (doneAbove) stays below it, whatever the number of items. A driver that
   * stores every frame version and its outbox sets it; iterations still run
   * as MaxConcurrency allows within it. @default no window
   */
  childWindow?: number;
}

/** Applies one message to one frame. */
export async function step(
  machine: CompiledStateMachine,
  execution: ExecutionInfo,
  frame: Frame,
  message: Message,
  now: number,
  options: StepOptions = {},
): Promise<StepResult> {
  return stepNow(machine, execution, frame, message, now, options);
}

/**
 * {@link step}, returning its result directly when the transition needed no
 * asynchronous evaluation (every JSONPath state): drivers that loop over
 * many transitions use this to avoid a microtask hop per transition.
 */
export function stepNow(
  machine: CompiledStateMachine,
  execution: ExecutionInfo,
  frame: Frame,
  message: Message,
  now: number,
  options: StepOptions = {},
): Awaitable<StepResult> {
  if (message.type === 'Redrive') return redrive(machine, execution, frame, message, now);
  if (frame.status !== FrameStatus.RUNNING || message.frameId !== frame.id) return unchanged(frame);
  if (message.type === 'Stop' || message.type === 'ExecutionTimeout' || message.type === 'HistoryLimit' || message.type === 'RuntimeFailure') return endExecution(machine, execution, frame, message, now);
  if (message.entry !== frame.entry) return unchanged(frame);

  const t = new Transition(machine, execution, nextVersion(frame), now);
  t.inlineEntries = (options.maxStates ?? 1) - 1;
  t.tokenKey = options.tokenKey;
  t.maxPayloadBytes = options.maxPayloadBytes;
  t.childWindow = options.childWindow;
  let work: Awaitable<void>;
  if (message.type === 'Enter') {
    if (frame.phase !== FramePhase.ENTERING) return unchanged(frame);
    if (startsChildExecution(frame)) childExecutionStarted(t, execution);
    work = enter(t, options);
  } else {
    const state = t.state;
    const handler = handlerFor(state);
    work = handler.receive ? handler.receive(t, state, message) : undefined;
  }
  if (t.inlineEntries > 0 || t.enterNext) work = isPromise(work) ? work.then(() => goOn(t, options)) : goOn(t, options);
  return isPromise(work) ? work.then(() => outcome(frame, t)) : outcome(frame, t);
}

/** A child execution's first event, as an execution's: its input, and the Map Run's state machine (`MACHINE/LABEL`). */
function childExecutionStarted(t: Transition, execution: ExecutionInfo): void {
  const arn = t.frame.execution!.arn;
  const stateMachineArn = arn.slice(0, arn.lastIndexOf(':')).replace(':execution:', ':stateMachine:');
  t.record('ExecutionStarted', { ...inputDetails(t.frame.input), roleArn: execution.roleArn, stateMachineArn });
}

/** Runs the state the transition's frame is entering. */
function enter(t: Transition, options: StepOptions): Awaitable<void> {
  const state = t.state;
  const handler = handlerFor(state);
  t.frame.phase = FramePhase.TASK; // provisional; every handler sets the phase it ends in
  // Numbered as committed (in-process), or counted (the service: event-count.ts).
  t.frame.enteredEventId = options.nextEventId !== undefined ? options.nextEventId + t.events.length : countedNextEventId(t.frame, t.recordedEvents);
  t.emit(stateEntered(state.type, state.name, t.frame.input, t.frame.id, t.now));
  return handler.enter(t, state);
}

/** Enters the next state while the one before handed straight on to it (see StepOptions.maxStates). */
function goOn(t: Transition, options: StepOptions): Awaitable<void> {
  while (t.enterNext) {
    t.enterNext = false;
    const work = enter(t, options);
    if (isPromise(work)) return work.then(() => goOn(t, options));
  }
}

function outcome(frame: Frame, t: Transition): StepResult {
  t.frame.recordedEvents = t.recordedEvents;
  for (const e of t.effects) if (e.type === 'StartFrames') placeStartedChildren(t.frame, t.frame.recordedEvents, e.frames);
  if (t.events.length === 0 && t.effects.length === 0 && sameFrame(frame, t.frame)) return unchanged(frame);
  return { frame: t.frame, events: t.events, effects: t.effects, changed: true };
}

function sameFrame(before: Frame, after: Frame): boolean {
  for (const key of Object.keys(after) as (keyof Frame)[]) {
    if (key !== 'version' && before[key] !== after[key]) return false;
  }
  return true;
}

/** The status, event and error each message that ends the whole execution records. */
function executionEnd(message: Extract<Message, { type: 'Stop' | 'ExecutionTimeout' | 'HistoryLimit' | 'RuntimeFailure' }>) {
  if (message.type === 'Stop') return { status: FrameStatus.ABORTED, finished: 'ABORTED', event: 'ExecutionAborted', error: message.error, cause: message.cause } as const;
  if (message.type === 'ExecutionTimeout') return { status: FrameStatus.TIMED_OUT, finished: 'TIMED_OUT', event: 'ExecutionTimedOut', error: StatesErrorName.Timeout, cause: undefined } as const;
  const cause = message.type === 'RuntimeFailure' ? message.cause : historyLimitCause(message.limit);
  return { status: FrameStatus.FAILED, finished: 'FAILED', event: 'ExecutionFailed', error: StatesErrorName.Runtime, cause } as const;
}

/** StopExecution, the execution's TimeoutSeconds, the history cap and a message that can never be applied end the root frame and abort everything under it. */
function endExecution(
  machine: CompiledStateMachine,
  _execution: ExecutionInfo,
  frame: Frame,
  message: Extract<Message, { type: 'Stop' | 'ExecutionTimeout' | 'HistoryLimit' | 'RuntimeFailure' }>,
  now: number,
): StepResult {
  if (frame.parentId !== undefined) return unchanged(frame);
  if (message.type === 'ExecutionTimeout' && (message.redrives ?? 0) !== (frame.redrives ?? 0)) return unchanged(frame);
  const { status, finished, event: type, error, cause } = executionEnd(message);
  const next: Frame = { ...frame, version: frame.version + 1, status, phase: FramePhase.DONE, error, cause };
  // A DISTRIBUTED Map's Map Run ends with it (its child executions each record ExecutionAborted: aborted.ts).
  const events: EventDraft[] = [...mapRunAborted(machine, frame, now), event(type, frame.id, now, errorDetails(error, cause))];
  const effects: Effect[] = [abortChildrenEffect(frame)];
  // Children it aborts record events it never counts (event-count.ts).
  next.recordedEvents = hasUncountedChildren(frame) ? undefined : plusEvents(frame.recordedEvents, events.length);
  if (frame.task) effects.push(cancelTaskEffect(frame.id, frame.task));
  effects.push({ type: 'ExecutionFinished', status: finished, ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
  return { frame: next, events, effects, changed: true };
}

/**
 * RedriveExecution: an ended frame "continues the failed execution from the
 * unsuccessful step and uses the same input" — the state it ended in is
 * entered again, with its retry counts reset; the root first records
 * ExecutionRedriven. A Map or Parallel state whose children had started
 * "reschedules and redrives only the iterations and branches that failed or
 * aborted": it keeps its run and asks the driver which children succeeded
 * (RedriveChildren), and each of the others is redriven in turn.
 */
function redrive(machine: CompiledStateMachine, execution: ExecutionInfo, frame: Frame, message: Extract<Message, { type: 'Redrive' }>, now: number): StepResult {
  const ended = frame.status === FrameStatus.FAILED || frame.status === FrameStatus.ABORTED || frame.status === FrameStatus.TIMED_OUT;
  if (frame.id !== message.frameId || !ended) return unchanged(frame);
  const root = frame.parentId === undefined;
  const state = machine.scopes.get(frame.scope)?.states.get(frame.state);
  const progress = frame.children;
  const base: Frame = {
    ...nextVersion(frame),
    status: FrameStatus.RUNNING,
    retries: [],
    task: undefined,
    waitUntil: undefined,
    error: undefined,
    cause: undefined,
    endedAt: undefined,
    redrives: message.redriveCount,
    // The redrive's events, and its other children's, come before this frame's next ones (event-count.ts).
    precedingEvents: undefined,
  };
  const events: EventDraft[] = root
    ? [event('ExecutionRedriven', frame.id, now, { redriveCount: message.redriveCount })]
    : [];
  // A DISTRIBUTED Map's iteration is a child execution: it is redriven as one, with a count of its own.
  const child = redriveChildExecution(frame, now);
  if (child) {
    base.execution = child.execution;
    events.push(child.event);
  }
  let next: Frame;
  const effects: Effect[] = [];
  if ((state?.type === 'Map' || state?.type === 'Parallel') && progress && progress.started > 0 && !startsNewMapRun(state, frame)) {
    const exceeded = mapRunRedrivesExceeded(state, progress);
    if (exceeded !== undefined) {
      // States.Runtime fails the execution at once (no MapStateFailed, as for any States.Runtime error).
      const t = new Transition(machine, execution, { ...base, phase: FramePhase.CHILDREN, recordedEvents: plusEvents(base.recordedEvents, events.length) }, now);
      t.failFrame(StatesErrorName.Runtime, exceeded);
      return { frame: { ...t.frame, recordedEvents: t.recordedEvents }, events: [...events, ...t.events], effects: t.effects, changed: true };
    }
    const mapRun = redriveMapRun(execution, frame, state, progress, now);
    if (mapRun) events.push(mapRun.event);
    next = { ...base, phase: FramePhase.CHILDREN, children: progressWith(mapRun?.progress ?? progress, { succeeded: 0, failed: 0, doneBelow: undefined, doneAbove: undefined, pendingRedrives: undefined, pendingReruns: undefined }) };
    // "If you've redriven a Map Run, and it has reached its concurrency limit, the child workflow executions … transition to the pending state."
    const limited = state.type === 'Map' && progress.maxConcurrency > 0;
    const rerun = state.type === 'Map' && state.executionType === 'EXPRESS';
    effects.push({ type: 'RedriveChildren', frameId: frame.id, entry: frame.entry, run: progress.run, started: progress.started, redriveCount: message.redriveCount, ...(limited ? { limited } : {}), ...(rerun ? { rerun } : {}) });
  } else {
    next = { ...base, phase: FramePhase.ENTERING, entry: frame.entry + 1, children: undefined, enteredAt: now };
    effects.push({ type: 'Deliver', message: { type: 'Enter', frameId: frame.id, entry: next.entry }, delayMs: 0 });
  }
  if (root && machine.timeoutSeconds !== undefined) {
    effects.push({ type: 'Deliver', message: { type: 'ExecutionTimeout', frameId: frame.id, redrives: message.redriveCount }, delayMs: machine.timeoutSeconds * 1000 });
  }
  // Redriven children record events it never counts (event-count.ts).
  next.recordedEvents = effects.some((e) => e.type === 'RedriveChildren') ? undefined : plusEvents(next.recordedEvents, events.length);
  return { frame: next, events, effects, changed: true };
}

export type { JsonValue };
