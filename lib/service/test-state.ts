/**
 * TestState: one state run once, on its own, with a given input — the
 * in-process driver runs it inside a small machine whose other states are
 * placeholders for where it would go next. The answer is TestState's:
 * `status` SUCCEEDED (with `output` and `nextState`), FAILED (`error`,
 * `cause`), RETRIABLE (the error matches a retrier: TestState runs one
 * attempt and leaves retrying to you) or CAUGHT_ERROR (a Catch took it:
 * `output`, `nextState`, `error`, `cause`). Waits do not wait. At DEBUG and
 * TRACE, `inspectionData` shows a JSONPath state's data after each step of
 * its input and output processing.
 */
import { matchesErrorEquals } from '../asl/errors';
import { isJsonObject, type JsonObject, type JsonValue } from '../asl/json';
import type { TaskRunner } from '../engine/ports/task-runner';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { isStateEntered, isStateExited } from '../engine/events';
import type { HistoryEvent } from '../engine/history';
import { LocalRuntime } from '../local/runtime';
import { selectRequired } from '../asl/compile/dataflow';
import { compilePath, compileTemplate } from '../asl/jsonpath';
import { compileResultPath } from '../asl/jsonpath/result-path';
import { buildEnv } from '../engine/context';
import type { ExecutionInfo } from '../engine/execution';
import type { Frame } from '../engine/frame';

export interface TestStateResult {
  status: 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';
  output?: JsonValue;
  nextState?: string;
  error?: string;
  cause?: string;
  inspectionData?: Record<string, unknown>;
}

const TESTED = 'TestState';
const CAUGHT = '__switchyard_caught__';

/** TestState's `mock`: the result, or the error, the tested state's invocation stands for. */
export interface TestStateMock {
  result?: JsonValue;
  errorOutput?: { error?: string; cause?: string };
}

export interface TestStateOptions {
  inspectionLevel?: 'INFO' | 'DEBUG' | 'TRACE';
  variables?: Record<string, JsonValue>;
  /** Test this state of the state machine `definition` is. */
  stateName?: string;
  mock?: TestStateMock;
  /** stateConfiguration.retrierRetryCount: retries the matching retrier has already made. */
  retrierRetryCount?: number;
}

