/**
 * The fault-injection harness: runs many executions of the mixed workload
 * through the cloud driver while, driven by a seed, it duplicates, reorders
 * and delays messages, kills the handler before or after any I/O call, and
 * throws throttling errors. Then it checks DESIGN.md's promise: every
 * execution reaches the status and output the in-process driver computes,
 * no history event is duplicated or missing, nothing is left stuck, and no
 * task attempt is invoked twice.
 */
import type { JsonValue } from '../lib/asl/json';
import { seededRandom } from '../lib/asl/random';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../lib/engine/ports/task-runner';
import { LocalRuntime } from '../lib/local/runtime';
import { generateTokenKey } from '../lib/service/task-tokens';
import type { HistoryEvent } from '../lib/local/api';
import { processBatch } from '../lib/service/batch';
import { CloudDriver } from '../lib/service/driver';
import { MemoryQueue, MemoryStore } from '../lib/service/memory';
import type { ExecutionStore, TransitionQueue } from '../lib/service/ports';
import { callbackAnswer, HARNESS_WORKLOADS, runHarnessTask } from './workloads';

/** A simulated crash of the handler: the invocation ends, nothing after it happens. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = 'SimulatedCrash';
  }
}

/** A simulated throttling error, as DynamoDB and SQS return under load. */
export class SimulatedThrottle extends Error {
  constructor(call: string) {
    super(`Rate exceeded (${call})`);
    this.name = 'ThrottlingException';
  }
}

export interface FaultRates {
  /** Per I/O call: the handler dies before the call. */
  crashBefore: number;
  /** Per I/O call: the call takes effect, then the handler dies. */
  crashAfter: number;
  /** Per I/O call: the call is throttled and fails. */
  throttle: number;
  /** Per message sent: it is delivered twice. */
  duplicate: number;
  /** Per message sent: it is delayed by 1–10 extra seconds. */
  delay: number;
  /** Per receive: the queue's order is shuffled. */
  reorder: number;
}

export const DEFAULT_RATES: FaultRates = { crashBefore: 0.01, crashAfter: 0.01, throttle: 0.02, duplicate: 0.05, delay: 0.05, reorder: 0.2 };

export interface HarnessOptions {
  seed: string;
  executions: number;
  rates?: Partial<FaultRates>;
  /** Concurrent handler invocations. @default 4 */
  concurrency?: number;
}

export interface HarnessReport {
  executions: number;
  transitions: number;
  faults: Record<string, number>;
  anomalies: Record<string, number>;
  /** One line per anomaly, for diagnosis. */
  details: string[];
  virtualSeconds: number;
}

interface Expected {
  status: string;
  output?: JsonValue;
  error?: string;
  cause?: string;
  eventTypes: Map<string, number>;
}

function countTypes(events: readonly HistoryEvent[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of events) m.set(e.type, (m.get(e.type) ?? 0) + 1);
  return m;
}

/** The deployment's task token key, drawn once per harness process. */
const TOKEN_KEY = generateTokenKey();

