/**
 * Compiles the small dynamic fields of a state (TimeoutSeconds / TimeoutSecondsPath,
 * Seconds / SecondsPath, Error / ErrorPath, MaxConcurrency / MaxConcurrencyPath, ...)
 * into one {@link DynamicValue} shape, whatever the query language.
 */
import type { EvalEnv, JsonataStates } from '../env';
import { StatesRuntimeError } from '../errors';
import type { JsonObject, JsonValue } from '../json';
import { compileJsonata, isJsonataExpression } from '../jsonata';
import { compileIntrinsic, isIntrinsicInvocation } from '../intrinsics';
import { compilePath, compileTemplate } from '../jsonpath';
import type { DynamicValue, QueryLanguage } from '../model';

/**
 * Reads `field` (static, or JSONata when the state uses JSONata) or
 * `field + 'Path'` (a JSONPath reference path) from a state definition.
 */
export function compileDynamic(state: JsonObject, field: string, queryLanguage: QueryLanguage): DynamicValue | undefined {
  const literal = state[field];
  const pathField = `${field}Path`;
  const pathSource = state[pathField];
  if (literal !== undefined) {
    if (queryLanguage === 'JSONata' && containsJsonata(literal)) {
      const compiled = compileJsonata(literal, field);
      return {
        field,
        evaluate: (input: JsonValue, env: EvalEnv, states?: JsonataStates) => compiled.evaluate(states ?? { input }, env),
      };
    }
    return { field, staticValue: literal, evaluate: async () => literal };
  }
  // Fail's ErrorPath and CausePath also take an intrinsic function ("a reference path or an intrinsic function").
  if (typeof pathSource === 'string' && (field === 'Error' || field === 'Cause') && isIntrinsicInvocation(pathSource)) {
    const intrinsic = compileIntrinsic(pathSource);
    return { field: pathField, path: pathSource, evaluate: async (input: JsonValue, env: EvalEnv) => intrinsic.evaluate(input, env) };
  }
  if (typeof pathSource === 'string') {
    const path = compilePath(pathSource);
    return {
      field: pathField,
      path: pathSource,
      evaluate: async (input: JsonValue, env: EvalEnv) => {
        const value = path.select(input, env);
        if (value === undefined) {
          throw new StatesRuntimeError(`Invalid path '${pathSource}' : No results for path: ${pathSource}`);
        }
        return value;
      },
    };
  }
  return undefined;
}

/** True when a value holds a `{% %}` expression anywhere. */
export function containsJsonata(value: JsonValue): boolean {
  if (typeof value === 'string') return isJsonataExpression(value);
  if (Array.isArray(value)) return value.some(containsJsonata);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsJsonata);
  return false;
}

/**
 * A Task's `Credentials` (`{"RoleArn": …}`, or `"RoleArn.$"` / JSONata):
 * the role the task's call is made with instead of the state machine's.
 */
export function compileCredentials(state: JsonObject, queryLanguage: QueryLanguage): DynamicValue | undefined {
  const credentials = state.Credentials;
  if (credentials === undefined) return undefined;
  if (queryLanguage === 'JSONata') {
    const compiled = compileJsonata(credentials, 'Credentials');
    return { field: 'Credentials', evaluate: (input: JsonValue, env: EvalEnv, states?: JsonataStates) => compiled.evaluate(states ?? { input }, env) };
  }
  const template = compileTemplate(credentials);
  return { field: 'Credentials', evaluate: async (input: JsonValue, env: EvalEnv) => template.evaluate(input, env) };
}
