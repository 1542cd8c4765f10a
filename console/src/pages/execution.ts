/**
 * `#/executions/<ARN>`: one execution, live. The graph colours each state by
 * what the history says of it; the page polls while the execution runs.
 */
import { describeExecution, describeStateMachineForExecution, getExecutionHistory, listMapRunExecutions, redriveExecution, stopExecution, type ExecutionDescription, type HistoryEvent } from '../api';
import { h, replaceChildren } from '../dom';
import { describeError, errorBox, formatDuration, formatTime, href, nameFromArn, payloadBlock, statusBadge } from '../format';
import { layoutDefinition } from '../graph-layout';
import type { JsonObject } from '../../../lib/asl/json';
import { statusByState, summarizeHistory, type HistorySummary } from '../state-status';
import { createGraphView, type GraphView } from '../views/graph-view';
import { createHistoryTable } from '../views/history-table';
import { waitingTasks } from '../callbacks';
import { distributedMapRuns, mapRuns } from '../map-runs';
import { createCallbackPanel } from '../views/callback-panel';
import { createMapRunsView, type DistributedRunView } from '../views/map-runs-view';

/** How often a running execution is read again. */
const POLL_MS = 1000;

/** What the side panel says of the clicked state. */
function stateDetails(name: string, summary: HistorySummary | undefined): HTMLElement {
  const state = summary?.states.get(name);
  if (!state) return h('div', { class: 'state-details' }, h('h3', {}, name), h('p', { class: 'empty' }, 'This state has not run in this execution.'));
  const run = state.shown;
  return h(
    'div',
    { class: 'state-details' },
    h('h3', {}, name, ' ', h('span', { class: `badge status-${state.status}` }, state.status)),
    h('p', { class: 'subtle' }, `Entered ${state.runs.length} time${state.runs.length === 1 ? '' : 's'}.`),
    run.failure ? h('div', { class: 'state-error' }, h('div', {}, h('strong', {}, 'Error: '), run.failure.error ?? run.failure.eventType), run.failure.cause !== undefined ? h('div', {}, h('strong', {}, 'Cause: '), payloadBlock(run.failure.cause)) : null) : null,
    h('h4', {}, 'Input'),
    payloadBlock(run.input),
    h('h4', {}, 'Output'),
    payloadBlock(run.output, run.exited ? '(none)' : '(not exited)'),
  );
}

