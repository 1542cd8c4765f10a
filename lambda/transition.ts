/**
 * The transition function: the SQS event source invokes it with a batch of
 * messages; each is one state transition (lib/aws/driver). Failed records
 * are reported in `batchItemFailures` (the event source mapping must enable
 * ReportBatchItemFailures), so only they are redelivered.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { processBatch, type BatchOptions, type BatchResponse } from '../lib/service/batch';
import { deployedHandler, type Cloud, type Deployed } from '../lib/aws/environment';

/** The parts of Lambda's SQSEvent this function reads. */
export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}

/**
 * A batch's frames processed at once: all of them (the event source's batch is at most 10), so a batch's
 * synchronous tasks wait together, not one after another.
 */
export const BATCH_CONCURRENCY = 10;

/** A handler over a given cloud (tests build one on loopback services). */
export function createTransitionHandler(cloud: Cloud, options: Pick<BatchOptions, 'log' | 'concurrency'> = {}): (event: SqsEvent) => Promise<BatchResponse> {
  const batch: BatchOptions = { concurrency: BATCH_CONCURRENCY, ...options, ...(cloud.blobs ? { readBlob: (key: string) => cloud.blobs!.get(key) } : {}) };
  return (event) => processBatch(cloud.driver, cloud.queue, event.Records, batch);
}

const THROTTLED = /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|TooManyRequests|SlowDown/;

/**
 * Logs what the batch reports through Powertools, and counts a transition
 * that throttling kept from committing (after the SDK's own retries) as
 * ExecutionThrottled, the metric Step Functions uses for throttled transitions.
 */
export function batchLog(parts: Pick<Deployed, 'logger' | 'metrics'>): (entry: Record<string, unknown>) => void {
  return (entry) => {
    parts.logger.warn(String(entry.message ?? ''), entry);
    if (THROTTLED.test(String(entry.error ?? ''))) parts.metrics.addMetric('ExecutionThrottled', MetricUnit.Count, 1);
  };
}

export const handler = deployedHandler('switchyard-transition', (parts) => {
  const run = createTransitionHandler(parts.cloud, { log: batchLog(parts) });
  return async (event: SqsEvent): Promise<BatchResponse> => {
    const response = await run(event);
    // States entered, as Step Functions counts (and bills) state transitions; one message may enter several.
    parts.metrics.addMetric('StateTransitions', MetricUnit.Count, parts.cloud.driver.takeStatesEntered());
    return response;
  };
});
