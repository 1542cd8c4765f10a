/**
 * Redriving a Map Run through the official @aws-sdk/client-sfn against
 * `switchyard serve`: RedriveExecution on the parent reruns only the child
 * execution that failed; GetExecutionHistory, DescribeMapRun,
 * DescribeExecution and ListExecutions (redriveFilter, paging) show the
 * redrive as Step Functions does; ListMapRuns pages with a bound nextToken.
 */
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { client, until } from './sfn-client';

jest.setTimeout(30_000);

const ROLE = 'arn:aws:iam::123456789012:role/r';
/** A DISTRIBUTED processor of one Pass state named `name`. */
const passRun = (name: string) => ({ ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });

describe('Map Run redrive through the SDK', () => {
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

  /** Answers the next activity task: success with its input, or a failure for `{ n: 2 }` while `failing`. */
  async function work(activityArn: string, failing: boolean): Promise<void> {
    const task = await sfn.send(new GetActivityTaskCommand({ activityArn }));
    const n = (JSON.parse(task.input!) as { n: number }).n;
    if (failing && n === 2) await sfn.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'Work.Broken', cause: 'broken 2' }));
    else await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: task.input }));
  }

  it('redrives the Map Run of a failed parent: only the failed child runs again, and every API shows the redrive', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'redrive-work' }));
    const definition = JSON.stringify({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          Label: 'Each',
          MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, End: true } } },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'redriven', definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'e1', input: JSON.stringify({ items: [{ n: 1 }, { n: 2 }, { n: 3 }] }) }));
    await work(activityArn!, true);
    await work(activityArn!, true);
    expect((await until(sfn, executionArn!)).status).toBe('FAILED');
    const mapRunArn = (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns![0].mapRunArn!;
    expect(await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).toMatchObject({ status: 'FAILED', redriveCount: 0, executionCounts: { succeeded: 1, failed: 1, total: 3, pendingRedrive: 0 } });

    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    await work(activityArn!, false); // item 2, redriven
    await work(activityArn!, false); // item 3, never started before
    const done = await until(sfn, executionArn!);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE' });
    expect(JSON.parse(done.output!)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

    const parent = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect(parent.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'MapStateEntered'],
      [3, 2, 'MapStateStarted'],
      [4, 3, 'MapRunStarted'],
      [5, 4, 'MapRunFailed'],
      [6, 5, 'MapStateFailed'],
      [7, 6, 'ExecutionFailed'],
      [8, 7, 'ExecutionRedriven'],
      [9, 8, 'MapRunRedriven'],
      [10, 9, 'MapRunSucceeded'],
      [11, 10, 'MapStateSucceeded'],
      [12, 10, 'MapStateExited'],
      [13, 12, 'ExecutionSucceeded'],
    ]);
    expect(parent[8].mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });

    const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    const counts = { pending: 0, running: 0, succeeded: 3, failed: 0, timedOut: 0, aborted: 0, total: 3, resultsWritten: 3, failuresNotRedrivable: 0, pendingRedrive: 0 };
    expect(run).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, itemCounts: counts, executionCounts: counts });
    // Redriven when the parent's redrive reached the Map state.
    expect(run.redriveDate!.getTime()).toBeGreaterThanOrEqual(redriveDate!.getTime());

    const redriven = await sfn.send(new ListExecutionsCommand({ mapRunArn, redriveFilter: 'REDRIVEN' }));
    expect(redriven.executions!.map((e) => [e.status, e.redriveCount])).toEqual([['SUCCEEDED', 1]]);
    expect(redriven.executions![0].redriveDate).toBeInstanceOf(Date);
    const notRedriven = await sfn.send(new ListExecutionsCommand({ mapRunArn, redriveFilter: 'NOT_REDRIVEN' }));
    expect(notRedriven.executions!.map((e) => [e.status, e.redriveCount])).toEqual([
      ['SUCCEEDED', 0],
      ['SUCCEEDED', 0],
    ]);

    const childArn = redriven.executions![0].executionArn!;
    const child = await sfn.send(new DescribeExecutionCommand({ executionArn: childArn }));
    expect(child).toMatchObject({ status: 'SUCCEEDED', mapRunArn, input: '{"n":2}', redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' });
    expect(child.redriveDate).toBeInstanceOf(Date);
    const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: childArn }))).events!;
    expect(history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'ActivityScheduled',
      'ActivityStarted',
      'ActivityFailed',
      'ExecutionFailed',
      'ExecutionRedriven',
      'TaskStateEntered',
      'ActivityScheduled',
      'ActivityStarted',
      'ActivitySucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history[6].executionRedrivenEventDetails).toEqual({ redriveCount: 1 });

    // A Map Run's children page in item order with a token bound to the Map Run and its filters.
    const first = await sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 2 }));
    expect(first.executions!.map((e) => e.redriveCount)).toEqual([0, 1]);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 2, nextToken: first.nextToken }));
    expect(second.executions!.map((e) => e.redriveCount)).toEqual([0]);
    expect(second.nextToken).toBeUndefined();
    await expect(sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 2, redriveFilter: 'NOT_REDRIVEN', nextToken: first.nextToken }))).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('pages ListMapRuns with maxResults and a nextToken that belongs to its execution', async () => {
    const definition = JSON.stringify({
      StartAt: 'A',
      States: {
        A: { Type: 'Map', Label: 'A', ItemProcessor: passRun('A1'), Next: 'B' },
        B: { Type: 'Map', Label: 'B', ItemProcessor: passRun('B1'), Next: 'C' },
        C: { Type: 'Map', Label: 'C', ItemProcessor: passRun('C1'), End: true },
      },
    });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'three-runs', definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'e1', input: '[1]' }));
    const { executionArn: otherArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'e2', input: '[1]' }));
    expect((await until(sfn, executionArn!)).status).toBe('SUCCEEDED');
    expect((await until(sfn, otherArn!)).status).toBe('SUCCEEDED');

    const first = await sfn.send(new ListMapRunsCommand({ executionArn, maxResults: 2 }));
    expect(first.mapRuns!.map((m) => m.stateMachineArn)).toEqual([`${stateMachineArn}/A`, `${stateMachineArn}/B`]);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await sfn.send(new ListMapRunsCommand({ executionArn, maxResults: 2, nextToken: first.nextToken }));
    expect(second.mapRuns!.map((m) => m.stateMachineArn)).toEqual([`${stateMachineArn}/C`]);
    expect(second.nextToken).toBeUndefined();
    expect((await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns).toHaveLength(3);

    await expect(sfn.send(new ListMapRunsCommand({ executionArn: otherArn, maxResults: 2, nextToken: first.nextToken }))).rejects.toMatchObject({ name: 'InvalidToken', message: 'Invalid Token' });
    await expect(sfn.send(new ListMapRunsCommand({ executionArn, nextToken: 'bm90IGEgdG9rZW4' }))).rejects.toMatchObject({ name: 'InvalidToken' });
  });
});
