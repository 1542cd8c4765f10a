/**
 * The transition processor: runs `step` for one queue message at a time
 * against the store, the queue and the task runner, keeping DESIGN.md's
 * transition invariants under at-least-once delivery:
 *
 * 1. A transition commits frame version v+1 with a conditional put; exactly
 *    one writer wins, a duplicate or stale message loses and does no harm.
 * 2. The effects are committed with the version (its outbox) and carried out
 *    after it. Messages to the frame itself are sent last, tagged `final`:
 *    their arrival proves the rest was done. Otherwise a frame whose outbox
 *    is not known done has it carried out again (idempotently) before it
 *    moves on, and a redelivered message does the same.
 * 3. A task attempt is claimed before it is invoked — by the commit that
 *    schedules it (synchronous tasks this handler invokes) or a claim item,
 *    a conditional put (callback tasks, whose long wait for a token must not
 *    look like a dead worker, and every attempt handed to the task invoker,
 *    task-invoker.ts). At most one invocation per attempt: a redelivered
 *    message or task request that finds the attempt claimed never invokes it
 *    again — it sends the recorded outcome, or leaves the attempt to its
 *    timeout or heartbeat timer (sent before it was invoked), or, with
 *    neither, `lostTaskAfterMs` after the claim fails it as a lost worker.
 * 4. History is the events of each frame version: a replay overwrites itself.
 * 5. Child completions are deduplicated by the engine (ChildProgress).
 * 6. Delays longer than the queue allows are chained with `notBefore`.
 *
 * The outbox is carried out by {@link OutboxPerformer} (outbox.ts), task
 * attempts are invoked by {@link TaskAttempts} (task-attempts.ts).
 */
import { isPromise } from '../asl/awaitable';
import type { Effect } from '../engine/effects';
import { isStateEntered, type EventDraft } from '../engine/events';
import type { Message } from '../engine/messages';
import type { TaskTokenKey } from '../engine/token';
import { stepNow } from '../engine/step';
import type { ExecutionContext, ExecutionContexts } from './execution-contexts';
import { missingRevisionCause } from './execution-contexts';
import { storeEvents } from './history';
import type { ExecutionNotifier } from './notifier';
import type { OutboxPerformer } from './outbox';
import type { PayloadCodec } from './payload-codec';
import type { Envelope, ExecutionStore, FrameVersion } from './ports';
import { RetryLaterError } from './retry-later';
import type { MessageSender } from './sender';
import type { StoredState } from './stored-state';

/** A stable key for a logical message: its redeliveries share it. */
export function messageKey(m: Message): string {
  const a = m as unknown as Partial<Record<string, unknown>>;
  const key = [m.type, m.frameId, a.entry, a.attempt, a.timer, a.run, a.index, a.heartbeats, a.redriveCount ?? a.redrives].map((x) => (x === undefined ? '' : String(x))).join('|');
  // A ChildrenCompleted is the completions it carries.
  return m.type === 'ChildrenCompleted' ? `${key}|${m.completions.map((c) => `${c.run}.${c.index}`).join(',')}` : key;
}

export interface TransitionProcessorOptions {
  store: ExecutionStore;
  codec: PayloadCodec;
  stored: StoredState;
  contexts: ExecutionContexts;
  notifier: ExecutionNotifier;
  sender: MessageSender;
  /** Carries out committed outboxes (and applies a synchronous task's result through {@link TransitionProcessor.process}). */
  outbox: OutboxPerformer;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Conditional-write conflicts retried in-process before the message is handed back to the queue. */
  maxConflicts: number;
  /** How long a committed outbox is assumed to be in the hands of the handler that committed it. */
  outboxGraceMs: number;
  /** How many states one commit may take a frame through (the engine's StepOptions.maxStates). */
  statesPerCommit: number;
  /** The key task tokens are signed with (the engine's StepOptions.tokenKey). */
  tokenKey: TaskTokenKey;
}

/** Applies queue messages to frames, one committed version per transition. */
export class TransitionProcessor {
  private statesEntered = 0;

  constructor(private readonly deps: TransitionProcessorOptions) {}

  /** States entered by the transitions committed since the last call (Step Functions' billed state transitions). */
  takeStatesEntered(): number {
    const n = this.statesEntered;
    this.statesEntered = 0;
    return n;
  }

  /**
   * Processes one queue message. Throws (and the queue redelivers) when it could not be finished.
   * @param depth 1 when applying a task result in the handler that invoked the task
   * @param cause the key of the queue message this transition answers to, when that is not `envelope`'s
   */
  async process(envelope: Envelope, depth = 0, cause?: string): Promise<void> {
    const now = this.deps.now();
    if (envelope.notBefore !== undefined && envelope.notBefore > now + 500) {
      await this.deps.sender.resend(envelope, envelope.notBefore - now);
      return;
    }
    await this.transition([envelope], depth, cause);
  }

