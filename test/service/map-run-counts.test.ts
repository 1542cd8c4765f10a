/**
 * DescribeMapRun's counts (map-run-counts.ts) in a few store reads however
 * many children the Map Run has: exact once the run ended, and under way
 * exact as of the Map's last collection of completions.
 */
import type { JsonObject } from '../../lib/asl/json';
import { processBatch } from '../../lib/service/batch';
import { MemoryStore } from '../../lib/service/memory';
import { setup } from './memory-cloud';

/** A DISTRIBUTED Map whose children pass at once, or (`wait`) fail when the item says so and otherwise wait its `wait` seconds. */
function definition(processor: 'pass' | 'wait', extra: Record<string, unknown> = {}) {
  const States =
    processor === 'pass'
      ? { Work: { Type: 'Pass', End: true } }
      : {
          Check: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.fail', IsPresent: true }, { Variable: '$.fail', BooleanEquals: true }], Next: 'Bad' }], Default: 'Work' },
          Bad: { Type: 'Fail', Error: 'Bad' },
          Work: { Type: 'Wait', SecondsPath: '$.wait', End: true },
        };
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ...extra,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: processor === 'pass' ? 'Work' : 'Check', States },
        End: true,
      },
    },
  };
}

/** Counts every read the store answers while `on`, and the frame versions and values they return. */
function countingStore() {
  const store = new MemoryStore();
  const reads = { calls: 0, items: 0, on: false };
  for (const name of ['latestFrame', 'framesUnder', 'allFrameVersions', 'frameVersions', 'getValue', 'getExecution', 'childCompletions', 'hasFrameVersion'] as const) {
    const read = (store[name] as (...args: unknown[]) => Promise<unknown>).bind(store);
    (store as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      if (reads.on) reads.calls++;
      const out = await read(...args);
      if (reads.on) reads.items += Array.isArray(out) ? out.length : out === undefined ? 0 : 1;
      return out;
    };
  }
  return { store, reads };
}

async function mapRunOf(driver: ReturnType<typeof setup>['driver'], executionArn: string): Promise<string> {
  return (await driver.mapRuns.listMapRuns(executionArn, 10)).items[0].mapRunArn;
}

