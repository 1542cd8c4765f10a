/**
 * `npm run bench:scale`: the cloud runtime at scale on the loopback services
 * (dynalite, fauxqs for SQS and S3, a local Lambda endpoint, an SQS event
 * source with several concurrent pollers driving lambda/transition.ts).
 * Each workload is checked for the right result and prints one line
 * `scale: <workload> items=N wall_s=X writes_per_item=Y requeues=Z dead_letters=D`
 * (requeues: messages given back to the queue, whose retry waits out the
 * visibility timeout). Flags: `--scale F` multiplies every item count
 * (e.g. 0.1), `--only a,b` runs the named workloads, `--pollers N` (16),
 * `--containers C` (4: the pollers' transition functions, each with its own
 * driver and caches, so they race on a parent frame as Lambda containers do).
 * With SCALE_METER=1 each metered operation's requests and units per item go
 * to stderr (a count per item that grows with the items is superlinear work).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { CostMeter } from '../lib/aws/meter';
import { startCloud, startServices, waitForEnd, type CloudFixture } from '../harness/fixture';
import type { LambdaHandler } from '../lib/local/tasks/handlers-file';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const SCALE = Number(flag('scale') ?? '1');
const POLLERS = Number(flag('pollers') ?? '16');
/** Transition function containers sharing the pollers, each with its own driver: they race on a parent as Lambda's do. */
const CONTAINERS = Number(flag('containers') ?? '4');
const ONLY = flag('only')?.split(',');

interface ScaleWorkload {
  name: string;
  /** Items (Map iterations, or executions) at scale 1. */
  items: number;
  /** Starts the workload's executions; resolves to their ARNs. */
  start(fx: CloudFixture, items: number): Promise<string[]>;
  /** Throws unless the executions' outputs are right. */
  check(outputs: unknown[], items: number): void;
}

const inlineMap = (maxConcurrency: number): object => ({
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: maxConcurrency,
      ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } },
      ResultSelector: { 'count.$': 'States.ArrayLength($)', 'last.$': '$[-1:]' },
      End: true,
    },
  },
});

function mapCheck(name: string) {
  return (outputs: unknown[], items: number): void => {
    const out = outputs[0] as { count: number; last: { v: number }[] };
    if (out.count !== items || out.last[0]?.v !== items - 1) throw new Error(`${name}: wrong output ${JSON.stringify(out)}`);
  };
}

async function startOne(fx: CloudFixture, name: string, definition: object, input: unknown): Promise<string[]> {
  const sm = await fx.cloud.driver.putStateMachine(name, JSON.stringify(definition));
  return [(await fx.cloud.driver.startExecution(sm.stateMachineArn, { name: `${name}-1`, input: input as never })).executionArn];
}

const inline = (maxConcurrency: number): ScaleWorkload => ({
  name: `inline-map-mc${maxConcurrency}`,
  items: 10_000,
  start: (fx, items) => startOne(fx, `inline-map-mc${maxConcurrency}`, inlineMap(maxConcurrency), { items: Array.from({ length: items }, (_, i) => i) }),
  check: mapCheck(`inline-map-mc${maxConcurrency}`),
});

const WORKLOADS: ScaleWorkload[] = [
  inline(0),
  inline(40),
  {
    name: 'distributed-map-s3',
    items: 100_000,
    async start(fx, items) {
      const key = `scale/items-${items}.json`;
      await fx.cloud.clients.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: JSON.stringify(Array.from({ length: items }, (_, i) => i)) }));
      const definition = {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: fx.bucket, Key: key } },
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'Item',
              States: { Item: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } },
            },
            MaxConcurrency: 1000,
            ResultSelector: { 'count.$': 'States.ArrayLength($)', 'last.$': '$[-1:]' },
            End: true,
          },
        },
      };
      return startOne(fx, 'distributed-map-s3', definition, {});
    },
    check: mapCheck('distributed-map-s3'),
  },
  {
    name: 'lambda-5-tasks',
    items: 1_000,
    async start(fx, items) {
      const definition = {
        StartAt: 'T0',
        States: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`T${i}`, { Type: 'Task', Resource: `${FN}Work`, ...(i < 4 ? { Next: `T${i + 1}` } : { End: true }) }])),
      };
      const sm = await fx.cloud.driver.putStateMachine('lambda-5-tasks', JSON.stringify(definition));
      const arns: string[] = [];
      // Started 50 at a time (the API's own calls are not what is measured).
      for (let i = 0; i < items; i += 50) {
        const chunk = Array.from({ length: Math.min(50, items - i) }, (_, j) => i + j);
        arns.push(...(await Promise.all(chunk.map(async (n) => (await fx.cloud.driver.startExecution(sm.stateMachineArn, { name: `x-${n}`, input: { n, step: 0 } })).executionArn))));
      }
      return arns;
    },
    check(outputs, items) {
      if (outputs.length !== items) throw new Error(`lambda-5-tasks: ${outputs.length} outputs`);
      outputs.forEach((o, n) => {
        const out = o as { n: number; step: number };
        if (out.n !== n || out.step !== 5) throw new Error(`lambda-5-tasks: wrong output ${JSON.stringify(o)} for execution ${n}`);
      });
    },
  },
];

