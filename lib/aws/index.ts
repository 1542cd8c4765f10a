/**
 * The cloud runtime (import it apart from the package's main entry, which
 * loads no AWS SDK): the driver, its ports and their AWS and in-memory
 * implementations, the Lambda-facing pieces and the fault-injection harness.
 */
export { CloudDriver, RetryLaterError, messageKey, LOST_WORKER_ERROR, LOST_WORKER_CAUSE, type CloudDriverOptions } from './driver';
export type * from './ports';
export { DynamoStore, type DynamoStoreOptions } from './dynamodb-store';
export { SqsQueue, sqsBilledRequests, type SqsQueueOptions } from './sqs-queue';
export { S3Blobs } from './s3-blobs';
export { s3ItemReader, s3ObjectWriter } from './s3-item-reader';
export { LambdaTaskRunner, lambdaServiceError, type LambdaTaskRunnerOptions } from './lambda-runner';
export { cloudFromConfig, configFromEnv, type Cloud, type CloudConfig } from './environment';
export { processBatch, parseEnvelope, type BatchOptions, type BatchResponse, type QueueRecord } from './batch';
export { handleSfnRequest, type ProtocolResponse } from './sfn-protocol';
export { handleRestRequest } from './rest-surface';
export { MemoryStore, MemoryQueue } from './memory';
export { CostMeter, NO_METER, type Meter, type Usage } from './meter';
export { runFaultHarness, formatReport, type HarnessOptions, type HarnessReport } from './testing/faults';