/** The resource a mocked Map or Parallel runs as: a Task whose runner answers with the mock. */
const MOCKED = 'arn:aws:states:::switchyard:mock';

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
function stateToTest(definition: string, stateName: string | undefined): JsonObject {
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

/** A Map or Parallel under a mock: a Task with the same input and output processing, Retry and Catch. */
function mockedAsTask(state: JsonObject): JsonObject {
  const task: JsonObject = { Type: 'Task', Resource: MOCKED };
  for (const key of ['InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Output', 'Assign', 'Retry', 'Catch', 'Next', 'End', 'QueryLanguage', 'Comment']) {
    if (state[key] !== undefined) task[key] = state[key];
  }
  return task;
}

/** A runner that answers the tested state's invocation with the mock, and others with `tasks`. */
function mockingRunner(tasks: TaskRunner, mock: TestStateMock): TaskRunner {
  return {
    run: async (invocation, signal) => {
      if (invocation.stateName !== TESTED) return tasks.run(invocation, signal);
      if (mock.errorOutput) return { kind: 'failed', error: mock.errorOutput.error ?? '', ...(mock.errorOutput.cause !== undefined ? { cause: mock.errorOutput.cause } : {}) };
      return { kind: 'succeeded', output: mock.result ?? null, completesCallback: true };
    },
  };
}

/** Runs `stateDefinition` once on `input`. Throws InvalidDefinition / ValidationException for what cannot be tested. */
export async function testState(stateDefinition: string, input: JsonValue, tasks: TaskRunner, options: TestStateOptions = {}): Promise<TestStateResult> {
  const original = stateToTest(stateDefinition, options.stateName);
  const mock = options.mock;
  if (mock && !['Task', 'Map', 'Parallel'].includes(String(original.Type))) {
    throw new ServiceError(ServiceErrorName.ValidationException, `A mock can only be specified for Task, Map, or Parallel states, not ${String(original.Type)}`);
  }
  if (!mock && typeof original.Resource === 'string' && (/\.waitForTaskToken$/.test(original.Resource) || /:activity:/.test(original.Resource))) {
    throw new ServiceError(ServiceErrorName.ValidationException, 'TestState runs callback (.waitForTaskToken) and activity tasks only with a mock');
  }
  const state = mock && original.Type !== 'Task' ? mockedAsTask(original) : original;
  const runner = mock ? mockingRunner(tasks, mock) : tasks;

  // Where the state may go: placeholders that end the machine. A Catch target gets its own, so a caught error is recognised.
  const placeholders: Record<string, JsonObject> = {};
  const target = (name: unknown): void => {
    if (typeof name === 'string' && name !== TESTED) placeholders[name] = { Type: 'Pass', End: true };
  };
  target(state.Next);
  target(state.Default);
  for (const rule of (state.Choices as JsonObject[] | undefined) ?? []) target(rule.Next);
  const catchers = ((state.Catch as JsonObject[] | undefined) ?? []).map((c, i) => {
    placeholders[`${CAUGHT}${i}`] = { Type: 'Pass', End: true };
    return { ...c, Next: `${CAUGHT}${i}` };
  });
  const retriers = (state.Retry as { ErrorEquals?: string[]; MaxAttempts?: number }[] | undefined) ?? [];
  const tested: JsonObject = { ...state };
  delete tested.Retry;
  if (catchers.length > 0) tested.Catch = catchers;
  const states: Record<string, JsonValue> = { [TESTED]: tested, ...placeholders };
  let startAt = TESTED;
  if (options.variables && Object.keys(options.variables).length > 0) {
    // The variables the state sees, assigned by a state before it (its events are not reported).
    states.__switchyard_variables__ = { Type: 'Pass', Assign: options.variables, Next: TESTED };
    startAt = '__switchyard_variables__';
  }
  const definition: JsonObject = { StartAt: startAt, States: states };
  if (typeof state.QueryLanguage === 'string') definition.QueryLanguage = state.QueryLanguage;

  const runtime = new LocalRuntime({ timeScale: 0, taskRunner: runner });
  let result;
  try {
    result = await runtime.startExecution(definition, { input, name: 'test-state', stateMachineName: 'TestState' }).result;
  } catch (err) {
    throw new ServiceError(ServiceErrorName.InvalidDefinition, err instanceof Error ? err.message : String(err));
  }
  const history = result.history;
  const enteredAt = history.findIndex((e) => isStateEntered(e.type) && stateName(e) === TESTED);
  const after = history.slice(enteredAt + 1);
  const exited = after.find((e) => isStateExited(e.type) && stateName(e) === TESTED);
  // Where it went: the first placeholder entered (states inside a Map or Parallel are entered before it).
  const next = after.find((e) => isStateEntered(e.type) && placeholders[stateName(e) ?? ''] !== undefined);
  const failure = after.find((e) => /Failed$/.test(e.type) && !e.type.startsWith('Execution'));
  const failureDetails = failure ? (Object.values(failure).find((v) => v && typeof v === 'object') as { error?: string; cause?: string } | undefined) : undefined;
  const succeeded = after.find((e) => /Succeeded$/.test(e.type) && !e.type.startsWith('Execution') && !e.type.endsWith('StateSucceeded'));
  // A Map's or Parallel's own result is its children's outputs, not any task's inside them.
  const ranChildren = state.Type === 'Map' || state.Type === 'Parallel';
  const taskResult = succeeded && !ranChildren ? parseJson((Object.values(succeeded).find((v) => v && typeof v === 'object') as { output?: string }).output) : undefined;
  const inspection =
    options.inspectionLevel && options.inspectionLevel !== 'INFO' ? { inspectionData: inspect(original, input, taskResult, options.variables ?? {}, after) } : {};
  const output = exited ? parseJson((Object.values(exited).find((v) => v && typeof v === 'object') as { output?: string }).output) : undefined;

  if (next && stateName(next)?.startsWith(CAUGHT)) {
    const i = Number(stateName(next)!.slice(CAUGHT.length));
    return {
      status: 'CAUGHT_ERROR',
      ...(output !== undefined ? { output } : {}),
      nextState: String((state.Catch as JsonObject[])[i].Next),
      ...(failureDetails?.error !== undefined ? { error: failureDetails.error } : {}),
      ...(failureDetails?.cause !== undefined ? { cause: failureDetails.cause } : {}),
      ...inspection,
    };
  }
  if (result.status === 'SUCCEEDED') {
    return { status: 'SUCCEEDED', ...(output !== undefined ? { output } : {}), ...(next ? { nextState: stateName(next)! } : {}), ...inspection };
  }
  const error = result.error ?? '';
  // The first retrier that matches decides, as in an execution; retrierRetryCount says how many attempts it has used.
  const retrier = retriers.find((r) => matchesErrorEquals(r.ErrorEquals ?? [], error));
  const retriable = retrier !== undefined && (retrier.MaxAttempts ?? 3) > (options.retrierRetryCount ?? 0);
  return {
    status: retriable ? 'RETRIABLE' : 'FAILED',
    error,
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    ...inspection,
  };
}

/**
 * DEBUG inspection: the state's data after each step of its input and output
 * processing, as JSON text. A JSONPath state: InputPath, Parameters (a Map:
 * ItemsPath and MaxConcurrency), the result, ResultSelector, ResultPath. A
 * JSONata state: Arguments (as the task was invoked with them) and the
 * result. Both: the variables after the state, when there are any.
 */
function inspect(
  state: JsonObject,
  input: JsonValue,
  taskResult: JsonValue | undefined,
  variables: Record<string, JsonValue>,
  after: readonly HistoryEvent[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { input: JSON.stringify(input) };
  const exited = after.find((e) => isStateExited(e.type) && stateName(e) === TESTED);
  const assigned = (exited?.stateExitedEventDetails as { assignedVariables?: Record<string, string> } | undefined)?.assignedVariables ?? {};
  const after_ = { ...variables, ...Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, JSON.parse(v) as JsonValue])) };
  const withVariables = (): Record<string, unknown> => (Object.keys(after_).length > 0 ? { ...out, variables: JSON.stringify(after_) } : out);
  if (state.QueryLanguage === 'JSONata') {
    const scheduled = after.find((e) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled');
    const details = (scheduled?.taskScheduledEventDetails ?? scheduled?.lambdaFunctionScheduledEventDetails) as { parameters?: string; input?: string } | undefined;
    const args = details?.parameters ?? details?.input;
    if (args !== undefined) out.afterArguments = args;
    if (taskResult !== undefined) out.result = JSON.stringify(taskResult);
    return withVariables();
  }
  const info: ExecutionInfo = {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:TestState:test-state',
    name: 'test-state',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:TestState',
    stateMachineName: 'TestState',
    roleArn: 'arn:aws:iam::123456789012:role/switchyard',
    input,
    startTime: Date.now(),
    redriveCount: 0,
  };
  const frame: Frame = { id: 'root', scope: '', version: 1, status: 'RUNNING', phase: 'TASK', state: TESTED, entry: 0, input, enteredAt: info.startTime, vars: variables, retries: [] };
  const env = buildEnv(info, frame);
  try {
    const afterInputPath =
      state.InputPath === undefined ? input : state.InputPath === null ? {} : selectRequired(compilePath(String(state.InputPath)), input, env);
    out.afterInputPath = JSON.stringify(afterInputPath);
    if (state.Type === 'Map') {
      const items = state.ItemsPath === undefined ? afterInputPath : selectRequired(compilePath(String(state.ItemsPath)), afterInputPath, env);
      out.afterItemsPath = JSON.stringify(items);
      if (typeof state.MaxConcurrency === 'number') out.maxConcurrency = state.MaxConcurrency;
    } else {
      const afterParameters = state.Parameters !== undefined ? compileTemplate(state.Parameters).evaluate(afterInputPath, env) : afterInputPath;
      out.afterParameters = JSON.stringify(afterParameters);
    }
    const result =
      state.Type === 'Pass' ? (state.Result !== undefined ? state.Result : JSON.parse(out.afterParameters as string)) : taskResult;
    if (result === undefined) return withVariables();
    out.result = JSON.stringify(result);
    const afterResultSelector = state.ResultSelector !== undefined ? compileTemplate(state.ResultSelector).evaluate(result, env) : result;
    out.afterResultSelector = JSON.stringify(afterResultSelector);
    const afterResultPath = state.ResultPath !== undefined ? compileResultPath(state.ResultPath as string | null).apply(input, afterResultSelector) : afterResultSelector;
    out.afterResultPath = JSON.stringify(afterResultPath);
  } catch {
    // The run itself reports the error; inspection stops where it occurred.
  }
  return withVariables();
}

function stateName(e: HistoryEvent): string | undefined {
  const details = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string } | undefined;
  return details?.name;
}

function parseJson(text: string | undefined): JsonValue | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
}
