/**
 * ecs:runTask.sync through the cloud driver on dynalite and fauxqs, as
 * deployed: the transition function submits the ECS task (the stand-in's)
 * and records its wait in the table; the task's "ECS Task State Change"
 * event reaches the schedule function as the construct's rule delivers it,
 * which describes the stopped task and completes the attempt. The history
 * equals the in-process run's, event by event.
 */
import { createScheduleFunctionHandler } from '../../lambda/schedule';
import { SdkTaskRunner } from '../../lib/aws/integrations/sdk-runner';
import type { HistoryEvent } from '../../lib/engine/history';
import { LocalRuntime } from '../../lib/local/runtime';
import { startEcsEndpoint, type EcsEndpoint } from '../../harness/ecs-endpoint';
import { startCloud, startServices, waitForEnd, type CloudFixture, type Services } from '../../harness/fixture';
import { firstDifference } from '../../harness/history-check';

jest.setTimeout(60_000);

const DEFINITION = {
  StartAt: 'Run',
  States: {
    Run: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Parameters: { Cluster: 'jobs', TaskDefinition: 'report:3', 'StartedBy.$': '$.by' }, ResultSelector: { 'status.$': '$.LastStatus', 'exit.$': '$.Containers[0].ExitCode' }, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

let services: Services;
beforeAll(async () => (services = await startServices()));
afterAll(() => services?.stop());

/** Waits until `history()` holds the TaskSubmitted event; the ECS task's ARN from its RunTask response. */
async function submittedTask(history: () => Promise<readonly HistoryEvent[]> | readonly HistoryEvent[]): Promise<string> {
  for (;;) {
    const event = (await history()).find((e) => e.type === 'TaskSubmitted');
    if (event) return (JSON.parse((event.taskSubmittedEventDetails as { output: string }).output) as { Tasks: { TaskArn: string }[] }).Tasks[0]!.TaskArn;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The in-process run of the definition on a stand-in of its own (its ids count from 1, as the cloud's does). */
async function inProcess(exitCode: number): Promise<readonly HistoryEvent[]> {
  const ecs = await startEcsEndpoint('us-east-1', '123456789012', { sequentialIds: true });
  const runner = new SdkTaskRunner({ region: 'us-east-1', endpoints: { ecs: ecs.url }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const rt = new LocalRuntime({ timeScale: 0, taskRunner: runner });
  runner.jobs.attach({ tokens: rt });
  ecs.onStateChange((event) => void runner.jobs.completeFromEvent(event, rt));
  try {
    const execution = rt.startExecution(DEFINITION, { name: 'e1', stateMachineName: 'reports', input: { by: 'nightly' } });
    ecs.finish(await submittedTask(() => rt.getExecution(execution.executionArn)!.history()), exitCode);
    return (await execution.result).history;
  } finally {
    runner.destroy();
    await ecs.close();
  }
}

describe('ecs:runTask.sync through the cloud driver', () => {
  let ecs: EcsEndpoint;
  let fx: CloudFixture;
  beforeEach(async () => {
    ecs = await startEcsEndpoint('us-east-1', '123456789012', { sequentialIds: true });
    fx = await startCloud(new Map(), { services, endpoints: { ecs: ecs.url } });
    // The construct's rule: the task's state changes, to the schedule function, as {"switchyardJobEvent": <event>}.
    const scheduleFunction = createScheduleFunctionHandler(fx.cloud, {});
    ecs.onStateChange((event) => void scheduleFunction({ switchyardJobEvent: event as never }).catch(() => undefined));
  });
  afterEach(async () => {
    await fx.stop();
    await ecs.close();
  });

  it('completes the task from the stopped task’s event, with the history of the in-process run', async () => {
    // Arrange
    const d = fx.cloud.driver;
    const machine = await d.putStateMachine('reports', JSON.stringify(DEFINITION), 'arn:aws:iam::123456789012:role/switchyard-local');

    // Act
    const { executionArn } = await d.startExecution(machine.stateMachineArn, { name: 'e1', input: { by: 'nightly' } });
    ecs.finish(await submittedTask(() => fx.observer.driver.getExecutionHistory(executionArn)), 0);
    const done = await waitForEnd(fx.observer, executionArn);

    // Assert
    expect({ status: done.status, output: done.output }).toEqual({ status: 'SUCCEEDED', output: { status: 'STOPPED', exit: 0 } });
    // Described once its wait was written (still running), then once its stopped event came.
    expect(ecs.requests.map((r) => r.action)).toEqual(['RunTask', 'DescribeTasks', 'DescribeTasks']);
    expect(ecs.requests[0]!.input).toEqual({ cluster: 'jobs', taskDefinition: 'report:3', startedBy: 'nightly', clientToken: expect.any(String) });
    const history = await fx.observer.driver.getExecutionHistory(executionArn);
    expect(firstDifference(history, await inProcess(0))).toBeUndefined();
  });

  it('stops the ECS task when the execution is stopped', async () => {
    const d = fx.cloud.driver;
    const machine = await d.putStateMachine('reports', JSON.stringify(DEFINITION), 'arn:aws:iam::123456789012:role/switchyard-local');
    const { executionArn } = await d.startExecution(machine.stateMachineArn, { name: 'e2', input: { by: 'nightly' } });
    const taskArn = await submittedTask(() => fx.observer.driver.getExecutionHistory(executionArn));

    await d.stopExecution(executionArn);
    for (let i = 0; i < 200 && ecs.tasks.get(taskArn)!.lastStatus !== 'STOPPED'; i++) await new Promise((r) => setTimeout(r, 25));

    expect((await waitForEnd(fx.observer, executionArn)).status).toBe('ABORTED');
    expect(ecs.requests.find((r) => r.action === 'StopTask')!.input).toEqual({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs', task: taskArn, reason: 'Stopped by Switchyard: the task that started it was stopped' });
    expect(ecs.tasks.get(taskArn)!.stopCode).toBe('UserInitiated');
  });
});
