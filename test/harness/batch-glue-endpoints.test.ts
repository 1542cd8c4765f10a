/**
 * The Batch and Glue stand-ins, spoken to as their SDK clients speak: Batch
 * in REST-JSON (`POST /v1/<action>`, errors in `x-amzn-errortype`), Glue in
 * JSON 1.1 (X-Amz-Target `AWSGlue.<Action>`, errors in `__type`); each
 * status change of a job is the state-change event an EventBridge rule
 * delivers; requests are recorded with the SigV4 signer they name.
 */
import { startBatchEndpoint, type BatchEndpoint, type BatchJobStateChange } from '../../harness/batch-endpoint';
import { startGlueEndpoint, type GlueEndpoint, type GlueJobStateChange } from '../../harness/glue-endpoint';
import { restJsonClientPackage } from '../../harness/json-client-package';

let batch: BatchEndpoint;
let glue: GlueEndpoint;
beforeAll(async () => {
  batch = await startBatchEndpoint();
  glue = await startGlueEndpoint();
});
afterAll(async () => {
  await batch.close();
  await glue.close();
});

const rest = async (path: string, input: unknown) => {
  const response = await fetch(`${batch.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: (await response.json()) as Record<string, unknown> };
};
const target = async (action: string, input: unknown) => {
  const response = await fetch(glue.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSGlue.${action}` }, body: JSON.stringify(input) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the Batch stand-in', () => {
  it('submits a job at POST /v1/submitjob, describes it, and emits RUNNABLE, RUNNING and SUCCEEDED as "Batch Job State Change" events', async () => {
    const events: BatchJobStateChange[] = [];
    batch.onStateChange((e) => events.push(e));

    const submitted = await rest('/v1/submitjob', { jobName: 'nightly', jobQueue: 'q', jobDefinition: 'd' });
    const jobId = String(submitted.body.jobId);
    batch.finish(jobId, 0);
    const described = await rest('/v1/describejobs', { jobs: [jobId, 'none'] });

    expect(submitted.body).toEqual({ jobArn: `arn:aws:batch:us-east-1:123456789012:job/${jobId}`, jobName: 'nightly', jobId });
    expect(events.map((e) => [e.source, e['detail-type'], e.detail.status])).toEqual([
      ['aws.batch', 'Batch Job State Change', 'RUNNABLE'],
      ['aws.batch', 'Batch Job State Change', 'RUNNING'],
      ['aws.batch', 'Batch Job State Change', 'SUCCEEDED'],
    ]);
    expect(events[2]!.resources).toEqual([`arn:aws:batch:us-east-1:123456789012:job/${jobId}`]);
    expect((described.body.jobs as { jobId: string; status: string; jobDefinition: string; container: unknown }[]).map((j) => [j.jobId, j.status, j.jobDefinition, j.container])).toEqual([
      [jobId, 'SUCCEEDED', 'arn:aws:batch:us-east-1:123456789012:job-definition/d:1', { command: [], exitCode: 0 }],
    ]);
  });

  it('answers errors as Batch does, in the x-amzn-errortype header', async () => {
    expect(await rest('/v1/submitjob', { jobName: 'n', jobDefinition: 'd' })).toEqual({ status: 400, errorType: 'ClientException', body: { message: 'jobQueue is required.' } });
    expect(await rest('/v1/terminatejob', { jobId: 'none', reason: 'r' })).toEqual({ status: 400, errorType: 'ClientException', body: { message: 'Job none not found.' } });
    expect((await rest('/v1/listjobs', {})).errorType).toBe('UnknownOperationException');
  });

  it('records who signed a request: the REST-JSON client signs for the batch service', async () => {
    const mod = restJsonClientPackage('BatchClient', 'Batch') as Record<string, new (input: unknown) => { send(c: unknown): Promise<Record<string, unknown>> }>;
    const client = new mod.BatchClient!({ endpoint: batch.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });

    const answer = await client.send(new mod.DescribeJobsCommand!({ jobs: [] }));

    expect(answer).toEqual({ $metadata: { httpStatusCode: 200, requestId: expect.any(String) }, jobs: [] });
    expect(batch.requests.at(-1)).toEqual({ action: 'DescribeJobs', input: { jobs: [] }, signedBy: { accessKeyId: 'AKID', region: 'eu-west-1', service: 'batch' } });
  });
});

describe('the Glue stand-in', () => {
  it('starts a run, gets it, and emits its end as a "Glue Job State Change" event; BatchStopJobRun stops a running one', async () => {
    const events: GlueJobStateChange[] = [];
    glue.onStateChange((e) => events.push(e));

    const done = String((await target('StartJobRun', { JobName: 'etl' })).body.JobRunId);
    glue.finish(done, 'Out of memory');
    const running = String((await target('StartJobRun', { JobName: 'etl' })).body.JobRunId);
    const stopped = await target('BatchStopJobRun', { JobName: 'etl', JobRunIds: [running, done] });
    const got = await target('GetJobRun', { JobName: 'etl', RunId: done });

    expect(done).toMatch(/^jr_[0-9a-f]{64}$/);
    expect(events.map((e) => [e.source, e['detail-type'], e.detail.state, e.detail.severity, e.detail.jobRunId])).toEqual([
      ['aws.glue', 'Glue Job State Change', 'FAILED', 'ERROR', done],
      ['aws.glue', 'Glue Job State Change', 'STOPPED', 'INFO', running],
    ]);
    expect(stopped.body).toEqual({
      SuccessfulSubmissions: [{ JobName: 'etl', JobRunId: running }],
      Errors: [{ JobName: 'etl', JobRunId: done, ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: `Job Run ${done} is not running` } }],
    });
    expect((got.body.JobRun as { JobRunState: string; ErrorMessage: string })).toMatchObject({ JobRunState: 'FAILED', ErrorMessage: 'Out of memory' });
  });

  it('answers errors as Glue does, in __type', async () => {
    expect(await target('StartJobRun', { JobName: 'missing' })).toEqual({ status: 400, body: { __type: 'EntityNotFoundException', message: 'Cannot find job missing' } });
    expect(await target('GetJobRun', { JobName: 'etl', RunId: 'jr_none' })).toEqual({ status: 400, body: { __type: 'EntityNotFoundException', message: 'Job Run Id jr_none not found' } });
  });
});
