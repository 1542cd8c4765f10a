/**
 * Task attempts, each invoked at most once (DESIGN.md invariant 3): a
 * synchronous task's claim is the committed version that scheduled it when
 * the transition invokes it or a task invoker chains it (task-chain.ts), or a
 * claim item (a conditional put) when a task invoker takes its request (task-invoker.ts); a callback task keeps a claim item, which
 * also records that its invocation returned and it now waits for its token. An attempt with no result
 * `lostTaskAfterMs` after its claim fails as a lost worker — unless it has a
 * TimeoutSeconds or HeartbeatSeconds: then its timer, sent before it was
 * invoked, ends it (DESIGN.md invariant 6), and a synchronous invocation is
 * not awaited past that deadline.
 *
 * A process that restarts knows better: an attempt claimed before it started
 * (`lostBefore`) was running in the process that died, so it fails as a lost
 * worker at once — never invoked a second time, never waited for.
 * `switchyard serve --data` sets it; a Lambda function cannot know that the
 * container that claimed an attempt is gone, so the cloud waits.
 */
import type { InvokeTaskEffect } from '../engine/effects';
import type { Message } from '../engine/messages';
import type { TaskRunner } from '../engine/ports/task-runner';
import type { ExecutionStore, FrameVersion } from './ports';
import { RetryLaterError } from './retry-later';

/** The error a task attempt fails with when its worker died after the claim and before recording a result. */
export const LOST_WORKER_ERROR = 'States.TaskFailed';
export const LOST_WORKER_CAUSE = 'The task attempt was interrupted before its result was recorded; it was not invoked again.';

export interface TaskAttemptsOptions {
  store: ExecutionStore;
  tasks: TaskRunner;
  now: () => number;
  /** A claimed attempt with no recorded result after this long is failed as a lost worker. */
  lostTaskAfterMs: number;
  /** Attempts claimed before this instant (epoch ms) were running in a process that is gone: lost at once. @default none */
  lostBefore?: number;
  /** A signal that aborts `ms` from now: a synchronous attempt's deadline. @default AbortSignal.timeout */
  deadline?: (ms: number) => AbortSignal;
}

/**
 * What makes this handler the one that may invoke an attempt: the commit that
 * scheduled it (`commit`: this handler won it; `replay`: an outbox carried out
 * again, which never invokes a synchronous task), or a claim item put now
 * (`item`: the task invoker, and every callback task). A claim item that
 * exists already means another handler claimed the attempt.
 */
export const AttemptClaim = { COMMIT: 'commit', REPLAY: 'replay', ITEM: 'item' } as const;
export type AttemptClaim = (typeof AttemptClaim)[keyof typeof AttemptClaim];

/**
 * How long a task request's claim (and an outcome kept with it) must last: SQS keeps a message 14 days at most
 * (a dead-letter queue counts from its first enqueue), and a request older than {@link REQUEST_MAX_AGE_MS} is
 * never invoked, so no request that could invoke finds its claim gone — the claim need not outlive the execution's
 * retention as its history does.
 */
export const REQUEST_CLAIM_KEEP_MS = 15 * 86_400_000;

/** A request for an attempt scheduled longer ago than this never invokes it (its claim may be gone): a lost worker's. */
export const REQUEST_MAX_AGE_MS = 14 * 86_400_000;

/** The longest delay a Node timer takes (a longer one would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * When a synchronous attempt's timer ends it, in ms after its claim: its
 * TimeoutSeconds, or its HeartbeatSeconds if shorter (no heartbeat can come
 * without a token).
 */
export function syncDeadlineMs(effect: InvokeTaskEffect, version: FrameVersion): number | undefined {
  const seconds = [effect.invocation.timeoutSeconds, version.frame.task?.heartbeatSeconds].filter((s): s is number => s !== undefined);
  return seconds.length > 0 ? Math.min(...seconds) * 1000 : undefined;
}

/** The sort key part of an attempt's claim item. */
function claimKey(effect: InvokeTaskEffect): string {
  return `${effect.frameId}#${effect.entry}#${effect.attempt}`;
}

/** Invokes task attempts at most once each. */
export class TaskAttempts {
  constructor(private readonly deps: TaskAttemptsOptions) {}

