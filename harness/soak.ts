/**
 * The soak (npm run test:soak): mixed workflows (soak-workflows.ts) against
 * `switchyard serve --data DIR` run as a child process, from several
 * concurrent @aws-sdk/client-sfn clients doing start, describe, history,
 * stop and send-task-success, while the server is killed with SIGKILL and
 * started again at random moments — each only after /health answers and
 * while Lambda attempts are in flight.
 *
 * Anomalies: an acknowledged execution that does not end with the output the
 * in-process driver (LocalRuntime) gives for the same definition and input
 * (ABORTED when its stop was acknowledged), or does not end at all; a
 * handler invocation line (`executionArn state retryCount`) written twice,
 * which would be one attempt invoked twice.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { JsonValue } from '../lib/asl/json';
import { LocalRuntime } from '../lib/local/runtime';
import { loadHandlersFile } from '../lib/local/tasks/handlers-file';
import { LambdaHandlersRunner } from '../lib/local/tasks/lambda-runner';
import { spawnServe, tempDir, type ServeProcess } from './serve-process';
import { FUNCTION, HANDLER_SOURCE, inputOf, tokenAnswer, WORKFLOW_NAMES, WORKFLOWS } from './soak-workflows';

export interface SoakOptions {
  executions: number;
  restarts: number;
  /** Concurrent SDK clients. */
  clients: number;
  /** Executions each client drives at once. */
  perClient: number;
  /** The bundled CLI (dist/bin/switchyard.js). */
  cli: string;
  /** Progress lines go here. */
  progress?: (line: string) => void;
}

export interface SoakReport {
  executions: number;
  restarts: number;
  anomalies: string[];
  p50Ms: number;
  p99Ms: number;
}

const ACCOUNT = 'arn:aws:states:us-east-1:123456789012';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends one API call, retrying while the server is down; the service's own errors are thrown. */
type Call = <T>(send: () => Promise<T>) => Promise<T>;

/** What one acknowledged execution must end with. */
interface Tracked {
  arn: string;
  workflow: string;
  input: ReturnType<typeof inputOf>;
  /** yes: a StopExecution was answered; unknown: one was sent and the server died before answering. */
  stopped: 'no' | 'yes' | 'unknown';
  /** The answered StopExecution's stopDate: the execution's own when it had already ended. */
  stopAnswered?: number;
}

/**
 * How an execution is stopped: never; at once after its start (a short workflow is then about to end on
 * its own, SoakStop is waiting); mid-run, after up to 400 ms (a Lambda attempt is running, or has just
 * returned); or after it has ended (the stop must change nothing).
 */
type StopPlan = 'none' | 'at-once' | 'mid-run' | 'after-end';

/** SoakStop's executions are stopped at once; of the others' executions, one in ten by each other plan. */
function stopPlan(i: number, workflow: string): StopPlan {
  if (workflow === 'SoakStop') return 'at-once';
  const k = Math.floor(i / WORKFLOW_NAMES.length) % 10;
  return k === 0 ? 'at-once' : k === 1 ? 'mid-run' : k === 2 ? 'after-end' : 'none';
}

/** The one line the soak ends with. */
export function formatSoak(report: SoakReport): string {
  return `soak: executions=${report.executions} restarts=${report.restarts} anomalies=${report.anomalies.length} p50_ms=${report.p50Ms} p99_ms=${report.p99Ms}`;
}

