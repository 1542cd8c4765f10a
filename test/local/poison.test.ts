/**
 * Poison messages: `switchyard serve --data` killed with SIGKILL in the
 * middle of the same transition twice (as a transition that crashes the
 * process would kill it) starts a third time, fails that execution with
 * States.Runtime and a cause naming the message, and keeps every other.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { client, until } from './sfn-client';
import { bundleCli, eventually, spawnServe, startServe, tempDir, type ServeProcess } from '../../harness/serve-process';

jest.setTimeout(30_000);

// Filters over 50,000 items, four states in one commit: a transition of seconds, long enough to be killed in
// (JSONPath, which no evaluation budget cuts short as it does JSONata).
const filters = Object.fromEntries([0, 1, 2, 3].map((i) => [`f${i}.$`, `$.items[?(@.x > ${i})].x`]));
const slowState = (next?: string) => ({ Type: 'Pass', Parameters: filters, ResultPath: null, ...(next ? { Next: next } : { End: true }) });
const SLOW = { StartAt: 'S1', States: { S1: slowState('S2'), S2: slowState('S3'), S3: slowState('S4'), S4: slowState() } };
const ITEMS = JSON.stringify({ items: Array.from({ length: 50_000 }, (_, i) => ({ x: i % 7 })) });
const QUICK = { StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: true }, End: true } } };

let dir: string;
let cli: string;
beforeAll(() => {
  dir = tempDir('switchyard-poison-');
  cli = bundleCli(dir);
  for (const [name, definition] of [['Slow', SLOW], ['Quick', QUICK]] as const) {
    fs.mkdirSync(path.join(dir, 'machines', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'machines', name, 'definition.asl.json'), JSON.stringify(definition));
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The journal's step marks of the server's run `run` (after its `open` mark, counted from 1) for executions of Slow: [executionArn, op]. */
function marksOfRun(run: number): [string, string][] {
  const lines = fs.readFileSync(path.join(dir, 'data', 'journal.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{"t":"w"'));
  const opens = lines.flatMap((l, i) => (l.includes('"op":"open"') ? [i] : []));
  if (opens.length < run) return [];
  return lines
    .slice(opens[run - 1] + 1, opens[run])
    .map((l) => JSON.parse(l) as { op: string; args: string[] })
    .filter((m) => m.args[0].includes(':execution:Slow:'))
    .map((m) => [m.args[0], m.op]);
}

describe('a message whose transition kills the server', () => {
  it('is poison after two runs: the third run fails its execution with States.Runtime and keeps the others', async () => {
    const args = ['--data', 'data', '--examples', 'machines', '--quiet'];
    const first = await startServe(cli, dir, args);
    let server: ServeProcess = first;
    let sfn = client(first.url);
    const quick = await sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Quick', input: '{}' }));
    // The slow step holds the server's event loop, so its StartExecution may be answered only after it: not awaited.
    sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Slow', input: ITEMS })).catch(() => undefined);
    let slowArn = '';
    for (let run = 1; run <= 2; run++) {
      // Killed while the slow transition runs: its step is begun, never ended.
      await eventually(() => marksOfRun(run).length > 0);
      await server.kill();
      const marks = marksOfRun(run);
      slowArn = marks[0][0];
      expect(marks).toEqual([[slowArn, 'begin']]);
      sfn.destroy();
      // The replayed message's step may begin before the server answers: the next kill needs no URL.
      server = spawnServe(cli, dir, args);
    }
    sfn = client(await server.ready);
    const slow = { executionArn: slowArn };
    const failed = await until(sfn, slow.executionArn!);
    const cause = "The server stopped 2 times while applying the Enter message to the frame 'root' of this execution (killed, or crashed by the transition itself, e.g. out of memory); the message is poison and was not applied again, so the execution was failed.";
    expect({ status: failed.status, error: failed.error, cause: failed.cause }).toEqual({ status: 'FAILED', error: 'States.Runtime', cause });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: slow.executionArn! }));
    expect(history.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionFailed']);
    const other = await until(sfn, quick.executionArn!);
    expect({ status: other.status, output: other.output }).toEqual({ status: 'SUCCEEDED', output: '{"ok":true}' });
    sfn.destroy();
    await server.kill();
  });
});
