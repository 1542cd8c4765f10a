/**
 * The in-process runtime: `switchyard run` and the library API. It compiles
 * a definition once, starts executions on the engine, and completes task
 * tokens and activity tasks the way the Step Functions API does.
 */
import { randomUUID } from 'node:crypto';
import { compileStateMachine, parseDefinitionText } from '../asl/compile';
/** Validates a definition (object or JSON text) and returns every diagnostic. */
export { validateDefinitionSource as validate } from '../asl/compile';
import type { JsonValue } from '../asl/json';
import type { CompiledStateMachine } from '../asl/model';
import type { Message } from '../engine/messages';
import type { TaskRunner } from '../engine/ports/task-runner';
import { completeParent, withNestedExecutions, type NestedExecutions, type NestedParent } from '../service/nested';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { activityStarted, checkTokenAgainst, generateTokenKey, stopMessage, taskFailed, taskHeartbeat, taskSucceeded, tokenTarget, type TaskTokenKey, type TokenTarget } from '../service/task-tokens';
import type { ExecutionHandle, ExecutionResult, LocalRuntimeApi, PendingTask, RunOptions } from './api';
import { scaledTimers, virtualTimers } from '../service/in-process/timers';
import { AWS_LIMITS, jsonBytes, memberTooLong } from '../engine/aws-limits';
import { DEFAULT_MAX_HISTORY_EVENTS } from '../engine/history-limit';
import { InProcessExecution } from '../service/in-process/execution';
import { localItemReader, type ItemReaderPort } from './item-reader';

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '123456789012';

/** Options for a {@link LocalRuntime}. */
export interface LocalRuntimeOptions {
  /** Runs Task states. @default a runner that fails every task with States.TaskFailed naming the resource */
  taskRunner?: TaskRunner;
  /** Multiplies waits, retry intervals and timeouts; 0 skips them (virtual time). @default 1 */
  timeScale?: number;
  /** Where DISTRIBUTED Map ItemReaders find `<Bucket>/<Key>`. @default the current directory */
  itemReaderRoot?: string;
  /** Overrides the ItemReader port entirely. */
  itemReader?: ItemReaderPort;
  /**
   * The key this runtime signs task tokens with (at least 32 bytes).
   * @default 32 random bytes per runtime: its tokens are good with it alone
   */
  tokenKey?: TaskTokenKey;
  /**
   * Events an execution's history may hold: one that reaches the cap fails
   * with States.Runtime, "The execution reached the maximum number of history
   * events (N).", as Step Functions fails one at 25,000 (a hard quota there).
   * Switchyard's default is larger, so tests of long loops run, yet a state
   * that loops for ever ends before it fills memory.
   * @default 1,000,000 (DEFAULT_MAX_HISTORY_EVENTS)
   */
  maxHistoryEvents?: number;
  /**
   * Step Functions' quotas (lib/engine/aws-limits.ts): inputs and outputs of
   * at most 256 KiB (a larger state result fails with
   * States.DataLimitExceeded, a larger execution input is refused) and 25,000
   * history events unless maxHistoryEvents says otherwise.
   * @default false: Switchyard's own, larger limits
   */
  awsLimits?: boolean;
}

/** The runner used when none is given: every task fails as an unknown resource would. */
export const unresolvedTaskRunner: TaskRunner = {
  async run(invocation) {
    return {
      kind: 'failed',
      error: 'States.TaskFailed',
      cause: `No task handler is configured for the resource '${invocation.resource}'.`,
    };
  },
};

/** Compiled machines are immutable, so every runtime shares them, keyed by the definition object. */
const compiledByDefinition = new WeakMap<object, CompiledStateMachine>();

interface ActivityQueue {
  tasks: { taskToken: string; input: string; execution: InProcessExecution }[];
  waiters: { workerName?: string; deliver: (task: { taskToken: string; input: string } | null) => void }[];
}

export class LocalRuntime implements LocalRuntimeApi {
  private readonly executions = new Map<string, InProcessExecution>();
  private readonly pending = new Map<string, PendingTask>();
  private readonly listeners = new Set<(task: PendingTask) => void>();
  private readonly activities = new Map<string, ActivityQueue>();
  /**
   * Objects DISTRIBUTED Maps exported with ResultWriter (`arn:aws:states:::s3:putObject`),
   * kept in memory on one machine, by `s3://<Bucket>/<Key>`.
   */
  readonly resultObjects = new Map<string, string>();
  private readonly tokenKey: TaskTokenKey;
  /** State machines `states:startExecution` tasks can start, by ARN (registerStateMachine). */
  private readonly stateMachines = new Map<string, { name: string; definition: unknown }>();
  /** How states:startExecution tasks start and stop executions of this runtime. */
  private readonly nested: NestedExecutions = {
    start: async (arn, options) => this.startChild(arn, options),
    stop: async (arn) => {
      if (this.executions.get(arn)?.status === 'RUNNING') this.stopExecution(arn);
    },
  };

  constructor(private readonly options: LocalRuntimeOptions = {}) {
    this.tokenKey = options.tokenKey ?? generateTokenKey();
  }

