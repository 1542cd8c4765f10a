/**
 * The fault-injection harness: runs many executions of the mixed workload
 * through several cloud driver instances (each with caches of its own,
 * replaced by cold ones mid-run) on the in-memory ports or on the real
 * adapters (DynamoStore on dynalite, SqsQueue on fauxqs) while, driven by a
 * seed, it duplicates, reorders and delays messages, kills the handler before
 * or after any I/O call, loses responses and throws throttling errors. Then
 * it checks DESIGN.md's promise: every execution's whole history equals the
 * in-process driver's event by event (history-check.ts), nothing is left
 * stuck or dead-lettered, and no task attempt is invoked twice.
 */
import type { JsonValue } from '../lib/asl/json';
import type { HistoryEvent } from '../lib/engine/history';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../lib/engine/ports/task-runner';
import { LocalRuntime } from '../lib/local/runtime';
import { processBatch } from '../lib/service/batch';
import { LOST_WORKER_CAUSE, LOST_WORKER_ERROR } from '../lib/service/task-attempts';
import { generateTokenKey } from '../lib/service/task-tokens';
import { awsBackend, CLOCK_SCALE, sdkThrottle } from './aws-backend';
import { memoryBackend, type Backend, type DriverInstance } from './backend';
import { DEFAULT_RATES, FaultInjector, SimulatedCrash, type FaultCounts, type FaultRates } from './fault-injector';
import type { Services } from './fixture';
import { compareHistories, firstDifference, lostAttempts, type HistoryMatch } from './history-check';
import { callbackAnswer, HARNESS_WORKLOADS, runHarnessTask, type HarnessWorkload } from './workloads';

export { DEFAULT_RATES, SimulatedCrash, SimulatedLostResponse, SimulatedThrottle, type FaultRates } from './fault-injector';

export interface HarnessOptions {
  seed: string;
  executions: number;
  rates?: Partial<FaultRates>;
  /** Concurrent handler invocations. @default 4 */
  concurrency?: number;
  /** The in-memory ports, or DynamoStore on dynalite and SqsQueue on fauxqs. @default 'memory' */
  adapters?: 'memory' | 'aws';
  /** Driver instances taking messages from the one queue. @default 3 */
  drivers?: number;
  /** Running dynalite and fauxqs to use (aws adapters); @default started and stopped by the run */
  services?: Services;
}

export interface HarnessReport {
  executions: number;
  transitions: number;
  faults: FaultCounts;
  anomalies: Record<string, number>;
  /** One line per anomaly, for diagnosis. */
  details: string[];
  virtualSeconds: number;
  /** Histories identical to the reference's, and the same but for the interleaving of concurrent frames. */
  histories: Record<Exclude<HistoryMatch, 'different'>, number>;
  store: Backend['storeName'];
  queue: Backend['queueName'];
}

interface Reference {
  status: string;
  output?: JsonValue;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
}

/** The deployment's task token key, drawn once per harness process. */
const TOKEN_KEY = generateTokenKey();

/**
 * Runs one workload input on the in-process driver: the right answer. The
 * attempts in `lost` fail as lost workers, as they did in the cloud run.
 */
