/**
 * RedriveExecution of executions that ended inside a Parallel or Map state:
 * "For workflows that include an Inline Map or Parallel state,
 * RedriveExecution ... reschedules and redrives only the iterations and
 * branches that failed or aborted."
 */
import type { JsonValue } from '../../lib/asl/json';
import type { TaskInvocation } from '../../lib/engine/ports/task-runner';
import { processBatch } from '../../lib/service/batch';
import { setup } from './memory-cloud';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Work';

/** A cloud whose task fails for inputs with `fail: true` until `heal()`; every invocation is counted by its input. */
function cloud() {
  let healed = false;
  const calls: string[] = [];
  const tasks = {
    run: async (inv: TaskInvocation) => {
      const input = inv.parameters as { id: string; fail?: boolean };
      calls.push(`${inv.stateName}:${input.id}`);
      if (input.fail && !healed) return { kind: 'failed' as const, error: 'Work.Broken', cause: `broken ${input.id}` };
      return { kind: 'succeeded' as const, output: { done: input.id } };
    },
  };
  return { ...setup({ tasks }), calls, heal: () => (healed = true) };
}

async function runToEnd(definition: object, input: JsonValue) {
  const c = cloud();
  const sm = await c.driver.putStateMachine('redrive', JSON.stringify(definition));
  const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { input });
  await c.drain();
  return { ...c, executionArn };
}

