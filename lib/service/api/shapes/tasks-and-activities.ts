/**
 * Request and response shapes of the task token and activity actions, named
 * as Step Functions' API model names them, in their JSON form (timestamps in
 * epoch seconds).
 */
import type { EncryptionConfiguration } from '../../ports';
import type { PageRequest, Tag } from '../members';

export interface SendTaskSuccessInput {
  taskToken: string;
  /** JSON text. */
  output: string;
}

export type SendTaskSuccessOutput = Record<string, never>;

export interface SendTaskFailureInput {
  taskToken: string;
  error?: string;
  cause?: string;
}

export type SendTaskFailureOutput = Record<string, never>;

export interface SendTaskHeartbeatInput {
  taskToken: string;
}

export type SendTaskHeartbeatOutput = Record<string, never>;

export interface CreateActivityInput {
  name: string;
  tags?: Tag[];
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface CreateActivityOutput {
  activityArn: string;
  creationDate: number;
}

export interface DescribeActivityInput {
  activityArn: string;
}

export interface DescribeActivityOutput {
  activityArn: string;
  name: string;
  creationDate: number;
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface DeleteActivityInput {
  activityArn: string;
}

export type DeleteActivityOutput = Record<string, never>;

export type ListActivitiesInput = PageRequest;

export type ActivityListItem = Omit<DescribeActivityOutput, 'encryptionConfiguration'>;

export interface ListActivitiesOutput {
  activities: ActivityListItem[];
  nextToken?: string;
}

export interface GetActivityTaskInput {
  activityArn: string;
  workerName?: string;
}

/** Empty when no task came within the wait. */
export interface GetActivityTaskOutput {
  taskToken?: string;
  /** JSON text. */
  input?: string;
}
