/** String and JSON-text intrinsics (developer guide, "Intrinsics for strings" and "for JSON data manipulation"). */
import type { JsonValue } from '../../json';
import type { IntrinsicFunction } from '../signature';

/** Splits a Format template into literal pieces around its `{}` placeholders, honouring `\{`, `\}` and `\\`. */
export function formatPieces(template: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && i + 1 < template.length) {
      current += template[++i];
    } else if (c === '{' && template[i + 1] === '}') {
      pieces.push(current);
      current = '';
      i++;
    } else {
      current += c;
    }
  }
  pieces.push(current);
  return pieces;
}

/**
 * How States.Format writes an argument into the string: strings as they are,
 * other scalars as JSON text, and objects and arrays as Step Functions' Java
 * runtime prints them — AWS formats `{"Arg1": 1, "Arg2": []}` as `{Arg1=1, Arg2=[]}`.
 */
function formatValue(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([key, item]) => `${key}=${formatValue(item)}`).join(', ')}}`;
  return JSON.stringify(value);
}

export const stringFunctions: readonly IntrinsicFunction[] = [
  {
    // "Constructs a string from both literal and interpolated values ... {} placeholders."
    name: 'States.Format',
    params: ['string'],
    rest: 'any',
    check: (args) => {
      const template = args[0];
      if (typeof template !== 'string') return undefined;
      const placeholders = formatPieces(template).length - 1;
      return placeholders === args.length - 1
        ? undefined
        : `States.Format's template has ${placeholders} placeholder${placeholders === 1 ? '' : 's'} but ${args.length - 1} argument${args.length === 2 ? ' was' : 's were'} given`;
    },
    evaluate: (args) => {
      const pieces = formatPieces(args[0] as string);
      let out = pieces[0];
      for (let i = 1; i < pieces.length; i++) out += formatValue(args[i]) + pieces[i];
      return out;
    },
  },
  {
    // "Splits a string into an array of values ... the second argument is the delimiting character(s)."
    name: 'States.StringSplit',
    params: ['string', 'string'],
    evaluate: ([text, delimiters]) => {
      const separators = new Set(delimiters as string);
      const out: string[] = [];
      let current = '';
      for (const c of text as string) {
        if (separators.has(c)) {
          if (current !== '') out.push(current);
          current = '';
        } else {
          current += c;
        }
      }
      if (current !== '') out.push(current);
      return out;
    },
  },
  {
    // "Converts a JSON string into an object." AWS turns an empty or blank string into null.
    name: 'States.StringToJson',
    params: ['string'],
    check: ([text]) => {
      if (typeof text !== 'string' || text.trim() === '') return undefined;
      try {
        JSON.parse(text);
        return undefined;
      } catch {
        return `The argument of States.StringToJson is not valid JSON: ${JSON.stringify(text)}`;
      }
    },
    evaluate: ([text]) => ((text as string).trim() === '' ? null : (JSON.parse(text as string) as JsonValue)),
  },
  {
    // "Converts a JSON object into a string."
    name: 'States.JsonToString',
    params: ['any'],
    evaluate: ([value]) => JSON.stringify(value),
  },
  {
    // "Merges two JSON objects into a single object ... Step Functions only supports the shallow merging mode; therefore, you must specify the boolean value as false."
    name: 'States.JsonMerge',
    params: ['object', 'object', 'boolean'],
    check: ([, , deep]) => (deep === true ? 'States.JsonMerge supports only shallow merging: its third argument must be false' : undefined),
    evaluate: ([left, right]) => ({ ...(left as object), ...(right as object) }) as JsonValue,
  },
];
