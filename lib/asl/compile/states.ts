/**
 * Compiles each state type from its definition. The definition has already
 * passed validation, so shapes are trusted here; this file only builds the
 * evaluators, once.
 */
import { compileCondition } from '../choice';
import type { EvalEnv } from '../env';
import { QueryEvaluationError, StatesError, StatesErrorName, StatesRuntimeError } from '../errors';
import { isJsonArray, jsonTypeOf, type JsonObject, type JsonValue } from '../json';
import { compileJsonata, isJsonataExpression } from '../jsonata';
import { compilePath, compileTemplate } from '../jsonpath';
import type {
  CompiledChoiceRule,
  CompiledMap,
  CompiledState,
  MapItemSource,
  QueryLanguage,
  ResultWriterConfig,
  StateCommon,
  StateDataFlow,
} from '../model';
import { compileJsonataFlow, compileJsonPathFlow, type FlowFields, type FlowObserver, selectRequired } from './dataflow';
import { compileCatchers, compileRetriers } from './recovery';
import { compileCredentials, compileDynamic } from './values';

const FLOW: Record<CompiledState['type'], FlowFields> = {
  Pass: { parameters: true, result: true, producesResult: false },
  Task: { parameters: true, result: true, producesResult: true },
  Choice: { parameters: false, result: false, producesResult: false },
  Wait: { parameters: false, result: false, producesResult: false },
  Succeed: { parameters: false, result: false, producesResult: false },
  Fail: { parameters: false, result: false, producesResult: false },
  Parallel: { parameters: true, result: true, producesResult: true },
  Map: { parameters: false, result: true, producesResult: true },
};

function flowFor(state: JsonObject, type: CompiledState['type'], ql: QueryLanguage, observe: FlowObserver | undefined): StateDataFlow {
  if (ql === 'JSONata') return compileJsonataFlow(state, FLOW[type], state.Output, observe);
  return compileJsonPathFlow(state, FLOW[type], type === 'Pass' ? state.Result : undefined, observe);
}

/** What the scope compiler needs to know to compile nested scopes. */
export interface NestedScopes {
  /** Registers a nested list of states at `pointer`; returns the pointer. */
  add(pointer: string, definition: JsonObject, queryLanguage: QueryLanguage, isolatedVariables: boolean): string;
}

/**
 * A compiled state: the fields every state has, from one object literal,
 * then its type's own, always in the same order. Written as a spread
 * (`{ ...common, type }`), each object gets a hidden class of its own in V8,
 * and every read of a state in the engine became a megamorphic lookup; built
 * this way, all states of a type share one.
 */
function made<S extends CompiledState>(common: StateCommon, type: S['type'], own: Omit<S, keyof StateCommon | 'type'>): S {
  const { name, location, queryLanguage, comment, next, flow } = common;
  return Object.assign({ name, location, queryLanguage, comment, next, flow, type }, own) as unknown as S;
}

