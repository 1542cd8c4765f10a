/** The Map Run actions' inputs and outputs, by the API model's names. */
import type { PageRequest } from '../members';

export interface ListMapRunsInput extends PageRequest {
  executionArn: string;
}

export interface MapRunListItem {
  executionArn: string;
  mapRunArn: string;
  stateMachineArn: string;
  startDate: number;
  stopDate?: number;
}

export interface ListMapRunsOutput {
  mapRuns: MapRunListItem[];
  nextToken?: string;
}

export interface DescribeMapRunInput {
  mapRunArn: string;
}

/** MapRunItemCounts and MapRunExecutionCounts: the same members (map-runs.ts counts them). */
import type { MapRunCounts, MapRunDescription } from '../../map-runs';

export type { MapRunCounts };

/** DescribeMapRun's answer: the Map Run map-runs.ts describes, its counts as items and as executions. */
export type DescribeMapRunOutput = Omit<MapRunDescription, 'counts'> & {
  itemCounts: MapRunCounts;
  executionCounts: MapRunCounts;
  redriveDate?: number;
};

export interface UpdateMapRunInput {
  mapRunArn: string;
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
}

export type UpdateMapRunOutput = Record<string, never>;
