/**
 * Step Functions Local's mock configuration (developer guide, "Using mocked
 * service integrations for testing in Step Functions Local"): test cases map
 * states to mocked responses keyed by invocation number or range.
 */
import { runDefinition } from '../../../lib/local/runtime';
import { MockConfigError, MockConfigRunner, selectTestCase } from '../../../lib/local/tasks';

const config = {
  StateMachines: {
    Checkout: {
      TestCases: {
        HappyPath: { Charge: 'ChargeOk' },
        RetryPath: { Charge: 'ChargeFlaky' },
        CallbackPath: { Approve: 'ApproveOk' },
      },
    },
    Other: { TestCases: { Shared: { X: 'ChargeOk' } } },
    Another: { TestCases: { Shared: { X: 'ChargeOk' } } },
  },
  MockedResponses: {
    ChargeOk: { '0': { Return: { charged: true } } },
    ChargeFlaky: {
      '0-1': { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' } },
      '2': { Return: { charged: 'third time' } },
    },
    ApproveOk: { '0': { Return: { approved: true } } },
  },
};

const checkout = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'Charge', Payload: {} },
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 3 }],
      End: true,
    },
  },
};

describe('selectTestCase', () => {
  it('finds the state machine that has the test case', () => {
    const tc = selectTestCase(config, 'HappyPath');
    expect(tc.stateMachine).toBe('Checkout');
    expect([...tc.states.keys()]).toEqual(['Charge']);
  });

  it('asks for a state machine name when several have the test case', () => {
    expect(() => selectTestCase(config, 'Shared')).toThrow(new MockConfigError("Several state machines have the test case 'Shared' (Other, Another): choose one with --state-machine-name"));
    expect(selectTestCase(config, 'Shared', 'Another').stateMachine).toBe('Another');
  });

  it('names what is missing or malformed', () => {
    expect(() => selectTestCase(config, 'Nope')).toThrow("No state machine in the mock configuration has the test case 'Nope'");
    expect(() => selectTestCase(config, 'HappyPath', 'Other')).toThrow("The state machine 'Other' has no test case 'HappyPath' in the mock configuration");
    expect(() => selectTestCase({ StateMachines: {} }, 'x')).toThrow('A mock configuration must be an object with "StateMachines" and "MockedResponses"');
    const broken = (response: unknown) => ({ StateMachines: { M: { TestCases: { T: { S: 'R' } } } }, MockedResponses: { R: response } });
    expect(() => selectTestCase(broken({ first: { Return: 1 } }), 'T')).toThrow(`The key 'first' of mocked response 'R' must be an invocation number like "0" or a range like "1-3"`);
    expect(() => selectTestCase(broken({ '3-1': { Return: 1 } }), 'T')).toThrow("The range '3-1' of mocked response 'R' ends before it starts");
    expect(() => selectTestCase(broken({ '0': { Return: 1, Throw: { Error: 'E' } } }), 'T')).toThrow(`Each entry of mocked response 'R' must have exactly one of "Return" or "Throw"`);
    expect(() => selectTestCase(broken({ '0': { Throw: { Cause: 'c' } } }), 'T')).toThrow(`The "Throw" of mocked response 'R' must have an "Error" string`);
    expect(() => selectTestCase({ StateMachines: { M: { TestCases: { T: { S: 'Missing' } } } }, MockedResponses: {} }, 'T')).toThrow(
      "The mocked response 'Missing' (state 'S') is not defined in MockedResponses",
    );
  });
});

describe('MockConfigRunner', () => {
  it('returns the mocked response in place of the service call', async () => {
    const result = await runDefinition(checkout, { taskRunner: new MockConfigRunner(selectTestCase(config, 'HappyPath')), timeScale: 0 });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ charged: true });
  });

  it('answers by invocation number, so retries see the ranges in order', async () => {
    const result = await runDefinition(checkout, { taskRunner: new MockConfigRunner(selectTestCase(config, 'RetryPath')), timeScale: 0 });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ charged: 'third time' });
    expect(result.history.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails)).toEqual([
      { resourceType: 'lambda', resource: 'invoke', error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' },
      { resourceType: 'lambda', resource: 'invoke', error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' },
    ]);
  });

  it('completes a .waitForTaskToken task with its mocked response', async () => {
    const result = await runDefinition(
      {
        StartAt: 'Approve',
        States: { Approve: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'Approve', Payload: { 'token.$': '$$.Task.Token' } }, End: true } },
      },
      { taskRunner: new MockConfigRunner(selectTestCase(config, 'CallbackPath')), timeScale: 0 },
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ approved: true });
  });

  it('sends states the test case does not mock to the fallback runner, or fails them clearly', async () => {
    const tc = selectTestCase(config, 'CallbackPath');
    const withFallback = await runDefinition(checkout, {
      taskRunner: new MockConfigRunner(tc, { run: async () => ({ kind: 'succeeded', output: 'from fallback' }) }),
      timeScale: 0,
    });
    expect(withFallback.output).toBe('from fallback');
    const without = await runDefinition(checkout, { taskRunner: new MockConfigRunner(tc), timeScale: 0 });
    expect(without).toMatchObject({
      status: 'FAILED',
      error: 'States.TaskFailed',
      cause: "The state 'Charge' is not mocked in the test case 'CallbackPath' and no handler is configured for 'arn:aws:states:::lambda:invoke'.",
    });
  });
});
