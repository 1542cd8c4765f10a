/**
 * Carrying out a committed version's outbox (DESIGN.md invariant 2). Every
 * step is idempotent: writes overwrite themselves, messages are
 * deduplicated by the frame versions they address, task attempts by their
 * claims. Messages to other frames go first; messages to the frame itself
 * last, in one call tagged `final`, so the arrival of any of them proves the
 * whole outbox was carried out.
 */
import type { Effect, EffectHandlers, ExecutionFinishedEffect, InvokeTaskEffect, ReadItemsEffect, WriteResultsEffect } from '../engine/effects';
import { performEffect } from '../engine/effects';
import { FrameStatus } from '../engine/frame';
import { itemsReadFailed, type ItemReaderPort } from '../engine/integrations/items';
import type { Message } from '../engine/messages';
import type { ChildFrames } from './child-frames';
import type { MapRuns } from './map-runs';
import type { ExecutionContext } from './execution-contexts';
import type { ExecutionNotifier } from './notifier';
import type { PayloadCodec } from './payload-codec';
import type { NestedParent } from './nested';
import type { Envelope, ExecutionRecord, ExecutionStore, FrameVersion, TaskRequestQueue } from './ports';
import { RetryLaterError } from './retry-later';
import type { MessageSender, OutgoingMessage } from './sender';
import { AttemptClaim, type TaskAttempts } from './task-attempts';
import { chainableTask, type TaskChain } from './task-chain';

/** Where DISTRIBUTED Map ResultWriters put their objects. */
export interface ObjectWriter {
  put(bucket: string, key: string, body: string): Promise<void>;
}

/** One outbox being carried out: its version, and the messages and invocations its effects turn into. */
interface Performing {
  executionArn: string;
  ctx: ExecutionContext;
  version: FrameVersion;
  /** Messages to other frames, sent first (a started child's first version travels with its Enter). */
  others: OutgoingMessage[];
  /** Messages to the frame itself, sent last and tagged final. */
  own: OutgoingMessage[];
  /** Task attempts, invoked once the other messages are out. */
  invokes: InvokeTaskEffect[];
}

export interface OutboxOptions {
  store: ExecutionStore;
  codec: PayloadCodec;
  sender: MessageSender;
  notifier: ExecutionNotifier;
  children: ChildFrames;
  attempts: TaskAttempts;
  mapRuns: MapRuns;
  itemReader?: ItemReaderPort;
  objectWriter?: ObjectWriter;
  /** Nested executions: a `.sync` child's end completes its parent's task; a stopped parent task stops its child. */
  nested?: NestedHooks;
  /**
   * The task invoker's queue: task attempts (but activity tasks) are sent
   * there, claimed and invoked by the task invoker, whose outcome comes back
   * on the transition queue. @default none: this handler invokes them itself
   */
  taskRequests?: TaskRequestQueue;
  /** Applies a synchronous task's result in the handler that invoked it (the transition processor's `process`). */
  process: (envelope: Envelope, depth: number, cause?: string) => Promise<void>;
}

/** What the outbox tells the nested executions of (lib/service/nested). */
export interface NestedHooks {
  /** A child started by a `.sync` task ended: complete the parent's task. Carried out with every performance of the end (the parent takes one). */
  childEnded(record: ExecutionRecord & { parent: NestedParent }): Promise<void>;
  /** A `.sync` task was stopped (timed out, its execution stopped): stop the job it waits for. */
  cancelJob(job: string): Promise<void>;
}

/** Carries out outboxes: the cloud driver's effect interpreter. */
export class OutboxPerformer {
  constructor(private readonly deps: OutboxOptions) {}

