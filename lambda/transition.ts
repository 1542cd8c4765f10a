/**
 * The transition function: the SQS event source invokes it with a batch of
 * messages; each is one state transition (lib/aws/driver). Failed records
 * are reported in `batchItemFailures` (the event source mapping must enable
 * ReportBatchItemFailures), so only they are redelivered.
 */
import { processBatch, type BatchOptions, type BatchResponse } from '../lib/aws/batch';
import { cloudFromConfig, configFromEnv, type Cloud } from '../lib/aws/environment';

/** The parts of Lambda's SQSEvent this function reads. */
export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}

/** A handler over a given cloud (tests build one on loopback services). */
export function createTransitionHandler(cloud: Cloud, options: Pick<BatchOptions, 'log'> = {}): (event: SqsEvent) => Promise<BatchResponse> {
  const batch: BatchOptions = { ...options, ...(cloud.blobs ? { readBlob: (key: string) => cloud.blobs!.get(key) } : {}) };
  return (event) => processBatch(cloud.driver, cloud.queue, event.Records, batch);
}

let fromEnv: ((event: SqsEvent) => Promise<BatchResponse>) | undefined;

export const handler = (event: SqsEvent): Promise<BatchResponse> => {
  fromEnv ??= createTransitionHandler(cloudFromConfig(configFromEnv()));
  return fromEnv(event);
};
