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

/** Payloads longer than this (characters or lines) start collapsed, with their size and a download link. */
export const LARGE_PAYLOAD_CHARS = 2000;
export const LARGE_PAYLOAD_LINES = 40;

/** A size in bytes as `812 B`, `12.3 KB`, `4.1 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A link that saves `text` as `fileName`: the Blob is made when clicked, and let go after. */
export function downloadLink(text: string, fileName: string): HTMLAnchorElement {
  const link = h('a', { class: 'download', href: '#', download: fileName }, 'Download');
  link.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    link.href = url;
    setTimeout(() => {
      URL.revokeObjectURL(url);
      link.href = '#';
    }, 1000);
  });
  return link;
}

/**
 * A payload in a <pre>: text, never markup, pretty-printed when JSON. A large
 * one is folded under its size (click to open) with a download link.
 */
export function payloadBlock(text: string | undefined, empty = '(none)', fileName = 'payload.json'): HTMLElement {
  if (text === undefined) return h('pre', { class: 'payload empty' }, empty);
  const pretty = prettyPayload(text);
  const lines = pretty.split('\n').length;
  if (pretty.length <= LARGE_PAYLOAD_CHARS && lines <= LARGE_PAYLOAD_LINES) return h('pre', { class: 'payload' }, pretty);
  const size = `${formatBytes(new TextEncoder().encode(text).length)}, ${lines} lines`;
  return h(
    'div',
    { class: 'payload-large' },
    h('details', {}, h('summary', {}, h('span', { class: 'payload-size' }, size), h('span', { class: 'when-closed' }, ' — click to show'), h('span', { class: 'when-open' }, ' — click to hide')), h('pre', { class: 'payload' }, pretty)),
    downloadLink(pretty, fileName),
  );
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
export function href(page: 'state-machines' | 'executions' | 'definition', arn: string): string {
  return `#/${page}/${encodeURIComponent(arn)}`;
}
