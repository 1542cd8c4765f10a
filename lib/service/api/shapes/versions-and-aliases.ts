/**
 * Request and response shapes of the version and alias actions, named as
 * Step Functions' API model names them, in their JSON form (timestamps in
 * epoch seconds).
 */
import type { PageRequest } from '../members';

export interface PublishStateMachineVersionInput {
  stateMachineArn: string;
  revisionId?: string;
  description?: string;
}

export interface PublishStateMachineVersionOutput {
  creationDate: number;
  stateMachineVersionArn: string;
}

export interface ListStateMachineVersionsInput extends PageRequest {
  stateMachineArn: string;
}

export interface StateMachineVersionListItem {
  stateMachineVersionArn: string;
  creationDate: number;
}

export interface ListStateMachineVersionsOutput {
  stateMachineVersions: StateMachineVersionListItem[];
  nextToken?: string;
}

export interface DeleteStateMachineVersionInput {
  stateMachineVersionArn: string;
}

export type DeleteStateMachineVersionOutput = Record<string, never>;

/** One route of an alias: a version and the percentage of executions it gets. */
export interface RoutingConfigurationListItem {
  stateMachineVersionArn: string;
  weight: number;
}

export interface CreateStateMachineAliasInput {
  name: string;
  description?: string;
  routingConfiguration: RoutingConfigurationListItem[];
}

export interface CreateStateMachineAliasOutput {
  stateMachineAliasArn: string;
  creationDate: number;
}

export interface UpdateStateMachineAliasInput {
  stateMachineAliasArn: string;
  description?: string;
  routingConfiguration?: RoutingConfigurationListItem[];
}

export interface UpdateStateMachineAliasOutput {
  updateDate: number;
}

export interface DescribeStateMachineAliasInput {
  stateMachineAliasArn: string;
}

export interface DescribeStateMachineAliasOutput {
  stateMachineAliasArn: string;
  name: string;
  description?: string;
  routingConfiguration: RoutingConfigurationListItem[];
  creationDate: number;
  updateDate: number;
}

export interface DeleteStateMachineAliasInput {
  stateMachineAliasArn: string;
}

export type DeleteStateMachineAliasOutput = Record<string, never>;

export interface ListStateMachineAliasesInput extends PageRequest {
  stateMachineArn: string;
}

export interface StateMachineAliasListItem {
  stateMachineAliasArn: string;
  creationDate: number;
}

export interface ListStateMachineAliasesOutput {
  stateMachineAliases: StateMachineAliasListItem[];
  nextToken?: string;
}
