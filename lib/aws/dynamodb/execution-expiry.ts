/**
 * The expiry of each execution's items in one store (lib/aws/dynamodb/expiry.ts
 * says how long): stamped on every write, and settled when the execution
 * ends or is redriven.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ExecutionRecord } from '../../service/ports';
import { runningExpiry, settleTarget, worthSettling, type ExpiryBasis } from './expiry';
import { settleExpiry, type SettleRequest } from './settle';

type Item = Record<string, AttributeValue>;

/** Executions whose own retention and TimeoutSeconds a store remembers. */
const MAX_KNOWN = 10_000;

/** What each execution's items expire by, as a store knows it. */
export class ExecutionExpiry {
  /** Each execution's own retention and TimeoutSeconds, learnt from its record. */
  private readonly known = new Map<string, { retentionSeconds?: number; timeoutSeconds?: number }>();

  /** @param retentionSeconds the store's retention; without one, items are kept forever. */
  constructor(private readonly retentionSeconds?: number) {}

  /**
   * What an execution's items expire by, or undefined when they are kept
   * forever. An execution's own retention (from its state machine) wins over
   * the store's; the store learns it and the TimeoutSeconds from the record,
   * which every container reads or writes before it writes anything else of
   * the execution. Neither changes over the execution's life, redrives
   * included, so a container's copy never goes stale.
   */
  basis(executionArn?: string): ExpiryBasis | undefined {
    const known = executionArn !== undefined ? this.known.get(executionArn) : undefined;
    const retentionSeconds = known?.retentionSeconds ?? this.retentionSeconds;
    if (retentionSeconds === undefined) return undefined;
    return known?.timeoutSeconds !== undefined ? { retentionSeconds, timeoutSeconds: known.timeoutSeconds } : { retentionSeconds };
  }

  /** Sets the item's TTL `ex`: from `endedAt` for a finished execution's record, else as written while it runs. */
  stamp(item: Item, executionArn?: string, endedAt?: number): Item {
    const basis = this.basis(executionArn);
    if (basis === undefined) return item;
    item.ex = { N: String(endedAt !== undefined ? settleTarget(basis.retentionSeconds, endedAt) : runningExpiry(basis, Date.now())) };
    return item;
  }

  /** Remembers an execution's own retention and TimeoutSeconds (a bounded map: the oldest is forgotten first). */
  learn(record: ExecutionRecord): ExecutionRecord {
    if ((record.retentionSeconds !== undefined || record.timeoutSeconds !== undefined) && !this.known.has(record.info.executionArn)) {
      if (this.known.size >= MAX_KNOWN) this.known.delete(this.known.keys().next().value!);
      this.known.set(record.info.executionArn, {
        ...(record.retentionSeconds !== undefined ? { retentionSeconds: record.retentionSeconds } : {}),
        ...(record.timeoutSeconds !== undefined ? { timeoutSeconds: record.timeoutSeconds } : {}),
      });
    }
    return record;
  }

  /**
   * Gives the execution's other items the expiry its record now has: when it
   * ended, the retention after the end (for each item whose storage saved pays
   * for the write); when it was redriven, as if written now while it runs
   * (every item: the earlier runs' history and frames must outlive the new
   * run). A crash before this leaves items expiring later than needed, never
   * sooner.
   *
   * An end shortens only items written by the ended run (an expiry no later
   * than one written at the end), and a redrive moves every item past that,
   * so an end settled late — after a redrive — shortens nothing of the new
   * run: whichever update lands second, its condition on the expiry read
   * keeps the redrive's.
   */
  async settle(at: Omit<SettleRequest, 'op' | 'next'>, executionArn: string, record: ExecutionRecord): Promise<void> {
    const basis = this.basis(executionArn);
    if (basis === undefined) return;
    if (record.status === 'RUNNING') {
      const to = runningExpiry(basis, Date.now());
      return settleExpiry({ ...at, op: 'ExtendExpiry', next: (from) => (from === undefined ? undefined : Math.max(from + 1, to)) });
    }
    const stop = record.stopDate ?? Date.now();
    const to = settleTarget(basis.retentionSeconds, stop);
    // Items written before a container learnt the run's bound (the input's value, put before the record) carry
    // the year-long expiry; a run never redriven has no later run whose items the wider test could shorten.
    const { timeoutSeconds: _bound, ...unbounded } = basis;
    const endedRun = runningExpiry(record.info.redriveCount > 0 ? basis : unbounded, stop);
    return settleExpiry({ ...at, op: 'SettleExpiry', next: (from, bytes) => (from !== undefined && from <= endedRun && worthSettling(bytes, from, to) ? to : undefined) });
  }
}
