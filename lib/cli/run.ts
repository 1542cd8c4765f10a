/** `switchyard run`: one execution in-process, printed as a summary or as one JSON object. */
import * as path from 'node:path';
import { parseDefinitionText } from '../asl/compile';
import type { JsonValue } from '../asl/json';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../engine/ports/task-runner';
import type { ExecutionResult, HistoryEvent } from '../local/api';
import type { InProcessExecution } from '../service/in-process/execution';
import { LocalRuntime, unresolvedTaskRunner } from '../local/runtime';
import { isResourceRunner, routedTaskRunner } from '../engine/ports/task-routes';
import { missingClientPackages, withIntegrations } from './integrations';
import { ExitCode, UsageError, type CliIo } from './io';
import { loadInput, readText } from './inputs';
import { showProgress } from './progress';

export interface RunArgs {
  definition: string;
  input?: string;
  inputFile?: string;
  handlers?: string;
  mockConfig?: string;
  testCase?: string;
  stateMachineName?: string;
  json: boolean;
  history: boolean;
  timeScale?: string;
  /** `--endpoint-url SERVICE=URL`, each given. */
  endpointUrls?: string[];
  /** Step Functions' quotas instead of Switchyard's (LocalRuntimeOptions.awsLimits). */
  awsLimits?: boolean;
  /** `--state-machine FILE`, each given: state machines its states:startExecution tasks can start. */
  stateMachines?: string[];
  /** `--connections FILE`: the EventBridge connections HTTP Tasks use (lib/local/connections-file.ts). */
  connections?: string;
}

export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const definition = parseDefinitionText(readText(args.definition, io.cwd, 'definition'));
  // Compiled (and validated: InvalidDefinitionError with every diagnostic)
  // before the input is read; every runtime shares the compiled machine.
  const machine = new LocalRuntime().compile(definition);
  const missing = missingClientPackages(machine);
  if (missing.length > 0) throw new UsageError(`the definition calls services whose AWS SDK clients are not installed: ${missing.join(', ')} (npm install ${missing.join(' ')})`);
  const input = loadInput(args.input, args.inputFile, io.cwd);
  const timeScale = args.timeScale === undefined ? 1 : Number(args.timeScale);
  if (!Number.isFinite(timeScale) || timeScale < 0) throw new UsageError(`--time-scale must be a non-negative number, got '${args.timeScale}'`);
  if ((args.mockConfig === undefined) !== (args.testCase === undefined)) throw new UsageError('--mock-config and --test-case go together');

  // The task loaders are loaded only when their flags are given.
  let runner: TaskRunner = unresolvedTaskRunner;
  if (args.handlers !== undefined) {
    const { loadHandlersFile } = require('../local/tasks/handlers-file') as typeof import('../local/tasks/handlers-file');
    const { LambdaHandlersRunner } = require('../local/tasks/lambda-runner') as typeof import('../local/tasks/lambda-runner');
    runner = new LambdaHandlersRunner(loadHandlersFile(path.resolve(io.cwd, args.handlers)));
  }
  let stateMachineName = args.stateMachineName;
  let integrations: ReturnType<typeof withIntegrations>;
  if (args.mockConfig !== undefined && args.testCase !== undefined) {
    const { loadMockTestCase, MockConfigRunner } = require('../local/tasks/mock-config') as typeof import('../local/tasks/mock-config');
    const testCase = loadMockTestCase(path.resolve(io.cwd, args.mockConfig), args.testCase, stateMachineName);
    stateMachineName ??= testCase.stateMachine;
    const mock = new MockConfigRunner(testCase, args.handlers !== undefined ? runner : undefined);
    // Mocked states first; a state not mocked calls its service, or goes to the handlers.
    integrations = withIntegrations(mock, args.endpointUrls, args.connections, io.cwd);
    runner = routedTaskRunner([mock], integrations);
  } else runner = integrations = withIntegrations(runner, args.endpointUrls, args.connections, io.cwd);
  stateMachineName ??= defaultMachineName(args.definition);

  // Nothing outside this process can send a task token to it: a callback task
  // that no mock completes would wait until its TimeoutSeconds, so stop instead.
  let unanswerable: ((stateName: string) => void) | undefined;
  // Nor can an ECS task's, Batch job's or Glue job run's end event: here alone a `.sync` job is polled (JOB_POLL_MS) until it ends.
  const jobs = integrations.jobs;
  const pollJob = (job: string, signal: AbortSignal): boolean => {
    if (!jobs.handles(job)) return false;
    void jobs.poll(job, runtime, Math.max(20, JOB_POLL_MS * timeScale), signal).catch((err: Error) => io.stderr(`switchyard run: polling ${job} failed: ${err.message}\n`));
    return true;
  };
  const runtime: LocalRuntime = new LocalRuntime({ taskRunner: callbackGuard(runner, (name) => unanswerable?.(name), pollJob), timeScale, itemReaderRoot: io.cwd, awsLimits: args.awsLimits === true });
  // A job that ended before its wait was written is completed at once, not at the next poll.
  jobs.attach({ tokens: runtime });
  for (const file of args.stateMachines ?? []) {
    const child = parseDefinitionText(readText(file, io.cwd, 'state machine'));
    runtime.compile(child);
    runtime.registerStateMachine(defaultMachineName(file), child);
  }
  runtime.onPendingTask((task) => {
    // Activities, and children started to call back (run by this runtime, past the guard), cannot answer here either.
    if (/^arn:aws[a-z-]*:states:([^:]*:[^:]*:activity:|::states:startExecution\.waitForTaskToken$)/.test(task.resource)) unanswerable?.(task.stateName);
  });
  const started = Date.now();
  const handle = runtime.startExecution(definition, { input, stateMachineName });
  unanswerable = (stateName) => {
    io.stderr(`switchyard run: the state '${stateName}' waits for a task token, which only the library API or a server can deliver; stopping.\n`);
    runtime.stopExecution(handle.executionArn, CALLBACK_UNAVAILABLE, callbackCause(stateName));
  };
  // A terminal shows how a run longer than a second is going (never with --json).
  const execution = runtime.getExecution(handle.executionArn);
  const hide = !args.json && io.progress && execution ? showProgress({ root: () => execution.frame('root'), transitions: () => execution.transitionCount }, (t) => io.progress!(t)) : undefined;
  const result = await handle.result.finally(() => hide?.());
  const elapsed = Date.now() - started;
  // Executions its states:startExecution tasks started (those still running are shown as they are).
  const children = runtime.executionArns().filter((arn) => arn !== handle.executionArn).map((arn) => runtime.getExecution(arn)!);
  io.stdout(args.json ? jsonSummary(result, args.history, children) : textSummary(result, elapsed, args.history, children));
  return result.status === 'SUCCEEDED' ? ExitCode.OK : ExitCode.NOT_SUCCEEDED;
}

