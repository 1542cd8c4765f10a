/**
 * A small stand-in for AWS Glue's API on 127.0.0.1, in the JSON 1.1 protocol
 * `@aws-sdk/client-glue` speaks (`POST /` with `X-Amz-Target:
 * AWSGlue.<Action>`; PascalCase members; timestamps as epoch seconds):
 * StartJobRun, GetJobRun and BatchStopJobRun over job runs held in memory.
 * A run goes on until the test ends it (`finish`, or BatchStopJobRun); its
 * end is sent as the "Glue Job State Change" event EventBridge delivers
 * (Glue sends one for SUCCEEDED, FAILED, TIMEOUT and STOPPED runs), which is
 * what drives `glue:startJobRun.sync` in the cloud.
 */
import { randomBytes } from 'node:crypto';
import { json11Protocol, startStandIn, stateChanges, type StandInRequest, type StateChangeEvent } from './stand-in-server';

/** A job run as GetJobRun describes it (the members the stand-in keeps). */
export interface GlueJobRun {
  Id: string;
  Attempt: number;
  JobName: string;
  StartedOn: number;
  LastModifiedOn: number;
  CompletedOn?: number;
  JobRunState: 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'ERROR';
  Arguments: Record<string, string>;
  ErrorMessage?: string;
  PredecessorRuns: unknown[];
  AllocatedCapacity: number;
  ExecutionTime: number;
  Timeout: number;
  MaxCapacity: number;
  GlueVersion: string;
}

/** The detail of a "Glue Job State Change" event. */
export interface GlueJobStateDetail {
  jobName: string;
  severity: 'INFO' | 'ERROR';
  state: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'STOPPED';
  jobRunId: string;
  message: string;
}

export type GlueJobStateChange = StateChangeEvent<GlueJobStateDetail>;

export interface GlueEndpoint {
  readonly url: string;
  /** Runs by id. */
  readonly runs: Map<string, GlueJobRun>;
  readonly requests: readonly StandInRequest[];
  onStateChange(listener: (event: GlueJobStateChange) => void): void;
  /** When true, a run ends SUCCEEDED as it starts: its event is sent before StartJobRun answers. @default false */
  endAtOnce: boolean;
  /** Ends a running run: SUCCEEDED, or FAILED with `error` as its ErrorMessage. */
  finish(runId: string, error?: string): void;
  close(): Promise<void>;
}

const TARGET = 'AWSGlue.';

/** Starts the stand-in; with `sequentialIds`, run ids and request ids count up and times are fixed. Job `missing` does not exist. */
export async function startGlueEndpoint(region = 'us-east-1', account = '123456789012', options: { sequentialIds?: boolean } = {}): Promise<GlueEndpoint> {
  let counted = 0;
  const nextRunId = () => `jr_${options.sequentialIds ? String(++counted).padStart(64, '0') : randomBytes(32).toString('hex')}`;
  const now = () => (options.sequentialIds ? 1_700_000_000 : Date.now() / 1000);
  const runs = new Map<string, GlueJobRun>();
  const events = stateChanges<GlueJobStateDetail>('aws.glue', 'Glue Job State Change', account, region);
  const end = (run: GlueJobRun, state: GlueJobStateDetail['state'], message: string, error?: string) => {
    Object.assign(run, { JobRunState: state, LastModifiedOn: now(), CompletedOn: now(), ...(error !== undefined ? { ErrorMessage: error } : {}) });
    events.emit([], { jobName: run.JobName, severity: state === 'SUCCEEDED' || state === 'STOPPED' ? 'INFO' : 'ERROR', state, jobRunId: run.Id, message });
  };
  const notFound = (what: string) => ({ status: 400, error: 'EntityNotFoundException', message: what });

  const server = await startStandIn(
    {
      StartJobRun(input) {
        if (typeof input.JobName !== 'string') return { status: 400, error: 'InvalidInputException', message: 'JobName is required.' };
        if (input.JobName === 'missing') return notFound('Cannot find job missing');
        const run: GlueJobRun = {
          Id: nextRunId(),
          Attempt: 0,
          JobName: input.JobName,
          StartedOn: now(),
          LastModifiedOn: now(),
          JobRunState: 'RUNNING',
          Arguments: (input.Arguments as Record<string, string> | undefined) ?? {},
          PredecessorRuns: [],
          AllocatedCapacity: 10,
          ExecutionTime: 0,
          Timeout: 2880,
          MaxCapacity: 10,
          GlueVersion: '4.0',
        };
        runs.set(run.Id, run);
        if (endpoint.endAtOnce) end(run, 'SUCCEEDED', 'Job run succeeded');
        return { output: { JobRunId: run.Id } };
      },
      GetJobRun(input) {
        const run = runs.get(String(input.RunId));
        return run && run.JobName === input.JobName ? { output: { JobRun: run } } : notFound(`Job Run Id ${String(input.RunId)} not found`);
      },
      BatchStopJobRun(input) {
        const ids = Array.isArray(input.JobRunIds) ? (input.JobRunIds as string[]) : [];
        const stopped = ids.filter((id) => runs.get(id)?.JobName === input.JobName && runs.get(id)!.JobRunState === 'RUNNING');
        for (const id of stopped) end(runs.get(id)!, 'STOPPED', 'Job run stopped');
        const errors = ids.filter((id) => !stopped.includes(id)).map((id) => ({ JobName: input.JobName, JobRunId: id, ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: `Job Run ${id} is not running` } }));
        return { output: { SuccessfulSubmissions: stopped.map((id) => ({ JobName: input.JobName, JobRunId: id })), Errors: errors } };
      },
    },
    json11Protocol(TARGET, options.sequentialIds),
  );

  const endpoint: GlueEndpoint = {
    url: server.url,
    endAtOnce: false,
    runs,
    requests: server.requests,
    onStateChange: (listener) => events.on(listener),
    finish(runId, error) {
      const run = runs.get(runId);
      if (!run) throw new Error(`The stand-in has no job run ${runId}.`);
      if (error === undefined) end(run, 'SUCCEEDED', 'Job run succeeded');
      else end(run, 'FAILED', error, error);
    },
    close: () => server.close(),
  };
  return endpoint;
}
