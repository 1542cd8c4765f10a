/** A `.sync` task: it waits with a token it does not show, records its job's submission once, and a job's end that comes first waits for it. */
import { compileStateMachine } from '../../../lib/asl/compile';
import type { CancelTaskEffect, InvokeTaskEffect } from '../../../lib/engine/effects';
import type { Frame } from '../../../lib/engine/frame';
import type { Message } from '../../../lib/engine/messages';
import { startExecution, step } from '../../../lib/engine/step';
import { generateTokenKey } from '../../../lib/service/task-tokens';
import { executionInfo, T0 } from '../execution-info';

const key = { tokenKey: generateTokenKey() };

const CHILD = 'arn:aws:states:us-east-1:123456789012:execution:Child:c1';
const exec = executionInfo({ roleArn: 'arn:aws:iam::123456789012:role/machine' });
const machine = compileStateMachine({
  StartAt: 'Nested',
  States: { Nested: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child', 'Context.$': '$$.State.Name' }, End: true } },
});
const at = { frameId: 'root', entry: 0, attempt: 0 };
const submitted: Message = { type: 'TaskSubmitted', ...at, output: { ExecutionArn: CHILD }, job: CHILD };
const ended: Message = { type: 'TaskSucceeded', ...at, output: { Status: 'SUCCEEDED' }, job: CHILD };

async function scheduled(): Promise<{ frame: Frame; invoke: InvokeTaskEffect }> {
  const { frame } = startExecution(machine, exec);
  const result = await step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0, key);
  return { frame: JSON.parse(JSON.stringify(result.frame)) as Frame, invoke: result.effects.find((e) => e.type === 'InvokeTask') as InvokeTaskEffect };
}

describe('a .sync Task', () => {
  it('waits for a token, which the driver has and its parameters are evaluated without', async () => {
    const { invoke } = await scheduled();
    expect(invoke.waitForToken).toBe(true);
    expect(invoke.invocation.taskToken).toEqual(expect.any(String));
    expect(invoke.invocation.parameters).toEqual({ StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child', Context: 'Nested' });
  });

  it('records TaskSubmitted once with the resource and the submission, and keeps waiting', async () => {
    const { frame } = await scheduled();
    const first = await step(machine, exec, frame, submitted, T0 + 1, key);
    const again = await step(machine, exec, JSON.parse(JSON.stringify(first.frame)) as Frame, submitted, T0 + 2, key);
    expect(first.events.map((e) => [e.type, JSON.parse(JSON.stringify(e.details))])).toEqual([['TaskSubmitted', { resourceType: 'states', resource: 'startExecution.sync', output: '{"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:Child:c1"}', outputDetails: { truncated: false } }]]);
    expect(first.frame.task?.job).toBe(CHILD);
    expect(again.changed).toBe(false);
  });

  it("applies a job's end that came before the submission right after TaskSubmitted", async () => {
    const { frame } = await scheduled();
    const early = await step(machine, exec, frame, ended, T0 + 1, key);
    const after = await step(machine, exec, JSON.parse(JSON.stringify(early.frame)) as Frame, submitted, T0 + 2, key);
    expect(early.events).toEqual([]);
    expect(early.frame.status).toBe('RUNNING');
    expect(after.events.map((e) => e.type)).toEqual(['TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(after.frame.output).toEqual({ Status: 'SUCCEEDED' });
  });

  it('names its job when it is stopped, so the driver stops the child', async () => {
    const { frame } = await scheduled();
    const waiting = await step(machine, exec, frame, submitted, T0 + 1, key);
    const stopped = await step(machine, exec, waiting.frame, { type: 'Stop', frameId: 'root' }, T0 + 2, key);
    expect(stopped.effects.find((e): e is CancelTaskEffect => e.type === 'CancelTask')).toEqual({ type: 'CancelTask', frameId: 'root', attempt: 0, token: frame.task!.token, job: CHILD });
  });
});
