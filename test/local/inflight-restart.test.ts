/**
 * A Lambda task whose attempt was running when `switchyard serve --data`
 * was killed (SIGKILL) fails at once after the restart as a lost worker —
 * States.TaskFailed with the lost-worker cause — and is never invoked again
 * for that attempt; the state's Retry and Catch decide what follows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { LOST_WORKER_CAUSE } from '../../lib/service/task-attempts';
import { client, until } from './sfn-client';
import { bundleCli, eventually, startServe, tempDir } from '../../harness/serve-process';

jest.setTimeout(30_000);

// The handler records each invocation; its first hangs until the server is killed, later ones answer at once.
const HANDLER = `
const fs = require('node:fs');
exports.handler = async (event) => {
  const file = ${JSON.stringify('INVOCATIONS')};
  const first = !fs.existsSync(file) || fs.readFileSync(file, 'utf8').split('\\n').filter((l) => l.startsWith(event.name + ' ')).length === 0;
  fs.appendFileSync(file, event.name + ' ' + event.attempt + '\\n');
  if (first) await new Promise(() => {});
  return { done: event.attempt };
};
`;

const task = (retry: boolean) => ({
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'Work', Payload: { 'name.$': '$.name', 'attempt.$': '$$.State.RetryCount' } },
      OutputPath: '$.Payload',
      ...(retry ? { Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 2 }] } : {}),
      End: true,
    },
  },
});

let dir: string;
let cli: string;
let invocations: string;
beforeAll(() => {
  dir = tempDir('switchyard-inflight-');
  cli = bundleCli(dir);
  invocations = path.join(dir, 'invocations.txt');
  fs.writeFileSync(path.join(dir, 'work.js'), HANDLER.replace('"INVOCATIONS"', JSON.stringify(invocations)));
  fs.writeFileSync(path.join(dir, 'handlers.json'), JSON.stringify({ Work: './work.js#handler' }));
  for (const [name, definition] of [['Retried', task(true)], ['Once', task(false)]] as const) {
    fs.mkdirSync(path.join(dir, 'machines', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'machines', name, 'definition.asl.json'), JSON.stringify(definition));
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const invoked = (name: string): string[] => (fs.existsSync(invocations) ? fs.readFileSync(invocations, 'utf8').split('\n').filter((l) => l.startsWith(`${name} `)) : []);

/** Starts `machine` with `name`, kills the server while the handler's first invocation hangs, restarts it, and waits for the end. */
async function killedInFlight(machine: string, name: string) {
  const args = ['--data', `data-${name}`, '--examples', 'machines', '--handlers', 'handlers.json', '--quiet'];
  let server = await startServe(cli, dir, args);
  let sfn = client(server.url);
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${machine}`, input: JSON.stringify({ name }) }));
  await eventually(() => invoked(name).length === 1);
  await server.kill();
  sfn.destroy();
  server = await startServe(cli, dir, args);
  sfn = client(server.url);
  const described = await until(sfn, executionArn!);
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn! }));
  sfn.destroy();
  await server.kill();
  return { described, events: history.events! };
}

describe('a Lambda task in flight when the server is killed', () => {
  it('fails that attempt at once as a lost worker; Retry runs the next attempt, each attempt invoked once', async () => {
    const { described, events } = await killedInFlight('Retried', 'r');
    expect({ status: described.status, output: described.output }).toEqual({ status: 'SUCCEEDED', output: '{"done":1}' });
    expect(invoked('r')).toEqual(['r 0', 'r 1']);
    const failed = events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails);
    expect(failed).toEqual([{ resourceType: 'lambda', resource: 'invoke', error: 'States.TaskFailed', cause: LOST_WORKER_CAUSE }]);
  });

  it('fails the execution at once with States.TaskFailed and the lost-worker cause when nothing retries', async () => {
    const { described } = await killedInFlight('Once', 'o');
    expect({ status: described.status, error: described.error, cause: described.cause }).toEqual({ status: 'FAILED', error: 'States.TaskFailed', cause: LOST_WORKER_CAUSE });
    expect(invoked('o')).toEqual(['o 0']);
  });
});
