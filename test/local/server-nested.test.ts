/**
 * `switchyard serve` runs states:startExecution tasks as executions of its
 * own service, driven by the official @aws-sdk/client-sfn: parent and child
 * histories, `.sync` and `.sync:2` outputs, a failed child caught, a stopped
 * parent's child stopped.
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { client, until } from './sfn-client';

jest.setTimeout(30_000);
const ROLE = 'arn:aws:iam::123456789012:role/switchyard';
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:';
const EX = 'arn:aws:states:us-east-1:123456789012:execution:';

let server: LocalServer;
let sfn: SFNClient;

async function create(name: string, definition: object): Promise<string> {
  const r = await sfn.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify(definition) }));
  return r.stateMachineArn!;
}

async function types(executionArn: string): Promise<string[]> {
  const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return h.events!.map((e) => e.type!);
}

beforeAll(async () => {
  server = await startLocalServer({ port: 0 });
  sfn = client(server.url);
  await create('Child', { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'got.$': '$.value' }, End: true } } });
  await create('Failing', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Child.Broke', Cause: 'it broke' } } });
  await create('Waiting', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } });
});
afterAll(async () => {
  sfn?.destroy();
  await server?.close();
});

describe('switchyard serve: states:startExecution', () => {
  it('.sync: the parent waits for the child, records its ARN in TaskSubmitted and gets DescribeExecution with Output as text', async () => {
    const parent = await create('SyncParent', {
      StartAt: 'Sync',
      States: {
        Sync: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync',
          Parameters: { StateMachineArn: `${SM}Child`, Name: 'served-c1', Input: { value: 1, 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' } },
          End: true,
        },
      },
    });

    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent, name: 'p1' }));
    const done = await until(sfn, executionArn!);

    const childArn = `${EX}Child:served-c1`;
    const child = await sfn.send(new DescribeExecutionCommand({ executionArn: childArn }));
    expect(child.status).toBe('SUCCEEDED');
    expect(JSON.parse(child.input!)).toEqual({ value: 1, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: executionArn });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      ExecutionArn: childArn,
      Input: child.input,
      InputDetails: { Included: true },
      Name: 'served-c1',
      Output: '{"got":1}',
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      StartDate: child.startDate!.getTime(),
      StateMachineArn: `${SM}Child`,
      Status: 'SUCCEEDED',
      StopDate: child.stopDate!.getTime(),
    });
    expect(await types(executionArn!)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const submitted = history.events![4].taskSubmittedEventDetails!;
    expect({ resourceType: submitted.resourceType, resource: submitted.resource }).toEqual({ resourceType: 'states', resource: 'startExecution.sync' });
    expect(JSON.parse(submitted.output!)).toMatchObject({ ExecutionArn: childArn, StartDate: child.startDate!.getTime(), SdkHttpMetadata: { HttpStatusCode: 200 } });
    expect(await types(childArn)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('.sync:2 gives the child output as JSON, and a failed child is caught as States.TaskFailed with DescribeExecution as the cause', async () => {
    const parent = await create('Sync2Parent', {
      StartAt: 'Sync2',
      States: {
        Sync2: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: `${SM}Child`, Input: { value: 2 } }, ResultSelector: { 'out.$': '$.Output' }, ResultPath: '$.sync2', Next: 'Fails' },
        Fails: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: `${SM}Failing`, Name: 'served-f1' },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.caught', Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', Parameters: { 'sync2.$': '$.sync2', 'error.$': '$.caught.Error', 'cause.$': 'States.StringToJson($.caught.Cause)' }, End: true },
      },
    });

    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent, input: '{}' }));
    const done = await until(sfn, executionArn!);

    const failed = await sfn.send(new DescribeExecutionCommand({ executionArn: `${EX}Failing:served-f1` }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      sync2: { out: { got: 2 } },
      error: 'States.TaskFailed',
      cause: {
        Cause: 'it broke',
        Error: 'Child.Broke',
        ExecutionArn: `${EX}Failing:served-f1`,
        Input: {},
        InputDetails: { Included: true },
        Name: 'served-f1',
        RedriveCount: 0,
        RedriveStatus: 'REDRIVABLE',
        StartDate: failed.startDate!.getTime(),
        StateMachineArn: `${SM}Failing`,
        Status: 'FAILED',
        StopDate: failed.stopDate!.getTime(),
      },
    });
  });

  it('stopping the parent stops its .sync child', async () => {
    const parent = await create('StopParent', {
      StartAt: 'Sync',
      States: { Sync: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: `${SM}Waiting`, Name: 'served-w1' }, End: true } },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    for (;;) {
      if ((await types(executionArn!)).includes('TaskSubmitted')) break;
      await new Promise((r) => setTimeout(r, 20));
    }

    await sfn.send(new StopExecutionCommand({ executionArn }));

    expect((await until(sfn, executionArn!)).status).toBe('ABORTED');
    expect((await until(sfn, `${EX}Waiting:served-w1`)).status).toBe('ABORTED');
  });

  it("stopping the parent stops a .sync child started in a Parallel branch", async () => {
    const parent = await create('BranchParent', {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Sync', States: { Sync: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: `${SM}Waiting`, Name: 'served-w2' }, End: true } } },
            { StartAt: 'Idle', States: { Idle: { Type: 'Wait', Seconds: 600, End: true } } },
          ],
          End: true,
        },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    for (;;) {
      if ((await types(executionArn!)).includes('TaskSubmitted')) break;
      await new Promise((r) => setTimeout(r, 20));
    }

    await sfn.send(new StopExecutionCommand({ executionArn }));

    expect((await until(sfn, executionArn!)).status).toBe('ABORTED');
    expect((await until(sfn, `${EX}Waiting:served-w2`)).status).toBe('ABORTED');
  });
});
