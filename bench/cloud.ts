/**
 * `npm run bench:cloud`: the cloud runtime on the loopback services
 * (dynalite, fauxqs, a local Lambda endpoint, an SQS event source driving
 * lambda/transition.ts). Every AWS call and capacity unit is counted by the
 * cost meter and priced with bench/prices.ts; throughput is measured with
 * 100 executions running at once. Prints a table and one `cost:` line per
 * workload, then the `express:` lines (bench/express.ts).
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CostMeter } from '../lib/aws/meter';
import { DEFAULT_EXECUTION_RETENTION_DAYS } from '../lib/cdk/defaults';
import { startCloud, startServices, waitForEnd, type CloudFixture } from '../harness/fixture';
import type { LambdaHandler } from '../lib/local/tasks/handlers-file';
import { benchExpress, expressLines, type ExpressRow } from './express';
import { US_EAST_1 } from './prices';
import { allInExtras } from './all-in';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

interface CloudWorkload {
  name: string;
  description: string;
  definition: object;
  input: unknown;
  /** Executions whose calls are priced. */
  executions: number;
  /** Executions started at once for the throughput figure. */
  concurrent: number;
}

/**
 * About 1 KiB of order-like JSON with varied values, so stored sizes (and
 * compression) are what real state gives, not what a repeated letter gives.
 */
function orderState(start = 42): Record<string, unknown> {
  let seed = start;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const word = (n: number): string => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rnd() * 26)]).join('');
  return {
    orderId: `ord-${Math.floor(rnd() * 1e9).toString(36)}`,
    customer: { id: Math.floor(rnd() * 1e6), name: `${word(6)} ${word(8)}`, email: `${word(7)}@${word(5)}.example`, tier: 'gold' },
    shipping: { street: `${Math.floor(rnd() * 999)} ${word(9)} Street`, city: word(8), postcode: String(Math.floor(rnd() * 99999)), country: 'DE' },
    lines: Array.from({ length: 12 }, () => ({ sku: word(3).toUpperCase() + '-' + Math.floor(rnd() * 9999), qty: 1 + Math.floor(rnd() * 4), price: Math.round(rnd() * 20000) / 100, note: word(12) })),
    step: 0,
  };
}

const chain = (n: number, extra: object = {}): object => ({
  StartAt: 'S0',
  States: Object.fromEntries(Array.from({ length: n }, (_, i) => [`S${i}`, { Type: 'Pass', ...extra, ...(i + 1 < n ? { Next: `S${i + 1}` } : { End: true }) }])),
});

const WORKLOADS: CloudWorkload[] = [
  {
    name: 'pass-chain',
    description: '20 Pass states, ≈1 KiB state',
    definition: chain(20, { ResultPath: '$.step', Parameters: { 'n.$': 'States.MathAdd($.step.n, 1)' } }),
    input: { ...orderState(), step: { n: 0 } },
    executions: 50,
    concurrent: 100,
  },
  {
    name: 'lambda-tasks',
    description: '5 Lambda tasks in a row, ≈1 KiB state',
    definition: {
      StartAt: 'T0',
      States: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`T${i}`, { Type: 'Task', Resource: `${FN}Work`, ...(i < 4 ? { Next: `T${i + 1}` } : { End: true }) }])),
    },
    input: orderState(),
    executions: 50,
    concurrent: 100,
  },
  {
    name: 'map-1000',
    description: 'inline Map of 1,000 items, MaxConcurrency 40',
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 40,
          ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } },
          ResultSelector: { 'count.$': 'States.ArrayLength($)' },
          End: true,
        },
      },
    },
    input: { items: Array.from({ length: 1000 }, (_, i) => i) },
    executions: 2,
    concurrent: 4,
  },
  {
    name: 'state-100k',
    description: '10 Pass states carrying 100 KiB of state',
    definition: chain(10),
    input: { orders: Array.from({ length: 105 }, (_, i) => orderState(i + 1)) },
    executions: 20,
    concurrent: 50,
  },
];

const handlers = new Map<string, LambdaHandler>([['Work', async (event) => ({ ...(event as object), step: ((event as { step?: number }).step ?? 0) + 1 })]]);

interface Row {
  workload: CloudWorkload;
  transitions: number;
  usdPerMillion: number;
  breakdown: Record<string, number>;
  /** USD per million transitions with storage, PITR, index writes, logs, API Gateway and task waits (bench/all-in.ts). */
  usdAllInPerMillion: number;
  /** The same with the table's point-in-time recovery off (the construct's `pointInTimeRecovery: false`). */
  usdAllInNoPitrPerMillion: number;
  /** The default all-in with an HTTP API front door (the construct's `frontDoor: 'http-api'`). */
  usdAllInHttpApiPerMillion: number;
  allIn: Record<string, number>;
  transitionsPerSecond: number;
  callsPerTransition: Record<string, number>;
  /** DynamoDB capacity units per transition, by operation. */
  unitsPerTransition: Record<string, number>;
  /** Stored size of the items each DynamoDB operation wrote, on average. */
  bytesPerItem: Record<string, number>;
}

