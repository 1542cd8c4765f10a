/**
 * A history event as GetExecutionHistory returns it, numbered by the driver
 * that recorded it, and the statuses an execution moves through.
 */
import type { EventDetailsKey, HistoryEventType } from './history-events';

export type { DetailedEventType, DetailsKeyOf, EventDetailsKey, HistoryEventType } from './history-events';

/** An execution's status, as DescribeExecution and ListExecutions report it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/**
 * A history event exactly as GetExecutionHistory returns it (timestamp as
 * epoch milliseconds here): its type, its number, and the details member
 * its type has (HISTORY_EVENT_DETAILS), payloads as JSON text.
 */
export type HistoryEvent = {
  timestamp: number;
  type: HistoryEventType;
  id: number;
  previousEventId: number;
} & { [K in EventDetailsKey]?: Record<string, unknown> };