/** Runs the soak and reports what it found. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const progress = options.progress ?? (() => {});
  const dir = tempDir('switchyard-soak-');
  const invocations = path.join(dir, 'invocations.txt');
  const done = path.join(dir, 'done.txt');
  fs.writeFileSync(path.join(dir, 'soak-handler.js'), HANDLER_SOURCE);
  fs.writeFileSync(path.join(dir, 'handlers.json'), JSON.stringify({ [FUNCTION]: './soak-handler.js#handler' }));
  fs.writeFileSync(path.join(dir, 'pure-handlers.json'), JSON.stringify({ [FUNCTION]: './soak-handler.js#pure' }));
  fs.writeFileSync(invocations, '');
  fs.writeFileSync(done, '');
  process.env.SOAK_INVOCATIONS = invocations;
  process.env.SOAK_DONE = done;

  const expected = expectedOutputs(path.join(dir, 'pure-handlers.json'));
  const port = await freePort();
  const args = ['--data', path.join(dir, 'data'), '--handlers', 'handlers.json', '--quiet'];
  let server: ServeProcess = spawnServe(options.cli, dir, args, port);
  await server.ready;
  let readyAt = Date.now();
  const url = `http://127.0.0.1:${port}`;

  const latencies: number[] = [];
  const clients = Array.from({ length: options.clients }, () => new SFNClient({ endpoint: url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const call: Call = async (send) => {
    for (let tries = 0; ; tries++) {
      const started = Date.now();
      try {
        const out = await send();
        latencies.push(Date.now() - started);
        return out;
      } catch (err) {
        if (!isUnavailable(err) || tries > 1200) throw err;
        await sleep(100);
      }
    }
  };

  for (const name of WORKFLOW_NAMES) {
    await call(() => clients[0].send(new CreateStateMachineCommand({ name, definition: JSON.stringify(WORKFLOWS[name]), roleArn: 'arn:aws:iam::123456789012:role/soak' })));
  }

  const tracked: Tracked[] = [];
  let next = 0;
  let finished = 0;
  const anomalies: string[] = [];
  // Restarts at random points of the run, spread so each has executions on both sides.
  const killAt = Array.from({ length: options.restarts }, () => Math.floor(options.executions * (0.05 + 0.9 * Math.random()))).sort((a, b) => a - b);
  let restarts = 0;
  const stops: Record<StopPlan, number> = { none: 0, 'at-once': 0, 'mid-run': 0, 'after-end': 0 };
  let aborted = 0;

  const drive = async (sfn: SFNClient, i: number): Promise<void> => {
    const workflow = WORKFLOW_NAMES[i % WORKFLOW_NAMES.length];
    const input = inputOf(i);
    const name = `soak-${i}`;
    const arn = `${ACCOUNT}:execution:${workflow}:${name}`;
    try {
      await call(() => sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:${workflow}`, name, input: JSON.stringify(input) })));
    } catch (err) {
      // Started before the server died without answering: the retry finds it (finished) under its name.
      if (!(err instanceof Error && err.name === 'ExecutionAlreadyExists')) throw err;
    }
    const t: Tracked = { arn, workflow, input, stopped: 'no' };
    tracked.push(t);
    const plan = stopPlan(i, workflow);
    const stop = async (): Promise<void> => {
      try {
        const answer = await call(() => sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Soak.Stopped' })));
        t.stopped = 'yes';
        t.stopAnswered = answer.stopDate?.getTime();
      } catch {
        t.stopped = 'unknown';
      }
    };
    if (plan === 'at-once') await stop();
    // Mid-run: while a Lambda attempt runs (20–200 ms each), or just as a short workflow is about to end.
    const midRun = plan === 'mid-run' ? sleep(Math.floor(Math.random() * 400)).then(stop) : undefined;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const d = await call(() => sfn.send(new DescribeExecutionCommand({ executionArn: arn })));
      if (d.status !== 'RUNNING') {
        await midRun;
        const end = plan === 'mid-run' ? await call(() => sfn.send(new DescribeExecutionCommand({ executionArn: arn }))) : d;
        if (plan === 'after-end') {
          // A stop of an ended execution answers its own stopDate and changes nothing.
          await stop();
          const again = await call(() => sfn.send(new DescribeExecutionCommand({ executionArn: arn })));
          if (again.status !== end.status || again.output !== end.output) anomalies.push(`${arn}: a stop after its end changed it from ${end.status} to ${again.status}`);
        }
        await call(() => sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000 })));
        check(t, end.status ?? '', end.output, end.stopDate?.getTime(), await expected(workflow, input), anomalies);
        stops[plan]++;
        if (end.status === 'ABORTED') aborted++;
        finished++;
        return;
      }
      if (Date.now() > deadline) {
        anomalies.push(`${arn}: still RUNNING after 300 s`);
        return;
      }
      if (workflow === 'SoakToken') await answerTokens(sfn, call, arn, input);
      await sleep(400);
    }
  };

  const client = async (sfn: SFNClient): Promise<void> => {
    const lanes = Array.from({ length: options.perClient }, async () => {
      while (next < options.executions) await drive(sfn, next++);
    });
    await Promise.all(lanes);
  };

  const killer = (async (): Promise<void> => {
    for (const at of killAt) {
      while (next < at) await sleep(50);
      // Not in the first seconds after a start, and only with a Lambda attempt running.
      while (Date.now() - readyAt < 2_000 || !(await healthy(url))) await sleep(50);
      const waitUntil = Date.now() + 10_000;
      while (inFlight(invocations, done) === 0 && Date.now() < waitUntil) await sleep(5);
      const running = inFlight(invocations, done);
      await server.kill();
      restarts++;
      progress(`kill -9 #${restarts} at execution ${next} with ${running} Lambda attempt(s) in flight`);
      if (running === 0) anomalies.push(`restart ${restarts}: no Lambda attempt was in flight`);
      const restartedAt = Date.now();
      server = spawnServe(options.cli, dir, args, port);
      await server.ready;
      readyAt = Date.now();
      progress(`  serving again after ${readyAt - restartedAt} ms`);
    }
  })();

  const reporter = setInterval(() => progress(`${finished}/${options.executions} finished, ${next} started`), 10_000);
  try {
    await Promise.all([...clients.map(client), killer]);
  } finally {
    clearInterval(reporter);
  }
  progress(`stopped: at-once=${stops['at-once']} mid-run=${stops['mid-run']} after-end=${stops['after-end']} (not stopped ${stops.none}); ${aborted} ended ABORTED`);
  anomalies.push(...duplicateInvocations(invocations));
  await server.kill();
  clients.forEach((c) => c.destroy());
  if (anomalies.length === 0) fs.rmSync(dir, { recursive: true, force: true });
  else progress(`kept ${dir} for inspection`);
  const sorted = latencies.sort((a, b) => a - b);
  const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return { executions: tracked.length, restarts, anomalies, p50Ms: pct(50), p99Ms: pct(99) };
}

/** Compares one execution's end with the in-process driver's. */
function check(t: Tracked, status: string, output: string | undefined, stopDate: number | undefined, want: string, anomalies: string[]): void {
  if (status === 'ABORTED' && t.stopped !== 'no') return;
  // A stop answered for an execution that had already ended (its retry reached the restarted server late) changes nothing.
  if (t.stopped === 'yes' && !(stopDate !== undefined && t.stopAnswered !== undefined && stopDate <= t.stopAnswered)) {
    anomalies.push(`${t.arn}: stopped while running, but ended ${status}`);
    return;
  }
  const got = `${status} ${output === undefined ? '' : JSON.stringify(JSON.parse(output))}`;
  if (got !== want) anomalies.push(`${t.arn}: ended ${got}, the in-process driver gives ${want}`);
}

