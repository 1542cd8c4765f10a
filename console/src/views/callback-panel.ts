/**
 * The tasks an execution waits on, each with Send success (a JSON output,
 * checked as typed) and Send failure (error, cause). An entry stays as it is
 * while the page polls (what was typed is kept) and goes when its task does.
 */
import { sendTaskFailure, sendTaskSuccess } from '../api';
import type { WaitingTask } from '../callbacks';
import { h, replaceChildren } from '../dom';
import { describeError } from '../format';
import { jsonProblem } from './start-form';

export interface CallbackPanel {
  readonly element: HTMLElement;
  update(tasks: readonly WaitingTask[]): void;
}

function taskEntry(task: WaitingTask, onSent: () => void): HTMLElement {
  const head = h('div', { class: 'callback-head' }, h('strong', {}, task.state), ' ', h('span', { class: 'subtle' }, `waits for a callback since event #${task.eventId} (${task.resource})`));
  if (task.token === undefined) {
    const why = task.kind === 'activity' ? 'An activity worker answers it: its task token goes to the worker by GetActivityTask and is not in the history.' : "The task's parameters do not carry its token where this console can find it ($$.Task.Token).";
    return h('div', { class: 'callback', 'data-event-id': task.eventId }, head, h('p', { class: 'subtle' }, why));
  }
  const token = task.token;
  const output = h('textarea', { class: 'callback-output', rows: 3, spellcheck: 'false', 'aria-label': 'Task output (JSON)' });
  output.value = '{}';
  const error = h('input', { type: 'text', class: 'callback-error', placeholder: 'Error', 'aria-label': 'Error', maxlength: 256 });
  const cause = h('input', { type: 'text', class: 'callback-cause', placeholder: 'Cause', 'aria-label': 'Cause' });
  const message = h('div', { class: 'form-message', role: 'status' });
  const success = h('button', { type: 'button', class: 'primary send-success' }, 'Send success');
  const failure = h('button', { type: 'button', class: 'send-failure' }, 'Send failure');
  const check = (): void => {
    const problem = jsonProblem(output.value);
    message.textContent = problem?.replace('The input', 'The output') ?? '';
    message.className = problem ? 'form-message invalid' : 'form-message';
    output.classList.toggle('invalid', problem !== undefined);
    success.disabled = problem !== undefined;
  };
  output.addEventListener('input', check);
  const send = (button: HTMLButtonElement, call: () => Promise<unknown>): void => {
    success.disabled = failure.disabled = true;
    message.className = 'form-message';
    message.textContent = 'Sending…';
    call().then(
      () => {
        message.textContent = `${button.textContent} sent.`;
        onSent();
      },
      (err: unknown) => {
        failure.disabled = false;
        check();
        message.className = 'form-message invalid';
        message.textContent = describeError(err);
      },
    );
  };
  success.addEventListener('click', () => send(success, () => sendTaskSuccess(token, output.value)));
  failure.addEventListener('click', () => send(failure, () => sendTaskFailure(token, error.value.trim(), cause.value)));
  return h(
    'div',
    { class: 'callback', 'data-event-id': task.eventId },
    head,
    h('div', { class: 'callback-token' }, h('span', { class: 'subtle' }, 'Token '), h('code', {}, token)),
    h('div', { class: 'callback-forms' }, h('div', { class: 'callback-success' }, output, success), h('div', { class: 'callback-failure' }, error, cause, failure)),
    message,
  );
}

/** The panel; `onSent` runs after a callback was accepted (to refresh the page). */
export function createCallbackPanel(onSent: () => void): CallbackPanel {
  const list = h('div');
  const element = h('section', { class: 'callbacks', hidden: true }, h('h3', {}, 'Waiting for a callback'), list);
  const entries = new Map<number, HTMLElement>();
  return {
    element,
    update(tasks) {
      const ids = new Set(tasks.map((t) => t.eventId));
      for (const [id, el] of entries) if (!ids.has(id)) (el.remove(), entries.delete(id));
      for (const task of tasks) if (!entries.has(task.eventId)) entries.set(task.eventId, taskEntry(task, onSent));
      replaceChildren(list, ...tasks.map((t) => entries.get(t.eventId)));
      element.hidden = tasks.length === 0;
    },
  };
}
