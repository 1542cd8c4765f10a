/**
 * The small driver TestState runs a state with: it steps the state's frame,
 * and the child frames of a Map or Parallel, with the engine's pure
 * `stepNow`, carrying out their effects, until the state's frame leaves the
 * state (moves on or ends). Time is virtual, so Waits and retry intervals do
 * not wait: a timer fires once nothing else can happen before it.
 */
import { StatesErrorName } from '../../asl/errors';
import type { JsonValue } from '../../asl/json';
import type { CompiledStateMachine } from '../../asl/model';
import type { Effect, InvokeTaskEffect } from '../../engine/effects';
import type { ExecutionInfo } from '../../engine/execution';
import { FramePhase, FrameStatus, type Frame } from '../../engine/frame';
import type { ChildDetail, Message } from '../../engine/messages';
import type { TaskOutcome } from '../../engine/ports/task-runner';
import { childDetail } from '../../engine/states/children';
import { stepNow, type StepResult } from '../../engine/step';
import { generateTokenKey } from '../task-tokens';

/** How a task attempt is answered: the runner's (or a mock's) outcome, or undefined when nothing will answer it. */
export type TaskAnswer = (effect: InvokeTaskEffect, signal: AbortSignal) => Promise<TaskOutcome> | undefined;

type EffectHandlers = { [K in Effect['type']]: (effect: Extract<Effect, { type: K }>) => void };

interface Timer {
  due: number;
  seq: number;
  message: Message;
}

/**
 * Runs the execution `started` began (its root frame entering the tested
 * state) until the root frame leaves that state. Returns the root frame
 * then, or undefined when it never does (it waits for something no one
 * will send, such as a task token).
 */
export async function runUntilLeft(machine: CompiledStateMachine, execution: ExecutionInfo, started: StepResult, answer: TaskAnswer): Promise<Frame | undefined> {
  const run = new FrameRun(machine, execution, answer, execution.startTime, started.events.length);
  try {
    return await run.untilLeft(started.frame, started.effects);
  } finally {
    run.abortAll();
  }
}

class FrameRun {
  private readonly frames = new Map<string, Frame>();
  private readonly queue: Message[] = [];
  private readonly timers: Timer[] = [];
  /** Task outcomes, as messages, in the order they came back. */
  private readonly arrivals: Message[] = [];
  private readonly attempts = new Map<string, AbortController>();
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private seq = 0;
  /** No SendTaskSuccess reaches a TestState run, so its tokens are signed with a key of its own that no one holds. */
  private readonly tokenKey = generateTokenKey();

  constructor(
    private readonly machine: CompiledStateMachine,
    private readonly execution: ExecutionInfo,
    private readonly answer: TaskAnswer,
    private now: number,
    /** Events recorded so far; the engine quotes a state's entered event id in cause texts. */
    private eventCount: number,
  ) {}

  async untilLeft(root: Frame, effects: readonly Effect[]): Promise<Frame | undefined> {
    this.frames.set(root.id, root);
    for (const effect of effects) this.perform(effect);
    for (;;) {
      const message = await this.next();
      if (!message) return undefined;
      const frame = this.frames.get(message.frameId);
      if (!frame) continue;
      const result = await stepNow(this.machine, this.execution, frame, message, this.now, { nextEventId: this.eventCount + 1, tokenKey: this.tokenKey });
      if (!result.changed) continue;
      this.eventCount += result.events.length;
      this.frames.set(frame.id, result.frame);
      if (frame.id === root.id && (result.frame.status !== FrameStatus.RUNNING || result.frame.entry !== root.entry)) return result.frame;
      for (const effect of result.effects) this.perform(effect);
    }
  }