describe('RedriveExecution through Parallel and Map', () => {
  it('reruns only the Parallel branches that failed or were aborted, each from the state it ended in', async () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, Parameters: { id: 'a' }, End: true } } },
            {
              StartAt: 'B1',
              States: {
                B1: { Type: 'Task', Resource: FN, Parameters: { id: 'b1' }, ResultPath: null, Next: 'B2' },
                B2: { Type: 'Task', Resource: FN, Parameters: { id: 'b2', fail: true }, End: true },
              },
            },
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 60, Next: 'C' }, C: { Type: 'Task', Resource: FN, Parameters: { id: 'c' }, End: true } } },
          ],
          Next: 'After',
        },
        After: { Type: 'Pass', End: true },
      },
    };
    const c = await runToEnd(definition, {});
    expect(await c.driver.describeExecution(c.executionArn)).toMatchObject({ status: 'FAILED', error: 'Work.Broken', cause: 'broken b2' });
    expect(c.calls.sort()).toEqual(['A:a', 'B1:b1', 'B2:b2']);
    c.calls.length = 0;
    c.heal();
    await c.driver.redriveExecution(c.executionArn);
    await c.drain();
    const done = await c.driver.describeExecution(c.executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: [{ done: 'a' }, { done: 'b2' }, { done: 'c' }] });
    // A is not run again, nor B1 before the task that failed; the aborted Wait waits again.
    expect(c.calls.sort()).toEqual(['B2:b2', 'C:c']);
    const types = (await c.driver.getExecutionHistory(c.executionArn)).map((e) => e.type);
    const after = types.slice(types.indexOf('ExecutionRedriven'));
    expect(after.filter((t) => /^(Task|Wait)StateEntered$|^ParallelStateSucceeded$|^Execution/.test(t))).toEqual([
      'ExecutionRedriven',
      'TaskStateEntered',
      'WaitStateEntered',
      'TaskStateEntered',
      'ParallelStateSucceeded',
      'ExecutionSucceeded',
    ]);
  });

  it('reruns only the Map iterations that failed or never ran, keeping the results of the others in item order', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 2,
          ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } },
          End: true,
        },
      },
    };
    const items: { id: string; fail?: boolean }[] = [{ id: '0' }, { id: '1' }, { id: '2', fail: true }, { id: '3' }, { id: '4' }, { id: '5' }];
    const c = await runToEnd(definition, items as JsonValue);
    expect(await c.driver.describeExecution(c.executionArn)).toMatchObject({ status: 'FAILED', error: 'Work.Broken' });
    const before = [...c.calls];
    expect(before).toContain('Work:2');
    c.calls.length = 0;
    c.heal();
    await c.driver.redriveExecution(c.executionArn);
    await c.drain();
    const done = await c.driver.describeExecution(c.executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: items.map((i) => ({ done: i.id })) });
    expect(done.info.redriveCount).toBe(1);
    // Every item ran exactly once successfully over both runs: none that had succeeded ran again.
    const succeededBefore = before.filter((call) => call !== 'Work:2');
    expect([...succeededBefore, ...c.calls].sort()).toEqual(items.map((i) => `Work:${i.id}`).sort());
    expect(c.calls).toContain('Work:2');
  });

  it('redrives a Parallel nested in a Map iteration down to the branch that failed', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Both',
            States: {
              Both: {
                Type: 'Parallel',
                Branches: [
                  { StartAt: 'L', States: { L: { Type: 'Task', Resource: FN, Parameters: { 'id.$': "States.Format('{}-left', $.id)" }, End: true } } },
                  { StartAt: 'R', States: { R: { Type: 'Task', Resource: FN, Parameters: { 'id.$': "States.Format('{}-right', $.id)", 'fail.$': '$.fail' }, End: true } } },
                ],
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const c = await runToEnd(definition, [{ id: 'x', fail: false }, { id: 'y', fail: true }]);
    expect((await c.driver.describeExecution(c.executionArn)).status).toBe('FAILED');
    c.calls.length = 0;
    c.heal();
    await c.driver.redriveExecution(c.executionArn);
    await c.drain();
    expect(await c.driver.describeExecution(c.executionArn)).toMatchObject({
      status: 'SUCCEEDED',
      output: [
        [{ done: 'x-left' }, { done: 'x-right' }],
        [{ done: 'y-left' }, { done: 'y-right' }],
      ],
    });
    expect(c.calls).toEqual(['R:y-right']);
  });

  it('starts again a branch that was aborted before its first transition', async () => {
    const c = cloud();
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Bad', States: { Bad: { Type: 'Task', Resource: FN, Parameters: { id: 'bad', fail: true }, End: true } } },
            { StartAt: 'Late', States: { Late: { Type: 'Pass', Result: 'late', End: true } } },
          ],
          End: true,
        },
      },
    };
    const sm = await c.driver.putStateMachine('late', JSON.stringify(definition));
    const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, {});
    // The second branch's first message is held back until the Parallel has failed and aborted it.
    let held = false;
    for (let i = 0; i < 100; i++) {
      const batch = c.queue.receive(10);
      if (batch.length === 0) break;
      const run = batch.filter((b) => held || !b.body.includes('"frameId":"root/0.0.1"') || !b.body.includes('"type":"Enter"'));
      held = held || run.length < batch.length;
      await processBatch(c.driver, c.queue, run.map((b) => ({ messageId: b.id, body: b.body })), { log: () => {} });
      for (const b of run) c.queue.delete(b.id);
    }
    expect(held).toBe(true);
    expect((await c.driver.describeExecution(executionArn)).status).toBe('FAILED');
    c.heal();
    await c.driver.redriveExecution(executionArn);
    await c.drain();
    expect(await c.driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: [{ done: 'bad' }, 'late'] });
  });

  it('comes to the same history when every message of the redrive is delivered twice', async () => {
    const definition = {
      StartAt: 'Each',
      States: { Each: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } }, End: true } },
    };
    const items = [{ id: '0' }, { id: '1', fail: true }, { id: '2' }, { id: '3' }];
    const histories: string[][] = [];
    for (const twice of [false, true]) {
      const c = await runToEnd(definition, items as JsonValue);
      c.heal();
      if (twice) {
        const send = c.queue.send.bind(c.queue);
        c.queue.send = async (messages) => send([...messages, ...messages]);
      }
      await c.driver.redriveExecution(c.executionArn);
      await c.drain();
      expect(await c.driver.describeExecution(c.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: items.map((i) => ({ done: i.id })) });
      histories.push((await c.driver.getExecutionHistory(c.executionArn)).map((e) => e.type).sort());
    }
    expect(histories[1]).toEqual(histories[0]);
  });
});
