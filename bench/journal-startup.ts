/**
 * Start-up of `switchyard serve --data` with a large journal: fills DIR with
 * N finished small executions (a three-state Pass chain, started through the
 * served driver with compaction off), then opens the journal in a fresh
 * process twice — without compaction, and with one — and prints the
 * journal's size, the replay time and the heap after it.
 * Usage: node --expose-gc dist/bench/journal-startup.js [--executions N] [--dir DIR]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openJournal, type CompactionPolicy } from '../lib/local/journal';
import { startLocalServer } from '../lib/local/server';

const CHAIN = { StartAt: 'A', States: { A: { Type: 'Pass', Result: { a: 1 }, ResultPath: '$.a', Next: 'B' }, B: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, Next: 'C' }, C: { Type: 'Pass', End: true } } };

async function fill(dir: string, executions: number): Promise<void> {
  const server = await startLocalServer({ port: 0, dataDir: dir, journalCompaction: 'never' });
  const arn = (await server.driver.createStateMachine('Chain', JSON.stringify(CHAIN), 'arn:aws:iam::123456789012:role/r')).stateMachineArn;
  const batch = 200;
  for (let i = 0; i < executions; i += batch) {
    const started = await Promise.all(Array.from({ length: Math.min(batch, executions - i) }, (_, j) => server.driver.startExecution(arn, { name: `e${i + j}`, input: { n: i + j } })));
    for (const s of started) {
      while ((await server.driver.describeExecution(s.executionArn)).status === 'RUNNING') await new Promise((r) => setTimeout(r, 5));
    }
  }
  await server.close();
}

/** Opens the journal in this process and prints one JSON line: its size before and after, the time and the heap. */
async function measure(dir: string, policy: CompactionPolicy): Promise<void> {
  const file = path.join(dir, 'journal.jsonl');
  const before = fs.statSync(file).size;
  const started = Date.now();
  const cpu = process.cpuUsage();
  const journal = await openJournal(dir, Date.now, 2_000, () => {}, policy);
  const ms = Date.now() - started;
  const used = process.cpuUsage(cpu);
  // CPU time as well as wall time: on a shared machine the wall time mostly measures the neighbours.
  const cpuMs = Math.round((used.user + used.system) / 1000);
  (globalThis as { gc?: () => void }).gc?.();
  const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  journal.close();
  process.stdout.write(JSON.stringify({ policy, journalMb: +(before / 2 ** 20).toFixed(1), afterMb: +(fs.statSync(file).size / 2 ** 20).toFixed(1), startupMs: ms, cpuMs, heapMb }) + '\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const measureOnly = option('measure') as CompactionPolicy | undefined;
  const dir = option('dir') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-startup-'));
  if (measureOnly) return measure(dir, measureOnly);
  const executions = Number(option('executions') ?? '100000');
  if (!fs.existsSync(path.join(dir, 'journal.jsonl'))) await fill(dir, executions);
  const run = (policy: CompactionPolicy): string => execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', __filename, '--measure', policy, '--dir', dir], { encoding: 'utf8' });
  process.stdout.write(run('never'));
  process.stdout.write(run('always')); // the first start of a server after the journal has grown: it compacts
  process.stdout.write(run('never')); // every start after: the compacted journal
}

void main();
