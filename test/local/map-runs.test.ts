/**
 * Distributed Map as Step Functions runs it, through the official
 * @aws-sdk/client-sfn against `switchyard serve`: ListMapRuns and
 * DescribeMapRun (counts after failures under the tolerance), UpdateMapRun
 * raising MaxConcurrency while the Map runs, each iteration a child execution
 * with its own DescribeExecution and history, and ListExecutions by mapRunArn.
 */
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineForExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  UpdateMapRunCommand,
} from '@aws-sdk/client-sfn';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { client, until } from './sfn-client';
import { CHECK_PROCESSOR } from './check-processor';

jest.setTimeout(30_000);

const ROLE = 'arn:aws:iam::123456789012:role/r';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const CHECKED = JSON.stringify({
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      ItemsPath: '$.items',
      Label: 'Each',
      MaxConcurrency: 2,
      ToleratedFailureCount: 1,
      ItemProcessor: CHECK_PROCESSOR,
      End: true,
    },
  },
});

describe('Map Runs through the SDK', () => {
  let server: LocalServer;
  let sfn: SFNClient;
  beforeAll(async () => {
    server = await startLocalServer({ port: 0 });
    sfn = client(server.url);
  });
  afterAll(async () => {
    sfn?.destroy();
    await server?.close();
  });

  it('describes a Map Run that tolerated a failure, its child executions and their histories', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'checked', definition: CHECKED, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'e1', input: JSON.stringify({ items: [{ n: 1 }, { n: -1 }, { n: 3 }] }) }));
    expect((await until(sfn, executionArn!)).status).toBe('SUCCEEDED');

    const parent = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(parent.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    const mapRunArn = parent.events![3].mapRunStartedEventDetails!.mapRunArn!;
    expect(mapRunArn).toMatch(new RegExp(`^arn:aws:states:us-east-1:123456789012:mapRun:checked/Each:${UUID}$`));

    const runs = await sfn.send(new ListMapRunsCommand({ executionArn }));
    expect(runs.mapRuns).toEqual([{ executionArn, mapRunArn, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:checked/Each', startDate: expect.any(Date), stopDate: expect.any(Date) }]);

    const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    const counts = { pending: 0, running: 0, succeeded: 2, failed: 1, timedOut: 0, aborted: 0, total: 3, resultsWritten: 2, failuresNotRedrivable: 0, pendingRedrive: 0 };
    expect(run).toMatchObject({ mapRunArn, executionArn, status: 'SUCCEEDED', maxConcurrency: 2, toleratedFailureCount: 1, toleratedFailurePercentage: 0, itemCounts: counts, executionCounts: counts, redriveCount: 0 });
    expect(run.startDate).toBeInstanceOf(Date);
    expect(run.stopDate).toBeInstanceOf(Date);

    const children = await sfn.send(new ListExecutionsCommand({ mapRunArn }));
    expect(children.executions!.map((c) => [c.status, c.mapRunArn, c.stateMachineArn])).toEqual([
      ['SUCCEEDED', mapRunArn, 'arn:aws:states:us-east-1:123456789012:stateMachine:checked/Each'],
      ['FAILED', mapRunArn, 'arn:aws:states:us-east-1:123456789012:stateMachine:checked/Each'],
      ['SUCCEEDED', mapRunArn, 'arn:aws:states:us-east-1:123456789012:stateMachine:checked/Each'],
    ]);
    const failedArn = children.executions![1].executionArn!;
    expect(failedArn).toMatch(new RegExp(`^arn:aws:states:us-east-1:123456789012:execution:checked/Each:${UUID}$`));

    const failed = await sfn.send(new DescribeExecutionCommand({ executionArn: failedArn }));
    expect(failed).toMatchObject({ executionArn: failedArn, mapRunArn, status: 'FAILED', input: '{"n":-1}', error: 'Negative', cause: 'n < 0', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:checked/Each' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: failedArn }));
    expect(history.events!.map((e) => [e.type, e.id, e.previousEventId])).toEqual([
      ['ExecutionStarted', 1, 0],
      ['ChoiceStateEntered', 2, 0],
      ['ChoiceStateExited', 3, 2],
      ['FailStateEntered', 4, 3],
      ['ExecutionFailed', 5, 4],
    ]);
    expect(history.events![0].executionStartedEventDetails!.input).toBe('{"n":-1}');
    expect(history.events![4].executionFailedEventDetails).toEqual({ error: 'Negative', cause: 'n < 0' });

    const machine = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: failedArn }));
    expect(machine.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:checked/Each');
    expect(JSON.parse(machine.definition!)).toEqual({ StartAt: 'Check', States: JSON.parse(CHECKED).States.M.ItemProcessor.States });
  });

  it('raises MaxConcurrency of a running Map Run with UpdateMapRun, and the Map starts more iterations at once', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'map-work' }));
    const definition = JSON.stringify({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, End: true } } },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'throttled', definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'e1', input: JSON.stringify({ items: [1, 2, 3] }) }));
    const first = await sfn.send(new GetActivityTaskCommand({ activityArn }));
    const runs = await sfn.send(new ListMapRunsCommand({ executionArn }));
    const mapRunArn = runs.mapRuns![0].mapRunArn!;
    const before = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(before).toMatchObject({ status: 'RUNNING', maxConcurrency: 1, executionCounts: { pending: 2, running: 1, succeeded: 0, total: 3 } });

    await sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 3, toleratedFailureCount: 2 }));
    // With the first task still held, the other two iterations start only because MaxConcurrency is now 3.
    const second = await sfn.send(new GetActivityTaskCommand({ activityArn }));
    const third = await sfn.send(new GetActivityTaskCommand({ activityArn }));
    const during = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(during).toMatchObject({ status: 'RUNNING', maxConcurrency: 3, toleratedFailureCount: 2, executionCounts: { pending: 0, running: 3, succeeded: 0, total: 3 } });

    for (const task of [first, second, third]) await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: task.input }));
    const done = await until(sfn, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([1, 2, 3]);
    expect(await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).toMatchObject({ status: 'SUCCEEDED', executionCounts: { succeeded: 3, running: 0, total: 3 } });
  });
});
