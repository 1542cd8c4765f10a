/**
 * Execution logging to CloudWatch Logs, as a state machine's
 * LoggingConfiguration asks: each history event of the chosen level as one
 * log event in Step Functions' own format (`type`, `details`,
 * `event_timestamp`, `execution_arn`, `redrive_count`), inputs and outputs
 * only with `includeExecutionData`, and a payload over 248 KiB truncated and
 * marked `truncated`, as the service does.
 *
 * The events are buffered while a function handles its invocation and sent
 * with one PutLogEvents per log group when it ends ({@link
 * ExecutionLogWriter.flush}), so logging costs a call per batch, not per
 * transition. Like the service's, delivery is best effort: a log group that
 * is missing or refuses the function is reported and skipped, never fails a
 * transition.
 *
 * Unlike the service's, the events carry no `id` and `previous_event_id`:
 * branches and iterations commit on their own, and the history's numbering is
 * made when it is read (GetExecutionHistory returns it).
 */
import { randomUUID } from 'node:crypto';
import { CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { Payload, type EventDraft } from '../engine/events';
import type { ExecutionRecord, LoggingConfiguration, LogLevel } from './ports';

/** The events the FATAL level logs: the execution's own failure. */
const FATAL_EVENTS = new Set(['ExecutionAborted', 'ExecutionFailed', 'ExecutionTimedOut']);

/** The events the ERROR level logs (Step Functions' list, as far as Switchyard emits them). */
const ERROR_EVENTS = new Set([
  ...FATAL_EVENTS,
  'ActivityFailed',
  'ActivityScheduleFailed',
  'ActivityTimedOut',
  'FailStateEntered',
  'LambdaFunctionFailed',
  'LambdaFunctionScheduleFailed',
  'LambdaFunctionStartFailed',
  'LambdaFunctionTimedOut',
  'MapIterationAborted',
  'MapIterationFailed',
  'MapRunAborted',
  'MapRunFailed',
  'MapStateAborted',
  'MapStateFailed',
  'ParallelStateAborted',
  'ParallelStateFailed',
  'TaskFailed',
  'TaskStartFailed',
  'TaskStateAborted',
  'TaskSubmitFailed',
  'TaskTimedOut',
  'WaitStateAborted',
]);

/** Whether an event of this type is logged at this level. */
export function isLogged(level: LogLevel, type: string): boolean {
  if (level === 'ALL') return true;
  if (level === 'ERROR') return ERROR_EVENTS.has(type);
  if (level === 'FATAL') return FATAL_EVENTS.has(type);
  return false;
}

/** The service truncates an escaped payload longer than this. */
export const MAX_LOGGED_PAYLOAD_BYTES = 248 * 1024;

/**
 * An event's details as logged: payloads as JSON text (truncated past the
 * limit, with their `…Details.truncated` set), or left out without
 * `includeExecutionData`.
 */
function loggedDetails(details: Record<string, unknown>, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value instanceof Payload) {
      if (!includeData) continue;
      const text = value.toJSON();
      if (Buffer.byteLength(text) > MAX_LOGGED_PAYLOAD_BYTES) {
        out[key] = Buffer.from(text).subarray(0, MAX_LOGGED_PAYLOAD_BYTES).toString('utf8');
        out[`${key}Details`] = { truncated: true };
      } else {
        out[key] = text;
      }
    } else if (key.endsWith('Details') && out[key] !== undefined) {
      continue; // set above for a truncated payload
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (!includeData && key === 'assignedVariables') continue;
      out[key] = loggedDetails(value as Record<string, unknown>, includeData);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** One history event as Step Functions writes it to CloudWatch Logs. */
export function logRecord(record: ExecutionRecord, event: EventDraft, includeData: boolean): Record<string, unknown> {
  return {
    type: event.type,
    details: event.details ? loggedDetails(event.details, includeData) : {},
    event_timestamp: String(event.timestamp),
    execution_arn: record.info.executionArn,
    redrive_count: String(record.info.redriveCount ?? 0),
  };
}

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*` → NAME. */
export function logGroupName(logGroupArn: string): string | undefined {
  return /^arn:[\w-]+:logs:[^:]*:\d{12}:log-group:([^:]+):\*$/.exec(logGroupArn)?.[1];
}

/** The log group an execution logs to and, as log events, those of `events` its level selects; undefined when it does not log. */
export function loggedEvents(record: ExecutionRecord, events: readonly EventDraft[]): { group: string; events: InputLogEvent[] } | undefined {
  const logging = record.logging;
  const arn = logging?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  const group = arn === undefined ? undefined : logGroupName(arn);
  if (!logging || group === undefined) return undefined;
  const selected = events.filter((e) => isLogged(logging.level, e.type));
  return { group, events: selected.map((e) => ({ timestamp: e.timestamp, message: JSON.stringify(logRecord(record, e, logging.includeExecutionData)) })) };
}

/** Why the API refuses a logging configuration (InvalidLoggingConfiguration), or undefined. */
export function loggingConfigurationProblem(config: LoggingConfiguration): string | undefined {
  const destinations = config.destinations ?? [];
  if (destinations.length > 1) return 'Invalid Logging Configuration: Must specify exactly one Log Destination.';
  if (config.level !== 'OFF' && destinations.length === 0) return 'Invalid Logging Configuration: Must specify exactly one Log Destination.';
  for (const d of destinations) {
    const arn = d.cloudWatchLogsLogGroup?.logGroupArn;
    if (typeof arn !== 'string' || !arn.endsWith(':*')) return "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.";
    if (!logGroupName(arn)) return `Invalid Logging Configuration: Invalid Log Group ARN: ${arn}`;
  }
  return undefined;
}

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
