/**
 * TestState: one state run once, on its own, with a given input. The state
 * is compiled inside a one-state machine (see test-state/definition.ts) and
 * its frame stepped with the engine's pure `step`: Enter, then the task's
 * outcome — the mock's, or the task runner's — and, for a Map or Parallel,
 * its children's frames (test-state/frames.ts). The answer is read from the
 * frame the state leaves: `status` SUCCEEDED (with `output` and
 * `nextState`), FAILED (`error`, `cause`), RETRIABLE (the error matches a
 * retrier: TestState runs one attempt and leaves retrying to you) or
 * CAUGHT_ERROR (a Catch took it: `output`, `nextState`, `error`, `cause`).
 * Waits do not wait. At DEBUG and TRACE, `inspectionData` shows the state's
 * data after each step of its input and output processing.
 */
import { compileRetriers } from '../asl/compile/recovery';
import type { JsonObject, JsonValue } from '../asl/json';
import type { CompiledCatcher, CompiledState, CompiledStateMachine } from '../asl/model';
import { buildEnv } from '../engine/context';
import type { ExecutionInfo } from '../engine/execution';
import { FrameStatus } from '../engine/frame';
import type { TaskOutcome, TaskRunner } from '../engine/ports/task-runner';
import { decideRetry } from '../engine/retry';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { startExecution } from '../engine/step';
import { compileTested, mockedAsTask, stateToTest, TESTED, TESTED_LOCATION } from './test-state/definition';
import { runUntilLeft, type TaskAnswer } from './test-state/frames';
import { Inspection } from './test-state/inspection';

export interface TestStateResult {
  status: 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';
  output?: JsonValue;
  nextState?: string;
  error?: string;
  cause?: string;
  inspectionData?: Record<string, unknown>;
}

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
  /**
   * TestState's `roleArn`: "The Amazon Resource Name (ARN) of the execution
   * role with the required IAM permissions for the state." The tested task
   * runs with it (the runner assumes it, as for an execution's tasks); with
   * none, it runs with the runner's own credentials.
   */
  roleArn?: string;
}

/** The role an in-process test names when it is given none; never assumed. */
const UNNAMED_ROLE = 'arn:aws:iam::123456789012:role/switchyard-local';

/** The execution a test runs in, as an in-process run names it. */
function testExecution(input: JsonValue, roleArn = UNNAMED_ROLE): ExecutionInfo {
  return {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:TestState:test-state',
    name: 'test-state',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:TestState',
    stateMachineName: 'TestState',
    roleArn,
    input,
    startTime: Date.now(),
    redriveCount: 0,
  };
}

/** The mock as the outcome of the tested state's invocation (a callback task's too). */
function mockOutcome(mock: TestStateMock): TaskOutcome {
  if (mock.errorOutput) return { kind: 'failed', error: mock.errorOutput.error ?? '', ...(mock.errorOutput.cause !== undefined ? { cause: mock.errorOutput.cause } : {}) };
  return { kind: 'succeeded', output: mock.result ?? null, completesCallback: true };
}

/**
 * `machine` with the tested state's catchers watched: `caught()` is the
 * error output the engine handed a Catch, if one took the state's error.
 */
function watchCatchers(machine: CompiledStateMachine): { machine: CompiledStateMachine; caught: () => JsonObject | undefined } {
  const scope = machine.scopes.get('')!;
  const state = scope.states.get(TESTED)!;
  let caught: JsonObject | undefined;
  if (!('catch' in state) || state.catch.length === 0) return { machine, caught: () => undefined };
  const catchers = state.catch.map(
    (c): CompiledCatcher => ({
      errorEquals: c.errorEquals,
      next: c.next,
      finish: (raw, errorOutput, env) => {
        caught = errorOutput as JsonObject;
        return c.finish(raw, errorOutput, env);
      },
    }),
  );
  const states = new Map(scope.states).set(TESTED, { ...state, catch: catchers } as CompiledState);
  return { machine: { ...machine, scopes: new Map(machine.scopes).set('', { ...scope, states }) }, caught: () => caught };
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
  const inspection = options.inspectionLevel && options.inspectionLevel !== 'INFO' ? new Inspection() : undefined;
  const watched = watchCatchers(compileTested(state, inspection ? { observe: { location: TESTED_LOCATION, observer: inspection.observer } } : {}));

  const execution = testExecution(input, options.roleArn);
  const started = startExecution(watched.machine, execution);
  // The variables the state sees, as if a state before it had assigned them.
  if (options.variables) started.frame.vars = options.variables;
  const answer: TaskAnswer = (effect, signal) => {
    if (mock && effect.frameId === started.frame.id) return Promise.resolve(mockOutcome(mock));
    // Nothing takes an activity task in a test (the tested state's own needs a mock).
    if (effect.activityArn !== undefined) return undefined;
    // The task's Credentials.RoleArn, else the role given; a test given none runs with the runner's own credentials.
    const { roleArn, ...invocation } = effect.invocation;
    return tasks.run(options.roleArn === undefined && roleArn === UNNAMED_ROLE ? invocation : effect.invocation, signal);
  };
  const frame = await runUntilLeft(watched.machine, execution, started, answer);
  if (!frame) throw new ServiceError(ServiceErrorName.ValidationException, 'The state waits for a task token or an activity worker: TestState runs such tasks only with a mock');

  const inspected = inspection
    ? { inspectionData: inspection.data({ state: original, ranAsTask: state.Type === 'Task', input, variables: frame.vars, env: buildEnv(execution, started.frame) }) }
    : {};
  if (frame.status === FrameStatus.FAILED) {
    const error = frame.error ?? '';
    // The first retrier that matches decides, as in an execution; retrierRetryCount says how many attempts it has used.
    const retriers = compileRetriers(state);
    const retriable = decideRetry(retriers, retriers.map(() => options.retrierRetryCount ?? 0), error, () => 0) !== undefined;
    return { status: retriable ? 'RETRIABLE' : 'FAILED', error, ...(frame.cause !== undefined ? { cause: frame.cause } : {}), ...inspected };
  }
  const moved = frame.entry !== started.frame.entry;
  const output = moved ? frame.input : frame.output;
  const next = moved ? { nextState: frame.state } : {};
  const caught = watched.caught();
  if (caught) {
    return {
      status: 'CAUGHT_ERROR',
      ...(output !== undefined ? { output } : {}),
      ...next,
      ...(typeof caught.Error === 'string' ? { error: caught.Error } : {}),
      ...(typeof caught.Cause === 'string' ? { cause: caught.Cause } : {}),
      ...inspected,
    };
  }
  return { status: 'SUCCEEDED', ...(output !== undefined ? { output } : {}), ...next, ...inspected };
}
