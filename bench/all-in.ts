/**
 * The all-in price of a metered run: what the calls cost (bench/cloud.ts's
 * `price`) plus what the meter cannot see — storage kept for the retention,
 * point-in-time recovery, the listing index's writes and storage (dynalite's
 * ConsumedCapacity leaves index writes out), CloudWatch logs and metrics,
 * API Gateway requests, and the transition function's time while a
 * synchronous Lambda task runs.
 */
import type { CostMeter } from '../lib/aws/meter';
import { DEFAULT_EXECUTION_RETENTION_DAYS, DEFAULT_TRANSITION_MEMORY_MB } from '../lib/cdk/defaults';
import { US_EAST_1 } from './prices';

/** What the run is assumed to be, beyond what the meter counted. */
export interface AllInAssumptions {
  /** Days a finished execution is kept. @default DEFAULT_EXECUTION_RETENTION_DAYS */
  retentionDays?: number;
  /** How long each task function runs, in seconds (the transition function waits on it). @default 1 */
  taskSeconds?: number;
  /** Executions the run started, each one API Gateway request (StartExecution). */
  executions: number;
}

/** Items of a running execution expire this long after they are written (a year, the longest run; DynamoStore). */
const LONGEST_RUN_DAYS = 366;
const DAYS_PER_MONTH = 30.4;
/** The Lambda platform's START, END and REPORT lines per invocation, in bytes. */
const PLATFORM_LOG_BYTES = 330;
/** The metrics an execution emits (started, and succeeded or failed with its time), as embedded-metric-format lines. */
const METRIC_LOG_BYTES_PER_EXECUTION = 2 * 420;
/** Operations that write the execution record (so the byMachine index too, projected ALL). */
const RECORD_WRITES = ['dynamodb:CreateExecution', 'dynamodb:FinishExecution', 'dynamodb:ReopenExecution'];
/** Items later overwritten at the same key: their storage is counted once, by the last write. */
const OVERWRITTEN = ['dynamodb:CreateExecution', 'dynamodb:ClaimTask'];

/** USD of each all-in part for the metered run. */
export function allInExtras(meter: CostMeter, a: AllInAssumptions): Record<string, number> {
  const retentionDays = a.retentionDays ?? DEFAULT_EXECUTION_RETENTION_DAYS;
  let recordBytes = 0;
  let otherBytes = 0;
  let indexWriteUnits = 0;
  for (const [key, u] of meter.totals) {
    if (!key.startsWith('dynamodb:')) continue;
    if (RECORD_WRITES.includes(key)) indexWriteUnits += u.writeUnits;
    if (OVERWRITTEN.includes(key)) continue;
    if (RECORD_WRITES.includes(key)) recordBytes += u.storedBytes;
    else otherBytes += u.storedBytes;
  }
  // A record lives the retention after its end; every other item a year (the longest run) plus the retention
  // after it was written, as its TTL says. The index holds a copy of every record.
  const gbMonths = (recordBytes * 2 * (retentionDays / DAYS_PER_MONTH) + otherBytes * ((LONGEST_RUN_DAYS + retentionDays) / DAYS_PER_MONTH)) / 1e9;
  const tableGbMonths = gbMonths - (recordBytes * (retentionDays / DAYS_PER_MONTH)) / 1e9;
  const transitionInvokes = meter.totals.get('lambda:TransitionInvoke')?.requests ?? 0;
  const taskInvokes = meter.totals.get('lambda:TaskFunctionInvoke')?.requests ?? 0;
  const logBytes = (transitionInvokes + taskInvokes) * PLATFORM_LOG_BYTES + a.executions * METRIC_LOG_BYTES_PER_EXECUTION;
  return {
    storage: gbMonths * US_EAST_1.dynamodbStorageGbMonth,
    pitr: tableGbMonths * US_EAST_1.dynamodbPitrGbMonth,
    indexWrites: indexWriteUnits * US_EAST_1.dynamodbWriteRequestUnit,
    logs: (logBytes / 1e9) * US_EAST_1.cloudwatchLogsIngestGb,
    apiGateway: a.executions * US_EAST_1.apiGatewayRestRequest,
    // A synchronous task runs inside the transition function, which is billed while it waits.
    taskWait: taskInvokes * (a.taskSeconds ?? 1) * (DEFAULT_TRANSITION_MEMORY_MB / 1024) * US_EAST_1.lambdaGbSecondArm,
  };
}
