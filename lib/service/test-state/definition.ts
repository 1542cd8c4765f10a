/**
 * What TestState runs: the state asked for, found in the definition, inside
 * a one-state machine whose other states are placeholders for where it may
 * go next, so the compiler checks its Next, Default, Choices and Catch
 * targets as in any machine.
 */
import { InvalidDefinitionError } from '../../asl/diagnostics';
import { compileStateMachine, type CompileOptions } from '../../asl/compile';
import { isJsonObject, type JsonObject, type JsonValue } from '../../asl/json';
import type { CompiledStateMachine } from '../../asl/model';
import { ServiceError, ServiceErrorName } from '../../engine/service-errors';

/** The tested state's name in the machine TestState runs (it is the name tasks and cause texts see). */
export const TESTED = 'TestState';

/** Its location, for the compiler's data-flow observer. */
export const TESTED_LOCATION = `/States/${TESTED}`;

/** The resource a mocked Map or Parallel runs as: a Task whose outcome is the mock. */
// Outside the integration namespace (arn:aws:states:::), which validation checks against Step Functions' integrations.
const MOCKED = 'arn:aws:switchyard:::mock';

/** Finds a state by name anywhere in a state machine (top level, branches, item processors). */
function findState(machine: JsonObject, name: string): JsonObject | undefined {
  const states = isJsonObject(machine.States) ? machine.States : {};
  if (isJsonObject(states[name])) return states[name] as JsonObject;
  for (const state of Object.values(states)) {
    if (!isJsonObject(state)) continue;
    const nested = [...(Array.isArray(state.Branches) ? state.Branches : []), state.ItemProcessor, state.Iterator];
    for (const scope of nested) {
      const found = isJsonObject(scope) ? findState(scope, name) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** The state to test: the definition itself, or with `stateName` the named state of the machine it is. */
export function stateToTest(definition: string, stateName: string | undefined): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (err) {
    throw new ServiceError(ServiceErrorName.InvalidDefinition, `Invalid State Definition: ${(err as Error).message}`);
  }
  if (stateName === undefined) {
    if (!isJsonObject(parsed) || typeof parsed.Type !== 'string') throw new ServiceError(ServiceErrorName.InvalidDefinition, "Invalid State Definition: a state is an object with a 'Type'");
    return parsed;
  }
  if (!isJsonObject(parsed) || !isJsonObject(parsed.States)) {
    throw new ServiceError(ServiceErrorName.InvalidDefinition, 'Invalid State Machine Definition: with stateName, the definition is a state machine with States');
  }
  const state = findState(parsed, stateName);
  if (!state || typeof state.Type !== 'string') throw new ServiceError(ServiceErrorName.ValidationException, `State '${stateName}' does not exist in the state machine definition`);
  // The machine's query language applies to its states unless a state sets its own.
  return typeof parsed.QueryLanguage === 'string' && state.QueryLanguage === undefined ? { ...state, QueryLanguage: parsed.QueryLanguage } : state;
}

/**
 * A Map or Parallel under a mock: a Task with the same input and output
 * processing, Retry and Catch, whose invocation the mock answers. A
 * Parallel's Parameters (Arguments) are its effective input; a Map's
 * Parameters are per item (ItemSelector), so they are not carried over.
 */
export function mockedAsTask(state: JsonObject): JsonObject {
  const task: JsonObject = { Type: 'Task', Resource: MOCKED };
  const fields = ['InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Output', 'Assign', 'Retry', 'Catch', 'Next', 'End', 'QueryLanguage', 'Comment'];
  if (state.Type === 'Parallel') fields.push('Parameters', 'Arguments');
  for (const key of fields) {
    if (state[key] !== undefined) task[key] = state[key];
  }
  return task;
}

/**
 * Compiles `state` as the one real state of a machine, its data flow
 * observed by `options`. It runs without its Retry: TestState runs one
 * attempt, and reports a retriable error as RETRIABLE instead of retrying.
 */
export function compileTested(state: JsonObject, options: CompileOptions): CompiledStateMachine {
  const placeholders: Record<string, JsonValue> = {};
  const target = (name: unknown): void => {
    if (typeof name === 'string' && name !== TESTED) placeholders[name] = { Type: 'Pass', End: true };
  };
  target(state.Next);
  target(state.Default);
  for (const rule of (state.Choices as JsonObject[] | undefined) ?? []) target(rule.Next);
  for (const catcher of (state.Catch as JsonObject[] | undefined) ?? []) target(catcher.Next);
  const tested: JsonObject = { ...state };
  delete tested.Retry;
  const definition: JsonObject = { StartAt: TESTED, States: { [TESTED]: tested, ...placeholders } };
  if (typeof state.QueryLanguage === 'string') definition.QueryLanguage = state.QueryLanguage;
  try {
    return compileStateMachine(definition, options);
  } catch (err) {
    throw new ServiceError(ServiceErrorName.InvalidDefinition, err instanceof InvalidDefinitionError || err instanceof Error ? err.message : String(err));
  }
}
