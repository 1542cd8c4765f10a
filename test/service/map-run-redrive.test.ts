/**
 * Redriving a parent execution whose DISTRIBUTED Map failed redrives its Map
 * Run (developer guide, "Redriving Map Runs in Step Functions executions"):
 * only the child executions that failed, were aborted or timed out run
 * again, each redriven as an execution from the state it ended in; the
 * parent's history records MapRunRedriven; DescribeMapRun shows the redrive.
 */
import type { JsonObject } from '../../lib/asl/json';
import { processBatch } from '../../lib/service/batch';
import type { HistoryEvent } from '../../lib/engine/history';
import type { TaskInvocation } from '../../lib/engine/ports/task-runner';
import { setup } from './memory-cloud';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Work';
const DAY = 86_400_000;

/** Items 0–3; item 1 fails until healed, item 3 never starts before the Map fails (MaxConcurrency 2). */
const DEFINITION = {
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      Label: 'Each',
      MaxConcurrency: 2,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Prepare',
        States: { Prepare: { Type: 'Pass', Next: 'Work' }, Work: { Type: 'Task', Resource: FN, End: true } },
      },
      Next: 'Done',
    },
    Done: { Type: 'Pass', End: true },
  },
};
const ITEMS: JsonObject[] = [{ id: '0' }, { id: '1', fail: true }, { id: '2' }, { id: '3' }];

function cloud() {
  let healed = false;
  const calls: string[] = [];
  const tasks = {
    run: async (inv: TaskInvocation) => {
      const p = inv.parameters as { id: string; fail?: boolean };
      calls.push(p.id);
      if (p.fail && !healed) return { kind: 'failed' as const, error: 'Work.Broken', cause: `broken ${p.id}` };
      return { kind: 'succeeded' as const, output: { done: p.id } };
    },
  };
  const c = setup({ tasks });
  /** Processes one queued message (the SQS event source delivering a batch of one). */
  const stepOne = async () => {
    const [m] = c.queue.receive(1);
    await processBatch(c.driver, c.queue, [{ messageId: m.id, body: m.body }], { log: () => {} });
    c.queue.delete(m.id);
  };
  return { ...c, calls, stepOne, heal: () => (healed = true) };
}

async function failedRun() {
  const c = cloud();
  const sm = await c.driver.putStateMachine('orders', JSON.stringify(DEFINITION));
  const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { name: 'e1', input: ITEMS });
  await c.drain();
  const [run] = (await c.driver.mapRuns.listMapRuns(executionArn, 100)).items;
  return { ...c, executionArn, mapRunArn: run.mapRunArn };
}

const shape = (events: HistoryEvent[]) => events.map((e) => [e.id, e.previousEventId, e.type]);

