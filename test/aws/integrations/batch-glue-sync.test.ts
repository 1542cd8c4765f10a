/**
 * batch:submitJob and glue:startJobRun in-process, on fake client packages
 * (neither @aws-sdk/client-batch nor @aws-sdk/client-glue is installed):
 * request-response results as Step Functions shapes them, and `.sync` tasks
 * completed by the "Batch Job State Change" / "Glue Job State Change" event
 * of the job's end, with the job as DescribeJobs / GetJobRun describe it.
 */
import { SdkTaskRunner } from '../../../lib/aws/integrations/sdk-runner';
import type { ClientModule } from '../../../lib/aws/integrations/clients';
import type { HistoryEvent } from '../../../lib/local/api';
import { LocalRuntime } from '../../../lib/local/runtime';

/** A package whose client answers each command from `answers` and records what was sent. */
function fakePackage(serviceId: string, answers: Record<string, (input: Record<string, unknown>) => unknown>) {
  const sent: { command: string; input: unknown }[] = [];
  class Client {
    readonly config = { serviceId };
    async send(command: { command: string; input: Record<string, unknown> }) {
      sent.push({ command: command.command, input: command.input });
      return { $metadata: { httpStatusCode: 200, requestId: 'R1' }, ...(answers[command.command]!(command.input) as object) };
    }
    destroy() {}
  }
  const module: Record<string, unknown> = { [`${serviceId}Client`]: Client };
  for (const command of Object.keys(answers)) {
    module[`${command}Command`] = class {
      readonly command = command;
      readonly middlewareStack = { add: () => undefined };
      constructor(readonly input: unknown) {}
    };
  }
  return { sent, module: module as ClientModule };
}

const jobStatus = new Map<string, string>();
const batch = fakePackage('Batch', {
  SubmitJob: (input) => ({ jobArn: `arn:aws:batch:us-east-1:123456789012:job/${String(input.jobName)}-id`, jobName: input.jobName, jobId: `${String(input.jobName)}-id` }),
  DescribeJobs: (input) => ({ jobs: (input.jobs as string[]).map((jobId) => ({ jobId, jobName: jobId.replace(/-id$/, ''), status: jobStatus.get(jobId) ?? 'RUNNING', statusReason: jobStatus.get(jobId) === 'FAILED' ? 'Essential container in task exited' : undefined })) }),
  TerminateJob: () => ({}),
});
const glue = fakePackage('Glue', {
  StartJobRun: () => ({ JobRunId: 'jr_1' }),
  GetJobRun: (input) => ({ JobRun: { Id: input.RunId, JobName: input.JobName, JobRunState: jobStatus.get(String(input.RunId)) ?? 'RUNNING', Attempt: 0 } }),
  BatchStopJobRun: () => ({ SuccessfulSubmissions: [], Errors: [] }),
});

const runner = new SdkTaskRunner({ load: (name) => (name === '@aws-sdk/client-batch' ? batch.module : glue.module) });
const task = (Resource: string, Parameters: object) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource, Parameters, End: true } } });
const event = (source: string, detailType: string, detail: object) => ({ version: '0', id: 'e1', source, 'detail-type': detailType, account: '123456789012', region: 'us-east-1', time: '2026-12-02T00:00:00Z', resources: [], detail });

/** Starts the definition and waits until its TaskSubmitted is recorded. */
async function submitted(rt: LocalRuntime, definition: object, name: string) {
  const execution = rt.startExecution(definition, { name, stateMachineName: 'jobs' });
  while (!rt.getExecution(execution.executionArn)!.history().some((e) => e.type === 'TaskSubmitted')) await new Promise((r) => setTimeout(r, 5));
  return execution;
}

beforeEach(() => {
  jobStatus.clear();
  batch.sent.length = 0;
  glue.sent.length = 0;
});

