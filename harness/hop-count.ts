/**
 * Counts the drivers' sends of the hops of waits longer than the queue's
 * maximum delay (lib/service/timer-hops.ts), to catch copies that multiply:
 * each hop after the first must be sent once, or once more per take-over of
 * the hop before it (a claimer that died between claim and record, whose
 * take-over claim items `#1`, `#2`, … stay in the store). The first hop may
 * go out more than once (an outbox carried out again), with the same due
 * time, so its copies share one chain.
 */
import type { Envelope, ExecutionStore } from '../lib/service/ports';
import { messageKey } from '../lib/service/transitions';
import { hopKey } from '../lib/service/timer-hops';

/**
 * The in-memory queue's maximum delay in the harness: shorter than SQS's, so the workloads' 20-minute and hour-long
 * waits make 4 and 12 hops. (On the real adapters SQS's 15 minutes: 2 and 4 hops. At 5 minutes there, a hop whose
 * claimer crashed comes back every 2-second visibility timeout until its 60-second grace is over, keeping the clock
 * from jumping: 28 executions took over 300 s instead of 114 s.)
 */
export const HARNESS_MAX_DELAY_MS = 300_000;
/** SQS's maximum delay, which the real adapters' drivers chain at. */
export const SQS_MAX_DELAY_MS = 900_000;

/** What the count found. */
export interface HopReport {
  /** Distinct waits that were chained. */
  waits: number;
  /** Hops sent (the first of each wait included). */
  sent: number;
  /** Sends of a hop beyond its first. */
  repeats: number;
  /** Repeats of a first hop: an outbox carried out again (same due time, so one chain). */
  replays: number;
  /** Repeats of a later hop explained by a take-over of the hop before. */
  takenOver: number;
}

export class HopCount {
  /** Per wait (execution, message, due time): one envelope, and the sends of each hop. */
  private readonly waits = new Map<string, { envelope: Envelope; sends: number[] }>();

  /** A message body a driver sent to the transition queue. */
  saw(body: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(body) as Envelope;
    } catch {
      return;
    }
    if (envelope.notBefore === undefined || !envelope.message) return;
    const key = `${envelope.executionArn}\n${messageKey(envelope.message)}\n${envelope.notBefore}`;
    const wait = this.waits.get(key) ?? { envelope, sends: [] };
    this.waits.set(key, wait);
    const hop = envelope.hops ?? 0;
    wait.sends[hop] = (wait.sends[hop] ?? 0) + 1;
  }

  /** Checks every wait against the take-overs the store recorded; `anomaly` is told of each repeat they do not explain. */
  async check(store: ExecutionStore, anomaly: (kind: string, detail: string) => void): Promise<HopReport> {
    const report: HopReport = { waits: this.waits.size, sent: 0, repeats: 0, replays: 0, takenOver: 0 };
    for (const { envelope, sends } of this.waits.values()) {
      for (let hop = 0; hop < sends.length; hop++) {
        const count = sends[hop] ?? 0;
        report.sent += count;
        if (count === 0) anomaly('hop_skipped', `${hopKey({ ...envelope, hops: hop })}: sent without the hop before it`);
        if (count <= 1) continue;
        report.repeats += count - 1;
        if (hop === 0) {
          report.replays += count - 1;
          continue;
        }
        const takeovers = await this.takeovers(store, { ...envelope, hops: hop - 1 });
        report.takenOver += Math.min(count - 1, takeovers);
        if (count - 1 > takeovers) anomaly('hop_repeated', `${envelope.executionArn} ${hopKey({ ...envelope, hops: hop })} sent ${count} times, ${takeovers} take-overs of the hop before`);
      }
    }
    return report;
  }

  /** How many times the claim of `envelope`'s hop was taken over. */
  private async takeovers(store: ExecutionStore, envelope: Envelope): Promise<number> {
    let n = 0;
    while (await store.getTaskClaim(envelope.executionArn, `${hopKey(envelope)}#${n + 1}`)) n++;
    return n;
  }
}
