/**
 * batch:submitJob and glue:startJobRun in-process (LocalRuntime) against the
 * Batch (REST-JSON) and Glue (JSON 1.1) stand-ins on 127.0.0.1, signed as the
 * runner's credentials: request-response results as Step Functions shapes
 * them, service errors named `Batch.<Exception>` / `Glue.<Exception>`, and
 * `.sync` tasks completed by the "Batch Job State Change" / "Glue Job State
 * Change" event of the job's end, with the job as DescribeJobs / GetJobRun
 * describe it; stopping the execution stops the job; a job that ended before
 * its wait was written completes the task at once.
 */
import { SdkTaskRunner } from '../../../lib/aws/integrations/sdk-runner';
import type { JobEventOutcome } from '../../../lib/aws/integrations/sync-jobs';
import type { HistoryEvent } from '../../../lib/local/api';
import { LocalRuntime } from '../../../lib/local/runtime';
import { startBatchEndpoint, type BatchEndpoint } from '../../../harness/batch-endpoint';
import { startGlueEndpoint, type GlueEndpoint } from '../../../harness/glue-endpoint';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let batch: BatchEndpoint;
let glue: GlueEndpoint;
let runner: SdkTaskRunner;
let rt: LocalRuntime;
const outcomes: JobEventOutcome[] = [];

beforeEach(async () => {
  batch = await startBatchEndpoint('us-east-1', '123456789012', { sequentialIds: true });
  glue = await startGlueEndpoint('us-east-1', '123456789012', { sequentialIds: true });
  runner = new SdkTaskRunner({ region: 'us-east-1', endpoints: { batch: batch.url, glue: glue.url }, credentials });
  rt = new LocalRuntime({ timeScale: 0, taskRunner: runner });
  runner.jobs.attach({ tokens: rt });
  outcomes.length = 0;
  // What EventBridge rules on aws.batch and aws.glue would deliver.
  const deliver = (event: unknown) => void runner.jobs.completeFromEvent(event, rt).then((o) => outcomes.push(o));
  batch.onStateChange(deliver);
  glue.onStateChange(deliver);
});
afterEach(async () => {
  runner.destroy();
  await batch.close();
  await glue.close();
});

const task = (Resource: string, Parameters: object, more: object = {}) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource, Parameters, ...more, End: true } } });
const JOB_ID = '00000000-0000-0000-0000-000000000001';
const JOB_ARN = `arn:aws:batch:us-east-1:123456789012:job/${JOB_ID}`;
const RUN_ID = `jr_${'1'.padStart(64, '0')}`;

/** Starts the definition and waits until its TaskSubmitted is recorded. */
async function submitted(definition: object, name: string) {
  const execution = rt.startExecution(definition, { name, stateMachineName: 'jobs' });
  while (!rt.getExecution(execution.executionArn)!.history().some((e) => e.type === 'TaskSubmitted')) await new Promise((r) => setTimeout(r, 5));
  return execution;
}

/** The SdkHttpMetadata of a 200 answer with the stand-in's headers, as the Java client lists them (members in alphabetical order). */
const httpMetadata = (contentType: string, length: number) => {
  const headers = { Connection: 'keep-alive', 'Content-Length': String(length), 'Content-Type': contentType, Date: 'Tue, 14 Nov 2023 22:13:20 GMT', 'x-amzn-RequestId': 'request-1' };
  return { AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: 200 };
};

/** The job as DescribeJobs describes it once ended, as the task sees it: the Java client's object, members in alphabetical order. */
const describedJob = (status: 'SUCCEEDED' | 'FAILED', exitCode: number) => ({
  Attempts: [],
  Container: { Command: [], ExitCode: exitCode },
  CreatedAt: 1_700_000_000_000,
  DependsOn: [],
  JobArn: JOB_ARN,
  JobDefinition: 'arn:aws:batch:us-east-1:123456789012:job-definition/d:1',
  JobId: JOB_ID,
  JobName: 'nightly',
  JobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/q',
  Parameters: {},
  PlatformCapabilities: [],
  StartedAt: 1_700_000_000_000,
  Status: status,
  StatusReason: 'Essential container in task exited',
  StoppedAt: 1_700_000_000_000,
  Tags: {},
});