/** Compiles one state; `observe`, when given, is told the stages of its data flow (see FlowObserver). */
export function compileState(
  name: string,
  state: JsonObject,
  location: string,
  parentLanguage: QueryLanguage,
  nested: NestedScopes,
  observe?: FlowObserver,
): CompiledState {
  const type = state.Type as CompiledState['type'];
  const queryLanguage = (state.QueryLanguage as QueryLanguage | undefined) ?? parentLanguage;
  const common: StateCommon = {
    name,
    location,
    queryLanguage,
    comment: state.Comment as string | undefined,
    next: state.Next as string | undefined,
    flow: flowFor(state, type, queryLanguage, observe),
  };
  switch (type) {
    case 'Pass':
    case 'Succeed':
      return made(common, type, {});
    case 'Fail':
      return made(common, type, {
        error: compileDynamic(state, 'Error', queryLanguage),
        cause: compileDynamic(state, 'Cause', queryLanguage),
      });
    case 'Wait':
      return made(common, type, {
        seconds: compileDynamic(state, 'Seconds', queryLanguage),
        timestamp: compileDynamic(state, 'Timestamp', queryLanguage),
      });
    case 'Task': {
      const resource = state.Resource as string;
      return made(common, type, {
        resource,
        integration: resource.endsWith('.waitForTaskToken')
          ? 'WAIT_FOR_TASK_TOKEN'
          : /\.sync(:\d+)?$/.test(resource)
            ? 'RUN_JOB'
            : 'REQUEST_RESPONSE',
        timeoutSeconds: compileDynamic(state, 'TimeoutSeconds', queryLanguage),
        heartbeatSeconds: compileDynamic(state, 'HeartbeatSeconds', queryLanguage),
        credentials: compileCredentials(state, queryLanguage),
        retry: compileRetriers(state),
        catch: compileCatchers(state, queryLanguage),
      });
    }
    case 'Choice': {
      const choices = (state.Choices as JsonObject[]).map((rule): CompiledChoiceRule => {
        const hasFlow = rule.Assign !== undefined || rule.Output !== undefined;
        return {
          condition: compileCondition(rule, queryLanguage),
          next: rule.Next as string,
          flow: hasFlow
            ? queryLanguage === 'JSONata'
              ? compileJsonataFlow({ Assign: rule.Assign, Output: rule.Output ?? state.Output } as JsonObject, FLOW.Choice)
              : compileJsonPathFlow({ ...state, Assign: rule.Assign } as JsonObject, FLOW.Choice)
            : undefined,
        };
      });
      return made(common, type, { choices, default: state.Default as string | undefined });
    }
    case 'Parallel': {
      const branches = (state.Branches as JsonObject[]).map((branch, i) =>
        nested.add(`${location}/Branches/${i}`, branch, queryLanguage, false),
      );
      return made(common, type, { branches, retry: compileRetriers(state), catch: compileCatchers(state, queryLanguage) });
    }
    case 'Map':
      return compileMap(state, common, queryLanguage, nested);
  }
}

function compileMap(
  state: JsonObject,
  common: StateCommon,
  queryLanguage: QueryLanguage,
  nested: NestedScopes,
): CompiledMap {
  const processorField = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
  const processorDef = state[processorField] as JsonObject;
  const config = (processorDef.ProcessorConfig ?? {}) as JsonObject;
  const mode = config.Mode === 'DISTRIBUTED' ? 'DISTRIBUTED' : 'INLINE';
  const processor = nested.add(`${common.location}/${processorField}`, processorDef, queryLanguage, mode === 'DISTRIBUTED');

  const selectorDef = state.ItemSelector ?? state.Parameters;
  let itemInput: CompiledMap['itemInput'];
  if (selectorDef === undefined) {
    itemInput = (_input, item) => item;
  } else if (queryLanguage === 'JSONata') {
    const selector = compileJsonata(selectorDef, 'ItemSelector');
    itemInput = (input, _item, _index, env) => selector.evaluate({ input }, env);
  } else {
    const selector = compileTemplate(selectorDef);
    itemInput = (input, _item, _index, env) => selector.evaluate(input, env);
  }

  const batcher = state.ItemBatcher as JsonObject | undefined;
  return made<CompiledMap>(common, 'Map', {
    mode,
    executionType: mode === 'DISTRIBUTED' && config.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    processor,
    items: compileItemSource(state, queryLanguage),
    itemInput,
    maxConcurrency: compileDynamic(state, 'MaxConcurrency', queryLanguage),
    toleratedFailurePercentage: compileDynamic(state, 'ToleratedFailurePercentage', queryLanguage),
    toleratedFailureCount: compileDynamic(state, 'ToleratedFailureCount', queryLanguage),
    itemBatcher: batcher
      ? {
          maxItemsPerBatch: compileDynamic(batcher, 'MaxItemsPerBatch', queryLanguage),
          maxInputBytesPerBatch: compileDynamic(batcher, 'MaxInputBytesPerBatch', queryLanguage),
          batchInput: batcher.BatchInput !== undefined ? compileBatchInput(batcher.BatchInput, queryLanguage) : undefined,
        }
      : undefined,
    itemReader: state.ItemReader !== undefined ? compileItemReader(state.ItemReader as JsonObject, queryLanguage) : undefined,
    resultWriter: state.ResultWriter !== undefined ? compileResultWriter(state.ResultWriter as JsonObject, queryLanguage) : undefined,
    label: state.Label as string | undefined,
    retry: compileRetriers(state),
    catch: compileCatchers(state, queryLanguage),
  });
}

