/**
 * The `.sync` jobs of services whose jobs Step Functions waits for ("Run a
 * Job (.sync)": "Step Functions will wait for a request to complete before
 * progressing to the next state"): Amazon ECS tasks, AWS Batch jobs and AWS
 * Glue job runs. Switchyard learns that such a job ended from the state-change
 * event its service sends to EventBridge, never by polling; this table is
 * what a deployment needs to route those events (the rule's pattern) and
 * which definitions need it. Nothing here knows where it runs.
 */
import { isJsonObject } from '../json';
import { IntegrationPattern, isMalformed, parseServiceResource } from './resource';

/** A service whose `.sync` job ends with an EventBridge event. */
export type SyncJobService = 'ecs' | 'batch' | 'glue';

/** How a job's end reaches EventBridge: its source, detail-type and the member and values of an ended job. */
export interface SyncJobEvents {
  readonly source: string;
  readonly detailType: string;
  /** The detail member that holds the job's status. */
  readonly statusMember: string;
  /** The statuses of an ended job (the rule matches only these, so running jobs send nothing). */
  readonly ended: readonly string[];
}

/** The `.sync` jobs by service, as `arn:aws:states:::<service>:<action>.sync` names them. */
export const SYNC_JOB_EVENTS: Readonly<Record<SyncJobService, SyncJobEvents>> = {
  // "ECS Task State Change" events; a task has ended when its lastStatus is STOPPED.
  ecs: { source: 'aws.ecs', detailType: 'ECS Task State Change', statusMember: 'lastStatus', ended: ['STOPPED'] },
  // "Batch Job State Change" events; SUCCEEDED and FAILED are a job's final states.
  batch: { source: 'aws.batch', detailType: 'Batch Job State Change', statusMember: 'status', ended: ['SUCCEEDED', 'FAILED'] },
  // "Glue Job State Change" events; a run ends SUCCEEDED, FAILED, TIMEOUT or STOPPED.
  glue: { source: 'aws.glue', detailType: 'Glue Job State Change', statusMember: 'state', ended: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'] },
};

/** True when `service` is one whose `.sync` jobs end with an event. */
export function isSyncJobService(service: string): service is SyncJobService {
  return Object.prototype.hasOwnProperty.call(SYNC_JOB_EVENTS, service);
}

/** The services whose jobs `definition`'s `.sync` tasks (in Parallel branches and Maps too) wait for, in table order. */
export function syncJobServices(definition: unknown): SyncJobService[] {
  const used = new Set<SyncJobService>();
  const visit = (states: unknown): void => {
    if (!isJsonObject(states)) return;
    for (const state of Object.values(states)) {
      if (!isJsonObject(state)) continue;
      if (state.Type === 'Task' && typeof state.Resource === 'string') {
        const parsed = parseServiceResource(state.Resource);
        if (parsed && !isMalformed(parsed) && parsed.kind === 'optimized' && parsed.pattern === IntegrationPattern.Sync && isSyncJobService(parsed.service)) used.add(parsed.service);
      }
      for (const branch of Array.isArray(state.Branches) ? state.Branches : []) visit(isJsonObject(branch) ? branch.States : undefined);
      const processor = isJsonObject(state.ItemProcessor) ? state.ItemProcessor : isJsonObject(state.Iterator) ? state.Iterator : undefined;
      visit(processor?.States);
    }
  };
  visit(isJsonObject(definition) ? definition.States : undefined);
  return (Object.keys(SYNC_JOB_EVENTS) as SyncJobService[]).filter((s) => used.has(s));
}
