/**
 * The ECS stand-in, spoken to by @aws-sdk/client-ecs itself (JSON 1.1,
 * X-Amz-Target): RunTask starts a task (once per client token), finish stops
 * it, and each status change is the "ECS Task State Change" event an
 * EventBridge rule delivers; timestamps reach the client as Dates and the
 * events as ISO 8601 text; errors are the client's named exceptions.
 */
import { DescribeTasksCommand, ECSClient, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { startEcsEndpoint, type EcsEndpoint, type TaskStateChange } from '../../harness/ecs-endpoint';

let ecs: EcsEndpoint;
let client: ECSClient;
beforeAll(async () => {
  ecs = await startEcsEndpoint();
  client = new ECSClient({ region: 'us-east-1', endpoint: ecs.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await ecs.close();
});

it('runs a task, describes it, and emits its state changes up to STOPPED with the container’s exit code', async () => {
  const events: TaskStateChange[] = [];
  ecs.onStateChange((e) => events.push(e));
  const before = Date.now();
  const run = await client.send(new RunTaskCommand({ cluster: 'jobs', taskDefinition: 'report:3', launchType: 'FARGATE', startedBy: 'switchyard' }));
  expect(run.$metadata.httpStatusCode).toBe(200);
  const task = run.tasks![0]!;
  expect(task).toMatchObject({ lastStatus: 'PROVISIONING', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs', taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/report:3' });
  expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/jobs\/[0-9a-f]{32}$/);
  // Epoch seconds on the wire, a Date from the client, to the millisecond.
  expect(task.createdAt).toBeInstanceOf(Date);
  expect(task.createdAt!.getTime()).toBeGreaterThanOrEqual(before - 1);

  ecs.finish(task.taskArn!, 3);
  expect(events.map((e) => [e.source, e['detail-type'], e.detail.lastStatus])).toEqual([
    ['aws.ecs', 'ECS Task State Change', 'PROVISIONING'],
    ['aws.ecs', 'ECS Task State Change', 'RUNNING'],
    ['aws.ecs', 'ECS Task State Change', 'STOPPED'],
  ]);
  expect(events[2]!.detail).toMatchObject({ stopCode: 'EssentialContainerExited', startedBy: 'switchyard', containers: [{ name: 'report', lastStatus: 'STOPPED', exitCode: 3 }] });
  expect(events[2]!.detail.createdAt).toBe(task.createdAt!.toISOString());
  expect(events[2]!.detail.stoppedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(events[2]!.resources).toEqual([task.taskArn]);
  const described = await client.send(new DescribeTasksCommand({ cluster: 'jobs', tasks: [task.taskArn!, 'arn:aws:ecs:us-east-1:123456789012:task/jobs/none'] }));
  expect(described.tasks!.map((t) => [t.lastStatus, t.stoppedAt?.toISOString()])).toEqual([['STOPPED', events[2]!.detail.stoppedAt]]);
  expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:task/jobs/none', reason: 'MISSING' }]);
});

it('starts one task for a client token sent twice, as ECS does for a retried RunTask', async () => {
  const first = await client.send(new RunTaskCommand({ cluster: 'jobs', taskDefinition: 'report', clientToken: 'token-1' }));
  const again = await client.send(new RunTaskCommand({ cluster: 'jobs', taskDefinition: 'report', clientToken: 'token-1' }));
  const other = await client.send(new RunTaskCommand({ cluster: 'jobs', taskDefinition: 'report' }));

  expect(again.tasks![0]!.taskArn).toBe(first.tasks![0]!.taskArn);
  expect(other.tasks![0]!.taskArn).not.toBe(first.tasks![0]!.taskArn);
  expect(ecs.requests.at(-1)!.input.clientToken).toEqual(expect.any(String));
});

it('answers errors as ECS does, which the client throws by name: a missing cluster, a task to stop that does not exist', async () => {
  await expect(client.send(new RunTaskCommand({ cluster: 'missing', taskDefinition: 'report' }))).rejects.toMatchObject({ name: 'ClusterNotFoundException', message: 'Cluster not found.', $metadata: { httpStatusCode: 400 } });
  await expect(client.send(new StopTaskCommand({ task: 'nope' }))).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'The referenced task was not found.', $fault: 'client' });
});
