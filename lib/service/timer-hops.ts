/**
 * The hops of a wait longer than the queue's maximum delay (DESIGN.md
 * invariant 6): a message sent with `notBefore` arrives early and is sent
 * back to wait out the rest, one hop at a time. The queue delivers at least
 * once, so a not-yet-due hop can arrive twice (a duplicate, or a handler
 * that sent the next hop and died before deleting this one); if each
 * delivery sent the next hop, the copies would double at every hop — a
 * year's wait is 35,136 hops of 15 minutes.
 *
 * So each hop is sent once, by whoever claims it: a conditional put of a
 * claim item per (message, due time, hop), then the send, then the claim
 * recorded as sent. A delivery that finds the claim
 *
 * - sent: does nothing (the next hop is on its way);
 * - taken less than `graceMs` ago and not sent: hands the message back to
 *   the queue (RetryLaterError), which delivers it again — by then sent, or
 *   its claimer is gone;
 * - taken longer ago and not sent: its claimer died between claim and send
 *   (or between send and record). It takes the claim over with a claim item
 *   of its own (`#1`, `#2`, …: a conditional put again, so one taker per
 *   round) and sends the hop.
 *
 *   deliver ── claim ── send ── record sent ── delete
 *              │        │       │
 *              │        │       └ dies here: a redelivery finds it sent
 *              │        └ dies here: a redelivery takes over after graceMs
 *              └ dies here: a redelivery takes over after graceMs,
 *                           and the next hop goes out twice
 *
 * No hop is lost: a claimer that dies never deleted its delivery, which the
 * queue delivers again. A hop goes out twice only when its claimer sent it
 * and died before recording so (or outlived `graceMs`); the two copies are
 * one hop, the next claim takes one of them and the other stops there —
 * copies never multiply. The last hop, due, is applied as any message and
 * deduplicated by the frame's version (invariant 1).
 *
 * Cost: two writes per hop (claim, sent), each under 1 KB — 2 write units
 * every 15 minutes of a wait, 192 a day, 70,272 for a year's wait
 * ($0.044 at $0.625 per million) — and one read only for a delivery that
 * lost the claim.
 */
import { messageKey } from './transitions';
import type { Envelope, ExecutionStore } from './ports';
import { RetryLaterError } from './retry-later';
import type { MessageSender } from './sender';
import { REQUEST_CLAIM_KEEP_MS } from './task-attempts';

/** The claim item's key of an envelope's hop: the logical message, when it is due, how many hops it made. */
export function hopKey(envelope: Envelope): string {
  return `hop|${messageKey(envelope.message)}|${envelope.notBefore ?? 0}|${envelope.hops ?? 0}`;
}

export interface TimerHopsOptions {
  store: ExecutionStore;
  sender: MessageSender;
  now: () => number;
  /** How long a claimed hop is assumed to be in the hands of its claimer (the driver's outboxGraceMs). */
  graceMs: number;
}

/** What one delivery of a not-yet-due hop did. */
export const HopOutcome = { SENT: 'sent', ALREADY_SENT: 'already-sent' } as const;
export type HopOutcome = (typeof HopOutcome)[keyof typeof HopOutcome];

/** Sends each hop of a long wait once, however often a hop is delivered. */
export class TimerHops {
  constructor(private readonly deps: TimerHopsOptions) {}

  /**
   * Sends `envelope` (not yet due) on as its next hop, unless that was done; throws RetryLaterError while another
   * handler holds the hop's claim within its grace.
   */
  async forward(envelope: Envelope): Promise<HopOutcome> {
    const { store, now } = this.deps;
    const arn = envelope.executionArn;
    const base = hopKey(envelope);
    // The claim must outlast every delivery of this hop: SQS keeps a message 14 days at most (as a task request's).
    if (await store.claimTask(arn, base, now(), REQUEST_CLAIM_KEEP_MS)) return this.send(envelope, base);
    let found = await store.getTaskClaim(arn, base);
    // Sent (recorded claims have claimedAt 0), or gone: kept past any delivery of the hop, so long since sent.
    if (!found || found.claimedAt === 0) return HopOutcome.ALREADY_SENT;
    for (let round = 1; ; round++) {
      if (now() - found.claimedAt < this.deps.graceMs) throw new RetryLaterError(`The hop ${base} is claimed by another handler since ${found.claimedAt}.`);
      const key = `${base}#${round}`;
      if (await store.claimTask(arn, key, now(), REQUEST_CLAIM_KEEP_MS)) return this.send(envelope, base);
      found = await store.getTaskClaim(arn, key);
      if (!found) return HopOutcome.ALREADY_SENT;
    }
  }

  private async send(envelope: Envelope, base: string): Promise<HopOutcome> {
    const { store, sender, now } = this.deps;
    await sender.resend({ ...envelope, hops: (envelope.hops ?? 0) + 1 }, envelope.notBefore! - now());
    await store.recordTaskResult(envelope.executionArn, base, null, REQUEST_CLAIM_KEEP_MS);
    return HopOutcome.SENT;
  }
}
