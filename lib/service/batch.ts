/**
 * One SQS batch through the driver, as the transition Lambda receives it:
 * each record on its own, failures reported per record (partial batch
 * response) so one bad message never redelivers the others, malformed
 * records parked on the dead-letter queue with the reason.
 */
import type { CloudDriver } from './driver';
import type { Envelope, TransitionQueue } from './ports';
import type { Message } from '../engine/messages';

/** The parts of an SQS record the handler reads. */
export interface QueueRecord {
  messageId: string;
  body: string;
}

/** Lambda's partial batch response for SQS event sources. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface BatchOptions {
  /** Where a message body stored aside (`{"$blob": key}`) is read from. */
  readBlob?: (key: string) => Promise<string>;
  /** Errors that must end the whole invocation (the fault harness's simulated crash). */
  isFatal?: (err: unknown) => boolean;
  log?: (entry: Record<string, unknown>) => void;
}

/** Every message type (a Record, so a type added to Message without being listed here does not compile). */
const KNOWN: Record<Message['type'], true> = {
  Enter: true, TaskSucceeded: true, TaskFailed: true, TaskHeartbeat: true, ActivityStarted: true, Timer: true, ExecutionTimeout: true,
  ChildCompleted: true, ChildrenCompleted: true, ChildrenCollected: true, ChildrenRedriven: true, ItemsRead: true, ResultsWritten: true, Stop: true, Redrive: true,
};
const MESSAGE_TYPES = new Set(Object.keys(KNOWN));

/** Parses and checks a message body; returns the reason when it can never be processed. */
export function parseEnvelope(body: string): Envelope | { malformed: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { malformed: 'The message body is not JSON' };
  }
  const e = parsed as Partial<Envelope> | null;
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return { malformed: 'The message body is not a JSON object' };
  if (e.v !== 1) return { malformed: `Unknown envelope version ${JSON.stringify(e.v)}` };
  if (typeof e.executionArn !== 'string' || !e.executionArn.startsWith('arn:')) return { malformed: 'executionArn is missing or not an ARN' };
  const m = e.message as { type?: unknown; frameId?: unknown } | undefined;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !MESSAGE_TYPES.has(m.type)) return { malformed: 'message.type is missing or unknown' };
  if (typeof m.frameId !== 'string') return { malformed: 'message.frameId is missing' };
  if (typeof e.lc !== 'number') return { malformed: 'lc is missing' };
  return e as Envelope;
}

export async function processBatch(driver: CloudDriver, queue: TransitionQueue, records: readonly QueueRecord[], options: BatchOptions = {}): Promise<BatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  const log = options.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const failed = (ids: string[], err: unknown): void => {
    if (options.isFatal?.(err)) throw err;
    for (const id of ids) {
      log({ level: 'WARN', message: 'message will be redelivered', messageId: id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      failures.push({ itemIdentifier: id });
    }
  };
  // Completions of children addressed to one parent are applied together: one transition of the parent
  // instead of one each (the batch's order is no order: SQS standard queues keep none).
  const groups = new Map<string, { envelopes: Envelope[]; ids: string[] }>();
  const singles: { envelope: Envelope; id: string }[] = [];
  for (const record of records) {
    try {
      let body = record.body;
      const blob = /^\{"\$blob":"([^"]+)"\}$/.exec(body);
      if (blob && options.readBlob) body = await options.readBlob(blob[1]);
      const envelope = parseEnvelope(body);
      if ('malformed' in envelope) {
        log({ level: 'WARN', message: 'dead-lettered a malformed message', reason: envelope.malformed, messageId: record.messageId });
        await queue.deadLetter(record.body.slice(0, 200_000), envelope.malformed);
        continue;
      }
      if (envelope.message.type === 'ChildCompleted') {
        const key = `${envelope.executionArn}|${envelope.message.frameId}`;
        const group = groups.get(key) ?? { envelopes: [], ids: [] };
        group.envelopes.push(envelope);
        group.ids.push(record.messageId);
        groups.set(key, group);
      } else {
        singles.push({ envelope, id: record.messageId });
      }
    } catch (err) {
      failed([record.messageId], err);
    }
  }
  for (const { envelope, id } of singles) {
    try {
      await driver.process(envelope);
    } catch (err) {
      failed([id], err);
    }
  }
  for (const { envelopes, ids } of groups.values()) {
    try {
      await driver.processGroup(envelopes);
    } catch (err) {
      failed(ids, err);
    }
  }
  return { batchItemFailures: failures };
}
