/** The execution actions, called through the action table with request values of their input shapes. */
import { actions } from '../../../../lib/service/api';
import type { StartExecutionInput, StartExecutionOutput } from '../../../../lib/service/api/shapes/executions';
import { ServiceError } from '../../../../lib/engine/service-errors';
import { setup } from '../../memory-cloud';

const DEFINITION = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

async function withStateMachine() {
  const cloud = setup();
  const { stateMachineArn } = await actions.CreateStateMachine.serve({ name: 'orders', definition: DEFINITION, roleArn: 'arn:aws:iam::123456789012:role/r' }, cloud.driver);
  return { ...cloud, stateMachineArn };
}

describe('StartExecution', () => {
  it('starts a named execution of the given input and answers its ARN and start date in epoch seconds', async () => {
    const { driver, stateMachineArn } = await withStateMachine();
    const request: StartExecutionInput = { stateMachineArn, name: 'order-7', input: '{"id":7}' };

    const started: StartExecutionOutput = await actions.StartExecution.serve(request, driver);

    expect(started).toEqual({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:orders:order-7', startDate: Date.UTC(2026, 10, 1) / 1000 });
    expect((await driver.describeExecution(started.executionArn)).info.input).toEqual({ id: 7 });
  });

  it('refuses a member of the wrong JSON type with SerializationException before starting anything', async () => {
    const { driver, stateMachineArn } = await withStateMachine();

    const refused = actions.StartExecution.serve({ stateMachineArn, name: 7 }, driver);

    await expect(refused).rejects.toThrow(new ServiceError('SerializationException', "Unexpected value type for 'name': expected a string"));
    await expect(refused).rejects.toMatchObject({ name: 'SerializationException', statusCode: 400 });
    expect(await driver.listExecutions(stateMachineArn, { limit: 100 })).toEqual({ executions: [] });
  });

  it('refuses a malformed state machine ARN with InvalidArn', async () => {
    const { driver } = await withStateMachine();

    const refused = actions.StartExecution.serve({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:activity:orders' }, driver);

    await expect(refused).rejects.toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'State machine ARN is malformed: arn:aws:states:us-east-1:123456789012:activity:orders'" });
  });
});
