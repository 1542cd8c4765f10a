/**
 * The history-event cap in the service (lib/engine/history-limit.ts): the
 * same cap, error and cause as the in-process driver. Each container counts
 * an execution's events in its cached context — seeded from the stored
 * history the first time it looks, then advanced by every transition it
 * commits — so no item is written per event and no two containers contend
 * on a counter. Containers that share one execution each see their own
 * commits only between looks, so in the cloud the cap is a bound to within
 * what concurrent containers commit, not an exact count; `switchyard serve`
 * has one container and counts exactly.
 */
import { historyLimitMessage, historyLimitReached } from '../engine/history-limit';
import type { HistoryLimitMessage } from '../engine/messages';
import type { ExecutionContext } from './execution-contexts';
import type { Envelope, ExecutionStore } from './ports';

/** The root frame's id in the store. */
export const ROOT_FRAME_ID = 'root';

/** Counts each execution's history events and says when the cap is reached. */
export class HistoryCap {
  constructor(
    private readonly store: Pick<ExecutionStore, 'allFrameVersions'>,
    /** The cap on history events (CloudDriverOptions.maxHistoryEvents). */
    readonly maxHistoryEvents: number,
  ) {}

  /** Undefined under the cap; at it, the root's HistoryLimit message, to be taken in place of `envelopes`. */
  async check(ctx: ExecutionContext, envelopes: readonly Envelope[]): Promise<HistoryLimitMessage | undefined> {
    const events = (ctx.events ??= await this.countStored(envelopes[0].executionArn));
    return historyLimitReached(events, this.maxHistoryEvents) ? historyLimitMessage(ROOT_FRAME_ID, this.maxHistoryEvents) : undefined;
  }

  /** Counts a committed transition's events. */
  committed(ctx: ExecutionContext, events: number): void {
    ctx.events = (ctx.events ?? 0) + events;
  }

  private async countStored(executionArn: string): Promise<number> {
    let n = 0;
    for (const v of await this.store.allFrameVersions(executionArn)) n += v.events.length;
    return n;
  }
}