describe('batch:submitJob', () => {
  it('request-response: SubmitJob’s response in PascalCase, the parameters sent in Batch’s camelCase', async () => {
    const rt = new LocalRuntime({ timeScale: 0, taskRunner: runner });
    const result = await rt.startExecution(task('arn:aws:states:::batch:submitJob', { JobName: 'nightly', JobQueue: 'q', JobDefinition: 'd:1', ContainerOverrides: { Command: ['run'] } }), { name: 'b1', stateMachineName: 'jobs' }).result;
    expect(result.output).toEqual({
      JobArn: 'arn:aws:batch:us-east-1:123456789012:job/nightly-id', JobName: 'nightly', JobId: 'nightly-id',
      SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: 'R1' },
    });
    expect(batch.sent).toEqual([{ command: 'SubmitJob', input: { jobName: 'nightly', jobQueue: 'q', jobDefinition: 'd:1', containerOverrides: { command: ['run'] } } }]);
  });

  it('.sync: the job’s end event completes the task with the job DescribeJobs describes; FAILED fails it with States.TaskFailed', async () => {
    const rt = new LocalRuntime({ timeScale: 0, taskRunner: runner });
    const ok = await submitted(rt, task('arn:aws:states:::batch:submitJob.sync', { JobName: 'good', JobQueue: 'q', JobDefinition: 'd:1' }), 'b2');
    const bad = await submitted(rt, task('arn:aws:states:::batch:submitJob.sync', { JobName: 'bad', JobQueue: 'q', JobDefinition: 'd:1' }), 'b3');

    jobStatus.set('good-id', 'SUCCEEDED').set('bad-id', 'FAILED');
    const outcomes = [
      await runner.jobs.completeFromEvent(event('aws.batch', 'Batch Job State Change', { jobArn: 'arn:aws:batch:us-east-1:123456789012:job/good-id', jobId: 'good-id', status: 'SUCCEEDED' }), rt),
      await runner.jobs.completeFromEvent(event('aws.batch', 'Batch Job State Change', { jobArn: 'arn:aws:batch:us-east-1:123456789012:job/bad-id', jobId: 'bad-id', status: 'FAILED' }), rt),
    ];
    const [good, failed] = [await ok.result, await bad.result];

    expect(outcomes).toEqual(['completed', 'completed']);
    expect(good.output).toEqual({ JobId: 'good-id', JobName: 'good', Status: 'SUCCEEDED' });
    expect(good.history.map((e: HistoryEvent) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect({ status: failed.status, error: failed.error, cause: failed.cause }).toEqual({ status: 'FAILED', error: 'States.TaskFailed', cause: '{"JobId":"bad-id","JobName":"bad","Status":"FAILED","StatusReason":"Essential container in task exited"}' });
  });

  it('.sync: stopping the execution terminates the job', async () => {
    const rt = new LocalRuntime({ timeScale: 0, taskRunner: runner });
    const execution = await submitted(rt, task('arn:aws:states:::batch:submitJob.sync', { JobName: 'long', JobQueue: 'q', JobDefinition: 'd:1' }), 'b4');
    rt.stopExecution(execution.executionArn);
    await execution.result;
    for (let i = 0; i < 100 && !batch.sent.some((s) => s.command === 'TerminateJob'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(batch.sent.find((s) => s.command === 'TerminateJob')!.input).toEqual({ jobId: 'long-id', reason: 'Stopped by Switchyard: the task that started it was stopped' });
  });
});

describe('glue:startJobRun', () => {
  it('request-response: the JobName of the request inserted before JobRunId, as Step Functions does', async () => {
    const rt = new LocalRuntime({ timeScale: 0, taskRunner: runner });
    const result = await rt.startExecution(task('arn:aws:states:::glue:startJobRun', { JobName: 'etl', Arguments: { '--day': '1' } }), { name: 'g1', stateMachineName: 'jobs' }).result;
    expect(result.output).toEqual({ JobName: 'etl', JobRunId: 'jr_1', SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: 'R1' } });
    expect(Object.keys(result.output as object)[0]).toBe('JobName');
    expect(glue.sent).toEqual([{ command: 'StartJobRun', input: { JobName: 'etl', Arguments: { '--day': '1' } } }]);
  });

  it('.sync: the run’s end event completes the task with GetJobRun’s JobRun', async () => {
    const rt = new LocalRuntime({ timeScale: 0, taskRunner: runner });
    const execution = await submitted(rt, task('arn:aws:states:::glue:startJobRun.sync', { JobName: 'etl' }), 'g2');
    jobStatus.set('jr_1', 'SUCCEEDED');
    expect(await runner.jobs.completeFromEvent(event('aws.glue', 'Glue Job State Change', { jobName: 'etl', jobRunId: 'jr_1', state: 'SUCCEEDED', severity: 'INFO' }), rt)).toBe('completed');
    expect((await execution.result).output).toEqual({ Id: 'jr_1', JobName: 'etl', JobRunState: 'SUCCEEDED', Attempt: 0 });
    expect(glue.sent.map((s) => s.command)).toEqual(['StartJobRun', 'GetJobRun']);
  });
});
