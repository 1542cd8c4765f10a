/**
 * The execution's Map runs, each by iteration: a chip per iteration coloured
 * by status, filtered by status or found by index; a click shows that
 * iteration's events in the history table. At most SHOWN chips per run are
 * drawn (a run of thousands is narrowed by the filters).
 */
import { h, replaceChildren } from '../dom';
import type { IterationStatus, MapIteration, MapRun } from '../map-runs';

/** Chips drawn per run before "narrow the filter" is said instead. */
const SHOWN = 500;
const STATUSES: readonly IterationStatus[] = ['running', 'succeeded', 'failed', 'aborted'];

export interface MapRunsView {
  readonly element: HTMLElement;
  update(runs: readonly MapRun[]): void;
}

function runSection(run: MapRun, number: number, onPick: (run: MapRun, iteration: MapIteration) => void): HTMLElement {
  const counts = STATUSES.map((s) => [s, run.iterations.filter((i) => i.status === s).length] as const).filter(([, n]) => n > 0);
  const status = h('select', { class: 'iteration-status', 'aria-label': 'Iteration status' }, h('option', { value: '' }, 'All'), ...counts.map(([s, n]) => h('option', { value: s }, `${s} (${n})`)));
  const index = h('input', { type: 'number', min: 0, class: 'iteration-index', placeholder: 'Iteration #', 'aria-label': 'Iteration index' });
  const chips = h('div', { class: 'iteration-chips' });
  const draw = (): void => {
    const wanted = index.value === '' ? undefined : Number(index.value);
    const shown = run.iterations.filter((i) => (status.value === '' || i.status === status.value) && (wanted === undefined || i.index === wanted));
    replaceChildren(
      chips,
      ...shown.slice(0, SHOWN).map((i) => h('button', { type: 'button', class: `iteration status-${i.status}`, 'data-index': i.index, title: `Iteration ${i.index}: ${i.status} (${i.eventIds.length} events)`, onclick: () => onPick(run, i) }, `#${i.index}`)),
      shown.length > SHOWN ? h('span', { class: 'subtle' }, `… and ${shown.length - SHOWN} more: filter by status or give an index.`) : null,
      shown.length === 0 ? h('span', { class: 'empty' }, 'No iteration matches.') : null,
    );
  };
  status.addEventListener('change', draw);
  index.addEventListener('input', draw);
  draw();
  return h(
    'div',
    { class: 'map-run', 'data-state': run.state },
    h('div', { class: 'toolbar' }, h('strong', {}, `${run.state}`), h('span', { class: 'subtle' }, `run ${number}, ${run.iterations.length} iterations: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`), status, index),
    chips,
  );
}

/** The view; `onPick` gets the clicked iteration. */
export function createMapRunsView(onPick: (run: MapRun, iteration: MapIteration) => void): MapRunsView {
  const element = h('section', { class: 'map-runs', hidden: true });
  let drawn = '';
  return {
    element,
    update(runs) {
      // Redrawn only when an iteration appears or changes status, so the filters stay as set.
      const key = runs.map((r) => `${r.startedEventId}:${r.iterations.map((i) => i.status[0]).join('')}`).join('|');
      if (key === drawn) return;
      drawn = key;
      element.hidden = runs.length === 0;
      replaceChildren(element, h('h3', {}, 'Map runs'), ...runs.map((run, i) => runSection(run, i + 1, onPick)));
    },
  };
}
