/**
 * Builds the cloud driver and its adapters from configuration: in Lambda
 * from environment variables the CDK construct sets, in tests and the cloud
 * benchmark from the loopback services' endpoints.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { routedTaskRunner } from '../engine/ports/task-routes';
import type { TaskRunner } from '../engine/ports/task-runner';
import { CloudDriver } from '../service/driver';
import { DynamoStore } from './dynamodb-store';
import { SdkTaskRunner } from './integrations/sdk-runner';
import type { SyncJobs } from './integrations/sync-jobs';
import { storeJobWaits } from '../service/sync-jobs';
import { SdkClients } from './integrations/clients';
import { eventBridgeConnections } from './integrations/connections';
import { HttpTaskRunner } from '../service/http-task-runner';
import { ApiGatewayTaskRunner } from '../service/apigateway-task-runner';
import { apiGatewaySigner } from './apigateway-signer';
import { LambdaTaskRunner } from './lambda-runner';
import { LambdaExpressLauncher } from './express-launcher';
import { NO_METER, type Meter } from './meter';
import { perRole, roleCredentials } from './role-credentials';
import { observabilityFromEnv, type Observability } from './observability';
import type { BlobStore, ExecutionObserver } from '../service/ports';
import { S3Blobs } from './s3-blobs';
import { s3ItemReader, s3ObjectWriter } from './s3-item-reader';
import { SqsQueue } from './sqs-queue';
import type { TaskTokenKey } from '../engine/token';
import { readTokenKey, secretsManagerReader, type SecretReader } from './token-key';

export interface CloudConfig {
  tableName: string;
  queueUrl: string;
  deadLetterQueueUrl?: string;
  /**
   * The task invoker's queue (lambda/invoker.ts consumes it): transitions send
   * their task attempts there instead of invoking them and waiting.
   * @default none: the transition function invokes each task itself
   */
  invokerQueueUrl?: string;
  /**
   * The Express function (lambda/express.ts): asynchronous EXPRESS starts are
   * an asynchronous invoke of it (lib/aws/express-launcher.ts).
   * @default none: they go through the transition queue
   */
  expressFunctionName?: string;
  /** The payload bucket for bodies larger than an item or a message. */
  bucketName?: string;
  region: string;
  account: string;
  /** How long finished executions are kept (the table's TTL). @default forever */
  retentionSeconds?: number;
  /** Step Functions' quotas instead of Switchyard's (CloudDriverOptions.awsLimits; the construct's awsLimits). @default false */
  awsLimits?: boolean;
  /** Service endpoints (loopback services); AWS's own when absent. */
  endpoints?: {
    dynamodb?: string;
    sqs?: string;
    s3?: string;
    lambda?: string;
    sts?: string;
    /** Where integration tasks call SNS. */
    sns?: string;
    /** Where HTTP Tasks read their connections (EventBridge DescribeConnection) and the connections' secrets (Secrets Manager). */
    events?: string;
    secretsmanager?: string;
    /** Where API Gateway tasks reach every API instead of `https://<ApiEndpoint>` (a local stand-in). */
    apigateway?: string;
    /** Where `ecs:`, `batch:` and `glue:` integration tasks call their services (local stand-ins). */
    ecs?: string;
    batch?: string;
    glue?: string;
  };
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Replaces the task runners, Lambda and service integrations alike (tests). */
  tasks?: TaskRunner;
  /** Credentials of the role a task runs with, for service integration tasks (lib/aws/integrations). */
  credentialsFor?: (roleArn: string) => AwsCredentialIdentityProvider | undefined;
  meter?: Meter;
  /** Told of each execution's start and end (metrics, status change events). */
  observer?: ExecutionObserver;
  /** The Secrets Manager secret holding the task token key (lib/aws/token-key.ts); read by {@link deployedFromEnv}. */
  tokenKeySecretArn?: string;
  /**
   * The task token key; every function of one deployment must have the same.
   * @default a random key of this cloud alone (a function given no secret hands out and checks no token)
   */
  tokenKey?: TaskTokenKey;
  /**
   * Tasks run with their state machine's role: the Lambda task runner assumes
   * it (lib/aws/role-credentials.ts) and invokes with its credentials. The
   * construct turns it on (SWITCHYARD_TASK_ROLES=assume) when it gives each
   * state machine a role of its own; without, tasks use the function's role.
   * @default false
   */
  assumeTaskRoles?: boolean;
}

export interface Cloud {
  driver: CloudDriver;
  /** The jobs `.sync` tasks wait for: an EventBridge event of a job's end completes its task (lambda/schedule.ts). */
  jobs: SyncJobs;
  store: DynamoStore;
  queue: SqsQueue;
  /** The task invoker's queue, when the cloud has one. */
  taskRequests?: SqsQueue;
  blobs?: BlobStore;
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient; s3: S3Client; lambda: LambdaClient };
}

