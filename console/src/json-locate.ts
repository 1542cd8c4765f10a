/**
 * Where a JSON pointer (a diagnostic's location, e.g. `/States/A/Next`) is
 * in the definition's text: the member's span from its key to the end of its
 * value, as offsets and a line and column. Pure (no DOM). A pointer to
 * something absent points at the nearest part that is there.
 */

export interface TextSpan {
  start: number;
  end: number;
  /** 1-based, of `start`. */
  line: number;
  column: number;
}

/** Each pointer in `text` (valid JSON) and its span; the root is `''`. */
export function pointerSpans(text: string): Map<string, { start: number; end: number }> {
  const spans = new Map<string, { start: number; end: number }>();
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const str = (): string => {
    const from = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(from, i)) as string;
  };
  const value = (pointer: string, memberStart: number): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      for (let n = 0; ; n++) {
        ws();
        if (text[i] === '}' || text[i] === ']') break;
        const start = i;
        let key = String(n);
        if (c === '{') {
          key = str();
          ws();
          i++; // the colon
        }
        value(`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, start);
        ws();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '"') str();
    else while (i < text.length && !',}] \t\n\r'.includes(text[i])) i++;
    spans.set(pointer, { start: memberStart, end: i });
  };
  ws();
  value('', i);
  return spans;
}

/** The line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The span of `pointer` in `text`, or of its nearest present parent; undefined when `text` is not JSON. */
export function locatePointer(text: string, pointer: string, spans?: Map<string, { start: number; end: number }>): TextSpan | undefined {
  let all = spans;
  if (all === undefined) {
    try {
      JSON.parse(text);
    } catch {
      return undefined;
    }
    all = pointerSpans(text);
  }
  for (let p = pointer === '/' ? '' : pointer; ; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
    const span = all.get(p);
    if (span) return { ...span, ...lineAndColumn(text, span.start) };
    if (p === '') return undefined;
  }
}

/** Where JSON.parse stopped, from its message (`at position N`, or `line L column C`). */
export function syntaxErrorOffset(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message);
  if (position) return Math.min(Number(position[1]), text.length);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (!lc) return undefined;
  const lines = text.split('\n');
  return lines.slice(0, Number(lc[1]) - 1).reduce((n, l) => n + l.length + 1, 0) + Number(lc[2]) - 1;
}
