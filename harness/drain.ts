/**
 * The harness's Lambda event sources and clock: worker loops that take
 * batches from the transition queue (lambda/transition.ts's batch handler)
 * and from the task invoker's queue (lambda/invoker.ts's), each batch to one
 * of the driver instances — now and then replaced by a cold one — and a
 * coordinator that moves time on, runs what comes due (callback answers,
 * stop checks), polls the activity worker, and, once no handler is at work
 * and no message is visible or in flight, jumps the clock to the next thing
 * due. The run ends when nothing is left to do.
 */
import { processBatch } from '../lib/service/batch';
import { processTaskRequests } from '../lib/service/task-invoker';
import type { TaskRequest } from '../lib/service/ports';
import type { TaskRunner } from '../lib/engine/ports/task-runner';
import type { Backend, DriverInstance, QueueKind } from './backend';
import { SimulatedCrash, type FaultInjector } from './fault-injector';

/** Something to do at a time of the drivers' clock. */
export interface Due {
  at: number;
  run(): Promise<void>;
}

export interface DrainOptions {
  backend: Backend;
  injector: FaultInjector;
  tasks: TaskRunner;
  /** The containers: batches go to one at random, and it is now and then replaced by a cold one. */
  drivers: DriverInstance[];
  /** Transition handler invocations at once. */
  concurrency: number;
  /** Task invoker invocations at once. */
  invokerConcurrency: number;
  /** Things to do when they come due; each may add more. */
  scheduled: Due[];
  /** The activity worker: polls and answers; true when it found a task. */
  pollActivities(): Promise<boolean>;
  /** False while executions are still being started: the run may not end yet. */
  ready(): boolean;
}

const isFatal = (err: unknown): boolean => err instanceof SimulatedCrash;

/** Runs handlers until every queue is drained and nothing more is due. */
export async function drain(options: DrainOptions): Promise<void> {
  const { backend, injector, drivers } = options;
  const { random } = injector;
  let done = false;
  let active = 0;
  const workers: { kind: QueueKind; sawEmpty: boolean }[] = [
    ...Array.from({ length: options.concurrency }, () => ({ kind: 'transitions' as const, sawEmpty: false })),
    ...Array.from({ length: options.invokerConcurrency }, () => ({ kind: 'tasks' as const, sawEmpty: false })),
  ];

  /** One handler invocation: one batch to one container. */
  const handle = async (kind: QueueKind, batch: { id: string; body: string }[]): Promise<void> => {
    const slot = Math.floor(random() * drivers.length);
    if (injector.draw(injector.rates.restart, 'restart')) drivers[slot] = options.backend.newDriver(options.tasks);
    const { driver, queue } = drivers[slot];
    const records = batch.map((b) => ({ messageId: b.id, body: b.body }));
    if (kind === 'transitions') {
      try {
        const response = await processBatch(driver, queue, records, { isFatal, log: () => {} });
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        await backend.remove(kind, batch.filter((b) => !failed.has(b.id)).map((b) => b.id));
      } catch (err) {
        if (!isFatal(err)) throw err;
        // The invocation died: every message of the batch comes back after the visibility timeout.
      }
      return;
    }
    // The invoker reports each record's failure; a crash in any of them kills the whole invocation.
    let crashed = false;
    const invoker = {
      invokeTask: (request: TaskRequest) =>
        driver.invokeTask(request).catch((err: unknown) => {
          if (isFatal(err)) crashed = true;
          throw err;
        }),
    };
    const response = await processTaskRequests(invoker, records, { log: () => {} });
    if (crashed) return;
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    await backend.remove(kind, batch.filter((b) => !failed.has(b.id)).map((b) => b.id));
  };

  const work = async (worker: (typeof workers)[number]): Promise<void> => {
    while (!done) {
      // At work from the receive on: a batch received is in flight until it is handled.
      active++;
      let empty = false;
      try {
        const batch = await backend.receive(worker.kind, 10);
        empty = batch.length === 0;
        if (!empty) await handle(worker.kind, batch);
      } finally {
        active--;
      }
      worker.sawEmpty = empty;
      if (empty) await backend.pause();
    }
  };

  const coordinate = async (): Promise<void> => {
    let idleRounds = 0;
    let lastPoll = 0;
    let busyRounds = 0;
    let jumps = 0;
    const began = Date.now();
    // HARNESS_TRACE=1: where the time goes, every ten seconds and at the end.
    const trace = process.env.HARNESS_TRACE ? setInterval(() => console.error(`drain: busy_handlers=${active} scheduled=${options.scheduled.length} jumps=${jumps} busy_rounds=${busyRounds}`), 10_000) : undefined;
    try {
      while (!done) {
        await backend.tick();
        const now = backend.now();
        const due = options.scheduled.filter((d) => d.at <= now);
        for (const d of due) {
          options.scheduled.splice(options.scheduled.indexOf(d), 1);
          await d.run();
        }
        if (Date.now() - lastPoll > 100) {
          lastPoll = Date.now();
          if (await options.pollActivities()) idleRounds = 0;
        }
        const quiet = active === 0 && workers.every((w) => w.sawEmpty) && due.length === 0;
        if (!quiet) {
          await backend.pause();
          continue;
        }
        for (const w of workers) w.sawEmpty = false;
        const queued = await backend.idle();
        if (queued === 'busy') busyRounds++;
        if (queued === 'busy' || (await options.pollActivities())) {
          await backend.pause();
          continue;
        }
        const next = Math.min(queued ?? Infinity, ...options.scheduled.map((d) => d.at));
        if (next === Infinity) {
          if (options.ready() && ++idleRounds > 2) return;
          await backend.pause();
          continue;
        }
        idleRounds = 0;
        jumps++;
        backend.jumpTo(next);
      }
    } finally {
      done = true;
      clearInterval(trace);
      if (process.env.HARNESS_TRACE) console.error(`drained: wall_s=${(Date.now() - began) / 1000} jumps=${jumps} busy_rounds=${busyRounds}`);
    }
  };

  // A handler that fails for a reason no fault explains ends the run with its error.
  await Promise.all([
    coordinate(),
    ...workers.map((w) =>
      work(w).catch((err: unknown) => {
        done = true;
        throw err;
      }),
    ),
  ]);
}