/** Reads the configuration the CDK construct gives the functions. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): CloudConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`The environment variable ${name} is not set`);
    return value;
  };
  // The SDK's own per-service endpoint variables, read here so a queue URL on another host is not taken as the endpoint.
  const endpoints = Object.fromEntries(
    (['dynamodb', 'sqs', 's3', 'lambda', 'sts'] as const).flatMap((service) => {
      const url = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`];
      return url ? [[service, url]] : [];
    }),
  );
  return {
    tableName: required('SWITCHYARD_TABLE'),
    queueUrl: required('SWITCHYARD_QUEUE_URL'),
    ...(env.SWITCHYARD_DLQ_URL ? { deadLetterQueueUrl: env.SWITCHYARD_DLQ_URL } : {}),
    ...(env.SWITCHYARD_INVOKER_QUEUE_URL ? { invokerQueueUrl: env.SWITCHYARD_INVOKER_QUEUE_URL } : {}),
    ...(env.SWITCHYARD_EXPRESS_FUNCTION ? { expressFunctionName: env.SWITCHYARD_EXPRESS_FUNCTION } : {}),
    ...(env.SWITCHYARD_BUCKET ? { bucketName: env.SWITCHYARD_BUCKET } : {}),
    region: env.AWS_REGION ?? 'us-east-1',
    account: env.SWITCHYARD_ACCOUNT ?? '123456789012',
    ...(env.SWITCHYARD_RETENTION_SECONDS ? { retentionSeconds: Number(env.SWITCHYARD_RETENTION_SECONDS) } : {}),
    ...(env.SWITCHYARD_AWS_LIMITS === 'true' ? { awsLimits: true } : {}),
    ...(env.SWITCHYARD_TOKEN_KEY_SECRET_ARN ? { tokenKeySecretArn: env.SWITCHYARD_TOKEN_KEY_SECRET_ARN } : {}),
    ...(Object.keys(endpoints).length > 0 ? { endpoints } : {}),
    ...(env.SWITCHYARD_TASK_ROLES === 'assume' ? { assumeTaskRoles: true } : {}),
  };
}

export function cloudFromConfig(config: CloudConfig): Cloud {
  const meter = config.meter ?? NO_METER;
  // Throttling is retried by the SDK with exponential backoff; a transition that still fails is redelivered by SQS.
  const common = { region: config.region, maxAttempts: 8, ...(config.credentials ? { credentials: config.credentials } : {}) };
  const dynamodb = new DynamoDBClient({ ...common, ...(config.endpoints?.dynamodb ? { endpoint: config.endpoints.dynamodb } : {}) });
  const sqs = new SQSClient({ ...common, ...(config.endpoints?.sqs ? { endpoint: config.endpoints.sqs, useQueueUrlAsEndpoint: false } : {}) });
  const s3 = new S3Client({ ...common, ...(config.endpoints?.s3 ? { endpoint: config.endpoints.s3, forcePathStyle: true } : {}) });
  // An Invoke is never retried by the SDK: one that timed out or got a 5xx may have run the task, and an
  // attempt runs at most once. The task runner retries throttles only (lib/aws/lambda-runner.ts).
  const lambdaConfig = { ...common, maxAttempts: 1, ...(config.endpoints?.lambda ? { endpoint: config.endpoints.lambda } : {}) };
  const lambda = new LambdaClient(lambdaConfig);
  // One client per state machine role, signing with that role's cached credentials.
  const credentialsFor = config.assumeTaskRoles ? roleCredentials({ region: config.region, ...(config.endpoints?.sts ? { endpoint: config.endpoints.sts } : {}), ...(config.credentials ? { credentials: config.credentials } : {}) }) : undefined;
  const clientFor = credentialsFor ? perRole((roleArn) => new LambdaClient({ ...lambdaConfig, credentials: credentialsFor(roleArn) })) : undefined;
  const roleCredentialsFor = config.credentialsFor ?? credentialsFor;
  const blobs = config.bucketName ? new S3Blobs(s3, config.bucketName, meter) : undefined;
  const store = new DynamoStore({ client: dynamodb, tableName: config.tableName, ...(blobs ? { blobs } : {}), meter, ...(config.retentionSeconds !== undefined ? { retentionSeconds: config.retentionSeconds } : {}) });
  const queue = new SqsQueue({
    client: sqs,
    queueUrl: config.queueUrl,
    ...(config.deadLetterQueueUrl ? { deadLetterQueueUrl: config.deadLetterQueueUrl } : {}),
    ...(blobs ? { blobs } : {}),
    meter,
  });
  const taskRequests = config.invokerQueueUrl ? new SqsQueue({ client: sqs, queueUrl: config.invokerQueueUrl, ...(blobs ? { blobs } : {}), meter }) : undefined;
  // Service integration tasks call their services through the SDK runner (its clients made on first use,
  // at the same endpoints as the cloud's own, with the task's role); every other task goes to Lambda.
  // A `.sync` task's wait for its job is kept in the table: the function that hears the job's end is not the one that submitted it.
  const integrations = new SdkTaskRunner({
    jobWaits: storeJobWaits(store),
    region: config.region,
    ...(config.endpoints ? { endpoints: config.endpoints } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(roleCredentialsFor ? { credentialsFor: roleCredentialsFor } : {}),
  });
  // HTTP Tasks read their EventBridge connection (and its secret) with the task's role too.
  const http = new HttpTaskRunner({
    connections: eventBridgeConnections(
      new SdkClients({
        region: config.region,
        ...(config.endpoints ? { endpoints: config.endpoints } : {}),
        ...(config.credentials ? { credentials: config.credentials } : {}),
        ...(roleCredentialsFor ? { credentialsFor: roleCredentialsFor } : {}),
      }),
    ),
  });
  // API Gateway tasks sign IAM_ROLE calls with the task's role, RESOURCE_POLICY calls with the function's own credentials.
  const apigateway = new ApiGatewayTaskRunner({
    sign: apiGatewaySigner({ ...(config.credentials ? { credentials: config.credentials } : {}), ...(roleCredentialsFor ? { credentialsFor: roleCredentialsFor } : {}) }),
    ...(config.endpoints?.apigateway ? { origin: config.endpoints.apigateway } : {}),
  });
  const tasks =
    config.tasks ??
    routedTaskRunner([http, apigateway, integrations], new LambdaTaskRunner({ client: lambda, ...(clientFor ? { clientFor } : {}), region: config.region, account: config.account, meter }));
  // A failed launch is StartExecution's error; the caller's retry may start a second run, as at-least-once allows.
  const expressLauncher = config.expressFunctionName ? new LambdaExpressLauncher({ client: lambda, functionName: config.expressFunctionName, ...(blobs ? { blobs } : {}) }) : undefined;
  const driver = new CloudDriver({
    store,
    queue,
    tasks,
    ...(taskRequests ? { taskRequests } : {}),
    itemReader: s3ItemReader(s3, meter),
    objectWriter: s3ObjectWriter(s3, meter),
    region: config.region,
    account: config.account,
    // API Gateway ends an integration after 29 seconds: a worker's GetActivityTask is answered before that.
    activityTaskWaitMs: 20_000,
    ...(config.awsLimits === true ? { awsLimits: true } : {}),
    ...(config.observer ? { observer: config.observer } : {}),
    ...(config.tokenKey ? { tokenKey: config.tokenKey } : {}),
    jobs: integrations.jobs,
    ...(expressLauncher ? { expressLauncher } : {}),
  });
  // A job that ended before its wait was written is completed through the driver's tokens.
  integrations.jobs.attach({ tokens: driver });
  return { driver, jobs: integrations.jobs, store, queue, ...(taskRequests ? { taskRequests } : {}), ...(blobs ? { blobs } : {}), clients: { dynamodb, sqs, s3, lambda } };
}

/** A deployed function's cloud with its logger, metrics and execution observer. */
export interface Deployed extends Observability {
  cloud: Cloud;
}

