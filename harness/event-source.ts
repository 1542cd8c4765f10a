/**
 * An SQS event source mapping on one machine: long-polls the queue, invokes
 * the handler with real SQSEvent records (batches of up to ten), deletes
 * what succeeded and leaves `batchItemFailures` (and every record of a
 * batch whose invocation threw) to come back after the visibility timeout,
 * as Lambda does. Each invocation is metered as a Lambda request and its
 * duration at the configured memory.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { NO_METER, type Meter } from '../lib/aws/meter';
import { sqsBilledRequests } from '../lib/aws/sqs-queue';

export interface EventSourceOptions {
  client: SQSClient;
  queueUrl: string;
  handler: (event: { Records: { messageId: string; receiptHandle: string; body: string; attributes: Record<string, string>; eventSource: string }[] }) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  /** Concurrent pollers (Lambda scales these with the queue). @default 4 */
  concurrency?: number;
  batchSize?: number;
  /** Long-poll wait of each ReceiveMessage (Lambda's own pollers wait up to 20 s). @default 1 */
  waitTimeSeconds?: number;
  /** Memory of the function, for GB-seconds. @default 256 */
  memoryMb?: number;
  /** The meter's name for the function's invocations. @default 'TransitionInvoke' */
  invokeName?: string;
  meter?: Meter;
}

export interface EventSource {
  stop(): Promise<void>;
  /** Handler invocations so far. */
  readonly invocations: number;
}

export function startEventSource(options: EventSourceOptions): EventSource {
  const meter = options.meter ?? NO_METER;
  let running = true;
  let invocations = 0;
  const poll = async (): Promise<void> => {
    while (running) {
      let out;
      try {
        out = await options.client.send(
          new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: options.batchSize ?? 10, WaitTimeSeconds: options.waitTimeSeconds ?? 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
        );
      } catch {
        if (!running) return;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const messages = out.Messages ?? [];
      meter.record('sqs', 'ReceiveMessage', { sqsBilledRequests: sqsBilledRequests(messages.reduce((a, m) => a + Buffer.byteLength(m.Body ?? ''), 0)) });
      if (messages.length === 0) continue;
      const records = messages.map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: (m.Attributes ?? {}) as Record<string, string>,
        eventSource: 'aws:sqs',
      }));
      const started = Date.now();
      let failed: Set<string>;
      try {
        invocations++;
        const response = await options.handler({ Records: records });
        failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      } catch {
        failed = new Set(records.map((r) => r.messageId));
      }
      const billedMs = Math.max(1, Date.now() - started);
      meter.record('lambda', options.invokeName ?? 'TransitionInvoke', { gbSeconds: (billedMs / 1000) * ((options.memoryMb ?? 256) / 1024) });
      const done = records.filter((r) => !failed.has(r.messageId));
      if (done.length > 0) {
        await options.client.send(
          new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })) }),
        );
        meter.record('sqs', 'DeleteMessageBatch', { sqsBilledRequests: 1 });
      }
    }
  };
  const pollers = Array.from({ length: options.concurrency ?? 4 }, () => poll());
  return {
    get invocations() {
      return invocations;
    },
    async stop() {
      running = false;
      await Promise.all(pollers);
    },
  };
}
