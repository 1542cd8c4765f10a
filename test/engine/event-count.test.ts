/**
 * Frames count the events they record, with their counted children's, so a
 * driver that numbers history only when it is read (the service) still
 * quotes a state's entered event id in evaluation errors where it is exact.
 */
import { compileStateMachine } from '../../lib/asl/compile';
import type { Effect } from '../../lib/engine/effects';
import { countedNextEventId, eventsForParent, plusEvents, startsHistory } from '../../lib/engine/event-count';
import type { Frame } from '../../lib/engine/frame';
import type { ChildCompletedMessage, Message } from '../../lib/engine/messages';
import { startExecution, step, type StepResult } from '../../lib/engine/step';
import { executionInfo, T0 } from './execution-info';

const info = executionInfo();
const BAD = "Invalid path '$.missing' : No results for path: $['missing']";
const branch = (name: string, extra: object = {}) => ({ StartAt: name, States: { [name]: { Type: 'Pass', End: true, ...extra } } });

/** Steps `frame` through `message`, as a driver that passes no nextEventId (the service) does. */
const stepped = (machine: ReturnType<typeof compileStateMachine>, frame: Frame, message: Message): Promise<StepResult> => step(machine, info, frame, message, T0, { maxStates: 10 });
const started = (effects: readonly Effect[]): Frame[] => effects.flatMap((e) => (e.type === 'StartFrames' ? e.frames : []));
const completion = (effects: readonly Effect[]): ChildCompletedMessage => effects.flatMap((e) => (e.type === 'Deliver' && e.message.type === 'ChildCompleted' ? [e.message] : []))[0];
const failedCause = (r: StepResult) => (r.events.find((e) => e.type === 'ExecutionFailed')?.details as { cause?: string } | undefined)?.cause;

