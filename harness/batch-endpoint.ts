/**
 * A small stand-in for AWS Batch's API on 127.0.0.1, in the REST-JSON
 * protocol `@aws-sdk/client-batch` speaks (`POST /v1/submitjob`,
 * `/v1/describejobs`, `/v1/terminatejob`; camelCase members; errors in the
 * `x-amzn-errortype` header): SubmitJob, DescribeJobs and TerminateJob over
 * jobs held in memory. A job runs until the test ends it (`finish`, or
 * TerminateJob); each status change is sent as the "Batch Job State Change"
 * event EventBridge delivers (its detail is the job as DescribeJobs
 * describes it), which is what drives `batch:submitJob.sync` in the cloud.
 */
import { randomUUID } from 'node:crypto';
import { startStandIn, stateChanges, type StandInRequest, type StateChangeEvent } from './stand-in-server';

/** A job as DescribeJobs describes it (the members the stand-in keeps). */
export interface BatchJob {
  jobArn: string;
  jobName: string;
  jobId: string;
  jobQueue: string;
  status: 'SUBMITTED' | 'PENDING' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  statusReason?: string;
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  dependsOn: unknown[];
  jobDefinition: string;
  parameters: Record<string, unknown>;
  container: { command: string[]; exitCode?: number; reason?: string };
  attempts: unknown[];
  tags: Record<string, string>;
  platformCapabilities: string[];
}

export type BatchJobStateChange = StateChangeEvent<BatchJob>;

export interface BatchEndpoint {
  readonly url: string;
  readonly jobs: Map<string, BatchJob>;
  /** Every request's action and input, in order. */
  readonly requests: readonly StandInRequest[];
  /** Subscribes to job state changes (what an EventBridge rule on `aws.batch` would deliver). */
  onStateChange(listener: (event: BatchJobStateChange) => void): void;
  /** When true, a job ends SUCCEEDED as it is submitted: its events are sent before SubmitJob answers. @default false */
  endAtOnce: boolean;
  /** Ends a running job as its container exiting with `exitCode` would: SUCCEEDED for 0, else FAILED. */
  finish(jobId: string, exitCode: number): void;
  close(): Promise<void>;
}

const ACTIONS: Readonly<Record<string, string>> = { submitjob: 'SubmitJob', describejobs: 'DescribeJobs', terminatejob: 'TerminateJob' };

/**
 * Starts the stand-in. With `sequentialIds`, job ids and request ids count up
 * (`00000000-0000-0000-0000-000000000001`, `request-1`) and times are fixed, so
 * two runs of one definition (in-process and through the cloud driver) give
 * identical histories.
 */
export async function startBatchEndpoint(region = 'us-east-1', account = '123456789012', options: { sequentialIds?: boolean } = {}): Promise<BatchEndpoint> {
  let counted = 0;
  const nextId = () => (options.sequentialIds ? `00000000-0000-0000-0000-${String(++counted).padStart(12, '0')}` : randomUUID());
  const now = () => (options.sequentialIds ? 1_700_000_000_000 : Date.now());
  const jobs = new Map<string, BatchJob>();
  const events = stateChanges<BatchJob>('aws.batch', 'Batch Job State Change', account, region);
  const arn = (kind: string, name: unknown) => (typeof name === 'string' && name.startsWith('arn:') ? name : `arn:aws:batch:${region}:${account}:${kind}/${String(name)}`);
  const change = (job: BatchJob, status: BatchJob['status'], more: Partial<BatchJob> = {}) => {
    Object.assign(job, { status, ...more });
    events.emit([job.jobArn], job);
  };

  const server = await startStandIn(
    {
      SubmitJob(input) {
        for (const member of ['jobName', 'jobQueue', 'jobDefinition']) {
          if (typeof input[member] !== 'string') return { status: 400, error: 'ClientException', message: `${member} is required.` };
        }
        if (input.jobQueue === 'missing') return { status: 400, error: 'ClientException', message: 'JobQueue missing not found.' };
        const jobId = nextId();
        const definition = String(input.jobDefinition);
        const overrides = (input.containerOverrides ?? {}) as { command?: string[] };
        const job: BatchJob = {
          jobArn: `arn:aws:batch:${region}:${account}:job/${jobId}`,
          jobName: String(input.jobName),
          jobId,
          jobQueue: arn('job-queue', input.jobQueue),
          status: 'RUNNABLE',
          createdAt: now(),
          dependsOn: [],
          jobDefinition: arn('job-definition', definition.includes(':') ? definition : `${definition}:1`),
          parameters: (input.parameters as Record<string, unknown> | undefined) ?? {},
          container: { command: overrides.command ?? [] },
          attempts: [],
          tags: (input.tags as Record<string, string> | undefined) ?? {},
          platformCapabilities: [],
        };
        jobs.set(jobId, job);
        events.emit([job.jobArn], job);
        if (endpoint.endAtOnce) endpoint.finish(jobId, 0);
        return { output: { jobArn: job.jobArn, jobName: job.jobName, jobId } };
      },
      DescribeJobs(input) {
        const ids = Array.isArray(input.jobs) ? (input.jobs as string[]) : [];
        return { output: { jobs: ids.flatMap((id) => (jobs.has(id) ? [jobs.get(id)] : [])) } };
      },
      TerminateJob(input) {
        const job = jobs.get(String(input.jobId));
        if (!job) return { status: 400, error: 'ClientException', message: `Job ${String(input.jobId)} not found.` };
        if (job.status !== 'SUCCEEDED' && job.status !== 'FAILED') change(job, 'FAILED', { statusReason: String(input.reason ?? ''), stoppedAt: now() });
        return { output: {} };
      },
    },
    {
      actionOf: (req) => ACTIONS[/^\/v1\/([a-z]+)$/.exec(req.url ?? '')?.[1] ?? ''],
      errors: 'rest-json',
      contentType: 'application/json',
      ...(options.sequentialIds !== undefined ? { sequentialIds: options.sequentialIds } : {}),
    },
  );

  const endpoint: BatchEndpoint = {
    url: server.url,
    endAtOnce: false,
    jobs,
    requests: server.requests,
    onStateChange: (listener) => events.on(listener),
    finish(jobId, exitCode) {
      const job = jobs.get(jobId);
      if (!job) throw new Error(`The stand-in has no job ${jobId}.`);
      change(job, 'RUNNING', { startedAt: now() });
      // Batch gives this reason for a job whose container ended, whether it exited 0 or not.
      change(job, exitCode === 0 ? 'SUCCEEDED' : 'FAILED', { container: { ...job.container, exitCode }, stoppedAt: now(), statusReason: 'Essential container in task exited' });
    },
    close: () => server.close(),
  };
  return endpoint;
}
