import { LocalRuntime } from '../../lib/local/runtime';
import type { HistoryEvent } from '../../lib/local/api';

const CHILD = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'got.$': '$.value' }, End: true } } };
const FAILING = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Child.Broke', Cause: 'it broke' } } };

function task(resource: string, parameters: Record<string, unknown>, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { Type: 'Task', Resource: `arn:aws:states:::states:${resource}`, Parameters: parameters, ...more };
}

function types(history: HistoryEvent[]): string[] {
  return history.map((e) => e.type);
}

describe('states:startExecution in-process', () => {
  test('.sync waits for the child and returns DescribeExecution with Output as JSON text; the child ARN is in TaskSubmitted', async () => {
    // Arrange
    const rt = new LocalRuntime({ timeScale: 0 });
    const child = rt.registerStateMachine('Child', CHILD);
    const parent = { StartAt: 'Sync', States: { Sync: task('startExecution.sync', { StateMachineArn: child, Name: 'c1', Input: { value: 1, 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' } }, { End: true }) } };

    // Act
    const result = await rt.startExecution(parent, { name: 'p1', stateMachineName: 'Parent' }).result;

    // Assert
    const childArn = 'arn:aws:states:us-east-1:123456789012:execution:Child:c1';
    const parentArn = 'arn:aws:states:us-east-1:123456789012:execution:Parent:p1';
    const childExecution = rt.getExecution(childArn)!;
    expect(childExecution.status).toBe('SUCCEEDED');
    expect(childExecution.info.input).toEqual({ value: 1, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: parentArn });
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as Record<string, unknown>;
    expect(output).toEqual({
      ExecutionArn: childArn,
      Input: JSON.stringify({ value: 1, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: parentArn }),
      InputDetails: { Included: true },
      Name: 'c1',
      Output: '{"got":1}',
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      StartDate: childExecution.info.startTime,
      StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child',
      Status: 'SUCCEEDED',
      StopDate: childExecution.stopDate,
    });
    expect(types(result.history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    const submitted = result.history[4].taskSubmittedEventDetails as { resource: string; resourceType: string; output: string };
    expect(submitted.resourceType).toBe('states');
    expect(submitted.resource).toBe('startExecution.sync');
    const response = JSON.parse(submitted.output) as Record<string, unknown>;
    expect(response.ExecutionArn).toBe(childArn);
    expect(response.StartDate).toBe(childExecution.info.startTime);
    expect(Object.keys(response)).toEqual(['ExecutionArn', 'StartDate', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(types(childExecution.history())).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  test('.sync:2 returns the child output and input as JSON; Input given as JSON text is parsed', async () => {
    const rt = new LocalRuntime({ timeScale: 0 });
    const child = rt.registerStateMachine('Child', CHILD);
    const parent = { StartAt: 'Sync2', States: { Sync2: task('startExecution.sync:2', { StateMachineArn: child, Input: '{"value":2}' }, { ResultSelector: { 'out.$': '$.Output', 'in.$': '$.Input' }, End: true }) } };

    const result = await rt.startExecution(parent).result;

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ out: { got: 2 }, in: { value: 2 } });
  });

  test('request-response returns ExecutionArn and StartDate at once, without TaskSubmitted', async () => {
    const rt = new LocalRuntime({ timeScale: 0 });
    const child = rt.registerStateMachine('Child', CHILD);
    const parent = { StartAt: 'Start', States: { Start: task('startExecution', { StateMachineArn: child, Name: 'rr', Input: { value: 3 } }, { ResultSelector: { 'arn.$': '$.ExecutionArn', 'status.$': '$.SdkHttpMetadata.HttpStatusCode' }, End: true }) } };

    const result = await rt.startExecution(parent).result;

    expect(result.output).toEqual({ arn: 'arn:aws:states:us-east-1:123456789012:execution:Child:rr', status: 200 });
    expect(types(result.history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    await rt.getExecution('arn:aws:states:us-east-1:123456789012:execution:Child:rr')!.result;
  });

  test("a failed child fails the parent's task with States.TaskFailed and DescribeExecution as the cause, caught by Catch", async () => {
    const rt = new LocalRuntime({ timeScale: 0 });
    const failing = rt.registerStateMachine('Failing', FAILING);
    const parent = {
      StartAt: 'Fails',
      States: {
        Fails: task('startExecution.sync:2', { StateMachineArn: failing, Name: 'f1' }, { Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.caught', Next: 'Done' }], End: true }),
        Done: { Type: 'Succeed' },
      },
    };

    const result = await rt.startExecution(parent, { input: {} }).result;

    const failed = rt.getExecution('arn:aws:states:us-east-1:123456789012:execution:Failing:f1')!;
    expect(result.status).toBe('SUCCEEDED');
    const caught = (result.output as { caught: { Error: string; Cause: string } }).caught;
    expect(caught.Error).toBe('States.TaskFailed');
    expect(JSON.parse(caught.Cause)).toEqual({
      Cause: 'it broke',
      Error: 'Child.Broke',
      ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Failing:f1',
      Input: {},
      InputDetails: { Included: true },
      Name: 'f1',
      RedriveCount: 0,
      RedriveStatus: 'REDRIVABLE',
      StartDate: failed.info.startTime,
      StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Failing',
      Status: 'FAILED',
      StopDate: failed.stopDate,
    });
  });

  test('stopping the parent stops a .sync child', async () => {
    const rt = new LocalRuntime({ timeScale: 0 });
    const waiting = rt.registerStateMachine('Waiting', { StartAt: 'W', States: { W: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:never', End: true } } });
    rt.createActivity('never');
    const parent = { StartAt: 'Sync', States: { Sync: task('startExecution.sync', { StateMachineArn: waiting, Name: 'w1' }, { End: true }) } };
    const handle = rt.startExecution(parent);
    const child = 'arn:aws:states:us-east-1:123456789012:execution:Waiting:w1';
    await new Promise<void>((resolve) => rt.onPendingTask((t) => t.executionArn === child && resolve()));

    rt.stopExecution(handle.executionArn);

    expect((await handle.result).status).toBe('ABORTED');
    expect((await rt.getExecution(child)!.result).status).toBe('ABORTED');
  });

  test('an unknown state machine fails the task with StepFunctions.StateMachineDoesNotExistException', async () => {
    const rt = new LocalRuntime({ timeScale: 0 });
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope';
    const parent = { StartAt: 'Sync', States: { Sync: task('startExecution.sync', { StateMachineArn: arn }, { End: true }) } };

    const result = await rt.startExecution(parent).result;

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('StepFunctions.StateMachineDoesNotExistException');
    expect(result.cause).toMatch(/^State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope' \(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
  });

  test("in virtual time a .sync parent's TimeoutSeconds does not jump ahead of a child that waits less", async () => {
    const rt = new LocalRuntime({ timeScale: 0 });
    const slow = rt.registerStateMachine('Slow', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, Next: 'Done' }, Done: { Type: 'Pass', Result: 'waited', End: true } } });
    const parent = { StartAt: 'Sync', States: { Sync: task('startExecution.sync:2', { StateMachineArn: slow }, { TimeoutSeconds: 60, OutputPath: '$.Output', End: true }) } };

    const result = await rt.startExecution(parent).result;

    expect({ status: result.status, output: result.output }).toEqual({ status: 'SUCCEEDED', output: 'waited' });
  });

  test('a .sync task that times out stops its child', async () => {
    const rt = new LocalRuntime({ timeScale: 0 });
    const waiting = rt.registerStateMachine('Waiting', { StartAt: 'W', States: { W: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:never', End: true } } });
    rt.createActivity('never');
    const parent = { StartAt: 'Sync', States: { Sync: task('startExecution.sync', { StateMachineArn: waiting, Name: 't1' }, { TimeoutSeconds: 5, End: true }) } };

    const result = await rt.startExecution(parent).result;

    expect({ status: result.status, error: result.error }).toEqual({ status: 'FAILED', error: 'States.Timeout' });
    expect((await rt.getExecution('arn:aws:states:us-east-1:123456789012:execution:Waiting:t1')!.result).status).toBe('ABORTED');
  });

  test('a failing Parallel branch stops the .sync child of its sibling', async () => {
    const rt = new LocalRuntime({ timeScale: 0 });
    const waiting = rt.registerStateMachine('Waiting', { StartAt: 'W', States: { W: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:never', End: true } } });
    rt.createActivity('never');
    const parent = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Sync', States: { Sync: task('startExecution.sync', { StateMachineArn: waiting, Name: 'b1' }, { End: true }) } },
            { StartAt: 'Later', States: { Later: { Type: 'Wait', Seconds: 10, Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Boom' } } },
          ],
          End: true,
        },
      },
    };

    const result = await rt.startExecution(parent).result;

    expect({ status: result.status, error: result.error }).toEqual({ status: 'FAILED', error: 'Boom' });
    expect((await rt.getExecution('arn:aws:states:us-east-1:123456789012:execution:Waiting:b1')!.result).status).toBe('ABORTED');
  });
});
