/**
 * The compiled form of a state machine: parsed and validated once, frozen,
 * then evaluated by the engine for every transition. Nothing here holds run
 * state; that lives in the engine's frames.
 */
import type { Awaitable } from './awaitable';
import type { CompiledCondition } from './choice';
import type { EvalEnv, JsonataStates } from './env';
import type { JsonValue } from './json';

export type QueryLanguage = 'JSONPath' | 'JSONata';

/** A value that is static, read from a path, or computed by JSONata (e.g. TimeoutSeconds / TimeoutSecondsPath). */
export interface DynamicValue {
  /** `input` is the state's raw input (JSONata `$states.input`) or its effective input (JSONPath `...Path` fields). */
  evaluate(input: JsonValue, env: EvalEnv, states?: JsonataStates): Promise<JsonValue | undefined>;
  /** The field name this value came from, for error messages (e.g. `TimeoutSecondsPath`). */
  readonly field: string;
  /** The reference path of a `...Path` field (e.g. `$.wait`), for error messages. */
  readonly path?: string;
  /** The static value when known at compile time. */
  readonly staticValue?: JsonValue;
}

/** What a state's data flow produces when it finishes its work. */
export interface StateOutcome {
  output: JsonValue;
  /** Variables assigned by the state's Assign field, or undefined when it has none. */
  assigned: Record<string, JsonValue> | undefined;
}

/**
 * A state's input/output processing in its query language.
 * JSONPath: InputPath → Parameters → work → ResultSelector → ResultPath → OutputPath.
 * JSONata: Arguments → work → Output; Assign in both.
 */
export interface StateDataFlow {
  /** Raw state input → the value the state's work receives (task parameters, Parallel branch input, Map source). */
  effectiveInput(raw: JsonValue, env: EvalEnv): Awaitable<JsonValue>;
  /** Raw input and the work's result → the state output and assigned variables. */
  finish(raw: JsonValue, effectiveInput: JsonValue, result: JsonValue, env: EvalEnv): Awaitable<StateOutcome>;
}

/** A compiled Retrier. */
export interface CompiledRetrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds?: number;
  readonly jitter: 'FULL' | 'NONE';
}

/** A compiled Catcher: where to go, and how the error output becomes state output and variables. */
export interface CompiledCatcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  /** Raw state input and the error output `{Error, Cause}` → the output passed to `next`, and variables. */
  finish(raw: JsonValue, errorOutput: JsonValue, env: EvalEnv): Promise<StateOutcome>;
}

export interface StateCommon {
  readonly name: string;
  /** JSON pointer of the state in the definition, e.g. `/States/Charge`. */
  readonly location: string;
  readonly queryLanguage: QueryLanguage;
  readonly comment?: string;
  /** The next state, or undefined for a terminal state (End: true, Succeed, Fail). */
  readonly next?: string;
  readonly flow: StateDataFlow;
}

interface Recoverable {
  readonly retry: readonly CompiledRetrier[];
  readonly catch: readonly CompiledCatcher[];
}

export interface CompiledPass extends StateCommon {
  readonly type: 'Pass';
}

export interface CompiledTask extends StateCommon, Recoverable {
  readonly type: 'Task';
  /** The Resource ARN as written (after JSONata evaluation rules: Resource is always static). */
  readonly resource: string;
  /** `.waitForTaskToken`, `.sync`/`.sync:2`, or request-response. */
  readonly integration: 'REQUEST_RESPONSE' | 'WAIT_FOR_TASK_TOKEN' | 'RUN_JOB';
  readonly timeoutSeconds?: DynamicValue;
  readonly heartbeatSeconds?: DynamicValue;
  /** `Credentials`: evaluates to `{ RoleArn }`, the role the task's call is made with. */
  readonly credentials?: DynamicValue;
}

export interface CompiledChoiceRule {
  readonly condition: CompiledCondition;
  readonly next: string;
  /** JSONata Output / Assign of this rule (JSONPath: Assign only); undefined to use the state's. */
  readonly flow?: StateDataFlow;
}

export interface CompiledChoice extends StateCommon {
  readonly type: 'Choice';
  readonly choices: readonly CompiledChoiceRule[];
  readonly default?: string;
}

export interface CompiledWait extends StateCommon {
  readonly type: 'Wait';
  /** Exactly one of these. */
  readonly seconds?: DynamicValue;
  readonly timestamp?: DynamicValue;
}

export interface CompiledSucceed extends StateCommon {
  readonly type: 'Succeed';
}

export interface CompiledFail extends StateCommon {
  readonly type: 'Fail';
  readonly error?: DynamicValue;
  readonly cause?: DynamicValue;
}

