/**
 * The cap on one execution's history events. Step Functions' is a hard
 * 25,000: "When an execution reaches 24,999 events, it waits for the next
 * event to happen. If the event number 25,000 is ExecutionSucceeded, the
 * execution finishes successfully. If [it] isn't ExecutionSucceeded, the
 * ExecutionFailed event is logged" — with States.Runtime, "The execution
 * reached the maximum number of history events (25000).". Switchyard's
 * default is larger (long test loops run), yet bounded, so a state that loops
 * for ever ends before it fills memory. A driver checks before each step and
 * then sends the root a HistoryLimit message instead; because a step records
 * its events together, the ExecutionFailed event can land a step's events past
 * the cap.
 */
import type { HistoryLimitMessage } from './messages';

/** Switchyard's default cap on history events per execution. */
export const DEFAULT_MAX_HISTORY_EVENTS = 1_000_000;

/** True when an execution holding `events` events may record no more but its failure. */
export function historyLimitReached(events: number, maxHistoryEvents: number): boolean {
  return events >= maxHistoryEvents - 1;
}

/** The cause of the States.Runtime failure at the cap, as Step Functions words it. */
export function historyLimitCause(maxHistoryEvents: number): string {
  return `${HISTORY_LIMIT_CAUSE}${maxHistoryEvents}).`;
}

const HISTORY_LIMIT_CAUSE = 'The execution reached the maximum number of history events (';

/** True when an execution ended on the history cap (its error and cause): it cannot be redriven. */
export function endedAtHistoryLimit(error: string | undefined, cause: string | undefined): boolean {
  return error === 'States.Runtime' && cause?.startsWith(HISTORY_LIMIT_CAUSE) === true;
}

/** The message that fails the execution at the cap (addressed to the root frame, `rootId`). */
export function historyLimitMessage(rootId: string, maxHistoryEvents: number): HistoryLimitMessage {
  return { type: 'HistoryLimit', frameId: rootId, limit: maxHistoryEvents };
}
