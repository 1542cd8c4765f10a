/**
 * What a frame records when it is ended from outside: the `…Aborted` events
 * of the state it is in, when a Map or Parallel that fails cuts its branches
 * or iterations short, and ExecutionAborted when the frame is a child
 * execution (a DISTRIBUTED Map's iteration) that is stopped.
 *
 * Step Functions records no such event for the state of an execution that
 * StopExecution ends (a stopped Wait: WaitStateEntered, then ExecutionAborted
 * and nothing else), so a stopped execution's own states record none; its
 * Map Run is aborted (MapRunAborted), and its child executions each end with
 * ExecutionAborted in their own histories.
 *
 * Drivers carry out AbortChildren by ending each running descendant with
 * these events, innermost first ({@link abortOrder}), so both number them alike.
 */
import type { CompiledState, CompiledStateMachine } from '../asl/model';
import type { AbortChildrenEffect } from './effects';
import { event, mapIterationEvent, type EventDraft } from './events';
import { FramePhase, FrameStatus, type Frame } from './frame';

/** The phases in which a Map's or Parallel's children (and a DISTRIBUTED Map's Map Run) are under way. */
const RUN_PHASES: ReadonlySet<string> = new Set([FramePhase.CHILDREN, FramePhase.COLLECTING, FramePhase.WRITING_RESULTS, FramePhase.ABORTING]);

/** The phases in which a state has been entered and waits for something (ENTERING: not entered yet). */
const ACTIVE_PHASES: ReadonlySet<string> = new Set([...RUN_PHASES, FramePhase.TASK, FramePhase.RETRY_WAIT, FramePhase.WAITING, FramePhase.READING_ITEMS]);

/**
 * The events `frame`, still running, records as AbortChildren `effect` of
 * frame `aborting` ends it. Only a failing state's own execution cuts its
 * states short; an execution it stops (a child execution) is stopped whole.
 */
export function abortedEvents(machine: CompiledStateMachine, effect: AbortChildrenEffect, aborting: Frame | undefined, frame: Frame, now: number): EventDraft[] {
  if (frame.status !== FrameStatus.RUNNING) return [];
  const cutShort = effect.failing !== undefined && frame.execution?.arn === aborting?.execution?.arn;
  // A stopped execution's own frames record nothing: its end (ExecutionAborted) is its last event.
  if (!cutShort && frame.execution === undefined) return [];
  const events: EventDraft[] = [];
  const state = activeState(machine, frame);
  if (state?.type === 'Map') {
    const progress = frame.children;
    if (cutShort && state.mode === 'INLINE' && progress && RUN_PHASES.has(frame.phase)) {
      const above = new Set(progress.doneAbove ?? []);
      for (let index = progress.doneBelow ?? 0; index < progress.started; index++) {
        if (!above.has(index)) events.push(mapIterationEvent('MapIterationAborted', state.name, index, frame.id, now));
      }
    }
    events.push(...mapRunAborted(machine, frame, now));
    if (cutShort) events.push(event('MapStateAborted', frame.id, now));
  } else if (cutShort && state !== undefined) {
    const type = ABORTED_EVENT[state.type];
    if (type !== undefined) events.push(event(type, frame.id, now));
  }
  // A child execution that has started (recorded ExecutionStarted) ends as a stopped execution does.
  if (frame.execution?.frameId === frame.id && frame.version > 0) events.push(event('ExecutionAborted', frame.id, now, {}));
  return events;
}

/** MapRunAborted, when `frame` is a DISTRIBUTED Map whose Map Run is under way (an execution stopped there records it before ExecutionAborted). */
export function mapRunAborted(machine: CompiledStateMachine, frame: Frame, now: number): EventDraft[] {
  const state = activeState(machine, frame);
  const running = state?.type === 'Map' && state.mode === 'DISTRIBUTED' && frame.children !== undefined && RUN_PHASES.has(frame.phase);
  return running ? [event('MapRunAborted', frame.id, now)] : [];
}

/** The state `frame` has entered and waits in, if any. */
function activeState(machine: CompiledStateMachine, frame: Frame): CompiledState | undefined {
  return ACTIVE_PHASES.has(frame.phase) ? machine.scopes.get(frame.scope)?.states.get(frame.state) : undefined;
}

/** The `…StateAborted` event of each state type that waits (Pass, Choice, Succeed and Fail never do; Map is above). */
const ABORTED_EVENT: Partial<Record<string, 'TaskStateAborted' | 'WaitStateAborted' | 'ParallelStateAborted'>> = {
  Task: 'TaskStateAborted',
  Wait: 'WaitStateAborted',
  Parallel: 'ParallelStateAborted',
};

/**
 * The order frames are aborted in: a frame after all of its descendants
 * (innermost first), siblings by index — so a branch's nested Parallel
 * records its state's events after those of its own branches.
 */
export function abortOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] === y[i]) continue;
    const p = x[i].split('.').map(Number);
    const q = y[i].split('.').map(Number);
    for (let j = 0; j < Math.min(p.length, q.length); j++) if (p[j] !== q[j]) return p[j] - q[j];
    return p.length - q.length;
  }
  return y.length - x.length;
}