  /** One handler per effect, bound once per driver; the async ones are awaited in the outbox's order. */
  private readonly handlers: EffectHandlers<Performing, void | Promise<void>> = {
    Deliver: (effect, p) => {
      const { message } = effect;
      const own = message.frameId === p.version.frame.id;
      (own ? p.own : p.others).push({ message, delayMs: effect.delayMs, from: p.version.at });
      // A child's completion is recorded under its parent before its message (the parent's wake-up) goes out,
      // so whichever wake-up the parent takes first collects every completion recorded by then (transitions.ts).
      if (message.type === 'ChildCompleted' && !own) return this.deps.store.putChildCompletion(p.executionArn, { message, redrives: p.version.frame.redrives ?? 0, lc: p.version.lc });
    },
    StartFrames: (effect, p) => {
      // A child's version 0 travels in its Enter message; its first transition is its first write.
      // (Its entry is 0 but for an EXPRESS child run again by a redrive: map-run-redrive.ts rerunChild.)
      for (const child of effect.frames) {
        p.others.push({ message: { type: 'Enter', frameId: child.id, entry: child.entry }, delayMs: 0, carry: { frame: child, lc: p.version.lc, at: p.version.at, events: [] } });
      }
      // A DISTRIBUTED Map's Map Run and child executions are found by their ARNs alone.
      if (effect.frames.some((child) => child.execution !== undefined)) return this.deps.mapRuns.recordStarts(p.executionArn, p.version, effect);
    },
    CollectChildren: async (effect, p) => {
      p.own.push({ message: await this.deps.children.collect(p.executionArn, effect, p.version.at, p.version.frame), delayMs: 0 });
    },
    RedriveChildren: async (effect, p) => {
      const { redrives, reply } = await this.deps.children.redrive(p.executionArn, effect);
      for (const message of redrives) p.others.push({ message, delayMs: 0 });
      p.own.push({ message: reply, delayMs: 0 });
    },
    WriteResults: (effect, p) => this.writeResults(effect, p),
    AbortChildren: async (effect, p) => {
      const { lc, events } = await this.deps.children.abortDescendants(p.executionArn, p.ctx.machine, effect, p.version);
      await this.deps.notifier.transitioned(p.ctx.record, events);
      // A failing state resumes after the aborted frames' events, so its own follow them in the history.
      if (effect.failing) p.own.push({ message: { type: 'ChildrenAborted', frameId: effect.frameId, entry: effect.failing.entry }, delayMs: 0, lc });
    },
    InvokeTask: (effect, p) => {
      p.invokes.push(effect);
    },
    CancelTask: (effect) => {
      // A running Lambda invocation cannot be recalled; its late result is stale and ignored. A child execution can.
      if (effect.job !== undefined && this.deps.nested) return this.deps.nested.cancelJob(effect.job);
    },
    ReadItems: (effect, p) => this.readItems(effect, p),
    ExecutionFinished: (effect, p) => this.finishExecution(effect, p),
  };

  /**
   * Carries out a committed version's outbox.
   * @param first true only in the handler whose conditional put committed `version` (its claim on any task attempt it schedules)
   * @param encoded `version` as stored, when the caller has it
   * @param depth 0 in the handler of a queue message: a synchronous task's result may be applied here, once
   * @param chain the task invoker that committed `version`, which invokes the attempt a `chained` outbox claims (task-chain.ts)
   */
  async perform(executionArn: string, ctx: ExecutionContext, version: FrameVersion, first: boolean, encoded?: FrameVersion, depth = 1, chain?: TaskChain): Promise<void> {
    const frame = version.frame;
    const effects = (version.outbox?.effects ?? []) as Effect[];
    const p: Performing = { executionArn, ctx, version, others: [], own: [], invokes: [] };
    for (const effect of effects) {
      const pending = performEffect(this.handlers, effect, p);
      if (pending !== undefined) await pending;
    }
    const { others, own } = p;
    if (others.length > 0) await this.deps.sender.send(others, executionArn, version.lc);
    const stored = encoded ?? (await this.deps.codec.encode(executionArn, version));
    // A task's timeout and heartbeat timers go out before it is invoked (DESIGN.md invariant 6), so they
    // hold however long the invocation takes or if this handler dies in it. (Tagged final: once they fire,
    // the attempt is theirs to end, and the invocation's result, if later, is stale.)
    if (p.invokes.length > 0 && own.length > 0) {
      await this.deps.sender.send(own.map((o) => ({ ...o, carry: stored })), executionArn, version.lc, version.frame.version);
      own.length = 0;
    }
    const { taskRequests } = this.deps;
    // An attempt its commit claimed is the committing invoker's to invoke, after everything else went out; never requested.
    const chained = version.outbox?.chained ? chainableTask(p.invokes, frame.id) : undefined;
    // Sent last of the outbox, so the outcome (tagged final) proves every other message went out.
    const requested = taskRequests ? p.invokes.filter((e) => e.activityArn === undefined && e !== chained) : [];
    if (taskRequests && requested.length > 0) await taskRequests.request(requested.map((effect) => ({ v: 1, executionArn, effect, version: stored })));
    let inline: Message | undefined;
    for (const invoke of p.invokes) {
      if (requested.includes(invoke) || (invoke === chained && first && chain)) continue;
      const result = await this.deps.attempts.invoke(executionArn, invoke, version, first ? AttemptClaim.COMMIT : AttemptClaim.REPLAY);
      if (!result) continue;
      // A synchronous task's result is applied here, not sent round the queue: one message and one
      // invocation fewer per task. Only one level deep, so a chain of tasks still spreads over invocations.
      if (depth === 0 && !inline) inline = result;
      else own.push({ message: result, delayMs: 0 });
    }
    if (inline) {
      if (own.length > 0) await this.deps.sender.send(own.map((o) => ({ ...o, carry: stored })), executionArn, version.lc, version.frame.version);
      try {
        await this.deps.process({ v: 1, executionArn, message: inline, lc: version.lc, frame: stored, final: version.frame.version }, depth + 1, version.outbox?.cause);
        return;
      } catch (err) {
        if (!(err instanceof RetryLaterError)) throw err;
        own.length = 0;
        own.push({ message: inline, delayMs: 0 }); // contended: let the queue bring it back
      }
    }
    // One call, tagged final: the arrival of any of these proves the whole outbox was carried out.
    if (own.length > 0) await this.deps.sender.send(own.map((o) => ({ ...o, carry: stored })), executionArn, version.lc, version.frame.version);
    // Unless one of them arrives at once, record it (finished frames receive nothing that moves them). A
    // synchronous task handed to the invoker needs no record either: its outcome, a lost-worker failure or its
    // timer always comes back tagged final (task-invoker.ts) — one write fewer per task. A callback task's does not.
    const answered = requested.some((e) => !e.waitForToken) || (chained !== undefined && first && chain !== undefined);
    if (!answered && !own.some((o) => o.delayMs <= 0) && frame.status === FrameStatus.RUNNING && version.outbox && !version.outbox.done) {
      await this.deps.store.markOutboxDone(executionArn, frame.id, frame.version);
    }
    if (chained && first && chain) chain.take(chained, stored);
  }

