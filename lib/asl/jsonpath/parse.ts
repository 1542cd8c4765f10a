/**
 * Tokenizes a States Language Path once into segments.
 *
 * "A Path is a string, beginning with "$", used to identify components with
 * a JSON text" (States Language, Paths). Step Functions adds `$$` for the
 * context object and `$name` for variables. Simple segments (`.name`,
 * `['name']`, `[0]`) are walked directly; anything richer (wildcards, `..`,
 * slices, unions, filters) is handed to a full JSONPath evaluator.
 */
import { DefinitionSyntaxError } from '../diagnostics';

/** Where a path starts reading. */
export type PathRoot =
  | { readonly kind: 'input' }
  | { readonly kind: 'context' }
  | { readonly kind: 'variable'; readonly name: string };

/** One step of a simple path: an object key or an array index. */
export type PathSegment = string | number;

/** A path split into its root and its segments. */
export interface ParsedPath {
  readonly root: PathRoot;
  /** The segments, when every one is a plain key or index. */
  readonly segments: readonly PathSegment[] | null;
  /** The path rewritten to start at `$`, for the full evaluator, when `segments` is null. */
  readonly rest: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
// A dot-notation member: anything up to the next `.`, `[` or space.
const MEMBER = /^[^.[\]\s()'",*@?:]+/;

/** Parses a path. Throws {@link DefinitionSyntaxError} when it is not a path. */
export function parsePath(source: string): ParsedPath {
  if (typeof source !== 'string' || !source.startsWith('$')) {
    throw invalid(source, 'a path must begin with "$"');
  }
  let root: PathRoot;
  let body: string;
  if (source.startsWith('$$')) {
    root = { kind: 'context' };
    body = source.slice(2);
  } else {
    const variable = VARIABLE_NAME.exec(source.slice(1));
    if (variable) {
      root = { kind: 'variable', name: variable[0] };
      body = source.slice(1 + variable[0].length);
    } else {
      root = { kind: 'input' };
      body = source.slice(1);
    }
  }
  return { root, segments: simpleSegments(source, body), rest: '$' + body };
}

/** Splits `.a['b'][0]` into `['a','b',0]`; null when a segment is not simple. Throws on malformed text. */
function simpleSegments(source: string, body: string): PathSegment[] | null {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < body.length) {
    const rest = body.slice(i);
    if (rest.startsWith('..') || rest.startsWith('.*')) return complex(source, body);
    if (rest[0] === '.') {
      const member = MEMBER.exec(rest.slice(1));
      if (!member) throw invalid(source, `unexpected character at position ${source.length - body.length + i + 1}`);
      segments.push(member[0]);
      i += 1 + member[0].length;
      continue;
    }
    if (rest[0] === '[') {
      const index = /^\[\s*(\d+)\s*\]/.exec(rest);
      if (index) {
        segments.push(Number(index[1]));
        i += index[0].length;
        continue;
      }
      const quoted = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]|^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest);
      if (quoted) {
        segments.push(unescape(quoted[1] ?? quoted[2]));
        i += quoted[0].length;
        continue;
      }
      return complex(source, body);
    }
    throw invalid(source, `unexpected character '${rest[0]}' at position ${source.length - body.length + i}`);
  }
  return segments;
}

/** Checks the brackets of a non-simple path balance; the full evaluator parses the rest. */
function complex(source: string, body: string): null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth < 0) throw invalid(source, 'unbalanced brackets');
    }
  }
  if (depth !== 0 || quote) throw invalid(source, 'unbalanced brackets or quotes');
  if (/\.\s*$/.test(body)) throw invalid(source, 'the path ends with "."');
  return null;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function invalid(source: unknown, why: string): DefinitionSyntaxError {
  return new DefinitionSyntaxError('SCHEMA_VALIDATION_FAILED', `The value '${String(source)}' is not a valid JSONPath: ${why}`);
}