  /**
   * Makes a state machine startable by `states:startExecution` tasks, under
   * its ARN in this runtime's region and account; returns the ARN.
   */
  registerStateMachine(name: string, definition: unknown): string {
    const arn = `arn:aws:states:${DEFAULT_REGION}:${DEFAULT_ACCOUNT}:stateMachine:${name}`;
    this.stateMachines.set(arn, { name, definition: typeof definition === 'string' ? parseDefinitionText(definition) : definition });
    return arn;
  }

  /** `.sync` children still running, by the parent execution that waits for them, and each child's parent. */
  private readonly runningChildren = new Map<string, Set<InProcessExecution>>();
  private readonly parentOf = new Map<string, string>();

  /** True while a `.sync` child of the execution works or has a timer to come. */
  private waitsForChild(parentArn: string): boolean {
    for (const child of this.runningChildren.get(parentArn) ?? []) if (child.isActive) return true;
    return false;
  }

  /** A child execution of a registered state machine; a `.sync` child's end completes its parent's task. */
  private startChild(arn: string, options: { name?: string; input: JsonValue; parent?: NestedParent }): { executionArn: string; startDate: number } {
    const registered = this.stateMachines.get(arn);
    if (!registered) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
    const handle = this.startExecution(registered.definition, { input: options.input, stateMachineName: registered.name, ...(options.name !== undefined ? { name: options.name } : {}) });
    const child = this.executions.get(handle.executionArn)!;
    const parent = options.parent;
    if (parent) {
      const running = this.runningChildren.get(parent.executionArn) ?? new Set<InProcessExecution>();
      this.runningChildren.set(parent.executionArn, running.add(child));
      this.parentOf.set(handle.executionArn, parent.executionArn);
      void handle.result.then((result) => {
        running.delete(child);
        this.parentOf.delete(handle.executionArn);
        if (running.size === 0) this.runningChildren.delete(parent.executionArn);
        return completeParent(
          {
            executionArn: result.executionArn,
            stateMachineArn: child.info.stateMachineArn,
            name: child.info.name,
            input: child.info.input,
            startDate: result.startDate,
            stopDate: result.stopDate,
            status: result.status === 'RUNNING' ? 'ABORTED' : result.status,
            ...(result.output !== undefined ? { output: result.output } : {}),
            ...(result.error !== undefined ? { error: result.error } : {}),
            ...(result.cause !== undefined ? { cause: result.cause } : {}),
            redriveCount: 0,
          },
          parent,
          this,
        );
      });
    }
    return { executionArn: handle.executionArn, startDate: child.info.startTime };
  }

  /** Compiles (once per definition object, shared by all runtimes) or throws InvalidDefinitionError. */
  compile(definition: unknown): CompiledStateMachine {
    const parsed = typeof definition === 'string' ? parseDefinitionText(definition) : definition;
    if (parsed !== null && typeof parsed === 'object') {
      const cached = compiledByDefinition.get(parsed);
      if (cached) return cached;
      const machine = compileStateMachine(parsed);
      compiledByDefinition.set(parsed, machine);
      return machine;
    }
    return compileStateMachine(parsed);
  }

  startExecution(definition: unknown, options: RunOptions = {}): ExecutionHandle {
    const machine = this.compile(definition);
    const name = options.name ?? randomUUID();
    const machineName = options.stateMachineName ?? 'StateMachine';
    const stateMachineArn = `arn:aws:states:${DEFAULT_REGION}:${DEFAULT_ACCOUNT}:stateMachine:${machineName}`;
    const executionArn = `arn:aws:states:${DEFAULT_REGION}:${DEFAULT_ACCOUNT}:execution:${machineName}:${name}`;
    if (this.executions.get(executionArn)?.status === 'RUNNING') {
      throw new ServiceError(ServiceErrorName.ExecutionAlreadyExists, `Execution Already Exists: '${executionArn}'`);
    }
    const aws = this.options.awsLimits === true;
    if (aws && jsonBytes(options.input ?? {}) > AWS_LIMITS.payloadBytes) throw memberTooLong('input', AWS_LIMITS.payloadBytes);
    const scale = options.timeScale ?? this.options.timeScale ?? 1;
    let execution: InProcessExecution | undefined;
    // In virtual time a parent waiting for a `.sync` child is busy: its own timers (a TaskTimeout) must not jump ahead of the child.
    const timers = scale === 0 ? virtualTimers(Date.now(), () => (execution?.isBusy ?? false) || this.waitsForChild(executionArn)) : scaledTimers(scale);
    execution = new InProcessExecution(
      machine,
      {
        executionArn,
        name,
        stateMachineArn,
        stateMachineName: machineName,
        roleArn: `arn:aws:iam::${DEFAULT_ACCOUNT}:role/switchyard-local`,
        input: options.input ?? {},
        startTime: timers.now(),
        redriveCount: 0,
      },
      withNestedExecutions(this.nested, options.taskRunner ?? this.options.taskRunner ?? unresolvedTaskRunner),
      timers,
      {
        onPendingTask: (task, activityArn) => this.addPending(task, activityArn, execution!),
        onTokenClosed: (token) => this.pending.delete(token),
        onResultObject: (bucket, key, body) => this.resultObjects.set(`s3://${bucket}/${key}`, body),
        onIdle: () => {
          const parentArn = this.parentOf.get(executionArn);
          if (parentArn !== undefined) this.executions.get(parentArn)?.wake();
        },
      },
      this.options.itemReader ?? localItemReader(this.options.itemReaderRoot ?? process.cwd()),
      this.tokenKey,
      this.options.maxHistoryEvents ?? (aws ? AWS_LIMITS.historyEvents : DEFAULT_MAX_HISTORY_EVENTS),
      aws ? AWS_LIMITS.payloadBytes : undefined,
    );
    this.executions.set(executionArn, execution);
    execution.start();
    return { executionArn, result: execution.result };
  }

