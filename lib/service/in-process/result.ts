/** What an in-process execution reports: its outcome, and the tasks it leaves waiting for a token. */
import type { JsonValue } from '../../asl/json';
import type { ExecutionStatus, HistoryEvent } from '../../engine/history';

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
