/** The states:startExecution runner over a driver's executions, and the parent's result for a child's end. */
import type { JsonValue } from '../../../lib/asl/json';
import type { TaskInvocation } from '../../../lib/engine/ports/task-runner';
import { ServiceError, ServiceErrorName } from '../../../lib/engine/service-errors';
import { nestedExecutionRunner, parentCompletion, type ChildEnd, type NestedExecutions, type NestedParent } from '../../../lib/service/nested';

const PARENT = 'arn:aws:states:us-east-1:123456789012:execution:Parent:p1';
const CHILD_SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:Child';
const CHILD = 'arn:aws:states:us-east-1:123456789012:execution:Child:c1';
const T = Date.UTC(2026, 0, 1);

function invocation(suffix: string, parameters: JsonValue): TaskInvocation {
  return {
    resource: `arn:aws:states:::states:startExecution${suffix}`,
    parameters,
    ...(suffix === '' ? {} : { taskToken: 'token-1' }),
    executionArn: PARENT,
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent',
    stateName: 'Nested',
    attempt: 0,
    attemptId: 'a',
  };
}

function fakeExecutions(fail?: ServiceError): { port: NestedExecutions; starts: unknown[]; stops: string[] } {
  const starts: unknown[] = [];
  const stops: string[] = [];
  return {
    starts,
    stops,
    port: {
      async start(arn, options) {
        if (fail) throw fail;
        starts.push({ arn, ...options });
        return { executionArn: CHILD, startDate: T };
      },
      async stop(arn) {
        stops.push(arn);
      },
    },
  };
}

const signal = new AbortController().signal;

describe('nestedExecutionRunner', () => {
  it('handles states:startExecution in every pattern and nothing else', () => {
    const runner = nestedExecutionRunner(fakeExecutions().port);
    for (const suffix of ['', '.sync', '.sync:2', '.waitForTaskToken']) expect(runner.handles(invocation(suffix, {}))).toBe(true);
    expect(runner.handles({ ...invocation('', {}), resource: 'arn:aws:states:::aws-sdk:sfn:startExecution' })).toBe(false);
    expect(runner.handles({ ...invocation('', {}), resource: 'arn:aws:states:::sqs:sendMessage' })).toBe(false);
  });

  it('request-response: starts the child with the Input and Name given and succeeds with ExecutionArn, StartDate and the metadata', async () => {
    const fake = fakeExecutions();
    const outcome = await nestedExecutionRunner(fake.port).run(invocation('', { StateMachineArn: CHILD_SM, Name: 'c1', Input: { a: 1 } }), signal);
    expect(fake.starts).toEqual([{ arn: CHILD_SM, name: 'c1', input: { a: 1 } }]);
    expect(outcome.kind).toBe('succeeded');
    const output = (outcome as { output: Record<string, unknown> }).output;
    expect(Object.keys(output)).toEqual(['ExecutionArn', 'StartDate', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(output.ExecutionArn).toBe(CHILD);
    expect(output.StartDate).toBe(T);
    expect((output.SdkHttpMetadata as { HttpStatusCode: number }).HttpStatusCode).toBe(200);
  });

  it('.sync:2: parses Input given as JSON text, records the parent with the child, and waits with the submission', async () => {
    const fake = fakeExecutions();
    const outcome = await nestedExecutionRunner(fake.port).run(invocation('.sync:2', { StateMachineArn: CHILD_SM, Input: '{"a":2}' }), signal);
    expect(fake.starts).toEqual([{ arn: CHILD_SM, input: { a: 2 }, parent: { executionArn: PARENT, taskToken: 'token-1', pattern: 'SYNC:2' } }]);
    expect(outcome).toMatchObject({ kind: 'pending', submitted: { job: CHILD, output: { ExecutionArn: CHILD, StartDate: T } } });
  });

  it('.waitForTaskToken: starts the child without a parent to complete and waits for the token', async () => {
    const fake = fakeExecutions();
    const outcome = await nestedExecutionRunner(fake.port).run(invocation('.waitForTaskToken', { StateMachineArn: CHILD_SM }), signal);
    expect(fake.starts).toEqual([{ arn: CHILD_SM, input: {} }]);
    expect(outcome).toEqual({ kind: 'pending' });
  });

  it('stops the child when a .sync attempt is aborted', async () => {
    const fake = fakeExecutions();
    const controller = new AbortController();
    await nestedExecutionRunner(fake.port).run(invocation('.sync', { StateMachineArn: CHILD_SM }), controller.signal);
    controller.abort();
    await Promise.resolve();
    expect(fake.stops).toEqual([CHILD]);
  });

  it("names the API's errors StepFunctions.<Name>Exception with the Java client's cause", async () => {
    const fake = fakeExecutions(new ServiceError(ServiceErrorName.ExecutionAlreadyExists, `Execution Already Exists: '${CHILD}'`));
    const outcome = await nestedExecutionRunner(fake.port).run(invocation('.sync', { StateMachineArn: CHILD_SM, Name: 'c1' }), signal);
    expect(outcome).toMatchObject({ kind: 'failed', error: 'StepFunctions.ExecutionAlreadyExistsException' });
    expect((outcome as { cause: string }).cause).toMatch(/^Execution Already Exists: '.+:c1' \(Service: AWSStepFunctions; Status Code: 400; Error Code: ExecutionAlreadyExists; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
    const bad = await nestedExecutionRunner(fakeExecutions().port).run(invocation('', { StateMachineArn: CHILD_SM, Input: '{not json' }), signal);
    expect(bad).toMatchObject({ kind: 'failed', error: 'StepFunctions.InvalidExecutionInputException' });
  });
});

describe('parentCompletion', () => {
  const child: ChildEnd = { executionArn: CHILD, stateMachineArn: CHILD_SM, name: 'c1', input: { a: 1 }, startDate: T, stopDate: T + 5, status: 'SUCCEEDED', output: { b: 2 }, redriveCount: 0 };
  const parent = (pattern: NestedParent['pattern']): NestedParent => ({ executionArn: PARENT, taskToken: 't', pattern });

  it('.sync gives Input and Output as JSON text, .sync:2 as JSON', () => {
    expect(parentCompletion(child, parent('SYNC'))).toEqual({
      kind: 'succeeded',
      output: {
        ExecutionArn: CHILD,
        Input: '{"a":1}',
        InputDetails: { Included: true },
        Name: 'c1',
        Output: '{"b":2}',
        OutputDetails: { Included: true },
        RedriveCount: 0,
        RedriveStatus: 'NOT_REDRIVABLE',
        RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
        StartDate: T,
        StateMachineArn: CHILD_SM,
        Status: 'SUCCEEDED',
        StopDate: T + 5,
      },
    });
    expect(parentCompletion(child, parent('SYNC:2'))).toMatchObject({ kind: 'succeeded', output: { Input: { a: 1 }, Output: { b: 2 } } });
  });

  it('an aborted child fails the task with States.TaskFailed and its description as the cause', () => {
    const aborted: ChildEnd = { ...child, status: 'ABORTED', output: undefined };
    const result = parentCompletion(aborted, parent('SYNC'));
    expect(result.kind).toBe('failed');
    expect(result).toMatchObject({ error: 'States.TaskFailed' });
    expect(JSON.parse((result as { cause: string }).cause)).toEqual({
      ExecutionArn: CHILD,
      Input: '{"a":1}',
      InputDetails: { Included: true },
      Name: 'c1',
      RedriveCount: 0,
      RedriveStatus: 'REDRIVABLE',
      StartDate: T,
      StateMachineArn: CHILD_SM,
      Status: 'ABORTED',
      StopDate: T + 5,
    });
  });
});
