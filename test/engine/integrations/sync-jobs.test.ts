/** The jobs `.sync` tasks wait for: references, submissions, descriptions and the events that say a job ended. */
import { describeCall, endedJobOfEvent, jobReference, jobState, parseJobReference, stopCall, submittedJob, type SyncJob } from '../../../lib/engine/integrations/sync-jobs';
import type { JsonObject } from '../../../lib/asl/json';

const ecsTask: SyncJob = { service: 'ecs', taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/jobs/abc', cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs' };
const batchJob: SyncJob = { service: 'batch', jobArn: 'arn:aws:batch:us-east-1:123456789012:job/j-1', jobId: 'j-1' };
const glueRun: SyncJob = { service: 'glue', jobName: 'etl', runId: 'jr_1' };

describe('job references', () => {
  it.each([ecsTask, batchJob, glueRun])('round-trips %o', (job) => {
    expect(parseJobReference(jobReference(job))).toEqual(job);
  });

  it('is no child execution’s ARN, and an ECS task ARN in the short format names no cluster', () => {
    expect(parseJobReference('arn:aws:states:us-east-1:123456789012:execution:m:e')).toBeUndefined();
    expect(parseJobReference('arn:aws:ecs:us-east-1:123456789012:task/abc')).toEqual({ service: 'ecs', taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/abc' });
    expect(jobReference(glueRun)).toBe('glue:job/etl/run/jr_1');
  });
});

describe('submittedJob', () => {
  it('finds the job in each submission’s response (Glue’s JobName from the parameters)', () => {
    expect(submittedJob('ecs', { Tasks: [{ TaskArn: ecsTask.taskArn }], Failures: [] }, {})).toEqual({ job: ecsTask });
    expect(submittedJob('batch', { JobArn: batchJob.jobArn, JobId: 'j-1', JobName: 'n' }, {})).toEqual({ job: batchJob });
    expect(submittedJob('glue', { JobName: 'etl', JobRunId: 'jr_1' }, { JobName: 'etl' })).toEqual({ job: glueRun });
  });

  it('fails an ECS submission with Failures with AmazonECS.Unknown', () => {
    expect(submittedJob('ecs', { Tasks: [], Failures: [{ Reason: 'MISSING' }] }, {})).toEqual({ error: 'AmazonECS.Unknown', cause: '[{"Reason":"MISSING"}]' });
  });
});

describe('describe and stop calls', () => {
  it('names each service’s own API, in its own member names', () => {
    expect([ecsTask, batchJob, glueRun].map(describeCall)).toEqual([
      { client: 'ecs', command: 'DescribeTasksCommand', input: { cluster: ecsTask.cluster, tasks: [ecsTask.taskArn] } },
      { client: 'batch', command: 'DescribeJobsCommand', input: { jobs: ['j-1'] } },
      { client: 'glue', command: 'GetJobRunCommand', input: { JobName: 'etl', RunId: 'jr_1' } },
    ]);
    expect([ecsTask, batchJob, glueRun].map((j) => stopCall(j).command)).toEqual(['StopTaskCommand', 'TerminateJobCommand', 'BatchStopJobRunCommand']);
  });
});

describe('jobState', () => {
  it('ECS: running until STOPPED; every exit code 0 succeeds with the task; a non-zero one, or none, fails it', () => {
    const task = (LastStatus: string, ...codes: (number | undefined)[]): JsonObject => ({ TaskArn: ecsTask.taskArn, LastStatus, Containers: codes.map((ExitCode): JsonObject => (ExitCode === undefined ? {} : { ExitCode })) });
    expect(jobState(ecsTask, { Tasks: [task('RUNNING')] })).toEqual({ kind: 'running' });
    expect(jobState(ecsTask, { Tasks: [task('STOPPED', 0, 0)] })).toEqual({ kind: 'succeeded', output: task('STOPPED', 0, 0) });
    expect(jobState(ecsTask, { Tasks: [task('STOPPED', 0, 137)] })).toEqual({ kind: 'failed', error: 'States.TaskFailed', cause: JSON.stringify(task('STOPPED', 0, 137)) });
    expect(jobState(ecsTask, { Tasks: [task('STOPPED', undefined)] })).toMatchObject({ kind: 'failed', error: 'States.TaskFailed' });
    expect(jobState(ecsTask, { Tasks: [], Failures: [{ Reason: 'MISSING' }] })).toEqual({ kind: 'failed', error: 'AmazonECS.Unknown', cause: '[{"Reason":"MISSING"}]' });
  });

  it('Batch: SUCCEEDED succeeds with the job, FAILED fails with it, others run', () => {
    const job = (Status: string) => ({ Jobs: [{ JobId: 'j-1', Status }] });
    expect(jobState(batchJob, job('RUNNING'))).toEqual({ kind: 'running' });
    expect(jobState(batchJob, job('SUCCEEDED'))).toEqual({ kind: 'succeeded', output: { JobId: 'j-1', Status: 'SUCCEEDED' } });
    expect(jobState(batchJob, job('FAILED'))).toEqual({ kind: 'failed', error: 'States.TaskFailed', cause: '{"JobId":"j-1","Status":"FAILED"}' });
  });

  it('Glue: SUCCEEDED succeeds with the JobRun; FAILED, TIMEOUT, STOPPED and ERROR fail with it', () => {
    expect(jobState(glueRun, { JobRun: { Id: 'jr_1', JobRunState: 'RUNNING' } })).toEqual({ kind: 'running' });
    expect(jobState(glueRun, { JobRun: { Id: 'jr_1', JobRunState: 'SUCCEEDED' } })).toEqual({ kind: 'succeeded', output: { Id: 'jr_1', JobRunState: 'SUCCEEDED' } });
    for (const state of ['FAILED', 'TIMEOUT', 'STOPPED', 'ERROR']) expect(jobState(glueRun, { JobRun: { Id: 'jr_1', JobRunState: state } })).toMatchObject({ kind: 'failed', error: 'States.TaskFailed' });
  });
});

describe('endedJobOfEvent', () => {
  const event = (source: string, detailType: string, detail: object) => ({ version: '0', id: 'e', source, 'detail-type': detailType, detail });

  it('reads the ended job of each service’s state-change event', () => {
    expect(endedJobOfEvent(event('aws.ecs', 'ECS Task State Change', { lastStatus: 'STOPPED', taskArn: ecsTask.taskArn, clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs' }))).toEqual(ecsTask);
    expect(endedJobOfEvent(event('aws.batch', 'Batch Job State Change', { status: 'FAILED', jobArn: batchJob.jobArn, jobId: 'j-1' }))).toEqual(batchJob);
    expect(endedJobOfEvent(event('aws.glue', 'Glue Job State Change', { state: 'TIMEOUT', jobName: 'etl', jobRunId: 'jr_1' }))).toEqual(glueRun);
  });

  it('is undefined for a job still running and for any other event', () => {
    expect(endedJobOfEvent(event('aws.ecs', 'ECS Task State Change', { lastStatus: 'RUNNING', taskArn: ecsTask.taskArn }))).toBeUndefined();
    expect(endedJobOfEvent(event('aws.ecs', 'ECS Container Instance State Change', { lastStatus: 'STOPPED', taskArn: ecsTask.taskArn }))).toBeUndefined();
    expect(endedJobOfEvent(event('shop', 'placed', {}))).toBeUndefined();
    expect(endedJobOfEvent('not an event')).toBeUndefined();
  });
});
