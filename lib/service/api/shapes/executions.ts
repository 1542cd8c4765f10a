/**
 * Request and response shapes of the execution actions, named as Step
 * Functions' API model names them, in their JSON form (timestamps in epoch
 * seconds, inputs and outputs as JSON text).
 */
import type { ExecutionStatus } from '../../../engine/history';
import type { PageRequest } from '../members';

export type { ExecutionStatus };

/** Whether a payload is included in the response (Switchyard always includes it). */
export interface CloudWatchEventsExecutionDataDetails {
  included: boolean;
}

export interface StartExecutionInput {
  /** A state machine, a version or an alias. */
  stateMachineArn: string;
  name?: string;
  input?: string;
  traceHeader?: string;
}

export interface StartExecutionOutput {
  executionArn: string;
  startDate: number;
}

export interface StartSyncExecutionInput extends StartExecutionInput {
  includedData?: 'ALL_DATA' | 'METADATA_ONLY';
}

/** The members DescribeExecution and StartSyncExecution share. */
export interface ExecutionMembers {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  startDate: number;
  /** Left out with includedData METADATA_ONLY. */
  input?: string;
  inputDetails: CloudWatchEventsExecutionDataDetails;
  output?: string;
  outputDetails?: CloudWatchEventsExecutionDataDetails;
  error?: string;
  cause?: string;
}

export interface BillingDetails {
  billedMemoryUsedInMB: number;
  billedDurationInMilliseconds: number;
}

export interface StartSyncExecutionOutput extends ExecutionMembers {
  stopDate: number;
  /** An execution still running when the synchronous wait ends is reported TIMED_OUT. */
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  billingDetails: BillingDetails;
}

export interface DescribeExecutionInput {
  executionArn: string;
  includedData?: 'ALL_DATA' | 'METADATA_ONLY';
}

export interface DescribeExecutionOutput extends ExecutionMembers {
  status: ExecutionStatus;
  stopDate?: number;
  redriveCount: number;
  redriveDate?: number;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  redriveStatusReason?: string;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  /** A DISTRIBUTED Map's child execution: the Map Run that started it. */
  mapRunArn?: string;
}

export interface GetExecutionHistoryInput extends PageRequest {
  executionArn: string;
  reverseOrder?: boolean;
  includeExecutionData?: boolean;
}

/** One history event; its details are under `<kind>EventDetails`. */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

export interface GetExecutionHistoryOutput {
  events: HistoryEvent[];
  nextToken?: string;
}

export type ExecutionRedriveFilter = 'REDRIVEN' | 'NOT_REDRIVEN';

export interface ListExecutionsInput extends PageRequest {
  /** A state machine, or a version or alias to list the executions started through it. */
  stateMachineArn?: string;
  /** A Map Run, to list its child executions (instead of stateMachineArn). */
  mapRunArn?: string;
  statusFilter?: ExecutionStatus | 'PENDING_REDRIVE';
  redriveFilter?: ExecutionRedriveFilter;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  /** Set when ListExecutions listed a Map Run's child executions. */
  mapRunArn?: string;
  redriveCount: number;
  redriveDate?: number;
}

export interface ListExecutionsOutput {
  executions: ExecutionListItem[];
  nextToken?: string;
}

export interface RedriveExecutionInput {
  executionArn: string;
  clientToken?: string;
}

export interface RedriveExecutionOutput {
  redriveDate: number;
}

export interface StopExecutionInput {
  executionArn: string;
  error?: string;
  cause?: string;
}

export interface StopExecutionOutput {
  stopDate: number;
}
