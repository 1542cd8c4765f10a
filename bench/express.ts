/**
 * The EXPRESS part of `npm run bench:cloud`: a 10-state Express workflow
 * run through the API function (lambda/api.ts) on the loopback services,
 * priced per million executions beside Step Functions Express.
 *
 * - sync: StartSyncExecution; the API function runs the whole execution, so
 *   its cost is one API function request and its GB-seconds (timed here, at
 *   the construct's 512 MB, billed per millisecond), plus whatever the meter
 *   saw (the 5-second state machine cache's reads).
 * - event: an EventBridge schedule or rule; the schedule function (256 MB)
 *   starts the execution as the API does — one asynchronous invoke of the
 *   Express function, which runs it (metered as below) — so a run of up to
 *   five minutes never outlasts the schedule function's 30 seconds.
 * - async: StartExecution through the API; the API function invokes the
 *   Express function (256 MB) asynchronously, which runs the execution; the
 *   meter counts each of its invocations (a Lambda request) and its
 *   GB-seconds, and whatever else the run called (no SQS request).
 *
 * The task functions are the user's own and billed alike under Step
 * Functions, so they are left out of both sides. Step Functions Express is
 * priced from the same measured durations: $1.00 per million requests plus
 * $0.00001667 per GB-second, in 100 ms and 64 MB increments.
 */
import { createApiHandler } from '../lambda/api';
import { createScheduleHandler } from '../lambda/schedule';
import { CostMeter } from '../lib/aws/meter';
import { startCloud, type Services } from '../harness/fixture';
import { US_EAST_1 } from './prices';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';
/** The construct's API function memory (SwitchyardProps.apiMemorySize's default) and the schedule function's. */
const API_MEMORY_MB = 512;
const SCHEDULE_MEMORY_MB = 256;
/** Executions priced per workload. */
const EXECUTIONS = 200;

/** Ten states: two Lambda tasks, a Choice, six Pass states and a Succeed, on ≈1 KiB of state. */
const DEFINITION = {
  StartAt: 'Receive',
  States: {
    Receive: { Type: 'Pass', Parameters: { 'order.$': '$.order', step: 0 }, Next: 'Work' },
    Work: { Type: 'Task', Resource: `${FN}ExpressWork`, Next: 'Worked' },
    Worked: { Type: 'Choice', Choices: [{ Variable: '$.step', NumericGreaterThan: 0, Next: 'Price' }], Default: 'Price' },
    Price: { Type: 'Pass', Parameters: { 'order.$': '$.order', 'lines.$': 'States.ArrayLength($.order.lines)' }, Next: 'Tax' },
    Tax: { Type: 'Pass', ResultPath: '$.tax', Result: { rate: 0.19 }, Next: 'Ship' },
    Ship: { Type: 'Pass', ResultPath: '$.shipping', Parameters: { 'country.$': '$.order.country' }, Next: 'Stamp' },
    Stamp: { Type: 'Pass', ResultPath: '$.stamp', Parameters: { 'id.$': 'States.UUID()' }, Next: 'Trim' },
    Trim: { Type: 'Pass', Parameters: { 'id.$': '$.order.id', 'lines.$': '$.lines', 'tax.$': '$.tax', 'shipping.$': '$.shipping' }, Next: 'Done' },
    Done: { Type: 'Task', Resource: `${FN}ExpressDone`, Next: 'End' },
    End: { Type: 'Succeed' },
  },
};

const INPUT = {
  order: {
    id: 'ord-7f3k2q',
    country: 'DE',
    customer: { id: 48213, name: 'Ada Example', email: 'ada@example.org' },
    lines: Array.from({ length: 12 }, (_, i) => ({ sku: `SKU-${1000 + i * 37}`, qty: 1 + (i % 4), price: 4.99 + i * 3.5, note: 'gift wrap, leave at door' })),
  },
};

let done = 0;

/** The workflow's task functions, for the fixture's Lambda endpoint. */
const HANDLERS: [string, (event: unknown) => Promise<unknown>][] = [
  ['ExpressWork', async (event) => ({ ...(event as object), step: 1 })],
  ['ExpressDone', async (event) => {
    done++;
    return event;
  }],
];

