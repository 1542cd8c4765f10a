/**
 * A history event as GetExecutionHistory returns it, numbered by the driver
 * that recorded it, and the statuses an execution moves through.
 */

/** An execution's status, as DescribeExecution and ListExecutions report it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A history event exactly as GetExecutionHistory returns it (timestamp as epoch milliseconds here). */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}
