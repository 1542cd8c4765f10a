/**
 * `#/definition/<ARN>` and `#/definition/new`: a state machine's ASL to read,
 * paste or edit. As it is typed (debounced) the graph is redrawn and the
 * definition checked by ValidateStateMachineDefinition; each diagnostic is
 * listed at its line and column (its JSON pointer found in the text), marks
 * its state in the graph, and a click selects it in the editor. Saving
 * creates or updates the state machine.
 */
import { createStateMachine, describeStateMachine, listStateMachines, updateStateMachine, validateDefinition, type DefinitionDiagnostic } from '../api';
import type { JsonObject } from '../../../lib/asl/json';
import { h, replaceChildren } from '../dom';
import { describeError, errorBox, href, nameFromArn } from '../format';
import { layoutDefinition } from '../graph-layout';
import { lineAndColumn, locatePointer, pointerSpans, syntaxErrorOffset } from '../json-locate';
import type { StateStatus } from '../state-status';
import { createCodeEditor } from '../views/code-editor';
import { createGraphView } from '../views/graph-view';

/** How long typing must pause before the graph is redrawn and the definition checked. */
const DEBOUNCE_MS = 300;

const STARTER = JSON.stringify({ Comment: 'A new state machine', StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { hello: 'world' }, End: true } } }, null, 2);

interface Located extends DefinitionDiagnostic {
  start?: number;
  end?: number;
  line?: number;
  column?: number;
}

