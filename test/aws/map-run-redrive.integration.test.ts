/**
 * Redriving a Map Run in the cloud driver on the loopback fixture (DynamoStore
 * on dynalite, SqsQueue on fauxqs, lambda/transition.ts on real SQS events):
 * the parent's and every child execution's whole history equal those the
 * service on the in-memory ports (what `switchyard serve` runs) records for
 * the same run, event by event, and DescribeMapRun shows the redrive alike.
 */
import type { JsonObject } from '../../lib/asl/json';
import type { HistoryEvent } from '../../lib/engine/history';
import type { TaskInvocation } from '../../lib/engine/ports/task-runner';
import type { CloudDriver } from '../../lib/service/driver';
import type { LambdaHandler } from '../../lib/local/tasks/handlers-file';
import { lambdaError } from '../../lib/local/tasks/lambda-runner';
import { startCloud, waitForEnd, type CloudFixture } from '../../harness/fixture';
import { setup } from '../service/memory-cloud';

jest.setTimeout(60_000);

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Work';
/** Item 2 fails until healed; MaxConcurrency 1 makes the order of the children the same on every driver. */
const definition = (executionType: 'STANDARD' | 'EXPRESS') => ({
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      Label: 'Each',
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType },
        StartAt: 'Prepare',
        States: { Prepare: { Type: 'Pass', Next: 'Work' }, Work: { Type: 'Task', Resource: FN, End: true } },
      },
      Next: 'Done',
    },
    Done: { Type: 'Pass', End: true },
  },
});
const ITEMS: JsonObject[] = [{ n: 1 }, { n: 2 }, { n: 3 }];

/** The function's error, with a stack that reads the same wherever it is thrown. */
const broken = (): Error => Object.assign(new Error('broken 2'), { stack: 'Error: broken 2' });
let healed = false;
const handlers = new Map<string, LambdaHandler>([
  ['Work', async (event) => {
    if ((event as { n: number }).n === 2 && !healed) throw broken();
    return event;
  }],
]);

/** An event without its timestamp, which differs between runs. */
function comparable(e: HistoryEvent): Record<string, unknown> {
  const { timestamp: _t, ...rest } = e;
  return rest;
}

/** The parent's history, each child's (in item order), and the Map Run as DescribeMapRun gives it (dates left out). */
async function histories(driver: CloudDriver, executionArn: string) {
  const parent = (await driver.getExecutionHistory(executionArn)).map(comparable);
  const mapRunArn = (await driver.mapRuns.listMapRuns(executionArn, 100)).items[0].mapRunArn;
  const children = (await driver.mapRuns.listChildren(mapRunArn, { limit: 100 })).items;
  const childHistories = await Promise.all(children.map(async (c) => (await driver.getExecutionHistory(c.executionArn)).map(comparable)));
  const { startDate: _s, stopDate: _e, redriveDate, ...run } = await driver.mapRuns.describeMapRun(mapRunArn);
  return { parent, childHistories, run, redriven: redriveDate !== undefined, children: children.map((c) => [c.status, c.redriveCount]) };
}

let fx: CloudFixture;
beforeAll(async () => {
  fx = await startCloud(handlers);
});
afterAll(async () => {
  await fx?.stop();
});

// STANDARD children are redriven from the state they ended in; EXPRESS ones run again from their first state.
describe.each([
  ['STANDARD', 1],
  ['EXPRESS', 0],
] as const)('Map Run redrive of %s children in the cloud driver on dynalite + fauxqs', (executionType, childRedrives) => {
  it('records the same parent and child histories as the service on the in-memory ports', async () => {
    const DEFINITION = definition(executionType);
    // The cloud: fail, heal, redrive.
    healed = false;
    const d = fx.cloud.driver;
    const sm = await d.putStateMachine('MapRedrive', JSON.stringify(DEFINITION));
    const { executionArn } = await d.startExecution(sm.stateMachineArn, { name: `r1-${executionType}`, input: ITEMS });
    expect((await waitForEnd(fx.observer, executionArn)).status).toBe('FAILED');
    healed = true;
    await d.redriveExecution(executionArn);
    expect((await waitForEnd(fx.observer, executionArn)).status).toBe('SUCCEEDED');
    const cloud = await histories(fx.observer.driver, executionArn);

    // The same run on the in-memory ports.
    let memoryHealed = false;
    const tasks = {
      run: async (inv: TaskInvocation) => {
        const n = (inv.parameters as { n: number }).n;
        // The failure as the cloud's Lambda runner reports the function's error.
        return n === 2 && !memoryHealed ? { kind: 'failed' as const, ...lambdaError(broken()) } : { kind: 'succeeded' as const, output: inv.parameters };
      },
    };
    const m = setup({ tasks });
    const msm = await m.driver.putStateMachine('MapRedrive', JSON.stringify(DEFINITION));
    const started = await m.driver.startExecution(msm.stateMachineArn, { name: `r1-${executionType}`, input: ITEMS });
    await m.drain();
    memoryHealed = true;
    await m.driver.redriveExecution(started.executionArn);
    await m.drain();
    const memory = await histories(m.driver, started.executionArn);

    expect(cloud.parent.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapRunStarted',
      'MapRunFailed',
      'MapStateFailed',
      'ExecutionFailed',
      'ExecutionRedriven',
      'MapRunRedriven',
      'MapRunSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(cloud.children).toEqual([
      ['SUCCEEDED', 0],
      ['SUCCEEDED', childRedrives],
      ['SUCCEEDED', 0],
    ]);
    expect(cloud.run).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, counts: { succeeded: 3, failed: 0, total: 3, pendingRedrive: 0, failuresNotRedrivable: 0 } });
    expect(cloud.redriven).toBe(true);
    // Event by event: details, ids and links (the ARNs derive from the execution's, the same on both).
    expect(cloud).toEqual(memory);
  });
});
