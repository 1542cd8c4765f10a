/**
 * JSONata in Step Functions: `{% expression %}` strings, alone or nested in
 * JSON values (Arguments, Output, Assign, Items, ...), compiled once.
 */
import type jsonataModule from 'jsonata';
import { DefinitionSyntaxError } from '../diagnostics';
import type { EvalEnv, JsonataStates } from '../env';
import { QueryEvaluationError } from '../errors';
import { setJsonField, type JsonObject, type JsonValue } from '../json';
import { evaluationFunctions, JsonataFunctionError, STATIC_FUNCTIONS } from './functions';
import { BOUNDED_BUILTINS, checkIntermediateResult } from './limits';
import { toJsonResult } from './result';

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

/**
 * The jsonata package, loaded on the first expression compiled: it is the
 * largest module Switchyard loads (about 20 ms), and most definitions
 * (JSONPath) never need it.
 */
let jsonataPackage: typeof jsonataModule | undefined;
function jsonata(source: string): ReturnType<typeof jsonataModule> {
  jsonataPackage ??= require('jsonata') as typeof jsonataModule;
  return jsonataPackage(source, EVALUATION_BUDGET as never);
}

/**
 * Bounds on one evaluation, enforced by jsonata itself (its `timeout` and
 * `stack` guardrails): a runaway recursive function or an endless loop fails
 * the state with States.QueryEvaluationError instead of freezing the process
 * or overflowing its stack. One second is far beyond any sensible field
 * expression; 500 nested evaluations stay well inside Node's stack. (Its
 * `sequence` guardrail is not used: it replaces every sequence's push and
 * slowed path expressions by half; ./limits bounds sizes instead.)
 */
export const EVALUATION_BUDGET = { timeout: 1000, stack: 500 } as const;

/** jsonata's hook called with each node's result. */
const EVALUATE_EXIT = Symbol.for('jsonata.__evaluate_exit');

type Node = (bindings: Record<string, unknown>, input: JsonValue | undefined) => Promise<JsonValue>;

/**
 * Compiles a field value. `field` names it in error messages (e.g. `Output`);
 * an expression nested in it is named by its place, as Step Functions names
 * it: `/` before each object key and `[i]` for each array index
 * (`Arguments/Input/pushLocation`, `Output/a/b[0]`).
 * Throws `DefinitionSyntaxError` for an expression JSONata cannot parse.
 */
export function compileJsonata(value: JsonValue, field = 'Arguments'): CompiledJsonata {
  const node = compileNode(value, field);
  return {
    async evaluate(states, env) {
      const bindings: Record<string, unknown> = { ...env.variables, ...evaluationFunctions(env) };
      const s: Record<string, unknown> = {};
      if (states.input !== undefined) s.input = states.input;
      if (states.result !== undefined) s.result = states.result;
      if (states.errorOutput !== undefined) s.errorOutput = states.errorOutput;
      Object.defineProperty(s, 'context', { enumerable: true, get: () => env.context() });
      bindings.states = s;
      return (await node(bindings, states.input)) as JsonValue;
    },
  };
}

function compileNode(value: JsonValue, field: string): Node {
  if (isJsonataExpression(value)) return compileExpression(value, field);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileNode(item, `${field}[${i}]`));
    return async (bindings, input) => Promise.all(items.map((item) => item(bindings, input)));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, child]) => [key, compileNode(child, `${field}/${key}`)] as const);
    if (!entries.some(([key]) => containsExpression((value as JsonObject)[key]))) return async () => value;
    return async (bindings, input) => {
      const out: JsonObject = {};
      const values = await Promise.all(entries.map(([, child]) => child(bindings, input)));
      entries.forEach(([key], i) => setJsonField(out, key, values[i] as JsonValue));
      return out;
    };
  }
  return async () => value;
}

function containsExpression(value: JsonValue): boolean {
  if (isJsonataExpression(value)) return true;
  if (Array.isArray(value)) return value.some(containsExpression);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsExpression);
  return false;
}

function compileExpression(text: string, field: string): Node {
  const source = text.slice(2, -2).trim();
  let expression: ReturnType<typeof jsonataModule>;
  try {
    expression = jsonata(source);
  } catch (err) {
    const e = err as { message?: string; position?: number; code?: string };
    throw new DefinitionSyntaxError(
      'SCHEMA_VALIDATION_FAILED',
      `The JSONata expression '${source}' specified for the field '${field}' is invalid: ${e.message ?? String(err)}${e.position !== undefined ? ` (position ${e.position})` : ''}`,
    );
  }
  for (const [name, { fn, signature }] of Object.entries({ ...STATIC_FUNCTIONS, ...BOUNDED_BUILTINS })) expression.registerFunction(name, fn, signature);
  expression.assign(EVALUATE_EXIT as never, checkIntermediateResult);
  return async (bindings, input) => {
    let result: unknown;
    try {
      result = await expression.evaluate(input, bindings);
    } catch (err) {
      const e = err as { message?: string; code?: string };
      const limit = e.code === 'D1011' ? ` (the limit is ${EVALUATION_BUDGET.stack} nested evaluations)` : '';
      const detail = err instanceof JsonataFunctionError ? err.message : `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}${limit}`;
      throw new QueryEvaluationError(`An error occurred while evaluating the JSONata expression '${source}' specified for the field '${field}': ${detail}`, field);
    }
    // An expression that returns nothing fails its state wherever it stands: AWS reports
    // "The JSONata expression '$states.input.pushLocation' specified for the field
    // 'Arguments/Input/pushLocation' returned nothing (undefined)."
    if (result === undefined) {
      throw new QueryEvaluationError(`The JSONata expression '${source}' specified for the field '${field}' returned nothing (undefined).`, field);
    }
    return toJsonResult(result, source, field);
  };
}
