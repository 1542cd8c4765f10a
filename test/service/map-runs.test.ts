/** ListExecutions of a Map Run's child executions (map-runs.ts): pages in item order that read only the frames they scan. */
import { setup } from './memory-cloud';

const definition = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ToleratedFailurePercentage: 100,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Check',
        States: {
          Check: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Bad' }], Default: 'Good' },
          Bad: { Type: 'Fail', Error: 'Bad' },
          Good: { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
};

/** A finished Map Run of 25 children, every fifth failed, and a counter of the store's frame reads. */
async function finishedRun() {
  const cloud = setup();
  const reads = { latest: 0, under: 0 };
  const latest = cloud.store.latestFrame.bind(cloud.store);
  const under = cloud.store.framesUnder.bind(cloud.store);
  await cloud.driver.putStateMachine('fan', JSON.stringify(definition));
  const items = Array.from({ length: 25 }, (_, i) => ({ fail: i % 5 === 0 }));
  const { executionArn } = await cloud.driver.startExecution(cloud.driver.stateMachineArn('fan'), { input: { items } });
  await cloud.drain();
  const started = (await cloud.driver.getExecutionHistory(executionArn)).find((e) => e.type === 'MapRunStarted');
  const mapRunArn = (started?.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
  cloud.store.latestFrame = (arn: string, id: string) => (reads.latest++, latest(arn, id));
  cloud.store.framesUnder = (arn: string, prefix: string) => (reads.under++, under(arn, prefix));
  return { cloud, mapRunArn, reads };
}

/** The children's statuses, in the order listed. */
function statuses(items: { status: string }[]): string[] {
  return items.map((c) => c.status);
}

describe('MapRuns.listChildren', () => {
  it('pages the children in item order, reading only the frames each page scans (at least 25 at a time), never all of them', async () => {
    const { cloud, mapRunArn, reads } = await finishedRun();
    const pages: string[][] = [];
    const perPage: number[] = [];
    let token: string | undefined;
    do {
      const before = reads.latest;
      const page = await cloud.driver.mapRuns.listChildren(mapRunArn, { limit: 10 }, token);
      pages.push(statuses(page.items));
      perPage.push(reads.latest - before);
      token = page.nextToken;
    } while (token !== undefined);
    const pattern = ['FAILED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED'];
    expect(pages).toEqual([[...pattern, ...pattern], [...pattern, ...pattern], pattern]);
    expect(perPage).toEqual([25, 15, 5]);
    expect(reads.under).toBe(0);
  });

  it('filters by status with a token only when another match follows', async () => {
    const { cloud, mapRunArn } = await finishedRun();
    const first = await cloud.driver.mapRuns.listChildren(mapRunArn, { limit: 2, status: 'FAILED' });
    const second = await cloud.driver.mapRuns.listChildren(mapRunArn, { limit: 2, status: 'FAILED' }, first.nextToken);
    const third = await cloud.driver.mapRuns.listChildren(mapRunArn, { limit: 2, status: 'FAILED' }, second.nextToken);
    expect([first, second, third].map((p) => [p.items.map((c) => c.name), p.nextToken !== undefined])).toEqual([
      [[expect.any(String), expect.any(String)], true],
      [[expect.any(String), expect.any(String)], true],
      [[expect.any(String)], false],
    ]);
    const all = await cloud.driver.mapRuns.listChildren(mapRunArn, { limit: 100 });
    const failedNames = all.items.filter((c) => c.status === 'FAILED').map((c) => c.name);
    expect([first, second, third].flatMap((p) => p.items.map((c) => c.name))).toEqual(failedNames);
    expect(failedNames).toHaveLength(5);
    expect(all.nextToken).toBeUndefined();
  });
});
