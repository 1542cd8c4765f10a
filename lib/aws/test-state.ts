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
import type { HistoryEvent } from '../local/api';
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

/** Runs `stateDefinition` once on `input`. Throws InvalidDefinition / ValidationException for what cannot be tested. */
export async function testState(
  stateDefinition: string,
  input: JsonValue,
  tasks: TaskRunner,
  options: { inspectionLevel?: 'INFO' | 'DEBUG' | 'TRACE'; variables?: Record<string, JsonValue> } = {},
): Promise<TestStateResult> {
  let state: unknown;
  try {
    state = JSON.parse(stateDefinition);
  } catch (err) {
    throw new ServiceError(ServiceErrorName.InvalidDefinition, `Invalid State Definition: ${(err as Error).message}`);
  }
  if (!isJsonObject(state) || typeof state.Type !== 'string') throw new ServiceError(ServiceErrorName.InvalidDefinition, "Invalid State Definition: a state is an object with a 'Type'");
  if (state.Type === 'Map' || state.Type === 'Parallel') {
    throw new ServiceError(ServiceErrorName.ValidationException, `TestState in Switchyard runs Task, Pass, Wait, Choice, Succeed and Fail states, not ${state.Type}`);
  }
  if (typeof state.Resource === 'string' && (/\.waitForTaskToken$/.test(state.Resource) || /:activity:/.test(state.Resource))) {
    throw new ServiceError(ServiceErrorName.ValidationException, 'TestState does not run callback (.waitForTaskToken) or activity tasks');
  }

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

  const runtime = new LocalRuntime({ timeScale: 0, taskRunner: tasks });
  let result;
  try {
    result = await runtime.startExecution(definition, { input, name: 'test-state', stateMachineName: 'TestState' }).result;
  } catch (err) {
    throw new ServiceError(ServiceErrorName.InvalidDefinition, err instanceof Error ? err.message : String(err));
  }
  const history = result.history;
  const enteredAt = history.findIndex((e) => e.type.endsWith('StateEntered') && stateName(e) === TESTED);
  const after = history.slice(enteredAt + 1);
  const exited = after.find((e) => e.type.endsWith('StateExited') && stateName(e) === TESTED);
  const next = after.find((e) => e.type.endsWith('StateEntered'));
  const failure = after.find((e) => /Failed$/.test(e.type) && !e.type.startsWith('Execution'));
  const failureDetails = failure ? (Object.values(failure).find((v) => v && typeof v === 'object') as { error?: string; cause?: string } | undefined) : undefined;
  const succeeded = after.find((e) => /Succeeded$/.test(e.type) && !e.type.startsWith('Execution') && !e.type.endsWith('StateSucceeded'));
  const taskResult = succeeded ? parseJson((Object.values(succeeded).find((v) => v && typeof v === 'object') as { output?: string }).output) : undefined;
  const inspection =
    options.inspectionLevel && options.inspectionLevel !== 'INFO' ? { inspectionData: inspect(state, input, taskResult, options.variables ?? {}) } : {};
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
  const retriable = retriers.some((r) => (r.MaxAttempts ?? 3) > 0 && matchesErrorEquals(r.ErrorEquals ?? [], error));
  return {
    status: retriable ? 'RETRIABLE' : 'FAILED',
    error,
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    ...inspection,
  };
}

/**
 * DEBUG inspection of a JSONPath state: the value after each step of its
 * input and output processing (InputPath, Parameters, the result,
 * ResultSelector, ResultPath), as JSON text. A JSONata state reports its input.
 */
function inspect(state: JsonObject, input: JsonValue, taskResult: JsonValue | undefined, variables: Record<string, JsonValue>): Record<string, string> {
  const out: Record<string, string> = { input: JSON.stringify(input) };
  if (state.QueryLanguage === 'JSONata') return out;
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
    const afterParameters = state.Parameters !== undefined ? compileTemplate(state.Parameters).evaluate(afterInputPath, env) : afterInputPath;
    out.afterParameters = JSON.stringify(afterParameters);
    const result = state.Type === 'Task' ? taskResult : state.Type === 'Pass' ? (state.Result !== undefined ? state.Result : afterParameters) : undefined;
    if (result === undefined) return out;
    out.result = JSON.stringify(result);
    const afterResultSelector = state.ResultSelector !== undefined ? compileTemplate(state.ResultSelector).evaluate(result, env) : result;
    out.afterResultSelector = JSON.stringify(afterResultSelector);
    const afterResultPath = state.ResultPath !== undefined ? compileResultPath(state.ResultPath as string | null).apply(input, afterResultSelector) : afterResultSelector;
    out.afterResultPath = JSON.stringify(afterResultPath);
  } catch {
    // The run itself reports the error; inspection stops where it occurred.
  }
  return out;
}

function stateName(e: HistoryEvent): string | undefined {
  const details = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string } | undefined;
  return details?.name;
}

function parseJson(text: string | undefined): JsonValue | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
}
