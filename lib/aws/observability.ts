/**
 * What the deployed functions tell the world about executions: CloudWatch
 * metrics under Step Functions' own names (ExecutionsStarted,
 * ExecutionsSucceeded, ExecutionsFailed, ExecutionsTimedOut,
 * ExecutionsAborted, ExecutionTime, ExecutionThrottled, plus
 * StateTransitions) in the embedded metric format through Powertools, and,
 * when enabled, EventBridge events with Step Functions' "Execution Status
 * Change" shape; and execution logs in CloudWatch Logs (execution-log.ts)
 * for state machines that log.
 *
 * EventBridge refuses `aws.*` sources from PutEvents, so the events carry
 * the source `switchyard` (configurable) and the service's detail-type and
 * detail: a rule matching `detail-type` and `detail.status` works unchanged
 * once its `source` is switched.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DEFAULT_EVENT_SOURCE, DEFAULT_METRICS_NAMESPACE } from '../cdk/defaults';
import type { EventDraft } from '../engine/events';
import { ExecutionLogWriter } from './execution-log';
import type { ExecutionObserver, ExecutionRecord, ExecutionStatus } from '../service/ports';

/** The detail-type of Step Functions' execution status events. */
export const STATUS_CHANGE_DETAIL_TYPE = 'Step Functions Execution Status Change';
export { DEFAULT_EVENT_SOURCE, DEFAULT_METRICS_NAMESPACE };

const END_METRIC: Partial<Record<ExecutionStatus, string>> = {
  SUCCEEDED: 'ExecutionsSucceeded',
  FAILED: 'ExecutionsFailed',
  TIMED_OUT: 'ExecutionsTimedOut',
  ABORTED: 'ExecutionsAborted',
};

/** EventBridge's limit on one entry is 256 KB; like the service, bigger input or output is left out and says so. */
const MAX_DETAIL_DATA_BYTES = 200_000;

/** The EventBridge entry Step Functions would emit for this execution's current status. */
export function statusChangeEntry(record: ExecutionRecord, source: string, busName: string): PutEventsRequestEntry {
  const { info } = record;
  const data = (value: unknown): { text: string | null; included: boolean } => {
    if (value === undefined) return { text: null, included: true };
    const text = JSON.stringify(value);
    return Buffer.byteLength(text) <= MAX_DETAIL_DATA_BYTES ? { text, included: true } : { text: null, included: false };
  };
  const input = data(info.input);
  const output = data(record.status === 'SUCCEEDED' ? record.output : undefined);
  const detail = {
    executionArn: info.executionArn,
    stateMachineArn: info.stateMachineArn,
    name: info.name,
    status: record.status,
    startDate: info.startTime,
    stopDate: record.stopDate ?? null,
    input: input.text,
    output: output.text,
    inputDetails: { included: input.included },
    outputDetails: { included: output.included },
    error: record.error ?? null,
    cause: record.cause ?? null,
    redriveCount: info.redriveCount ?? 0,
    redriveDate: record.redriveDate ?? null,
  };
  return { Source: source, DetailType: STATUS_CHANGE_DETAIL_TYPE, Resources: [info.executionArn], Detail: JSON.stringify(detail), EventBusName: busName, Time: new Date(record.stopDate ?? info.startTime) };
}

export interface ObservabilityOptions {
  metrics: Metrics;
  /** Status change events; none when absent. */
  events?: { client: Pick<EventBridgeClient, 'send'>; busName: string; source: string };
  /** Execution logs to CloudWatch Logs, for state machines whose LoggingConfiguration asks. @default none */
  log?: ExecutionLogWriter;
}

/** An observer that counts executions by state machine and, optionally, emits status change events. */
export function executionObserver(options: ObservabilityOptions): ExecutionObserver {
  const count = (record: ExecutionRecord, name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number): void => {
    // One metric per line: each execution's dimension differs, and Powertools flushes a single metric at once.
    options.metrics.singleMetric().addDimension('StateMachineArn', record.info.stateMachineArn).addMetric(name, unit, value);
  };
  const emit = async (record: ExecutionRecord): Promise<void> => {
    if (!options.events) return;
    const { client, busName, source } = options.events;
    const out = await client.send(new PutEventsCommand({ Entries: [statusChangeEntry(record, source, busName)] }));
    if (out.FailedEntryCount) throw new Error(`EventBridge refused the status change event: ${out.Entries?.[0]?.ErrorCode} ${out.Entries?.[0]?.ErrorMessage}`);
  };
  return {
    async started(record) {
      count(record, 'ExecutionsStarted', MetricUnit.Count, 1);
      await emit(record);
    },
    async finished(record) {
      const metric = END_METRIC[record.status];
      if (metric) count(record, metric, MetricUnit.Count, 1);
      if (record.stopDate !== undefined) count(record, 'ExecutionTime', MetricUnit.Milliseconds, record.stopDate - record.info.startTime);
      await emit(record);
    },
    ...(options.log ? { transitioned: (record: ExecutionRecord, events: readonly EventDraft[]) => options.log!.add(record, events) } : {}),
  };
}

/** The functions' logger, metrics and observer, configured from the environment the CDK construct sets. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  observer: ExecutionObserver;
  /** Sends what the invocation buffered (metrics, execution logs); call once as it ends. */
  flush(): Promise<void>;
}

export function observabilityFromEnv(serviceName: string, env: NodeJS.ProcessEnv = process.env): Observability {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: env.SWITCHYARD_METRICS_NAMESPACE ?? DEFAULT_METRICS_NAMESPACE, serviceName });
  const busName = env.SWITCHYARD_EVENT_BUS;
  const events = busName ? { client: new EventBridgeClient({}), busName, source: env.SWITCHYARD_EVENT_SOURCE ?? DEFAULT_EVENT_SOURCE } : undefined;
  const log = new ExecutionLogWriter({ client: new CloudWatchLogsClient({}), report: (message, error) => logger.error(message, error as Error) });
  return {
    logger,
    metrics,
    observer: executionObserver({ metrics, log, ...(events ? { events } : {}) }),
    async flush() {
      // (Publishing nothing would log Powertools' "No application metrics to publish" warning on every request.)
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      await log.flush();
    },
  };
}
