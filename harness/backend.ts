/**
 * What the fault harness runs the service on: a store and a queue (with the
 * faults wrapped around their I/O), a clock, and a way to make a new driver
 * instance — a container started cold, with caches of its own. Two of them:
 * the in-memory ports (lib/service/memory.ts) on a virtual clock, and the
 * real adapters on dynalite and fauxqs (aws-backend.ts). Each has two
 * queues, as the cloud does: the transition queue, and the task invoker's
 * queue of task requests (lib/service/task-invoker.ts), so Lambda tasks go
 * through a task invoker of their own with faults of its own.
 */
import type { TaskRunner } from '../lib/engine/ports/task-runner';
import { CloudDriver } from '../lib/service/driver';
import { MemoryQueue, MemoryStore } from '../lib/service/memory';
import type { ExecutionStore, TaskRequestQueue, TransitionQueue } from '../lib/service/ports';
import type { TaskTokenKey } from '../lib/service/task-tokens';
import type { FaultInjector } from './fault-injector';
import type { HopCount } from './hop-count';

/** A received message, as the handler gets it. */
export interface BackendMessage {
  id: string;
  body: string;
}

/** Which queue: the transition queue, or the task invoker's. */
export type QueueKind = 'transitions' | 'tasks';

/**
 * A harness task has no deadline longer than this, in real ms: once its timer
 * message is due, the attempt is the timer's to end and whatever the task
 * returns is stale (TaskAttempts), so the harness need not hold a handler
 * for the whole TimeoutSeconds of a task that hangs.
 */
export const TASK_DEADLINE_CAP_MS = 50;

/** The driver's deadline signal, capped (see {@link TASK_DEADLINE_CAP_MS}). */
export const cappedDeadline = (ms: number): AbortSignal => AbortSignal.timeout(Math.min(ms, TASK_DEADLINE_CAP_MS));

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
  /**
   * A new driver instance with cold caches and the queue it sends through,
   * its I/O passing through the faults (unless `faulty` is false: the
   * harness's own reader and activity worker).
   */
  newDriver(tasks: TaskRunner, faulty?: boolean): DriverInstance;
  /** The store without faults, for reading results. */
  readonly store: ExecutionStore;
  /** Up to `max` visible messages of one queue (the event source's poll: no faults of the handler's own). */
  receive(queue: QueueKind, max: number): Promise<BackendMessage[]>;
  /** Deletes the messages of a batch that succeeded. */
  remove(queue: QueueKind, ids: readonly string[]): Promise<void>;
  /** Called once per round of the harness: time passes, delayed messages come due. */
  tick(): Promise<void>;
  /** What a poller does when it found nothing: yields for a moment. */
  pause(): Promise<void>;
  /** When no handler is at work: `busy` if messages are visible, in flight or invisible, else when the next one is due (undefined: none). */
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
  /** Told of every body a driver sends to the transition queue. */
  hops: HopCount;
  /** The queue's maximum delay the drivers chain longer waits at. */
  maxDelayMs: number;
}

/** The in-memory ports on a virtual clock that only the harness moves. */
export function memoryBackend(options: BackendOptions): Backend {
  const { injector } = options;
  let clock = options.start;
  const now = (): number => clock;
  const memoryStore = new MemoryStore();
  const queues: Record<QueueKind, MemoryQueue> = { transitions: new MemoryQueue(now, 30_000), tasks: new MemoryQueue(now, 30_000) };
  const through = <T extends object>(target: T, faulty: boolean): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof value !== 'function' || !faulty) return value;
        return (...args: unknown[]) => injector.around(`store.${String(prop)}`, () => (value as (...a: unknown[]) => Promise<unknown>).apply(t, args));
      },
    });
  /** Sends bodies to one queue, each perhaps delayed more or sent twice. */
  const enqueue = (kind: QueueKind, bodies: readonly { body: string; delayMs: number }[], faulty: boolean): Promise<void> =>
    (faulty ? injector.around.bind(injector) : (_call: string, run: () => Promise<void>) => run())(`queue.${kind}.send`, async () => {
      for (const m of bodies) {
        if (kind === 'transitions') options.hops.saw(m.body);
        let delayMs = m.delayMs;
        if (faulty && injector.draw(injector.rates.delay, 'delay')) delayMs += 1000 + Math.floor(injector.random() * 9000);
        queues[kind].enqueue(m.body, delayMs);
        if (faulty && injector.draw(injector.rates.duplicate, 'duplicate')) queues[kind].enqueue(m.body, delayMs + Math.floor(injector.random() * 3000));
      }
    });
  return {
    storeName: 'memory',
    queueName: 'memory',
    now,
    store: memoryStore,
    newDriver: (tasks, faulty = true) => {
      const queue: TransitionQueue = {
        send: (messages) => enqueue('transitions', messages.map((m) => ({ body: JSON.stringify(m.envelope), delayMs: m.delayMs })), faulty),
        deadLetter: (body, reason) => queues.transitions.deadLetter(body, reason),
      };
      const taskRequests: TaskRequestQueue = { request: (requests) => enqueue('tasks', requests.map((r) => ({ body: JSON.stringify(r), delayMs: 0 })), faulty) };
      const store = through(memoryStore, faulty) as ExecutionStore;
      const driver = new CloudDriver({ store, queue, taskRequests, tasks, now, lostTaskAfterMs: options.lostTaskAfterMs, sleep: () => new Promise((resolve) => setImmediate(resolve)), tokenKey: options.tokenKey, taskDeadline: cappedDeadline, maxDelayMs: options.maxDelayMs });
      return { driver, queue };
    },
    async receive(kind, max) {
      if (injector.draw(injector.rates.reorder, 'reorder')) queues[kind].shuffle(injector.random);
      return queues[kind].receive(max);
    },
    async remove(kind, ids) {
      for (const id of ids) queues[kind].delete(id);
    },
    async tick() {
      clock += 5 + Math.floor(injector.random() * 20);
    },
    pause: () => new Promise((resolve) => setImmediate(resolve)),
    async idle() {
      const due = [queues.transitions.nextVisibleAt(), queues.tasks.nextVisibleAt()].filter((d): d is number => d !== undefined);
      return due.length > 0 ? Math.min(...due) : undefined;
    },
    jumpTo(at) {
      clock = Math.max(clock, at);
    },
    async deadLettered() {
      return queues.transitions.deadLetters.length + queues.tasks.deadLetters.length;
    },
    async stop() {},
  };
}