  private addPending(task: PendingTask, activityArn: string | undefined, execution: InProcessExecution): void {
    this.pending.set(task.taskToken, task);
    if (activityArn) {
      const queue = this.activityQueue(activityArn);
      const item = { taskToken: task.taskToken, input: JSON.stringify(task.input), execution };
      const waiter = queue.waiters.shift();
      if (waiter) this.dispatchActivity(item, waiter.deliver, waiter.workerName);
      else queue.tasks.push(item);
    }
    for (const listener of this.listeners) listener(task);
  }

  private dispatchActivity(
    item: { taskToken: string; input: string; execution: InProcessExecution },
    waiter: (task: { taskToken: string; input: string } | null) => void,
    workerName?: string,
  ): void {
    item.execution.deliver(activityStarted(tokenTarget(item.taskToken, this.tokenKey), workerName));
    waiter({ taskToken: item.taskToken, input: item.input });
  }

  private activityQueue(arn: string): ActivityQueue {
    let queue = this.activities.get(arn);
    if (!queue) {
      queue = { tasks: [], waiters: [] };
      this.activities.set(arn, queue);
    }
    return queue;
  }

  /** The execution and attempt a token addresses, by the service's own rule (lib/service/task-tokens), or the API's error. */
  private resolveToken(taskToken: string): { execution: InProcessExecution; target: TokenTarget } {
    const target = tokenTarget(taskToken, this.tokenKey);
    const execution = this.executions.get(target.executionArn);
    return { execution: execution!, target: checkTokenAgainst(taskToken, target, execution?.frame(target.frameId)) };
  }

  sendTaskSuccess(taskToken: string, output: JsonValue): void {
    this.deliverForToken(taskToken, (t) => taskSucceeded(t, output));
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.deliverForToken(taskToken, (t) => taskFailed(t, error, cause));
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.deliverForToken(taskToken, taskHeartbeat);
  }

  /** Delivers the message built for the attempt a token names, once the token is found current (else the API's error). */
  deliverForToken(taskToken: string, message: (target: TokenTarget) => Message): void {
    const { execution, target } = this.resolveToken(taskToken);
    execution.deliver(message(target));
  }

  stopExecution(executionArn: string, error?: string, cause?: string): void {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new ServiceError(ServiceErrorName.ExecutionDoesNotExist, `Execution Does Not Exist: '${executionArn}'`);
    execution.deliver(stopMessage(error, cause));
  }

  pendingTasks(): PendingTask[] {
    return [...this.pending.values()];
  }

  onPendingTask(listener: (task: PendingTask) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  createActivity(name: string): string {
    const arn = `arn:aws:states:${DEFAULT_REGION}:${DEFAULT_ACCOUNT}:activity:${name}`;
    this.activityQueue(arn);
    return arn;
  }

  getActivityTask(activityArn: string, workerName?: string): Promise<{ taskToken: string; input: string } | null> {
    const queue = this.activities.get(activityArn);
    if (!queue) return Promise.reject(new ServiceError(ServiceErrorName.ActivityDoesNotExist, `Activity Does Not Exist: '${activityArn}'`));
    return new Promise((resolve) => {
      const item = queue.tasks.shift();
      if (item) {
        this.dispatchActivity(item, resolve, workerName);
        return;
      }
      const scale = this.options.timeScale ?? 1;
      const waiter = {
        workerName,
        deliver: (task: { taskToken: string; input: string } | null) => {
          clearTimeout(timer);
          resolve(task);
        },
      };
      const timer = setTimeout(() => {
        const i = queue.waiters.indexOf(waiter);
        if (i >= 0) queue.waiters.splice(i, 1);
        resolve(null);
      }, 60_000 * (scale === 0 ? 0.001 : scale));
      queue.waiters.push(waiter);
    });
  }

  /** The ARNs of the executions started here, in the order they started (nested ones too). */
  executionArns(): string[] {
    return [...this.executions.keys()];
  }

  /** The history of an execution started here. */
  getExecution(executionArn: string): InProcessExecution | undefined {
    return this.executions.get(executionArn);
  }
}

/** Runs one execution to completion in-process. Throws InvalidDefinitionError for an invalid definition. */
export async function runDefinition(definition: unknown, options: RunOptions = {}): Promise<ExecutionResult> {
  const runtime = new LocalRuntime(options.taskRunner ? { taskRunner: options.taskRunner } : {});
  return runtime.startExecution(definition, options).result;
}
