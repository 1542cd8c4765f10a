/** `#/`: every state machine, with its executions counted by status. */
import { EXECUTION_STATUSES, listExecutions, listStateMachines, type ExecutionStatus, type StateMachineListItem } from '../api';
import { h, replaceChildren } from '../dom';
import { errorBox, formatTime, href, statusBadge } from '../format';

/** Counting stops after this many executions of one machine (shown as "≥"). */
const COUNT_LIMIT = 5000;

async function countByStatus(arn: string): Promise<{ counts: Map<ExecutionStatus, number>; capped: boolean }> {
  const counts = new Map<ExecutionStatus, number>();
  let seen = 0;
  let nextToken: string | undefined;
  do {
    const page = await listExecutions(arn, { maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
    for (const e of page.items) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
    seen += page.items.length;
    nextToken = page.nextToken;
  } while (nextToken && seen < COUNT_LIMIT);
  return { counts, capped: nextToken !== undefined };
}

function row(machine: StateMachineListItem): HTMLTableRowElement {
  const cells = EXECUTION_STATUSES.map(() => h('td', { class: 'count' }, '…'));
  const tr = h('tr', { 'data-arn': machine.stateMachineArn }, h('td', {}, h('a', { href: href('state-machines', machine.stateMachineArn) }, machine.name)), h('td', {}, machine.type), h('td', {}, formatTime(machine.creationDate)), ...cells);
  countByStatus(machine.stateMachineArn).then(
    ({ counts, capped }) =>
      EXECUTION_STATUSES.forEach((status, i) => {
        const n = counts.get(status) ?? 0;
        cells[i].textContent = n === 0 ? '0' : `${capped ? '≥' : ''}${n}`;
        cells[i].classList.toggle('nonzero', n > 0);
        cells[i].dataset.status = status;
      }),
    () => cells.forEach((c) => (c.textContent = '?')),
  );
  return tr;
}

export function renderMachinesPage(root: HTMLElement): () => void {
  const body = h('div', { class: 'loading' }, 'Loading state machines…');
  replaceChildren(root, h('div', { class: 'title-row' }, h('h2', {}, 'State machines'), h('a', { class: 'button-link new-machine', href: '#/definition/new' }, 'New state machine')), body);
  let stopped = false;
  listStateMachines().then(
    (machines) => {
      if (stopped) return;
      if (machines.length === 0) {
        replaceChildren(body, 'No state machines yet: create one with CreateStateMachine (the AWS CLI, the SDK or `switchyard serve --examples DIR`).');
        return;
      }
      body.className = '';
      replaceChildren(
        body,
        h(
          'table',
          { class: 'list machines' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {}, 'Created'), ...EXECUTION_STATUSES.map((s) => h('th', { class: 'count' }, statusBadge(s))))),
          h('tbody', {}, ...machines.map(row)),
        ),
      );
    },
    (err: unknown) => {
      if (stopped) return;
      body.className = '';
      replaceChildren(body, errorBox('Could not list the state machines.', err));
    },
  );
  return () => {
    stopped = true;
  };
}
