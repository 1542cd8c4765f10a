/**
 * Start an execution: an optional name and a JSON input, checked as it is
 * typed, so a malformed input is said before anything is sent.
 */
import { startExecution } from '../api';
import { h } from '../dom';
import { describeError } from '../format';

/** Where a JSON text stops being JSON, in words; undefined for valid JSON. */
export function jsonProblem(text: string): string | undefined {
  if (text.trim() === '') return 'The input is empty: give a JSON value, such as {}.';
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return `The input is not valid JSON: ${(err as Error).message}`;
  }
}

/** The form; `onStarted` gets the new execution's ARN. */
export function createStartForm(stateMachineArn: string, onStarted: (executionArn: string) => void): HTMLElement {
  const name = h('input', { type: 'text', class: 'start-name', placeholder: 'Execution name (optional)', 'aria-label': 'Execution name', maxlength: 80 });
  const input = h('textarea', { class: 'start-input', rows: 6, spellcheck: 'false', 'aria-label': 'Execution input (JSON)' });
  input.value = '{}';
  const message = h('div', { class: 'form-message', role: 'status' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Start execution');
  const check = (): boolean => {
    const problem = jsonProblem(input.value);
    message.textContent = problem ?? '';
    message.className = problem ? 'form-message invalid' : 'form-message';
    input.classList.toggle('invalid', problem !== undefined);
    button.disabled = problem !== undefined;
    return problem === undefined;
  };
  input.addEventListener('input', check);
  const form = h('form', { class: 'start-form' }, h('h3', {}, 'Start an execution'), name, input, h('div', { class: 'form-row' }, button, message));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!check()) return;
    button.disabled = true;
    message.textContent = 'Starting…';
    startExecution(stateMachineArn, input.value, name.value.trim() || undefined).then(
      (r) => onStarted(r.executionArn),
      (err: unknown) => {
        button.disabled = false;
        message.className = 'form-message invalid';
        message.textContent = describeError(err);
      },
    );
  });
  return form;
}
