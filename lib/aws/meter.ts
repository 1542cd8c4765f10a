/**
 * The cost meter: every AWS call the adapters make, with the capacity it
 * consumed, so `npm run bench:cloud` prices real runs instead of estimates.
 */

export type MeteredService = 'dynamodb' | 'sqs' | 'lambda' | 's3';

export interface Usage {
  requests: number;
  /** DynamoDB read and write request units (on-demand), as ConsumedCapacity reports them. */
  readUnits: number;
  writeUnits: number;
  /** SQS bills each 64 KiB chunk of a request's payload as one request. */
  sqsBilledRequests: number;
  /** Lambda: billed GB-seconds. */
  gbSeconds: number;
  /** DynamoDB: bytes of the items written, as DynamoDB sizes them for storage (priced per GB-month). */
  storedBytes: number;
  /**
   * DynamoDB: bytes of the items written times the seconds each lives (until
   * its TTL, from the time of the write), so storage is priced from the
   * expiry the store gave each item; negative when a write shortens one.
   */
  storedByteSeconds: number;
}

export interface Meter {
  record(service: MeteredService, operation: string, usage: Partial<Usage>): void;
}

/** A meter that adds everything up per service and operation. */
export class CostMeter implements Meter {
  readonly totals = new Map<string, Usage>();

  record(service: MeteredService, operation: string, usage: Partial<Usage>): void {
    const key = `${service}:${operation}`;
    const t = this.totals.get(key) ?? { requests: 0, readUnits: 0, writeUnits: 0, sqsBilledRequests: 0, gbSeconds: 0, storedBytes: 0, storedByteSeconds: 0 };
    t.requests += usage.requests ?? 1;
    t.readUnits += usage.readUnits ?? 0;
    t.writeUnits += usage.writeUnits ?? 0;
    t.sqsBilledRequests += usage.sqsBilledRequests ?? 0;
    t.gbSeconds += usage.gbSeconds ?? 0;
    t.storedBytes += usage.storedBytes ?? 0;
    t.storedByteSeconds += usage.storedByteSeconds ?? 0;
    this.totals.set(key, t);
  }

  reset(): void {
    this.totals.clear();
  }

  /** Sums over every operation of a service. */
  service(service: MeteredService): Usage {
    const sum: Usage = { requests: 0, readUnits: 0, writeUnits: 0, sqsBilledRequests: 0, gbSeconds: 0, storedBytes: 0, storedByteSeconds: 0 };
    for (const [key, u] of this.totals) {
      if (!key.startsWith(`${service}:`)) continue;
      sum.requests += u.requests;
      sum.readUnits += u.readUnits;
      sum.writeUnits += u.writeUnits;
      sum.sqsBilledRequests += u.sqsBilledRequests;
      sum.gbSeconds += u.gbSeconds;
      sum.storedBytes += u.storedBytes;
      sum.storedByteSeconds += u.storedByteSeconds;
    }
    return sum;
  }
}

export const NO_METER: Meter = { record() {} };
