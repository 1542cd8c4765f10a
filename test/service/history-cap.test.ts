/** The served/cloud driver fails an execution at its history-event cap exactly as the in-process driver does. */
import type { JsonValue } from '../../lib/asl/json';
import { DEFAULT_MAX_HISTORY_EVENTS } from '../../lib/engine/history-limit';
import { LocalRuntime } from '../../lib/local/runtime';
import { processBatch } from '../../lib/service/batch';
import { CloudDriver } from '../../lib/service/driver';
import type { Frame } from '../../lib/engine/frame';
import type { ExecutionContext } from '../../lib/service/execution-contexts';
import { HistoryCap } from '../../lib/service/history-cap';
import { MemoryStore } from '../../lib/service/memory';
import type { Envelope, ExecutionRecord, FrameVersion } from '../../lib/service/ports';
import { setup } from './memory-cloud';

const loop = { StartAt: 'Again', States: { Again: { Type: 'Choice', Choices: [{ Variable: '$.stop', BooleanEquals: true, Next: 'Done' }], Default: 'Again' }, Done: { Type: 'Succeed' } } };
const mapLoop = {
  StartAt: 'Fan',
  States: { Fan: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Again', States: loop.States }, End: true } },
};
const CAUSE = 'The execution reached the maximum number of history events (50).';

async function run(definition: object, input: JsonValue, maxHistoryEvents?: number) {
  const cloud = setup(maxHistoryEvents !== undefined ? { maxHistoryEvents } : {});
  await cloud.driver.putStateMachine('Loop', JSON.stringify(definition));
  const { executionArn } = await cloud.driver.startExecution(cloud.driver.stateMachineArn('Loop'), { input });
  await cloud.drain();
  const described = await cloud.driver.describeExecution(executionArn);
  const events = await cloud.driver.getExecutionHistory(executionArn);
  return { described, events };
}

describe('history-event cap in the service', () => {
  it('fails a Choice state that loops to itself with the in-process driver’s error and cause', async () => {
    const { described, events } = await run(loop, { stop: false }, 50);
    const local = await new LocalRuntime({ timeScale: 0, maxHistoryEvents: 50 }).startExecution(loop, { input: { stop: false } }).result;
    expect({ status: described.status, error: described.error, cause: described.cause }).toEqual({ status: 'FAILED', error: local.error, cause: local.cause });
    expect({ status: described.status, error: described.error, cause: described.cause }).toEqual({ status: 'FAILED', error: 'States.Runtime', cause: CAUSE });
    const last = events[events.length - 1];
    expect(last).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'States.Runtime', cause: CAUSE } });
    // A commit takes up to four states (eight events) past the check, so the failure lands within a commit of the cap.
    expect(events.length).toBeGreaterThanOrEqual(50);
    expect(events.length).toBeLessThanOrEqual(58);
  });

  it('fails an execution whose Map iterations loop, from a child frame’s transition', async () => {
    const { described, events } = await run(mapLoop, { stop: false, items: [{ stop: false }, { stop: false }] }, 50);
    expect({ status: described.status, error: described.error, cause: described.cause }).toEqual({ status: 'FAILED', error: 'States.Runtime', cause: CAUSE });
    expect(events.filter((e) => e.type === 'ExecutionFailed').length).toBe(1);
  });

  it('fails it in a container that did not see the start (counting from zero, reading the stored count every tenth of the cap)', async () => {
    const cloud = setup({ maxHistoryEvents: 50 });
    await cloud.driver.putStateMachine('Loop', JSON.stringify(loop));
    const { executionArn } = await cloud.driver.startExecution(cloud.driver.stateMachineArn('Loop'), { input: { stop: false } });
    const other = new CloudDriver({ store: cloud.store, queue: cloud.queue, tasks: { run: async () => ({ kind: 'failed', error: 'E' }) }, sleep: async () => {}, maxHistoryEvents: 50 });
    for (let batch = cloud.queue.receive(10); batch.length > 0; batch = cloud.queue.receive(10)) {
      const res = await processBatch(other, cloud.queue, batch.map((b) => ({ messageId: b.id, body: b.body })), { log: () => {} });
      const failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
      for (const b of batch) if (!failed.has(b.id)) cloud.queue.delete(b.id);
    }
    const described = await other.describeExecution(executionArn);
    expect({ status: described.status, error: described.error, cause: described.cause }).toEqual({ status: 'FAILED', error: 'States.Runtime', cause: CAUSE });
    expect((await other.getExecutionHistory(executionArn)).length).toBeLessThanOrEqual(58);
  });

  it('counts only the execution’s own events: a DISTRIBUTED Map’s child executions keep their own histories, as in-process', async () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    };
    const items = Array.from({ length: 30 }, (_, i) => i);
    const cloud = setup({ maxHistoryEvents: 100 });
    let historyReads = 0;
    const all = cloud.store.allFrameVersions.bind(cloud.store);
    cloud.store.allFrameVersions = (arn: string) => (historyReads++, all(arn));
    await cloud.driver.putStateMachine('Fan', JSON.stringify(definition));
    const { executionArn } = await cloud.driver.startExecution(cloud.driver.stateMachineArn('Fan'), { input: { items } });
    await cloud.drain();
    const transitionReads = historyReads;
    const described = await cloud.driver.describeExecution(executionArn);
    const local = await new LocalRuntime({ timeScale: 0, maxHistoryEvents: 100 }).startExecution(definition, { input: { items } }).result;
    // 30 children record 120 events of their own; the parent's 8 stay under a tenth of the cap, so its count is never read back.
    expect({ status: described.status, output: described.output }).toEqual({ status: 'SUCCEEDED', output: items });
    expect(local.status).toBe('SUCCEEDED');
    expect((await cloud.driver.getExecutionHistory(executionArn)).length).toBe(8);
    expect(transitionReads).toBe(0);
  });

  it('lets an execution end normally under the cap', async () => {
    const { described } = await run(loop, { stop: true }, 50);
    expect(described.status).toBe('SUCCEEDED');
  });

  it('defaults to the in-process driver’s 1,000,000 events', async () => {
    expect(DEFAULT_MAX_HISTORY_EVENTS).toBe(1_000_000);
    const { described, events } = await run(loop, { stop: true });
    expect({ status: described.status, events: events.length }).toEqual({ status: 'SUCCEEDED', events: 6 });
  });
});

