/**
 * batch:submitJob.sync and glue:startJobRun.sync through the cloud driver on
 * dynalite and fauxqs, as deployed: the transition function submits the job
 * to the Batch or Glue stand-in and records its wait in the table; the job's
 * "Batch Job State Change" / "Glue Job State Change" event reaches the
 * schedule function as the construct's rule delivers it, which describes the
 * ended job and completes the attempt. The history equals the in-process
 * run's, event by event. A job that ends before its wait is written
 * completes the task at once; stopping the execution stops the job.
 */
import { createScheduleFunctionHandler } from '../../lambda/schedule';
import { SdkTaskRunner } from '../../lib/aws/integrations/sdk-runner';
import type { HistoryEvent } from '../../lib/engine/history';
import { LocalRuntime } from '../../lib/local/runtime';
import { startBatchEndpoint, type BatchEndpoint } from '../../harness/batch-endpoint';
import { startGlueEndpoint, type GlueEndpoint } from '../../harness/glue-endpoint';
import { startCloud, startServices, waitForEnd, type CloudFixture, type Services } from '../../harness/fixture';
import { firstDifference } from '../../harness/history-check';

jest.setTimeout(60_000);

/** A Batch job, then a Glue job run over its output. */
const DEFINITION = {
  StartAt: 'Compute',
  States: {
    Compute: { Type: 'Task', Resource: 'arn:aws:states:::batch:submitJob.sync', Parameters: { JobName: 'nightly', JobQueue: 'q', JobDefinition: 'd:1', 'Parameters.$': '$.args' }, ResultSelector: { 'status.$': '$.Status', 'exit.$': '$.Container.ExitCode' }, ResultPath: '$.compute', Next: 'Load' },
    Load: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: 'etl', Arguments: { '--day': '1' } }, ResultSelector: { 'state.$': '$.JobRunState', 'run.$': '$.Id' }, ResultPath: '$.load', End: true },
  },
};
const JOB_ID = '00000000-0000-0000-0000-000000000001';
const RUN_ID = `jr_${'1'.padStart(64, '0')}`;
const INPUT = { args: { day: '1' } };

let services: Services;
beforeAll(async () => (services = await startServices()));
afterAll(() => services?.stop());

/** Waits until `history()` holds `count` TaskSubmitted events. */
async function submissions(history: () => Promise<readonly HistoryEvent[]> | readonly HistoryEvent[], count: number): Promise<void> {
  while ((await history()).filter((e) => e.type === 'TaskSubmitted').length < count) await new Promise((r) => setTimeout(r, 20));
}

