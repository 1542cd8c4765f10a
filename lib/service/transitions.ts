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
 * 5. Child completions are deduplicated by the engine (ChildProgress). A
 *    child records its completion under the parent before its ChildCompleted
 *    (the parent's wake-up) goes out, and never writes the parent's frame: a
 *    wake-up whose completion is not yet counted collects every recorded one
 *    in its transition (completions.ts), the others find theirs counted and
 *    write nothing. In a container one parent's wake-ups are applied one
 *    transition at a time ({@link FrameLanes}); a conflict with another
 *    container is retried here with jittered backoff.
 * 6. Delays longer than the queue allows are chained with `notBefore`, each
 *    hop sent once however often it is delivered (timer-hops.ts).
 * 7. An execution at the history-event cap (history-cap.ts) takes the root's
 *    HistoryLimit message in place of the next, as in-process; a message
 *    whose step throws, or that the watch knows killed the process twice
 *    (a poison message), is replaced by a RuntimeFailure the same way.
 *
 * The outbox is carried out by {@link OutboxPerformer} (outbox.ts), task
 * attempts are invoked by {@link TaskAttempts} (task-attempts.ts).
 */
import { isPromise } from '../asl/awaitable';
import type { Effect } from '../engine/effects';
import { FramePhase } from '../engine/frame';
import { isStateEntered, type EventDraft } from '../engine/events';
import { unplaceStartedChildren } from '../engine/event-count';
import type { Message } from '../engine/messages';
import type { TaskTokenKey } from '../engine/token';
import { stepNow, type StepResult } from '../engine/step';
import type { ExecutionContext, ExecutionContexts } from './execution-contexts';
import { missingRevisionCause } from './execution-contexts';
import { waitingCompletions } from './completions';
import { FrameLanes } from './frame-lanes';
import { storeEvents } from './history';
import { ROOT_FRAME_ID, type HistoryCap } from './history-cap';
import type { ExecutionNotifier } from './notifier';
import type { OutboxPerformer } from './outbox';
import type { PayloadCodec } from './payload-codec';
import type { Envelope, ExecutionStore, FrameVersion, TransitionWatch } from './ports';
import { RetryLaterError } from './retry-later';
import type { MessageSender } from './sender';
import type { TimerHops } from './timer-hops';
import type { StoredState } from './stored-state';
import { chainableTask, type TaskChain } from './task-chain';

/**
 * A task attempt's outcomes share one key: whichever is applied first ends the attempt and the others are stale,
 * so a task invoker's success and the lost-worker failure a redelivered request sends are one logical message —
 * either finds the version the other committed and carries out its outbox (task-invoker.ts).
 */
const KEY_TYPES: Partial<Record<Message['type'], string>> = { TaskSucceeded: 'TaskOutcome', TaskFailed: 'TaskOutcome' };

/** A stable key for a logical message: its redeliveries share it. */
export function messageKey(m: Message): string {
  const a = m as unknown as Partial<Record<string, unknown>>;
  const key = [KEY_TYPES[m.type] ?? m.type, m.frameId, a.entry, a.attempt, a.timer, a.run, a.index, a.heartbeats, a.redriveCount ?? a.redrives].map((x) => (x === undefined ? '' : String(x))).join('|');
  // A ChildrenCompleted is the completions it carries.
  return m.type === 'ChildrenCompleted' ? `${key}|${m.completions.map((c) => `${c.run}.${c.index}`).join(',')}` : key;
}

/** The key every outcome of one task attempt has (see {@link messageKey}). */
export function taskOutcomeKey(attempt: { frameId: string; entry: number; attempt: number }): string {
  return messageKey({ type: 'TaskFailed', frameId: attempt.frameId, entry: attempt.entry, attempt: attempt.attempt, error: '' });
}

/** The highest redrive count the messages carry (Redrive, ChildrenRedriven): the run of the execution they belong to at least. */
function redriveCountOf(envelopes: readonly Envelope[]): number {
  let count = 0;
  for (const { message, frame } of envelopes) {
    if (message.type === 'Redrive' || message.type === 'ChildrenRedriven') count = Math.max(count, message.redriveCount);
    count = Math.max(count, frame?.frame.redrives ?? 0);
  }
  return count;
}

/**
 * A step's effects as part of a commit that recorded `before` events ahead of the step's `stepEvents`: each
 * StartFrames counts its eventsBefore from the commit's first event, so its children's first events follow
 * the same event of their parent as in-process (history.ts), not the commit's last.
 */
function placedInCommit(effects: readonly Effect[], before: number, stepEvents: number): readonly Effect[] {
  if (before === 0) return effects;
  return effects.map((e) => (e.type === 'StartFrames' ? { ...e, eventsBefore: before + (e.eventsBefore ?? stepEvents) } : e));
}

export interface TransitionProcessorOptions {
  store: ExecutionStore;
  codec: PayloadCodec;
  stored: StoredState;
  contexts: ExecutionContexts;
  notifier: ExecutionNotifier;
  sender: MessageSender;
  /** Sends a long wait's not-yet-due hops on, each once. */
  hops: TimerHops;
  /** Carries out committed outboxes (and applies a synchronous task's result through {@link TransitionProcessor.process}). */
  outbox: OutboxPerformer;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Conditional-write conflicts (and waits for another handler's outbox) retried in-process before the message is handed back to the queue. */
  maxConflicts: number;
  /** How long a committed outbox is assumed to be in the hands of the handler that committed it. */
  outboxGraceMs: number;
  /** How many states one commit may take a frame through (the engine's StepOptions.maxStates). */
  statesPerCommit: number;
  /** The key task tokens are signed with (the engine's StepOptions.tokenKey). */
  tokenKey: TaskTokenKey;
  /** The largest state output (the engine's StepOptions.maxPayloadBytes); undefined: no limit. */
  maxPayloadBytes?: number;
  /** How far an INLINE Map's iterations start past its first not yet done (the engine's StepOptions.childWindow). */
  childWindow: number;
  /** Counts each execution's history events against the cap. */
  cap: HistoryCap;
  /** Watches each step for one that kills the process (switchyard serve --data). @default none */
  watch?: TransitionWatch;
}

/** True for the messages that end the whole execution in place of others (never replaced themselves). */
function endsExecution(message: Message): boolean {
  return message.type === 'HistoryLimit' || message.type === 'RuntimeFailure';
}

/** True for the messages that end the whole execution: they need not wait for an outbox being carried out. */
function endsWholeExecution(message: Message): boolean {
  return message.type === 'Stop' || message.type === 'ExecutionTimeout' || endsExecution(message);
}

/** The cause an execution fails with when a message's transition threw. */
export function thrownCause(key: string, err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return `The transition for the message ${key} threw ${text}; it can never be applied, so the execution was failed.`;
}

/** Applies queue messages to frames, one committed version per transition. */
export class TransitionProcessor {
  private statesEntered = 0;
  /** This container's completions to one parent, one transition at a time; those that wait applied together. */
  private readonly lanes = new FrameLanes((envelopes) => this.transition(envelopes, 0));

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
      await this.deps.hops.forward(envelope);
      return;
    }
    await (envelope.message.type === 'ChildCompleted' && depth === 0 ? this.lanes.submit([envelope]) : this.transition([envelope], depth, cause));
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
    await (envelopes.every((e) => e.message.type === 'ChildCompleted') ? this.lanes.submit(envelopes) : this.transition(envelopes, 0));
  }

  /**
   * Applies a task attempt's outcome in the task invoker that invoked it (depth 1: no task inline). A commit that
   * schedules the frame's next synchronous task, if `chain` has time for it, leaves it to the invoker (task-chain.ts).
   */
  applyOutcome(envelope: Envelope, chain: TaskChain): Promise<void> {
    return this.transition([envelope], 1, undefined, chain);
  }

  /** One transition of one frame for one or more messages addressed to it. */
  private async transition(envelopes: readonly Envelope[], depth: number, causeOverride?: string, chain?: TaskChain): Promise<void> {
    const { executionArn } = envelopes[0];
    const now = this.deps.now();
    let ctx = await this.deps.contexts.get(executionArn, undefined, redriveCountOf(envelopes));
    if (!ctx) return; // the execution is gone (deleted): nothing to do
    const ending = envelopes.some((e) => endsExecution(e.message));
    const instead = !ending && ctx.record.status === 'RUNNING' && ctx.machine ? await this.failureInstead(ctx, envelopes) : undefined;
    if (instead) return this.failInstead(envelopes, instead, depth, causeOverride);
    const frameId = envelopes[0].message.frameId;
    const machine = ctx.machine;
    if (!machine) {
      if (ctx.record.status === 'RUNNING') {
        const end = { status: 'FAILED', stopDate: now, error: 'States.Runtime', cause: missingRevisionCause(ctx.record) } as const;
        if (await this.deps.store.finishExecution(executionArn, end)) await this.deps.notifier.finished({ ...ctx.record, ...end });
        ctx.record = { ...ctx.record, status: 'FAILED' };
      }
      return;
    }
    const envelopeKeys = envelopes.map((e) => messageKey(e.message));
    const carried = envelopes.length === 1 ? envelopes[0].frame : undefined;
    let current: FrameVersion | undefined = carried && carried.frame.id === frameId ? await this.deps.codec.decode(executionArn, carried) : undefined;
    // Waits for another handler's outbox are bounded by its grace period, lost conditional puts by maxConflicts.
    // Children's wake-ups find their parent as this container last committed it, unless the store has a later version.
    const wakeUps = envelopes.every((e) => e.message.type === 'ChildCompleted');
    for (let conflict = 0, waits = 0; conflict <= this.deps.maxConflicts; ) {
      current ??= await (wakeUps ? this.deps.stored.loadLatest(executionArn, frameId) : this.deps.stored.load(executionArn, frameId));
      if (!current) return; // no such frame: a message for a frame that never existed
      if ((current.frame.redrives ?? 0) > ctx.record.info.redriveCount) ctx = (await this.deps.contexts.get(executionArn, undefined, current.frame.redrives)) ?? ctx;
      let frame = current.frame;
      const events: EventDraft[] = [];
      const effects: Effect[] = [];
      let cause: string | undefined;
      const messages = envelopes.map((e) => e.message);
      const keys = envelopeKeys.slice();
      let collectedLc = 0;
      let changedSteps = 0;
      for (let i = 0; i < messages.length; i++) {
        let result: StepResult;
        this.deps.watch?.begin(executionArn, keys[i]);
        try {
          // Straight on into the next states, in this commit: one write and one message fewer per state.
          const pending = stepNow(machine, ctx.record.info, frame, messages[i], now, { maxStates: this.deps.statesPerCommit, tokenKey: this.deps.tokenKey, maxPayloadBytes: this.deps.maxPayloadBytes, childWindow: this.deps.childWindow });
          result = isPromise(pending) ? await pending : pending;
        } catch (err) {
          // `step` is pure: what threw once throws every time, so the message can never be applied.
          if (ending) throw err;
          return this.failInstead(envelopes, { type: 'RuntimeFailure', frameId: ROOT_FRAME_ID, cause: thrownCause(keys[i], err) }, depth, causeOverride);
        } finally {
          this.deps.watch?.end(executionArn, keys[i]);
        }
        if (result.changed) {
          changedSteps++;
          cause ??= keys[i];
          frame = result.frame;
          effects.push(...placedInCommit(result.effects, events.length, result.events.length));
          events.push(...result.events);
        }
        // Wake-ups that counted their own completions collect every other one recorded by now (completions.ts).
        if (i === envelopes.length - 1 && cause !== undefined && messages.length === envelopes.length && wakeUps) {
          const waiting = await waitingCompletions(this.deps.store, executionArn, frame, envelopes);
          if (waiting) {
            // Stepped under the first wake-up's key: if this step kills the process, that message is the poison.
            messages.push(waiting.message);
            keys.push(keys[0]);
            collectedLc = waiting.lc;
          }
        }
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
      // An end of the execution (a Stop, its timeout, the history cap, a poison message) does not wait for an
      // outbox still being carried out — a Stop would lose to the running task's result: the end makes what
      // is left moot (that result, its timers and its next state's messages find the root ended), and the
      // end's own effects abort the children and cancel the task.
      if (unfinished && !envelopes.some((e) => endsWholeExecution(e.message))) {
        const verdict = await this.settleOutbox(executionArn, ctx, current, waits++);
        if (verdict === 'give-up') break;
        if (verdict === 'wait') {
          current = undefined;
          continue;
        }
      }
      // Children one step placed after its events may have company, and more events before them, from the next (event-count.ts).
      if (changedSteps > 1) for (const e of effects) if (e.type === 'StartFrames') unplaceStartedChildren(e.frames);
      // One commit, so one version, however many messages it applied.
      frame = { ...frame, version: current.frame.version + 1 };
      // The commit claims the frame's next task for the invoker that wins it, when that invoker has time for it.
      const nextTask = chain ? chainableTask(effects, frame.id) : undefined;
      const chained = chain !== undefined && nextTask !== undefined && chain.fits(nextTask, frame);
      const next: FrameVersion = {
        frame,
        lc: Math.max(current.lc, collectedLc, ...envelopes.map((e) => e.lc)) + 1,
        at: now,
        events: storeEvents(events, current.frame, frame),
        // A redelivery of the queue message behind this transition must find it (and carry out its outbox).
        outbox: { cause: causeOverride ?? cause, effects, done: false, ...(chained ? { chained: true as const } : {}) },
      };
      const stored = await this.deps.codec.encode(executionArn, next);
      if (await this.deps.store.putFrameVersion(executionArn, stored)) {
        for (const e of events) if (isStateEntered(e.type)) this.statesEntered++;
        this.deps.cap.committed(ctx, frame, events.length);
        await this.deps.notifier.transitioned(ctx.record, events);
        await this.deps.outbox.perform(executionArn, ctx, next, true, stored, depth, chained ? chain : undefined);
        if (frame.phase === FramePhase.CHILDREN) this.deps.stored.keep(executionArn, next);
        return;
      }
      current = undefined; // another container's transition won this version: read and decide again, after a
      // jittered backoff, so contenders spread out instead of colliding again
      await this.deps.sleep(Math.random() * Math.min(10 * 2 ** conflict++, 500));
    }
    throw new RetryLaterError(`Frame ${frameId} of ${executionArn} is contended; the message will be redelivered`);
  }

  /**
   * Carries out the outbox of a frame's latest version if the message `key` committed it and it is not known
   * done: a task invoker that died after applying an outcome may not have sent what that version sends.
   * @returns true when the frame is past version `after` (a task attempt that version scheduled is over)
   */
  async carryOut(executionArn: string, frameId: string, key: string, after: number): Promise<boolean> {
    const ctx = await this.deps.contexts.get(executionArn);
    if (!ctx) return true; // the execution is gone: nothing waits for the attempt
    const current = await this.deps.stored.load(executionArn, frameId);
    if (!current) return true;
    if (current.outbox && !current.outbox.done && current.outbox.cause === key) await this.deps.outbox.perform(executionArn, ctx, current, false);
    return current.frame.version > after;
  }

  /** A message that ends the execution in place of `envelopes`: the history cap reached, or one of them poisoned. */
  private async failureInstead(ctx: ExecutionContext, envelopes: readonly Envelope[]): Promise<Message | undefined> {
    const limit = await this.deps.cap.check(ctx, envelopes);
    if (limit) return limit;
    for (const e of envelopes) {
      const cause = this.deps.watch?.poisoned(e.executionArn, messageKey(e.message));
      if (cause !== undefined) return { type: 'RuntimeFailure', frameId: ROOT_FRAME_ID, cause };
    }
    return undefined;
  }

  /** Takes the root's `message` in place of `envelopes` (which the execution's end makes moot): here, or sent to the root. */
  private async failInstead(envelopes: readonly Envelope[], message: Message, depth: number, causeOverride?: string): Promise<void> {
    const first = envelopes[0];
    const envelope: Envelope = { v: 1, executionArn: first.executionArn, lc: Math.max(...envelopes.map((e) => e.lc)), message };
    if (message.frameId !== first.message.frameId) return this.deps.sender.resend(envelope, 0);
    // In their place here, it proves what they proved: the outbox they complete is done.
    const final = envelopes.find((e) => e.final !== undefined)?.final;
    if (final !== undefined) envelope.final = final;
    return this.transition([envelope], depth, causeOverride);
  }

  /**
   * Nothing moves on past an outbox that may not have been carried out: after
   * the grace period its handler is presumed dead and this one carries it out
   * ('done'); before, it waits for that handler ('wait', then read again),
   * up to `maxConflicts` waits of its own — seconds, which a live handler's
   * outbox does not take ('give-up': the queue brings the message back).
   */
  private async settleOutbox(executionArn: string, ctx: ExecutionContext, current: FrameVersion, attempt: number): Promise<'done' | 'wait' | 'give-up'> {
    if (this.deps.now() - current.at >= this.deps.outboxGraceMs) {
      await this.deps.outbox.perform(executionArn, ctx, current, false);
      return 'done';
    }
    if (attempt >= this.deps.maxConflicts) return 'give-up';
    await this.deps.sleep(Math.min(20 * (attempt + 1), 200));
    return 'wait';
  }
}
