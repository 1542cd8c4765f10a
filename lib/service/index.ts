/**
 * The durable service that `switchyard serve` and the Lambda functions both
 * run, over ports: transitions (commit and outbox), the execution API, the
 * registry, activities and task tokens, the Step Functions JSON protocol,
 * and the in-memory adapters. No AWS SDK here.
 */
export { CloudDriver, RetryLaterError, messageKey, LOST_WORKER_ERROR, LOST_WORKER_CAUSE, type CloudDriverOptions } from './driver';
export type * from './ports';
export { processBatch, parseEnvelope, type BatchOptions, type BatchResponse, type QueueRecord } from './batch';
export { readExpressLaunch, MalformedLaunchError, type ExpressLaunchEvent, type StoredLaunch } from './express-launch';
export { processTaskRequests, parseTaskRequest, type TaskRequestBatchOptions } from './task-invoker';
export { routeRequest, handleSfnRequest, requestTooLarge, type HttpRequest, type ProtocolResponse } from './api';
export { handleRestRequest } from './rest-surface';
export { MemoryStore, MemoryQueue } from './memory';
