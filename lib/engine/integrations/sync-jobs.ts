/**
 * The jobs `.sync` tasks wait for (ECS tasks, Batch jobs, Glue job runs):
 * what identifies one, the call that describes it and the one that stops it,
 * and how its description ends the task. Step Functions' rules ("Run a Job
 * (.sync)"):
 * - ECS: the result is the task as DescribeTasks describes it once it is
 *   STOPPED; a task whose container exited with a non-zero code (or that
 *   never ran one) fails the state with States.TaskFailed, the description as
 *   its cause. "If a non-empty Failures field is encountered, the task is
 *   failed with an AmazonECS.Unknown error."
 * - Batch: the job as DescribeJobs describes it, SUCCEEDED; FAILED fails the
 *   state with States.TaskFailed.
 * - Glue: GetJobRun's JobRun, SUCCEEDED; FAILED, TIMEOUT, STOPPED and ERROR
 *   fail the state with States.TaskFailed.
 * Descriptions here are as the task sees them (PascalCase members, lib/aws
 * shapes the SDK's output). Pure: no I/O.
 */
import { SYNC_JOB_EVENTS, type SyncJobService } from '../../asl/integrations/sync-jobs';
import { isJsonObject, type JsonObject, type JsonValue } from '../../asl/json';

/** A job a `.sync` task waits for. */
export type SyncJob =
  | { readonly service: 'ecs'; readonly taskArn: string; readonly cluster?: string }
  | { readonly service: 'batch'; readonly jobArn: string; readonly jobId: string }
  | { readonly service: 'glue'; readonly jobName: string; readonly runId: string };

/** An API call of the job's service: the client package, the command and its input (as the SDK takes it). */
export interface JobCall {
  readonly client: string;
  readonly command: string;
  readonly input: JsonObject;
}

/** How a described job stands: still running, or the task's outcome. */
export type JobState = { readonly kind: 'running' } | { readonly kind: 'succeeded'; readonly output: JsonValue } | { readonly kind: 'failed'; readonly error: string; readonly cause: string };

const ECS_TASK = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):task\/(?:([^/]+)\/)?[^/]+$/;
const BATCH_JOB = /^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job\/(.+)$/;
const GLUE_RUN = /^glue:job\/(.+)\/run\/([^/]+)$/;

/**
 * The job as the text the frame keeps (TaskSubmitted's job, CancelTask's):
 * the ECS task's ARN, the Batch job's ARN, `glue:job/<name>/run/<id>` for a
 * Glue job run (which has no ARN).
 */
export function jobReference(job: SyncJob): string {
  if (job.service === 'ecs') return job.taskArn;
  if (job.service === 'batch') return job.jobArn;
  return `glue:job/${job.jobName}/run/${job.runId}`;
}

/** The job a reference names; undefined for anything else (a child execution's ARN). */
export function parseJobReference(reference: string): SyncJob | undefined {
  const ecs = ECS_TASK.exec(reference);
  // A task ARN in the long format names its cluster: arn:aws:ecs:<region>:<account>:task/<cluster>/<id>.
  if (ecs) return { service: 'ecs', taskArn: reference, ...(ecs[3] !== undefined ? { cluster: `arn:aws:ecs:${ecs[1]}:${ecs[2]}:cluster/${ecs[3]}` } : {}) };
  const batch = BATCH_JOB.exec(reference);
  if (batch) return { service: 'batch', jobArn: reference, jobId: batch[1]! };
  const glue = GLUE_RUN.exec(reference);
  if (glue) return { service: 'glue', jobName: glue[1]!, runId: glue[2]! };
  return undefined;
}

