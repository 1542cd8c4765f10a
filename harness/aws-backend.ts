/**
 * The fault harness on the real adapters: DynamoStore on dynalite and
 * SqsQueue on fauxqs (harness/fixture.ts starts both), through the AWS SDK
 * clients, with the faults injected around each client call — throttling
 * errors as the SDK raises them (ProvisionedThroughputExceededException,
 * RequestThrottled), crashes before and after a call, lost responses.
 *
 * Two queues, as in the cloud: the transition queue and the task invoker's
 * (lambda/invoker.ts), each with its dead-letter queue.
 *
 * Time: the drivers' clock runs `clockScale` times faster than the wall
 * clock and jumps ahead when nothing is in flight, so an hour's Wait takes
 * no real hour. (Under a backlog the clock runs on while messages wait; no
 * workload's outcome may hang on how long that is.) Messages sent with a delay (DelaySeconds, read as seconds of that
 * clock) wait in the harness until they are due and are then sent to the
 * queue; everything else — visibility timeouts, redelivery of a batch whose
 * handler died or reported failures, SQS's loose order — is fauxqs's own.
 */
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  RequestThrottled,
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { DynamoStore } from '../lib/aws/dynamodb-store';
import { SqsQueue } from '../lib/aws/sqs-queue';
import { CloudDriver } from '../lib/service/driver';
import { cappedDeadline, type Backend, type BackendOptions, type QueueKind } from './backend';
import { startServices, type Services } from './fixture';

/**
 * How much faster than the wall clock the drivers' clock runs, unless told. Low: under a backlog (2,000
 * executions on a loaded machine queue minutes of work) the clock runs on while messages wait, and a
 * workload's margins (an hour's timeout, a Wait 50 minutes longer than its sibling's failure) must hold in
 * real minutes; when nothing is in flight the clock jumps anyway. At 20, a 2,000-execution run broke them.
 */
export const CLOCK_SCALE = 2;
/** Seconds a received message stays hidden (real seconds: fauxqs keeps them). */
const VISIBILITY_SECONDS = 2;

/** The throttling error of the service a call goes to, as its SDK client raises it. */
export function sdkThrottle(call: string): Error {
  const $metadata = { httpStatusCode: 400 };
  return call.startsWith('dynamodb.')
    ? new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata })
    : new RequestThrottled({ message: 'Request is throttled.', $metadata });
}

interface Delayed {
  due: number;
  queueUrl: string;
  body: string;
}

let backendCount = 0;

