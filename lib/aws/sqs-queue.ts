/**
 * The transition queue on SQS: messages go out in SendMessageBatch calls of
 * up to ten (and 256 KiB), each with its own DelaySeconds (at most 900; the
 * driver chains longer waits). A body larger than `maxBodyBytes` is stored
 * in the blob store and the message carries `{"$blob": key}`, so no payload
 * size limit reaches the user. Up to eight batch calls are in flight at
 * once, so a Map's thousand starts go out in a few round trips. Entries the batch call reports failed are
 * sent again with backoff; if they still fail the call throws, the
 * transition's message is redelivered and its outbox carried out again.
 * The task invoker's queue is an SqsQueue too: it carries task requests.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, SendMessageCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { NO_METER, type Meter } from './meter';
import type { BlobStore, Outgoing, TaskRequest, TaskRequestQueue, TransitionQueue } from '../service/ports';

export interface SqsQueueOptions {
  client: SQSClient;
  queueUrl: string;
  deadLetterQueueUrl?: string;
  blobs?: BlobStore;
  /** @default 200 000 (SQS's limit is 256 KiB per message and per batch) */
  maxBodyBytes?: number;
  meter?: Meter;
}

const MAX_BATCH_BYTES = 250_000;
const CHUNK = 64 * 1024;
/** SendMessageBatch calls one send keeps in flight at once. */
const BATCHES_IN_FLIGHT = 8;

/** SQS bills each 64 KiB chunk of a request's payload as one request. */
export function sqsBilledRequests(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / CHUNK));
}

export class SqsQueue implements TransitionQueue, TaskRequestQueue {
  private readonly maxBody: number;
  private readonly meter: Meter;

  constructor(private readonly options: SqsQueueOptions) {
    this.maxBody = options.maxBodyBytes ?? 200_000;
    this.meter = options.meter ?? NO_METER;
  }

  async send(messages: Outgoing[]): Promise<void> {
    await this.sendBodies(messages.map((m) => ({ body: m.envelope, delayMs: m.delayMs })));
  }

  /** Task requests, on the task invoker's queue. */
  async request(requests: readonly TaskRequest[]): Promise<void> {
    await this.sendBodies(requests.map((body) => ({ body, delayMs: 0 })));
  }

  private async sendBodies(messages: readonly { body: Outgoing['envelope'] | TaskRequest; delayMs: number }[]): Promise<void> {
    const entries: { entry: SendMessageBatchRequestEntry; bytes: number }[] = [];
    for (const [i, m] of messages.entries()) {
      let body = JSON.stringify(m.body);
      if (Buffer.byteLength(body) > this.maxBody) {
        if (!this.options.blobs) throw new Error(`A message of ${Buffer.byteLength(body)} bytes is larger than SQS allows and no blob store is configured`);
        const key = `messages/${randomUUID()}`;
        await this.options.blobs.put(key, body);
        body = JSON.stringify({ $blob: key });
      }
      const delaySeconds = Math.min(900, Math.ceil(Math.max(0, m.delayMs) / 1000));
      entries.push({ entry: { Id: String(i), MessageBody: body, ...(delaySeconds > 0 ? { DelaySeconds: delaySeconds } : {}) }, bytes: Buffer.byteLength(body) });
    }
    // Group into batches of at most ten entries and 256 KiB, sent several at a time (one call's messages have
    // no order among them: the driver sends what must come last in a call of its own).
    const batches: (typeof entries)[] = [];
    let batch: typeof entries = [];
    let bytes = 0;
    for (const e of entries) {
      if (batch.length === 10 || (batch.length > 0 && bytes + e.bytes > MAX_BATCH_BYTES)) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(e);
      bytes += e.bytes;
    }
    if (batch.length > 0) batches.push(batch);
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < batches.length) await this.sendBatch(batches[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batches.length) }, sender));
  }

  private async sendBatch(batch: { entry: SendMessageBatchRequestEntry; bytes: number }[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const out = await this.options.client.send(new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: pending.map((p) => p.entry) }));
      this.meter.record('sqs', 'SendMessageBatch', { sqsBilledRequests: sqsBilledRequests(pending.reduce((a, p) => a + p.bytes, 0)) });
      const failed = new Set((out.Failed ?? []).map((f) => f.Id));
      pending = pending.filter((p) => failed.has(p.entry.Id));
      if (pending.length === 0) return;
      if (attempt >= 5) throw new Error(`SQS did not accept ${pending.length} messages: ${(out.Failed ?? []).map((f) => f.Code).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }

  async deadLetter(body: string, reason: string): Promise<void> {
    if (!this.options.deadLetterQueueUrl) return;
    await this.options.client.send(
      new SendMessageCommand({
        QueueUrl: this.options.deadLetterQueueUrl,
        MessageBody: body,
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
      }),
    );
    this.meter.record('sqs', 'SendMessage', { sqsBilledRequests: sqsBilledRequests(Buffer.byteLength(body)) });
  }
}