/**
 * Builds a deployed function's parts from the environment the CDK construct
 * sets (once per container), reading the task token key from its secret when
 * the function is given one (the transition and API functions).
 */
export async function deployedFromEnv(serviceName: string, env: NodeJS.ProcessEnv = process.env, readSecret?: SecretReader): Promise<Deployed> {
  const observability = observabilityFromEnv(serviceName, env);
  const config = configFromEnv(env);
  const secretArn = config.tokenKeySecretArn;
  const tokenKey = secretArn ? await readTokenKey(secretArn, readSecret ?? secretsManagerReader({ region: config.region })) : undefined;
  return { ...observability, cloud: cloudFromConfig({ ...config, observer: observability.observer, ...(tokenKey ? { tokenKey } : {}) }) };
}

/** The part of Lambda's context object the handlers read. */
export interface LambdaContext {
  /** Milliseconds left before the invocation times out. */
  getRemainingTimeInMillis(): number;
}

/**
 * A Lambda handler over the deployed parts, built on the first invocation
 * (once per container); what the invocation buffered (metrics, execution
 * logs) is sent as it ends, whatever its outcome.
 */
export function deployedHandler<E, R>(serviceName: string, build: (parts: Deployed) => (event: E, context?: LambdaContext) => Promise<R>): (event: E, context?: LambdaContext) => Promise<R> {
  let building: Promise<{ parts: Deployed; run: (event: E, context?: LambdaContext) => Promise<R> }> | undefined;
  return async (event, context) => {
    building ??= deployedFromEnv(serviceName).then((parts) => ({ parts, run: build(parts) }));
    let deployed: Awaited<typeof building>;
    try {
      deployed = await building;
    } catch (err) {
      building = undefined; // (the secret could not be read: the next invocation tries again)
      throw err;
    }
    try {
      return await deployed.run(event, context);
    } finally {
      await deployed.parts.flush();
    }
  };
}
