/**
 * One execution run in-process: the frames, the message queue, the timers
 * and the history. It carries out the effects `step` returns, exactly as the
 * cloud driver does with DynamoDB, SQS and Lambda, only in memory. It runs
 * `switchyard run` and LocalRuntime, and in the cloud each Express execution
 * (lib/service/express.ts), so it imports nothing outside lib/asl and lib/engine.
 */
import type { JsonValue } from '../../asl/json';
import type { CompiledStateMachine } from '../../asl/model';
import { EffectNotSupportedError, performEffect, type AbortChildrenEffect, type CollectChildrenEffect, type Effect, type EffectHandlers } from '../../engine/effects';
import { abortedEvents, abortOrder } from '../../engine/aborted';
import { linkEvent, startedAfter, type EventLink, type TransitionStart } from '../../engine/event-numbering';
import type { EventDraft } from '../../engine/events';
import type { ExecutionInfo } from '../../engine/execution';
import { FramePhase, FrameStatus, type ChildExecution, type Frame } from '../../engine/frame';
import type { ChildCompletedMessage, ChildDetail, ItemsReadMessage, Message } from '../../engine/messages';
import { childDetail, childOutput } from '../../engine/states/children';
import { itemsReadFailed } from '../../engine/integrations/items';
import type { TaskRunner } from '../../engine/ports/task-runner';
import { isPromise } from '../../asl/awaitable';
import { Fifo } from './fifo';
import { HistoryLog } from './history-log';
import { ChildExecutionLog } from './child-executions';
import { DEFAULT_MAX_HISTORY_EVENTS, historyLimitMessage, historyLimitReached } from '../../engine/history-limit';
import { startExecution, stepNow, type StepResult } from '../../engine/step';
import type { TaskTokenKey } from '../../engine/token';
import type { ExecutionStatus, HistoryEvent } from '../../engine/history';
import type { ExecutionResult, PendingTask } from './result';
import type { Timers } from './timers';
import type { ItemReaderPort } from '../../engine/integrations/items';

/** A task attempt in flight: its abort controller and, for callback tasks, its token. */
interface InFlight {
  frameId: string;
  attempt: number;
  controller: AbortController;
  token?: string;
}

export interface ExecutionHooks {
  /** A task started waiting for a token or an activity worker. */
  onPendingTask(task: PendingTask, activityArn?: string): void;
  /** A token's task ended (completed, timed out, aborted). */
  onTokenClosed(token: string): void;
  /** A DISTRIBUTED Map's ResultWriter exported an object. */
  onResultObject?(bucket: string, key: string, body: string): void;
  /** The execution ran out of immediate work (a `.sync` child: its parent's virtual clock may move on). */
  onIdle?(): void;
  /** A step recorded these events (an Express execution's history goes only to its log). */
  onEvents?(events: readonly EventDraft[]): void;
}

/**
 * States one step may run through when each hands straight on to the next:
 * fewer frames, messages and steps per state, the same events. Bounded so a
 * long chain still lets other frames' messages in between.
 */
const STATES_PER_STEP = 64;

/** A frame, and the id of the last history event it recorded (its EventLink: where its next event's previousEventId points). */
interface Slot extends EventLink {
  frame: Frame;
  /** A Map's or Parallel's children by index, so collecting them needs no lookup by id. */
  children?: Slot[];
}

/** Where a commit's events began: the frame, the id its first event got, how many it recorded, and the frame's last event before them. */
interface Committing extends TransitionStart {
  slot: Slot | undefined;
  events: number;
}

/** Completions one ChildrenCompleted takes at most, so a large Map's step stays short. */
const COMPLETIONS_PER_STEP = 1024;

function isCompletionOf(message: Message | undefined, first: ChildCompletedMessage): message is ChildCompletedMessage {
  return message !== undefined && message.type === 'ChildCompleted' && message.frameId === first.frameId && message.entry === first.entry;
}

