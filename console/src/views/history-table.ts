/**
 * The event history as a table with a text filter and a type filter. Only
 * the rows in view are in the DOM (fixed row height, one spacer), so a
 * history of tens of thousands of events scrolls and filters at once.
 */
import type { HistoryEvent } from '../api';
import { h, replaceChildren } from '../dom';
import { formatTime, prettyPayload } from '../format';
import { eventDetails } from '../state-status';

export interface HistoryTable {
  readonly element: HTMLElement;
  /** Shows these events (a refreshed history keeps the filters and the scroll position). */
  update(events: readonly HistoryEvent[], stateOfEvent: ReadonlyMap<number, string>): void;
  /** Shows only these events (a Map iteration's), named by `label`, until cleared; undefined clears. */
  focus(ids: ReadonlySet<number> | undefined, label?: string): void;
}

/** Pixels per row: the CSS gives .history-row this height. */
const ROW_HEIGHT = 28;
/** Rows drawn beyond each edge of the view, so a fast scroll shows no gap. */
const OVERSCAN = 10;

interface Row {
  event: HistoryEvent;
  state: string;
  details: string;
  /** Lower-cased type, state and details, for the text filter. */
  haystack: string;
}

/** Builds the table. */
export function createHistoryTable(): HistoryTable {
  let rows: Row[] = [];
  let visible: Row[] = [];
  let selectedId: number | undefined;
  let focused: ReadonlySet<number> | undefined;
  const cache = new Map<number, Row>();

  const textFilter = h('input', { type: 'search', class: 'history-filter', placeholder: 'Filter events (type, state, details)…', 'aria-label': 'Filter events' });
  const typeFilter = h('select', { class: 'history-type', 'aria-label': 'Event type' }, h('option', { value: '' }, 'All types'));
  const count = h('span', { class: 'history-count' });
  const focusChip = h('span', { class: 'history-focus', hidden: true });
  const header = h('div', { class: 'history-row history-head' }, h('span', {}, 'ID'), h('span', {}, 'Type'), h('span', {}, 'Timestamp'), h('span', {}, 'State'), h('span', {}, 'Details'));
  const spacer = h('div', { class: 'history-spacer' });
  const scroller = h('div', { class: 'history-scroll' }, spacer);
  const detail = h('pre', { class: 'payload history-detail' }, 'Click an event to see its details.');

  const draw = (): void => {
    const top = scroller.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(visible.length, Math.ceil((top + (scroller.clientHeight || 400)) / ROW_HEIGHT) + OVERSCAN);
    spacer.style.height = `${visible.length * ROW_HEIGHT}px`;
    const els: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const row = visible[i];
      const el = h(
        'div',
        { class: `history-row${row.event.id === selectedId ? ' selected' : ''}${/(Failed|TimedOut|Aborted)$/.test(row.event.type) ? ' failure' : ''}`, 'data-event-id': row.event.id, style: `top:${i * ROW_HEIGHT}px`, onclick: () => choose(row) },
        h('span', {}, row.event.id),
        h('span', {}, row.event.type),
        h('span', {}, formatTime(row.event.timestamp)),
        h('span', {}, row.state),
        h('span', { class: 'history-details' }, row.details),
      );
      els.push(el);
    }
    replaceChildren(spacer, ...els);
  };
  const choose = (row: Row): void => {
    selectedId = row.event.id;
    const details = eventDetails(row.event) ?? {};
    // Payload fields are JSON in strings: shown parsed, so they read as data.
    const shown = Object.fromEntries(Object.entries(details).map(([k, v]) => [k, typeof v === 'string' && /^(input|output|cause|parameters|result)$/.test(k) ? tryParse(v) : v]));
    detail.textContent = `#${row.event.id} ${row.event.type}${row.state ? ` — ${row.state}` : ''}\n${prettyPayload(JSON.stringify(shown))}`;
    draw();
  };
  const refilter = (): void => {
    const text = textFilter.value.trim().toLowerCase();
    const type = typeFilter.value;
    visible = rows.filter((r) => (focused === undefined || focused.has(r.event.id)) && (type === '' || r.event.type === type) && (text === '' || r.haystack.includes(text)));
    count.textContent = visible.length === rows.length ? `${rows.length} events` : `${visible.length} of ${rows.length} events`;
    draw();
  };
  let frame = 0;
  scroller.addEventListener('scroll', () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  });
  textFilter.addEventListener('input', () => {
    scroller.scrollTop = 0;
    refilter();
  });
  typeFilter.addEventListener('change', () => {
    scroller.scrollTop = 0;
    refilter();
  });

  const element = h('div', { class: 'history' }, h('div', { class: 'history-toolbar' }, textFilter, typeFilter, focusChip, count), header, scroller, detail);
  return {
    element,
    update(events, stateOfEvent) {
      rows = events.map((event) => {
        const known = cache.get(event.id);
        if (known) return known; // an event never changes once written
        const details = JSON.stringify(eventDetails(event) ?? {});
        const state = stateOfEvent.get(event.id) ?? '';
        const row = { event, state, details: details === '{}' ? '' : details.slice(0, 400), haystack: `${event.type} ${state} ${details}`.toLowerCase() };
        cache.set(event.id, row);
        return row;
      });
      const types = [...new Set(events.map((e) => e.type))].sort();
      if (types.length !== typeFilter.options.length - 1) {
        const chosen = typeFilter.value;
        replaceChildren(typeFilter, h('option', { value: '' }, 'All types'), ...types.map((t) => h('option', { value: t }, t)));
        typeFilter.value = types.includes(chosen) ? chosen : '';
      }
      refilter();
    },
    focus(ids, label) {
      focused = ids;
      focusChip.hidden = ids === undefined;
      replaceChildren(focusChip, ...(ids === undefined ? [] : [`Only ${label ?? 'some events'}`, h('button', { type: 'button', class: 'clear-focus', title: 'Show every event', onclick: () => this.focus(undefined) }, '×')]));
      scroller.scrollTop = 0;
      refilter();
    },
  };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