describe('HistoryCap’s reads of the stored count', () => {
  const ctx = (known: number): ExecutionContext => ({ record: {} as ExecutionRecord, machine: undefined, events: { known, recountAt: 10 } });
  const envelopes: Envelope[] = [{ v: 1, executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e', lc: 0, message: { type: 'Enter', frameId: 'root', entry: 0 } }];
  const version = (events: number): FrameVersion => ({ frame: { id: 'root' } as Frame, lc: 0, at: 0, events: Array.from({ length: events }, () => ({ type: 'PassStateEntered', timestamp: 0 })) });

  it('reads the whole history once when several transitions pass the mark together', async () => {
    const allFrameVersions = jest.fn(async () => [version(12)]);
    const cap = new HistoryCap({ allFrameVersions }, 100);
    const c = ctx(11);
    await Promise.all([cap.check(c, envelopes), cap.check(c, envelopes), cap.check(c, envelopes)]);
    expect(allFrameVersions).toHaveBeenCalledTimes(1);
    expect(c.events).toEqual({ known: 12, recountAt: 22, recount: undefined });
  });

  it('takes the count a store keeps instead of reading every version', async () => {
    const allFrameVersions = jest.fn(async () => [version(12)]);
    const cap = new HistoryCap({ allFrameVersions, historyEventCount: async () => 15 }, 100);
    const c = ctx(11);
    await cap.check(c, envelopes);
    expect(allFrameVersions).not.toHaveBeenCalled();
    expect(c.events).toMatchObject({ known: 15, recountAt: 25 });
  });

  it('MemoryStore keeps the count as versions are written, and counts a restored execution once', async () => {
    const store = new MemoryStore();
    const arn = envelopes[0].executionArn;
    await store.createExecution({ info: { executionArn: arn } } as ExecutionRecord);
    const put = (id: string, v: number, events: number): Promise<boolean> => store.putFrameVersion(arn, { ...version(events), frame: { id, version: v } as Frame });
    await put('root', 1, 3);
    await put('root', 2, 2);
    expect(await put('root', 2, 7)).toBe(false); // a lost conditional put counts nothing
    await put('root/0.0.0', 1, 4);
    expect(await store.historyEventCount(arn)).toBe(9);
    const restored = new MemoryStore();
    for (const r of store.snapshot()) if (r.op === 'restoreFrames') restored.restoreFrames(...(r.args as [string, [string, number, string][]]));
    expect(await restored.historyEventCount(arn)).toBe(9);
    await restored.putFrameVersion(arn, { ...version(5), frame: { id: 'root', version: 3 } as Frame });
    expect(await restored.historyEventCount(arn)).toBe(14);
  });

  it('MemoryStore leaves a DISTRIBUTED Map child execution’s events out of the count, written or restored', async () => {
    const store = new MemoryStore();
    const arn = envelopes[0].executionArn;
    await store.createExecution({ info: { executionArn: arn } } as ExecutionRecord);
    await store.putFrameVersion(arn, { ...version(3), frame: { id: 'root', version: 1 } as Frame });
    const child = { id: 'root/0.0.0', version: 1, execution: { executionArn: `${arn}:child` } } as unknown as Frame;
    await store.putFrameVersion(arn, { ...version(4), frame: child });
    expect(await store.historyEventCount(arn)).toBe(3);
    const restored = new MemoryStore();
    for (const r of store.snapshot()) if (r.op === 'restoreFrames') restored.restoreFrames(...(r.args as [string, [string, number, string][]]));
    expect(await restored.historyEventCount(arn)).toBe(3);
  });
});