export class InProcessExecution {
  /** Every frame not yet collected by its parent, by id: one lookup per message serves the step and the history. */
  private readonly slots = new Map<string, Slot>();
  private readonly queue = new Fifo<Message>();
  private readonly log = new HistoryLog();
  /** The histories of DISTRIBUTED Map iterations, each a child execution with its own, by ARN. */
  private readonly childLogs = new Map<string, ChildExecutionLog>();
  /** The commit whose effect is being performed, reused: its StartFrames children number their first events from it. */
  private readonly committing: Committing = { slot: undefined, firstEventId: 0, events: 0, lastBefore: undefined };
  private readonly inFlight = new Map<string, InFlight>();
  readonly tokens = new Map<string, { frameId: string; entry: number; attempt: number; resource: string; input: JsonValue }>();
  private pumping = false;
  private rootId = '';
  /** Retry attempts, which Step Functions bills as state transitions too. */
  private retries = 0;
  status: ExecutionStatus = 'RUNNING';
  private finished?: ExecutionResult;
  private resolveResult!: (result: ExecutionResult) => void;
  readonly result: Promise<ExecutionResult>;
  stopDate = 0;

  constructor(
    readonly machine: CompiledStateMachine,
    readonly info: ExecutionInfo,
    private readonly runner: TaskRunner,
    private readonly timers: Timers,
    private readonly hooks: ExecutionHooks,
    private readonly itemReader: ItemReaderPort,
    /** The runtime's task token key (the engine's StepOptions.tokenKey). */
    private readonly tokenKey: TaskTokenKey,
    /** The cap on history events (LocalRuntimeOptions.maxHistoryEvents). */
    private readonly maxHistoryEvents: number = DEFAULT_MAX_HISTORY_EVENTS,
    /** The largest state output (LocalRuntimeOptions.awsLimits); undefined: no limit. */
    private readonly maxPayloadBytes?: number,
  ) {
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
  }

  /** Commits StartExecution and runs. */
  start(): void {
    const started = startExecution(this.machine, this.info);
    const root: Slot = { frame: started.frame, lastEvent: undefined };
    this.rootId = started.frame.id;
    this.slots.set(started.frame.id, root);
    this.commit(root, started.frame, started.events, started.effects);
    void this.pump();
  }

  /** Delivers a message from outside (task results, SendTask*, StopExecution). */
  deliver(message: Message): void {
    if (this.finished) return;
    this.queue.push(message);
    void this.pump();
  }

  /** A frame as it is now, while the execution runs (a token of a finished execution names no task). */
  frame(id: string): Frame | undefined {
    return this.finished ? undefined : this.slots.get(id)?.frame;
  }

  get isBusy(): boolean {
    return this.queue.length > 0 || this.pumping || this.runningInvocations > 0;
  }

