/**
 * The service starts an INLINE Map's iterations within its child window
 * (CloudDriverOptions.childWindow): each parent version writes a bounded
 * number of child starts, its completions counted out of order stay below
 * the window, and the history and output are the in-process driver's.
 */
import type { Frame } from '../../lib/engine/frame';
import { LocalRuntime } from '../../lib/local/runtime';
import { setup } from './memory-cloud';

const definition = {
  StartAt: 'Each',
  States: { Each: { Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 0, ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } }, End: true } },
};
const input = { items: Array.from({ length: 30 }, (_, i) => i) };

async function run(childWindow: number) {
  const cloud = setup({ childWindow });
  await cloud.driver.putStateMachine('Fan', JSON.stringify(definition));
  const { executionArn } = await cloud.driver.startExecution(cloud.driver.stateMachineArn('Fan'), { input });
  await cloud.drain();
  const root = (await cloud.store.allFrameVersions(executionArn)).filter((v) => v.frame.id === 'root');
  const starts = root.map((v) => (v.outbox?.effects ?? []).flatMap((e) => ((e as { type: string }).type === 'StartFrames' ? (e as { frames: Frame[] }).frames : [])).length);
  return {
    described: await cloud.driver.describeExecution(executionArn),
    events: await cloud.driver.getExecutionHistory(executionArn),
    starts,
    mostAbove: Math.max(...root.map((v) => v.frame.children?.doneAbove?.length ?? 0)),
  };
}

describe('an INLINE Map in the service, within its child window', () => {
  it('starts the window’s iterations first and never more than the window in one version', async () => {
    const { described, starts, mostAbove } = await run(4);
    expect(described.status).toBe('SUCCEEDED');
    expect(described.output).toEqual(input.items.map((v) => ({ v })));
    expect(starts.find((n) => n > 0)).toBe(4);
    expect(starts.reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.max(...starts)).toBeLessThanOrEqual(4);
    expect(mostAbove).toBeLessThan(4);
  });

  it('records the same events as the in-process driver, which starts every iteration at once', async () => {
    const { events } = await run(4);
    const local = await new LocalRuntime({ timeScale: 0 }).startExecution(definition, { input }).result;
    const shape = (e: { type: string } & Record<string, unknown>): string => JSON.stringify({ ...e, id: undefined, previousEventId: undefined, timestamp: undefined });
    // (Past ExecutionStarted, whose role and state machine ARN each driver names its own way.)
    const rest = (list: string[]): string[] => list.filter((e) => !e.includes('"ExecutionStarted"')).sort();
    expect(rest(events.map(shape))).toEqual(rest(local.history.map((e) => shape(e as never))));
    expect(events.filter((e) => e.type === 'MapIterationStarted')).toHaveLength(30);
  });
});
