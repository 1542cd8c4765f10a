/**
 * Compaction of the `--data` journal: a server restarted on a compacted
 * journal answers DescribeExecution and GetExecutionHistory exactly as
 * before for every execution (ended, stopped, failed, still waiting), the
 * running ones go on, and a crash between writing the compacted journal and
 * renaming it over the old one loses nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { openJournal, type CompactionPolicy } from '../../lib/local/journal';
import { COMPACTING_SUFFIX } from '../../lib/local/journal-compaction';
import type { TaskRunner } from '../../lib/engine/ports/task-runner';
import { tempDir } from '../../harness/serve-process';
import { client, until } from './sfn-client';

jest.setTimeout(30_000);

const MACHINES: Record<string, unknown> = {
  Chain: { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'n.$': '$.n', 'twice.$': 'States.MathAdd($.n, $.n)' }, Next: 'B' }, B: { Type: 'Pass', Result: 'b', ResultPath: '$.b', End: true } } },
  Each: { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } } },
  Both: { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'L', States: { L: { Type: 'Pass', End: true } } }, { StartAt: 'R', States: { R: { Type: 'Fail', Error: 'Right.Failed', Cause: 'by design' } } }], End: true } } },
  Long: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } },
  Callback: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token' } }, End: true } } },
};

// A callback task: the invocation returns at once and the attempt waits for its token.
const tasks: TaskRunner = { run: async () => ({ kind: 'pending' }) };
const ACCOUNT = 'arn:aws:states:us-east-1:123456789012';

let dir: string;
beforeEach(() => {
  dir = tempDir('switchyard-compaction-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function serve(data: string, journalCompaction: CompactionPolicy): Promise<{ server: LocalServer; sfn: SFNClient }> {
  const server = await startLocalServer({ port: 0, dataDir: data, journalCompaction, taskRunner: tasks });
  return { server, sfn: client(server.url) };
}

async function stop(s: { server: LocalServer; sfn: SFNClient }): Promise<void> {
  s.sfn.destroy();
  await s.server.close();
}

/** DescribeExecution and the whole history of each execution, as the SDK returns them. */
async function snapshot(sfn: SFNClient, arns: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const executionArn of arns) {
    const { $metadata: _d, ...described } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const { $metadata: _h, ...history } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    out.push({ described, history });
  }
  return out;
}

/** Runs one execution of each kind; leaves Long and one Callback running. */
async function populate(sfn: SFNClient): Promise<string[]> {
  for (const [name, definition] of Object.entries(MACHINES)) {
    await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/r' }));
  }
  const start = async (machine: string, name: string, input: unknown): Promise<string> =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:${machine}`, name, input: JSON.stringify(input) }))).executionArn!;
  const arns = [await start('Chain', 'c1', { n: 2 }), await start('Each', 'e1', { items: [1, 2, 3] }), await start('Both', 'b1', {})];
  for (const arn of arns) await until(sfn, arn);
  const stopped = await start('Long', 'stopped', {});
  await sfn.send(new StopExecutionCommand({ executionArn: stopped, error: 'Stopped.ByTest' }));
  await until(sfn, stopped);
  const answered = await start('Callback', 'answered', {});
  const waiting = await start('Callback', 'waiting', {});
  const long = await start('Long', 'long', {});
  await answer(sfn, answered, { ok: 1 });
  await until(sfn, answered);
  // The waiting ones have scheduled their task and their wait.
  for (;;) {
    const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: waiting }))).events!;
    const waits = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: long }))).events!;
    if (events.some((e) => e.type === 'TaskStarted') && waits.some((e) => e.type === 'WaitStateEntered')) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return [...arns, stopped, answered, waiting, long];
}

/** Answers the execution's task token (read from its TaskScheduled event). */
async function answer(sfn: SFNClient, executionArn: string, output: unknown): Promise<void> {
  for (;;) {
    const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    const scheduled = events.find((e) => e.type === 'TaskScheduled');
    if (scheduled) {
      const token = (JSON.parse(scheduled.taskScheduledEventDetails!.parameters!) as { Payload: { token: string } }).Payload.token;
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

const journalOf = (data: string): string => path.join(data, 'journal.jsonl');

describe('journal compaction at start-up', () => {
  it('keeps every execution’s Describe and History identical, and the running ones go on', async () => {
    const data = path.join(dir, 'data');
    let s = await serve(data, 'never');
    const arns = await populate(s.sfn);
    const before = await snapshot(s.sfn, arns);
    await stop(s);
    const grown = fs.statSync(journalOf(data)).size;

    s = await serve(data, 'always');
    const compacted = fs.statSync(journalOf(data)).size;
    expect(await snapshot(s.sfn, arns)).toEqual(before);
    // The running ones go on after the compaction: the callback answered, the wait stopped, a new execution runs.
    await answer(s.sfn, arns[5], { ok: 2 });
    expect((await until(s.sfn, arns[5])).output).toBe('{"ok":2}');
    await s.sfn.send(new StopExecutionCommand({ executionArn: arns[6] }));
    expect((await until(s.sfn, arns[6])).status).toBe('ABORTED');
    const later = (await s.sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:Chain`, name: 'later', input: '{"n":5}' }))).executionArn!;
    expect((await until(s.sfn, later)).output).toBe('{"n":5,"twice":10,"b":"b"}');
    const after = await snapshot(s.sfn, [...arns, later]);
    await stop(s);

    // Restarted again (compacted twice, and once not at all): the same answers.
    s = await serve(data, 'always');
    expect(await snapshot(s.sfn, [...arns, later])).toEqual(after);
    await stop(s);
    s = await serve(data, 'never');
    expect(await snapshot(s.sfn, [...arns, later])).toEqual(after);
    await stop(s);
    expect(compacted).toBeLessThan(grown);
  });

  it('loses nothing when the server dies between writing the compacted journal and renaming it', async () => {
    const data = path.join(dir, 'data');
    let s = await serve(data, 'never');
    const arns = await populate(s.sfn);
    const before = await snapshot(s.sfn, arns);
    await stop(s);
    // The compacted journal a start would write, left beside the old one whole, or cut short mid-write.
    const copy = path.join(dir, 'copy');
    fs.cpSync(data, copy, { recursive: true });
    await stop(await serve(copy, 'always'));
    const written = fs.readFileSync(journalOf(copy));
    for (const leftover of [written, written.subarray(0, Math.floor(written.length / 2))]) {
      const crashed = path.join(dir, `crashed-${leftover.length}`);
      fs.cpSync(data, crashed, { recursive: true });
      fs.writeFileSync(journalOf(crashed) + COMPACTING_SUFFIX, leftover);

      s = await serve(crashed, 'always');
      expect(await snapshot(s.sfn, arns)).toEqual(before);
      await stop(s);
      expect(fs.existsSync(journalOf(crashed) + COMPACTING_SUFFIX)).toBe(false);
    }
  });
});

