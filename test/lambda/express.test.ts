/** The Express function's handler: a launch runs to its end; an event that is no launch is logged and dropped, not retried. */
import { createExpressHandler } from '../../lambda/express';
import { setup } from '../service/memory-cloud';

const ADD = { StartAt: 'Add', States: { Add: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } } };

describe('the Express function', () => {
  it('runs the launch it is given to its end and answers with its status', async () => {
    const launches: unknown[] = [];
    const { driver } = setup({ expressLauncher: { launch: async (launch) => void launches.push(JSON.parse(JSON.stringify(launch))) } });
    const sm = await driver.createStateMachine('adder', JSON.stringify(ADD), 'arn:aws:iam::123456789012:role/r', { type: 'EXPRESS' });
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { input: { a: 2, b: 40 } });
    const handler = createExpressHandler({ driver });
    expect(await handler(launches[0])).toEqual({ executionArn, status: 'SUCCEEDED' });
  });

  it('drops an event that is no launch with a log line, so Lambda does not retry what cannot succeed', async () => {
    const { driver } = setup();
    const logged: Record<string, unknown>[] = [];
    const handler = createExpressHandler({ driver }, (entry) => void logged.push(entry));
    expect(await handler({ v: 1 })).toEqual({ dropped: 'express is not an execution record' });
    expect(logged).toEqual([{ message: 'Dropped an Express launch that is no launch', error: 'express is not an execution record' }]);
  });

  it('throws when the execution could not run, so Lambda retries it', async () => {
    const { driver } = setup();
    const handler = createExpressHandler({ driver, blobs: { put: async () => {}, get: async () => Promise.reject(new Error('NoSuchKey: gone')) } });
    await expect(handler({ $blob: 'express-launches/gone' })).rejects.toThrow('NoSuchKey: gone');
  });
});
