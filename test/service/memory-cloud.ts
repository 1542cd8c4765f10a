import { processBatch } from '../../lib/service/batch';
import { CloudDriver, type CloudDriverOptions } from '../../lib/service/driver';
import { MemoryQueue, MemoryStore } from '../../lib/service/memory';

/** A cloud driver on the in-memory ports with a controllable clock, and a drain that plays the SQS event source. */
export function setup(options: Partial<CloudDriverOptions> = {}, batching: { concurrency?: number } = {}) {
  let clock = Date.UTC(2026, 10, 1);
  const now = () => clock;
  const store = new MemoryStore();
  const queue = new MemoryQueue(now, 30_000);
  const driver = new CloudDriver({ store, queue, tasks: { run: async () => ({ kind: 'succeeded', output: { ok: true } }) }, now, sleep: async () => {}, ...options });
  /** Processes messages until the queue is empty, moving the clock to each next delayed one (or, with `dueOnly`, stops at the first). */
  const drain = async (dueOnly = false) => {
    for (let i = 0; i < 10_000; i++) {
      const batch = queue.receive(10);
      if (batch.length === 0) {
        const next = queue.nextVisibleAt();
        if (next === undefined || dueOnly) return;
        clock = Math.max(clock, next);
        continue;
      }
      const res = await processBatch(driver, queue, batch.map((b) => ({ messageId: b.id, body: b.body })), { log: () => {}, ...batching });
      const failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
      for (const b of batch) if (!failed.has(b.id)) queue.delete(b.id);
      clock += 10;
    }
  };
  return { store, queue, driver, drain, advance: (ms: number) => (clock += ms) };
}