  /** The next message: one queued, else a task outcome (waiting while tasks run), else the earliest timer. */
  private async next(): Promise<Message | undefined> {
    for (;;) {
      const message = this.queue.shift() ?? this.arrivals.shift();
      if (message) return message;
      if (this.inFlight > 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (this.timers.length === 0) return undefined;
      let earliest = 0;
      for (let i = 1; i < this.timers.length; i++) {
        const t = this.timers[i];
        const e = this.timers[earliest];
        if (t.due < e.due || (t.due === e.due && t.seq < e.seq)) earliest = i;
      }
      const [timer] = this.timers.splice(earliest, 1);
      this.now = Math.max(this.now, timer.due);
      return timer.message;
    }
  }

  abortAll(): void {
    for (const controller of this.attempts.values()) controller.abort();
    this.attempts.clear();
  }

  private perform(effect: Effect): void {
    (this.handlers[effect.type] as (e: Effect) => void)(effect);
  }

  private readonly handlers: EffectHandlers = {
    Deliver: (e) => {
      if (e.delayMs <= 0) this.queue.push(e.message);
      else this.timers.push({ due: this.now + e.delayMs, seq: this.seq++, message: e.message });
    },
    InvokeTask: (e) => this.invoke(e),
    CancelTask: (e) => this.cancel(e.frameId),
    StartFrames: (e) => {
      for (const child of e.frames) {
        this.frames.set(child.id, child);
        this.queue.push({ type: 'Enter', frameId: child.id, entry: child.entry });
      }
    },
    AbortChildren: (e) => {
      const prefix = `${e.frameId}/`;
      for (const [id, frame] of this.frames) {
        if (!id.startsWith(prefix) || frame.status !== FrameStatus.RUNNING) continue;
        this.frames.set(id, { ...frame, status: FrameStatus.ABORTED, phase: FramePhase.DONE, version: frame.version + 1 });
        this.cancel(id);
      }
      if (e.failing) this.queue.push({ type: 'ChildrenAborted', frameId: e.frameId, entry: e.failing.entry });
    },
    CollectChildren: (e) => {
      const outputs: JsonValue[] = [];
      const details: ChildDetail[] = [];
      for (const id of e.childIds) {
        const child = this.frames.get(id);
        outputs.push(child?.status === FrameStatus.SUCCEEDED ? (child.output as JsonValue) : { Error: child?.error ?? null, Cause: child?.cause ?? null });
        if (e.details) details.push(childDetail(child, this.now));
        this.frames.delete(id);
      }
      this.queue.push({ type: 'ChildrenCollected', frameId: e.frameId, entry: e.entry, run: e.run, outputs, ...(e.details ? { details } : {}) });
    },
    // A test run is never redriven.
    RedriveChildren: () => undefined,
    // The exported objects of a test run are not kept.
    WriteResults: (e) => this.queue.push({ type: 'ResultsWritten', frameId: e.frameId, entry: e.entry }),
    ReadItems: (e) =>
      this.queue.push({ type: 'ItemsRead', frameId: e.frameId, entry: e.entry, error: StatesErrorName.ItemReaderFailed, cause: 'TestState reads no ItemReader source' }),
    // The root frame's end is seen by untilLeft; child frames report to their parent instead.
    ExecutionFinished: () => undefined,
  };

  private invoke(effect: InvokeTaskEffect): void {
    const controller = new AbortController();
    const outcome = this.answer(effect, controller.signal);
    if (!outcome) return;
    this.attempts.set(effect.frameId, controller);
    this.inFlight++;
    const address = { frameId: effect.frameId, entry: effect.entry, attempt: effect.attempt };
    outcome
      .catch((err: unknown): TaskOutcome => ({ kind: 'failed', error: StatesErrorName.TaskFailed, cause: err instanceof Error ? err.message : String(err) }))
      .then((o) => {
        this.inFlight--;
        if (!controller.signal.aborted) {
          if (this.attempts.get(effect.frameId) === controller) this.attempts.delete(effect.frameId);
          // A callback task's runner result is not its result, unless it says it completes the callback (a mock).
          if (o.kind === 'succeeded' && (!effect.waitForToken || o.completesCallback === true)) {
            this.arrivals.push({ type: 'TaskSucceeded', ...address, output: o.output });
          } else if (o.kind === 'failed') {
            this.arrivals.push({ type: 'TaskFailed', ...address, error: o.error, ...(o.cause !== undefined ? { cause: o.cause } : {}) });
          }
        }
        this.wake?.();
      });
  }

  private cancel(frameId: string): void {
    this.attempts.get(frameId)?.abort();
    this.attempts.delete(frameId);
  }
}