function price(meter: CostMeter): { total: number; breakdown: Record<string, number> } {
  const d = meter.service('dynamodb');
  const q = meter.service('sqs');
  // The task functions are the user's own, billed alike under Step Functions: priced apart, not as orchestration.
  const l = meter.service('lambda');
  const task = meter.totals.get('lambda:TaskFunctionInvoke') ?? { requests: 0, gbSeconds: 0 };
  // (Not calls: how many tasks each invoker invocation waited on, which bench/all-in.ts prices.)
  const rounds = meter.totals.get('lambda:InvokerTaskRounds')?.requests ?? 0;
  const s3put = meter.totals.get('s3:PutObject')?.requests ?? 0;
  const s3get = meter.totals.get('s3:GetObject')?.requests ?? 0;
  const breakdown = {
    dynamodb: d.writeUnits * US_EAST_1.dynamodbWriteRequestUnit + d.readUnits * US_EAST_1.dynamodbReadRequestUnit,
    sqs: q.sqsBilledRequests * US_EAST_1.sqsRequest,
    lambda: (l.requests - task.requests - rounds) * US_EAST_1.lambdaRequest + (l.gbSeconds - task.gbSeconds) * US_EAST_1.lambdaGbSecondArm,
    s3: s3put * US_EAST_1.s3Put + s3get * US_EAST_1.s3Get,
  };
  return { total: Object.values(breakdown).reduce((a, b) => a + b, 0), breakdown };
}

async function runBatch(fx: CloudFixture, arn: string, w: CloudWorkload, count: number, tag: string): Promise<{ arns: string[]; ms: number }> {
  const started = Date.now();
  const arns = await Promise.all(
    Array.from({ length: count }, async (_, i) => (await fx.cloud.driver.startExecution(arn, { name: `${tag}-${i}`, input: w.input as never })).executionArn),
  );
  for (const a of arns) {
    const end = await waitForEnd(fx.observer, a, 300_000);
    if (end.status !== 'SUCCEEDED') throw new Error(`${w.name}: ${a} ended ${end.status} ${end.error ?? ''} ${end.cause ?? ''}`);
  }
  return { arns, ms: Date.now() - started };
}