  private async writeResults(effect: WriteResultsEffect, p: Performing): Promise<void> {
    const address = { type: 'ResultsWritten' as const, frameId: effect.frameId, entry: effect.entry };
    let message: Message = address;
    try {
      if (!this.deps.objectWriter) throw new Error('No ResultWriter destination is configured for this runtime.');
      for (const o of effect.objects) await this.deps.objectWriter.put(o.bucket, o.key, o.body);
    } catch (err) {
      message = { ...address, error: 'States.ResultWriterFailed', cause: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    p.own.push({ message, delayMs: 0 });
  }

  private async readItems(effect: ReadItemsEffect, p: Performing): Promise<void> {
    let message: Message;
    if (!this.deps.itemReader) {
      message = { type: 'ItemsRead', frameId: effect.frameId, entry: effect.entry, error: 'States.ItemReaderFailed', cause: 'No ItemReader is configured for this runtime.' };
    } else {
      message = await this.deps.itemReader.read(effect.reader).then(
        (items): Message => ({ type: 'ItemsRead', frameId: effect.frameId, entry: effect.entry, items }),
        (err: unknown): Message => itemsReadFailed(effect, err),
      );
    }
    p.own.push({ message, delayMs: 0 });
  }

  /** Records the execution's end once (the store keeps the first), and tells the observer when this call recorded it. */
  private async finishExecution(effect: ExecutionFinishedEffect, p: Performing): Promise<void> {
    const { executionArn, ctx, version } = p;
    const end = {
      status: effect.status,
      stopDate: version.at,
      ...(effect.error !== undefined ? { error: effect.error } : {}),
      ...(effect.cause !== undefined ? { cause: effect.cause } : {}),
    };
    const output = effect.output !== undefined ? { output: await this.deps.codec.refer(executionArn, effect.output) } : {};
    const known = ctx.record.status === 'RUNNING' ? await this.deps.codec.encodeRecord(ctx.record) : undefined;
    const ended: ExecutionRecord = { ...ctx.record, ...end, ...(effect.output !== undefined ? { output: effect.output } : {}) };
    if (await this.deps.store.finishExecution(executionArn, { ...end, ...output }, known)) await this.deps.notifier.finished(ended);
    ctx.record = { ...ctx.record, status: effect.status };
    // Every performance of the end tells the parent (a handler may die between the two); it takes the first.
    const parent = ended.parent;
    if (parent && this.deps.nested) await this.deps.nested.childEnded({ ...ended, parent });
  }
}