const handlers = new Map<string, LambdaHandler>([['Work', async (event) => ({ ...(event as object), step: ((event as { step?: number }).step ?? 0) + 1 })]]);

/** DynamoDB writes (every metered write request, conditional failures included). */
function writes(meter: CostMeter): number {
  let n = 0;
  for (const [key, u] of meter.totals) if (key.startsWith('dynamodb:') && u.writeUnits > 0) n += u.requests;
  return n;
}

/** With SCALE_METER set, every 10 s: the children ended (completion records) and frame versions written so far — a rate that falls as they grow is superlinear work. */
function printProgress(meter: CostMeter, started: number): void {
  const n = (op: string): number => meter.totals.get(`dynamodb:${op}`)?.requests ?? 0;
  const cpu = process.cpuUsage();
  process.stderr.write(`progress: t=${((Date.now() - started) / 1000).toFixed(0)}s completions=${n('PutChildCompletion')} frame_versions=${n('PutFrameVersion')} cpu_s=${((cpu.user + cpu.system) / 1e6).toFixed(0)}\n`);
}

/** With SCALE_METER set: each metered operation's requests and units per item, to stderr (what grows with the items). */
function printMeter(meter: CostMeter, items: number): void {
  for (const [key, u] of [...meter.totals].sort(([a], [b]) => a.localeCompare(b))) {
    process.stderr.write(`meter: ${key} requests_per_item=${(u.requests / items).toFixed(3)} read_units_per_item=${(u.readUnits / items).toFixed(2)} write_units_per_item=${(u.writeUnits / items).toFixed(2)}\n`);
  }
}

async function deadLetters(fx: CloudFixture): Promise<number> {
  const out = await fx.observer.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: fx.deadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

async function run(w: ScaleWorkload, services: Awaited<ReturnType<typeof startServices>>): Promise<string> {
  const items = Math.max(1, Math.round(w.items * SCALE));
  const meter = new CostMeter();
  let requeues = 0;
  const log = (entry: Record<string, unknown>): void => {
    if (entry.message === 'message will be redelivered') requeues++;
    if (process.env.SCALE_LOG) process.stderr.write(JSON.stringify(entry) + '\n');
  };
  // A visibility timeout long enough that a slow batch on a busy machine is not redelivered while it runs
  // (the stack's is 960 s): a requeue is then a message given back, not one the queue took back.
  const fx = await startCloud(handlers, { meter, services, concurrency: POLLERS, containers: CONTAINERS, log, visibilityTimeoutSeconds: 30 });
  try {
    const started = Date.now();
    const ticker = process.env.SCALE_METER ? setInterval(() => printProgress(meter, started), 10_000) : undefined;
    const arns = await w.start(fx, items);
    const outputs: unknown[] = [];
    for (const arn of arns) {
      const end = await waitForEnd(fx.observer, arn, 3_600_000);
      if (end.status !== 'SUCCEEDED') throw new Error(`${w.name}: ${arn} ended ${end.status} ${end.error ?? ''} ${end.cause ?? ''}`);
      outputs.push(typeof end.output === "string" ? JSON.parse(end.output) : end.output);
    }
    const wall = (Date.now() - started) / 1000;
    clearInterval(ticker);
    w.check(outputs, items);
    await new Promise((r) => setTimeout(r, 1000)); // let trailing calls land in the meter
    if (process.env.SCALE_METER) printMeter(meter, items);
    return `scale: ${w.name} items=${items} wall_s=${wall.toFixed(1)} writes_per_item=${(writes(meter) / items).toFixed(2)} requeues=${requeues} dead_letters=${await deadLetters(fx)}`;
  } finally {
    await fx.stop();
  }
}

async function main(): Promise<void> {
  const services = await startServices();
  let failed = false;
  try {
    for (const w of WORKLOADS) {
      if (ONLY && !ONLY.includes(w.name)) continue;
      try {
        process.stdout.write(`${await run(w, services)}\n`);
      } catch (err) {
        failed = true;
        process.stdout.write(`scale: ${w.name} FAILED ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  } finally {
    await services.stop();
  }
  if (failed) process.exit(1);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
