/**
 * The in-process driver's public API (filled in by lib/local/runtime.ts).
 * The CLI and examples program against these types.
 */
import type { JsonValue } from '../asl/json';
import type { TaskRunner } from '../engine/ports/task-runner';

import type { ExecutionStatus, HistoryEvent } from '../engine/history';

export type { ExecutionStatus, HistoryEvent };

/** Options for one in-process execution. */
export interface RunOptions {
  /** The execution input (already parsed). @default {} */
  input?: JsonValue;
  /** Runs Task states. @default a runner that fails every task with States.TaskFailed naming the resource */
  taskRunner?: TaskRunner;
  /** Execution name. @default a UUID */
  name?: string;
  /** State machine name used in ARNs. @default 'StateMachine' */
  stateMachineName?: string;
  /**
   * Multiplies every wait, retry interval and timeout: 1 is real time,
   * 0 skips waits entirely (timestamps still advance virtually). @default 1
   */
  timeScale?: number;
}

/** The outcome of one execution. */
export interface ExecutionResult {
  executionArn: string;
  status: ExecutionStatus;
  output?: JsonValue;
  error?: string;
  cause?: string;
  /** State transitions counted as Step Functions bills them. */
  transitions: number;
  history: HistoryEvent[];
  startDate: number;
  stopDate: number;
}

/** A task waiting for SendTaskSuccess/SendTaskFailure (a `.waitForTaskToken` task or an activity task). */
export interface PendingTask {
  taskToken: string;
  executionArn: string;
  stateName: string;
  resource: string;
  /** The effective parameters the task was started with (for activities: the activity task's input). */
  input: JsonValue;
}

/** A running execution started through {@link LocalRuntimeApi.startExecution}. */
export interface ExecutionHandle {
  readonly executionArn: string;
  /** Settles once the execution reaches a terminal status. Never rejects for execution failures. */
  readonly result: Promise<ExecutionResult>;
}

/**
 * The in-process runtime (lib/local/runtime.ts implements it): starts
 * executions and completes task tokens and activity tasks, the way the Step
 * Functions API does. Errors are thrown as `ServiceError`s carrying the API's
 * exception names (TaskDoesNotExist, InvalidToken, TaskTimedOut,
 * ExecutionDoesNotExist, ActivityDoesNotExist).
 */
export interface LocalRuntimeApi {
  /** Validates (throws InvalidDefinitionError with every diagnostic), compiles and starts one execution. */
  startExecution(definition: unknown, options?: RunOptions): ExecutionHandle;
  sendTaskSuccess(taskToken: string, output: JsonValue): void;
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void;
  sendTaskHeartbeat(taskToken: string): void;
  stopExecution(executionArn: string, error?: string, cause?: string): void;
  /** Tasks currently waiting for a token, oldest first. */
  pendingTasks(): PendingTask[];
  /** Subscribes to tasks as they start waiting for a token; returns an unsubscribe function. */
  onPendingTask(listener: (task: PendingTask) => void): () => void;
  /** Registers an activity and returns its ARN (`arn:aws:states:us-east-1:123456789012:activity:NAME`). */
  createActivity(name: string): string;
  /** Long-polls an activity for up to 60 s (scaled by timeScale); null when none arrived. */
  getActivityTask(activityArn: string, workerName?: string): Promise<{ taskToken: string; input: string } | null>;
}
