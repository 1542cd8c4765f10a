/** How the console writes dates, statuses, payloads and errors. */
import { ApiError, ServerUnreachableError, type ExecutionStatus, type Timestamp } from './api';
import { h } from './dom';

/** A protocol timestamp (epoch seconds) as local date and time with milliseconds. */
export function formatTime(t: Timestamp | undefined): string {
  if (t === undefined) return '';
  const d = new Date(t * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The time between two timestamps, e.g. `1.204 s` or `3 min 2 s`. */
export function formatDuration(from: Timestamp, to: Timestamp): string {
  const seconds = Math.max(0, to - from);
  if (seconds < 60) return `${seconds.toFixed(3)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** A status badge. */
export function statusBadge(status: ExecutionStatus | string): HTMLElement {
  return h('span', { class: `badge badge-${status.toLowerCase()}` }, status);
}

/** A payload pretty-printed when it is JSON, else as it came. */
export function prettyPayload(text: string | undefined): string {
  if (text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A payload in a <pre>: text, never markup. */
export function payloadBlock(text: string | undefined, empty = '(none)'): HTMLElement {
  return h('pre', { class: text === undefined ? 'payload empty' : 'payload' }, text === undefined ? empty : prettyPayload(text));
}

/** What went wrong, in words, for the error box. */
export function describeError(err: unknown): string {
  if (err instanceof ServerUnreachableError) return err.message;
  if (err instanceof ApiError) return `${err.type}: ${err.message}`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** A visible error box (never a blank page). */
export function errorBox(title: string, err: unknown): HTMLElement {
  return h('div', { class: 'error-box', role: 'alert' }, h('strong', {}, title), h('div', { class: 'error-text' }, describeError(err)));
}

/** An execution or state machine name from its ARN (the last `:` part). */
export function nameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/** The console's link to a page. */
export function href(page: 'state-machines' | 'executions', arn: string): string {
  return `#/${page}/${encodeURIComponent(arn)}`;
}
