/**
 * `switchyard serve --endpoint-url batch=URL --endpoint-url glue=URL` runs
 * batch:submitJob.sync and glue:startJobRun.sync against the Batch and Glue
 * stand-ins; their state-change events, POSTed to the server's /events as an
 * EventBridge rule would deliver them, complete the tasks. With `--data` a
 * task's wait for its job is kept in the journal: a server restarted while
 * the job runs still completes the task from the job's end event, and still
 * stops the job when the execution is stopped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveCommand } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/server';
import { startBatchEndpoint, type BatchEndpoint } from '../../harness/batch-endpoint';
import { startGlueEndpoint, type GlueEndpoint } from '../../harness/glue-endpoint';

jest.setTimeout(30_000);

const BATCH = { Type: 'Task', Resource: 'arn:aws:states:::batch:submitJob.sync', Parameters: { JobName: 'nightly', JobQueue: 'q', JobDefinition: 'd:1' }, ResultSelector: { 'status.$': '$.Status' }, End: true };
const GLUE = { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: 'etl' }, ResultSelector: { 'state.$': '$.JobRunState' }, End: true };
const JOB_ID = '00000000-0000-0000-0000-000000000001';
const RUN_ID = `jr_${'1'.padStart(64, '0')}`;

let batch: BatchEndpoint;
let glue: GlueEndpoint;
let server: LocalServer | undefined;
let cwd: string;
const answers: unknown[] = [];
let posting = Promise.resolve();
const saved = { ...process.env };

const serve = (data: boolean) =>
  serveCommand({ port: '0', quiet: true, 'endpoint-url': [`batch=${batch.url}`, `glue=${glue.url}`], ...(data ? { data: 'data' } : {}) }, { stdout: () => undefined, stderr: () => undefined, cwd });

beforeEach(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' });
  batch = await startBatchEndpoint('us-east-1', '123456789012', { sequentialIds: true });
  glue = await startGlueEndpoint('us-east-1', '123456789012', { sequentialIds: true });
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-batch-glue-'));
  answers.length = 0;
  // The stand-ins' events to whichever server runs now, in order.
  const post = (event: unknown) => {
    posting = posting.then(async () => void answers.push(await (await fetch(`${server!.url}/events`, { method: 'POST', body: JSON.stringify(event) })).json()));
  };
  batch.onStateChange(post);
  glue.onStateChange(post);
});
afterEach(async () => {
  await posting;
  process.env = saved;
  await server?.close();
  server = undefined;
  await batch.close();
  await glue.close();
});

async function start(definition: object): Promise<string> {
  const machine = await server!.driver.putStateMachine('jobs', JSON.stringify({ StartAt: 'T', States: { T: definition } }));
  const { executionArn } = await server!.driver.startExecution(machine.stateMachineArn, { input: {} });
  while (!(await server!.driver.getExecutionHistory(executionArn)).some((e) => e.type === 'TaskSubmitted')) await new Promise((r) => setTimeout(r, 10));
  return executionArn;
}

async function ended(executionArn: string) {
  let record = await server!.driver.describeExecution(executionArn);
  while (record.status === 'RUNNING') {
    await new Promise((r) => setTimeout(r, 10));
    record = await server!.driver.describeExecution(executionArn);
  }
  return record;
}

it('completes a Batch job’s task from its SUCCEEDED event POSTed to /events', async () => {
  server = await serve(false);
  const executionArn = await start(BATCH);

  batch.finish(JOB_ID, 0);
  const record = await ended(executionArn);
  await posting;

  expect({ status: record.status, output: record.output }).toEqual({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
  // RUNNABLE (sent as it was submitted, before its wait), RUNNING, SUCCEEDED.
  expect(answers).toEqual([{ started: [] }, { started: [] }, { started: [], jobs: ['completed'] }]);
});

describe('serve --data', () => {
  it('keeps a task’s wait for its Glue job run across a restart: the run’s end event completes it', async () => {
    // Arrange
    server = await serve(true);
    const executionArn = await start(GLUE);
    await server.close();

    // Act
    server = await serve(true);
    glue.finish(RUN_ID);
    const record = await ended(executionArn);
    await posting;

    // Assert
    expect({ status: record.status, output: record.output }).toEqual({ status: 'SUCCEEDED', output: { state: 'SUCCEEDED' } });
    expect(answers).toEqual([{ started: [], jobs: ['completed'] }]);
    expect(glue.requests.map((r) => r.action)).toEqual(['StartJobRun', 'GetJobRun', 'GetJobRun']);
  });

  it('stops a Batch job submitted before a restart when its execution is stopped', async () => {
    server = await serve(true);
    const executionArn = await start(BATCH);
    await server.close();

    server = await serve(true);
    await server.driver.stopExecution(executionArn);
    for (let i = 0; i < 200 && !batch.requests.some((r) => r.action === 'TerminateJob'); i++) await new Promise((r) => setTimeout(r, 10));

    expect((await ended(executionArn)).status).toBe('ABORTED');
    expect(batch.requests.find((r) => r.action === 'TerminateJob')!.input).toEqual({ jobId: JOB_ID, reason: 'Stopped by Switchyard: the task that started it was stopped' });
  });
});