describe('batch:submitJob on the Batch stand-in', () => {
  it('request-response: SubmitJob’s response in PascalCase with the HTTP metadata; the request in Batch’s camelCase at POST /v1/submitjob, signed for batch', async () => {
    const result = await rt.startExecution(task('arn:aws:states:::batch:submitJob', { JobName: 'nightly', JobQueue: 'q', JobDefinition: 'd:1', ContainerOverrides: { Command: ['run'] } }), { name: 'b1', stateMachineName: 'jobs' }).result;

    expect(JSON.stringify(result.output)).toBe(
      JSON.stringify({
        JobArn: JOB_ARN,
        JobId: JOB_ID,
        JobName: 'nightly',
        SdkHttpMetadata: httpMetadata('application/json', 157),
        SdkResponseMetadata: { RequestId: 'request-1' },
      }),
    );
    expect(batch.requests).toEqual([{ action: 'SubmitJob', input: { jobName: 'nightly', jobQueue: 'q', jobDefinition: 'd:1', containerOverrides: { command: ['run'] } }, signedBy: { accessKeyId: 'local', region: 'us-east-1', service: 'batch' } }]);
  });

  it('.sync: a job’s Parameters and Tags keep their keys, which are the user’s and no member names, in the request and the result', async () => {
    const execution = await submitted(task('arn:aws:states:::batch:submitJob.sync', { JobName: 'nightly', JobQueue: 'q', JobDefinition: 'd:1', Parameters: { InputFile: 's3://in/a', day: '1' }, Tags: { Team: 'data' } }), 'b5');

    batch.finish(JOB_ID, 0);
    const result = await execution.result;

    expect(batch.requests[0]!.input).toEqual({ jobName: 'nightly', jobQueue: 'q', jobDefinition: 'd:1', parameters: { InputFile: 's3://in/a', day: '1' }, tags: { Team: 'data' } });
    expect(result.output).toEqual({ ...describedJob('SUCCEEDED', 0), Parameters: { InputFile: 's3://in/a', day: '1' }, Tags: { Team: 'data' } });
  });

  it('a refused SubmitJob fails as Batch.ClientException with the Java client’s cause', async () => {
    const result = await rt.startExecution(task('arn:aws:states:::batch:submitJob', { JobName: 'nightly', JobQueue: 'missing', JobDefinition: 'd:1' }), { name: 'b0', stateMachineName: 'jobs' }).result;

    expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({
      status: 'FAILED',
      error: 'Batch.ClientException',
      cause: 'JobQueue missing not found. (Service: AWSBatch; Status Code: 400; Error Code: ClientException; Request ID: request-1; Proxy: null)',
    });
  });

  it('.sync: the SUCCEEDED event completes the task with the job DescribeJobs describes', async () => {
    const execution = await submitted(task('arn:aws:states:::batch:submitJob.sync', { JobName: 'nightly', JobQueue: 'q', JobDefinition: 'd:1' }), 'b2');

    batch.finish(JOB_ID, 0);
    const result = await execution.result;

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(describedJob('SUCCEEDED', 0));
    expect(result.history.map((e: HistoryEvent) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    // Described once after its wait was written (RUNNABLE), once for its end; RUNNABLE and RUNNING events are no job's end.
    expect(batch.requests.map((r) => [r.action, r.input])).toEqual([
      ['SubmitJob', { jobName: 'nightly', jobQueue: 'q', jobDefinition: 'd:1' }],
      ['DescribeJobs', { jobs: [JOB_ID] }],
      ['DescribeJobs', { jobs: [JOB_ID] }],
    ]);
    expect(outcomes).toEqual(['not-a-job-end', 'not-a-job-end', 'completed']);
  });

  it('.sync: a FAILED job fails the task with States.TaskFailed, the described job as its cause', async () => {
    const execution = await submitted(task('arn:aws:states:::batch:submitJob.sync', { JobName: 'nightly', JobQueue: 'q', JobDefinition: 'd:1' }), 'b3');

    batch.finish(JOB_ID, 2);
    const result = await execution.result;

    expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({ status: 'FAILED', error: 'States.TaskFailed', cause: JSON.stringify(describedJob('FAILED', 2)) });
  });

  it('.sync: stopping the execution terminates the job, and its FAILED event then completes nothing', async () => {
    const execution = await submitted(task('arn:aws:states:::batch:submitJob.sync', { JobName: 'nightly', JobQueue: 'q', JobDefinition: 'd:1' }), 'b4');

    rt.stopExecution(execution.executionArn);
    expect((await execution.result).status).toBe('ABORTED');
    for (let i = 0; i < 200 && outcomes.length < 2; i++) await new Promise((r) => setTimeout(r, 5));

    expect(batch.requests.find((r) => r.action === 'TerminateJob')!.input).toEqual({ jobId: JOB_ID, reason: 'Stopped by Switchyard: the task that started it was stopped' });
    expect({ status: batch.jobs.get(JOB_ID)!.status, reason: batch.jobs.get(JOB_ID)!.statusReason }).toEqual({ status: 'FAILED', reason: 'Stopped by Switchyard: the task that started it was stopped' });
    expect(outcomes).toEqual(['not-a-job-end', 'not-waited']);
  });

  it('.sync: a job that ended before its wait was written completes the task at once (its events found no wait)', async () => {
    // The job ends as it is submitted: its SUCCEEDED event is sent before SubmitJob answers.
    batch.endAtOnce = true;

    const result = await rt.startExecution(task('arn:aws:states:::batch:submitJob.sync', { JobName: 'nightly', JobQueue: 'q', JobDefinition: 'd:1' }, { TimeoutSeconds: 86_400 }), { name: 'b5', stateMachineName: 'jobs' }).result;

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(describedJob('SUCCEEDED', 0));
    expect(result.history.map((e: HistoryEvent) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(outcomes).toEqual(['not-a-job-end', 'not-a-job-end', 'not-waited']);
    expect(batch.requests.map((r) => r.action)).toEqual(['SubmitJob', 'DescribeJobs']);
  });
});

describe('glue:startJobRun on the Glue stand-in', () => {
  it('request-response: the JobName of the request inserted before JobRunId, as Step Functions does; signed for glue', async () => {
    const result = await rt.startExecution(task('arn:aws:states:::glue:startJobRun', { JobName: 'etl', Arguments: { '--day': '1' } }), { name: 'g1', stateMachineName: 'jobs' }).result;

    expect(result.output).toEqual({ JobName: 'etl', JobRunId: RUN_ID, SdkHttpMetadata: httpMetadata('application/x-amz-json-1.1', 82), SdkResponseMetadata: { RequestId: 'request-1' } });
    expect(Object.keys(result.output as object)[0]).toBe('JobName');
    expect(glue.requests).toEqual([{ action: 'StartJobRun', input: { JobName: 'etl', Arguments: { '--day': '1' } }, signedBy: { accessKeyId: 'local', region: 'us-east-1', service: 'glue' } }]);
  });

  it('a job that does not exist fails as Glue.EntityNotFoundException', async () => {
    const result = await rt.startExecution(task('arn:aws:states:::glue:startJobRun', { JobName: 'missing' }), { name: 'g0', stateMachineName: 'jobs' }).result;

    expect({ error: result.error, cause: result.cause }).toEqual({
      error: 'Glue.EntityNotFoundException',
      cause: 'Cannot find job missing (Service: AWSGlue; Status Code: 400; Error Code: EntityNotFoundException; Request ID: request-1; Proxy: null)',
    });
  });

  it('.sync: the SUCCEEDED event completes the task with GetJobRun’s JobRun', async () => {
    const execution = await submitted(task('arn:aws:states:::glue:startJobRun.sync', { JobName: 'etl' }), 'g2');

    glue.finish(RUN_ID);
    const result = await execution.result;

    // In alphabetical order, its timestamps in epoch milliseconds, as Step Functions gives a JobRun.
    expect(JSON.stringify(result.output)).toBe(
      JSON.stringify({
        AllocatedCapacity: 10, Arguments: {}, Attempt: 0, CompletedOn: 1_700_000_000_000, ExecutionTime: 0, GlueVersion: '4.0', Id: RUN_ID, JobName: 'etl',
        JobRunState: 'SUCCEEDED', LastModifiedOn: 1_700_000_000_000, MaxCapacity: 10, PredecessorRuns: [], StartedOn: 1_700_000_000_000, Timeout: 2880,
      }),
    );
    expect(glue.requests.map((r) => [r.action, r.input])).toEqual([
      ['StartJobRun', { JobName: 'etl' }],
      ['GetJobRun', { JobName: 'etl', RunId: RUN_ID }],
      ['GetJobRun', { JobName: 'etl', RunId: RUN_ID }],
    ]);
    expect(outcomes).toEqual(['completed']);
  });

  it('.sync: a FAILED run fails the task with States.TaskFailed, the JobRun as its cause', async () => {
    const execution = await submitted(task('arn:aws:states:::glue:startJobRun.sync', { JobName: 'etl' }), 'g3');

    glue.finish(RUN_ID, 'Out of memory');
    const result = await execution.result;

    expect(result.error).toBe('States.TaskFailed');
    expect(JSON.parse(result.cause!)).toMatchObject({ Id: RUN_ID, JobRunState: 'FAILED', ErrorMessage: 'Out of memory' });
  });

  it('.sync: stopping the execution stops the run with BatchStopJobRun', async () => {
    const execution = await submitted(task('arn:aws:states:::glue:startJobRun.sync', { JobName: 'etl' }), 'g4');

    rt.stopExecution(execution.executionArn);
    expect((await execution.result).status).toBe('ABORTED');
    for (let i = 0; i < 200 && outcomes.length < 1; i++) await new Promise((r) => setTimeout(r, 5));

    expect(glue.requests.find((r) => r.action === 'BatchStopJobRun')!.input).toEqual({ JobName: 'etl', JobRunIds: [RUN_ID] });
    expect(glue.runs.get(RUN_ID)!.JobRunState).toBe('STOPPED');
    expect(outcomes).toEqual(['not-waited']);
  });
});