/** Answers every task token the execution's history shows, the newest attempt's included. */
async function answerTokens(sfn: SFNClient, call: Call, arn: string, input: { n: number }): Promise<void> {
  const history = await call(() => sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 50 })));
  const scheduled = history.events?.find((e) => e.type === 'TaskScheduled');
  const token = (JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? '{}') as { Payload?: { token?: string } }).Payload?.token;
  if (token === undefined) return;
  try {
    await call(() => sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(tokenAnswer(input)) })));
  } catch {
    // An old attempt's token (the attempt was lost and retried), or one already answered: the next poll finds the newer one.
  }
}

/** `status output` as the in-process driver ends each workflow and input, computed once per pair. */
function expectedOutputs(handlersFile: string): (workflow: string, input: { n: number }) => Promise<string> {
  const runtime = new LocalRuntime({ taskRunner: new LambdaHandlersRunner(loadHandlersFile(handlersFile)), timeScale: 0 });
  runtime.onPendingTask((task) => {
    const n = ((task.input as { Payload?: { n?: number } }).Payload?.n ?? 0) as number;
    runtime.sendTaskSuccess(task.taskToken, tokenAnswer({ n }));
  });
  const memo = new Map<string, Promise<string>>();
  return (workflow, input) => {
    const key = `${workflow} ${JSON.stringify(input)}`;
    let out = memo.get(key);
    if (!out) {
      out = runtime.startExecution(WORKFLOWS[workflow], { input: input as unknown as JsonValue, stateMachineName: workflow }).result.then((r) => `${r.status} ${r.output === undefined ? '' : JSON.stringify(r.output)}`);
      memo.set(key, out);
    }
    return out;
  };
}

/** Handler attempts begun and not returned. */
function inFlight(invocations: string, done: string): number {
  return lineCount(invocations) - lineCount(done);
}

function lineCount(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Lines written twice: an attempt invoked twice. */
function duplicateInvocations(file: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    if (seen.has(line)) out.push(`invoked twice: ${line}`);
    seen.add(line);
  }
  return out;
}

/** True for an error of the connection (the server is down or restarting), not of the service. */
function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && status < 500) return false;
  return status !== undefined || /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|TimeoutError|ETIMEDOUT/.test(`${err.name} ${err.message} ${String((err as { code?: string }).code)}`);
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).status === 200;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
