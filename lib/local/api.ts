/**
 * The in-process driver's public API (filled in by lib/local/runtime.ts).
 * The CLI and examples program against these types.
 */
import type { JsonValue } from '../asl/json';
import type { TaskRunner } from '../engine/ports/task-runner';

import type { ExecutionStatus, HistoryEvent } from '../engine/history';

import type { ExecutionResult, PendingTask } from '../service/in-process/result';

export type { ExecutionResult, ExecutionStatus, HistoryEvent, PendingTask };

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