/** The in-process run of the definition on stand-ins of its own (their ids count from 1, as the cloud's do). */
async function inProcess(): Promise<readonly HistoryEvent[]> {
  const batch = await startBatchEndpoint('us-east-1', '123456789012', { sequentialIds: true });
  const glue = await startGlueEndpoint('us-east-1', '123456789012', { sequentialIds: true });
  const runner = new SdkTaskRunner({ region: 'us-east-1', endpoints: { batch: batch.url, glue: glue.url }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const rt = new LocalRuntime({ timeScale: 0, taskRunner: runner });
  runner.jobs.attach({ tokens: rt });
  batch.onStateChange((event) => void runner.jobs.completeFromEvent(event, rt));
  glue.onStateChange((event) => void runner.jobs.completeFromEvent(event, rt));
  try {
    const execution = rt.startExecution(DEFINITION, { name: 'e1', stateMachineName: 'nightly', input: INPUT });
    const history = () => rt.getExecution(execution.executionArn)!.history();
    await submissions(history, 1);
    batch.finish(JOB_ID, 0);
    await submissions(history, 2);
    glue.finish(RUN_ID);
    return (await execution.result).history;
  } finally {
    runner.destroy();
    await batch.close();
    await glue.close();
  }
}

describe('batch:submitJob.sync and glue:startJobRun.sync through the cloud driver', () => {
  let batch: BatchEndpoint;
  let glue: GlueEndpoint;
  let fx: CloudFixture;
  const outcomes: unknown[] = [];
  beforeEach(async () => {
    batch = await startBatchEndpoint('us-east-1', '123456789012', { sequentialIds: true });
    glue = await startGlueEndpoint('us-east-1', '123456789012', { sequentialIds: true });
    fx = await startCloud(new Map(), { services, endpoints: { batch: batch.url, glue: glue.url } });
    outcomes.length = 0;
    // The construct's rules: the jobs' state changes, to the schedule function, as {"switchyardJobEvent": <event>}.
    const scheduleFunction = createScheduleFunctionHandler(fx.cloud, {});
    const deliver = (event: unknown) => void scheduleFunction({ switchyardJobEvent: event as never }).then((r) => outcomes.push(r), () => undefined);
    batch.onStateChange(deliver);
    glue.onStateChange(deliver);
  });
  afterEach(async () => {
    await fx.stop();
    await batch.close();
    await glue.close();
  });

  const start = async (name: string) => {
    const d = fx.cloud.driver;
    const machine = await d.putStateMachine('nightly', JSON.stringify(DEFINITION), 'arn:aws:iam::123456789012:role/switchyard-local');
    return (await d.startExecution(machine.stateMachineArn, { name, input: INPUT })).executionArn;
  };

  it('completes each task from its job’s end event, with the history of the in-process run', async () => {
    // Act
    const executionArn = await start('e1');
    const history = () => fx.observer.driver.getExecutionHistory(executionArn);
    await submissions(history, 1);
    batch.finish(JOB_ID, 0);
    await submissions(history, 2);
    glue.finish(RUN_ID);
    const done = await waitForEnd(fx.observer, executionArn);

    // Assert
    expect({ status: done.status, output: done.output }).toEqual({ status: 'SUCCEEDED', output: { ...INPUT, compute: { status: 'SUCCEEDED', exit: 0 }, load: { state: 'SUCCEEDED', run: RUN_ID } } });
    expect(batch.requests.map((r) => [r.action, r.input])).toEqual([
      ['SubmitJob', { jobName: 'nightly', jobQueue: 'q', jobDefinition: 'd:1', parameters: { day: '1' } }],
      ['DescribeJobs', { jobs: [JOB_ID] }],
      ['DescribeJobs', { jobs: [JOB_ID] }],
    ]);
    expect(glue.requests.map((r) => r.action)).toEqual(['StartJobRun', 'GetJobRun', 'GetJobRun']);
    expect(outcomes.filter((o) => (o as { job: string }).job === 'completed')).toHaveLength(2);
    expect(firstDifference(await history(), await inProcess())).toBeUndefined();
  });

  it('stops the Batch job when the execution is stopped', async () => {
    const executionArn = await start('e2');
    await submissions(() => fx.observer.driver.getExecutionHistory(executionArn), 1);

    await fx.cloud.driver.stopExecution(executionArn);
    for (let i = 0; i < 200 && batch.jobs.get(JOB_ID)!.status !== 'FAILED'; i++) await new Promise((r) => setTimeout(r, 25));

    expect((await waitForEnd(fx.observer, executionArn)).status).toBe('ABORTED');
    expect(batch.requests.find((r) => r.action === 'TerminateJob')!.input).toEqual({ jobId: JOB_ID, reason: 'Stopped by Switchyard: the task that started it was stopped' });
  });

  describe('jobs that end before their waits are written', () => {
    it('complete their tasks at once, though their end events found no wait', async () => {
      batch.endAtOnce = true;
      glue.endAtOnce = true;

      const executionArn = await start('e3');
      const done = await waitForEnd(fx.observer, executionArn);

      expect({ status: done.status, output: done.output }).toEqual({ status: 'SUCCEEDED', output: { ...INPUT, compute: { status: 'SUCCEEDED', exit: 0 }, load: { state: 'SUCCEEDED', run: RUN_ID } } });
      const types = (await fx.observer.driver.getExecutionHistory(executionArn)).map((e) => e.type);
      expect(types.filter((t) => t === 'TaskSubmitted' || t === 'TaskSucceeded')).toEqual(['TaskSubmitted', 'TaskSucceeded', 'TaskSubmitted', 'TaskSucceeded']);
      // The Batch job's SUCCEEDED event came before its wait was written.
      expect(batch.requests.map((r) => r.action)).toEqual(['SubmitJob', 'DescribeJobs']);
    });
  });
});
