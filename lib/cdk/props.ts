/** The Switchyard construct's props, and their checks at construction. */
import { Token, type Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** Throttling of the front door (API Gateway stage defaults). */
export interface ApiThrottling {
  /** Steady-state requests per second. @default 100 */
  readonly rateLimit?: number;
  /** Burst of requests. @default 200 */
  readonly burstLimit?: number;
}

/** Which API Gateway API is the front door (lib/cdk/front-door.ts). */
export type FrontDoorKind = 'rest-api' | 'http-api';

export interface SwitchyardProps {
  /**
   * The front door: a REST API (X-Ray tracing, execution logs, custom
   * `authorizer`s, WAF; $3.50 per million requests) or an HTTP API (the
   * same routes, AWS_IAM authorization, access logs and throttling; $1.00
   * per million requests, no WAF, no `authorizer`). Either serves the SDK
   * and the CLI at {@link Switchyard.url}.
   * @default 'rest-api'
   */
  readonly frontDoor?: FrontDoorKind;
  /**
   * How long a finished execution stays readable (DescribeExecution,
   * GetExecutionHistory) before DynamoDB's TTL removes it. Step Functions
   * keeps closed executions for 90 days.
   * @default Duration.days(90)
   */
  readonly executionRetention?: Duration;
  /**
   * Point-in-time recovery of the execution table (cdk-nag's AwsSolutions-DDB3
   * asks for it). It bills per GB-month of table size — with the default
   * retention about $0.19 per million transitions of the 20-Pass workload
   * and $0.97 of the 5-Lambda-task one (`npm run bench:cloud`); turn it off
   * when executions are not worth restoring.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Memory of the transition function in MiB. It runs the engine; tasks run
   * in the task invoker, so it never waits on one. 256 MiB is what the cost model assumes.
   * @default 256
   */
  readonly transitionMemorySize?: number;
  /**
   * Timeout of the transition function (one batch of transitions; no task runs in it).
   * @default Duration.minutes(15)
   */
  readonly transitionTimeout?: Duration;
  /**
   * Memory of the task invoker function in MiB: it claims each task
   * attempt, invokes the task function (RequestResponse) and waits for it,
   * so it is billed for the tasks' time — at this memory.
   * @default 128
   */
  readonly invokerMemorySize?: number;
  /**
   * Timeout of the task invoker: it waits on a synchronous task function,
   * so it must cover the longest one (a task's TimeoutSeconds ends it sooner).
   * @default Duration.minutes(15)
   */
  readonly invokerTimeout?: Duration;
  /**
   * The most task invocations in flight at once: the task invoker's
   * reserved concurrency and its event source's maximum concurrency (2–1000).
   * Reserved, transitions can never take the invoker's share, and tasks never
   * take more than this of the account's concurrency (left for the task
   * functions themselves: keep room for them, or give them their own). With
   * transitionReservedConcurrency, transitions cannot starve the task functions.
   * @default none: the account's unreserved pool, up to 1,000 concurrent batches
   */
  readonly invokerConcurrency?: number;
  /**
   * Memory of the Express function in MiB: it runs each asynchronous
   * EXPRESS execution to its end (its tasks' time included). 256 MiB is
   * what the cost model assumes.
   * @default 256
   */
  readonly expressMemorySize?: number;
  /**
   * Reserved concurrency of the Express function: its runs can then never
   * take the transition and task invoker functions' share of the account's
   * concurrency, and never more than this. Starts beyond it are throttled,
   * not lost: Lambda keeps a throttled asynchronous event and tries it again
   * for up to six hours, so such an execution starts late.
   * @default none: the account's unreserved pool
   */
  readonly expressReservedConcurrency?: number;
  /** Memory of the API function in MiB. @default 512 */
  readonly apiMemorySize?: number;
  /** Reserved concurrency of the transition function. @default none (the account's unreserved pool) */
  readonly transitionReservedConcurrency?: number;
  /** Messages per transition invocation (SQS batch size, 1–10). @default 10 */
  readonly batchSize?: number;
  /** Receives of one message (a transition or a task request) before it is moved to its dead-letter queue. @default 10 */
  readonly maxReceiveCount?: number;
  /**
   * Authorizer for the front door. Without one every method requires AWS_IAM
   * (SigV4) authorization — what the official SDK and CLI sign with.
   * @default AWS_IAM on every method
   */
  readonly authorizer?: apigateway.IAuthorizer;
  /**
   * Serves `GET /tasks/{token}/approve|reject` without authorization, so an
   * approval link in an e-mail works in a browser: the task token (random,
   * 100+ characters) is the credential. Everything else keeps its authorization.
   * @default false
   */
  readonly publicCallbackLinks?: boolean;
  /**
   * IAM policies per caller, enforced by the API function for every action
   * (docs/SECURITY.md): principal ARNs (wildcards allowed, e.g.
   * `arn:aws:sts::123456789012:assumed-role/Orders/*`) mapped to one policy
   * document or `{ Policies: [...] }`, in Step Functions' vocabulary
   * (`states:StartExecution` on `arn:aws:states:…:stateMachine:orders`).
   * They are compiled into the function's environment (at most 4 KB with
   * the other variables) and checked at its cold start: a malformed document
   * fails every request rather than allowing one. Needs AWS_IAM
   * authorization (no `authorizer`): the caller is the SigV4 signer.
   * @default none: every caller API Gateway authorizes may call every action
   */
  readonly callerPolicies?: Readonly<Record<string, unknown>>;
  /**
   * Requests larger than this are refused with 413 ValidationException.
   * API Gateway takes at most 10 MB and Lambda 6 MB whatever this says.
   * @default no limit of Switchyard's own
   */
  readonly maxRequestBytes?: number;
  /** Throttling of the front door. @default 100 requests/s, bursts of 200 */
  readonly apiThrottling?: ApiThrottling;
  /** Retention of the functions' and the API's logs. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Emit EventBridge "Step Functions Execution Status Change" events (source
   * `switchyard`) on this bus when executions start and end. EventBridge
   * bills custom events ($1 per million), so it is opt-in.
   * @default none: no events
   */
  readonly statusChangeEventBus?: events.IEventBus;
  /** CloudWatch namespace of the metrics. @default 'Switchyard' */
  readonly metricsNamespace?: string;
  /** What happens to the table and the bucket when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Create a CloudWatch dashboard. @default true */
  readonly dashboard?: boolean;
  /** Where the payload bucket's server access logs go. @default no access logs */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * What every alarm the construct makes does when it fires (the Switchyard's
   * and each state machine's), e.g. `new SnsAction(topic)` from
   * aws-cdk-lib/aws-cloudwatch-actions. Without one the alarms only change state.
   * @default no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /**
   * A customer-managed KMS key for everything at rest: the table, both
   * queues, the payload bucket, the log groups and the token key's secret.
   * The functions are granted kms:Decrypt and kms:GenerateDataKey on it; a
   * key made in the same stack is also opened to CloudWatch Logs for the log
   * groups (an imported key's policy must allow `logs.<region>.amazonaws.com`).
   * @default AWS-managed encryption (DynamoDB, SQS-SSE, SSE-S3, CloudWatch Logs, Secrets Manager's aws/secretsmanager key)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Keep Step Functions' quotas instead of Switchyard's larger ones: state
   * inputs and outputs of at most 256 KiB (States.DataLimitExceeded), and the
   * API's limits on definitions (1 MiB), execution input and task output
   * (256 KiB), error and cause — so that a workflow that passes here passes
   * on Step Functions.
   * @default false
   */
  readonly awsLimits?: boolean;
}

/** Checks props at construction, echoing the bad value (aws-cdk-lib's idiom). */
export function validateProps(props: SwitchyardProps): void {
  const inRange = (name: string, value: number | undefined, min: number, max: number): void => {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  };
  inRange('batchSize', props.batchSize, 1, 10);
  inRange('maxReceiveCount', props.maxReceiveCount, 1, 1000);
  inRange('transitionMemorySize', props.transitionMemorySize, 128, 10240);
  inRange('apiMemorySize', props.apiMemorySize, 128, 10240);
  inRange('maxRequestBytes', props.maxRequestBytes, 1, 6 * 1024 * 1024);
  inRange('transitionReservedConcurrency', props.transitionReservedConcurrency, 1, 100000);
  inRange('invokerMemorySize', props.invokerMemorySize, 128, 10240);
  inRange('invokerConcurrency', props.invokerConcurrency, 2, 1000);
  inRange('expressMemorySize', props.expressMemorySize, 128, 10240);
  inRange('expressReservedConcurrency', props.expressReservedConcurrency, 1, 100000);
  if (props.frontDoor !== undefined && props.frontDoor !== 'rest-api' && props.frontDoor !== 'http-api') throw new Error(`frontDoor must be 'rest-api' or 'http-api', got '${String(props.frontDoor)}'`);
  if (props.frontDoor === 'http-api' && props.authorizer) throw new Error("authorizer is a REST API authorizer: with frontDoor 'http-api' every route uses AWS_IAM authorization; remove authorizer, or use frontDoor 'rest-api'");
  if (props.callerPolicies !== undefined) {
    if (props.authorizer) throw new Error('callerPolicies need AWS_IAM authorization (the caller is the SigV4 signer): remove authorizer, or leave out callerPolicies');
    const size = Buffer.byteLength(JSON.stringify(props.callerPolicies));
    if (size > 3500) throw new Error(`callerPolicies must fit in the function's environment (at most 3500 bytes as JSON), got ${size} bytes`);
  }
  const timeout = props.transitionTimeout?.toSeconds();
  if (timeout !== undefined && (timeout < 30 || timeout > 900)) throw new Error(`transitionTimeout must be from 30 seconds to 15 minutes (Lambda's limit), got ${timeout} seconds`);
  const invokerTimeout = props.invokerTimeout?.toSeconds();
  if (invokerTimeout !== undefined && (invokerTimeout < 1 || invokerTimeout > 900)) throw new Error(`invokerTimeout must be from 1 second to 15 minutes (Lambda's limit), got ${invokerTimeout} seconds`);
  const retention = props.executionRetention?.toSeconds();
  if (retention !== undefined && retention < 86_400) throw new Error(`executionRetention must be at least 1 day, got ${retention} seconds`);
  const ns = props.metricsNamespace;
  if (ns !== undefined && (!/^[A-Za-z0-9._\-/#:]{1,255}$/.test(ns) || ns.startsWith('AWS/'))) throw new Error(`metricsNamespace must be 1-255 of letters, digits and . _ - / # : and not start with AWS/, got '${ns}'`);
}
