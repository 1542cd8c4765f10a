/**
 * The all-in price of a metered run: what the calls cost (bench/cloud.ts's
 * `price`) plus what the meter cannot see — storage for as long as each
 * item's expiry keeps it (the store meters bytes × seconds), point-in-time
 * recovery, the listing index's writes and storage (dynalite's
 * ConsumedCapacity leaves index writes out), CloudWatch logs and metrics,
 * API Gateway requests, and the task invoker's time while the Lambda tasks
 * of each of its batches run (at once: one invocation waits as long as its
 * longest chain of one frame's tasks, run one after another).
 */
import type { CostMeter } from '../lib/aws/meter';
import type { FrontDoorKind } from '../lib/cdk/props';
import { DEFAULT_INVOKER_MEMORY_MB, DEFAULT_TRANSITION_MEMORY_MB } from '../lib/cdk/defaults';
import { US_EAST_1 } from './prices';

/** What the run is assumed to be, beyond what the meter counted. */
export interface AllInAssumptions {
  /** Whether the table has point-in-time recovery (the construct's `pointInTimeRecovery`). @default true */
  pointInTimeRecovery?: boolean;
  /** How long each task function runs, in seconds (the invocation that invoked it waits on it). @default 1 */
  taskSeconds?: number;
  /** Executions the run started, each one API Gateway request (StartExecution). */
  executions: number;
  /** The front door those requests go through (the construct's `frontDoor`). @default 'rest-api' */
  frontDoor?: FrontDoorKind;
}

const DAYS_PER_MONTH = 30.4;
/** The Lambda platform's START, END and REPORT lines per invocation, in bytes. */
const PLATFORM_LOG_BYTES = 330;
/** The metrics an execution emits (started, and succeeded or failed with its time), as embedded-metric-format lines. */
const METRIC_LOG_BYTES_PER_EXECUTION = 2 * 420;
/** Operations that write the execution record (so the byMachine index too, projected ALL). */
const RECORD_WRITES = ['dynamodb:CreateExecution', 'dynamodb:FinishExecution', 'dynamodb:ReopenExecution'];
/**
 * Items always overwritten later at the same key: their storage is counted once, by the last write. (A task
 * claim is overwritten only when its invoker could not apply the outcome, so both writes count: a little over.)
 */
const OVERWRITTEN = ['dynamodb:CreateExecution'];

/** USD of each all-in part for the metered run. */
export function allInExtras(meter: CostMeter, a: AllInAssumptions): Record<string, number> {
  let recordByteSeconds = 0;
  let otherByteSeconds = 0;
  let indexWriteUnits = 0;
  for (const [key, u] of meter.totals) {
    if (!key.startsWith('dynamodb:')) continue;
    if (RECORD_WRITES.includes(key)) indexWriteUnits += u.writeUnits;
    if (OVERWRITTEN.includes(key)) continue;
    if (RECORD_WRITES.includes(key)) recordByteSeconds += u.storedByteSeconds;
    else otherByteSeconds += u.storedByteSeconds;
  }
  // Each item is priced for as long as its TTL keeps it (the store meters bytes × seconds to its expiry, and
  // what settling an ended execution takes off). The index holds a copy of every record; PITR prices the table.
  const gbMonths = (byteSeconds: number): number => byteSeconds / (86_400 * DAYS_PER_MONTH * 1e9);
  const tableGbMonths = gbMonths(recordByteSeconds + otherByteSeconds);
  const requests = (key: string): number => meter.totals.get(key)?.requests ?? 0;
  const taskInvokes = requests('lambda:TaskFunctionInvoke');
  const invokerInvokes = requests('lambda:InvokerInvoke');
  // Per invocation, the tasks its longest chain ran one after another (harness/fixture.ts meters them).
  const invokerRounds = requests('lambda:InvokerTaskRounds');
  // Switchyard's own functions log; a task function's lines are the user's, as under Step Functions (as `price` leaves its calls out).
  const logBytes = (requests('lambda:TransitionInvoke') + invokerInvokes) * PLATFORM_LOG_BYTES + a.executions * METRIC_LOG_BYTES_PER_EXECUTION;
  // What waits while a task runs: the task invoker, whose invocation runs its batch's chains at once, so it waits
  // as long as its longest chain (each task `taskSeconds`); without an invoker, the transition function, task by task.
  const waits = invokerInvokes > 0 ? { seconds: invokerRounds, mb: DEFAULT_INVOKER_MEMORY_MB } : { seconds: taskInvokes, mb: DEFAULT_TRANSITION_MEMORY_MB };
  return {
    storage: (tableGbMonths + gbMonths(recordByteSeconds)) * US_EAST_1.dynamodbStorageGbMonth,
    pitr: a.pointInTimeRecovery === false ? 0 : tableGbMonths * US_EAST_1.dynamodbPitrGbMonth,
    indexWrites: indexWriteUnits * US_EAST_1.dynamodbWriteRequestUnit,
    logs: (logBytes / 1e9) * US_EAST_1.cloudwatchLogsIngestGb,
    apiGateway: a.executions * (a.frontDoor === 'http-api' ? US_EAST_1.apiGatewayHttpRequest : US_EAST_1.apiGatewayRestRequest),
    taskWait: waits.seconds * (a.taskSeconds ?? 1) * (waits.mb / 1024) * US_EAST_1.lambdaGbSecondArm,
  };
}
