/**
 * ecs:runTask.sync in-process (LocalRuntime) against the ECS stand-in: the
 * task waits until the ECS task stops, completed by the stand-in's "ECS Task
 * State Change" events; its result is the stopped task as DescribeTasks
 * describes it; a non-zero exit fails it with States.TaskFailed; stopping the
 * execution stops the ECS task. The runner loads the real @aws-sdk/client-ecs.
 */
import { SdkTaskRunner } from '../../../lib/aws/integrations/sdk-runner';
import { JobEventOutcome } from '../../../lib/aws/integrations/sync-jobs';
import type { HistoryEvent } from '../../../lib/local/api';
import { LocalRuntime } from '../../../lib/local/runtime';
import { startEcsEndpoint, type EcsEndpoint } from '../../../harness/ecs-endpoint';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

const RUN = { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Parameters: { Cluster: 'jobs', TaskDefinition: 'report:3', LaunchType: 'FARGATE' } };
const definition = () => ({ StartAt: 'Run', States: { Run: { ...RUN, End: true } } });
const caught = () => ({ StartAt: 'Run', States: { Run: { ...RUN, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }], End: true }, Caught: { Type: 'Pass', End: true } } });

let ecs: EcsEndpoint;
let runner: SdkTaskRunner;
let rt: LocalRuntime;
const outcomes: JobEventOutcome[] = [];

beforeEach(async () => {
  ecs = await startEcsEndpoint('us-east-1', '123456789012', { sequentialIds: true });
  runner = new SdkTaskRunner({ region: 'us-east-1', endpoints: { ecs: ecs.url }, credentials });
  rt = new LocalRuntime({ timeScale: 0, taskRunner: runner });
  outcomes.length = 0;
  // What an EventBridge rule on aws.ecs would deliver.
  ecs.onStateChange((event) => void runner.jobs.completeFromEvent(event, rt).then((o) => outcomes.push(o)));
});
afterEach(async () => {
  runner.destroy();
  await ecs.close();
});

/** Waits until the execution has recorded its TaskSubmitted (the ECS task is running then). */
async function submitted(executionArn: string): Promise<string> {
  for (;;) {
    const event = rt.getExecution(executionArn)?.history().find((e) => e.type === 'TaskSubmitted');
    if (event) return (JSON.parse((event.taskSubmittedEventDetails as { output: string }).output) as { Tasks: { TaskArn: string }[] }).Tasks[0]!.TaskArn;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/jobs/00000000000000000000000000000001';
/** The stand-in's fixed time (1,700,000,000.123 s on the wire) as the Java client's epoch milliseconds. */
const AT = 1_700_000_000_123;
/** The stopped task as Step Functions gives it: the Java client's object, its members in alphabetical order, its timestamps in epoch milliseconds. */
const stopped = (exitCode: number) => ({
  ClusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs',
  Containers: [{ ExitCode: exitCode, LastStatus: 'STOPPED', Name: 'report' }],
  CreatedAt: AT,
  DesiredStatus: 'STOPPED',
  ExecutionStoppedAt: AT,
  Group: 'family:report',
  LastStatus: 'STOPPED',
  LaunchType: 'FARGATE',
  Overrides: {},
  PullStartedAt: AT,
  PullStoppedAt: AT,
  StartedAt: AT,
  StopCode: 'EssentialContainerExited',
  StoppedAt: AT,
  StoppedReason: 'Essential container in task exited',
  StoppingAt: AT,
  TaskArn: TASK_ARN,
  TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/report:3',
});

describe('ecs:runTask.sync in-process', () => {
  it('waits for the task to stop and returns it as DescribeTasks describes it, the RunTask response in TaskSubmitted', async () => {
    // Arrange
    const execution = rt.startExecution(definition(), { name: 'e1', stateMachineName: 'm' });

    // Act
    const taskArn = await submitted(execution.executionArn);
    ecs.finish(taskArn, 0);
    const result = await execution.result;

    // Assert
    expect(taskArn).toBe(TASK_ARN);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(stopped(0));
    expect(result.history.map((e: HistoryEvent) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    const details = result.history[4]!.taskSubmittedEventDetails as { resource: string; resourceType: string; output: string };
    expect({ resource: details.resource, resourceType: details.resourceType }).toEqual({ resource: 'runTask.sync', resourceType: 'ecs' });
    const submittedOutput = JSON.parse(details.output) as { SdkHttpMetadata: unknown; Tasks: object[] };
    expect(Object.keys(submittedOutput)).toEqual(['Failures', 'SdkHttpMetadata', 'SdkResponseMetadata', 'Tasks']);
    const headers = { Connection: 'keep-alive', 'Content-Length': '461', 'Content-Type': 'application/x-amz-json-1.1', Date: 'Tue, 14 Nov 2023 22:13:20 GMT', 'x-amzn-RequestId': 'request-1' };
    expect(submittedOutput.SdkHttpMetadata).toEqual({ AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: 200 });
    expect(submittedOutput.Tasks[0]).toMatchObject({ CreatedAt: AT, LastStatus: 'PROVISIONING', TaskArn: TASK_ARN });
    expect(ecs.requests.map((r) => r.action)).toEqual(['RunTask', 'DescribeTasks']);
    // The client makes RunTask idempotent with a token of its own.
    expect(ecs.requests[0]!.input).toEqual({ cluster: 'jobs', taskDefinition: 'report:3', launchType: 'FARGATE', clientToken: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) });
    expect(ecs.requests[1]!.input).toEqual({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs', tasks: [TASK_ARN] });
    // The PROVISIONING and RUNNING events are no task's end; the STOPPED one completed the task.
    expect(outcomes).toEqual(['not-a-job-end', 'not-a-job-end', 'completed']);
  });

  it('fails with States.TaskFailed, the stopped task as JSON its cause, when a container exits non-zero; Catch takes it', async () => {
    const execution = rt.startExecution(caught(), { name: 'e2', stateMachineName: 'm' });

    ecs.finish(await submitted(execution.executionArn), 3);
    const result = await execution.result;

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ Error: 'States.TaskFailed', Cause: JSON.stringify(stopped(3)) });
    expect(result.history.find((e: HistoryEvent) => e.type === 'TaskFailed')!.taskFailedEventDetails).toEqual({ resourceType: 'ecs', resource: 'runTask.sync', error: 'States.TaskFailed', cause: JSON.stringify(stopped(3)) });
  });

  it('stops the ECS task when the execution is stopped, and the task’s end then completes nothing', async () => {
    const execution = rt.startExecution(definition(), { name: 'e3', stateMachineName: 'm' });
    const taskArn = await submitted(execution.executionArn);

    rt.stopExecution(execution.executionArn);
    const result = await execution.result;
    for (let i = 0; i < 100 && !ecs.requests.some((r) => r.action === 'StopTask'); i++) await new Promise((r) => setTimeout(r, 5));

    expect(result.status).toBe('ABORTED');
    expect(ecs.requests.find((r) => r.action === 'StopTask')!.input).toEqual({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs', task: taskArn, reason: 'Stopped by Switchyard: the task that started it was stopped' });
    expect(ecs.tasks.get(taskArn)!.stopCode).toBe('UserInitiated');
    expect(outcomes).toEqual(['not-a-job-end', 'not-waited']);
  });
});
