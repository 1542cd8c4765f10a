/**
 * The task invoker function: the SQS event source of the invoker queue
 * invokes it with a batch of task requests, which a transition sent instead
 * of invoking its task and waiting (lib/service/task-invoker.ts). Each
 * attempt is claimed (a conditional put) before its Lambda Invoke
 * (RequestResponse, with the state machine's role) and its outcome is
 * applied to its frame here (the transition queue takes it only when that
 * fails); a batch's tasks run at once, and the frame's next synchronous task
 * runs here too while the invocation has time for it. Failed records are
 * reported in `batchItemFailures` (the event source mapping enables
 * ReportBatchItemFailures), so only they are redelivered.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { processTaskRequests, type TaskRequestBatchOptions } from '../lib/service/task-invoker';
import type { BatchResponse } from '../lib/service/batch';
import { deployedHandler, type Cloud, type LambdaContext } from '../lib/aws/environment';
import { batchLog, type SqsEvent } from './transition';

/** A handler over a given cloud (tests build one on loopback services). */
export function createInvokerHandler(cloud: Cloud, options: Pick<TaskRequestBatchOptions, 'log' | 'waited'> = {}): (event: SqsEvent, context?: LambdaContext) => Promise<BatchResponse> {
  const batch: TaskRequestBatchOptions = { ...options, ...(cloud.blobs ? { readBlob: (key: string) => cloud.blobs!.get(key) } : {}) };
  // A chain of one frame's tasks ends in time for the invocation's own deadline (lib/service/task-chain.ts).
  return (event, context) => processTaskRequests(cloud.driver, event.Records, context ? { ...batch, until: Date.now() + context.getRemainingTimeInMillis() } : batch);
}

export const handler = deployedHandler('switchyard-invoker', (parts) => {
  const run = createInvokerHandler(parts.cloud, { log: batchLog(parts) });
  return async (event: SqsEvent, context?: LambdaContext): Promise<BatchResponse> => {
    const response = await run(event, context);
    // The outcomes this invoker applied entered states too (the transition function counts its own).
    parts.metrics.addMetric('StateTransitions', MetricUnit.Count, parts.cloud.driver.takeStatesEntered());
    return response;
  };
});
