/**
 * Tokenizer for intrinsic function invocations.
 *
 * "Intrinsic functions ... accept arguments that are string literals in
 * single quotes, numbers, true, false, null, paths, and other intrinsic
 * functions" (developer guide, Intrinsic functions). Inside a string literal
 * the characters `' { } \` are escaped with a backslash.
 */
import { DefinitionSyntaxError } from '../diagnostics';

export type Token =
  | { readonly kind: 'name'; readonly text: string; readonly at: number }
  /** `value` is unescaped; `template` keeps `\{`, `\}` and `\\` escaped, for States.Format's first argument. */
  | { readonly kind: 'string'; readonly value: string; readonly template: string; readonly at: number }
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'literal'; readonly value: boolean | null; readonly at: number }
  | { readonly kind: 'path'; readonly text: string; readonly at: number }
  | { readonly kind: '(' | ')' | ','; readonly at: number };

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;

/** Splits `source` into tokens. Throws {@link DefinitionSyntaxError} at the first bad character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, at: i });
      i++;
    } else if (c === "'") {
      const start = i;
      let value = '';
      let template = '';
      i++;
      for (;;) {
        if (i >= source.length) throw syntax(source, start, 'unterminated string literal');
        const ch = source[i];
        if (ch === '\\') {
          if (i + 1 >= source.length) throw syntax(source, i, 'dangling escape');
          const next = source[i + 1];
          value += next;
          template += next === '{' || next === '}' || next === '\\' ? `\\${next}` : next;
          i += 2;
        } else if (ch === "'") {
          i++;
          break;
        } else {
          value += ch;
          template += ch;
          i++;
        }
      }
      tokens.push({ kind: 'string', value, template, at: start });
    } else if (c === '$') {
      const start = i;
      i = pathEnd(source, i);
      tokens.push({ kind: 'path', text: source.slice(start, i).trimEnd(), at: start });
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const match = NUMBER.exec(source.slice(i));
      if (!match) throw syntax(source, i, 'malformed number');
      tokens.push({ kind: 'number', value: Number(match[0]), at: i });
      i += match[0].length;
    } else {
      const match = NAME.exec(source.slice(i));
      if (!match) throw syntax(source, i, `unexpected character '${c}'`);
      const text = match[0];
      if (text === 'true' || text === 'false') tokens.push({ kind: 'literal', value: text === 'true', at: i });
      else if (text === 'null') tokens.push({ kind: 'literal', value: null, at: i });
      else tokens.push({ kind: 'name', text, at: i });
      i += text.length;
    }
  }
  return tokens;
}

/** A path argument runs until a `,` or `)` outside brackets, parentheses and quotes. */
function pathEnd(source: string, start: number): number {
  let depth = 0;
  let quote: string | null = null;
  let i = start;
  for (; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || (c === ')' && depth > 0)) depth--;
    else if ((c === ',' || c === ')') && depth === 0) break;
  }
  return i;
}

export function syntax(source: string, at: number, why: string): DefinitionSyntaxError {
  return new DefinitionSyntaxError('SCHEMA_VALIDATION_FAILED', `The value '${source}' is not a valid intrinsic function: ${why} at position ${at}`);
}