  /**
   * Invokes one task attempt at most once; returns the message its outcome
   * becomes, if any yet.
   * @param version the committed version that scheduled the attempt
   * @param claim how this handler claims it (see {@link AttemptClaim})
   */
  async invoke(executionArn: string, effect: InvokeTaskEffect, version: FrameVersion, claim: AttemptClaim): Promise<Message | undefined> {
    const key = claimKey(effect);
    const address = { frameId: effect.frameId, entry: effect.entry, attempt: effect.attempt };
    if (effect.activityArn) {
      // Queued for GetActivityTask; idempotent per token, so a re-performed outbox queues it once — and not
      // again once a worker took it (GetActivityTask claims the attempt as it hands the task out).
      if (claim !== AttemptClaim.COMMIT && (await this.deps.store.getTaskClaim(executionArn, key))) return undefined;
      await this.deps.store.enqueueActivityTask(effect.activityArn, {
        taskToken: effect.invocation.taskToken!,
        input: JSON.stringify(effect.invocation.parameters),
        executionArn,
        scheduledAt: version.at,
      });
      return undefined;
    }
    const deadlineMs = effect.waitForToken ? undefined : syncDeadlineMs(effect, version);
    const byItem = effect.waitForToken || claim === AttemptClaim.ITEM;
    if (!byItem) {
      // A synchronous task: the committed version that scheduled the attempt is its claim, so only the
      // handler that won that commit invokes. Carrying the outbox out again never invokes; if the result has
      // not arrived `lostTaskAfterMs` after the claim, that handler died and the attempt is lost.
      if (claim === AttemptClaim.REPLAY) {
        // A chain's invoker that could not apply the outcome kept it with a claim item (task-invoker.ts): sent again.
        const recorded = (await this.deps.store.getTaskClaim(executionArn, key))?.result;
        if (recorded) return recorded;
        if (this.claimedByGoneProcess(version.at)) return { type: 'TaskFailed', ...address, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE };
        // An attempt with a deadline has its timer (sent again with this outbox): it ends the attempt then.
        if (deadlineMs !== undefined) return undefined;
        if (this.deps.now() - version.at < this.deps.lostTaskAfterMs) throw new RetryLaterError(`Task attempt ${key} of ${executionArn} may still be running in the handler that claimed it`);
        return { type: 'TaskFailed', ...address, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE };
      }
    } else if (!effect.waitForToken && this.deps.now() - version.at >= REQUEST_MAX_AGE_MS) {
      // Past the age its claim is kept for: were it claimed, the claim may be gone, so it is never invoked.
      return { type: 'TaskFailed', ...address, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE };
    } else if (!(await this.deps.store.claimTask(executionArn, key, this.deps.now(), effect.waitForToken ? undefined : REQUEST_CLAIM_KEEP_MS))) {
      // A callback task keeps a claim item, which also records that its invocation returned and it now
      // waits for its token — a long wait must not be mistaken for a lost worker. A task invoker's claim
      // item holds the outcome the invoker could not apply itself, so a redelivered request sends it again.
      const found = await this.deps.store.getTaskClaim(executionArn, key);
      if (found?.result) return found.result;
      if (found?.pending) return undefined;
      // Claimed by a process that is gone (switchyard serve before its restart): lost at once.
      if (found && this.claimedByGoneProcess(found.claimedAt)) return { type: 'TaskFailed', ...address, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE };
      // An attempt with a deadline has its timer: it ends the attempt then.
      if (deadlineMs !== undefined) return undefined;
      if (found && this.deps.now() - found.claimedAt < this.deps.lostTaskAfterMs) {
        throw new RetryLaterError(`Task attempt ${key} of ${executionArn} is running elsewhere`);
      }
      return { type: 'TaskFailed', ...address, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE };
    }
    // A runner reports every failure as an outcome; if it throws, this handler dies like a crashed worker would.
    const signal = this.signal(deadlineMs === undefined ? undefined : version.at + deadlineMs - this.deps.now());
    const outcome = await this.deps.tasks.run(effect.invocation, signal);
    // Past its deadline the attempt is its timer's to end, as in-process: whatever came back is stale.
    if (signal.aborted) return undefined;
    let result: Message | undefined;
    if (outcome.kind === 'succeeded' && (!effect.waitForToken || outcome.completesCallback === true)) {
      result = { type: 'TaskSucceeded', ...address, output: outcome.output };
    } else if (outcome.kind === 'failed') {
      result = { type: 'TaskFailed', ...address, error: outcome.error, ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}) };
    }
    if (outcome.kind === 'pending' && outcome.submitted !== undefined) {
      // A `.sync` task's submission, kept as the claim's result: a re-performed outbox brings it again
      // (recorded once), and the task waits for its job as a callback task waits for its token.
      result = { type: 'TaskSubmitted', ...address, ...outcome.submitted };
      await this.deps.store.recordTaskResult(executionArn, key, result);
      return result;
    }
    // A callback task records that it now waits for its token. A synchronous one claimed by item is the task
    // invoker's: the commit that applies its outcome records it, or the invoker records it (`record`) if it cannot.
    if (!result && effect.waitForToken) await this.deps.store.recordTaskResult(executionArn, key, null);
    return result;
  }

  /** Keeps an attempt's outcome with its claim item, so a redelivered task request sends it again instead of failing it as lost. */
  record(executionArn: string, effect: InvokeTaskEffect, outcome: Message): Promise<void> {
    // (Needed only while a request or a replay of the chained version can come: as long as a request's claim.)
    return this.deps.store.recordTaskResult(executionArn, claimKey(effect), outcome, REQUEST_CLAIM_KEEP_MS);
  }

  /** True when a claim made at `claimedAt` was made by a process that is gone (TaskAttemptsOptions.lostBefore). */
  private claimedByGoneProcess(claimedAt: number): boolean {
    return this.deps.lostBefore !== undefined && claimedAt < this.deps.lostBefore;
  }

  /** A signal that aborts in `ms` (never, when undefined or beyond a timer's reach). */
  private signal(ms: number | undefined): AbortSignal {
    if (ms === undefined || ms > MAX_TIMER_MS) return new AbortController().signal;
    return (this.deps.deadline ?? AbortSignal.timeout)(Math.max(0, ms));
  }
}