async function reference(workload: HarnessWorkload, input: JsonValue, name: string, lost: ReadonlySet<string>, mended = false): Promise<Reference> {
  // The driver's own key: the reference hands out the very tokens the driver does.
  const runtime = new LocalRuntime({ timeScale: 0, tokenKey: TOKEN_KEY });
  runtime.onPendingTask((task) => {
    setImmediate(() => {
      try {
        runtime.sendTaskSuccess(task.taskToken, callbackAnswer((task.input as { Payload: JsonValue }).Payload));
      } catch {
        // TaskDoesNotExist: the attempt failed as a lost worker; nothing to answer.
      }
    });
  });
  const runner: TaskRunner = {
    run: async (invocation) =>
      lost.has(invocation.attemptId) ? { kind: 'failed', error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE } : runHarnessTask(invocation, mended),
  };
  const result = await runtime.startExecution(workload.definition, { input, name, stateMachineName: workload.name, taskRunner: runner }).result;
  return {
    status: result.status,
    ...(result.output !== undefined ? { output: result.output } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    history: result.history,
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The time every run starts at. */
const EPOCH = Date.UTC(2026, 0, 1);

export async function runFaultHarness(options: HarnessOptions): Promise<HarnessReport> {
  const rates: FaultRates = { ...DEFAULT_RATES, ...options.rates };
  const aws = options.adapters === 'aws';
  const injector = new FaultInjector(options.seed, rates, aws ? sdkThrottle : undefined);
  const anomalies: Record<string, number> = {};
  const details: string[] = [];
  const anomaly = (kind: string, detail: string): void => {
    anomalies[kind] = (anomalies[kind] ?? 0) + 1;
    if (details.length < 20) details.push(`${kind}: ${detail}`);
  };
  // A lost worker is found when its attempt's claim is this old: on the real adapters, long enough in wall-clock
  // terms (the clock runs CLOCK_SCALE times faster) that a handler still busy is not taken for a dead one.
  const lostTaskAfterMs = aws ? 5_000 * CLOCK_SCALE : 120_000;
  const backendOptions = { injector, tokenKey: TOKEN_KEY, lostTaskAfterMs, start: EPOCH };
  const backend = aws ? await awsBackend({ ...backendOptions, ...(options.services ? { services: options.services } : {}) }) : memoryBackend(backendOptions);
  try {
    return await run(options, backend, injector, anomaly, () => ({ anomalies, details }));
  } finally {
    await backend.stop();
  }
}

async function run(
  options: HarnessOptions,
  backend: Backend,
  injector: FaultInjector,
  anomaly: (kind: string, detail: string) => void,
  found: () => Pick<HarnessReport, 'anomalies' | 'details'>,
): Promise<HarnessReport> {
  const { random } = injector;
  const now = (): number => backend.now();

  // Task functions: invocations counted per attempt (execution, frame, state entry, attempt); callback tokens
  // answered later by an outside worker.
  let mended = false;
  const invocations = new Map<string, number>();
  const callbacks: { at: number; token: string; output: JsonValue }[] = [];
  const tasks: TaskRunner = {
    run: (invocation: TaskInvocation) =>
      injector.around(
        'lambda.invoke',
        async (): Promise<TaskOutcome> => {
          invocations.set(invocation.attemptId, (invocations.get(invocation.attemptId) ?? 0) + 1);
          const outcome = runHarnessTask(invocation, mended);
          if (outcome.kind === 'pending' && invocation.taskToken) {
            callbacks.push({ at: now() + 2000 + Math.floor(random() * 5000), token: invocation.taskToken, output: callbackAnswer((invocation.parameters as { Payload: JsonValue }).Payload) });
          }
          return outcome;
        },
        // Lambda throttling is a task failure of its own (Lambda.TooManyRequestsException), not a fault of the driver.
        { throttles: false, losesResponse: false },
      ),
  };
  const drivers: DriverInstance[] = Array.from({ length: Math.max(1, options.drivers ?? 3) }, () => backend.newDriver(tasks));
  // The API's own instance: what clients call (retrying through faults, as a client would).
  const api = backend.newDriver(tasks).driver;
  const retrying = async <T>(what: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await what();
      } catch (err) {
        if (!injector.isInjected(err)) throw err;
        await backend.tick();
      }
    }
  };

  const machines = new Map<string, string>();
  for (const w of HARNESS_WORKLOADS) {
    // The role the in-process driver names in ExecutionStarted, so the histories can be equal.
    const record = await retrying(() => api.putStateMachine(w.name, JSON.stringify(w.definition), 'arn:aws:iam::123456789012:role/switchyard-local'));
    machines.set(w.name, record.stateMachineArn);
  }
  const started: { arn: string; workload: HarnessWorkload; input: JsonValue; name: string }[] = [];
  for (let i = 0; i < options.executions; i++) {
    const workload = HARNESS_WORKLOADS[i % HARNESS_WORKLOADS.length];
    const input = workload.input(i);
    const name = `e${i}`;
    const { executionArn } = await retrying(() => api.startExecution(machines.get(workload.name)!, { name, input }));
    started.push({ arn: executionArn, workload, input, name });
  }

  // Handler invocations until the queue drains. Each takes one batch to one of the containers, which is now and
  // then replaced by a cold one.
  const isFatal = (err: unknown): boolean => err instanceof SimulatedCrash;
  const worker = async (): Promise<boolean> => {
    const batch = await backend.receive(10);
    if (batch.length === 0) return false;
    const slot = Math.floor(random() * drivers.length);
    if (injector.draw(injector.rates.restart, 'restart')) drivers[slot] = backend.newDriver(tasks);
    const { driver, queue } = drivers[slot];
    try {
      const response = await processBatch(driver, queue, batch.map((b) => ({ messageId: b.id, body: b.body })), { isFatal, log: () => {} });
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      await backend.remove(batch.filter((b) => !failed.has(b.id)).map((b) => b.id));
    } catch (err) {
      if (!isFatal(err)) throw err;
      // The invocation died: every message of the batch comes back after the visibility timeout.
    }
    return true;
  };
  const concurrency = options.concurrency ?? 4;
  const drain = async (): Promise<void> => {
    let idleRounds = 0;
    for (let round = 0; round < 2_000_000; round++) {
      const due = callbacks.filter((c) => c.at <= now());
      for (const c of due) {
        callbacks.splice(callbacks.indexOf(c), 1);
        try {
          await api.sendTaskSuccess(c.token, c.output);
        } catch (err) {
          if (injector.isInjected(err)) callbacks.push({ ...c, at: now() + 500 });
          // TaskDoesNotExist: the attempt ended already; nothing to send.
        }
      }
      const worked = await Promise.all(Array.from({ length: concurrency }, () => worker()));
      await backend.tick();
      if (worked.some(Boolean)) {
        idleRounds = 0;
        continue;
      }
      const queued = await backend.idle();
      if (queued === 'busy') {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      const next = Math.min(queued ?? Infinity, ...callbacks.map((c) => c.at));
      if (next === Infinity) {
        if (++idleRounds > 2) break;
        continue;
      }
      backend.jumpTo(next);
    }
  };
  await drain();

  // The failed executions of the redrive workload: mend their function, redrive them (through faults, as a
  // client retries), and run again.
  const redriven = started.filter((s) => s.workload.redrive);
  mended = true;
  for (const { arn } of redriven) {
    await retrying(() =>
      api.redriveExecution(arn).catch((err: unknown) => {
        // A redrive whose reply was lost to a crash: the second answers that it runs (or ran) already.
        if ((err as { name?: string }).name !== 'ExecutionNotRedrivable') throw err;
        return undefined;
      }),
    );
  }
  await drain();

  // Check every execution against the in-process driver's run of it.
  injector.enabled = false;
  const reader = backend.newDriver(tasks).driver;
  let transitions = 0;
  const histories = { identical: 0, interleaved: 0 };
  const compare = (arn: string, got: readonly HistoryEvent[], want: readonly HistoryEvent[]): void => {
    const match = compareHistories(got, want);
    if (match === 'different') anomaly('history_differs', `${arn}: ${firstDifference(got, want)}`);
    else histories[match]++;
  };
  for (const { arn, workload, input, name } of started) {
    const lost = lostAttempts(arn, await backend.store.allFrameVersions(arn));
    const first = await reference(workload, input, name, lost);
    // A redriven execution ends as a run with the function mended does. Its first run races a Wait against the
    // failing iteration (which side is further when the Map fails depends on timing), so its history is checked
    // for its numbering and its redrive only.
    const want = workload.redrive ? await reference(workload, input, name, lost, true) : first;
    const got = await reader.describeExecution(arn);
    const history = await reader.getExecutionHistory(arn);
    transitions += history.filter((e) => e.type.endsWith('StateEntered')).length;
    if (got.status === 'RUNNING') {
      anomaly('stuck', arn);
      continue;
    }
    if (got.status !== want.status) anomaly('wrong_status', `${arn}: ${got.status}, expected ${want.status}`);
    else if (!same(got.output, want.output) || got.error !== want.error || got.cause !== want.cause) {
      anomaly('wrong_output', `${arn}: ${JSON.stringify(got.output ?? got.error)} expected ${JSON.stringify(want.output ?? want.error)}`);
    }
    if (workload.redrive) {
      if (first.status !== 'FAILED') anomaly('wrong_status', `${arn}: its reference did not fail before the redrive (${first.status})`);
      if (!history.some((e) => e.type === 'ExecutionRedriven')) anomaly('missing_event', `${arn}: no ExecutionRedriven`);
      history.forEach((e, i) => {
        if (e.id !== i + 1 || e.previousEventId >= e.id) anomaly('bad_event_ids', `${arn} event ${i}`);
      });
    } else {
      compare(arn, history, first.history);
    }
  }
  for (const [attempt, count] of invocations) if (count > 1) anomaly('task_invoked_twice', `${attempt} ×${count}`);
  const dead = await backend.deadLettered();
  if (dead > 0) anomaly('dead_lettered', `${dead} messages`);
  return {
    executions: started.length,
    transitions,
    faults: injector.counts,
    ...found(),
    virtualSeconds: Math.round((now() - EPOCH) / 1000),
    histories,
    store: backend.storeName,
    queue: backend.queueName,
  };
}

/** The report as `npm run test:faults` prints it: the breakdowns, then one summary line. */
export function formatReport(report: HarnessReport): string {
  const lines: string[] = [];
  lines.push('faults by kind:');
  for (const [k, v] of Object.entries(report.faults)) lines.push(`  ${k.padEnd(18)} ${v}`);
  lines.push('anomalies by kind:');
  const kinds = Object.entries(report.anomalies);
  if (kinds.length === 0) lines.push('  (none)');
  for (const [k, v] of kinds) lines.push(`  ${k.padEnd(18)} ${v}`);
  for (const d of report.details) lines.push(`  - ${d}`);
  lines.push(`transitions=${report.transitions} virtual_time=${report.virtualSeconds}s histories: identical=${report.histories.identical} interleaved=${report.histories.interleaved}`);
  const total = Object.values(report.faults).reduce((a, b) => a + b, 0);
  const anomalyCount = Object.values(report.anomalies).reduce((a, b) => a + b, 0);
  lines.push(`faults: executions=${report.executions} faults=${total} anomalies=${anomalyCount} store=${report.store} queue=${report.queue} history=${report.histories.interleaved === 0 ? 'exact' : 'same-events'}`);
  return lines.join('\n');
}
