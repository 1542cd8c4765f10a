/**
 * A state's input and output processing, compiled once per state.
 *
 * JSONPath (States Language, "Input and Output Processing"): "the InputPath
 * field selects the effective input ... Parameters ... ResultSelector ...
 * ResultPath ... combines the result with the state's raw input ...
 * OutputPath ... selects the part of that to pass on as state output."
 *
 * JSONata (developer guide, "Transforming data with JSONata"): Arguments
 * builds what the work receives from `$states.input`; Output builds the
 * state output from `$states.result` (default: the result); Assign is
 * evaluated with the same bindings, so a state never sees its own
 * assignments.
 */
import type { EvalEnv, JsonataStates } from '../env';
import { StatesRuntimeError } from '../errors';
import type { JsonObject, JsonValue } from '../json';
import { compileJsonata, type CompiledJsonata } from '../jsonata';
import { compilePath, compileResultPath, compileTemplate, type CompiledPath, type CompiledTemplate } from '../jsonpath';
import type { StateDataFlow, StateOutcome } from '../model';
import { checkAssignedSize } from './variables';

/** Which processing fields a state type supports, per the States Language field tables. */
export interface FlowFields {
  /** Parameters (JSONPath) / Arguments (JSONata). */
  readonly parameters: boolean;
  /** ResultSelector and ResultPath; without them the state's result is its effective input. */
  readonly result: boolean;
  /** Whether the state's work produces a result distinct from its input (Task, Parallel, Map). */
  readonly producesResult: boolean;
}

const EMPTY: JsonObject = Object.freeze({}) as JsonObject;

/** Selects a required path (InputPath, OutputPath): no match is a States.Runtime error. */
export function selectRequired(path: CompiledPath, input: JsonValue, env: EvalEnv): JsonValue {
  const value = path.select(input, env);
  if (value === undefined) {
    throw new StatesRuntimeError(`Invalid path '${path.source}' : No results for path: ${normalizedPath(path.source)}`);
  }
  return value;
}

/** `$.a.b[0]` → `$['a']['b'][0]`, the form Step Functions prints in path errors. */
export function normalizedPath(source: string): string {
  const match = /^\$((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*)$/.exec(source);
  if (!match) return source;
  const parts = match[1].match(/\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]/g) ?? [];
  return '$' + parts.map((p) => (p.startsWith('.') ? `['${p.slice(1)}']` : p)).join('');
}

function optionalPath(state: JsonObject, field: string): CompiledPath | null | undefined {
  const source = state[field];
  if (source === undefined) return undefined;
  if (source === null) return null;
  return compilePath(source as string);
}

/** Compiles the JSONPath processing of one state. `resultOverride` is the Pass state's Result. */
export function compileJsonPathFlow(state: JsonObject, fields: FlowFields, resultOverride?: JsonValue): StateDataFlow {
  const inputPath = optionalPath(state, 'InputPath');
  const outputPath = optionalPath(state, 'OutputPath');
  const parameters: CompiledTemplate | undefined =
    fields.parameters && state.Parameters !== undefined ? compileTemplate(state.Parameters) : undefined;
  const resultSelector: CompiledTemplate | undefined =
    fields.result && state.ResultSelector !== undefined ? compileTemplate(state.ResultSelector) : undefined;
  const resultPath = fields.result && state.ResultPath !== undefined ? compileResultPath(state.ResultPath as string | null) : undefined;
  const assign = state.Assign !== undefined ? compileTemplate(state.Assign) : undefined;

  return {
    effectiveInput(raw, env) {
      // "If InputPath is null ... the effective input is an empty object {}" (developer guide, InputPath).
      let value = inputPath === undefined ? raw : inputPath === null ? EMPTY : selectRequired(inputPath, raw, env);
      if (parameters) value = parameters.evaluate(value, env);
      return value;
    },
    finish(raw, effectiveInput, result, env): StateOutcome {
      let effectiveResult = resultOverride !== undefined ? resultOverride : fields.producesResult ? result : effectiveInput;
      if (resultSelector) effectiveResult = resultSelector.evaluate(effectiveResult, env);
      const assigned = assign ? checkAssignedSize(assign.evaluate(effectiveResult, env) as Record<string, JsonValue>) : undefined;
      let output = resultPath ? resultPath.apply(raw, effectiveResult) : fields.result ? effectiveResult : effectiveInput;
      if (outputPath === null) output = EMPTY;
      else if (outputPath) output = selectRequired(outputPath, output, env);
      return { output, assigned };
    },
  };
}

/** Compiles the JSONata processing of one state. */
export function compileJsonataFlow(state: JsonObject, fields: FlowFields, outputField: JsonValue | undefined = state.Output): StateDataFlow {
  const args: CompiledJsonata | undefined =
    fields.parameters && state.Arguments !== undefined ? compileJsonata(state.Arguments, 'Arguments') : undefined;
  const output = outputField !== undefined ? compileJsonata(outputField, 'Output') : undefined;
  const assign = state.Assign !== undefined ? compileJsonata(state.Assign, 'Assign') : undefined;

  return {
    async effectiveInput(raw, env) {
      return args ? args.evaluate({ input: raw }, env) : raw;
    },
    async finish(raw, _effectiveInput, result, env): Promise<StateOutcome> {
      const states: JsonataStates = fields.producesResult ? { input: raw, result } : { input: raw };
      const [out, assigned] = await Promise.all([
        output ? output.evaluate(states, env) : fields.producesResult ? result : raw,
        assign ? assign.evaluate(states, env) : undefined,
      ]);
      return { output: out, assigned: checkAssignedSize(assigned as Record<string, JsonValue> | undefined) };
    },
  };
}