/** One `express:` line's figures. */
export interface ExpressRow {
  workload: string;
  /** Started through the API (API Gateway's REST API in front), not by EventBridge. */
  viaApi: boolean;
  usdPerMillion: number;
  sfnUsdPerMillion: number;
}

/** Step Functions Express for one execution of `ms`: the request and its duration in 100 ms × 64 MB increments. */
function sfnExpressUsd(ms: number): number {
  const billedSeconds = Math.max(1, Math.ceil(ms / 100)) / 10;
  return US_EAST_1.stepFunctionsExpressRequest + billedSeconds * (64 / 1024) * US_EAST_1.stepFunctionsExpressGbSecond;
}

/** One invocation of `ms` of a function of `memoryMb`, as Lambda bills it (per millisecond, arm64). */
function functionUsd(ms: number, memoryMb = API_MEMORY_MB): number {
  return US_EAST_1.lambdaRequest + (Math.max(1, Math.ceil(ms)) / 1000) * (memoryMb / 1024) * US_EAST_1.lambdaGbSecondArm;
}

/** What the meter saw, in USD, leaving out the user's task functions: the Switchyard functions' invocations, queue, table and bucket calls. */
function meteredUsd(meter: CostMeter): number {
  const d = meter.service('dynamodb');
  const functions = ['lambda:TransitionInvoke', 'lambda:ExpressInvoke'].map((key) => meter.totals.get(key) ?? { requests: 0, gbSeconds: 0 });
  return (
    d.writeUnits * US_EAST_1.dynamodbWriteRequestUnit +
    d.readUnits * US_EAST_1.dynamodbReadRequestUnit +
    meter.service('sqs').sqsBilledRequests * US_EAST_1.sqsRequest +
    (meter.totals.get('s3:PutObject')?.requests ?? 0) * US_EAST_1.s3Put +
    (meter.totals.get('s3:GetObject')?.requests ?? 0) * US_EAST_1.s3Get +
    functions.reduce((usd, f) => usd + f.requests * US_EAST_1.lambdaRequest + f.gbSeconds * US_EAST_1.lambdaGbSecondArm, 0)
  );
}

/**
 * Runs the Express workloads on the services given, on a cloud of their own
 * with two long-polling pollers, so the meter sees what a steady stream of
 * executions costs rather than a bench's idle polling.
 */
export async function benchExpress(services: Services): Promise<ExpressRow[]> {
  const meter = new CostMeter();
  const fx = await startCloud(new Map(HANDLERS), { meter, services, concurrency: 2, waitTimeSeconds: 5, log: () => {} });
  try {
    return await runWorkloads(fx, meter);
  } finally {
    await fx.stop();
  }
}

