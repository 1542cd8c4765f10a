/**
 * What the fault harness runs the service on: a store and a queue (with the
 * faults wrapped around their I/O), a clock, and a way to make a new driver
 * instance — a container started cold, with caches of its own. Two of them:
 * the in-memory ports (lib/service/memory.ts) on a virtual clock, and the
 * real adapters on dynalite and fauxqs (aws-backend.ts).
 */
import type { TaskRunner } from '../lib/engine/ports/task-runner';
import { CloudDriver } from '../lib/service/driver';
import { MemoryQueue, MemoryStore } from '../lib/service/memory';
import type { ExecutionStore, TransitionQueue } from '../lib/service/ports';
import type { TaskTokenKey } from '../lib/service/task-tokens';
import type { FaultInjector } from './fault-injector';

/** A received message, as the handler gets it. */
export interface BackendMessage {
  id: string;
  body: string;
}

/** One container: a driver and the queue port it was given (the batch handler dead-letters through it). */
export interface DriverInstance {
  driver: CloudDriver;
  queue: TransitionQueue;
}

export interface Backend {
  /** The names the summary line gives the store and the queue. */
  readonly storeName: 'memory' | 'dynamodb';
  readonly queueName: 'memory' | 'sqs';
  /** The harness's clock (epoch ms), the drivers' too. */
  now(): number;
  /** A new driver instance with cold caches and the queue it sends through, its I/O passing through the faults. */
  newDriver(tasks: TaskRunner): DriverInstance;
  /** The store without faults, for reading results. */
  readonly store: ExecutionStore;
  /** Up to `max` visible messages (the event source's poll: no faults of the handler's own). */
  receive(max: number): Promise<BackendMessage[]>;
  /** Deletes the messages of a batch that succeeded. */
  remove(ids: readonly string[]): Promise<void>;
  /** Called once per round of handler invocations: time passes, delayed messages come due. */
  tick(): Promise<void>;
  /** When nothing was received: `busy` if messages are in flight or invisible, else when the next one is due (undefined: none). */
  idle(): Promise<'busy' | number | undefined>;
  /** Moves the clock to `at` (nothing runs meanwhile). */
  jumpTo(at: number): void;
  /** Messages parked on the dead-letter queue. */
  deadLettered(): Promise<number>;
  stop(): Promise<void>;
}

/** Options every backend takes. */
export interface BackendOptions {
  injector: FaultInjector;
  tokenKey: TaskTokenKey;
  lostTaskAfterMs: number;
  /** Epoch ms the clock starts at. */
  start: number;
}

/** The in-memory ports on a virtual clock that only the harness moves. */
export function memoryBackend(options: BackendOptions): Backend {
  const { injector } = options;
  let clock = options.start;
  const now = (): number => clock;
  const memoryStore = new MemoryStore();
  const memoryQueue = new MemoryQueue(now, 30_000);
  const store = new Proxy(memoryStore, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => injector.around(`store.${String(prop)}`, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  }) as ExecutionStore;
  const queue: TransitionQueue = {
    send: (messages) =>
      injector.around('queue.send', async () => {
        for (const m of messages) {
          let delayMs = m.delayMs;
          if (injector.draw(injector.rates.delay, 'delay')) delayMs += 1000 + Math.floor(injector.random() * 9000);
          memoryQueue.enqueue(JSON.stringify(m.envelope), delayMs);
          if (injector.draw(injector.rates.duplicate, 'duplicate')) memoryQueue.enqueue(JSON.stringify(m.envelope), delayMs + Math.floor(injector.random() * 3000));
        }
      }),
    deadLetter: (body, reason) => memoryQueue.deadLetter(body, reason),
  };
  return {
    storeName: 'memory',
    queueName: 'memory',
    now,
    store: memoryStore,
    newDriver: (tasks) => ({ driver: new CloudDriver({ store, queue, tasks, now, lostTaskAfterMs: options.lostTaskAfterMs, sleep: async () => {}, tokenKey: options.tokenKey }), queue }),
    async receive(max) {
      if (injector.draw(injector.rates.reorder, 'reorder')) memoryQueue.shuffle(injector.random);
      return memoryQueue.receive(max);
    },
    async remove(ids) {
      for (const id of ids) memoryQueue.delete(id);
    },
    async tick() {
      clock += 5 + Math.floor(injector.random() * 20);
    },
    async idle() {
      return memoryQueue.nextVisibleAt();
    },
    jumpTo(at) {
      clock = Math.max(clock, at);
    },
    async deadLettered() {
      return memoryQueue.deadLetters.length;
    },
    async stop() {},
  };
}
