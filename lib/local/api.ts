/**
 * The in-process driver's public API (filled in by lib/local/runtime.ts).
 * The CLI and examples program against these types.
 */
import type { JsonValue } from '../asl/json';
import type { TaskRunner } from '../engine/ports/task-runner';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A history event exactly as GetExecutionHistory returns it (timestamp as epoch milliseconds here). */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

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
