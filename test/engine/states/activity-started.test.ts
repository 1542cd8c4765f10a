/** An activity task's ActivityStarted: recorded once per attempt, however often its message comes. */
import { compileStateMachine } from '../../../lib/asl/compile';
import type { Frame } from '../../../lib/engine/frame';
import type { Message } from '../../../lib/engine/messages';
import { startExecution, step } from '../../../lib/engine/step';
import { generateTokenKey } from '../../../lib/service/task-tokens';
import { executionInfo, T0 } from '../execution-info';

const key = { tokenKey: generateTokenKey() };
const exec = executionInfo({ roleArn: 'arn:aws:iam::123456789012:role/machine' });
const machine = compileStateMachine({
  StartAt: 'Work',
  States: { Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:work', End: true } },
});
const started: Message = { type: 'ActivityStarted', frameId: 'root', entry: 0, attempt: 0, workerName: 'w1' };
const roundTrip = (frame: Frame): Frame => JSON.parse(JSON.stringify(frame)) as Frame;

describe('an activity Task', () => {
  it('records ActivityStarted once when its message comes twice (a queue duplicate, or GetActivityTask applying it and its queued copy)', async () => {
    const { frame } = startExecution(machine, exec);
    const scheduled = await step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0, key);
    const first = await step(machine, exec, roundTrip(scheduled.frame), started, T0 + 1, key);
    const again = await step(machine, exec, roundTrip(first.frame), started, T0 + 2, key);
    expect(first.events.map((e) => [e.type, e.details])).toEqual([['ActivityStarted', { workerName: 'w1' }]]);
    expect(again.events).toEqual([]);
    expect(again.changed).toBe(false);
  });
});
