/**
 * Request and response shapes of the state machine actions, named as Step
 * Functions' API model names them, in their JSON form (timestamps in epoch
 * seconds).
 */
import type { LoggingConfiguration } from '../../ports';
import type { PageRequest, Tag } from '../members';

export type { LoggingConfiguration };
export type StateMachineType = 'STANDARD' | 'EXPRESS';

/** Switchyard does not trace with X-Ray; it is always described as disabled. */
export interface TracingConfiguration {
  enabled: boolean;
}

export interface CreateStateMachineInput {
  name: string;
  definition: string;
  roleArn: string;
  type?: StateMachineType;
  loggingConfiguration?: LoggingConfiguration;
  tags?: Tag[];
  tracingConfiguration?: TracingConfiguration;
  publish?: boolean;
  versionDescription?: string;
}

export interface CreateStateMachineOutput {
  stateMachineArn: string;
  creationDate: number;
  stateMachineVersionArn?: string;
}

export interface UpdateStateMachineInput {
  stateMachineArn: string;
  definition?: string;
  roleArn?: string;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  publish?: boolean;
  versionDescription?: string;
}

export interface UpdateStateMachineOutput {
  updateDate: number;
  revisionId: string;
  stateMachineVersionArn?: string;
}

export interface DeleteStateMachineInput {
  stateMachineArn: string;
}

export type DeleteStateMachineOutput = Record<string, never>;

export type ListStateMachinesInput = PageRequest;

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  creationDate: number;
}

export interface ListStateMachinesOutput {
  stateMachines: StateMachineListItem[];
  nextToken?: string;
}

/** A state machine, a version or (refused) an alias. */
export interface DescribeStateMachineInput {
  stateMachineArn: string;
}

export interface DescribeStateMachineOutput {
  stateMachineArn: string;
  name: string;
  status: 'ACTIVE';
  definition: string;
  roleArn: string;
  type: StateMachineType;
  creationDate: number;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  revisionId: string;
  description?: string;
}

export interface DescribeStateMachineForExecutionInput {
  executionArn: string;
}

export interface DescribeStateMachineForExecutionOutput {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  updateDate: number;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  revisionId: string;
}
