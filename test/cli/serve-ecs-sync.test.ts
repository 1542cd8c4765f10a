/**
 * `switchyard serve --endpoint-url ecs=URL` runs ecs:runTask.sync against the
 * ECS stand-in, and the stand-in's "ECS Task State Change" events, POSTed to
 * the server's /events as an EventBridge rule would deliver them, complete the
 * task — the completion path of the deployed schedule function.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveCommand } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/server';
import { startEcsEndpoint, type EcsEndpoint } from '../../harness/ecs-endpoint';

const DEFINITION = { StartAt: 'Run', States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Parameters: { Cluster: 'jobs', TaskDefinition: 'report:3' }, OutputPath: '$.Containers[0]', End: true } } };

let ecs: EcsEndpoint;
let server: LocalServer;
const answers: unknown[] = [];
let posting = Promise.resolve();
const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' });
  ecs = await startEcsEndpoint('us-east-1', '123456789012', { sequentialIds: true });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-ecs-'));
  server = await serveCommand({ port: '0', quiet: true, 'endpoint-url': [`ecs=${ecs.url}`] }, { stdout: () => undefined, stderr: () => undefined, cwd });
  // The stand-in's events to the server's event intake, in order.
  ecs.onStateChange((event) => {
    posting = posting.then(async () => void answers.push(await (await fetch(`${server.url}/events`, { method: 'POST', body: JSON.stringify(event) })).json()));
  });
});
afterAll(async () => {
  process.env = saved;
  await server?.close();
  await ecs?.close();
});

it('completes the task from the stopped task’s event POSTed to /events', async () => {
  // Arrange
  const machine = await server.driver.putStateMachine('reports', JSON.stringify(DEFINITION));
  const { executionArn } = await server.driver.startExecution(machine.stateMachineArn, { input: {} });
  while (!(await server.driver.getExecutionHistory(executionArn)).some((e) => e.type === 'TaskSubmitted')) await new Promise((r) => setTimeout(r, 10));

  // Act
  ecs.finish([...ecs.tasks.keys()][0]!, 0);
  let record = await server.driver.describeExecution(executionArn);
  while (record.status === 'RUNNING') {
    await new Promise((r) => setTimeout(r, 10));
    record = await server.driver.describeExecution(executionArn);
  }

  await posting;

  // Assert
  expect({ status: record.status, output: record.output }).toEqual({ status: 'SUCCEEDED', output: { Name: 'report', LastStatus: 'STOPPED', ExitCode: 0 } });
  expect(answers).toEqual([{ started: [] }, { started: [] }, { started: [], jobs: ['completed'] }]);
});
