/**
 * The fault-injection harness: runs many executions of the mixed workload
 * (workloads.ts) through several cloud driver instances (each with caches of
 * its own, replaced by cold ones mid-run), their transitions from the
 * transition queue and their Lambda tasks from the task invoker's queue
 * (drain.ts), on the in-memory ports or on the real adapters (DynamoStore on
 * dynalite, SqsQueue on fauxqs) while, driven by a seed, it duplicates,
 * reorders and delays messages, kills the handler before or after any I/O
 * call, loses responses and throws throttling errors. Clients start, stop
 * and redrive executions and answer tokens through the same faults; an
 * activity worker polls and answers. Then it checks DESIGN.md's promise:
 * every execution's whole history equals the in-process driver's
 * (reference.ts), event by event or frame by frame with ids mapped
 * (history-check.ts), nothing is left stuck or dead-lettered, no task
 * attempt was invoked twice, and every attempt the reference invoked was
 * invoked once and no other (but a lost worker's), and every hop of a wait
 * longer than the queue's maximum delay (5 minutes in memory) was sent once but
 * where a take-over explains a second copy (hop-count.ts).
 */
import type { JsonValue } from '../lib/asl/json';
import type { HistoryEvent } from '../lib/engine/history';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../lib/engine/ports/task-runner';
import { generateTokenKey } from '../lib/service/task-tokens';
import { awsBackend, CLOCK_SCALE, sdkThrottle } from './aws-backend';
import { memoryBackend, type Backend, type DriverInstance } from './backend';
import { drain, type Due } from './drain';
import { DEFAULT_RATES, FaultInjector, type FaultCounts, type FaultRates } from './fault-injector';
import type { Services } from './fixture';
import { compareHistories, firstDifference, lostAttempts, rootAttemptId, type HistoryMatch } from './history-check';
import { HARNESS_MAX_DELAY_MS, HopCount, SQS_MAX_DELAY_MS, type HopReport } from './hop-count';
import { reference, type Reference } from './reference';
import { ACTIVITY_NAME, ACTIVITY_WORKER, IDLE_ACTIVITY_NAME, activityAnswer, answersCallback, callbackAnswer, runHarnessTask, STOP_CAUSE, STOP_ERROR, workloadFor, type HarnessWorkload } from './workloads';

export { DEFAULT_RATES, SimulatedCrash, SimulatedLostResponse, SimulatedThrottle, type FaultRates } from './fault-injector';

export interface HarnessOptions {
  seed: string;
  executions: number;
  rates?: Partial<FaultRates>;
  /** Concurrent transition handler invocations. @default 4 */
  concurrency?: number;
  /** Concurrent task invoker invocations. @default 2 */
  invokerConcurrency?: number;
  /** The in-memory ports, or DynamoStore on dynalite and SqsQueue on fauxqs. @default 'memory' */
  adapters?: 'memory' | 'aws';
  /** Driver instances taking messages from the queues. @default 3 */
  drivers?: number;
  /** Running dynalite and fauxqs to use (aws adapters); @default started and stopped by the run */
  services?: Services;
  /** On the real adapters: how much faster than the wall clock the drivers' clock runs. @default CLOCK_SCALE */
  clockScale?: number;
}

export interface HarnessReport {
  executions: number;
  transitions: number;
  faults: FaultCounts;
  anomalies: Record<string, number>;
  /** One line per anomaly, for diagnosis. */
  details: string[];
  virtualSeconds: number;
  /** Histories compared with the reference's: identical, or the same frame by frame with ids mapped (history-check.ts). */
  histories: Record<Exclude<HistoryMatch, 'different'>, number>;
  /** Task invocations, and activity tasks handed to the worker. */
  invocations: number;
  store: Backend['storeName'];
  queue: Backend['queueName'];
  /** The hops of waits longer than the queue's maximum delay, and their repeats. */
  hops: HopReport;
}

