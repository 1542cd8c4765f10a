/** One SQS batch: different frames' records at once, one frame's in order, failures per record. */
import { processBatch } from '../../lib/service/batch';
import { MemoryQueue } from '../../lib/service/memory';
import type { Envelope } from '../../lib/service/ports';
import { setup } from './memory-cloud';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:m:e';

/** A record addressed to `frameId`, its message id naming it. */
function record(id: string, frameId: string) {
  const envelope: Envelope = { v: 1, executionArn: ARN, message: { type: 'Enter', frameId, entry: 0 }, lc: 1 };
  return { messageId: id, body: JSON.stringify(envelope) };
}

/** A driver whose transitions end when the test says (`a1` is frame a's first), noting when each starts and ends. */
function heldDriver(fail: ReadonlySet<string> = new Set()) {
  const log: string[] = [];
  const release = new Map<string, () => void>();
  const process = async ({ message: { frameId } }: Envelope): Promise<void> => {
    log.push(`start ${frameId}`);
    const key = `${frameId}${log.filter((l) => l === `start ${frameId}`).length}`;
    await new Promise<void>((resolve) => release.set(key, resolve));
    log.push(`end ${frameId}`);
    if (fail.has(key)) throw new Error(`transition ${key} failed`);
  };
  return { driver: { process, processGroup: async () => {} }, log, release: (key: string) => release.get(key)!() };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('processBatch', () => {
  const queue = new MemoryQueue(() => 0, 30_000);

  it("processes different frames' records at once and one frame's records one after another, in order", async () => {
    const { driver, log, release } = heldDriver();
    const done = processBatch(driver, queue, [record('1', 'a'), record('2', 'b'), record('3', 'a'), record('4', 'c')], { concurrency: 10, log: () => {} });
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c']); // a's second record waits for its first
    release('a1');
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c', 'end a', 'start a']);
    for (const key of ['b1', 'c1', 'a2']) release(key);
    expect(await done).toEqual({ batchItemFailures: [] });
    expect(log.slice(5)).toEqual(['end b', 'end c', 'end a']);
  });

  it('processes the records one after another by default', async () => {
    const { driver, log, release } = heldDriver();
    const done = processBatch(driver, queue, [record('1', 'a'), record('2', 'b')], { log: () => {} });
    await settle();
    expect(log).toEqual(['start a']);
    release('a1');
    await settle();
    release('b1');
    await done;
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('reports only the failed record of a concurrent batch for redelivery', async () => {
    const { driver, release } = heldDriver(new Set(['b1']));
    const done = processBatch(driver, queue, [record('1', 'a'), record('2', 'b')], { concurrency: 10, log: () => {} });
    await settle();
    release('b1');
    release('a1');
    expect(await done).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('starts nothing more after a fatal error, and throws it once what was running has ended', async () => {
    const { driver, log, release } = heldDriver(new Set(['a1']));
    const fatal = (err: unknown) => err instanceof Error && err.message === 'transition a1 failed';
    const done = processBatch(driver, queue, [record('1', 'a'), record('2', 'b'), record('3', 'c')], { concurrency: 2, log: () => {}, isFatal: fatal });
    await settle();
    release('a1');
    await settle();
    release('b1');
    await expect(done).rejects.toThrow('transition a1 failed');
    expect(log).toEqual(['start a', 'start b', 'end a', 'end b']); // c was never started
  });

  it("waits for a batch's tasks together: a Map of ten tasks at MaxConcurrency 10 has all ten in flight at once", async () => {
    // Arrange: each task ends when all ten have started (or, if they never do, soon after, so the test fails rather than hangs).
    let inFlight = 0;
    let most = 0;
    let allStarted!: () => void;
    const started = new Promise<void>((resolve) => (allStarted = resolve));
    const c = setup(
      {
        tasks: {
          run: async () => {
            most = Math.max(most, ++inFlight);
            if (most === 10) allStarted();
            await Promise.race([started, new Promise((resolve) => setTimeout(resolve, 200))]);
            inFlight--;
            return { kind: 'succeeded', output: 1 };
          },
        },
      },
      { concurrency: 10 },
    );
    const definition = {
      StartAt: 'M',
      States: { M: { Type: 'Map', MaxConcurrency: 10, ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Sleep', End: true } } }, End: true } },
    };
    const sm = await c.driver.putStateMachine('map10', JSON.stringify(definition));
    const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { input: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });

    // Act
    await c.drain();

    // Assert
    expect(most).toBe(10);
    expect(await c.driver.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] });
  });
});
