/**
 * One transition in progress: the frame being changed, the events and
 * effects it produces, and the moves every state type shares (leave with an
 * output, fail with Retry/Catch, end the frame).
 */
import type { EvalEnv } from '../asl/env';
import { QueryEvaluationError, StateEvaluationError, StatesError, StatesErrorName } from '../asl/errors';
import type { JsonValue } from '../asl/json';
import type { CompiledCatcher, CompiledRetrier, CompiledScope, CompiledState, CompiledStateMachine, StateOutcome } from '../asl/model';
import { matchesErrorEquals } from '../asl/errors';
import { buildEnv, visibleVariables, type EnvExtras } from './context';
import type { Effect } from './effects';
import { errorDetails, event, type DetailsArgument, type EventDraft, outputDetails, stateExited } from './events';
import type { HistoryEventType } from './history-events';
import type { ExecutionInfo } from './execution';
import { FramePhase, FrameStatus, NO_RETRIES, type Frame } from './frame';
import type { ChildCompletedMessage, Message, TimerMessage } from './messages';
import { seededRandom } from '../asl/random';
import { payloadLimitError } from './aws-limits';
import { decideRetry } from './retry';
import { encodeTaskToken, type TaskTokenKey } from './token';
import { countedCompletion, eventsForParent, hasUncountedChildren, plusEvents } from './event-count';

export class Transition {
  readonly events: EventDraft[] = [];
  readonly effects: Effect[] = [];
  /** States this transition may still enter itself instead of delivering their Enter (StepOptions.maxStates). */
  inlineEntries = 0;
  /** Set by moveTo when it left the next state's Enter to this transition. */
  enterNext = false;
  /** The key task tokens are signed with (StepOptions.tokenKey). */
  tokenKey: TaskTokenKey | undefined;
  /** The largest state output (StepOptions.maxPayloadBytes); undefined: no limit. */
  maxPayloadBytes: number | undefined;
  /** How far an INLINE Map's iterations may start past its completion watermark (StepOptions.childWindow); undefined: no window. */
  childWindow: number | undefined;
  private rng: (() => number) | undefined;

  constructor(
    readonly machine: CompiledStateMachine,
    readonly execution: ExecutionInfo,
    /** A shallow copy of the frame read; the transition changes only this copy. */
    readonly frame: Frame,
    readonly now: number,
  ) {}

  private cachedState: CompiledState | undefined;

  get scope(): CompiledScope {
    return this.machine.scopes.get(this.frame.scope)!;
  }

  /** The frame's current state (cached until the frame moves on). */
  get state(): CompiledState {
    const cached = this.cachedState;
    if (cached !== undefined && cached.name === this.frame.state) return cached;
    return (this.cachedState = this.scope.states.get(this.frame.state)!);
  }

  /** The token of the frame's attempt `attempt` of its current entry, signed with the driver's key. */
  taskToken(attempt: number): string {
    if (this.tokenKey === undefined) throw new Error('This driver gave step no tokenKey, and a task hands out a task token');
    return encodeTaskToken({ executionArn: this.execution.executionArn, frameId: this.frame.id, entry: this.frame.entry, attempt }, this.tokenKey);
  }

  /** The deterministic random source of this transition. */
  random(): number {
    this.rng ??= seededRandom(`${this.execution.executionArn}|${this.frame.id}|${this.frame.version}`);
    return this.rng();
  }

  /** Made when an environment first needs it: most transitions draw no random number. */
  private randomSource: (() => number) | undefined;

  env(extras?: EnvExtras): EvalEnv {
    return buildEnv(this.execution, this.frame, extras, (this.randomSource ??= () => this.random()));
  }

  emit(draft: EventDraft): void {
    this.events.push(draft);
  }

  /** Emits an event of this frame; its details, if any, go in its type's details member. */
  record<T extends HistoryEventType>(type: T, ...details: DetailsArgument<T>): void {
    this.events.push(event(type, this.frame.id, this.now, ...details));
  }

  /** The frame's count of recorded events (Frame.recordedEvents) with this transition's so far; undefined: not known. */
  get recordedEvents(): number | undefined {
    return plusEvents(this.frame.recordedEvents, this.events.length);
  }

