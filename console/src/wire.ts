/**
 * The shapes of the API answers the console reads (Step Functions' own
 * fields) and the list of statuses. No DOM, so the jest suite can use them too.
 */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
/** Every status, in the order the console lists them. */
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** Dates come as epoch seconds (the protocol's timestamps). */
export type Timestamp = number;

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: string;
  creationDate: Timestamp;
}

export interface StateMachineDescription {
  stateMachineArn: string;
  name: string;
  type: string;
  definition: string;
  roleArn?: string;
  status?: string;
  creationDate: Timestamp;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Timestamp;
  stopDate?: Timestamp;
  redriveCount?: number;
}

export interface ExecutionDescription extends ExecutionListItem {
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveStatus?: string;
  redriveStatusReason?: string;
}

/** One history event: `type`, `id`, `previousEventId`, `timestamp` and one `<kind>EventDetails`. */
export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  type: string;
  timestamp: Timestamp;
  [details: string]: unknown;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}
