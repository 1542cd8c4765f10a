/**
 * The history-event cap in the service (lib/engine/history-limit.ts): the
 * same cap, error and cause as the in-process driver. Each container counts
 * an execution's events in its cached context — exactly from StartExecution
 * when it started the execution, else from zero — and advances the count by
 * every transition it commits, so no item is written per event and no two
 * containers contend on a counter. Every tenth of the cap counted it reads
 * the stored history's count instead (one query per 100,000 events at the
 * default), so a container that did not see the start, or shares the
 * execution with others, catches up: the cap holds to within a tenth of it
 * per container sharing the execution. `switchyard serve` has one container,
 * and its in-memory store keeps the count as versions are written
 * (ExecutionStore.historyEventCount), so there reading it costs nothing; a
 * store without that count is read whole, once at a time per execution.
 * A DISTRIBUTED Map's child executions keep histories of their own (as in
 * Step Functions, and in-process): their events do not count towards the
 * parent's cap, so a Map Run of 100,000 items neither fails at it nor makes
 * each container read the whole partition back every tenth of it.
 */
import { historyLimitMessage, historyLimitReached } from '../engine/history-limit';
import type { HistoryLimitMessage } from '../engine/messages';
import type { ExecutionContext } from './execution-contexts';
import type { Frame } from '../engine/frame';
import type { Envelope, ExecutionStore } from './ports';

/** The root frame's id in the store. */
export const ROOT_FRAME_ID = 'root';

/** Counts each execution's history events and says when the cap is reached. */
export class HistoryCap {
  constructor(
    private readonly store: Pick<ExecutionStore, 'allFrameVersions' | 'historyEventCount'>,
    /** The cap on history events (CloudDriverOptions.maxHistoryEvents). */
    readonly maxHistoryEvents: number,
  ) {}

  /** Undefined under the cap; at it, the root's HistoryLimit message, to be taken in place of `envelopes`. */
  async check(ctx: ExecutionContext, envelopes: readonly Envelope[]): Promise<HistoryLimitMessage | undefined> {
    const step = Math.max(1, Math.floor(this.maxHistoryEvents / 10));
    // A container that did not start the execution counts from zero: no read of the history until it has counted a tenth.
    const count = (ctx.events ??= { known: 0, recountAt: step });
    if (count.known >= count.recountAt) {
      // One read at a time: the transitions that pass the mark meanwhile wait for it instead of each reading it all.
      count.recount ??= this.countStored(envelopes[0].executionArn).then(
        (stored) => {
          count.known = Math.max(count.known, stored);
          count.recountAt = count.known + step;
        },
      ).finally(() => {
        count.recount = undefined;
      });
      await count.recount;
    }
    return historyLimitReached(count.known, this.maxHistoryEvents) ? historyLimitMessage(ROOT_FRAME_ID, this.maxHistoryEvents) : undefined;
  }

  /** Counts a committed transition's events: those of `frame` when it is the execution's own, not a child execution's. */
  committed(ctx: ExecutionContext, frame: Pick<Frame, 'execution'>, events: number): void {
    if (ctx.events && frame.execution === undefined) ctx.events.known += events;
  }

  /** The count of an execution this container has just started: its start events, exactly. */
  started(ctx: ExecutionContext, events: number): void {
    ctx.events ??= { known: events, recountAt: events + Math.max(1, Math.floor(this.maxHistoryEvents / 10)) };
  }

  private async countStored(executionArn: string): Promise<number> {
    if (this.store.historyEventCount) return this.store.historyEventCount(executionArn);
    let n = 0;
    for (const v of await this.store.allFrameVersions(executionArn)) if (v.frame.execution === undefined) n += v.events.length;
    return n;
  }
}
