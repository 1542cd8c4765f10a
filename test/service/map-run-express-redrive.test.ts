/**
 * Redriving a parent execution whose DISTRIBUTED Map runs EXPRESS child
 * workflows: "When you redrive a Map Run, the Express child workflows are
 * rerun using the StartExecution API action" (API reference,
 * RedriveExecution) — each unsuccessful child runs again from the
 * ItemProcessor's first state with its item's input, as a new execution
 * (no ExecutionRedriven, its redrive count 0), while STANDARD children are
 * redriven from the state they ended in (map-run-redrive.test.ts).
 */
import type { JsonObject } from '../../lib/asl/json';
import type { HistoryEvent } from '../../lib/engine/history';
import type { TaskInvocation } from '../../lib/engine/ports/task-runner';
import { setup } from './memory-cloud';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Work';

const definition = (executionType: 'EXPRESS' | 'STANDARD') => ({
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      Label: 'Each',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType },
        StartAt: 'Prepare',
        States: { Prepare: { Type: 'Pass', Parameters: { 'id.$': '$.id', 'fail.$': '$.fail', prepared: true }, Next: 'Work' }, Work: { Type: 'Task', Resource: FN, End: true } },
      },
      End: true,
    },
  },
});
const ITEMS: JsonObject[] = [{ id: '0', fail: false }, { id: '1', fail: true }, { id: '2', fail: false }];

async function failedRun(executionType: 'EXPRESS' | 'STANDARD') {
  let healed = false;
  const calls: string[] = [];
  const tasks = {
    run: async (inv: TaskInvocation) => {
      const p = inv.parameters as { id: string; fail: boolean; prepared: boolean };
      calls.push(`${p.id}:${String(p.prepared)}`);
      if (p.fail && !healed) return { kind: 'failed' as const, error: 'Work.Broken', cause: `broken ${p.id}` };
      return { kind: 'succeeded' as const, output: { done: p.id } };
    },
  };
  const c = setup({ tasks });
  const sm = await c.driver.putStateMachine('orders', JSON.stringify(definition(executionType)));
  const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { name: 'e1', input: ITEMS });
  await c.drain();
  const [run] = (await c.driver.mapRuns.listMapRuns(executionArn, 100)).items;
  return { ...c, executionArn, mapRunArn: run.mapRunArn, calls, heal: () => (healed = true) };
}

const types = (events: HistoryEvent[]) => events.map((e) => e.type);

describe('redriving a Map Run of EXPRESS child workflows', () => {
  it('runs each unsuccessful child again from its first state with its item, as a new execution', async () => {
    const c = await failedRun('EXPRESS');
    expect(await c.driver.describeExecution(c.executionArn)).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    c.calls.length = 0;
    c.heal();

    await c.driver.redriveExecution(c.executionArn);
    await c.drain();

    expect(await c.driver.describeExecution(c.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: ITEMS.map((i) => ({ done: i.id })) });
    // Only item 1 runs again, and from Prepare (its task sees Prepare's output once more).
    expect(c.calls).toEqual(['1:true']);
    const parent = types(await c.driver.getExecutionHistory(c.executionArn));
    expect(parent.slice(parent.indexOf('ExecutionRedriven'))).toEqual(['ExecutionRedriven', 'MapRunRedriven', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    const children = (await c.driver.mapRuns.listChildren(c.mapRunArn, { limit: 100 })).items;
    expect(children.map((ch) => [ch.status, ch.redriveCount])).toEqual([
      ['SUCCEEDED', 0],
      ['SUCCEEDED', 0],
      ['SUCCEEDED', 0],
    ]);
    const rerun = await c.driver.getExecutionHistory(children[1].executionArn);
    const second = types(rerun).lastIndexOf('ExecutionStarted');
    expect(types(rerun).slice(0, second)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed', 'ExecutionFailed',
    ]);
    expect(types(rerun).slice(second)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(rerun[second].executionStartedEventDetails?.input).toBe(JSON.stringify(ITEMS[1]));
    expect(types(rerun)).not.toContain('ExecutionRedriven');
  });

  it('redrives STANDARD children from the state they ended in instead', async () => {
    const c = await failedRun('STANDARD');
    c.calls.length = 0;
    c.heal();
    await c.driver.redriveExecution(c.executionArn);
    await c.drain();
    const children = (await c.driver.mapRuns.listChildren(c.mapRunArn, { limit: 100 })).items;
    expect(children.map((ch) => ch.redriveCount)).toEqual([0, 1, 0]);
    const redriven = types(await c.driver.getExecutionHistory(children[1].executionArn));
    expect(redriven.filter((t) => t === 'ExecutionStarted' || t === 'PassStateEntered')).toEqual(['ExecutionStarted', 'PassStateEntered']);
    expect(redriven).toContain('ExecutionRedriven');
  });
});