/** Starts (or uses) dynalite and fauxqs, makes a table and a queue of this run's own. */
export async function awsBackend(options: BackendOptions & { services?: Services; clockScale?: number }): Promise<Backend> {
  const scale = options.clockScale ?? CLOCK_SCALE;
  const { injector } = options;
  const services = options.services ?? (await startServices());
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: services.dynamodb, credentials });
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: services.sqs, credentials });
  const name = `faults${process.pid}x${++backendCount}`;
  await DynamoStore.createTable(dynamodb, name);
  /** A queue and its dead-letter queue. */
  const makeQueue = async (queueName: string): Promise<{ url: string; dlq: string }> => {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: `${queueName}-dlq` }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const attributes = { VisibilityTimeout: String(VISIBILITY_SECONDS), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 100 }) };
    return { url: (await sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: attributes }))).QueueUrl!, dlq };
  };
  const queues: Record<QueueKind, { url: string; dlq: string }> = { transitions: await makeQueue(name), tasks: await makeQueue(`${name}-invoker`) };
  const queueUrl = queues.transitions.url;

  const realStart = Date.now();
  let jumped = 0;
  const now = (): number => options.start + jumped + (Date.now() - realStart) * scale;
  const delayed: Delayed[] = [];
  const cleanStore = new DynamoStore({ client: dynamodb, tableName: name });

  // What the drivers' SDK clients do: the same clients, every call through the faults (or, for the harness's
  // own reader and worker, none; their delayed messages are held all the same).
  const dynamoThrough = (faulty: boolean): DynamoDBClient =>
    faulty
      ? new Proxy(dynamodb, {
          get(target, prop, receiver) {
            if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
            return (command: Parameters<DynamoDBClient['send']>[0]) => injector.around(`dynamodb.${command.constructor.name.replace(/Command$/, '')}`, () => target.send(command));
          },
        })
      : dynamodb;
  /** A SendMessageBatch: entries with a delay (or a delay fault) wait in the harness; duplicates are sent again later. */
  const sendBatch = async (command: SendMessageBatchCommand, faulty: boolean): Promise<SendMessageBatchCommandOutput> => {
    const at = now();
    const url = command.input.QueueUrl!;
    const immediate: SendMessageBatchRequestEntry[] = [];
    for (const entry of command.input.Entries ?? []) {
      if (url === queueUrl) options.hops.saw(entry.MessageBody!);
      let delayMs = (entry.DelaySeconds ?? 0) * 1000;
      if (faulty && injector.draw(injector.rates.delay, 'delay')) delayMs += 1000 + Math.floor(injector.random() * 9000);
      if (delayMs > 0) delayed.push({ due: at + delayMs, queueUrl: url, body: entry.MessageBody! });
      else immediate.push({ Id: entry.Id, MessageBody: entry.MessageBody });
      if (faulty && injector.draw(injector.rates.duplicate, 'duplicate')) delayed.push({ due: at + delayMs + Math.floor(injector.random() * 3000), queueUrl: url, body: entry.MessageBody! });
    }
    const out = immediate.length > 0 ? await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: immediate })) : undefined;
    const failed = new Set((out?.Failed ?? []).map((f) => f.Id));
    return {
      $metadata: out?.$metadata ?? {},
      Successful: (command.input.Entries ?? []).filter((e) => !failed.has(e.Id)).map((e) => ({ Id: e.Id!, MessageId: `held-${e.Id}`, MD5OfMessageBody: '' })),
      Failed: out?.Failed ?? [],
    };
  };
  const sqsThrough = (faulty: boolean): SQSClient =>
    new Proxy(sqs, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
        return (command: Parameters<SQSClient['send']>[0]) => {
          const call = (): Promise<unknown> => (command instanceof SendMessageBatchCommand ? sendBatch(command, faulty) : target.send(command));
          return faulty ? injector.around(`sqs.${command.constructor.name.replace(/Command$/, '')}`, call) : call();
        };
      },
    });

  const attribute = async (url: string, names: ('ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible' | 'ApproximateNumberOfMessagesDelayed')[]): Promise<number> => {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }));
    return names.reduce((sum, n) => sum + Number(out.Attributes?.[n] ?? 0), 0);
  };

  return {
    storeName: 'dynamodb',
    queueName: 'sqs',
    now,
    store: cleanStore,
    newDriver: (tasks, faulty = true) => {
      const client = sqsThrough(faulty);
      const queue = new SqsQueue({ client, queueUrl, deadLetterQueueUrl: queues.transitions.dlq });
      const driver = new CloudDriver({
        store: new DynamoStore({ client: dynamoThrough(faulty), tableName: name }),
        queue,
        taskRequests: new SqsQueue({ client, queueUrl: queues.tasks.url, deadLetterQueueUrl: queues.tasks.dlq }),
        tasks,
        now,
        lostTaskAfterMs: options.lostTaskAfterMs,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
        tokenKey: options.tokenKey,
        taskDeadline: cappedDeadline,
        maxDelayMs: options.maxDelayMs,
      });
      return { driver, queue };
    },
    async receive(kind, max) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues[kind].url, MaxNumberOfMessages: max, WaitTimeSeconds: 0 }));
      const messages = (out.Messages ?? []).map((m) => ({ id: m.ReceiptHandle!, body: m.Body ?? '' }));
      // SQS standard queues keep no order; fauxqs mostly does, so the harness shuffles the batch.
      if (injector.draw(injector.rates.reorder, 'reorder')) messages.sort(() => injector.random() - 0.5);
      return messages;
    },
    async remove(kind, ids) {
      for (let i = 0; i < ids.length; i += 10) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queues[kind].url, Entries: ids.slice(i, i + 10).map((ReceiptHandle, j) => ({ Id: String(j), ReceiptHandle })) }));
      }
    },
    pause: () => new Promise((resolve) => setTimeout(resolve, 10)),
    async tick() {
      const at = now();
      const due = delayed.filter((d) => d.due <= at);
      if (due.length === 0) return;
      for (const d of due) delayed.splice(delayed.indexOf(d), 1);
      for (const url of new Set(due.map((d) => d.queueUrl))) {
        const bodies = due.filter((d) => d.queueUrl === url);
        for (let i = 0; i < bodies.length; i += 10) {
          await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: bodies.slice(i, i + 10).map((d, j) => ({ Id: String(j), MessageBody: d.body })) }));
        }
      }
    },
    async idle() {
      const counts = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
      if ((await attribute(queues.transitions.url, [...counts])) + (await attribute(queues.tasks.url, [...counts])) > 0) return 'busy';
      return delayed.length === 0 ? undefined : Math.min(...delayed.map((d) => d.due));
    },
    jumpTo(at) {
      jumped += Math.max(0, at - now());
    },
    deadLettered: async () => (await attribute(queues.transitions.dlq, ['ApproximateNumberOfMessages'])) + (await attribute(queues.tasks.dlq, ['ApproximateNumberOfMessages'])),
    async stop() {
      dynamodb.destroy();
      sqs.destroy();
      if (!options.services) await services.stop();
    },
  };
}
