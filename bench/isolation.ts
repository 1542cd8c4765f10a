/**
 * `npm run bench:isolation`: does one runaway execution stop `switchyard
 * serve` answering everyone else? Several SDK clients start a short workflow
 * and describe it, over and over, first alone (the baseline), then while one
 * runaway execution of each kind (isolation-workflows.ts) runs. Prints one
 * line per kind:
 * `isolation: runaway=<kind> others_p50_ms=X others_p99_ms=Y baseline_p99_ms=Z …`
 * (latencies of each StartExecution and DescribeExecution call, in ms).
 * Flags: `--only a,b` (kinds), `--seconds S` (per measurement, 8),
 * `--clients C` (4), `--data` (serve with a journal), `--cli FILE`.
 */
import * as path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
    SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startServe, tempDir } from '../harness/serve-process';
import { BURN_ONCE, machineName, RUNAWAY_KINDS, runaway, SHORT, type RunawayKind } from './isolation-workflows';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ACCOUNT = 'arn:aws:states:us-east-1:123456789012';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The latencies of the other callers' calls over one measurement. */
interface Sample {
  latencies: number[];
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Every client starts a short execution and describes it, until `seconds` have passed. */
async function measure(clients: SFNClient[], seconds: number, tag: string): Promise<Sample> {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  let n = 0;
  const timed = async <T>(send: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    const out = await send();
    latencies.push(performance.now() - began);
    return out;
  };
  await Promise.all(
    clients.map(async (sfn) => {
      while (Date.now() < until) {
        const i = n++;
        const started = await timed(() => sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:IsoShort`, name: `${tag}-${i}`, input: JSON.stringify({ n: i }) })));
        await timed(() => sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn })));
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b) };
}

/**
 * The time the server takes for one burning Pass state of `n` items: the wall time from its start to
 * its end seen by polling (history timestamps cannot tell: a transition stamps its events when it begins).
 */
async function burnMs(sfn: SFNClient, n: number): Promise<number> {
  const began = performance.now();
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:IsoBurnOnce`, input: JSON.stringify({ n }) }));
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status === 'FAILED') return Infinity;
    if (d.status !== 'RUNNING') return performance.now() - began;
    await sleep(5);
  }
}

/** The item count at which one burning evaluation takes about 450 ms on this server (its budget is 1 s). */
async function calibrateBurn(sfn: SFNClient): Promise<{ items: number; ms: number }> {
  let items = 20_000;
  let ms = await burnMs(sfn, items);
  while (ms < 200 && items < 400_000) {
    items *= 2;
    ms = await burnMs(sfn, items);
  }
  const target = Math.min(900_000, Math.round((items * 450) / Math.max(ms, 1)));
  return { items: target, ms: Math.round(await burnMs(sfn, target)) };
}

async function main(): Promise<void> {
  const seconds = Number(flag('seconds') ?? '8');
  const clientCount = Number(flag('clients') ?? '4');
  const only = flag('only')?.split(',') as RunawayKind[] | undefined;
  const kinds = RUNAWAY_KINDS.filter((k) => only === undefined || only.includes(k));
  const cli = flag('cli') ?? path.join(__dirname, '..', 'bin', 'switchyard.js');
  const dir = tempDir('switchyard-isolation-');
  const server = await startServe(cli, dir, ['--quiet', ...(process.argv.includes('--data') ? ['--data', path.join(dir, 'data')] : [])]);
  const clients = Array.from({ length: clientCount }, () => new SFNClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const sfn = clients[0];
  try {
    const create = (name: string, definition: unknown): Promise<unknown> =>
      sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/isolation' }));
    await create('IsoShort', SHORT);
    await create('IsoBurnOnce', BURN_ONCE);
    const burn = kinds.includes('jsonata-burn') ? await calibrateBurn(sfn) : { items: 0, ms: 0 };
    if (burn.items > 0) process.stderr.write(`jsonata-burn: ${burn.items} items, ${burn.ms} ms per evaluation on the server\n`);
    for (const kind of kinds) await create(machineName(kind), runaway(kind, burn.items).definition);

    await measure(clients, 1, 'warm');
    const baseline = await measure(clients, seconds, 'base');
    const baselineP99 = percentile(baseline.latencies, 99);
    process.stderr.write(`baseline: p50_ms=${percentile(baseline.latencies, 50).toFixed(1)} p99_ms=${baselineP99.toFixed(1)} calls=${baseline.latencies.length}\n`);

    for (const kind of kinds) {
      const { input } = runaway(kind, burn.items);
      const began = performance.now();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:${machineName(kind)}`, input: JSON.stringify(input) }));
      const startMs = performance.now() - began;
      const others = await measure(clients, seconds, kind);
      const status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
      if (status === 'RUNNING') await sfn.send(new StopExecutionCommand({ executionArn }));
      const p99 = percentile(others.latencies, 99);
      process.stdout.write(
        `isolation: runaway=${kind} others_p50_ms=${percentile(others.latencies, 50).toFixed(1)} others_p99_ms=${p99.toFixed(1)} baseline_p99_ms=${baselineP99.toFixed(1)}` +
          ` others_max_ms=${(others.latencies[others.latencies.length - 1] ?? 0).toFixed(1)} calls=${others.latencies.length} runaway_start_ms=${startMs.toFixed(1)} runaway_status_after=${status}\n`,
      );
      // The stopped runaway's leftover messages drain before the next kind is measured.
      await sleep(3000);
    }
  } finally {
    clients.forEach((c) => c.destroy());
    await server.kill();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
