/**
 * Bounds on the size of what one JSONata evaluation builds, so that an
 * expression such as `$pad('', 500000000)` or `[1..1e7].([1..100])` fails its
 * state with States.QueryEvaluationError instead of exhausting the process's
 * memory (V8 aborts, uncatchably, on an array past about 1.3e8 items).
 * Strings are bounded at 10 MiB (40 times Step Functions' 256 KiB payload
 * limit) and arrays at 1,000,000 items: jsonata's exit hook checks every
 * intermediate result, and the functions that could build a huge string from
 * small arguments check before they allocate. A path that accumulates a long
 * sequence within one step is stopped by the evaluation's one-second timeout.
 */
import { JsonataFunctionError } from './functions';

/** The largest string (in UTF-16 code units) an evaluation may build. */
export const MAX_STRING_LENGTH = 10 * 1024 * 1024;
/** The most items an array or sequence built by an evaluation may hold. */
export const MAX_ARRAY_LENGTH = 1_000_000;

/** jsonata 2's builtin $string, looked up once (registering ours hides it). */
let builtinString: Promise<(arg: unknown, prettify?: boolean) => string> | undefined;
function jsonataString(): Promise<(arg: unknown, prettify?: boolean) => string> {
  const jsonata = require('jsonata') as (source: string) => { evaluate(input: unknown): Promise<{ implementation: (arg: unknown, prettify?: boolean) => string }> };
  builtinString ??= jsonata('$string').evaluate({}).then((f) => f.implementation);
  return builtinString;
}

/**
 * A lower bound on the length of `value`'s JSON text, counted only until it
 * passes `limit`: a value that shares one large string many times is small in
 * memory yet huge as text, and the walk stops as soon as that is known.
 */
function jsonLengthOver(value: unknown, limit: number): number {
  let length = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && length <= limit) {
    const v = stack.pop();
    if (typeof v === 'string') length += v.length + 2;
    else if (Array.isArray(v)) {
      length += 1 + v.length;
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      length += 1;
      for (const [key, item] of Object.entries(v)) {
        length += key.length + 4;
        stack.push(item);
      }
    } else length += 1;
  }
  return length;
}

/** Thrown when an evaluation would build a value past a limit. */
export class JsonataLimitError extends JsonataFunctionError {}

function tooLong(what: string, length: number): never {
  throw new JsonataLimitError(`${what} of ${length} characters exceeds the limit of ${MAX_STRING_LENGTH} characters`);
}

/** jsonata's `__evaluate_exit` hook: checks every intermediate result, cheaply (a type test per node). */
export function checkIntermediateResult(_expr: unknown, _input: unknown, _env: unknown, result: unknown): void {
  if (typeof result === 'string') {
    if (result.length > MAX_STRING_LENGTH) tooLong('a string', result.length);
  } else if (Array.isArray(result) && result.length > MAX_ARRAY_LENGTH) {
    throw new JsonataLimitError(`an array of ${result.length} items exceeds the limit of ${MAX_ARRAY_LENGTH} items`);
  }
}

/**
 * Builtins replaced by versions that refuse, before allocating, to build a
 * string past the limit; otherwise they behave as jsonata 2's own.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSONata calls registered functions with any arguments.
export const BOUNDED_BUILTINS: Readonly<Record<string, { fn: (...args: any[]) => unknown; signature: string }>> = {
  // "$pad(str, width [, char]): pads str to width characters; a negative width pads on the left."
  pad: {
    signature: '<s-ns?:s>',
    fn: ((str: string | undefined, width: number, char?: string) => {
      if (str === undefined) return undefined;
      const pad = char === undefined || char.length === 0 ? ' ' : char;
      const target = Math.abs(Math.trunc(width));
      if (target > MAX_STRING_LENGTH) tooLong(`$pad's width`, target);
      // jsonata counts code points, not UTF-16 units.
      const padLength = target - Array.from(str).length;
      if (padLength <= 0) return str;
      const padding = pad.length === 1 ? pad.repeat(padLength) : Array.from(pad.repeat(Math.ceil(padLength / Array.from(pad).length))).slice(0, padLength).join('');
      return width > 0 ? str + padding : padding + str;
    }) as never,
  },
  // "$string(arg [, prettify]): casts arg to a string"; a value whose JSON is past the limit is refused before it is serialized.
  string: {
    signature: '<x-b?:s>',
    fn: (async (arg: unknown, prettify?: boolean) => {
      if (arg !== null && typeof arg === 'object' && jsonLengthOver(arg, MAX_STRING_LENGTH) > MAX_STRING_LENGTH) {
        throw new JsonataLimitError(`$string's result exceeds the limit of ${MAX_STRING_LENGTH} characters`);
      }
      return (await jsonataString())(arg, prettify);
    }) as never,
  },
  // "$join(array [, separator]): joins an array of strings into one string."
  join: {
    signature: '<a<s>s?:s>',
    fn: ((strs: string[] | undefined, separator?: string) => {
      if (strs === undefined) return undefined;
      const sep = separator ?? '';
      let length = sep.length * Math.max(0, strs.length - 1);
      for (const s of strs) length += s.length;
      if (length > MAX_STRING_LENGTH) tooLong(`$join's result`, length);
      return strs.join(sep);
    }) as never,
  },
};