function editor(root: HTMLElement, existing: { arn: string; name: string; definition: string } | undefined, roleArn: string): () => void {
  const code = createCodeEditor('Definition (ASL JSON)');
  const text = code.text;
  text.classList.add('definition-editor');
  text.value = existing ? JSON.stringify(JSON.parse(existing.definition), null, 2) : STARTER;
  const name = h('input', { type: 'text', class: 'definition-name', placeholder: 'State machine name', 'aria-label': 'State machine name', maxlength: 80 });
  const role = h('input', { type: 'text', class: 'definition-role', placeholder: 'Role ARN', 'aria-label': 'Role ARN' });
  role.value = roleArn;
  const save = h('button', { type: 'button', class: 'primary definition-save' }, existing ? 'Update state machine' : 'Create state machine');
  const saved = h('div', { class: 'form-message', role: 'status' });
  const verdict = h('div', { class: 'definition-verdict', role: 'status' }, 'Checking…');
  const list = h('ol', { class: 'diagnostics' });
  const graphSlot = h('div', { class: 'definition-graph' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  let valid = false;

  const select = (d: Located): void => {
    if (d.start === undefined || d.end === undefined) return;
    text.focus();
    text.setSelectionRange(d.start, d.end);
    // Scroll the selection into view: put the caret's line near the top.
    const lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 18;
    text.scrollTop = Math.max(0, ((d.line ?? 1) - 3) * lineHeight);
  };
  const show = (diagnostics: Located[], summary: string, ok: boolean): void => {
    valid = ok;
    save.disabled = !ok;
    const lines = new Map<number, 'error' | 'warning'>();
    for (const d of diagnostics) if (d.line !== undefined && lines.get(d.line) !== 'error') lines.set(d.line, d.severity === 'ERROR' ? 'error' : 'warning');
    code.mark(lines);
    verdict.className = `definition-verdict ${ok ? 'ok' : 'invalid'}`;
    verdict.textContent = summary;
    replaceChildren(
      list,
      ...diagnostics.map((d) =>
        h(
          'li',
          { class: `diagnostic ${d.severity.toLowerCase()}`, 'data-location': d.location ?? '', onclick: () => select(d) },
          h('span', { class: 'diagnostic-where' }, d.line !== undefined ? `line ${d.line}, column ${d.column}` : ''),
          h('span', { class: 'diagnostic-code' }, `${d.severity} ${d.code}`),
          h('span', { class: 'diagnostic-location' }, d.location ?? ''),
          h('span', { class: 'diagnostic-message' }, d.message),
        ),
      ),
    );
  };
  const markStates = (diagnostics: Located[]): Map<string, StateStatus> => {
    const marked = new Map<string, StateStatus>();
    // `/States/<name>/…` at any depth: the innermost state named.
    for (const d of diagnostics) {
      const names = [...(d.location ?? '').matchAll(/\/States\/([^/]+)/g)].map((m) => m[1].replace(/~1/g, '/').replace(/~0/g, '~'));
      const state = names[names.length - 1];
      if (state !== undefined) marked.set(state, d.severity === 'ERROR' ? 'failed' : marked.get(state) ?? 'caught');
    }
    return marked;
  };
  const check = (): void => {
    const source = text.value;
    const mine = ++generation;
    let parsed: unknown;
    try {
      parsed = JSON.parse(source);
    } catch (err) {
      const message = (err as Error).message;
      const offset = syntaxErrorOffset(source, message);
      const at = offset === undefined ? {} : { start: offset, end: Math.min(offset + 1, source.length), ...lineAndColumn(source, offset) };
      show([{ severity: 'ERROR', code: 'INVALID_JSON', message, ...at }], 'The definition is not valid JSON.', false);
      text.classList.add('invalid');
      return; // the graph stays as last drawn
    }
    text.classList.remove('invalid');
    let graph: ReturnType<typeof createGraphView> | undefined;
    try {
      graph = createGraphView(layoutDefinition(parsed as JsonObject));
      replaceChildren(graphSlot, graph.element);
    } catch (err) {
      replaceChildren(graphSlot, errorBox('Could not draw this definition.', err));
    }
    validateDefinition(source).then(
      (answer) => {
        if (mine !== generation) return; // a later edit is being checked
        const spans = pointerSpans(source);
        const located: Located[] = answer.diagnostics.map((d) => ({ ...d, ...(d.location !== undefined ? locatePointer(source, d.location, spans) : {}) }));
        const errors = located.filter((d) => d.severity === 'ERROR').length;
        show(located, answer.result === 'OK' ? (located.length ? `Valid, with ${located.length} warning${located.length === 1 ? '' : 's'}.` : 'Valid.') : `${errors} error${errors === 1 ? '' : 's'}.`, answer.result === 'OK');
        graph?.setStatuses(markStates(located));
      },
      (err: unknown) => mine === generation && show([], `Could not check the definition: ${describeError(err)}`, false),
    );
  };
  text.addEventListener('input', () => {
    if (timer !== undefined) clearTimeout(timer);
    verdict.textContent = 'Checking…';
    timer = setTimeout(check, DEBOUNCE_MS);
  });
  save.addEventListener('click', () => {
    if (!valid) return;
    save.disabled = true;
    saved.className = 'form-message';
    saved.textContent = 'Saving…';
    const done = existing ? updateStateMachine(existing.arn, text.value).then(() => existing.arn) : createStateMachine(name.value.trim(), text.value, role.value.trim()).then((r) => r.stateMachineArn);
    done.then(
      (arn) => {
        save.disabled = false;
        replaceChildren(saved, existing ? 'Updated. ' : 'Created. ', h('a', { href: href('state-machines', arn) }, `Open ${nameFromArn(arn)}`));
        if (!existing) location.hash = href('state-machines', arn);
      },
      (err: unknown) => {
        save.disabled = false;
        saved.className = 'form-message invalid';
        saved.textContent = describeError(err);
      },
    );
  });

  replaceChildren(
    root,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'State machines'), ' / ', existing ? h('a', { href: href('state-machines', existing.arn) }, existing.name) : 'New', ' / Definition'),
    h('h2', {}, existing ? `${existing.name}: definition` : 'New state machine'),
    h(
      'div',
      { class: 'definition-page' },
      h('div', { class: 'definition-left' }, code.element, h('div', { class: 'form-row' }, ...(existing ? [] : [name, role]), save, saved), verdict, list),
      graphSlot,
    ),
  );
  check();
  return () => {
    generation++;
    if (timer !== undefined) clearTimeout(timer);
  };
}

export function renderDefinitionPage(root: HTMLElement, arn: string): () => void {
  let stop = (): void => {};
  let stopped = false;
  if (arn === 'new') {
    replaceChildren(root, h('div', { class: 'loading' }, 'Opening the editor…'));
    // A new machine gets the role of an existing one to start with (the field can be changed).
    listStateMachines()
      .then((machines) => (machines[0] ? describeStateMachine(machines[0].stateMachineArn).then((m) => m.roleArn ?? '') : ''))
      .catch(() => '')
      .then((role) => {
        if (!stopped) stop = editor(root, undefined, role);
      });
  } else {
    replaceChildren(root, h('div', { class: 'loading' }, `Loading ${nameFromArn(arn)}…`));
    describeStateMachine(arn).then(
      (machine) => {
        if (!stopped) stop = editor(root, { arn, name: machine.name, definition: machine.definition }, machine.roleArn ?? '');
      },
      (err: unknown) => !stopped && replaceChildren(root, h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'State machines')), errorBox(`Could not load the state machine ${arn}.`, err)),
    );
  }
  return () => {
    stopped = true;
    stop();
  };
}