describe('journal compaction while the server runs', () => {
  it('compacts once the journal has doubled, and a restart answers as before', async () => {
    const data = path.join(dir, 'data');
    const logged: Record<string, unknown>[] = [];
    const server = await startLocalServer({ port: 0, dataDir: data, taskRunner: tasks, log: (entry) => void logged.push(entry) });
    let s = { server, sfn: client(server.url) };
    const arns = await populate(s.sfn);
    // Large inputs grow the journal past the size worth compacting.
    for (const n of [1, 2, 3, 4]) {
      const input = JSON.stringify({ n, text: 'x'.repeat(400_000) });
      const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:Chain`, name: `big${n}`, input }));
      arns.push(executionArn!);
      await until(s.sfn, executionArn!);
    }
    await new Promise((r) => setImmediate(r));
    expect(logged.filter((e) => e.message === 'journal compacted').length).toBeGreaterThan(0);
    const before = await snapshot(s.sfn, arns);
    await stop(s);

    s = await serve(data, 'never');
    expect(await snapshot(s.sfn, arns)).toEqual(before);
    await stop(s);
  });
});

describe('the poison marks of a compacted journal', () => {
  const arn = `${ACCOUNT}:execution:Chain:running`;
  const key = 'Enter|root|0||||||';
  const record = { info: { executionArn: arn, name: 'running', stateMachineArn: `${ACCOUNT}:stateMachine:Chain`, stateMachineName: 'Chain', startTime: 1, redriveCount: 0 }, revisionId: 'r', status: 'RUNNING' } as never;

  it('keep the runs a running execution’s message was cut off in, so it is poison after as many runs as without compaction', async () => {
    const data = path.join(dir, 'data');
    let journal = await openJournal(data, Date.now, 2_000, () => {}, 'never');
    await journal.store.createExecution(record);
    journal.marks.begin(arn, key); // cut off: this run ends with the step begun
    journal.close();

    journal = await openJournal(data, Date.now, 2_000, () => {}, 'always');
    expect(journal.compaction).toBeDefined();
    expect(journal.marks.poisoned(arn, key)).toBeUndefined();
    journal.marks.begin(arn, key); // cut off a second time, after the compaction
    journal.close();

    journal = await openJournal(data, Date.now, 2_000, () => {}, 'always');
    expect(journal.marks.poisoned(arn, key)).toMatch(/^The server stopped 2 times while applying the Enter message to the frame 'root'/);
    journal.close();
  });
});
