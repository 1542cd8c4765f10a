/**
 * One SQS batch through the driver, as the transition Lambda receives it:
 * each record on its own (different frames' at once), failures reported per
 * record (partial batch response) so one bad message never redelivers the
 * others, malformed records parked on the dead-letter queue with the reason.
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
  /**
   * How many frames' records are processed at once. The transition function
   * takes a whole batch at once, so a batch's tasks wait together; the local
   * server keeps one batch's frames in turn (its workers are its concurrency).
   * @default 1
   */
  concurrency?: number;
}

/** Every message type (a Record, so a type added to Message without being listed here does not compile). */
const KNOWN: Record<Message['type'], true> = {
  Enter: true, TaskSucceeded: true, TaskFailed: true, TaskHeartbeat: true, TaskSubmitted: true, ActivityStarted: true, Timer: true, ExecutionTimeout: true,
  ChildCompleted: true, ChildrenCompleted: true, ChildrenCollected: true, ChildrenAborted: true, ChildrenRedriven: true, ItemsRead: true, ResultsWritten: true, Stop: true, HistoryLimit: true, RuntimeFailure: true, Redrive: true, MapRunUpdated: true,
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

/** A record's body, read from the blob store when it was stored aside (`{"$blob": key}`). */
export async function recordBody(record: QueueRecord, readBlob?: (key: string) => Promise<string>): Promise<string> {
  const blob = /^\{"\$blob":"([^"]+)"\}$/.exec(record.body);
  return blob && readBlob ? readBlob(blob[1]) : record.body;
}

/** One unit of a batch's work: one message, or children's completions applied to their parent together. */
interface Work {
  /** The frame it addresses (execution ARN and frame id). */
  frame: string;
  envelopes: Envelope[];
  ids: string[];
}

/**
 * Runs the work, up to `concurrency` items at once, never two for one frame
 * at once, and for each frame in the order given: each free worker takes the
 * first item whose frame is not busy. (At concurrency 1, simply in order.)
 */
async function inFrameOrder(work: Work[], concurrency: number, run: (item: Work) => Promise<void>): Promise<void> {
  const busy = new Set<string>();
  const waiting: (() => void)[] = [];
  const worker = async (): Promise<void> => {
    while (work.length > 0) {
      const i = work.findIndex((w) => !busy.has(w.frame));
      if (i < 0) {
        await new Promise<void>((resolve) => waiting.push(resolve)); // every frame left is busy: wait for one
        continue;
      }
      const [item] = work.splice(i, 1);
      busy.add(item.frame);
      try {
        await run(item);
      } finally {
        busy.delete(item.frame);
        for (const wake of waiting.splice(0)) wake();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, work.length)) }, worker));
}

/**
 * Processes one SQS batch. Records addressed to different frames may be
 * processed concurrently (up to `concurrency` frames at a time): a batch of
 * ten Map iterations each waiting a second on its task then takes a second,
 * not ten. Records for one frame are processed one after another, in the
 * batch's order (a frame's transitions would only conflict).
 */
export async function processBatch(driver: Pick<CloudDriver, 'process' | 'processGroup'>, queue: TransitionQueue, records: readonly QueueRecord[], options: BatchOptions = {}): Promise<BatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  const log = options.log ?? ((entry) => console.log(JSON.stringify(entry)));
  let fatal: { err: unknown } | undefined;
  const failed = (ids: string[], err: unknown): void => {
    if (options.isFatal?.(err)) {
      fatal ??= { err };
      return;
    }
    for (const id of ids) {
      log({ level: 'WARN', message: 'message will be redelivered', messageId: id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      failures.push({ itemIdentifier: id });
    }
  };
  // Completions of children addressed to one parent are applied together: one transition of the parent
  // instead of one each, after the other messages (the batch's order is no order: SQS standard queues keep none).
  const singles: Work[] = [];
  const groups = new Map<string, Work>();
  for (const record of records) {
    if (fatal) break;
    try {
      const envelope = parseEnvelope(await recordBody(record, options.readBlob));
      if ('malformed' in envelope) {
        log({ level: 'WARN', message: 'dead-lettered a malformed message', reason: envelope.malformed, messageId: record.messageId });
        await queue.deadLetter(record.body.slice(0, 200_000), envelope.malformed);
        continue;
      }
      const frame = `${envelope.executionArn}|${envelope.message.frameId}`;
      if (envelope.message.type === 'ChildCompleted') {
        const group = groups.get(frame) ?? { frame, envelopes: [], ids: [] };
        group.envelopes.push(envelope);
        group.ids.push(record.messageId);
        groups.set(frame, group);
      } else {
        singles.push({ frame, envelopes: [envelope], ids: [record.messageId] });
      }
    } catch (err) {
      failed([record.messageId], err);
    }
  }
  await inFrameOrder([...singles, ...groups.values()], options.concurrency ?? 1, async ({ envelopes, ids }) => {
    // After a fatal error (a simulated crash) nothing more is started: the invocation is over.
    if (fatal) return;
    try {
      await (envelopes.length === 1 ? driver.process(envelopes[0]) : driver.processGroup(envelopes));
    } catch (err) {
      failed(ids, err);
    }
  });
  if (fatal) throw fatal.err;
  return { batchItemFailures: failures };
}
