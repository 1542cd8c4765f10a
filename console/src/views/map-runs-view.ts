/**
 * The execution's Map runs, each by iteration: a chip per iteration coloured
 * by status, filtered by status or found by index; a click shows that
 * iteration's events in the history table. At most SHOWN chips per run are
 * drawn (a run of thousands is narrowed by the filters).
 */
import { h, replaceChildren } from '../dom';
import type { ExecutionListItem } from '../api';
import { href } from '../format';
import type { DistributedMapRun, IterationStatus, MapIteration, MapRun } from '../map-runs';

/** A DISTRIBUTED Map's run with its child executions as ListExecutions listed them. */
export interface DistributedRunView {
  run: DistributedMapRun;
  children: readonly ExecutionListItem[];
}

/** Chips drawn per run before "narrow the filter" is said instead. */
const SHOWN = 500;
const STATUSES: readonly IterationStatus[] = ['running', 'succeeded', 'failed', 'aborted'];

export interface MapRunsView {
  readonly element: HTMLElement;
  update(runs: readonly MapRun[], distributed?: readonly DistributedRunView[]): void;
}

/** A DISTRIBUTED Map's run: a link per child execution, coloured by its status. */
function distributedSection({ run, children }: DistributedRunView): HTMLElement {
  const counts = new Map<string, number>();
  for (const c of children) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const chips = children
    .slice(0, SHOWN)
    .map((c, i) => h('a', { class: `iteration status-${c.status.toLowerCase()}`, href: href('executions', c.executionArn), title: `${c.name}: ${c.status}` }, `#${i}`));
  return h(
    'div',
    { class: 'map-run', 'data-state': run.state, 'data-map-run': run.mapRunArn },
    h('div', { class: 'toolbar' }, h('strong', {}, run.state), h('span', { class: 'subtle' }, `Map Run, ${children.length} child executions: ${[...counts].map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ')}`)),
    h('div', { class: 'iteration-chips' }, ...chips, children.length > SHOWN ? h('span', { class: 'subtle' }, `… and ${children.length - SHOWN} more.`) : null),
  );
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
    update(runs, distributed = []) {
      // Redrawn only when an iteration appears or changes status, so the filters stay as set.
      const key = [
        ...runs.map((r) => `${r.startedEventId}:${r.iterations.map((i) => i.status[0]).join('')}`),
        ...distributed.map((d) => `${d.run.mapRunArn}:${d.children.map((c) => c.status[0]).join('')}`),
      ].join('|');
      if (key === drawn) return;
      drawn = key;
      element.hidden = runs.length === 0 && distributed.length === 0;
      replaceChildren(element, h('h3', {}, 'Map runs'), ...runs.map((run, i) => runSection(run, i + 1, onPick)), ...distributed.map(distributedSection));
    },
  };
}
