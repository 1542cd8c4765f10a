/** `#/state-machines/<ARN>`: the graph, a start form and the executions, page by page. */
import { describeStateMachine, EXECUTION_STATUSES, listExecutions, type ExecutionListItem, type ExecutionStatus, type StateMachineDescription } from '../api';
import { h, replaceChildren } from '../dom';
import { errorBox, formatDuration, formatTime, href, nameFromArn, statusBadge } from '../format';
import { layoutDefinition } from '../graph-layout';
import { createGraphView } from '../views/graph-view';
import { createStartForm } from '../views/start-form';

const PAGE_SIZE = 25;

function executionRow(e: ExecutionListItem): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-arn': e.executionArn },
    h('td', {}, h('a', { href: href('executions', e.executionArn) }, e.name)),
    h('td', {}, statusBadge(e.status)),
    h('td', {}, formatTime(e.startDate)),
    h('td', {}, formatTime(e.stopDate)),
    h('td', {}, e.stopDate !== undefined ? formatDuration(e.startDate, e.stopDate) : ''),
  );
}

/** The executions list: status filter (server side), name filter (this page), nextToken paging. */
function executionsList(arn: string): HTMLElement {
  const status = h('select', { class: 'status-filter', 'aria-label': 'Status' }, h('option', { value: '' }, 'All statuses'), ...EXECUTION_STATUSES.map((s) => h('option', { value: s }, s)));
  const name = h('input', { type: 'search', class: 'name-filter', placeholder: 'Filter by name…', 'aria-label': 'Filter by name' });
  const prev = h('button', { type: 'button', class: 'prev-page' }, '← Newer');
  const next = h('button', { type: 'button', class: 'next-page' }, 'Older →');
  const refresh = h('button', { type: 'button' }, 'Refresh');
  const info = h('span', { class: 'page-info' });
  const body = h('tbody');
  const message = h('div');
  // tokens[i] is the nextToken that opens page i (page 0 needs none).
  let tokens: (string | undefined)[] = [undefined];
  let pageIndex = 0;
  let items: ExecutionListItem[] = [];

  const draw = (): void => {
    const text = name.value.trim().toLowerCase();
    const shown = items.filter((e) => text === '' || e.name.toLowerCase().includes(text));
    replaceChildren(body, ...shown.map(executionRow));
    replaceChildren(message, shown.length === 0 ? h('p', { class: 'empty' }, items.length === 0 ? 'No executions.' : 'No execution on this page matches the name filter.') : null);
    info.textContent = `Page ${pageIndex + 1}`;
    prev.disabled = pageIndex === 0;
    next.disabled = tokens[pageIndex + 1] === undefined;
  };
  const load = (): void => {
    const token = tokens[pageIndex];
    listExecutions(arn, { maxResults: PAGE_SIZE, ...(status.value ? { statusFilter: status.value as ExecutionStatus } : {}), ...(token ? { nextToken: token } : {}) }).then(
      (page) => {
        items = page.items;
        tokens = tokens.slice(0, pageIndex + 1);
        if (page.nextToken) tokens.push(page.nextToken);
        draw();
      },
      (err: unknown) => replaceChildren(message, errorBox('Could not list the executions.', err)),
    );
  };
  status.addEventListener('change', () => {
    tokens = [undefined];
    pageIndex = 0;
    load();
  });
  name.addEventListener('input', draw);
  prev.addEventListener('click', () => {
    pageIndex--;
    load();
  });
  next.addEventListener('click', () => {
    pageIndex++;
    load();
  });
  refresh.addEventListener('click', load);
  load();
  return h(
    'section',
    { class: 'executions' },
    h('h3', {}, 'Executions'),
    h('div', { class: 'toolbar' }, status, name, refresh, prev, info, next),
    h('table', { class: 'list executions-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Status'), h('th', {}, 'Started'), h('th', {}, 'Stopped'), h('th', {}, 'Duration'))), body),
    message,
  );
}

function draw(root: HTMLElement, machine: StateMachineDescription): void {
  let graph: HTMLElement;
  try {
    graph = createGraphView(layoutDefinition(JSON.parse(machine.definition))).element;
  } catch (err) {
    graph = errorBox('Could not draw this definition.', err);
  }
  replaceChildren(
    root,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'State machines'), ' / ', machine.name),
    h('div', { class: 'title-row' }, h('h2', {}, machine.name, ' ', h('span', { class: 'subtle' }, machine.type)), h('a', { class: 'button-link edit-definition', href: href('definition', machine.stateMachineArn) }, 'Edit definition')),
    h('p', { class: 'arn' }, machine.stateMachineArn),
    graph,
    h('div', { class: 'columns' }, createStartForm(machine.stateMachineArn, (executionArn) => (location.hash = href('executions', executionArn))), h('details', { class: 'definition' }, h('summary', {}, 'Definition'), h('pre', { class: 'payload' }, JSON.stringify(JSON.parse(machine.definition), null, 2)))),
    executionsList(machine.stateMachineArn),
  );
}

export function renderMachinePage(root: HTMLElement, arn: string): () => void {
  replaceChildren(root, h('div', { class: 'loading' }, `Loading ${nameFromArn(arn)}…`));
  let stopped = false;
  describeStateMachine(arn).then(
    (machine) => !stopped && draw(root, machine),
    (err: unknown) => !stopped && replaceChildren(root, h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'State machines')), errorBox(`Could not load the state machine ${arn}.`, err)),
  );
  return () => {
    stopped = true;
  };
}
