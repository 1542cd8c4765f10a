/** A Task's Credentials: the role its call is made with, instead of the state machine's. */
import { compileStateMachine } from '../../../lib/asl/compile';
import type { InvokeTaskEffect } from '../../../lib/engine/effects';
import { startExecution, step } from '../../../lib/engine/step';
import { executionInfo, T0 } from '../execution-info';

const exec = executionInfo({ roleArn: 'arn:aws:iam::123456789012:role/machine', input: { account: '210987654321' } });

async function scheduled(task: object, queryLanguage = 'JSONPath') {
  const machine = compileStateMachine({ QueryLanguage: queryLanguage, StartAt: 'Put', States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', ...task, End: true } } });
  const { frame } = startExecution(machine, exec);
  return step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0);
}

const roleOf = (effects: readonly { type: string }[]): string | undefined => (effects.find((e) => e.type === 'InvokeTask') as InvokeTaskEffect | undefined)?.invocation.roleArn;

describe('Task Credentials', () => {
  it("runs the call with the state machine's role when the Task names none", async () => {
    expect(roleOf((await scheduled({})).effects)).toBe('arn:aws:iam::123456789012:role/machine');
  });

  it('runs the call with Credentials.RoleArn, static or from the input with RoleArn.$', async () => {
    expect(roleOf((await scheduled({ Credentials: { RoleArn: 'arn:aws:iam::210987654321:role/writer' } })).effects)).toBe('arn:aws:iam::210987654321:role/writer');
    expect(roleOf((await scheduled({ Credentials: { 'RoleArn.$': "States.Format('arn:aws:iam::{}:role/writer', $.account)" } })).effects)).toBe('arn:aws:iam::210987654321:role/writer');
  });

  it('evaluates JSONata Credentials', async () => {
    expect(roleOf((await scheduled({ Credentials: { RoleArn: "{% 'arn:aws:iam::' & $states.input.account & ':role/writer' %}" } }, 'JSONata')).effects)).toBe('arn:aws:iam::210987654321:role/writer');
  });

  it('fails the state with States.Runtime when Credentials has no RoleArn string', async () => {
    const result = await scheduled({ Credentials: { 'RoleArn.$': '$.missing' } });
    expect(roleOf(result.effects)).toBeUndefined();
    expect(result.frame.status).toBe('FAILED');
    expect(result.events.find((e) => e.type === 'ExecutionFailed')?.details).toEqual({
      error: 'States.Runtime',
      // (The root frame counts its events: the step quotes its state's entered event as Step Functions does.)
      cause: "An error occurred while executing the state 'Put' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'RoleArn.$' could not be found in the input '{\"account\":\"210987654321\"}'",
    });
    const numeric = await scheduled({ Credentials: { RoleArn: 7 } });
    expect(numeric.events.find((e) => e.type === 'ExecutionFailed')?.details).toEqual({
      error: 'States.Runtime',
      cause: 'An error occurred while executing the state \'Put\' (entered at the event id #2). The field \'Credentials\' must be an object with a \'RoleArn\' string. Received: {"RoleArn":7}',
    });
  });
});