async function runWorkloads(fx: Awaited<ReturnType<typeof startCloud>>, meter: CostMeter): Promise<ExpressRow[]> {
  const api = createApiHandler(fx.cloud);
  const call = async (action: string, body: object): Promise<{ ms: number; out: Record<string, unknown> }> => {
    const started = performance.now();
    const r = await api({ httpMethod: 'POST', path: '/', headers: { 'X-Amz-Target': `AWSStepFunctions.${action}` }, body: JSON.stringify(body) });
    const ms = performance.now() - started;
    if (r.statusCode !== 200) throw new Error(`express: ${action} answered ${r.statusCode} ${r.body}`);
    return { ms, out: JSON.parse(r.body) as Record<string, unknown> };
  };
  const sm = await fx.cloud.driver.putStateMachine('express-10', JSON.stringify(DEFINITION), undefined, 'EXPRESS');
  const input = JSON.stringify(INPUT);
  const rows: ExpressRow[] = [];

  // sync: the execution runs inside the API call.
  await call('StartSyncExecution', { stateMachineArn: sm.stateMachineArn, input }); // warm
  meter.reset();
  let usd = 0;
  let sfn = 0;
  for (let i = 0; i < EXECUTIONS; i++) {
    const { ms, out } = await call('StartSyncExecution', { stateMachineArn: sm.stateMachineArn, input });
    if (out.status !== 'SUCCEEDED') throw new Error(`express: sync execution ended ${String(out.status)} ${String(out.cause ?? '')}`);
    usd += functionUsd(ms);
    sfn += sfnExpressUsd(ms);
  }
  usd += meteredUsd(meter);
  rows.push({ workload: 'tasks-10-sync', viaApi: true, usdPerMillion: (usd / EXECUTIONS) * 1e6, sfnUsdPerMillion: (sfn / EXECUTIONS) * 1e6 });

  // event: EventBridge invokes the schedule function, which invokes the Express function asynchronously (each run
  // ends before the next start, as below).
  const schedule = createScheduleHandler(fx.cloud, {});
  await schedule({ stateMachineArn: sm.stateMachineArn, input: INPUT, name: 'event-warm' });
  await fx.lambda.settled();
  meter.reset();
  done = 0;
  usd = 0;
  for (let i = 0; i < EXECUTIONS; i++) {
    const started = performance.now();
    await schedule({ stateMachineArn: sm.stateMachineArn, input: INPUT, name: `event-${i}` });
    usd += functionUsd(performance.now() - started, SCHEDULE_MEMORY_MB);
    await fx.lambda.settled(); // its invocations' time is in the meter
  }
  if (done !== EXECUTIONS) throw new Error(`express: ${done} of ${EXECUTIONS} event-started executions ended`);
  if (fx.expressFailures.length > 0) throw new Error(`express: ${fx.expressFailures.length} event-started launches failed: ${fx.expressFailures[0]!.cause}`);
  usd += meteredUsd(meter);
  rows.push({ workload: 'tasks-10-event', viaApi: false, usdPerMillion: (usd / EXECUTIONS) * 1e6, sfnUsdPerMillion: (sfn / EXECUTIONS) * 1e6 });

  // async: one asynchronous invoke of the Express function per start, which runs the execution. Each run ends
  // before the next start, as the sync and event runs do: runs overlapping on this one thread would each be timed
  // with the others' work, where Lambda gives every invocation a container of its own.
  await call('StartExecution', { stateMachineArn: sm.stateMachineArn, input }); // warm
  await fx.lambda.settled();
  meter.reset();
  done = 0;
  usd = 0;
  const started = performance.now();
  for (let i = 0; i < EXECUTIONS; i++) {
    usd += functionUsd((await call('StartExecution', { stateMachineArn: sm.stateMachineArn, input })).ms);
    await fx.lambda.settled(); // its invocations' time is in the meter
  }
  const wallMs = performance.now() - started;
  if (done !== EXECUTIONS) throw new Error(`express: ${done} of ${EXECUTIONS} asynchronous executions ended`);
  if (fx.expressFailures.length > 0) throw new Error(`express: ${fx.expressFailures.length} asynchronous launches failed: ${fx.expressFailures[0]!.cause}`);
  usd += meteredUsd(meter);
  // Step Functions is priced at the sync run's durations: an asynchronous execution runs the same states.
  rows.push({ workload: 'tasks-10-async', viaApi: true, usdPerMillion: (usd / EXECUTIONS) * 1e6, sfnUsdPerMillion: (sfn / EXECUTIONS) * 1e6 });
  process.stderr.write(`express: ${EXECUTIONS} asynchronous executions in ${Math.round(wallMs)} ms\n`);
  return rows;
}

/** The `express:` lines: Switchyard's cost beside Step Functions Express, and for starts through the API, with an API Gateway REST API's or HTTP API's request added. */
export function expressLines(rows: readonly ExpressRow[]): string {
  return rows
    .map(
      (r) =>
        `express: ${r.workload} usd_per_million_executions=${r.usdPerMillion.toFixed(2)} sfn_express_usd_per_million_executions=${r.sfnUsdPerMillion.toFixed(2)}` +
        (r.viaApi
          ? ` usd_per_million_executions_via_rest_api=${(r.usdPerMillion + US_EAST_1.apiGatewayRestRequest * 1e6).toFixed(2)} usd_per_million_executions_via_http_api=${(r.usdPerMillion + US_EAST_1.apiGatewayHttpRequest * 1e6).toFixed(2)}`
          : '') +
        '\n',
    )
    .join('');
}
