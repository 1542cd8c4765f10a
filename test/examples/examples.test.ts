/**
 * Every example in examples/ runs to its recorded expected output, through
 * the same loaders the CLI uses (handlers file, mock configuration).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalRuntime, runDefinition } from '../../lib/local/runtime';
import { LambdaHandlersRunner, loadHandlersFile, loadMockTestCase, MockConfigRunner } from '../../lib/local/tasks';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const read = (...parts: string[]) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, ...parts), 'utf8'));
const handlers = new LambdaHandlersRunner(loadHandlersFile(path.join(EXAMPLES, 'handlers.json')));

describe('examples', () => {
  it.each(['hello-world', 'order-fulfilment', 'jsonata-variables', 'invoice-total'])('%s produces expected-output.json', async (name) => {
    const result = await runDefinition(read(name, 'definition.asl.json'), { input: read(name, 'input.json'), taskRunner: handlers, timeScale: 0, stateMachineName: name });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(read(name, 'expected-output.json'));
  });

  it('order-fulfilment fails with the recorded error for a declined card', async () => {
    const result = await runDefinition(read('order-fulfilment', 'definition.asl.json'), { input: read('order-fulfilment', 'input-declined.json'), taskRunner: handlers, timeScale: 0 });
    expect({ status: result.status, error: result.error, cause: result.cause }).toEqual(read('order-fulfilment', 'expected-error-declined.json'));
  });

  it('human-approval completes when someone sends the task token', async () => {
    const runtime = new LocalRuntime({ taskRunner: handlers, timeScale: 0 });
    const tokens: string[] = [];
    runtime.onPendingTask((task) => {
      tokens.push(task.taskToken);
      expect(task.stateName).toBe('RequestApproval');
      expect(task.input).toMatchObject({ FunctionName: 'RequestApproval', Payload: { orderId: 'o-2001', amount: 1250, token: task.taskToken } });
      runtime.sendTaskSuccess(task.taskToken, { approved: true, approver: 'ada@example.com' });
    });
    const result = await runtime.startExecution(read('human-approval', 'definition.asl.json'), { input: read('human-approval', 'input.json'), stateMachineName: 'human-approval' }).result;
    expect(tokens).toHaveLength(1);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(read('human-approval', 'expected-output.json'));
  });

  it('human-approval fails as NotApproved when the approver sends a failure', async () => {
    const runtime = new LocalRuntime({ taskRunner: handlers, timeScale: 0 });
    runtime.onPendingTask((task) => runtime.sendTaskFailure(task.taskToken, 'Rejected', 'Too expensive'));
    const result = await runtime.startExecution(read('human-approval', 'definition.asl.json'), { input: read('human-approval', 'input.json') }).result;
    expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({ status: 'FAILED', error: 'OrderNotApproved', cause: 'The order was not approved' });
  });

  it.each([
    ['Approved', 'SUCCEEDED'],
    ['Rejected', 'FAILED'],
  ])('human-approval mock test case %s ends %s', async (testCase, status) => {
    const mocks = new MockConfigRunner(loadMockTestCase(path.join(EXAMPLES, 'human-approval', 'MockConfigFile.json'), testCase));
    const result = await runDefinition(read('human-approval', 'definition.asl.json'), { input: read('human-approval', 'input.json'), taskRunner: mocks, timeScale: 0 });
    expect(result.status).toBe(status);
    if (status === 'SUCCEEDED') expect(result.output).toEqual(read('human-approval', 'expected-output.json'));
  });

  it.each(['HappyPath', 'AllMocked'])('order-receipt mock test case %s produces expected-output.json, its nested invoice-total run or mocked', async (testCase) => {
    const mocks = new MockConfigRunner(loadMockTestCase(path.join(EXAMPLES, 'order-receipt', 'MockConfigFile.json'), testCase));
    const runtime = new LocalRuntime({ taskRunner: mocks, timeScale: 0 });
    runtime.registerStateMachine('invoice-total', read('invoice-total', 'definition.asl.json'));
    const result = await runtime.startExecution(read('order-receipt', 'definition.asl.json'), { input: read('order-receipt', 'input.json'), stateMachineName: 'order-receipt' }).result;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(read('order-receipt', 'expected-output.json'));
    expect(runtime.executionArns()).toHaveLength(testCase === 'HappyPath' ? 2 : 1);
  });
});