const text = (value: JsonValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** The job a submission started, from its response (and the task's parameters: Glue's JobName); or why the task fails. */
export function submittedJob(service: SyncJobService, response: JsonObject, parameters: JsonObject): { readonly job: SyncJob } | { readonly error: string; readonly cause: string } {
  if (service === 'ecs') {
    const failures = Array.isArray(response.Failures) ? response.Failures : [];
    const first = Array.isArray(response.Tasks) && isJsonObject(response.Tasks[0]) ? response.Tasks[0] : undefined;
    const taskArn = text(first?.TaskArn);
    if (failures.length > 0 || taskArn === undefined) return { error: 'AmazonECS.Unknown', cause: JSON.stringify(failures.length > 0 ? failures : response) };
    return { job: parseJobReference(taskArn) ?? { service: 'ecs', taskArn } };
  }
  if (service === 'batch') {
    const jobArn = text(response.JobArn);
    const jobId = text(response.JobId);
    if (jobArn === undefined || jobId === undefined) return { error: 'States.TaskFailed', cause: JSON.stringify(response) };
    return { job: { service: 'batch', jobArn, jobId } };
  }
  const jobName = text(parameters.JobName);
  const runId = text(response.JobRunId);
  if (jobName === undefined || runId === undefined) return { error: 'States.TaskFailed', cause: JSON.stringify(response) };
  return { job: { service: 'glue', jobName, runId } };
}

/** The call that describes the job. */
export function describeCall(job: SyncJob): JobCall {
  if (job.service === 'ecs') return { client: 'ecs', command: 'DescribeTasksCommand', input: { ...(job.cluster !== undefined ? { cluster: job.cluster } : {}), tasks: [job.taskArn] } };
  if (job.service === 'batch') return { client: 'batch', command: 'DescribeJobsCommand', input: { jobs: [job.jobId] } };
  return { client: 'glue', command: 'GetJobRunCommand', input: { JobName: job.jobName, RunId: job.runId } };
}

/** The call that stops the job, as Step Functions stops it when the state is stopped. */
export function stopCall(job: SyncJob): JobCall {
  const reason = 'Stopped by Switchyard: the task that started it was stopped';
  if (job.service === 'ecs') return { client: 'ecs', command: 'StopTaskCommand', input: { ...(job.cluster !== undefined ? { cluster: job.cluster } : {}), task: job.taskArn, reason } };
  if (job.service === 'batch') return { client: 'batch', command: 'TerminateJobCommand', input: { jobId: job.jobId, reason } };
  return { client: 'glue', command: 'BatchStopJobRunCommand', input: { JobName: job.jobName, JobRunIds: [job.runId] } };
}

const ended = (output: JsonObject): JobState => ({ kind: 'succeeded', output });
const failed = (output: JsonObject): JobState => ({ kind: 'failed', error: 'States.TaskFailed', cause: JSON.stringify(output) });

/** How the job stands, from its description (DescribeTasks, DescribeJobs or GetJobRun's response, shaped). */
export function jobState(job: SyncJob, described: JsonValue): JobState {
  const body = isJsonObject(described) ? described : {};
  if (job.service === 'ecs') {
    const task = Array.isArray(body.Tasks) ? body.Tasks.find((t) => isJsonObject(t) && t.TaskArn === job.taskArn) : undefined;
    if (!isJsonObject(task)) return { kind: 'failed', error: 'AmazonECS.Unknown', cause: JSON.stringify(body.Failures ?? body) };
    if (task.LastStatus !== 'STOPPED') return { kind: 'running' };
    const exits = (Array.isArray(task.Containers) ? task.Containers : []).map((c) => (isJsonObject(c) ? c.ExitCode : undefined)).filter((code) => code !== undefined && code !== null);
    return exits.length > 0 && exits.every((code) => code === 0) ? ended(task) : failed(task);
  }
  if (job.service === 'batch') {
    const found = Array.isArray(body.Jobs) ? body.Jobs.find((j) => isJsonObject(j) && j.JobId === job.jobId) : undefined;
    if (!isJsonObject(found)) return { kind: 'failed', error: 'States.TaskFailed', cause: JSON.stringify(body) };
    if (found.Status === 'SUCCEEDED') return ended(found);
    return found.Status === 'FAILED' ? failed(found) : { kind: 'running' };
  }
  const run = isJsonObject(body.JobRun) ? body.JobRun : undefined;
  if (run === undefined) return { kind: 'failed', error: 'States.TaskFailed', cause: JSON.stringify(body) };
  if (run.JobRunState === 'SUCCEEDED') return ended(run);
  return ['FAILED', 'TIMEOUT', 'STOPPED', 'ERROR'].includes(String(run.JobRunState)) ? failed(run) : { kind: 'running' };
}

/**
 * The job an EventBridge event says has ended ("ECS Task State Change" with
 * lastStatus STOPPED, …); undefined for any other event, or a job still running.
 */
export function endedJobOfEvent(event: unknown): SyncJob | undefined {
  if (!isJsonObject(event) || !isJsonObject(event.detail)) return undefined;
  const detail = event.detail;
  const service = (Object.keys(SYNC_JOB_EVENTS) as SyncJobService[]).find((s) => SYNC_JOB_EVENTS[s].source === event.source && SYNC_JOB_EVENTS[s].detailType === event['detail-type']);
  if (service === undefined || !SYNC_JOB_EVENTS[service].ended.includes(String(detail[SYNC_JOB_EVENTS[service].statusMember]))) return undefined;
  if (service === 'ecs') {
    const taskArn = text(detail.taskArn);
    const cluster = text(detail.clusterArn);
    return taskArn === undefined ? undefined : { service, taskArn, ...(cluster !== undefined ? { cluster } : {}) };
  }
  if (service === 'batch') {
    const jobArn = text(detail.jobArn);
    const jobId = text(detail.jobId);
    return jobArn === undefined || jobId === undefined ? undefined : { service, jobArn, jobId };
  }
  const jobName = text(detail.jobName);
  const runId = text(detail.jobRunId);
  return jobName === undefined || runId === undefined ? undefined : { service, jobName, runId };
}
