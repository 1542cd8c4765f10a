/**
 * Execution logs sent to CloudWatch Logs: the records lib/service/execution-log
 * makes are buffered while a function handles its invocation and sent with
 * one PutLogEvents per log group when it ends ({@link
 * ExecutionLogWriter.flush}), so logging costs a call per batch, not per
 * transition. Like the service's, delivery is best effort: a log group that
 * is missing or refuses the function is reported and skipped, never fails a
 * transition.
 */
import { randomUUID } from 'node:crypto';
import { CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { EventDraft } from '../engine/events';
import { loggedEvents } from '../service/execution-log';
import type { ExecutionRecord } from '../service/ports';

/** PutLogEvents' limits: events per call, bytes per call (each event counts 26 bytes more). */
const MAX_EVENTS_PER_CALL = 10_000;
const MAX_BYTES_PER_CALL = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;

export interface ExecutionLogWriterOptions {
  client: Pick<CloudWatchLogsClient, 'send'>;
  /** The log stream this container writes. @default `states/switchyard/<date>/<random id>` */
  streamName?: string;
  /** Where delivery problems are reported. @default console.error */
  report?: (message: string, error: unknown) => void;
}

/** Buffers logged events by log group and sends them on {@link flush}. */
export class ExecutionLogWriter {
  private readonly client: Pick<CloudWatchLogsClient, 'send'>;
  private readonly streamName: string;
  private readonly report: (message: string, error: unknown) => void;
  private readonly pending = new Map<string, InputLogEvent[]>();
  private readonly streams = new Set<string>();

  constructor(options: ExecutionLogWriterOptions) {
    this.client = options.client;
    this.streamName = options.streamName ?? `states/switchyard/${new Date().toISOString().slice(0, 10)}/${randomUUID()}`;
    this.report = options.report ?? ((message, error) => console.error(message, error));
  }

  /** Buffers the events of one transition that the execution's logging level selects. */
  add(record: ExecutionRecord, events: readonly EventDraft[]): void {
    const logged = loggedEvents(record, events);
    if (!logged || logged.events.length === 0) return;
    let list = this.pending.get(logged.group);
    if (!list) this.pending.set(logged.group, (list = []));
    list.push(...logged.events);
  }

  /** The number of events waiting to be sent. */
  get size(): number {
    let n = 0;
    for (const list of this.pending.values()) n += list.length;
    return n;
  }

  /** Sends every buffered event: per log group, in time order, in as few PutLogEvents calls as the limits allow. */
  async flush(): Promise<void> {
    const groups = [...this.pending.entries()];
    this.pending.clear();
    await Promise.all(
      groups.map(async ([group, events]) => {
        try {
          await this.ensureStream(group);
          events.sort((a, b) => a.timestamp! - b.timestamp!);
          for (const batch of batches(events)) {
            await this.client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: this.streamName, logEvents: batch }));
          }
        } catch (err) {
          this.report(`switchyard: ${events.length} execution log events for the log group ${group} were not delivered`, err);
        }
      }),
    );
  }

  private async ensureStream(group: string): Promise<void> {
    if (this.streams.has(group)) return;
    try {
      await this.client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: this.streamName }));
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceAlreadyExistsException') throw err;
    }
    this.streams.add(group);
  }
}

/** Splits time-ordered events into PutLogEvents calls. */
function batches(events: readonly InputLogEvent[]): InputLogEvent[][] {
  const out: InputLogEvent[][] = [];
  let current: InputLogEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.message!) + EVENT_OVERHEAD_BYTES;
    if (current.length > 0 && (current.length >= MAX_EVENTS_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