/** Waits until the meter has counted no DynamoDB call for a second (the queue is polled always), at most 60 s. */
async function quiet(meter: CostMeter): Promise<void> {
  const calls = (): number => meter.service('dynamodb').requests;
  await new Promise((r) => setTimeout(r, 500));
  for (let before = -1, waited = 0; before !== calls() && waited < 60; waited++) {
    before = calls();
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function main(): Promise<void> {
  const services = await startServices();
  const meter = new CostMeter();
  // `--retention-days=7` prices a shorter `executionRetention` than the default.
  const retentionDays = Number(process.argv.find((a) => a.startsWith('--retention-days='))?.slice('--retention-days='.length) ?? DEFAULT_EXECUTION_RETENTION_DAYS);
  if (!Number.isFinite(retentionDays) || retentionDays < 1) throw new Error(`--retention-days must be at least 1, got ${retentionDays}`);
  const fx = await startCloud(handlers, { meter, services, concurrency: 10, log: () => {}, retentionSeconds: retentionDays * 86_400 });
  const rows: Row[] = [];
  let express: ExpressRow[] = [];
  try {
    // `--only=pass-chain,lambda-tasks` prices just those workloads.
    const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
    for (const w of WORKLOADS.filter((x) => only === undefined || only.includes(x.name))) {
      const sm = await fx.cloud.driver.putStateMachine(w.name, JSON.stringify(w.definition));
      // Cost: a sequential run, so the meter sees only this workload's calls.
      await runBatch(fx, sm.stateMachineArn, w, 1, 'warm');
      await quiet(meter); // the previous workload's executions settle their items' expiry after they end
      meter.reset();
      const { arns } = await runBatch(fx, sm.stateMachineArn, w, w.executions, 'cost');
      await quiet(meter); // let trailing deletes and expiry settling land in the meter
      const priced = price(meter);
      const extras = allInExtras(meter, { executions: w.executions });
      const withoutPitr = allInExtras(meter, { executions: w.executions, pointInTimeRecovery: false });
      const viaHttpApi = allInExtras(meter, { executions: w.executions, frontDoor: 'http-api' });
      const calls: Record<string, number> = {};
      const units: Record<string, number> = {};
      const bytesPerItem: Record<string, number> = {};
      for (const [key, u] of meter.totals) {
        calls[key] = u.requests;
        if (u.writeUnits + u.readUnits > 0) units[key] = u.writeUnits + u.readUnits;
        if (u.storedBytes > 0) bytesPerItem[key] = u.storedBytes / u.requests;
      }
      let transitions = 0;
      for (const a of arns) transitions += (await fx.observer.driver.getExecutionHistory(a)).filter((e) => e.type.endsWith('StateEntered')).length;
      // Throughput: many executions at once.
      const throughput = await runBatch(fx, sm.stateMachineArn, w, w.concurrent, 'tps');
      const perExecution = transitions / w.executions;
      // What the calls cost with one set of extras, per million transitions.
      const allInPerMillion = (parts: Record<string, number>): number => ((priced.total + Object.values(parts).reduce((x, y) => x + y, 0)) / transitions) * 1e6;
      rows.push({
        workload: w,
        transitions,
        usdPerMillion: (priced.total / transitions) * 1e6,
        usdAllInPerMillion: allInPerMillion(extras),
        usdAllInNoPitrPerMillion: allInPerMillion(withoutPitr),
        usdAllInHttpApiPerMillion: allInPerMillion(viaHttpApi),
        allIn: Object.fromEntries(Object.entries(extras).map(([k, v]) => [k, (v / transitions) * 1e6])),
        breakdown: Object.fromEntries(Object.entries(priced.breakdown).map(([k, v]) => [k, (v / transitions) * 1e6])),
        transitionsPerSecond: (perExecution * w.concurrent) / (throughput.ms / 1000),
        callsPerTransition: Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v / transitions])),
        unitsPerTransition: Object.fromEntries(Object.entries(units).map(([k, v]) => [k, v / transitions])),
        bytesPerItem,
      });
      process.stderr.write(`${w.name}: done\n`);
    }
    express = await benchExpress(services);
  } finally {
    await fx.stop();
    await services.stop();
  }
  const table = [
    '| workload | transitions priced | USD per million transitions | DynamoDB | SQS | Lambda | S3 | all-in USD per million | all-in, HTTP API front door | transitions/s (concurrent executions) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.workload.description} | ${r.transitions.toLocaleString('en-US')} | $${r.usdPerMillion.toFixed(2)} | $${r.breakdown.dynamodb.toFixed(2)} | $${r.breakdown.sqs.toFixed(2)} | $${r.breakdown.lambda.toFixed(2)} | $${r.breakdown.s3.toFixed(2)} | $${r.usdAllInPerMillion.toFixed(2)} | $${r.usdAllInHttpApiPerMillion.toFixed(2)} | ${Math.round(r.transitionsPerSecond)} (${r.workload.concurrent}) |`,
    ),
    '',
    `All-in adds storage for ${retentionDays === DEFAULT_EXECUTION_RETENTION_DAYS ? 'the default ' : ''}${retentionDays}-day retention (each item for as long as its TTL keeps it: an ended execution's items the retention after its end, where the write that shortens them pays for itself), point-in-time recovery, the listing index's writes, CloudWatch logs, one API Gateway request per execution (REST API; the HTTP API column prices it at the HTTP API's $1.00 per million), and the task invoker's wait while Lambda tasks of 1 s run (a batch's chains run at once, each task after the one before it: the longest chain of each batch × 1 s).`,
    `Step Functions Standard: $${(US_EAST_1.stepFunctionsStandardTransition * 1e6).toFixed(2)} per million transitions. Measured ${new Date().toISOString().slice(0, 10)} on dynalite + fauxqs, Node ${process.version}.`,
  ].join('\n');
  process.stdout.write('\n' + table + '\n\ncalls per transition:\n');
  for (const r of rows) {
    process.stdout.write(`  ${r.workload.name}: ${Object.entries(r.callsPerTransition).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(' ')}\n`);
    process.stdout.write(`    capacity units: ${Object.entries(r.unitsPerTransition).map(([k, v]) => `${k.replace('dynamodb:', '')}=${v.toFixed(2)}`).join(' ')}\n`);
    process.stdout.write(`    bytes per item written: ${Object.entries(r.bytesPerItem).map(([k, v]) => `${k.replace('dynamodb:', '')}=${Math.round(v)}`).join(' ')}\n`);
    process.stdout.write(`    all-in extras, USD per million transitions: ${Object.entries(r.allIn).map(([k, v]) => `${k}=${v.toFixed(3)}`).join(' ')}\n`);
  }
  if (process.argv.includes('--write-readme') && retentionDays === DEFAULT_EXECUTION_RETENTION_DAYS) {
    const readme = join(__dirname, '..', '..', 'README.md');
    const text = readFileSync(readme, 'utf8');
    const marker = '<!-- cost-table -->';
    const parts = text.split(marker);
    if (parts.length === 3) writeFileSync(readme, `${parts[0]}${marker}\n${table}\n${marker}${parts[2]}`);
  }
  process.stdout.write('\n');
  for (const r of rows) {
    process.stdout.write(`cost: ${r.workload.name} usd_per_million_transitions=${r.usdPerMillion.toFixed(2)} usd_all_in_per_million_transitions=${r.usdAllInPerMillion.toFixed(2)} usd_all_in_without_pitr_per_million_transitions=${r.usdAllInNoPitrPerMillion.toFixed(2)} usd_all_in_http_api_per_million_transitions=${r.usdAllInHttpApiPerMillion.toFixed(2)} transitions_per_second=${Math.round(r.transitionsPerSecond)}\n`);
  }
  process.stdout.write(expressLines(express));
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
