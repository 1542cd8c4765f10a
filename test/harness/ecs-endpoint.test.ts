/**
 * The ECS stand-in, spoken to as @aws-sdk/client-ecs speaks (JSON 1.1,
 * X-Amz-Target): RunTask starts a task, finish stops it, and each status
 * change is the "ECS Task State Change" event an EventBridge rule delivers.
 */
import { startEcsEndpoint, type EcsEndpoint, type TaskStateChange } from '../../harness/ecs-endpoint';

let ecs: EcsEndpoint;
beforeAll(async () => (ecs = await startEcsEndpoint()));
afterAll(() => ecs.close());

const call = async (action: string, input: unknown) => {
  const response = await fetch(ecs.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerServiceV20141113.${action}` }, body: JSON.stringify(input) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

it('runs a task, describes it, and emits its state changes up to STOPPED with the container’s exit code', async () => {
  const events: TaskStateChange[] = [];
  ecs.onStateChange((e) => events.push(e));
  const run = await call('RunTask', { cluster: 'jobs', taskDefinition: 'report:3', launchType: 'FARGATE', startedBy: 'switchyard' });
  expect(run.status).toBe(200);
  const [task] = run.body.tasks as { taskArn: string; lastStatus: string; clusterArn: string; taskDefinitionArn: string }[];
  expect(task).toMatchObject({ lastStatus: 'PROVISIONING', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs', taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/report:3' });
  expect(task!.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/jobs\/[0-9a-f]{32}$/);

  ecs.finish(task!.taskArn, 3);
  expect(events.map((e) => [e.source, e['detail-type'], e.detail.lastStatus])).toEqual([
    ['aws.ecs', 'ECS Task State Change', 'PROVISIONING'],
    ['aws.ecs', 'ECS Task State Change', 'RUNNING'],
    ['aws.ecs', 'ECS Task State Change', 'STOPPED'],
  ]);
  expect(events[2]!.detail).toMatchObject({ stopCode: 'EssentialContainerExited', startedBy: 'switchyard', containers: [{ name: 'report', lastStatus: 'STOPPED', exitCode: 3 }] });
  expect(events[2]!.resources).toEqual([task!.taskArn]);
  const described = await call('DescribeTasks', { cluster: 'jobs', tasks: [task!.taskArn, 'arn:aws:ecs:us-east-1:123456789012:task/jobs/none'] });
  expect((described.body.tasks as { lastStatus: string }[]).map((t) => t.lastStatus)).toEqual(['STOPPED']);
  expect(described.body.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:task/jobs/none', reason: 'MISSING' }]);
});

it('answers errors as ECS does: a missing cluster, a task to stop that does not exist', async () => {
  expect(await call('RunTask', { cluster: 'missing', taskDefinition: 'report' })).toEqual({ status: 400, body: { __type: 'ClusterNotFoundException', message: 'Cluster not found.' } });
  expect(await call('StopTask', { task: 'nope' })).toEqual({ status: 400, body: { __type: 'InvalidParameterException', message: 'The referenced task was not found.' } });
});
