/**
 * JSONPath in the States Language: paths, reference paths, ResultPath and
 * payload templates (`.$` keys), compiled once per definition.
 */
import type { EvalEnv } from '../env';
import type { JsonValue } from '../json';

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
export function compilePath(source: string, options?: { reference?: boolean }): CompiledPath {
  throw new Error(`compilePath not implemented: ${source} ${String(options)}`);
}

/** A compiled ResultPath. `null` discards the result; `$` replaces the input. */
export interface CompiledResultPath {
  readonly source: string | null;
  /**
   * Returns the state output: `input` with `result` placed at the path.
   * Never mutates `input`: copies only the objects along the path.
   * Throws `ResultPathMatchFailure` when the path cannot be applied.
   */
  apply(input: JsonValue, result: JsonValue): JsonValue;
}

/** Compiles a ResultPath (a reference path, `$`, or `null`). Throws `DefinitionSyntaxError`. */
export function compileResultPath(source: string | null): CompiledResultPath {
  throw new Error(`compileResultPath not implemented: ${String(source)}`);
}

/** A compiled payload template (Parameters, ResultSelector, ItemSelector, Credentials ...). */
export interface CompiledTemplate {
  /**
   * Builds the payload. Keys ending in `.$` are evaluated as a path or an
   * intrinsic and renamed without the suffix; other values are copied.
   * Throws `ParameterPathFailure` / `IntrinsicFailure` with Step Functions' causes.
   */
  evaluate(input: JsonValue, env: EvalEnv): JsonValue;
}

/** Compiles a payload template. Throws `DefinitionSyntaxError` for a bad path or intrinsic in a `.$` key. */
export function compileTemplate(template: JsonValue): CompiledTemplate {
  throw new Error(`compileTemplate not implemented: ${JSON.stringify(template)}`);
}
