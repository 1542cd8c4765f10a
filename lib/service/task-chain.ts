/**
 * A chain of one frame's synchronous tasks run by one task invoker: when the
 * commit that applies a task's outcome schedules the frame's next
 * synchronous task, the invoker that won that commit invokes it itself
 * instead of sending a request round its queue — one send, receive, delete,
 * invocation and claim item fewer per task.
 *
 *   invoker: outcome of task k ──commit v+1 (outbox `chained`: v+1 claims task k+1)──► timers ──► Invoke k+1 ──► commit v+2 …
 *
 * The conditional put of v+1 is the attempt's claim (DESIGN.md invariant 3):
 * exactly one handler wins it, and carrying v+1's outbox out again never
 * requests or invokes the attempt (task-attempts.ts, AttemptClaim.REPLAY):
 * its timer ends it, or an outcome the invoker recorded is sent again, or,
 * `lostTaskAfterMs` after the claim, it fails as a lost worker.
 *
 * Bounded in time: an attempt is chained only if it can end, and its outcome
 * be applied, before the invocation must be over — its TimeoutSeconds (or
 * HeartbeatSeconds) when it has one, else {@link UNTIMED_TASK_ALLOWANCE_MS}.
 */
import type { Effect, InvokeTaskEffect } from '../engine/effects';
import type { Frame } from '../engine/frame';
import type { FrameVersion } from './ports';
import { syncDeadlineMs } from './task-attempts';

/** What a chained task with no TimeoutSeconds or HeartbeatSeconds is given to end: it is chained only this long before the invocation's end. */
export const UNTIMED_TASK_ALLOWANCE_MS = 10 * 60_000;

/** Time kept after a chained task's deadline to apply its outcome and carry out what that sends. */
export const CHAIN_MARGIN_MS = 60_000;

/** How long an invocation chains tasks when its caller sets no end (a task invoker outside Lambda). */
export const DEFAULT_CHAIN_MS = 15 * 60_000;

/** The one synchronous task attempt a version schedules for its own frame, which a task invoker may invoke itself. */
export function chainableTask(effects: readonly Effect[], frameId: string): InvokeTaskEffect | undefined {
  const tasks = effects.filter((e): e is InvokeTaskEffect => e.type === 'InvokeTask' && e.frameId === frameId && e.activityArn === undefined && e.waitForToken !== true);
  return tasks.length === 1 ? tasks[0] : undefined;
}

/** One task invoker's chain: whether it takes the next attempt, and the attempt it took. */
export class TaskChain {
  /** The attempt the last commit left to this invoker, and the version (as stored) that scheduled it. */
  next: { effect: InvokeTaskEffect; version: FrameVersion } | undefined;

  /**
   * @param until epoch ms by which this invocation must be done
   * @param now the clock
   */
  constructor(
    private readonly until: number,
    private readonly now: () => number,
  ) {}

  /** Whether `effect`, scheduled by a commit that leaves the frame as `frame`, can end in this invocation (decided before that commit). */
  fits(effect: InvokeTaskEffect, frame: Frame): boolean {
    const deadline = syncDeadlineMs(effect, { frame, lc: 0, at: 0, events: [] }) ?? UNTIMED_TASK_ALLOWANCE_MS;
    return this.now() + deadline + CHAIN_MARGIN_MS <= this.until;
  }

  /** Takes the attempt a committed version left to this invoker. */
  take(effect: InvokeTaskEffect, version: FrameVersion): void {
    this.next = { effect, version };
  }
}
