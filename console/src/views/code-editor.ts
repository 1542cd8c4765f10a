/**
 * A plain textarea with a line-number gutter that scrolls with it; lines can
 * be marked (a diagnostic's line shows red, a warning's amber), so a problem
 * is seen where it is, not only in the list below.
 */
import { h, replaceChildren } from '../dom';

export interface CodeEditor {
  readonly element: HTMLElement;
  readonly text: HTMLTextAreaElement;
  /** Marks these 1-based lines; a line not given is unmarked. */
  mark(lines: ReadonlyMap<number, 'error' | 'warning'>): void;
}

export function createCodeEditor(label: string): CodeEditor {
  const text = h('textarea', { class: 'code-text', spellcheck: 'false', wrap: 'off', 'aria-label': label });
  const gutter = h('div', { class: 'code-gutter', 'aria-hidden': 'true' });
  let marks: ReadonlyMap<number, 'error' | 'warning'> = new Map();
  let drawn = '';
  const draw = (): void => {
    const count = text.value.split('\n').length;
    const key = `${count}|${[...marks].join(';')}`;
    if (key !== drawn) {
      drawn = key;
      const lines: HTMLElement[] = [];
      for (let n = 1; n <= count; n++) lines.push(h('div', { class: marks.has(n) ? `code-line ${marks.get(n)}` : 'code-line', 'data-line': n }, n));
      replaceChildren(gutter, ...lines);
    }
    gutter.scrollTop = text.scrollTop;
  };
  text.addEventListener('input', draw);
  text.addEventListener('scroll', () => (gutter.scrollTop = text.scrollTop));
  const element = h('div', { class: 'code-editor' }, gutter, text);
  // The value is set by the page after creation: draw once it is in place.
  queueMicrotask(draw);
  return {
    element,
    text,
    mark(lines) {
      marks = lines;
      draw();
    },
  };
}
