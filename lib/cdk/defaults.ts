/**
 * Defaults shared by the construct and the deployed runtime: the construct
 * writes them into the functions' environment, and lib/aws falls back to
 * them when a variable is unset. They live here, in a module that imports
 * nothing, because lib/cdk may import only lib/asl and itself (synth must not
 * load Powertools or an SDK client for a string); the runtime imports this
 * one file.
 */

/** @default namespace of the metrics (Step Functions uses AWS/States, which only AWS may write). */
export const DEFAULT_METRICS_NAMESPACE = 'Switchyard';

/** @default source of the execution status events (EventBridge refuses `aws.*` sources from PutEvents). */
export const DEFAULT_EVENT_SOURCE = 'switchyard';

/** @default how long a finished execution stays readable before DynamoDB's TTL removes it, in days (Step Functions keeps closed executions 90 days). */
export const DEFAULT_EXECUTION_RETENTION_DAYS = 90;

/** @default memory of the transition function in MiB (what the cost model assumes). */
export const DEFAULT_TRANSITION_MEMORY_MB = 256;

/** @default memory of the task invoker function in MiB (it waits on each batch of tasks; what the cost model assumes). */
export const DEFAULT_INVOKER_MEMORY_MB = 128;

/** @default memory of the Express function in MiB (it runs each asynchronous EXPRESS execution; what the cost model assumes). */
export const DEFAULT_EXPRESS_MEMORY_MB = 256;
