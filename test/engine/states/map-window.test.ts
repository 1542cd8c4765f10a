/**
 * StepOptions.childWindow: an INLINE Map starts its iterations no further
 * than the window past the first one not yet done, so one step starts at
 * most that many and the frame's out-of-order completions stay below it.
 */
import { compileStateMachine } from '../../../lib/asl/compile';
import type { Frame } from '../../../lib/engine/frame';
import type { ChildCompletedMessage } from '../../../lib/engine/messages';
import { startExecution, step } from '../../../lib/engine/step';
import { executionInfo, T0 } from '../execution-info';

const machine = compileStateMachine({
  StartAt: 'M',
  States: { M: { Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 0, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
});
const items = Array.from({ length: 10 }, (_, i) => i * 10);
const exec = executionInfo({ input: { items } });
const viaJson = (frame: Frame): Frame => JSON.parse(JSON.stringify(frame)) as Frame;
const done = (index: number): ChildCompletedMessage => ({ type: 'ChildCompleted', frameId: 'root', entry: 0, run: 0, index, status: 'SUCCEEDED' });
const startedIds = (effects: readonly unknown[]): string[] => effects.flatMap((e) => ((e as { type: string }).type === 'StartFrames' ? (e as { frames: Frame[] }).frames.map((f) => f.id) : []));

async function entered(childWindow?: number) {
  const { frame } = startExecution(machine, exec);
  return step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0, childWindow !== undefined ? { childWindow } : {});
}

describe('an INLINE Map with a child window', () => {
  it('starts only the window’s iterations when it starts, with MaxConcurrency 0', async () => {
    const started = await entered(3);
    expect(started.events.map((e) => e.type)).toEqual(['MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'MapIterationStarted', 'MapIterationStarted']);
    expect(startedIds(started.effects)).toEqual(['root/0.0.0', 'root/0.0.1', 'root/0.0.2']);
    expect(viaJson(started.frame).children).toMatchObject({ total: 10, started: 3 });
  });

  it('starts no more while the first iteration runs, and the window’s worth once it is done', async () => {
    const started = await entered(3);
    const later = await step(machine, exec, viaJson(started.frame), { type: 'ChildrenCompleted', frameId: 'root', entry: 0, completions: [done(2), done(1)] }, T0, { childWindow: 3 });
    expect(startedIds(later.effects)).toEqual([]);
    expect(later.frame.children).toMatchObject({ started: 3, doneBelow: 0, doneAbove: [1, 2] });
    const first = await step(machine, exec, viaJson(later.frame), done(0), T0, { childWindow: 3 });
    expect(first.events.map((e) => `${e.type} ${JSON.stringify(e.details)}`)).toEqual([
      'MapIterationSucceeded {"name":"M","index":0}',
      'MapIterationStarted {"name":"M","index":3}',
      'MapIterationStarted {"name":"M","index":4}',
      'MapIterationStarted {"name":"M","index":5}',
    ]);
    expect(first.frame.children).toMatchObject({ started: 6, doneBelow: 3, doneAbove: undefined });
  });

  it('keeps the out-of-order completions below the window whatever the item count', async () => {
    let frame = (await entered(4)).frame;
    let most = 0;
    // Every iteration but the first of each window ends first: the worst order for the completion set.
    for (let below = 0; below < items.length; below += 4) {
      for (let i = below + 1; i < Math.min(below + 4, items.length); i++) {
        frame = (await step(machine, exec, viaJson(frame), done(i), T0, { childWindow: 4 })).frame;
        most = Math.max(most, frame.children?.doneAbove?.length ?? 0);
      }
      const r = await step(machine, exec, viaJson(frame), done(below), T0, { childWindow: 4 });
      frame = r.frame;
    }
    expect(most).toBe(3);
    expect(frame.phase).toBe('COLLECTING');
  });

  it('starts every iteration at once without a window (the in-process driver)', async () => {
    const started = await entered();
    expect(startedIds(started.effects)).toHaveLength(10);
  });
});
