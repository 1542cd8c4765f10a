/**
 * Compiled Paths and Reference Paths.
 *
 * "A Reference Path is a Path with syntax limited in such a way that it can
 * only identify a single node in a JSON structure: The operators "@", ",",
 * ":", and "?" are not supported" (States Language, Reference Paths).
 */
import type { JSONPath as JSONPathFunction } from 'jsonpath-plus';
import { DefinitionSyntaxError } from '../diagnostics';
import type { EvalEnv } from '../env';
import type { JsonValue } from '../json';
import { parsePath, type PathRoot, type PathSegment } from './parse';

/** A compiled path (`$.a.b`, `$$.Execution.Id`, `$myVar.x`, or full JSONPath with filters). */
export interface CompiledPath {
  readonly source: string;
  /** True for a reference path ("a Path which ... identifies a single node"). */
  readonly isReferencePath: boolean;
  /**
   * Selects from `input` (or from the context object for `$$`, or a variable
   * for `$name`). Returns `undefined` when nothing matches; never throws for
   * a non-match. Paths that can select several nodes (wildcards, filters,
   * slices) return an array of the matches.
   */
  select(input: JsonValue, env: EvalEnv): JsonValue | undefined;
}

/**
 * Compiles a Path. With `reference: true`, rejects anything that is not a
 * Reference Path (operators `..`, `*`, filters, slices, unions). Throws
 * `DefinitionSyntaxError`.
 */
export function compilePath(source: string, options: { reference?: boolean } = {}): CompiledPath {
  const parsed = parsePath(source);
  const base = rootReader(parsed.root);
  const segments = parsed.segments;
  if (segments && parsed.root.kind === 'context' && typeof segments[0] === 'string') {
    const member = segments[0];
    const rest = segments.slice(1);
    return {
      source,
      isReferencePath: true,
      select: (_input, env) => walk(contextMember(env, member), rest),
    };
  }
  if (segments) {
    return {
      source,
      isReferencePath: true,
      select: (input, env) => walk(base(input, env), segments),
    };
  }
  if (options.reference) {
    throw new DefinitionSyntaxError(
      'SCHEMA_VALIDATION_FAILED',
      `The value '${source}' is not a valid reference path: only fields and array indexes may follow "$"`,
    );
  }
  const rest = parsed.rest;
  const JSONPath = jsonPathPlus();
  return {
    source,
    isReferencePath: false,
    select(input, env) {
      const root = base(input, env);
      if (root === undefined) return undefined;
      return JSONPath({ path: rest, json: root as object, wrap: true, resultType: 'value', eval: 'safe' }) as JsonValue;
    },
  };
}

/**
 * jsonpath-plus, loaded when the first path that needs it (a filter, a
 * wildcard, a slice, a union) is compiled: plain paths, the common case,
 * never use it, and loading it costs a few milliseconds of start-up.
 */
let jsonPathPlusFunction: typeof JSONPathFunction | undefined;
function jsonPathPlus(): typeof JSONPathFunction {
  jsonPathPlusFunction ??= (require('jsonpath-plus') as { JSONPath: typeof JSONPathFunction }).JSONPath;
  return jsonPathPlusFunction;
}

/** Walks plain keys and indexes; `undefined` as soon as one is missing. */
export function walk(value: JsonValue | undefined, segments: readonly PathSegment[]): JsonValue | undefined {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

/** `$$.<name>`: built alone when the environment can. */
function contextMember(env: EvalEnv, name: string): JsonValue | undefined {
  if (env.contextMember) return env.contextMember(name);
  const context = env.context() as unknown as Record<string, JsonValue>;
  return Object.prototype.hasOwnProperty.call(context, name) ? context[name] : undefined;
}

function rootReader(root: PathRoot): (input: JsonValue, env: EvalEnv) => JsonValue | undefined {
  switch (root.kind) {
    case 'input':
      return (input) => input;
    case 'context':
      return (_input, env) => env.context();
    case 'variable': {
      const name = root.name;
      return (_input, env) =>
        Object.prototype.hasOwnProperty.call(env.variables, name) ? env.variables[name] : undefined;
    }
  }
}