/** Runs each workload input on the in-process driver: the right answers. */
async function reference(workload: (typeof HARNESS_WORKLOADS)[number], input: JsonValue, name: string, mended = false): Promise<Expected> {
  // The driver's own key: the reference hands out the very tokens the driver does.
  const runtime = new LocalRuntime({ timeScale: 0, tokenKey: TOKEN_KEY });
  runtime.onPendingTask((task) => {
    setImmediate(() => runtime.sendTaskSuccess(task.taskToken, callbackAnswer((task.input as { Payload: JsonValue }).Payload)));
  });
  const runner: TaskRunner = { run: async (invocation) => runHarnessTask(invocation, mended) };
  const result = await runtime.startExecution(workload.definition, { input, name, stateMachineName: workload.name, taskRunner: runner }).result;
  return {
    status: result.status,
    ...(result.output !== undefined ? { output: result.output } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    eventTypes: countTypes(result.history),
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export async function runFaultHarness(options: HarnessOptions): Promise<HarnessReport> {
  const random = seededRandom(options.seed);
  const rates: FaultRates = { ...DEFAULT_RATES, ...options.rates };
  const faults: Record<string, number> = { crash_before_io: 0, crash_after_io: 0, throttle: 0, duplicate: 0, delay: 0, reorder: 0 };
  const anomalies: Record<string, number> = {};
  const details: string[] = [];
  const anomaly = (kind: string, detail: string): void => {
    anomalies[kind] = (anomalies[kind] ?? 0) + 1;
    if (details.length < 50) details.push(`${kind}: ${detail}`);
  };

  let clock = Date.UTC(2026, 0, 1);
  const now = (): number => clock;
  const memoryStore = new MemoryStore();
  const memoryQueue = new MemoryQueue(now, 30_000);

  /** Wraps every I/O call of a port with crashes and throttles. */
  let faultsOn = true;
  const io = async <T>(call: string, run: () => Promise<T>, throttles = true): Promise<T> => {
    if (faultsOn) {
      if (throttles && random() < rates.throttle) {
        faults.throttle++;
        throw new SimulatedThrottle(call);
      }
      if (random() < rates.crashBefore) {
        faults.crash_before_io++;
        throw new SimulatedCrash(`before ${call}`);
      }
    }
    const result = await run();
    if (faultsOn && random() < rates.crashAfter) {
      faults.crash_after_io++;
      throw new SimulatedCrash(`after ${call}`);
    }
    return result;
  };
  const store = new Proxy(memoryStore, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => io(`store.${String(prop)}`, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  }) as ExecutionStore;
  const queue: TransitionQueue = {
    send: (messages) =>
      io('queue.send', async () => {
        for (const m of messages) {
          let delayMs = m.delayMs;
          if (faultsOn && random() < rates.delay) {
            faults.delay++;
            delayMs += 1000 + Math.floor(random() * 9000);
          }
          memoryQueue.enqueue(JSON.stringify(m.envelope), delayMs);
          if (faultsOn && random() < rates.duplicate) {
            faults.duplicate++;
            memoryQueue.enqueue(JSON.stringify(m.envelope), delayMs + Math.floor(random() * 3000));
          }
        }
      }),
    deadLetter: (body, reason) => memoryQueue.deadLetter(body, reason),
  };

  // Task functions: counted per attempt; callback tokens answered later by an outside worker.
  let mended = false;
  const invocations = new Map<string, number>();
  const callbacks: { at: number; token: string; output: JsonValue }[] = [];
  const tasks: TaskRunner = {
    run: (invocation: TaskInvocation) =>
      io('lambda.invoke', async (): Promise<TaskOutcome> => {
        invocations.set(invocation.attemptId, (invocations.get(invocation.attemptId) ?? 0) + 1);
        const outcome = runHarnessTask(invocation, mended);
        if (outcome.kind === 'pending' && invocation.taskToken) {
          callbacks.push({ at: clock + 2000 + Math.floor(random() * 5000), token: invocation.taskToken, output: callbackAnswer((invocation.parameters as { Payload: JsonValue }).Payload) });
        }
        return outcome;
      }, false), // Lambda throttling is a task failure of its own (Lambda.TooManyRequestsException), not a fault of the driver
  };
  const driver = new CloudDriver({ store, queue, tasks, now, lostTaskAfterMs: 120_000, sleep: async () => {}, tokenKey: TOKEN_KEY });

  // Register the machines and start every execution (retrying through faults, as a client would).
  const retrying = async <T>(what: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await what();
      } catch (err) {
        if (!(err instanceof SimulatedCrash || err instanceof SimulatedThrottle)) throw err;
        clock += 100;
      }
    }
  };
  const machines = new Map<string, string>();
  for (const w of HARNESS_WORKLOADS) {
    const record = await retrying(() => driver.putStateMachine(w.name, JSON.stringify(w.definition)));
    machines.set(w.name, record.stateMachineArn);
  }
  const expected = new Map<string, Expected>();
  // Executions that must fail first and are then redriven: the answer is the mended run's status and output.
  const redriven = new Map<string, Expected>();
  for (let i = 0; i < options.executions; i++) {
    const w = HARNESS_WORKLOADS[i % HARNESS_WORKLOADS.length];
    const input = w.input(i);
    const name = `e${i}`;
    const { executionArn } = await retrying(() => driver.startExecution(machines.get(w.name)!, { name, input }));
    expected.set(executionArn, await reference(w, input, name));
    if (w.redrive) redriven.set(executionArn, await reference(w, input, name, true));
  }

  // Handler invocations until the queue drains.
  const isFatal = (err: unknown): boolean => err instanceof SimulatedCrash;
  const worker = async (): Promise<boolean> => {
    if (faultsOn && random() < rates.reorder) {
      faults.reorder++;
      memoryQueue.shuffle(random);
    }
    const batch = memoryQueue.receive(10);
    if (batch.length === 0) return false;
    try {
      const response = await processBatch(driver, queue, batch.map((b) => ({ messageId: b.id, body: b.body })), { isFatal, log: () => {} });
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      for (const b of batch) if (!failed.has(b.id)) memoryQueue.delete(b.id);
    } catch (err) {
      if (!isFatal(err)) throw err;
      // The invocation died: every message of the batch comes back after the visibility timeout.
    }
    return true;
  };
  const concurrency = options.concurrency ?? 4;
  /** Handler invocations until the queue drains and no callback is due. */
  const drain = async (): Promise<void> => {
    let idleRounds = 0;
    for (let round = 0; round < 2_000_000; round++) {
      const due = callbacks.filter((c) => c.at <= clock);
      for (const c of due) {
        callbacks.splice(callbacks.indexOf(c), 1);
        try {
          await driver.sendTaskSuccess(c.token, c.output);
        } catch (err) {
          if (err instanceof SimulatedCrash || err instanceof SimulatedThrottle) callbacks.push({ ...c, at: clock + 500 });
          // TaskDoesNotExist: the attempt ended already; nothing to send.
        }
      }
      const worked = await Promise.all(Array.from({ length: concurrency }, () => worker()));
      clock += 5 + Math.floor(random() * 20);
      if (worked.some(Boolean)) {
        idleRounds = 0;
        continue;
      }
      const next = Math.min(memoryQueue.nextVisibleAt() ?? Infinity, ...callbacks.map((c) => c.at));
      if (next === Infinity) {
        if (++idleRounds > 2) break;
        continue;
      }
      clock = Math.max(clock, next);
    }
  };
  await drain();

  // The failed executions of the redrive workload: mend their function, redrive them (through faults, as a
  // client retries), and run again; the first run's failure is checked against the reference as it stands.
  for (const arn of redriven.keys()) {
    const first = await retrying(() => driver.describeExecution(arn));
    if (first.status !== 'FAILED' || first.error !== expected.get(arn)!.error) anomaly('wrong_status', `${arn} before its redrive: ${first.status} ${first.error ?? ''}`);
  }
  mended = true;
  for (const arn of redriven.keys()) {
    await retrying(() => driver.redriveExecution(arn).catch((err: unknown) => {
      // A redrive whose reply was lost to a crash: the second answers that it runs (or ran) already.
      if ((err as { name?: string }).name !== 'ExecutionNotRedrivable') throw err;
      return undefined;
    }));
  }
  await drain();

  // Check every execution against its reference.
  faultsOn = false;
  let transitions = 0;
  for (const [arn, first] of expected) {
    const want = redriven.get(arn) ?? first;
    const got = await driver.describeExecution(arn);
    if (got.status === 'RUNNING') {
      anomaly('stuck', arn);
      continue;
    }
    if (got.status !== want.status) anomaly('wrong_status', `${arn}: ${got.status}, expected ${want.status}`);
    else if (!same(got.output, want.output) || got.error !== want.error || got.cause !== want.cause) {
      anomaly('wrong_output', `${arn}: ${JSON.stringify(got.output ?? got.error)} expected ${JSON.stringify(want.output ?? want.error)}`);
    }
    const history = await driver.getExecutionHistory(arn);
    transitions += history.filter((e) => e.type.endsWith('StateEntered')).length;
    history.forEach((e, i) => {
      if (e.id !== i + 1 || e.previousEventId >= e.id) anomaly('bad_event_ids', `${arn} event ${i}`);
    });
    // Attempt events (…Scheduled/Started/Failed) legitimately differ from the reference when a crash
    // loses an attempt and Retry runs another; every other event must match exactly, and attempts must pair up.
    // (A redriven execution's history holds both runs: only its ids and its attempts are checked.)
    const counts = countTypes(history);
    if (redriven.has(arn) && (counts.get('ExecutionRedriven') ?? 0) < 1) anomaly('missing_event', `${arn}: no ExecutionRedriven`);
    const attemptEvent = /^(LambdaFunction|Task)(Scheduled|Started|Failed|Succeeded|Submitted|TimedOut)$/;
    const types = new Set([...counts.keys(), ...want.eventTypes.keys()]);
    for (const t of redriven.has(arn) ? [] : types) {
      const diff = (counts.get(t) ?? 0) - (want.eventTypes.get(t) ?? 0);
      if (attemptEvent.test(t) && !/Succeeded$/.test(t)) continue;
      if (diff > 0) anomaly('duplicated_event', `${arn}: ${diff} extra ${t}`);
      if (diff < 0) anomaly('missing_event', `${arn}: ${-diff} missing ${t}`);
    }
    // An attempt may be left without its end only in an iteration that was aborted (MapIterationAborted).
    const aborted = counts.get('MapIterationAborted') ?? 0;
    for (const family of ['LambdaFunction', 'Task']) {
      const n = (suffix: string): number => counts.get(`${family}${suffix}`) ?? 0;
      const open = n('Started') - (n('Succeeded') + n('Failed') + n('TimedOut'));
      if (n('Scheduled') !== n('Started') || open < 0 || open > aborted) {
        if (!(family === 'Task' && n('Submitted') > 0 && open === 0)) {
          anomaly('unpaired_attempt_events', `${arn}: ${family} scheduled=${n('Scheduled')} started=${n('Started')} ended=${n('Succeeded') + n('Failed') + n('TimedOut')}`);
        }
      }
    }
  }
  for (const [attempt, count] of invocations) if (count > 1) anomaly('task_invoked_twice', `${attempt} ×${count}`);
  if (memoryQueue.deadLetters.length > 0) anomaly('dead_lettered', `${memoryQueue.deadLetters.length} messages`);
  return { executions: expected.size, transitions, faults, anomalies, details, virtualSeconds: Math.round((clock - Date.UTC(2026, 0, 1)) / 1000) };
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
  lines.push(`transitions=${report.transitions} virtual_time=${report.virtualSeconds}s`);
  const total = Object.values(report.faults).reduce((a, b) => a + b, 0);
  const anomalyCount = Object.values(report.anomalies).reduce((a, b) => a + b, 0);
  lines.push(`faults: executions=${report.executions} faults=${total} anomalies=${anomalyCount}`);
  return lines.join('\n');
}
