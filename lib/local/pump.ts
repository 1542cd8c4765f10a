/**
 * The event-source loop of the local server: up to `concurrency` workers
 * take batches of visible messages from the in-memory queue and run them
 * through the transition handler's code (processBatch), deleting what
 * succeeded; a timer wakes them when the next delayed message is due.
 *
 * The in-memory store and queue answer at once, so a batch's awaits are
 * microtasks only and a worker that always finds more work (a Choice loop,
 * a huge Map's iterations) would never let the event loop reach the sockets:
 * every other caller of the server would wait for the runaway to end. Each
 * worker therefore yields to the event loop (setImmediate) after every batch,
 * so requests are answered between batches (npm run bench:isolation).
 */
import { processBatch } from '../service/batch';
import type { CloudDriver } from '../service/driver';
import type { MemoryQueue } from '../service/memory';
import type { TransitionQueue } from '../service/ports';
import { turnOver } from '../service/turn-over';

export interface Pump {
  /** Starts workers for what is visible now (call after every send). */
  wake(): void;
  stop(): void;
}


export function startPump(
  driver: CloudDriver,
  memoryQueue: MemoryQueue,
  queue: TransitionQueue,
  options: { concurrency: number; log: (entry: Record<string, unknown>) => void; now: () => number },
): Pump {
  let running = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const work = async (): Promise<void> => {
    running++; // counted before the first await, so wake() sees it at once
    try {
      for (;;) {
        if (stopped) return;
        const batch = memoryQueue.receive(10);
        if (batch.length === 0) return;
        const response = await processBatch(driver, queue, batch.map((b) => ({ messageId: b.id, body: b.body })), { log: options.log });
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        for (const b of batch) if (!failed.has(b.id)) memoryQueue.delete(b.id);
        await turnOver();
      }
    } finally {
      running--;
      schedule();
    }
  };

  /** When no worker runs, a timer for the next delayed message. */
  const schedule = (): void => {
    if (stopped || running > 0) return;
    const next = memoryQueue.nextVisibleAt();
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (next === undefined) return;
    timer = setTimeout(wake, Math.min(Math.max(0, next - options.now()), 2 ** 31 - 1));
    timer.unref();
  };

  function wake(): void {
    if (stopped) return;
    const wanted = Math.min(options.concurrency, Math.max(1, Math.ceil(memoryQueue.size / 10)));
    for (let i = running; i < wanted; i++) void work();
  }

  return {
    wake,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
