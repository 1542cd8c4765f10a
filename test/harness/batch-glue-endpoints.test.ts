/**
 * The Batch and Glue stand-ins, spoken to by @aws-sdk/client-batch and
 * @aws-sdk/client-glue themselves: Batch in REST-JSON (`POST /v1/<action>`,
 * errors in `x-amzn-ErrorType`), Glue in JSON 1.1 (X-Amz-Target
 * `AWSGlue.<Action>`, errors in `__type`, timestamps as epoch seconds, which
 * the client makes Dates); each status change of a job is the state-change
 * event an EventBridge rule delivers; requests are recorded with the SigV4
 * signer they name.
 */
import { BatchClient, DescribeJobsCommand, ListJobsCommand, SubmitJobCommand, TerminateJobCommand } from '@aws-sdk/client-batch';
import { BatchStopJobRunCommand, GetJobRunCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { startBatchEndpoint, type BatchEndpoint, type BatchJobStateChange } from '../../harness/batch-endpoint';
import { startGlueEndpoint, type GlueEndpoint, type GlueJobStateChange } from '../../harness/glue-endpoint';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let batch: BatchEndpoint;
let glue: GlueEndpoint;
let batchClient: BatchClient;
let glueClient: GlueClient;
beforeAll(async () => {
  batch = await startBatchEndpoint();
  glue = await startGlueEndpoint();
  batchClient = new BatchClient({ region: 'us-east-1', endpoint: batch.url, credentials, maxAttempts: 1 });
  glueClient = new GlueClient({ region: 'us-east-1', endpoint: glue.url, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  batchClient.destroy();
  glueClient.destroy();
  await batch.close();
  await glue.close();
});

describe('the Batch stand-in', () => {
  it('submits a job at POST /v1/submitjob, describes it, and emits RUNNABLE, RUNNING and SUCCEEDED as "Batch Job State Change" events', async () => {
    const events: BatchJobStateChange[] = [];
    batch.onStateChange((e) => events.push(e));

    const submitted = await batchClient.send(new SubmitJobCommand({ jobName: 'nightly', jobQueue: 'q', jobDefinition: 'd', parameters: { Day: '1' } }));
    const jobId = submitted.jobId!;
    batch.finish(jobId, 0);
    const described = await batchClient.send(new DescribeJobsCommand({ jobs: [jobId, 'none'] }));

    const { $metadata, ...output } = submitted;
    expect($metadata.httpStatusCode).toBe(200);
    expect(output).toEqual({ jobArn: `arn:aws:batch:us-east-1:123456789012:job/${jobId}`, jobName: 'nightly', jobId });
    expect(events.map((e) => [e.source, e['detail-type'], e.detail.status])).toEqual([
      ['aws.batch', 'Batch Job State Change', 'RUNNABLE'],
      ['aws.batch', 'Batch Job State Change', 'RUNNING'],
      ['aws.batch', 'Batch Job State Change', 'SUCCEEDED'],
    ]);
    expect(events[2]!.resources).toEqual([`arn:aws:batch:us-east-1:123456789012:job/${jobId}`]);
    expect(described.jobs!.map((j) => [j.jobId, j.status, j.jobDefinition, j.container, j.parameters])).toEqual([
      [jobId, 'SUCCEEDED', 'arn:aws:batch:us-east-1:123456789012:job-definition/d:1', { command: [], exitCode: 0 }, { Day: '1' }],
    ]);
    // Batch's times are epoch milliseconds (longs, not timestamps): the client leaves them numbers.
    expect(typeof described.jobs![0]!.createdAt).toBe('number');
  });

  it('answers errors as Batch does, in the x-amzn-ErrorType header, which the client throws by name', async () => {
    await expect(batchClient.send(new SubmitJobCommand({ jobName: 'n', jobDefinition: 'd' } as never))).rejects.toMatchObject({ name: 'ClientException', message: 'jobQueue is required.', $metadata: { httpStatusCode: 400 } });
    await expect(batchClient.send(new TerminateJobCommand({ jobId: 'none', reason: 'r' }))).rejects.toMatchObject({ name: 'ClientException', message: 'Job none not found.' });
    await expect(batchClient.send(new ListJobsCommand({ jobQueue: 'q' }))).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });

  it('records who signed a request: the client signs for the batch service', async () => {
    const client = new BatchClient({ endpoint: batch.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });

    const answer = await client.send(new DescribeJobsCommand({ jobs: [] }));
    client.destroy();

    expect(answer).toEqual({ $metadata: expect.objectContaining({ httpStatusCode: 200, requestId: expect.any(String) }), jobs: [] });
    expect(batch.requests.at(-1)).toEqual({ action: 'DescribeJobs', input: { jobs: [] }, signedBy: { accessKeyId: 'AKID', region: 'eu-west-1', service: 'batch' } });
  });
});

describe('the Glue stand-in', () => {
  it('starts a run, gets it, and emits its end as a "Glue Job State Change" event; BatchStopJobRun stops a running one', async () => {
    const events: GlueJobStateChange[] = [];
    glue.onStateChange((e) => events.push(e));

    const done = (await glueClient.send(new StartJobRunCommand({ JobName: 'etl' }))).JobRunId!;
    glue.finish(done, 'Out of memory');
    const running = (await glueClient.send(new StartJobRunCommand({ JobName: 'etl' }))).JobRunId!;
    const stopped = await glueClient.send(new BatchStopJobRunCommand({ JobName: 'etl', JobRunIds: [running, done] }));
    const got = await glueClient.send(new GetJobRunCommand({ JobName: 'etl', RunId: done }));

    expect(done).toMatch(/^jr_[0-9a-f]{64}$/);
    expect(events.map((e) => [e.source, e['detail-type'], e.detail.state, e.detail.severity, e.detail.jobRunId])).toEqual([
      ['aws.glue', 'Glue Job State Change', 'FAILED', 'ERROR', done],
      ['aws.glue', 'Glue Job State Change', 'STOPPED', 'INFO', running],
    ]);
    expect({ SuccessfulSubmissions: stopped.SuccessfulSubmissions, Errors: stopped.Errors }).toEqual({
      SuccessfulSubmissions: [{ JobName: 'etl', JobRunId: running }],
      Errors: [{ JobName: 'etl', JobRunId: done, ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: `Job Run ${done} is not running` } }],
    });
    expect(got.JobRun).toMatchObject({ JobRunState: 'FAILED', ErrorMessage: 'Out of memory' });
    // Epoch seconds on the wire, Dates from the client.
    expect(got.JobRun!.StartedOn).toBeInstanceOf(Date);
    expect(got.JobRun!.CompletedOn!.getTime()).toBeGreaterThanOrEqual(got.JobRun!.StartedOn!.getTime());
  });

  it('answers errors as Glue does, in __type, which the client throws by name', async () => {
    await expect(glueClient.send(new StartJobRunCommand({ JobName: 'missing' }))).rejects.toMatchObject({ name: 'EntityNotFoundException', message: 'Cannot find job missing', $metadata: { httpStatusCode: 400 } });
    await expect(glueClient.send(new GetJobRunCommand({ JobName: 'etl', RunId: 'jr_none' }))).rejects.toMatchObject({ name: 'EntityNotFoundException', message: 'Job Run Id jr_none not found' });
  });
});
