/**
 * JSONata in Step Functions: `{% expression %}` strings, alone or nested in
 * JSON values (Arguments, Output, Assign, Items, ...), compiled once.
 */
import type { EvalEnv, JsonataStates } from '../env';
import type { JsonValue } from '../json';

/** A compiled JSONata field value: a JSON value in which `{% %}` strings are expressions. */
export interface CompiledJsonata {
  /**
   * Evaluates every expression with `$states` = { input, result, errorOutput, context }
   * and the visible variables bound as `$name`. Throws `QueryEvaluationError`
   * (States.QueryEvaluationError) with Step Functions' cause texts.
   */
  evaluate(states: JsonataStates, env: EvalEnv): Promise<JsonValue>;
}

/** True when a string is exactly one JSONata expression `{% ... %}`. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}');
}

/** Compiles a field value. Throws `DefinitionSyntaxError` for an expression JSONata cannot parse. */
export function compileJsonata(value: JsonValue): CompiledJsonata {
  throw new Error(`compileJsonata not implemented: ${JSON.stringify(value)}`);
}