export interface CompiledParallel extends StateCommon, Recoverable {
  readonly type: 'Parallel';
  /** JSON pointers of the branches' scopes, e.g. `/States/P/Branches/0`. */
  readonly branches: readonly string[];
}

/** A DISTRIBUTED Map's ResultWriter, its parameters resolved. */
export interface ResultWriterConfig {
  /** Set when the results are exported to S3 (`arn:aws:states:::s3:putObject`). */
  bucket?: string;
  prefix?: string;
  /** NONE: child execution records; COMPACT: outputs; FLATTEN: outputs with arrays flattened. */
  transformation: 'NONE' | 'COMPACT' | 'FLATTEN';
  outputType: 'JSON' | 'JSONL';
}

export interface CompiledMap extends StateCommon, Recoverable {
  readonly type: 'Map';
  readonly mode: 'INLINE' | 'DISTRIBUTED';
  /** A DISTRIBUTED Map's child workflow type (ProcessorConfig.ExecutionType; STANDARD when absent, and for INLINE). */
  readonly executionType: 'STANDARD' | 'EXPRESS';
  /** The iteration scope, e.g. `/States/M/ItemProcessor` (or `/States/M/Iterator`). */
  readonly processor: string;
  /** Effective input → the items array (ItemsPath / Items / ItemReader). */
  readonly items: MapItemSource;
  /** Builds each iteration's input from the item (ItemSelector / Parameters); default is the item itself. */
  /** Synchronous for JSONPath (no microtask per item), a promise for JSONata. */
  itemInput(effectiveInput: JsonValue, item: JsonValue, index: number, env: EvalEnv): Awaitable<JsonValue>;
  readonly maxConcurrency?: DynamicValue;
  readonly toleratedFailurePercentage?: DynamicValue;
  readonly toleratedFailureCount?: DynamicValue;
  readonly itemBatcher?: {
    readonly maxItemsPerBatch?: DynamicValue;
    readonly maxInputBytesPerBatch?: DynamicValue;
    readonly batchInput?: { evaluate(input: JsonValue, env: EvalEnv): Promise<JsonValue> };
  };
  /** DISTRIBUTED ItemReader: effective input → the reader configuration with its parameters resolved. */
  readonly itemReader?: { evaluate(effectiveInput: JsonValue, env: EvalEnv): Promise<JsonValue> };
  /** DISTRIBUTED ResultWriter: effective input → where to export (if anywhere) and how to format. */
  readonly resultWriter?: { evaluate(effectiveInput: JsonValue, env: EvalEnv): Promise<ResultWriterConfig> };
  /** For DISTRIBUTED child executions, an ARN label. */
  readonly label?: string;
}

/** Where a Map state's items come from. */
export interface MapItemSource {
  /** Returns the items or throws a StatesError (e.g. States.Runtime when ItemsPath is not an array, States.ItemReaderFailed). */
  read(effectiveInput: JsonValue, raw: JsonValue, env: EvalEnv): Promise<JsonValue[]>;
}

export type CompiledState =
  | CompiledPass
  | CompiledTask
  | CompiledChoice
  | CompiledWait
  | CompiledSucceed
  | CompiledFail
  | CompiledParallel
  | CompiledMap;

export type StateType = CompiledState['type'];

/** Every state type, in the order {@link stateTypeIndex} numbers them. */
export const STATE_TYPES: readonly StateType[] = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];

/**
 * A state type's index in {@link STATE_TYPES}, for tables the engine reads
 * per state entered: a switch, since a lookup keyed by eight different
 * names is megamorphic.
 */
export function stateTypeIndex(type: StateType): number {
  switch (type) {
    case 'Task':
      return 0;
    case 'Pass':
      return 1;
    case 'Choice':
      return 2;
    case 'Wait':
      return 3;
    case 'Succeed':
      return 4;
    case 'Fail':
      return 5;
    case 'Parallel':
      return 6;
    case 'Map':
      return 7;
  }
}

/** One list of states with its start: the whole machine, a Parallel branch, or a Map processor. */
export interface CompiledScope {
  /** JSON pointer of the scope; `''` for the top level. */
  readonly pointer: string;
  readonly startAt: string;
  readonly states: ReadonlyMap<string, CompiledState>;
  /** For Map processors: DISTRIBUTED iterations cannot see outer variables. */
  readonly isolatedVariables: boolean;
}

/** A whole compiled state machine. */
export interface CompiledStateMachine {
  readonly definition: JsonValue;
  readonly queryLanguage: QueryLanguage;
  readonly timeoutSeconds?: number;
  readonly comment?: string;
  /** Every scope by pointer; `''` is the top level. */
  readonly scopes: ReadonlyMap<string, CompiledScope>;
}