  /** Adds a child's events to the frame's count, once its completion is counted (event-count.ts). */
  countCompletion(message: ChildCompletedMessage): void {
    this.frame.recordedEvents = countedCompletion(this.frame.recordedEvents, message);
  }

  effect(effect: Effect): void {
    if (effect.type === 'StartFrames') effect.eventsBefore = this.events.length;
    // Children aborted uncounted or redriven record events this frame never counts: its count is lost (event-count.ts).
    if ((effect.type === 'AbortChildren' && hasUncountedChildren(this.frame)) || effect.type === 'RedriveChildren') this.frame.recordedEvents = undefined;
    this.effects.push(effect);
  }

  deliver(message: Message, delayMs = 0): void {
    this.effects.push({ type: 'Deliver', message, delayMs: Math.max(0, delayMs) });
  }

  timer(timer: TimerMessage['timer'], delayMs: number, extra: Partial<TimerMessage> = {}): void {
    this.deliver({ type: 'Timer', frameId: this.frame.id, entry: this.frame.entry, timer, ...extra }, delayMs);
  }

  /** Records assigned variables in this frame's scope. */
  assign(assigned: Record<string, JsonValue> | undefined): void {
    if (assigned && Object.keys(assigned).length > 0) {
      this.frame.vars = { ...this.frame.vars, ...assigned };
      this.childVariables = undefined;
    }
  }

  private childVariables: Record<string, JsonValue> | null | undefined;

  /**
   * The variables a Parallel branch or Map iteration started now reads from
   * outer scopes (undefined: none); worked out once per transition, not per
   * child — a Map may start 100,000.
   */
  variablesForChildren(): Record<string, JsonValue> | undefined {
    if (this.childVariables === undefined) {
      const visible = visibleVariables(this.frame);
      this.childVariables = Object.keys(visible).length > 0 ? visible : null;
    }
    return this.childVariables ?? undefined;
  }

  /** Transitions to `next` with `input` and queues its Enter. */
  moveTo(next: string, input: JsonValue): void {
    const f = this.frame;
    f.state = next;
    f.input = input;
    f.entry += 1;
    f.phase = FramePhase.ENTERING;
    f.retries = NO_RETRIES;
    f.enteredAt = this.now;
    f.enteredEventId = undefined;
    f.task = undefined;
    f.waitUntil = undefined;
    f.children = undefined;
    if (this.inlineEntries > 0) {
      this.inlineEntries--;
      this.enterNext = true;
    } else {
      this.deliver({ type: 'Enter', frameId: f.id, entry: f.entry });
    }
  }

  /** The state finished its work: emit its Exited event, assign, and go on (or end the frame). */
  leave(outcome: StateOutcome, next: string | undefined = this.state.next): void {
    const state = this.state;
    // Unreachable: Fail has no exit (no FailStateExited); its handler fails the frame.
    if (state.type === 'Fail') throw new Error(`Fail state ${state.name} cannot exit`);
    const tooLarge = payloadLimitError(state.name, outcome.output, this.maxPayloadBytes);
    if (tooLarge) return this.failFrame(tooLarge.error, tooLarge.causeText);
    this.emit(stateExited(state.type, state.name, outcome.output, outcome.assigned, this.frame.id, this.now));
    this.assign(outcome.assigned);
    if (next !== undefined) this.moveTo(next, outcome.output);
    else this.succeedFrame(outcome.output);
  }

  succeedFrame(output: JsonValue): void {
    const f = this.frame;
    f.status = FrameStatus.SUCCEEDED;
    f.phase = FramePhase.DONE;
    f.output = output;
    if (f.parentId !== undefined) f.endedAt = this.now;
    if (f.parentId === undefined) {
      this.record('ExecutionSucceeded', outputDetails(output));
      this.effect({ type: 'ExecutionFinished', status: 'SUCCEEDED', output });
    } else {
      // A child execution (a DISTRIBUTED Map's iteration) ends in its own history as an execution does.
      if (f.execution?.frameId === f.id) this.record('ExecutionSucceeded', outputDetails(output));
      this.notifyParent('SUCCEEDED');
    }
  }

