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
import { compilePath, compileResultPath, compileTemplate, type CompiledPath, type CompiledResultPath, type CompiledTemplate } from '../jsonpath';
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

/**
 * The stages of a state's data flow, named as TestState's `inspectionData`
 * names them. JSONPath: afterInputPath and afterParameters (the same value
 * where a state has no Parameters), then, for states with a result, result,
 * afterResultSelector and afterResultPath. JSONata: afterArguments (states
 * that take Arguments) and result (states whose work produces one).
 */
export type FlowStage = 'afterInputPath' | 'afterParameters' | 'afterArguments' | 'result' | 'afterResultSelector' | 'afterResultPath';

/** Told each stage's value as the flow computes it (TestState's inspection). */
export type FlowObserver = (stage: FlowStage, value: JsonValue) => void;

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

/*
 * Observed, a flow takes every step — the identity where the state has no
 * such field — through a wrapper that reports the values going in and out.
 * Unobserved (every execution), the flow is exactly the plain one: no test,
 * call or allocation per transition is added for the inspection's sake.
 */

/** `template` (none: the identity) reporting the value it is given as `before` and the one it makes as `after`. */
function observedTemplate(template: CompiledTemplate | undefined, before: FlowStage, after: FlowStage, observe: FlowObserver): CompiledTemplate {
  return {
    evaluate(input, env) {
      observe(before, input);
      const value = template ? template.evaluate(input, env) : input;
      observe(after, value);
      return value;
    },
  };
}

/** `resultPath` reporting the output it makes as afterResultPath. */
function observedResultPath(resultPath: CompiledResultPath, observe: FlowObserver): CompiledResultPath {
  return {
    source: resultPath.source,
    apply(input, result) {
      const output = resultPath.apply(input, result);
      observe('afterResultPath', output);
      return output;
    },
  };
}

/** Compiles the JSONPath processing of one state. `resultOverride` is the Pass state's Result; `observe` is told its stages. */
export function compileJsonPathFlow(state: JsonObject, fields: FlowFields, resultOverride?: JsonValue, observe?: FlowObserver): StateDataFlow {
  const inputPath = optionalPath(state, 'InputPath');
  const outputPath = optionalPath(state, 'OutputPath');
  const plainParameters = fields.parameters && state.Parameters !== undefined ? compileTemplate(state.Parameters) : undefined;
  const parameters = observe ? observedTemplate(plainParameters, 'afterInputPath', 'afterParameters', observe) : plainParameters;
  const plainSelector = fields.result && state.ResultSelector !== undefined ? compileTemplate(state.ResultSelector) : undefined;
  const observeResult = fields.result ? observe : undefined;
  const resultSelector = observeResult ? observedTemplate(plainSelector, 'result', 'afterResultSelector', observeResult) : plainSelector;
  const plainResultPath = fields.result && state.ResultPath !== undefined ? compileResultPath(state.ResultPath as string | null) : undefined;
  // No ResultPath is `$`: "the result replaces the state input".
  const resultPath = observeResult ? observedResultPath(plainResultPath ?? compileResultPath('$'), observeResult) : plainResultPath;
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

/** Arguments (none: the state input) reporting what they make as afterArguments. */
function observedArguments(args: CompiledJsonata | undefined, observe: FlowObserver): CompiledJsonata {
  return {
    async evaluate(states, env) {
      const value = args ? await args.evaluate(states, env) : (states.input as JsonValue);
      observe('afterArguments', value);
      return value;
    },
  };
}

/** Output (none: the result) reporting the result it is given. */
function observedOutput(output: CompiledJsonata | undefined, observe: FlowObserver): CompiledJsonata {
  return {
    evaluate(states, env) {
      const result = states.result as JsonValue;
      observe('result', result);
      return output ? output.evaluate(states, env) : Promise.resolve(result);
    },
  };
}

/** Compiles the JSONata processing of one state; `observe` is told its stages. */
export function compileJsonataFlow(
  state: JsonObject,
  fields: FlowFields,
  outputField: JsonValue | undefined = state.Output,
  observe?: FlowObserver,
): StateDataFlow {
  const plainArgs = fields.parameters && state.Arguments !== undefined ? compileJsonata(state.Arguments, 'Arguments') : undefined;
  const args = observe && fields.parameters ? observedArguments(plainArgs, observe) : plainArgs;
  const plainOutput = outputField !== undefined ? compileJsonata(outputField, 'Output') : undefined;
  const output = observe && fields.producesResult ? observedOutput(plainOutput, observe) : plainOutput;
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
