/** EXPRESS definitions: what Step Functions refuses in them, with its InvalidDefinition messages. */
import { routeRequest } from '../../lib/service/api';
import { setup } from './memory-cloud';

const ROLE = 'arn:aws:iam::123456789012:role/r';

async function create(type: string, definition: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const { driver } = setup();
  const r = await routeRequest(driver, { method: 'POST', path: '/', headers: { 'x-amz-target': 'AWSStepFunctions.CreateStateMachine' }, body: JSON.stringify({ name: 'm', type, roleArn: ROLE, definition: JSON.stringify(definition) }) });
  return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
}

const task = (name: string, resource: string) => ({ StartAt: name, States: { [name]: { Type: 'Task', Resource: resource, End: true } } });

describe('EXPRESS definitions', () => {
  it.each([
    ['a .waitForTaskToken task', task('Publish', 'arn:aws:states:::sns:publish.waitForTaskToken'), "Express state machine does not support '.waitForTaskToken' service integration  at /States/Publish/Resource"],
    ['a .sync task', task('StartExecution', 'arn:aws:states:::states:startExecution.sync'), "Express state machine does not support '.sync' service integration at /States/StartExecution/Resource"],
    ['an activity task', task('ActivityTask', 'arn:aws:states:us-east-1:123456789012:activity:work'), 'Express state machine does not support Activity ARN at /States/ActivityTask/Resource'],
  ])('refuses %s with InvalidDefinition, as the service does', async (_what, definition, message) => {
    expect(await create('EXPRESS', definition)).toEqual({ status: 400, body: { __type: 'InvalidDefinition', message: `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ${message}'` } });
  });

  it('finds a refused task inside a Map iteration, named by its place', async () => {
    const definition = { StartAt: 'Each', States: { Each: { Type: 'Map', ItemProcessor: task('Wait', 'arn:aws:states:::lambda:invoke.waitForTaskToken'), End: true } } };
    const r = await create('EXPRESS', definition);
    expect(r.body.message).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration  at /States/Each/ItemProcessor/States/Wait/Resource'");
  });

  it('accepts the same tasks in a STANDARD state machine, and request-response tasks in an EXPRESS one', async () => {
    expect((await create('STANDARD', task('Publish', 'arn:aws:states:::sns:publish.waitForTaskToken'))).status).toBe(200);
    expect((await create('EXPRESS', task('Call', 'arn:aws:states:::lambda:invoke'))).status).toBe(200);
  });
});
