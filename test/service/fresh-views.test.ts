/**
 * Two containers (two CloudDriver instances, each with its own caches) on
 * one store and one queue: what one does through the API, the other sees at
 * once — a stop before any message is processed, a redrive in the next
 * transition it runs.
 */
import type { TaskInvocation } from '../../lib/engine/ports/task-runner';
import { processBatch } from '../../lib/service/batch';
import { CloudDriver } from '../../lib/service/driver';
import { MemoryQueue, MemoryStore } from '../../lib/service/memory';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Work';

function containers() {
  let clock = Date.UTC(2026, 10, 1);
  const now = () => clock;
  const store = new MemoryStore();
  const queue = new MemoryQueue(now, 30_000);
  let healed = false;
  const tasks = {
    run: async (inv: TaskInvocation) => {
      const input = inv.parameters as { n: number };
      return input.n === 2 && !healed ? { kind: 'failed' as const, error: 'Work.Broken', cause: 'two' } : { kind: 'succeeded' as const, output: { ok: input.n } };
    },
  };
  const make = () => new CloudDriver({ store, queue, tasks, now, sleep: async () => {}, tokenKey: new Uint8Array(32).fill(7) });
  const drain = async (driver: CloudDriver) => {
    for (let i = 0; i < 1000; i++) {
      const batch = queue.receive(10);
      if (batch.length === 0) {
        const next = queue.nextVisibleAt();
        if (next === undefined) return;
        clock = Math.max(clock, next);
        continue;
      }
      const res = await processBatch(driver, queue, batch.map((b) => ({ messageId: b.id, body: b.body })), { log: () => {} });
      const failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
      for (const b of batch) if (!failed.has(b.id)) queue.delete(b.id);
      clock += 10;
    }
  };
  return { worker: make(), api: make(), queue, drain, heal: () => (healed = true) };
}

describe('views across containers', () => {
  it('shows a stopped execution ABORTED at once, to Describe, List and History in either container', async () => {
    const c = containers();
    const sm = await c.api.putStateMachine('waits', JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }));
    const { executionArn } = await c.api.startExecution(sm.stateMachineArn, { name: 'x' });
    await c.worker.describeExecution(executionArn); // the worker has read (and cached) it running

    await c.api.stopExecution(executionArn, 'Operator', 'enough');

    for (const driver of [c.api, c.worker]) {
      const record = await driver.describeExecution(executionArn);
      expect({ status: record.status, error: record.error, cause: record.cause }).toEqual({ status: 'ABORTED', error: 'Operator', cause: 'enough' });
      expect((await driver.listExecutions(sm.stateMachineArn, { limit: 10 })).executions.map((r) => r.status)).toEqual(['ABORTED']);
      expect((await driver.getExecutionHistory(executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionAborted']);
    }
    // The queued copy of the stop finds it committed: nothing more happens.
    await c.drain(c.worker);
    expect((await c.worker.getExecutionHistory(executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionAborted']);
  });

  it('runs a redrive made through one container with the new redrive count in the other, whose cache held the first run', async () => {
    const c = containers();
    const iteration = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: FN, Parameters: { 'n.$': '$.n' }, ResultPath: null, Next: 'P' },
        P: { Type: 'Pass', Parameters: { 'n.$': '$.n', 'redriveCount.$': '$$.Execution.RedriveCount' }, End: true },
      },
    };
    const sm = await c.api.putStateMachine('again', JSON.stringify({ StartAt: 'Each', States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: iteration, Next: 'After' }, After: { Type: 'Pass', Parameters: { 'items.$': '$', 'redriveCount.$': '$$.Execution.RedriveCount' }, End: true } } }));
    const { executionArn } = await c.api.startExecution(sm.stateMachineArn, { input: { items: [{ n: 1 }, { n: 2 }] } });
    await c.drain(c.worker);
    expect((await c.api.describeExecution(executionArn)).status).toBe('FAILED');

    c.heal();
    await c.api.redriveExecution(executionArn);
    await c.drain(c.worker);

    const record = await c.worker.describeExecution(executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.output).toEqual({ items: [{ n: 1, redriveCount: 0 }, { n: 2, redriveCount: 1 }], redriveCount: 1 });
  });
});
