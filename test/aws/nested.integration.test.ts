/**
 * states:startExecution through the cloud driver on the loopback fixture
 * (DynamoStore on dynalite, SqsQueue on fauxqs, lambda/transition.ts on real
 * SQS events): the child runs as an execution of the same deployment, and its
 * end completes the parent's `.sync` task.
 */
import type { LambdaHandler } from '../../lib/local/tasks/handlers-file';
import { startCloud, waitForEnd, type CloudFixture } from '../../harness/fixture';

jest.setTimeout(60_000);

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';
const EX = 'arn:aws:states:us-east-1:123456789012:execution:';
const handlers = new Map<string, LambdaHandler>([['Double', async (event) => ({ value: (event as { value: number }).value * 2 })]]);

let fx: CloudFixture;
let childArn: string;
let failingArn: string;
let waitingArn: string;
beforeAll(async () => {
  fx = await startCloud(handlers);
  const d = fx.cloud.driver;
  childArn = (await d.putStateMachine('NestedChild', JSON.stringify({ StartAt: 'Double', States: { Double: { Type: 'Task', Resource: `${FN}Double`, End: true } } }))).stateMachineArn;
  failingArn = (await d.putStateMachine('NestedFailing', JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Child.Broke', Cause: 'it broke' } } }))).stateMachineArn;
  waitingArn = (await d.putStateMachine('NestedWaiting', JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } }))).stateMachineArn;
});
afterAll(async () => {
  await fx?.stop();
});

describe('states:startExecution in the cloud driver on dynalite + fauxqs', () => {
  it('runs a .sync child and a failing .sync:2 child to the parent output and both histories', async () => {
    const d = fx.cloud.driver;
    const parent = await d.putStateMachine(
      'NestedParent',
      JSON.stringify({
        StartAt: 'Sync',
        States: {
          Sync: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync',
            Parameters: { StateMachineArn: childArn, Name: 'cloud-c1', Input: { 'value.$': '$.value', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' } },
            ResultSelector: { 'output.$': '$.Output', 'status.$': '$.Status' },
            ResultPath: '$.sync',
            Next: 'Fails',
          },
          Fails: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync:2',
            Parameters: { StateMachineArn: failingArn, Name: 'cloud-f1' },
            Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.caught', Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Pass', Parameters: { 'sync.$': '$.sync', 'error.$': '$.caught.Error', 'cause.$': 'States.StringToJson($.caught.Cause)' }, End: true },
        },
      }),
    );

    const { executionArn } = await d.startExecution(parent.stateMachineArn, { name: 'cloud-p1', input: { value: 21 } });
    const done = await waitForEnd(fx.observer, executionArn);

    const child = await d.describeExecution(`${EX}NestedChild:cloud-c1`);
    const failed = await d.describeExecution(`${EX}NestedFailing:cloud-f1`);
    expect(child.info.input).toEqual({ value: 21, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: executionArn });
    expect(child.parent).toEqual({ executionArn, taskToken: expect.any(String), pattern: 'SYNC' });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({
      sync: { output: '{"value":42}', status: 'SUCCEEDED' },
      error: 'States.TaskFailed',
      cause: {
        Cause: 'it broke',
        Error: 'Child.Broke',
        ExecutionArn: `${EX}NestedFailing:cloud-f1`,
        Input: {},
        InputDetails: { Included: true },
        Name: 'cloud-f1',
        RedriveCount: 0,
        RedriveStatus: 'REDRIVABLE',
        StartDate: failed.info.startTime,
        StateMachineArn: failingArn,
        Status: 'FAILED',
        StopDate: failed.stopDate,
      },
    });
    const history = await d.getExecutionHistory(executionArn);
    expect(history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited',
      'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed', 'TaskStateExited',
      'PassStateEntered', 'PassStateExited',
      'ExecutionSucceeded',
    ]);
    const submitted = history[4].taskSubmittedEventDetails as { resourceType: string; resource: string; output: string };
    expect({ resourceType: submitted.resourceType, resource: submitted.resource }).toEqual({ resourceType: 'states', resource: 'startExecution.sync' });
    expect(JSON.parse(submitted.output)).toMatchObject({ ExecutionArn: `${EX}NestedChild:cloud-c1`, StartDate: child.info.startTime });
    expect((await d.getExecutionHistory(child.info.executionArn)).map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('stopping the parent stops its .sync child', async () => {
    const d = fx.cloud.driver;
    const parent = await d.putStateMachine(
      'NestedStopper',
      JSON.stringify({ StartAt: 'Sync', States: { Sync: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: waitingArn, Name: 'cloud-w1' }, End: true } } }),
    );
    const { executionArn } = await d.startExecution(parent.stateMachineArn, { input: {} });
    const deadline = Date.now() + 20_000;
    while (!(await d.getExecutionHistory(executionArn)).some((e) => e.type === 'TaskSubmitted')) {
      if (Date.now() > deadline) throw new Error('the child was never submitted');
      await new Promise((r) => setTimeout(r, 50));
    }

    await d.stopExecution(executionArn);

    expect((await waitForEnd(fx.observer, executionArn)).status).toBe('ABORTED');
    expect((await waitForEnd(fx.observer, `${EX}NestedWaiting:cloud-w1`)).status).toBe('ABORTED');
  });
});