export function renderExecutionPage(root: HTMLElement, arn: string): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let summary: HistorySummary | undefined;
  let selected: string | undefined;
  let graph: GraphView | undefined;
  let definition: unknown;
  let last: { execution: ExecutionDescription; events: readonly HistoryEvent[] } | undefined;
  let ioKey = '';

  const title = h('h2', {}, nameFromArn(arn));
  const crumbs = h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'State machines'));
  const actions = h('div', { class: 'actions' });
  const meta = h('div', { class: 'meta' });
  const failure = h('div');
  const notice = h('div', { class: 'notice' });
  const graphSlot = h('div', { class: 'graph-slot' }, h('div', { class: 'loading' }, 'Loading the graph…'));
  const side = h('aside', { class: 'side' }, h('p', { class: 'empty' }, 'Click a state to see its input, output and error.'));
  const io = h('div', { class: 'columns io' });
  const history = createHistoryTable();
  const callbacks = createCallbackPanel(() => refresh());
  const maps = createMapRunsView((run, iteration) => {
    for (const chip of root.querySelectorAll('button.iteration.picked')) chip.classList.remove('picked');
    root.querySelector(`.map-run[data-state="${CSS.escape(run.state)}"] button.iteration[data-index="${iteration.index}"]`)?.classList.add('picked');
    history.focus(new Set(iteration.eventIds), `iteration #${iteration.index} of ${run.state}`);
    history.element.scrollIntoView({ block: 'nearest' });
  });
  replaceChildren(root, crumbs, h('div', { class: 'title-row' }, title, actions), meta, failure, notice, callbacks.element, h('div', { class: 'graph-and-side' }, graphSlot, side), io, maps.element, h('h3', {}, 'Event history'), history.element);

  let sideKey = '';
  const choose = (name: string): void => {
    selected = name;
    graph?.select(name);
    // Redrawn only when the state's runs change, so an opened large payload stays open while the page polls.
    const state = summary?.states.get(name);
    const key = JSON.stringify([name, state?.status, state?.runs.length, state?.shown]);
    if (key === sideKey) return;
    sideKey = key;
    replaceChildren(side, stateDetails(name, summary));
  };

  const act = (label: string, run: () => Promise<unknown>): HTMLButtonElement => {
    const button = h('button', { type: 'button', class: `action-${label.toLowerCase()}` }, label);
    button.addEventListener('click', () => {
      button.disabled = true;
      run().then(
        () => refresh(),
        (err: unknown) => {
          button.disabled = false;
          replaceChildren(notice, errorBox(`${label} failed.`, err));
        },
      );
    });
    return button;
  };

  /** The DISTRIBUTED Maps' runs with their child executions as last listed (drawn again with each history). */
  let childRuns: DistributedRunView[] = [];
  const drawExecution = (execution: ExecutionDescription, events: readonly HistoryEvent[]): void => {
    last = { execution, events };
    const running = execution.status === 'RUNNING';
    callbacks.update(waitingTasks(events, definition, running));
    const inline = mapRuns(events, running);
    maps.update(inline, childRuns);
    // A DISTRIBUTED Map's iterations are child executions: listed by their Map Run.
    const distributed = distributedMapRuns(events);
    if (distributed.length > 0) {
      Promise.all(distributed.map(async (run) => ({ run, children: await listMapRunExecutions(run.mapRunArn) }))).then(
        (views) => {
          if (stopped) return;
          childRuns = views;
          maps.update(inline, views);
        },
        () => undefined, // the next refresh tries again
      );
    }
    summary = summarizeHistory(events, running);
    replaceChildren(title, execution.name, ' ', statusBadge(execution.status));
    const machine = nameFromArn(execution.stateMachineArn);
    replaceChildren(crumbs, h('a', { href: '#/' }, 'State machines'), ' / ', h('a', { href: href('state-machines', execution.stateMachineArn) }, machine), ' / ', execution.name);
    const stopButton = act('Stop', () => stopExecution(execution.executionArn, 'Switchyard.Console', 'Stopped from the console'));
    stopButton.disabled = !running;
    const redriveButton = act('Redrive', () => redriveExecution(execution.executionArn));
    redriveButton.disabled = execution.redriveStatus !== 'REDRIVABLE';
    if (execution.redriveStatusReason) redriveButton.title = execution.redriveStatusReason;
    replaceChildren(actions, stopButton, redriveButton);
    replaceChildren(
      meta,
      h('span', {}, h('strong', {}, 'Started '), formatTime(execution.startDate)),
      execution.stopDate !== undefined ? h('span', {}, h('strong', {}, 'Stopped '), formatTime(execution.stopDate)) : null,
      execution.stopDate !== undefined ? h('span', {}, h('strong', {}, 'Duration '), formatDuration(execution.startDate, execution.stopDate)) : null,
      execution.redriveCount ? h('span', {}, h('strong', {}, 'Redriven '), `${execution.redriveCount}×`) : null,
      h('span', { class: 'arn' }, execution.executionArn),
    );
    replaceChildren(
      failure,
      execution.error !== undefined || execution.cause !== undefined
        ? h('div', { class: 'execution-error', role: 'alert' }, h('div', { class: 'error-name' }, h('strong', {}, 'Error: '), execution.error ?? ''), h('div', { class: 'error-cause' }, h('strong', {}, 'Cause: '), payloadBlock(execution.cause)))
        : null,
    );
    // Redrawn only when they change, so an opened large payload stays open while the page polls.
    const key = JSON.stringify([execution.input, execution.output, running]);
    if (key !== ioKey) {
      ioKey = key;
      replaceChildren(io, h('div', {}, h('h3', {}, 'Input'), payloadBlock(execution.input, '(none)', `${execution.name}-input.json`)), h('div', {}, h('h3', {}, 'Output'), payloadBlock(execution.output, running ? '(running)' : '(none)', `${execution.name}-output.json`)));
    }
    graph?.setStatuses(statusByState(summary));
    if (selected !== undefined) choose(selected);
    history.update(events, summary.stateOfEvent);
  };

  const refresh = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    Promise.all([describeExecution(arn), getExecutionHistory(arn)]).then(
      ([execution, events]) => {
        if (stopped) return;
        replaceChildren(notice);
        drawExecution(execution, events);
        if (execution.status === 'RUNNING') timer = setTimeout(refresh, POLL_MS);
      },
      (err: unknown) => {
        if (stopped) return;
        replaceChildren(notice, errorBox(summary ? 'Could not refresh this execution (trying again).' : `Could not load the execution ${arn}.`, err));
        if (summary) timer = setTimeout(refresh, POLL_MS * 2);
      },
    );
  };

  describeStateMachineForExecution(arn).then(
    (machine) => {
      if (stopped) return;
      try {
        definition = JSON.parse(machine.definition);
        if (last) drawExecution(last.execution, last.events); // the callbacks' tokens are found through the definition
        graph = createGraphView(layoutDefinition(definition as JsonObject), choose);
        replaceChildren(graphSlot, graph.element);
        if (summary) graph.setStatuses(statusByState(summary));
      } catch (err) {
        replaceChildren(graphSlot, errorBox('Could not draw this definition.', err));
      }
    },
    (err: unknown) => !stopped && replaceChildren(graphSlot, h('div', { class: 'error-box' }, 'Could not load the definition: ', describeError(err))),
  );
  refresh();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