/** The deployment's task token key, drawn once per harness process. */
const TOKEN_KEY = generateTokenKey();

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const errorName = (err: unknown): string | undefined => (err as { name?: string } | null)?.name;

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
  // terms (the clock runs clockScale times faster) that a handler still busy is seldom taken for a dead one (and
  // when it is, the attempt fails as lost, never runs twice, and the reference fails it too).
  const scale = options.clockScale ?? CLOCK_SCALE;
  const lostTaskAfterMs = aws ? 5_000 * scale : 120_000;
  const hops = new HopCount();
  const backendOptions = { injector, tokenKey: TOKEN_KEY, lostTaskAfterMs, start: EPOCH, hops, maxDelayMs: aws ? SQS_MAX_DELAY_MS : HARNESS_MAX_DELAY_MS };
  const backend = aws ? await awsBackend({ ...backendOptions, clockScale: scale, ...(options.services ? { services: options.services } : {}) }) : memoryBackend(backendOptions);
  try {
    return await run(options, backend, injector, anomaly, hops, () => ({ anomalies, details }));
  } finally {
    await backend.stop();
  }
}

interface Started {
  arn: string;
  workload: HarnessWorkload;
  input: JsonValue;
  name: string;
}

async function run(
  options: HarnessOptions,
  backend: Backend,
  injector: FaultInjector,
  anomaly: (kind: string, detail: string) => void,
  hopCount: HopCount,
  found: () => Pick<HarnessReport, 'anomalies' | 'details'>,
): Promise<HarnessReport> {
  const { random } = injector;
  const now = (): number => backend.now();
  const scheduled: Due[] = [];

  // Task functions: invocations counted per attempt (execution, frame, state entry, attempt); Notify's tokens
  // answered later by an outside worker.
  let mended = false;
  const invocations = new Map<string, number>();
  const tasks: TaskRunner = {
    run: (invocation: TaskInvocation, signal: AbortSignal) =>
      injector.around(
        'lambda.invoke',
        async (): Promise<TaskOutcome> => {
          invocations.set(invocation.attemptId, (invocations.get(invocation.attemptId) ?? 0) + 1);
          const outcome = await runHarnessTask(invocation, signal, mended);
          const token = invocation.taskToken;
          if (outcome.kind === 'pending' && token && answersCallback(invocation.parameters)) {
            const output = callbackAnswer((invocation.parameters as { Payload: JsonValue }).Payload);
            scheduled.push({ at: now() + 2000 + Math.floor(random() * 5000), run: () => answerToken(token, output) });
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
  // The harness's own eyes and the activity worker's GetActivityTask: no faults (an activity task whose
  // GetActivityTask response is lost is lost to its worker, in Step Functions too: it would only time out).
  const reader = backend.newDriver(tasks, false).driver;
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
  /** SendTaskSuccess through faults; TaskDoesNotExist, TaskTimedOut and the like mean the attempt ended already. */
  const answerToken = async (token: string, output: JsonValue): Promise<void> => {
    try {
      await api.sendTaskSuccess(token, output);
    } catch (err) {
      if (injector.isInjected(err)) scheduled.push({ at: now() + 500, run: () => answerToken(token, output) });
    }
  };

  const activityArn = (await retrying(() => api.createActivity(ACTIVITY_NAME))).activityArn;
  const delivered = new Map<string, number>();
  const pollActivities = async (): Promise<boolean> => {
    let any = false;
    for (;;) {
      const task = await reader.getActivityTask(activityArn, ACTIVITY_WORKER, 0);
      if (!task) return any;
      any = true;
      delivered.set(task.taskToken, (delivered.get(task.taskToken) ?? 0) + 1);
      const reply = activityAnswer(task.input);
      await retrying(() => ('output' in reply ? api.sendTaskSuccess(task.taskToken, reply.output) : api.sendTaskFailure(task.taskToken, reply.error, reply.cause))).catch((err: unknown) => {
        if (!['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken'].includes(errorName(err) ?? '')) throw err;
      });
    }
  };

  await retrying(() => api.createActivity(IDLE_ACTIVITY_NAME));
  /** The stop workload: once every task it waits on is scheduled (nothing moves it on then), StopExecution a random while later. */
  const stopWhenParked = (arn: string, parked: number): Due => ({
    at: now() + 1000,
    run: async () => {
      const history = await reader.getExecutionHistory(arn);
      if (history.filter((e) => e.type === 'ActivityScheduled').length >= parked) {
        scheduled.push({ at: now() + Math.floor(random() * 20_000), run: () => retrying(() => api.stopExecution(arn, STOP_ERROR, STOP_CAUSE)).then(() => undefined) });
      } else if ((await reader.describeExecution(arn)).status === 'RUNNING') {
        scheduled.push({ ...stopWhenParked(arn, parked), at: now() + 2000 });
      }
    },
  });

  const machines = new Map<string, string>();
  const workloadOf = Array.from({ length: options.executions }, (_, i) => workloadFor(i));
  for (const w of new Set(workloadOf)) {
    // The role the in-process driver names in ExecutionStarted, so the histories can be equal.
    const record = await retrying(() => api.putStateMachine(w.name, JSON.stringify(w.definition), 'arn:aws:iam::123456789012:role/switchyard-local'));
    machines.set(w.name, record.stateMachineArn);
  }

  // Executions are started while the handlers run, a few at a time, as clients would.
  const started: Started[] = [];
  let allStarted = false;
  const start = async (i: number): Promise<void> => {
    const workload = workloadOf[i];
    const input = workload.input(i);
    const name = `e${i}`;
    const machine = machines.get(workload.name)!;
    let faulted = false;
    const arn = await retrying(async () => {
      try {
        return (await api.startExecution(machine, { name, input })).executionArn;
      } catch (err) {
        // A start whose reply was lost, retried after its execution ended: it did start.
        if (faulted && errorName(err) === 'ExecutionAlreadyExists') return `${machine.replace(':stateMachine:', ':execution:')}:${name}`;
        faulted ||= injector.isInjected(err);
        throw err;
      }
    });
    started[i] = { arn, workload, input, name };
    if (workload.stopWhenParked !== undefined) scheduled.push(stopWhenParked(arn, workload.stopWhenParked));
  };
  let startFailed: unknown;
  const starting = (async () => {
    let next = 0;
    const starter = async (): Promise<void> => {
      while (next < options.executions) await start(next++);
    };
    await Promise.all(Array.from({ length: 4 }, starter));
  })().then(
    () => {
      allStarted = true;
    },
    (err: unknown) => {
      startFailed = err ?? new Error('a start failed');
      allStarted = true;
    },
  );

  const drainOptions = {
    backend,
    injector,
    tasks,
    drivers,
    concurrency: options.concurrency ?? 4,
    invokerConcurrency: options.invokerConcurrency ?? 2,
    scheduled,
    pollActivities,
    ready: () => allStarted,
  };
  await Promise.all([drain(drainOptions), starting]);
  if (startFailed !== undefined) throw startFailed;

  // The failed executions of the redrive workload: mend their function, redrive them (through faults, as a
  // client retries), and run again.
  const redriven = started.filter((s) => s.workload.redrive);
  mended = true;
  for (const { arn } of redriven) {
    await retrying(() =>
      api.redriveExecution(arn).catch((err: unknown) => {
        // A redrive whose reply was lost to a crash: the second answers that it runs (or ran) already.
        if (errorName(err) !== 'ExecutionNotRedrivable') throw err;
        return undefined;
      }),
    );
  }
  await drain(drainOptions);

  // Check every execution against the in-process driver's run of it.
  injector.enabled = false;
  let transitions = 0;
  const histories = { identical: 0, per_frame: 0 };
  const compare = (arn: string, got: readonly HistoryEvent[], want: readonly HistoryEvent[]): void => {
    const match = compareHistories(got, want);
    if (match === 'different') anomaly('history_differs', `${arn}: ${firstDifference(got, want)}`);
    else histories[match]++;
  };
  const lostEverywhere = new Set<string>();
  const rootOf = new Map<string, string>();
  const deadlined = new Set<string>();
  const expected = new Set<string>();
  const check = async ({ arn, workload, input, name }: Started): Promise<void> => {
    const versions = await backend.store.allFrameVersions(arn);
    for (const v of versions) if (v.frame.execution) rootOf.set(v.frame.execution.arn, arn);
    const lost = lostAttempts(arn, versions);
    for (const id of lost) lostEverywhere.add(id);
    const run = { tokenKey: TOKEN_KEY, lost };
    // (A redriven execution's first run lost only what it lost before its redrive: a rerun attempt has the same id.)
    const first = await reference(workload, input, name, workload.redrive ? { ...run, lost: lostAttempts(arn, versions.filter((v) => (v.frame.redrives ?? 0) === 0)) } : run);
    // A redriven execution ends as a run with the function mended does; its history up to the redrive is the first run's.
    const want: Reference = workload.redrive ? await reference(workload, input, name, { ...run, mended: true }) : first;
    if (!workload.redrive) for (const id of first.invoked) expected.add(id);
    for (const id of first.deadlined) deadlined.add(id);
    const got = await reader.describeExecution(arn);
    const history = await reader.getExecutionHistory(arn);
    transitions += history.filter((e) => e.type.endsWith('StateEntered')).length;
    if (got.status === 'RUNNING') {
      anomaly('stuck', arn);
      return;
    }
    if (got.status !== want.status) anomaly('wrong_status', `${arn}: ${got.status}, expected ${want.status}`);
    else if (!same(got.output, want.output) || got.error !== want.error || got.cause !== want.cause) {
      anomaly('wrong_output', `${arn}: ${JSON.stringify(got.output ?? got.error)} expected ${JSON.stringify(want.output ?? want.error)}`);
    }
    if (workload.redrive) {
      if (first.status !== 'FAILED') anomaly('wrong_status', `${arn}: its reference did not fail before the redrive (${first.status})`);
      const redrive = history.findIndex((e) => e.type === 'ExecutionRedriven');
      if (redrive < 0) anomaly('missing_event', `${arn}: no ExecutionRedriven`);
      else compare(arn, history.slice(0, redrive), first.history);
      history.forEach((e, i) => {
        if (e.id !== i + 1 || e.previousEventId >= e.id) anomaly('bad_event_ids', `${arn} event ${i}`);
      });
    } else {
      compare(arn, history, first.history);
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < started.length) await check(started[next++]);
    }),
  );
  // Every task invocation counted: none twice in one attempt, each the reference made made once, and none
  // the reference did not make (but a lost attempt's, whose worker died with it or after it).
  const redrivenArns = new Set(redriven.map((r) => `${r.arn}#`));
  const ofRedriven = (id: string): boolean => redrivenArns.has(id.slice(0, id.indexOf('#') + 1));
  for (const [raw, count] of invocations) {
    const attempt = rootAttemptId(raw, (a) => rootOf.get(a) ?? a);
    if (count > 1) anomaly('task_invoked_twice', `${attempt} ×${count}`);
    else if (!expected.has(attempt) && !lostEverywhere.has(attempt) && !ofRedriven(attempt)) anomaly('task_not_in_reference', attempt);
  }
  const invoked = new Set([...invocations.keys()].map((raw) => rootAttemptId(raw, (a) => rootOf.get(a) ?? a)));
  // (An attempt with a deadline may never run: if its request is lost or its invoker dies after the claim, its
  // timer ends it — and a history that then differs says so.)
  for (const attempt of expected) if (!invoked.has(attempt) && !deadlined.has(attempt)) anomaly('task_never_invoked', attempt);
  for (const [token, count] of delivered) if (count > 1) anomaly('activity_task_delivered_twice', `${token.slice(0, 24)}… ×${count}`);
  const dead = await backend.deadLettered();
  if (dead > 0) anomaly('dead_lettered', `${dead} messages`);
  // Every hop of a long wait sent once, but where a take-over explains a second copy (timer-hops.ts).
  const hops = await hopCount.check(backend.store, anomaly);
  return {
    executions: started.length,
    transitions,
    faults: injector.counts,
    ...found(),
    virtualSeconds: Math.round((now() - EPOCH) / 1000),
    histories,
    invocations: [...invocations.values()].reduce((a, b) => a + b, 0) + [...delivered.values()].reduce((a, b) => a + b, 0),
    store: backend.storeName,
    queue: backend.queueName,
    hops,
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
  lines.push(`transitions=${report.transitions} invocations=${report.invocations} virtual_time=${report.virtualSeconds}s histories: identical=${report.histories.identical} same_per_frame=${report.histories.per_frame}`);
  lines.push(`hops: waits=${report.hops.waits} sent=${report.hops.sent} repeats=${report.hops.repeats} replays=${report.hops.replays} taken_over=${report.hops.takenOver}`);
  const total = Object.values(report.faults).reduce((a, b) => a + b, 0);
  const anomalyCount = Object.values(report.anomalies).reduce((a, b) => a + b, 0);
  lines.push(`faults: executions=${report.executions} faults=${total} anomalies=${anomalyCount} store=${report.store} queue=${report.queue} history=${report.anomalies.history_differs === undefined ? 'exact' : 'differs'}`);
  return lines.join('\n');
}