describe('redriving a Map Run through its parent execution', () => {
  it('reruns only the unsuccessful children, records MapRunRedriven, and the parent and children histories read as Step Functions records them', async () => {
    const c = await failedRun();
    expect(await c.driver.describeExecution(c.executionArn)).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect(c.calls).toEqual(['0', '1']);
    c.calls.length = 0;
    c.heal();

    await c.driver.redriveExecution(c.executionArn);
    await c.drain();

    const done = await c.driver.describeExecution(c.executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: ITEMS.map((i) => ({ done: i.id })) });
    // Item 0 succeeded before and is not run again; 1 is redriven, 2 (aborted before it ran) and 3 (never started) run.
    expect(c.calls.sort()).toEqual(['1', '2', '3']);
    const parent = await c.driver.getExecutionHistory(c.executionArn);
    expect(shape(parent)).toEqual([
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
      [12, 10, 'MapStateExited'], // where MapStateSucceeded links, as Step Functions records it
      [13, 12, 'PassStateEntered'],
      [14, 13, 'PassStateExited'],
      [15, 14, 'ExecutionSucceeded'],
    ]);
    expect(parent[7].executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(parent[8].mapRunRedrivenEventDetails).toEqual({ mapRunArn: c.mapRunArn, redriveCount: 1 });

    const children = (await c.driver.mapRuns.listChildren(c.mapRunArn, { limit: 100 })).items;
    expect(children.map((ch) => [ch.status, ch.redriveCount])).toEqual([
      ['SUCCEEDED', 0],
      ['SUCCEEDED', 1],
      ['SUCCEEDED', 0],
      ['SUCCEEDED', 0],
    ]);
    const redriven = await c.driver.getExecutionHistory(children[1].executionArn);
    expect(shape(redriven)).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'TaskStateEntered'],
      [5, 4, 'LambdaFunctionScheduled'],
      [6, 5, 'LambdaFunctionStarted'],
      [7, 6, 'LambdaFunctionFailed'],
      [8, 7, 'ExecutionFailed'],
      [9, 8, 'ExecutionRedriven'],
      [10, 9, 'TaskStateEntered'],
      [11, 10, 'LambdaFunctionScheduled'],
      [12, 11, 'LambdaFunctionStarted'],
      [13, 12, 'LambdaFunctionSucceeded'],
      [14, 13, 'TaskStateExited'],
      [15, 14, 'ExecutionSucceeded'],
    ]);
    expect(redriven[8].executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    // The child aborted before it ran starts its history when it runs at last.
    expect((await c.driver.getExecutionHistory(children[2].executionArn)).map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const child = await c.driver.describeExecution(children[1].executionArn);
    // Redriven when its Redrive reached it, after the parent's.
    expect(child).toMatchObject({ status: 'SUCCEEDED', mapRunArn: c.mapRunArn, info: { redriveCount: 1 }, redriveDate: redriven[8].timestamp });
    expect(child.redriveDate).toBeGreaterThan(done.redriveDate!);
  });

  it('describes the Map Run failed, then redriven: its redriveCount and redriveDate, and its counts', async () => {
    const c = await failedRun();
    const failed = await c.driver.mapRuns.describeMapRun(c.mapRunArn);
    expect(failed).toMatchObject({ status: 'FAILED', redriveCount: 0 });
    expect(failed.redriveDate).toBeUndefined();
    expect(failed.counts).toEqual({ pending: 0, running: 0, succeeded: 1, failed: 1, timedOut: 0, aborted: 1, total: 4, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });

    c.heal();
    const { redriveDate } = await c.driver.redriveExecution(c.executionArn);
    await c.stepOne(); // the parent's Redrive: the Map Run runs again, its failed children not yet redriven
    const redriving = await c.driver.mapRuns.describeMapRun(c.mapRunArn);
    expect(redriving).toMatchObject({ status: 'RUNNING', redriveCount: 1, redriveDate });
    expect(redriving.stopDate).toBeUndefined();
    expect(redriving.counts).toMatchObject({ succeeded: 1, failed: 1, pendingRedrive: 2, failuresNotRedrivable: 0, total: 4 });

    await c.drain();
    const done = await c.driver.mapRuns.describeMapRun(c.mapRunArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveDate });
    expect(done.counts).toEqual({ pending: 0, running: 0, succeeded: 4, failed: 0, timedOut: 0, aborted: 0, total: 4, resultsWritten: 4, failuresNotRedrivable: 0, pendingRedrive: 0 });
  });

  it('counts the failures a redrive could no longer run again once their 14 days are over', async () => {
    const c = await failedRun();
    c.advance(15 * DAY);
    const run = await c.driver.mapRuns.describeMapRun(c.mapRunArn);
    expect(run.counts).toMatchObject({ failed: 1, aborted: 1, failuresNotRedrivable: 2, pendingRedrive: 0 });
  });

  it('counts the Map Run’s redrives apart from the execution’s: a second redrive that fails after the Map leaves it at one', async () => {
    const c = cloud();
    const definition = { ...DEFINITION, States: { ...DEFINITION.States, Done: { Type: 'Task', Resource: FN, Parameters: { id: 'after', fail: true }, End: true } } };
    const sm = await c.driver.putStateMachine('twice', JSON.stringify(definition));
    const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { name: 'e1', input: ITEMS });
    await c.drain();
    const mapRunArn = (await c.driver.mapRuns.listMapRuns(executionArn, 100)).items[0].mapRunArn;
    c.calls.length = 0;
    await c.driver.redriveExecution(executionArn);
    await c.drain();
    // Item 1 fails again: the Map Run fails on its first redrive.
    expect(await c.driver.mapRuns.describeMapRun(mapRunArn)).toMatchObject({ status: 'FAILED', redriveCount: 1 });
    c.heal();
    await c.driver.redriveExecution(executionArn);
    await c.drain();
    expect(await c.driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', info: { redriveCount: 2 } });
    expect(await c.driver.mapRuns.describeMapRun(mapRunArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2 });
    const redrives = (await c.driver.getExecutionHistory(executionArn)).filter((e) => e.type === 'MapRunRedriven').map((e) => e.mapRunRedrivenEventDetails);
    expect(redrives).toEqual([
      { mapRunArn, redriveCount: 1 },
      { mapRunArn, redriveCount: 2 },
    ]);
    const children = (await c.driver.mapRuns.listChildren(mapRunArn, { limit: 100 })).items;
    expect(children.map((ch) => ch.redriveCount)).toEqual([0, 2, 0, 0]);
  });

  it('holds the children to redrive while the Map Run is at its MaxConcurrency: they are pending redrive, and go before any item that never started', async () => {
    const c = cloud();
    const definition = { ...DEFINITION, States: { ...DEFINITION.States, M: { ...DEFINITION.States.M, MaxConcurrency: 1, ToleratedFailureCount: 2 } } };
    const sm = await c.driver.putStateMachine('limited', JSON.stringify(definition));
    const items: JsonObject[] = [{ id: '0', fail: true }, { id: '1', fail: true }, { id: '2', fail: true }, { id: '3' }];
    const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { name: 'e1', input: items });
    await c.drain();
    const mapRunArn = (await c.driver.mapRuns.listMapRuns(executionArn, 100)).items[0].mapRunArn;
    expect(await c.driver.mapRuns.describeMapRun(mapRunArn)).toMatchObject({ status: 'FAILED', counts: { failed: 3, pending: 0, total: 4 } });
    c.calls.length = 0;
    c.heal();

    await c.driver.redriveExecution(executionArn);
    await c.stepOne(); // the parent's Redrive: the driver finds which children to redrive
    await c.stepOne(); // ChildrenRedriven: one is redriven, two wait
    await c.stepOne(); // the first child's Redrive
    expect((await c.driver.mapRuns.describeMapRun(mapRunArn)).counts).toMatchObject({ running: 1, failed: 2, pendingRedrive: 2, pending: 1, total: 4 });

    await c.drain();
    expect(c.calls).toEqual(['0', '1', '2', '3']);
    expect(await c.driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: items.map((i) => ({ done: i.id })) });
    expect((await c.driver.mapRuns.describeMapRun(mapRunArn)).counts).toMatchObject({ succeeded: 4, pendingRedrive: 0, running: 0 });
    const children = (await c.driver.mapRuns.listChildren(mapRunArn, { limit: 100 })).items;
    expect(children.map((ch) => ch.redriveCount)).toEqual([1, 1, 1, 0]);
  });

  it('writes a redriven child’s record with its RedriveCount when the Map Run’s ResultWriter reports them', async () => {
    const c = cloud();
    const definition = { ...DEFINITION, States: { ...DEFINITION.States, M: { ...DEFINITION.States.M, ResultWriter: { WriterConfig: { Transformation: 'NONE' } } } } };
    const sm = await c.driver.putStateMachine('written', JSON.stringify(definition));
    const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { name: 'e1', input: ITEMS });
    await c.drain();
    c.heal();
    await c.driver.redriveExecution(executionArn);
    await c.drain();
    const done = await c.driver.describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect((done.output as JsonObject[]).map((r) => [r.Status, r.RedriveCount])).toEqual([
      ['SUCCEEDED', 0],
      ['SUCCEEDED', 1],
      ['SUCCEEDED', 0],
      ['SUCCEEDED', 0],
    ]);
  });

  it('lists the Map Run’s children redriven or not with the redrive filter', async () => {
    const c = await failedRun();
    c.heal();
    await c.driver.redriveExecution(c.executionArn);
    await c.drain();
    const all = (await c.driver.mapRuns.listChildren(c.mapRunArn, { limit: 100 })).items.map((ch) => ch.executionArn);
    const redriven = await c.driver.mapRuns.listChildren(c.mapRunArn, { limit: 100, redriven: true });
    const notRedriven = await c.driver.mapRuns.listChildren(c.mapRunArn, { limit: 100, redriven: false });
    expect(redriven.items.map((ch) => ch.executionArn)).toEqual([all[1]]);
    expect(notRedriven.items.map((ch) => ch.executionArn)).toEqual([all[0], all[2], all[3]]);
  });
});