describe('DescribeMapRun counts', () => {
  it('describes a 10,000-child Map Run in a constant number of reads, while it runs and once it ended', async () => {
    const { store, reads } = countingStore();
    const cloud = setup({ store });
    await cloud.driver.putStateMachine('wide', JSON.stringify(definition('pass', { MaxConcurrency: 1000 })));
    const items = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    const { executionArn } = await cloud.driver.startExecution(cloud.driver.stateMachineArn('wide'), { input: { items } });
    for (let i = 0; i < 300; i++) {
      const batch = cloud.queue.receive(10);
      await processBatch(cloud.driver, cloud.queue, batch.map((b) => ({ messageId: b.id, body: b.body })), { log: () => {} });
      for (const b of batch) cloud.queue.delete(b.id);
    }
    const mapRunArn = await mapRunOf(cloud.driver, executionArn);
    const metered = async <T>(read: () => Promise<T>) => {
      Object.assign(reads, { calls: 0, items: 0, on: true });
      const d = await read();
      reads.on = false;
      return { d, calls: reads.calls, items: reads.items };
    };
    const measure = () => metered(() => cloud.driver.mapRuns.describeMapRun(mapRunArn));
    const mid = await measure();
    await cloud.drain();
    const end = await measure();
    const listed = await metered(() => cloud.driver.mapRuns.listMapRuns(executionArn, 10));
    process.stdout.write(
      `describe-map-run: children=10000 running reads=${mid.calls} items=${mid.items} ended reads=${end.calls} items=${end.items}; list-map-runs reads=${listed.calls} items=${listed.items}\n`,
    );
    expect(listed.d.items.map((m) => m.mapRunArn)).toEqual([mapRunArn]);
    expect(listed.items).toBeLessThanOrEqual(10);
    expect(mid.d.status).toBe('RUNNING');
    const c = mid.d.counts;
    expect(c.total).toBe(10_000);
    expect(c.succeeded).toBeGreaterThan(0);
    expect(c.pending + c.running + c.succeeded + c.failed + c.aborted).toBe(10_000);
    expect(c.running).toBeLessThanOrEqual(1000);

    expect(end.d).toMatchObject({ status: 'SUCCEEDED', maxConcurrency: 1000 });
    expect(end.d.counts).toEqual({ pending: 0, running: 0, succeeded: 10_000, failed: 0, timedOut: 0, aborted: 0, total: 10_000, resultsWritten: 10_000, failuresNotRedrivable: 0, pendingRedrive: 0 });
    // Reading every child would be 10,000 frame versions at least.
    for (const m of [mid, end]) {
      expect(m.calls).toBeLessThanOrEqual(8);
      expect(m.items).toBeLessThanOrEqual(8);
    }
  }, 120_000);

  it('counts completions as the Map collects them, and every child exactly once the run is aborted', async () => {
    const cloud = setup();
    // MaxConcurrency 5: item 0 fails (tolerated) and frees a slot for 5; 1 and 2 end after a second, 3–5 wait longer.
    await cloud.driver.putStateMachine('some', JSON.stringify(definition('wait', { MaxConcurrency: 5, ToleratedFailureCount: 1 })));
    const items: JsonObject[] = [{ fail: true }, { wait: 1 }, { wait: 1 }, { wait: 100 }, { wait: 100 }, { wait: 100 }];
    const { executionArn } = await cloud.driver.startExecution(cloud.driver.stateMachineArn('some'), { input: { items } });
    await cloud.drain(true);
    const mapRunArn = await mapRunOf(cloud.driver, executionArn);
    expect((await cloud.driver.mapRuns.describeMapRun(mapRunArn)).counts).toEqual({ pending: 0, running: 5, succeeded: 0, failed: 1, timedOut: 0, aborted: 0, total: 6, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });

    cloud.advance(1000);
    await cloud.drain(true);
    expect((await cloud.driver.mapRuns.describeMapRun(mapRunArn)).counts).toEqual({ pending: 0, running: 3, succeeded: 2, failed: 1, timedOut: 0, aborted: 0, total: 6, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });

    await cloud.driver.stopExecution(executionArn);
    await cloud.drain(true);
    const stopped = await cloud.driver.mapRuns.describeMapRun(mapRunArn);
    expect(stopped.status).toBe('ABORTED');
    expect(stopped.counts).toEqual({ pending: 0, running: 0, succeeded: 2, failed: 1, timedOut: 0, aborted: 3, total: 6, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });
  });

  it('counts every child as it ended when the run fails past its tolerance, completions not yet collected included', async () => {
    const cloud = setup();
    await cloud.driver.putStateMachine('fails', JSON.stringify(definition('wait', { MaxConcurrency: 0, ToleratedFailureCount: 0 })));
    const items: JsonObject[] = [{ wait: 0 }, { fail: true }, { wait: 0 }, { wait: 50 }];
    const { executionArn } = await cloud.driver.startExecution(cloud.driver.stateMachineArn('fails'), { input: { items } });
    await cloud.drain();
    const mapRunArn = await mapRunOf(cloud.driver, executionArn);
    const d = await cloud.driver.mapRuns.describeMapRun(mapRunArn);
    expect(d.status).toBe('FAILED');
    // The ground truth: each child execution's own status.
    const children = (await cloud.driver.mapRuns.listChildren(mapRunArn, { limit: 100 })).items.map((ch) => ch.status);
    const count = (s: string) => children.filter((x) => x === s).length;
    expect(d.counts).toEqual({ pending: 0, running: 0, succeeded: count('SUCCEEDED'), failed: 1, timedOut: 0, aborted: count('ABORTED'), total: 4, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });
    expect(count('SUCCEEDED') + count('FAILED') + count('ABORTED')).toBe(4);
  });
});