  private runningInvocations = 0;

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let waiting = this.drain(); waiting; waiting = this.drain()) await waiting;
    } finally {
      this.pumping = false;
    }
    if (!this.finished) {
      this.timers.idle();
      this.hooks.onIdle?.();
    }
  }

  /** Working, or with a timer to come: a `.sync` parent in virtual time waits for it before its own timers. */
  get isActive(): boolean {
    return this.isBusy || this.timers.hasPending();
  }

  /** Lets the clock move on if nothing else runs (a `.sync` child went quiet). */
  wake(): void {
    if (!this.finished) this.timers.idle();
  }

  /**
   * Steps queued messages until the queue is empty or a step is
   * asynchronous (JSONata), and returns that step's completion. Kept apart
   * from the async pump: a value held across an `await` stays reachable from
   * the suspended function until the next `await`, and a Map's launch step
   * holds every child it started.
   */
  private drain(): Promise<void> | undefined {
    while (this.queue.length > 0 && !this.finished) {
      const events = this.log.length;
      const message = historyLimitReached(events, this.maxHistoryEvents) ? this.historyLimit() : this.nextMessage();
      const slot = this.slots.get(message.frameId);
      if (!slot) continue;
      const frame = slot.frame;
      // Near the cap, fewer states per step (at least two events each) keep the failure close to it; the events are the same.
      const maxStates = Math.max(1, Math.min(STATES_PER_STEP, (this.maxHistoryEvents - 1 - events) >> 1));
      const nextEventId = frame.execution === undefined ? events + 1 : this.childLog(frame.execution).nextId;
      const pending = stepNow(this.machine, this.info, frame, message, this.timers.now(), { nextEventId, maxStates, tokenKey: this.tokenKey, maxPayloadBytes: this.maxPayloadBytes });
      if (isPromise(pending)) return pending.then((result) => this.apply(slot, frame, message, result));
      this.apply(slot, frame, message, pending);
    }
    return undefined;
  }

  /** The root's HistoryLimit message, taken in place of the next one (which the failure makes moot). */
  private historyLimit(): Message {
    const message = historyLimitMessage(this.rootId, this.maxHistoryEvents);
    this.queue.shift();
    return message;
  }

  /**
   * The next message; completions of children of one frame that stand next
   * to each other in the queue (a Map's iterations end together) are taken
   * as one ChildrenCompleted, applied by one transition as they would be one
   * by one.
   */
  private nextMessage(): Message {
    const first = this.queue.shift()!;
    let next = this.queue.peek();
    if (first.type !== 'ChildCompleted' || !isCompletionOf(next, first)) return first;
    const completions = [first];
    while (isCompletionOf(next, first) && completions.length < COMPLETIONS_PER_STEP) {
      completions.push(this.queue.shift() as ChildCompletedMessage);
      next = this.queue.peek();
    }
    return { type: 'ChildrenCompleted', frameId: first.frameId, entry: first.entry, completions };
  }

  /** Commits a step's result; `frame` is the frame it started from. */
  private apply(slot: Slot, frame: Frame, message: Message, result: StepResult): void {
    if (!result.changed) return;
    // Step Functions bills every retry attempt as a state transition too.
    if (message.type === 'Timer' && message.timer === 'Retry') this.retries++;
    this.commit(slot, result.frame, result.events, result.effects);
    const before = frame.task;
    const after = result.frame.task;
    if (before && (after === undefined || after.attempt !== before.attempt || result.frame.entry !== frame.entry)) {
      this.settle(frame.id, before.token);
    }
  }

  private commit(slot: Slot, frame: Frame, events: EventDraft[], effects: Effect[]): void {
    slot.frame = frame;
    const own = frame.execution === undefined ? undefined : this.childLog(frame.execution);
    const firstEventId = (own ?? this.log).length + 1;
    const lastBefore = slot.lastEvent;
    this.record(slot, events);
    const committing = this.committing;
    for (const effect of effects) {
      // Set before each effect: one (a callback task's hook) may run another commit before the next.
      committing.slot = slot;
      committing.firstEventId = firstEventId;
      committing.events = events.length;
      committing.lastBefore = lastBefore;
      performEffect(InProcessExecution.effects, effect, this);
    }
  }

  /** Appends events `slot`'s frame recorded, to the execution's history or, for a child execution, to its own. */
  private record(slot: Slot, events: readonly EventDraft[]): void {
    if (events.length === 0) return;
    const frame = slot.frame;
    const own = frame.execution === undefined ? undefined : this.childLog(frame.execution);
    for (const e of events) {
      // A step records only its own frame's events.
      const owner = e.frameId === frame.id ? slot : this.slots.get(e.frameId);
      const child = owner === slot ? own : owner?.frame.execution === undefined ? undefined : this.childLog(owner.frame.execution);
      const followed = e.follows !== undefined ? (this.slots.get(e.follows) ?? { lastEvent: undefined }) : undefined;
      if (child === undefined) this.log.append(e, linkEvent(owner, this.log.nextId, e.type, followed));
      else child.append(e, linkEvent(owner, child.nextId, e.type, followed));
    }
    this.hooks.onEvents?.(events);
  }

  /**
   * The in-process effect interpreter: one handler per effect, each given the
   * execution; one table for every execution, so performing an effect
   * allocates nothing of its own.
   */
  private static readonly effects: EffectHandlers<InProcessExecution, void> = {
    Deliver(effect, x) {
      if (effect.delayMs <= 0) x.queue.push(effect.message);
      else x.timers.schedule(effect.delayMs, () => x.deliver(effect.message));
    },
    InvokeTask(effect, x) {
      x.invoke(effect);
    },
    CancelTask(effect, x) {
      x.cancel(effect.frameId, effect.token);
    },
    StartFrames(effect, x) {
      // The step's children: their first events follow the last event their parent (this frame) recorded before starting them.
      const c = x.committing;
      x.startFrames(c.slot!, effect.frames, startedAfter(c, effect.eventsBefore ?? c.events));
    },
    AbortChildren(effect, x) {
      x.abortDescendants(effect);
    },
    CollectChildren(effect, x) {
      x.collectChildren(effect);
    },
    RedriveChildren(effect) {
      // Only a Redrive message leads here, and only RedriveExecution (a service action, CloudDriver) sends one.
      throw new EffectNotSupportedError(effect.type, 'an in-process run is never redriven');
    },
    WriteResults(effect, x) {
      // On one machine the exported objects are kept in memory (LocalRuntime.resultObjects).
      for (const o of effect.objects) x.hooks.onResultObject?.(o.bucket, o.key, o.body);
      x.queue.push({ type: 'ResultsWritten', frameId: effect.frameId, entry: effect.entry });
    },
    ReadItems(effect, x) {
      x.runningInvocations++;
      x.itemReader
        .read(effect.reader)
        .then(
          (items): ItemsReadMessage => ({ type: 'ItemsRead', frameId: effect.frameId, entry: effect.entry, items }),
          (err: unknown) => itemsReadFailed(effect, err),
        )
        .then((message) => {
          x.runningInvocations--;
          x.deliver(message);
        });
    },
    ExecutionFinished(effect, x) {
      x.finish(effect.status, effect.output, effect.error, effect.cause);
    },
  };

  private startFrames(parent: Slot, frames: readonly Frame[], parentLast: number | undefined): void {
    for (const child of frames) {
      // A child execution's first event is the first of its own history.
      const slot: Slot = { frame: child, lastEvent: child.execution?.frameId === child.id ? undefined : parentLast };
      this.slots.set(child.id, slot);
      if (child.index !== undefined) (parent.children ??= [])[child.index] = slot;
      this.queue.push({ type: 'Enter', frameId: child.id, entry: child.entry });
    }
  }

  private collectChildren(effect: CollectChildrenEffect): void {
    const outputs: JsonValue[] = new Array(effect.childIds.length);
    const details: ChildDetail[] | undefined = effect.details ? new Array(effect.childIds.length) : undefined;
    const parent = this.slots.get(effect.frameId);
    for (let i = 0; i < effect.childIds.length; i++) {
      const known = parent?.children?.[i];
      const slot = known && known.frame.parentEntry === effect.entry && known.frame.parentRun === effect.run ? known : this.slots.get(effect.childIds[i]);
      const child = slot?.frame;
      outputs[i] = childOutput(child);
      if (details) details[i] = childDetail(child, this.timers.now());
      // The parent now holds what it needs; finished children need not stay in memory.
      this.slots.delete(child ? child.id : effect.childIds[i]);
    }
    if (parent) parent.children = undefined;
    this.queue.push({ type: 'ChildrenCollected', frameId: effect.frameId, entry: effect.entry, run: effect.run, outputs, ...(details ? { details } : {}) });
  }

  private invoke(effect: Extract<Effect, { type: 'InvokeTask' }>): void {
    const controller = new AbortController();
    const key = effect.frameId;
    const token = effect.invocation.taskToken;
    this.inFlight.set(key, { frameId: effect.frameId, attempt: effect.attempt, controller, ...(token ? { token } : {}) });
    if (token) {
      const task: PendingTask = {
        taskToken: token,
        executionArn: this.info.executionArn,
        stateName: effect.invocation.stateName,
        resource: effect.invocation.resource,
        input: effect.invocation.parameters,
      };
      this.tokens.set(token, { frameId: effect.frameId, entry: effect.entry, attempt: effect.attempt, resource: task.resource, input: task.input });
      this.hooks.onPendingTask(task, effect.activityArn);
      if (effect.activityArn) return;
    }
    const address = { frameId: effect.frameId, entry: effect.entry, attempt: effect.attempt };
    this.runningInvocations++;
    this.runner
      .run(effect.invocation, controller.signal)
      .catch((err: unknown) => ({ kind: 'failed' as const, error: 'States.TaskFailed', cause: err instanceof Error ? err.message : String(err) }))
      .then((outcome) => {
        this.runningInvocations--;
        if (controller.signal.aborted) return;
        if (outcome.kind === 'succeeded' && (!effect.waitForToken || outcome.completesCallback === true)) {
          this.deliver({ type: 'TaskSucceeded', ...address, output: outcome.output });
        } else if (outcome.kind === 'failed') {
          this.deliver({ type: 'TaskFailed', ...address, error: outcome.error, ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}) });
        } else if (outcome.kind === 'pending' && outcome.submitted !== undefined) {
          this.deliver({ type: 'TaskSubmitted', ...address, ...outcome.submitted });
        } else if (!this.finished) {
          this.timers.idle();
        }
      });
  }

  private cancel(frameId: string, token?: string): void {
    const flight = this.inFlight.get(frameId);
    if (flight) {
      flight.controller.abort();
      this.inFlight.delete(frameId);
    }
    const t = token ?? flight?.token;
    if (t && this.tokens.delete(t)) this.hooks.onTokenClosed(t);
  }

  /** Forgets a finished task attempt's in-flight record (called when its result is applied). */
  settle(frameId: string, token?: string): void {
    this.inFlight.delete(frameId);
    if (token && this.tokens.delete(token)) this.hooks.onTokenClosed(token);
  }

  /** Ends every running descendant, innermost first, each with the events it records (aborted.ts); a failing state then resumes at once. */
  private abortDescendants(effect: AbortChildrenEffect): void {
    const prefix = `${effect.frameId}/`;
    const aborting = this.slots.get(effect.frameId)?.frame;
    const running: string[] = [];
    for (const [id, slot] of this.slots) if (id.startsWith(prefix) && slot.frame.status === FrameStatus.RUNNING) running.push(id);
    const now = this.timers.now();
    for (const id of running.sort(abortOrder)) {
      const slot = this.slots.get(id)!;
      const frame = slot.frame;
      const events = abortedEvents(this.machine, effect, aborting, frame, now);
      slot.frame = { ...frame, status: FrameStatus.ABORTED, phase: FramePhase.DONE, version: frame.version + 1 };
      this.record(slot, events);
      this.cancel(id, frame.task?.token);
    }
    // First in the queue: nothing else moves between the state's failing and its failure.
    if (effect.failing) this.queue.unshift({ type: 'ChildrenAborted', frameId: effect.frameId, entry: effect.failing.entry });
  }

  private finish(status: Exclude<ExecutionStatus, 'RUNNING'>, output?: JsonValue, error?: string, cause?: string): void {
    this.status = status;
    this.stopDate = this.timers.now();
    for (const [id] of this.inFlight) this.cancel(id);
    for (const token of [...this.tokens.keys()]) {
      this.tokens.delete(token);
      this.hooks.onTokenClosed(token);
    }
    this.finished = {
      executionArn: this.info.executionArn,
      status,
      ...(output !== undefined ? { output } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
      transitions: this.transitionCount,
      history: [],
      startDate: this.info.startTime,
      stopDate: this.stopDate,
    };
    Object.defineProperty(this.finished, 'history', { enumerable: true, get: () => this.history() });
    this.timers.dispose();
    this.resolveResult(this.finished);
  }

  /** The history as GetExecutionHistory returns it. */
  history(): HistoryEvent[] {
    return this.log.events();
  }

  /** The child executions of its DISTRIBUTED Maps (their iterations), in the order they started, each with its history. */
  childExecutions(): { executionArn: string; history: HistoryEvent[] }[] {
    return [...this.childLogs.values()].map((log) => ({ executionArn: log.executionArn, history: log.events() }));
  }

  private childLog(execution: ChildExecution): ChildExecutionLog {
    let log = this.childLogs.get(execution.arn);
    if (log === undefined) this.childLogs.set(execution.arn, (log = new ChildExecutionLog(execution.arn)));
    return log;
  }

  get transitionCount(): number {
    let childEntries = 0;
    for (const log of this.childLogs.values()) childEntries += log.statesEntered;
    return this.log.statesEntered + childEntries + this.retries;
  }
}