describe('event counts', () => {
  it('add up, and are unknown when either side is', () => {
    expect([plusEvents(3, 2), plusEvents(undefined, 2), plusEvents(3, undefined)]).toEqual([5, undefined, undefined]);
  });

  it('number a history’s first frame only: the root or a child execution’s own frame', () => {
    const execution = { arn: 'arn:aws:states:us-east-1:123456789012:execution:M/run:c', frameId: 'root/1.0.0', mapRunArn: 'arn:run' };
    expect(startsHistory({ id: 'root' })).toBe(true);
    expect(startsHistory({ id: 'root/1.0.0', parentId: 'root', execution })).toBe(true);
    expect(startsHistory({ id: 'root/1.0.0/1.0.0', parentId: 'root/1.0.0', execution })).toBe(false);
    expect(startsHistory({ id: 'root/1.0.1', parentId: 'root' })).toBe(false);
    expect([countedNextEventId({ id: 'root' }, 4), countedNextEventId({ id: 'root' }, undefined), countedNextEventId({ id: 'root/1.0.1', parentId: 'root' }, 4)]).toEqual([5, undefined, undefined]);
    // A child execution's events are in a history of its own: none in its parent's.
    expect([eventsForParent({ id: 'root/1.0.0', parentId: 'root', execution }, 7), eventsForParent({ id: 'root/1.0.1', parentId: 'root' }, 7)]).toEqual([0, 7]);
  });

  it('quote the root’s entered event without nextEventId, and add a branch’s events once its completion is counted', async () => {
    const machine = compileStateMachine({ StartAt: 'Fan', States: { Fan: { Type: 'Parallel', Branches: [branch('One'), branch('Two')], Next: 'Bad' }, Bad: { Type: 'Pass', InputPath: '$.missing', End: true } } });
    const start = startExecution(machine, info);
    expect(start.frame.recordedEvents).toBe(1);
    const fan = await stepped(machine, start.frame, { type: 'Enter', frameId: 'root', entry: 0 });
    expect([fan.frame.recordedEvents, fan.frame.enteredEventId]).toEqual([3, 2]); // ParallelStateEntered (2), ParallelStateStarted
    const [one, two] = started(fan.effects);
    expect([one.recordedEvents, two.recordedEvents]).toEqual([0, 0]);
    const branchOne = await stepped(machine, one, { type: 'Enter', frameId: one.id, entry: 0 });
    // Inside a branch the id is not known where history is numbered when read.
    expect([branchOne.frame.enteredEventId, branchOne.frame.recordedEvents, completion(branchOne.effects).events]).toEqual([undefined, 2, 2]);
    const branchTwo = await stepped(machine, two, { type: 'Enter', frameId: two.id, entry: 0 });

    const first = await stepped(machine, fan.frame, completion(branchOne.effects));
    expect(first.frame.recordedEvents).toBe(5);
    const again = await stepped(machine, first.frame, completion(branchOne.effects));
    expect(again.changed).toBe(false); // a duplicate completion is not counted twice
    const second = await stepped(machine, first.frame, completion(branchTwo.effects));
    expect(second.frame.recordedEvents).toBe(7);
    const collected = await stepped(machine, second.frame, { type: 'ChildrenCollected', frameId: 'root', entry: second.frame.entry, run: 0, outputs: [{}, {}] } as Message);
    // ParallelStateSucceeded (8), ParallelStateExited (9), PassStateEntered (10), ExecutionFailed (11)
    expect(failedCause(collected)).toBe(`An error occurred while executing the state 'Bad' (entered at the event id #10). ${BAD}`);
    expect(collected.frame.recordedEvents).toBe(11);
  });

  it('place a child started as its parent’s only one running after the parent’s count, and no child that has company', async () => {
    const bad = { StartAt: 'Bad', States: { Bad: { Type: 'Pass', InputPath: '$.missing', End: true } } };
    const solo = compileStateMachine({ StartAt: 'Solo', States: { Solo: { Type: 'Parallel', Branches: [bad], End: true } } });
    const fan = await stepped(solo, startExecution(solo, info).frame, { type: 'Enter', frameId: 'root', entry: 0 });
    const [child] = started(fan.effects);
    expect(child.precedingEvents).toBe(3); // ExecutionStarted, ParallelStateEntered, ParallelStateStarted
    const failed = await stepped(solo, child, { type: 'Enter', frameId: child.id, entry: 0 });
    expect(completion(failed.effects).cause).toBe(`An error occurred while executing the state 'Bad' (entered at the event id #4). ${BAD}`);

    const pair = compileStateMachine({ StartAt: 'Pair', States: { Pair: { Type: 'Parallel', Branches: [bad, branch('Other')], End: true } } });
    const both = started((await stepped(pair, startExecution(pair, info).frame, { type: 'Enter', frameId: 'root', entry: 0 })).effects);
    expect(both.map((f) => f.precedingEvents)).toEqual([undefined, undefined]);
    expect(completion((await stepped(pair, both[0], { type: 'Enter', frameId: both[0].id, entry: 0 })).effects).cause).toBe(BAD);
  });

  it('are lost by a frame that aborts its children, and by a parent that counts a completion without a count', async () => {
    const machine = compileStateMachine({
      StartAt: 'Fan',
      States: {
        Fan: { Type: 'Parallel', Branches: [branch('Hold', { Type: 'Wait', Seconds: 100 }), { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom' } } }], Catch: [{ ErrorEquals: ['Boom'], Next: 'Bad' }], End: true },
        Bad: { Type: 'Pass', InputPath: '$.missing', End: true },
      },
    });
    const fan = await stepped(machine, startExecution(machine, info).frame, { type: 'Enter', frameId: 'root', entry: 0 });
    const boom = started(fan.effects)[1];
    const failed = await stepped(machine, fan.frame, completion((await stepped(machine, boom, { type: 'Enter', frameId: boom.id, entry: 0 })).effects));
    expect(failed.effects.map((e) => e.type)).toContain('AbortChildren');
    expect(failed.frame.recordedEvents).toBeUndefined();
    const caught = await stepped(machine, failed.frame, { type: 'ChildrenAborted', frameId: 'root', entry: failed.frame.entry });
    expect(failedCause(caught)).toBe(BAD);

    const uncounted = await stepped(machine, fan.frame, { type: 'ChildCompleted', frameId: 'root', entry: fan.frame.entry, run: 0, index: 0, status: 'SUCCEEDED' });
    expect(uncounted.frame.recordedEvents).toBeUndefined();
  });

  it('are kept through StopExecution of a frame that has no children, and lost through one that has', async () => {
    const machine = compileStateMachine({ StartAt: 'Fan', States: { Fan: { Type: 'Parallel', Branches: [branch('One')], End: true } } });
    const start = startExecution(machine, info);
    const stopped = await stepped(machine, start.frame, { type: 'Stop', frameId: 'root' });
    expect(stopped.frame.recordedEvents).toBe(2);
    const fan = await stepped(machine, start.frame, { type: 'Enter', frameId: 'root', entry: 0 });
    expect((await stepped(machine, fan.frame, { type: 'Stop', frameId: 'root' })).frame.recordedEvents).toBeUndefined();
  });
});
