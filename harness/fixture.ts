/**
 * The cloud runtime on loopback: starts dynalite and fauxqs (in their own
 * process, harness/services.mjs), a local Lambda Invoke endpoint, and
 * an SQS event source that drives lambda/transition.ts and one that drives
 * the task invoker, lambda/invoker.ts, on its own queue, and the Express
 * function (lambda/express.ts) behind the Lambda endpoint, which the API
 * invokes asynchronously — the same SDK clients and code paths as in an AWS account.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoStore } from '../lib/aws/dynamodb-store';
import { cloudFromConfig, type Cloud, type CloudConfig } from '../lib/aws/environment';
import { generateTokenKey } from '../lib/service/task-tokens';
import type { Meter } from '../lib/aws/meter';
import { startEventSource, type EventSource } from './event-source';
import { startLambdaEndpoint, type LambdaEndpoint } from './lambda-endpoint';
import type { LambdaHandler } from '../lib/local/tasks/handlers-file';
import { createTransitionHandler } from '../lambda/transition';
import { createInvokerHandler } from '../lambda/invoker';
import { createExpressHandler } from '../lambda/express';
import { DEFAULT_EXPRESS_MEMORY_MB } from '../lib/cdk/defaults';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface Services {
  dynamodb: string;
  sqs: string;
  s3: string;
  stop(): Promise<void>;
}

export async function startServices(): Promise<Services> {
  // services.mjs is ESM and stays in the source tree; from dist/ it is found there.
  const script = [join(__dirname, 'services.mjs'), join(__dirname, '..', '..', 'harness', 'services.mjs')].find((p) => existsSync(p))!;
  const child: ChildProcess = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end >= 0) resolve(buffered.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`the local services exited with ${code}`)));
  });
  const endpoints = JSON.parse(line) as { dynamodb: string; sqs: string; s3: string };
  return {
    ...endpoints,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

export interface CloudFixture {
  cloud: Cloud;
  /** The same services without the meter: for polling and reading history outside what is priced. */
  observer: Cloud;
  services: Services;
  lambda: LambdaEndpoint;
  events: EventSource;
  /** The task invoker's event source (absent with `invoker: false`). */
  invokerEvents?: EventSource;
  queueUrl: string;
  /** The task invoker's queue (absent with `invoker: false`). */
  invokerQueueUrl?: string;
  deadLetterQueueUrl: string;
  /** The payload bucket (also usable for ItemReader objects in tests). */
  bucket: string;
  /** Asynchronous Express launches whose every attempt failed: the Express function's on-failure destination. */
  expressFailures: { event: unknown; cause: string }[];
  stop(): Promise<void>;
}

/** The Express function's name behind the fixture's Lambda endpoint. */
export const EXPRESS_FUNCTION_NAME = 'switchyard-express';

let fixtureCount = 0;

