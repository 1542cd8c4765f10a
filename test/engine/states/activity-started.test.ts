/** An activity task's ActivityStarted: recorded once per attempt, however often its message comes. */
import { compileStateMachine } from '../../../lib/asl/compile';
import type { ExecutionInfo } from '../../../lib/engine/execution';
import type { Frame } from '../../../lib/engine/frame';
import type { Message } from '../../../lib/engine/messages';
import { startExecution, step } from '../../../lib/engine/step';
import { generateTokenKey } from '../../../lib/service/task-tokens';

const key = { tokenKey: generateTokenKey() };
const T0 = Date.UTC(2026, 0, 1);
const exec: ExecutionInfo = {
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e1',
  name: 'e1',
  stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M',
  stateMachineName: 'M',
  roleArn: 'arn:aws:iam::123456789012:role/machine',
  input: {},
  startTime: T0,
  redriveCount: 0,
};
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