/** The error a `switchyard run` execution stops with when a task waits for a token nothing can send. */
export const CALLBACK_UNAVAILABLE = 'Switchyard.TaskTokenUnavailable';

function callbackCause(stateName: string): string {
  return `The state '${stateName}' waits for SendTaskSuccess or SendTaskFailure, and switchyard run has no channel to receive them. Mock the state with --mock-config and --test-case, or run the workflow through the library API (LocalRuntime.sendTaskSuccess).`;
}

/** How often `switchyard run` describes a `.sync` job it waits for (at --time-scale 1): the one place Switchyard polls. */
export const JOB_POLL_MS = 2000;

/**
 * Reports callback tasks whose runner returned without completing them (and runs what `inner` says it runs);
 * a `.sync` job submitted is `pollJob`'s, when it takes it.
 */
function callbackGuard(inner: TaskRunner, onUnanswerable: (stateName: string) => void, pollJob: (job: string, signal: AbortSignal) => boolean): TaskRunner {
  return {
    ...(isResourceRunner(inner) ? { handles: (invocation: TaskInvocation) => inner.handles(invocation) } : {}),
    async run(invocation: TaskInvocation, signal: AbortSignal): Promise<TaskOutcome> {
      const outcome = await inner.run(invocation, signal);
      if (outcome.kind === 'pending' && outcome.submitted !== undefined && pollJob(outcome.submitted.job, signal)) return outcome;
      const completes = outcome.kind === 'failed' || (outcome.kind === 'succeeded' && outcome.completesCallback === true);
      if (invocation.taskToken !== undefined && !completes && !signal.aborted) setImmediate(() => onUnanswerable(invocation.stateName));
      return outcome;
    },
  };
}

/** `orders.asl.json` → `orders`; `hello-world/definition.asl.json` → `hello-world`. */
function defaultMachineName(file: string): string {
  const base = path.basename(file).replace(/\.(asl\.)?json$/, '');
  const name = base === 'definition' ? path.basename(path.dirname(path.resolve(file))) : base;
  return name.replace(/[^A-Za-z0-9_-]/g, '-') || 'StateMachine';
}

function jsonSummary(result: ExecutionResult, history: boolean, children: readonly InProcessExecution[]): string {
  const out: Record<string, unknown> = {
    status: result.status,
    output: result.output ?? null,
    error: result.error ?? null,
    cause: result.cause ?? null,
    transitions: result.transitions,
  };
  if (history) out.history = result.history;
  if (children.length > 0) {
    out.children = children.map((c) => ({ executionArn: c.info.executionArn, status: c.status, ...(history ? { history: c.history() } : {}) }));
  }
  return JSON.stringify(out) + '\n';
}

/** The state that was running when the execution failed: the last state entered. */
function failedState(result: ExecutionResult): string | undefined {
  for (let i = result.history.length - 1; i >= 0; i--) {
    const event = result.history[i];
    if (event.type.endsWith('StateEntered')) return (event.stateEnteredEventDetails as { name: string }).name;
  }
  return undefined;
}

function textSummary(result: ExecutionResult, elapsed: number, history: boolean, children: readonly InProcessExecution[]): string {
  const lines = [`Status:      ${result.status}`];
  if (result.status === 'SUCCEEDED') {
    lines.push(`Output:      ${indent(JSON.stringify(result.output ?? null, null, 2))}`);
  } else {
    const state = failedState(result);
    if (state !== undefined) lines.push(`State:       ${state}`);
    if (result.error !== undefined) lines.push(`Error:       ${result.error}`);
    if (result.cause !== undefined) lines.push(`Cause:       ${result.cause}`);
  }
  lines.push(`Transitions: ${result.transitions}`, `Time:        ${elapsed} ms`, `Execution:   ${result.executionArn}`);
  for (const child of children) lines.push(`Child:       ${child.info.executionArn} ${child.status}`);
  if (history) {
    lines.push('History:', ...historyLines(result.history));
    for (const child of children) lines.push(`History of ${child.info.executionArn}:`, ...historyLines(child.history()));
  }
  return lines.join('\n') + '\n';
}

function historyLines(events: readonly HistoryEvent[]): string[] {
  return events.map((event) => {
    const { id, type, timestamp, previousEventId, ...details } = event;
    void timestamp;
    void previousEventId;
    const body = Object.values(details)[0];
    return `  ${String(id).padStart(4)}  ${type}${body !== undefined ? `  ${JSON.stringify(body)}` : ''}`;
  });
}

function indent(text: string): string {
  return text.split('\n').join('\n             ');
}

export type { JsonValue };
