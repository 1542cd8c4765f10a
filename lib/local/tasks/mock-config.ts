/**
 * Step Functions Local's mock configuration file (developer guide, "Using
 * mocked service integrations for testing in Step Functions Local"):
 * StateMachines → NAME → TestCases → CASE → { StateName: MockedResponseName },
 * and MockedResponses → NAME → { "0": { "Return": … }, "1-2": { "Throw": { "Error", "Cause" } } },
 * keyed by the 0-based invocation count of the state in the execution.
 */
import * as fs from 'node:fs';
import { isJsonObject, type JsonObject, type JsonValue } from '../../asl/json';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../../engine/ports/task-runner';
import { MockConfigError } from './errors';


type MockedOutcome = { kind: 'succeeded'; output: JsonValue } | { kind: 'failed'; error: string; cause?: string };

interface ResponseRange {
  from: number;
  to: number;
  outcome: MockedOutcome;
}

/** One test case: the mocked states and their responses by invocation count. */
export interface MockTestCase {
  readonly stateMachine: string;
  readonly name: string;
  readonly states: ReadonlyMap<string, readonly ResponseRange[]>;
}

/** Reads a mock configuration file and selects one test case. */
export function loadMockTestCase(file: string, testCase: string, stateMachineName?: string): MockTestCase {
  return selectTestCase(readMockConfig(file), testCase, stateMachineName);
}

/** Each state machine a mock configuration file mocks and its test cases, every test case checked. */
export function mockConfigSummary(file: string): { stateMachine: string; testCases: string[] }[] {
  const config = readMockConfig(file);
  return Object.entries(checkedShape(config).StateMachines).map(([stateMachine, machine]) => {
    const testCases = isJsonObject(machine) && isJsonObject(machine.TestCases) ? Object.keys(machine.TestCases) : [];
    for (const testCase of testCases) selectTestCase(config, testCase, stateMachine);
    return { stateMachine, testCases };
  });
}

function readMockConfig(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new MockConfigError(`Cannot read the mock configuration ${file}: ${(err as Error).message}`);
  }
}

/** Validates a parsed mock configuration and selects one test case. */
export function selectTestCase(config: unknown, testCase: string, stateMachineName?: string): MockTestCase {
  const { StateMachines: machines, MockedResponses: responses } = checkedShape(config);
  const candidates = Object.entries(machines).filter(
    ([name, machine]) => (stateMachineName === undefined || name === stateMachineName) && isJsonObject(machine) && isJsonObject(machine.TestCases) && testCase in machine.TestCases,
  );
  if (candidates.length === 0) {
    throw new MockConfigError(
      stateMachineName === undefined
        ? `No state machine in the mock configuration has the test case '${testCase}'`
        : `The state machine '${stateMachineName}' has no test case '${testCase}' in the mock configuration`,
    );
  }
  if (candidates.length > 1) {
    throw new MockConfigError(`Several state machines have the test case '${testCase}' (${candidates.map(([n]) => n).join(', ')}): choose one with --state-machine-name`);
  }
  const [machineName, machine] = candidates[0];
  const mapping = ((machine as JsonObject).TestCases as JsonObject)[testCase];
  if (!isJsonObject(mapping)) throw new MockConfigError(`The test case '${testCase}' must map state names to mocked response names`);
  const states = new Map<string, ResponseRange[]>();
  for (const [state, responseName] of Object.entries(mapping)) {
    if (typeof responseName !== 'string') throw new MockConfigError(`The mocked response for state '${state}' must be the name of a MockedResponses entry`);
    const response = responses[responseName];
    if (!isJsonObject(response)) throw new MockConfigError(`The mocked response '${responseName}' (state '${state}') is not defined in MockedResponses`);
    states.set(state, parseResponse(responseName, response));
  }
  return { stateMachine: machineName, name: testCase, states };
}

/** The configuration's two top-level objects; a MockConfigError when it has not both. */
function checkedShape(config: unknown): { StateMachines: JsonObject; MockedResponses: JsonObject } {
  if (!isJsonObject(config) || !isJsonObject(config.StateMachines) || !isJsonObject(config.MockedResponses)) {
    throw new MockConfigError('A mock configuration must be an object with "StateMachines" and "MockedResponses"');
  }
  return { StateMachines: config.StateMachines, MockedResponses: config.MockedResponses };
}

function parseResponse(name: string, response: JsonObject): ResponseRange[] {
  const ranges = Object.entries(response).map(([key, value]): ResponseRange => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(key);
    if (!m) throw new MockConfigError(`The key '${key}' of mocked response '${name}' must be an invocation number like "0" or a range like "1-3"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new MockConfigError(`The range '${key}' of mocked response '${name}' ends before it starts`);
    if (!isJsonObject(value) || (value.Return === undefined) === (value.Throw === undefined)) {
      throw new MockConfigError(`Each entry of mocked response '${name}' must have exactly one of "Return" or "Throw"`);
    }
    if (value.Throw !== undefined) {
      const t = value.Throw;
      if (!isJsonObject(t) || typeof t.Error !== 'string') throw new MockConfigError(`The "Throw" of mocked response '${name}' must have an "Error" string`);
      return { from, to, outcome: { kind: 'failed', error: t.Error, ...(typeof t.Cause === 'string' ? { cause: t.Cause } : {}) } };
    }
    return { from, to, outcome: { kind: 'succeeded', output: value.Return as JsonValue } };
  });
  return ranges.sort((a, b) => a.from - b.from);
}

/** Answers mocked states from a test case; other states go to `fallback`. */
export class MockConfigRunner implements TaskRunner {
  private readonly invocations = new Map<string, number>();

  constructor(
    private readonly testCase: MockTestCase,
    private readonly fallback?: TaskRunner,
  ) {}

  /** True when the test case mocks the invocation's state. */
  handles(invocation: TaskInvocation): boolean {
    return this.testCase.states.has(invocation.stateName);
  }

  async run(invocation: TaskInvocation, signal: AbortSignal): Promise<TaskOutcome> {
    const ranges = this.testCase.states.get(invocation.stateName);
    if (!ranges) {
      if (this.fallback) return this.fallback.run(invocation, signal);
      return {
        kind: 'failed',
        error: 'States.TaskFailed',
        cause: `The state '${invocation.stateName}' is not mocked in the test case '${this.testCase.name}' and no handler is configured for '${invocation.resource}'.`,
      };
    }
    const key = `${invocation.executionArn}|${invocation.stateName}`;
    const count = this.invocations.get(key) ?? 0;
    this.invocations.set(key, count + 1);
    // Past the last range, the last response keeps answering.
    const range = ranges.find((r) => count >= r.from && count <= r.to) ?? ranges[ranges.length - 1];
    // A mocked callback task completes with its mocked response, as in Step Functions Local.
    return range.outcome.kind === 'succeeded' ? { ...range.outcome, completesCallback: true } : range.outcome;
  }
}
