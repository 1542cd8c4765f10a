/**
 * How long the items of an execution live (the table's TTL attribute `ex`,
 * epoch seconds). A finished execution is kept `retention` after its end;
 * the TTL of an item is fixed when it is written, before the end is known,
 * so an item written while the execution runs must outlive the longest the
 * run can still take:
 *
 *   written ──────── run bound ──────── retention ──┤ ex
 *   (now)    (TimeoutSeconds and a day's slack, else a year)
 *
 * The bound is counted from the write, not from the start: a write is never
 * before the start of its run, so it holds for a redriven run as well.
 *
 * When the execution ends, {@link settleTarget} is the expiry its items
 * should have; the store rewrites an item's `ex` to it only where the
 * storage saved is worth more than the write that saves it (see
 * {@link worthSettling}). A redrive extends every item again, so a
 * redriven run never loses its earlier history or its frames.
 */

/** Step Functions' longest Standard execution: a year (366 days, for a leap year). */
export const LONGEST_RUN_SECONDS = 366 * 86_400;

/**
 * Slack over a declared TimeoutSeconds: the timeout arrives as a queued
 * message, which a backlog or a redelivery can hold up.
 */
export const TIMEOUT_SLACK_SECONDS = 86_400;

/**
 * Byte-seconds of storage that cost as much as one write request unit:
 * $0.625 per million write units over $0.45 per GB-month (storage $0.25 and
 * point-in-time recovery $0.20, us-east-1, 30.4-day months) ≈ 3.65e9 — a
 * 300-byte item kept 141 days longer, or a 1 KB one 41 days.
 */
export const WRITE_UNIT_BYTE_SECONDS = (0.625 / 1e6 / (0.45 / (1e9 * 30.4 * 86_400)));

/** What fixes the lifetimes of one execution's items. */
export interface ExpiryBasis {
  /** Seconds a finished execution is kept. */
  retentionSeconds: number;
  /** The state machine's TimeoutSeconds, which the engine enforces, when it has one. */
  timeoutSeconds?: number;
}

/** The expiry (epoch seconds) of an item written at `nowMs` while the execution runs. */
export function runningExpiry(basis: ExpiryBasis, nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  const yearOn = now + LONGEST_RUN_SECONDS;
  const bounded = basis.timeoutSeconds !== undefined ? now + basis.timeoutSeconds + TIMEOUT_SLACK_SECONDS : yearOn;
  return Math.min(yearOn, bounded) + basis.retentionSeconds;
}

/** The expiry of every item of an execution that ended at `endedAtMs`. */
export function settleTarget(retentionSeconds: number, endedAtMs: number): number {
  return Math.floor(endedAtMs / 1000) + retentionSeconds;
}

/** Write units DynamoDB bills to update an item of this size (1 per KB, rounded up). */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** Whether shortening an item's expiry from `currentEx` to `targetEx` saves more storage than its write costs. */
export function worthSettling(bytes: number, currentEx: number, targetEx: number): boolean {
  return bytes * (currentEx - targetEx) > writeUnits(bytes) * WRITE_UNIT_BYTE_SECONDS;
}
