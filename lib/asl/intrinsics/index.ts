/**
 * Intrinsic functions (`States.Format(...)`, `States.Array(...)`, ... — all 18).
 * Parsed once into a syntax tree by a real tokenizer and parser; evaluated per call.
 */
import type { EvalEnv } from '../env';
import type { JsonValue } from '../json';

/** A parsed intrinsic function invocation, ready to evaluate many times. */
export interface IntrinsicExpression {
  /** The source text, e.g. `States.Format('Hi {}', $.name)`. */
  readonly source: string;
  /**
   * Evaluates against the state's input (`$`), the context object (`$$` via env)
   * and variables (`$name` via env). Throws `IntrinsicFailure` (States.IntrinsicFailure)
   * with Step Functions' cause text on bad arguments.
   */
  evaluate(input: JsonValue, env: EvalEnv): JsonValue;
}

/** True when a string is an intrinsic invocation (`States.Xxx(`...). */
export function isIntrinsicInvocation(source: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(source);
}

/**
 * Parses an intrinsic invocation. Throws `DefinitionSyntaxError` for malformed
 * text, unknown functions, wrong argument counts and statically-known bad
 * literals (e.g. ArrayRange over 1,000 items).
 */
export function compileIntrinsic(source: string): IntrinsicExpression {
  throw new Error(`compileIntrinsic not implemented: ${source}`);
}
