/**
 * Execution logging as a state machine's LoggingConfiguration asks, in Step
 * Functions' own format: which history events each level logs, one log
 * record per event (`type`, `details`, `event_timestamp`, `execution_arn`,
 * `redrive_count`), inputs and outputs only with `includeExecutionData`, a
 * payload over 248 KiB truncated and marked `truncated`, and the checks the
 * API makes of a configuration. Where the records go is the driver's
 * business: CloudWatch Logs in the cloud (lib/aws/execution-log.ts), one
 * file per log group on one machine (lib/local/execution-logs.ts).
 *
 * Unlike the service's, the events carry no `id` and `previous_event_id`:
 * branches and iterations commit on their own, and the history's numbering is
 * made when it is read (GetExecutionHistory returns it).
 */
import { Payload, type EventDraft } from '../engine/events';
import type { HistoryEventType } from '../engine/history-events';
import type { ExecutionRecord, LoggingConfiguration, LogLevel } from './ports';

/** One log event: when, and the record as JSON text (CloudWatch Logs' InputLogEvent). */
export interface LogEvent {
  timestamp: number;
  message: string;
}

/** The events the FATAL level logs: the execution's own failure. */
const FATAL_EVENTS: ReadonlySet<HistoryEventType> = new Set<HistoryEventType>(['ExecutionAborted', 'ExecutionFailed', 'ExecutionTimedOut']);

/** The events the ERROR level logs (Step Functions' list, as far as Switchyard emits them). */
const ERROR_EVENTS: ReadonlySet<HistoryEventType> = new Set<HistoryEventType>([
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
export function isLogged(level: LogLevel, type: HistoryEventType): boolean {
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
export function loggedEvents(record: ExecutionRecord, events: readonly EventDraft[]): { group: string; events: LogEvent[] } | undefined {
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