  failFrame(error: string, cause: string | undefined): void {
    const f = this.frame;
    f.status = FrameStatus.FAILED;
    f.phase = FramePhase.DONE;
    if (f.parentId !== undefined) f.endedAt = this.now;
    f.error = error;
    f.cause = cause;
    if (f.parentId === undefined) {
      this.record('ExecutionFailed', errorDetails(error, cause));
      this.effect({ type: 'ExecutionFinished', status: 'FAILED', error, cause });
    } else {
      if (f.execution?.frameId === f.id) this.record('ExecutionFailed', errorDetails(error, cause));
      this.notifyParent('FAILED', error, cause);
    }
  }

  private notifyParent(status: 'SUCCEEDED' | 'FAILED', error?: string, cause?: string): void {
    const f = this.frame;
    const message: ChildCompletedMessage = { type: 'ChildCompleted', frameId: f.parentId!, entry: f.parentEntry!, run: f.parentRun!, index: f.index!, status };
    if (error !== undefined) message.error = error;
    if (cause !== undefined) message.cause = cause;
    const events = eventsForParent(f, this.recordedEvents);
    if (events !== undefined) message.events = events;
    this.deliver(message);
  }

  /**
   * The state raised an error: retry it, catch it, or fail the frame.
   * `retry` schedules the Retry timer; the state's handler re-runs its work when it fires.
   * `beforeFailing` runs when no retrier takes the error, before a catcher or the failure
   * (a Map records MapStateFailed there: Step Functions records none for a Map it retries).
   */
  async raise(err: unknown, recovery?: { retry: readonly CompiledRetrier[]; catch: readonly CompiledCatcher[] }, beforeFailing?: () => void): Promise<void> {
    const error = this.describe(toStatesError(err));
    // "Contains details about an evaluation failure that occurred while processing a state, for example,
    // when a JSONata expression throws an error" (EvaluationFailedEventDetails): recorded per failure,
    // before the state's Retry or Catch decides what follows.
    if (err instanceof QueryEvaluationError) {
      this.record('EvaluationFailed', { error: error.error, cause: error.causeText, ...(err.location !== undefined ? { location: err.location } : {}), state: this.frame.state });
    }
    if (recovery) {
      const decision = decideRetry(recovery.retry, this.frame.retries, error.error, () => this.random());
      if (decision) {
        const retries = this.frame.retries.slice();
        retries[decision.retrier] = (retries[decision.retrier] ?? 0) + 1;
        for (let i = 0; i < retries.length; i++) retries[i] ??= 0;
        this.frame.retries = retries;
        this.frame.phase = FramePhase.RETRY_WAIT;
        this.frame.task = undefined;
        this.timer('Retry', decision.delayMs);
        return;
      }
    }
    beforeFailing?.();
    if (recovery) {
      const catcher = recovery.catch.find((c) => matchesErrorEquals(c.errorEquals, error.error));
      if (catcher) {
        const errorOutput = error.toErrorOutput() as unknown as JsonValue;
        try {
          const outcome = await catcher.finish(this.frame.input, errorOutput, this.env());
          this.leave(outcome, catcher.next);
        } catch (inner) {
          this.raise(inner);
        }
        return;
      }
    }
    this.failFrame(error.error, error.causeText);
  }

  /**
   * Prefixes the cause of an error the engine raised while evaluating the
   * state, as Step Functions does: "An error occurred while executing the
   * state 'Pass' (entered at the event id #2). Invalid path ...".
   */
  private describe(error: StatesError): StatesError {
    if (!(error instanceof StateEvaluationError) || this.frame.enteredEventId === undefined) return error;
    const prefix = `An error occurred while executing the state '${this.frame.state}' (entered at the event id #${this.frame.enteredEventId}).`;
    return new StatesError(error.error, error.causeText === undefined ? prefix : `${prefix} ${error.causeText}`);
  }
}

/** Any thrown value as a StatesError; non-States exceptions are engine faults reported as States.Runtime. */
export function toStatesError(err: unknown): StatesError {
  if (err instanceof StatesError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StatesError(StatesErrorName.Runtime, message);
}
