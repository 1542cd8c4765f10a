/**
 * Request and response shapes of the state machine actions, named as Step
 * Functions' API model names them, in their JSON form (timestamps in epoch
 * seconds).
 */
import type { EncryptionConfiguration, LoggingConfiguration } from '../../ports';
import type { PageRequest, Tag } from '../members';

export type { EncryptionConfiguration, LoggingConfiguration };

/** Whether the describe actions leave the definition (or the execution's data) out. */
export type IncludedData = 'ALL_DATA' | 'METADATA_ONLY';

/** State name → the variables the state reads. */
export type VariableReferences = Record<string, string[]>;
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
  encryptionConfiguration?: EncryptionConfiguration;
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
  encryptionConfiguration?: EncryptionConfiguration;
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
  includedData?: IncludedData;
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
  encryptionConfiguration?: EncryptionConfiguration;
  variableReferences?: VariableReferences;
}

export interface DescribeStateMachineForExecutionInput {
  executionArn: string;
  includedData?: IncludedData;
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
  encryptionConfiguration?: EncryptionConfiguration;
  variableReferences?: VariableReferences;
}
