/**
 * `switchyard run --endpoint-url ecs=URL`: no event can reach one process,
 * so here alone the ECS task a `.sync` state waits for is described every
 * JOB_POLL_MS (scaled by --time-scale) until it stops; its end then completes
 * the task as its event would elsewhere.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../lib/cli/main';
import { startEcsEndpoint, type EcsEndpoint } from '../../harness/ecs-endpoint';

const DEFINITION = { StartAt: 'Run', States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Parameters: { Cluster: 'jobs', TaskDefinition: 'report:3' }, OutputPath: '$.Containers[0]', End: true } } };

let ecs: EcsEndpoint;
const saved = { ...process.env };
beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' });
  ecs = await startEcsEndpoint('us-east-1', '123456789012', { sequentialIds: true });
});
afterAll(async () => {
  process.env = saved;
  await ecs.close();
});

it('polls DescribeTasks until the task stops, and fails with States.TaskFailed for a non-zero exit', async () => {
  // Arrange: the task exits 7 a little after it is provisioned.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'run-ecs-'));
  fs.writeFileSync(path.join(cwd, 'report.asl.json'), JSON.stringify(DEFINITION));
  ecs.onStateChange((event) => {
    if (event.detail.lastStatus === 'PROVISIONING') setTimeout(() => ecs.finish(event.detail.taskArn, 7), 100);
  });
  let stdout = '';

  // Act
  const code = await main(['run', 'report.asl.json', '--endpoint-url', `ecs=${ecs.url}`, '--time-scale', '0.01', '--json'], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd });

  // Assert
  const summary = JSON.parse(stdout) as { status: string; error: string; cause: string };
  expect(code).toBe(1);
  expect(summary.status).toBe('FAILED');
  expect(summary.error).toBe('States.TaskFailed');
  expect((JSON.parse(summary.cause) as { Containers: unknown[] }).Containers).toEqual([{ Name: 'report', LastStatus: 'STOPPED', ExitCode: 7 }]);
  const actions = ecs.requests.map((r) => r.action);
  expect(actions[0]).toBe('RunTask');
  expect(actions.slice(1).every((a) => a === 'DescribeTasks')).toBe(true);
});