  /**
   * Several messages to one frame (children's completions to their parent,
   * from one SQS batch) applied as one transition: each is stepped in turn
   * in memory and the frame is committed once, at the next version, with all
   * their events and effects. A redelivery of the first applied message
   * finds the version and carries its outbox out again, as for one message.
   */
  async processGroup(envelopes: readonly Envelope[]): Promise<void> {
    if (envelopes.length === 1) return this.process(envelopes[0]);
    await this.transition(envelopes, 0);
  }

  /** One transition of one frame for one or more messages addressed to it. */
  private async transition(envelopes: readonly Envelope[], depth: number, causeOverride?: string): Promise<void> {
    const { executionArn } = envelopes[0];
    const frameId = envelopes[0].message.frameId;
    const now = this.deps.now();
    const ctx = await this.deps.contexts.get(executionArn);
    if (!ctx) return; // the execution is gone (deleted): nothing to do
    const machine = ctx.machine;
    if (!machine) {
      if (ctx.record.status === 'RUNNING') {
        const end = { status: 'FAILED', stopDate: now, error: 'States.Runtime', cause: missingRevisionCause(ctx.record) } as const;
        if (await this.deps.store.finishExecution(executionArn, end)) await this.deps.notifier.finished({ ...ctx.record, ...end });
        ctx.record = { ...ctx.record, status: 'FAILED' };
      }
      return;
    }
    const keys = envelopes.map((e) => messageKey(e.message));
    const carried = envelopes.length === 1 ? envelopes[0].frame : undefined;
    let current: FrameVersion | undefined = carried && carried.frame.id === frameId ? await this.deps.codec.decode(executionArn, carried) : undefined;
    for (let conflict = 0; conflict <= this.deps.maxConflicts; conflict++) {
      current ??= await this.deps.stored.load(executionArn, frameId);
      if (!current) return; // no such frame: a message for a frame that never existed
      let frame = current.frame;
      const events: EventDraft[] = [];
      const effects: Effect[] = [];
      let cause: string | undefined;
      for (const [i, envelope] of envelopes.entries()) {
        // Straight on into the next states, in this commit: one write and one message fewer per state.
        const pending = stepNow(machine, ctx.record.info, frame, envelope.message, now, { maxStates: this.deps.statesPerCommit, tokenKey: this.deps.tokenKey });
        const result = isPromise(pending) ? await pending : pending;
        if (!result.changed) continue;
        cause ??= keys[i];
        frame = result.frame;
        events.push(...result.events);
        effects.push(...result.effects);
      }
      // (A Redrive comes only after the frame's end was recorded, the last effect of that outbox: it is complete —
      // unless this version is the redrive's own, which a redelivered Redrive must carry out again.)
      const unfinished =
        current.outbox !== undefined &&
        !current.outbox.done &&
        !envelopes.some((e, i) => e.final === current!.frame.version || (e.message.type === 'Redrive' && keys[i] !== current!.outbox!.cause));
      if (cause === undefined) {
        // A redelivery of the message that made this version: its handler may have died before the outbox went out.
        if (unfinished && keys.includes(current.outbox!.cause)) await this.deps.outbox.perform(executionArn, ctx, current, false);
        return;
      }
      if (unfinished) {
        const verdict = await this.settleOutbox(executionArn, ctx, current, now, conflict);
        if (verdict === 'wait') {
          current = undefined;
          continue;
        }
        if (verdict === 'give-up') break;
      }
      // One commit, so one version, however many messages it applied.
      frame = { ...frame, version: current.frame.version + 1 };
      const next: FrameVersion = {
        frame,
        lc: Math.max(current.lc, ...envelopes.map((e) => e.lc)) + 1,
        at: now,
        events: storeEvents(events, current.frame, frame),
        // A redelivery of the queue message behind this transition must find it (and carry out its outbox).
        outbox: { cause: causeOverride ?? cause, effects, done: false },
      };
      const stored = await this.deps.codec.encode(executionArn, next);
      if (await this.deps.store.putFrameVersion(executionArn, stored)) {
        for (const e of events) if (isStateEntered(e.type)) this.statesEntered++;
        await this.deps.notifier.transitioned(ctx.record, events);
        await this.deps.outbox.perform(executionArn, ctx, next, true, stored, depth);
        return;
      }
      current = undefined; // another transition won this version: read and decide again
    }
    throw new RetryLaterError(`Frame ${frameId} of ${executionArn} is contended; the message will be redelivered`);
  }

  /**
   * Nothing moves on past an outbox that may not have been carried out: after
   * the grace period its handler is presumed dead and this one carries it out
   * ('done'); before, it waits for that handler ('wait', then read again), up
   * to the conflict limit ('give-up': the queue brings the message back).
   */
  private async settleOutbox(executionArn: string, ctx: ExecutionContext, current: FrameVersion, now: number, attempt: number): Promise<'done' | 'wait' | 'give-up'> {
    if (now - current.at >= this.deps.outboxGraceMs) {
      await this.deps.outbox.perform(executionArn, ctx, current, false);
      return 'done';
    }
    if (attempt >= this.deps.maxConflicts) return 'give-up';
    await this.deps.sleep(Math.min(20 * (attempt + 1), 200));
    return 'wait';
  }
}