function compileResultWriter(writer: JsonObject, ql: QueryLanguage): { evaluate(input: JsonValue, env: EvalEnv): Promise<ResultWriterConfig> } {
  const field = ql === 'JSONata' ? 'Arguments' : 'Parameters';
  const params = writer[field] !== undefined ? compileBatchInput(writer[field], ql) : undefined;
  const config = (writer.WriterConfig ?? {}) as JsonObject;
  const exported = writer.Resource !== undefined;
  // "NONE … Default when exporting … and WriterConfig is not specified"; "COMPACT … Default when ResultWriter is not specified".
  const transformation = (config.Transformation as ResultWriterConfig['transformation'] | undefined) ?? (exported ? 'NONE' : 'COMPACT');
  const outputType = (config.OutputType as ResultWriterConfig['outputType'] | undefined) ?? 'JSON';
  return {
    async evaluate(input, env) {
      if (!exported) return { transformation, outputType };
      const resolved = params ? await params.evaluate(input, env) : {};
      const p = (resolved ?? {}) as JsonObject;
      if (typeof p.Bucket !== 'string') throw new StatesError(StatesErrorName.ResultWriterFailed, 'The ResultWriter needs a Bucket (a string) in its ' + field + '.');
      return { bucket: p.Bucket, prefix: typeof p.Prefix === 'string' ? p.Prefix : '', transformation, outputType };
    },
  };
}

function compileBatchInput(def: JsonValue, ql: QueryLanguage): { evaluate(input: JsonValue, env: EvalEnv): Promise<JsonValue> } {
  if (ql === 'JSONata') {
    const compiled = compileJsonata(def, 'BatchInput');
    return { evaluate: (input, env) => compiled.evaluate({ input }, env) };
  }
  const compiled = compileTemplate(def);
  return { evaluate: async (input, env) => compiled.evaluate(input, env) };
}

function requireArray(value: JsonValue, describe: () => string): JsonValue[] {
  if (!isJsonArray(value)) throw new StatesRuntimeError(describe());
  return value;
}

function compileItemSource(state: JsonObject, ql: QueryLanguage): MapItemSource {
  if (ql === 'JSONata') {
    if (state.Items === undefined) {
      // As Step Functions reports it (LocalStack's test_map_state_items_input_types): an evaluation failure with no location.
      return {
        read: async (_eff, raw) => {
          if (isJsonArray(raw)) return raw;
          throw new QueryEvaluationError(`Map state input must be an array but was: ${JSON.stringify(raw)}`);
        },
      };
    }
    const items = compileJsonata(state.Items, 'Items');
    const source = isJsonataExpression(state.Items) ? state.Items.slice(2, -2).trim() : JSON.stringify(state.Items);
    return {
      read: async (_eff, raw, env) => {
        const value = await items.evaluate({ input: raw }, env);
        if (isJsonArray(value)) return value;
        throw new QueryEvaluationError(
          `The JSONata expression '${source}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonTypeOf(value)}' for value: ${JSON.stringify(value)}`,
          'Items',
        );
      },
    };
  }
  const source = (state.ItemsPath as string | undefined) ?? '$';
  const path = compilePath(source);
  return {
    read: async (effectiveInput, _raw, env) => {
      const value = selectRequired(path, effectiveInput, env);
      return requireArray(value, () => `Invalid path '${source}': The ItemsPath field must point to a JSON array, but found: ${JSON.stringify(value)}`);
    },
  };
}

/** ItemReader: its Parameters (JSONPath) or Arguments (JSONata) are resolved against the effective input when the Map starts. */
function compileItemReader(reader: JsonObject, ql: QueryLanguage): { evaluate(input: JsonValue, env: EvalEnv): Promise<JsonValue> } {
  const field = ql === 'JSONata' ? 'Arguments' : 'Parameters';
  const params = reader[field];
  if (params === undefined) return { evaluate: async () => reader };
  const compiled = compileBatchInput(params, ql);
  return {
    evaluate: async (input, env) => ({ ...reader, [field]: await compiled.evaluate(input, env) }),
  };
}