export async function startCloud(
  handlers: ReadonlyMap<string, LambdaHandler>,
  options: {
    meter?: Meter;
    concurrency?: number;
    services?: Services;
    log?: (entry: Record<string, unknown>) => void;
    waitTimeSeconds?: number;
    retentionSeconds?: number;
    /** The transition queue's visibility timeout (the stack's is 960 s). @default 5 */
    visibilityTimeoutSeconds?: number;
    /**
     * Transition function containers, each with its own driver (its own caches) and an equal share of the
     * pollers, as Lambda runs one batch per container at a time. @default 1
     */
    containers?: number;
    /** Tasks go through the task invoker's queue, as deployed; false: the transition invokes them itself. @default true */
    invoker?: boolean;
    /** Concurrent invocations of the task invoker (its reserved concurrency in the stack). @default 10 */
    invokerConcurrency?: number;
    /**
     * The invoker queue's visibility timeout in seconds (how soon a request whose handler failed comes back). Longer
     * than a loaded machine's slowest invocation, or a request still running is delivered again (the stack's outlasts the function). @default 30
     */
    invokerVisibilitySeconds?: number;
    /** More service endpoints for integration tasks (stand-ins for EventBridge, Secrets Manager, …). @default none */
    endpoints?: NonNullable<CloudConfig['endpoints']>;
    /** Asynchronous Express starts invoke the Express function, as deployed; false: they go through the transition queue. @default true */
    expressFunction?: boolean;
  } = {},
): Promise<CloudFixture> {
  const services = options.services ?? (await startServices());
  // The Express function runs on the cloud built below; each of its invocations is metered as Lambda bills it.
  let express: ((event: unknown) => Promise<unknown>) | undefined;
  const expressFailures: { event: unknown; cause: string }[] = [];
  const withExpress = new Map(handlers);
  if (options.expressFunction ?? true) {
    withExpress.set(EXPRESS_FUNCTION_NAME, async (event) => {
      const started = Date.now();
      try {
        return await express!(event);
      } finally {
        options.meter?.record('lambda', 'ExpressInvoke', { gbSeconds: (Math.max(1, Date.now() - started) / 1000) * (DEFAULT_EXPRESS_MEMORY_MB / 1024) });
      }
    });
  }
  const lambda = await startLambdaEndpoint(withExpress, 'us-east-1', '123456789012', undefined, { onFailure: (_name, event, cause) => void expressFailures.push({ event, cause }) });
  const id = `sy${process.pid}x${++fixtureCount}`;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const base = cloudFromConfig({
    tableName: id,
    queueUrl: 'pending',
    region: 'us-east-1',
    account: '123456789012',
    endpoints: { dynamodb: services.dynamodb, sqs: services.sqs, s3: services.s3, lambda: lambda.url },
    credentials,
  });
  const { sqs, dynamodb, s3 } = base.clients;
  await DynamoStore.createTable(dynamodb, id);
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${id}-dlq` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: id,
      Attributes: { VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 5), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 10 }) },
    }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: id }));
  let invokerQueueUrl: string | undefined;
  if (options.invoker ?? true) {
    const invokerDlq = await sqs.send(new CreateQueueCommand({ QueueName: `${id}-invoker-dlq` }));
    const invokerDlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: invokerDlq.QueueUrl!, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const visibility = String(options.invokerVisibilitySeconds ?? 30);
    const invokerQueue = await sqs.send(
      new CreateQueueCommand({ QueueName: `${id}-invoker`, Attributes: { VisibilityTimeout: visibility, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: invokerDlqArn, maxReceiveCount: 10 }) } }),
    );
    invokerQueueUrl = invokerQueue.QueueUrl!;
  }
  const config = {
    tableName: id,
    queueUrl: queue.QueueUrl!,
    ...(invokerQueueUrl ? { invokerQueueUrl } : {}),
    deadLetterQueueUrl: dlq.QueueUrl!,
    bucketName: id,
    ...((options.expressFunction ?? true) ? { expressFunctionName: EXPRESS_FUNCTION_NAME } : {}),
    region: 'us-east-1',
    account: '123456789012',
    endpoints: { dynamodb: services.dynamodb, sqs: services.sqs, s3: services.s3, lambda: lambda.url, sns: services.sqs, ...options.endpoints },
    credentials,
    ...(options.retentionSeconds !== undefined ? { retentionSeconds: options.retentionSeconds } : {}),
    // One deployment: the cloud and the observer check each other's tokens.
    tokenKey: generateTokenKey(),
  };
  const cloud = cloudFromConfig({ ...config, ...(options.meter ? { meter: options.meter } : {}) });
  const observer = cloudFromConfig(config);
  express = createExpressHandler(cloud, options.log ?? (() => {}));
  const containers = Math.max(1, options.containers ?? 1);
  const extra = Array.from({ length: containers - 1 }, () => cloudFromConfig({ ...config, ...(options.meter ? { meter: options.meter } : {}) }));
  const sources = [cloud, ...extra].map((container, i) =>
    startEventSource({
      client: cloud.clients.sqs,
      queueUrl: queue.QueueUrl!,
      handler: createTransitionHandler(container, { log: options.log ?? (() => {}) }),
      concurrency: Math.max(1, Math.floor((options.concurrency ?? 4) / containers) + (i < (options.concurrency ?? 4) % containers ? 1 : 0)),
      ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
      ...(options.meter ? { meter: options.meter } : {}),
    }),
  );
  const events: EventSource = {
    get invocations() {
      return sources.reduce((a, e) => a + e.invocations, 0);
    },
    stop: async () => void (await Promise.all(sources.map((e) => e.stop()))),
  };
  // The invoker has its own pollers (its reserved concurrency in the stack): tasks never wait behind transitions.
  const meter = options.meter;
  const invokerEvents = invokerQueueUrl
    ? startEventSource({
        client: cloud.clients.sqs,
        queueUrl: invokerQueueUrl,
        // How many tasks one after another each invocation waited on (bench/all-in.ts prices that wait).
        handler: createInvokerHandler(cloud, { log: options.log ?? (() => {}), ...(meter ? { waited: (tasks: number) => meter.record('lambda', 'InvokerTaskRounds', { requests: tasks }) } : {}) }),
        concurrency: options.invokerConcurrency ?? 10,
        invokeName: 'InvokerInvoke',
        memoryMb: 128, // the construct's default invokerMemorySize
        ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
        ...(options.meter ? { meter: options.meter } : {}),
      })
    : undefined;
  return {
    cloud,
    observer,
    services,
    lambda,
    events,
    ...(invokerEvents ? { invokerEvents } : {}),
    queueUrl: queue.QueueUrl!,
    ...(invokerQueueUrl ? { invokerQueueUrl } : {}),
    deadLetterQueueUrl: dlq.QueueUrl!,
    bucket: id,
    expressFailures,
    async stop() {
      await events.stop();
      await invokerEvents?.stop();
      await lambda.close();
      for (const c of [cloud, ...extra].flatMap((x) => Object.values(x.clients))) c.destroy();
      for (const c of Object.values(observer.clients)) c.destroy();
      for (const c of Object.values(base.clients)) c.destroy();
      if (!options.services) await services.stop();
    },
  };
}

/** Polls DescribeExecution until the execution is no longer RUNNING. */
export async function waitForEnd(cloud: Cloud, executionArn: string, timeoutMs = 20_000): Promise<Awaited<ReturnType<Cloud['driver']['describeExecution']>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await cloud.driver.describeExecution(executionArn);
    if (record.status !== 'RUNNING') return record;
    if (Date.now() > deadline) throw new Error(`${executionArn} is still RUNNING after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
