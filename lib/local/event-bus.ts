/**
 * The events `switchyard serve` takes at `POST /events`, for its local
 * EventBridge rules: a PutEvents request (`{Entries: [{Source, DetailType,
 * Detail, Resources}]}`) or one event as EventBridge delivers it. A body of
 * the wrong shape is a ValidationException, answered like every other
 * request error of the API (`{__type, message}`).
 */
import { randomUUID } from 'node:crypto';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';

/** One event as EventBridge delivers it to a target. */
export interface BusEvent {
  readonly id: string;
  readonly [field: string]: unknown;
}

/** Where the events are said to come from. */
export interface EventOrigin {
  readonly account: string;
  readonly region: string;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

function invalid(message: string): never {
  throw new ServiceError(ServiceErrorName.ValidationException, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The events a `/events` body carries. Throws ServiceError (ValidationException) for malformed JSON or a wrong shape. */
export function eventsFromBody(text: string, origin: EventOrigin): BusEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    invalid('The request body is not valid JSON');
  }
  if (!isObject(parsed)) invalid('The request body must be a JSON object: a PutEvents request or one event');
  if (parsed.Entries === undefined) {
    const id = parsed.id === undefined ? randomUUID() : parsed.id;
    if (typeof id !== 'string') invalid("The event's 'id' must be a string");
    return [{ ...parsed, id }];
  }
  if (!Array.isArray(parsed.Entries)) invalid("'Entries' must be an array of events");
  const time = new Date(origin.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return parsed.Entries.map((entry: unknown, i) => {
    if (!isObject(entry)) invalid(`Entries[${i}] must be an object`);
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (entry[field] !== undefined && typeof entry[field] !== 'string') invalid(`Entries[${i}].${field} must be a string`);
    }
    const resources = entry.Resources ?? [];
    if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) invalid(`Entries[${i}].Resources must be an array of strings`);
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType ?? '',
      source: entry.Source ?? '',
      account: origin.account,
      time,
      region: origin.region,
      resources,
      detail: entry.Detail === undefined ? {} : detailOf(entry.Detail as string, i),
    };
  });
}

/** "Detail: A valid JSON object" (PutEventsRequestEntry). */
function detailOf(text: string, i: number): unknown {
  try {
    const detail: unknown = JSON.parse(text);
    if (isObject(detail)) return detail;
  } catch {
    // reported below, as for a value that is not an object
  }
  return invalid(`Entries[${i}].Detail is malformed: it must be a JSON object`);
}
