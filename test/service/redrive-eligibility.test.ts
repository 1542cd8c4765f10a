/**
 * Which ended executions RedriveExecution refuses, with the service's
 * ExecutionNotRedrivable and the reasons DescribeExecution's
 * redriveStatusReason lists (API reference, RedriveExecution: "You can
 * redrive executions if your original execution meets the following
 * conditions: … The workflow execution has not exceeded the maximum open
 * time of one year … The execution event history count is less than 24,999").
 */
import { ServiceErrorName } from '../../lib/engine/service-errors';
import { setup } from './memory-cloud';

const FAILS = { StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'E', Cause: 'c' } } };
const LOOPS = {
  StartAt: 'Again',
  States: {
    Again: { Type: 'Pass', Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.never', IsPresent: true, Next: 'Done' }], Default: 'Again' },
    Done: { Type: 'Succeed' },
  },
};

async function ended(definition: object, options: Parameters<typeof setup>[0] = {}) {
  const c = setup(options);
  const sm = await c.driver.putStateMachine('m', JSON.stringify(definition));
  const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { input: {} });
  await c.drain();
  return { ...c, executionArn };
}

describe('RedriveExecution eligibility', () => {
  it('refuses an execution that ended on the history event cap: "Execution history event limit exceeded"', async () => {
    const c = await ended(LOOPS, { maxHistoryEvents: 40 });
    const record = await c.driver.describeExecution(c.executionArn);
    expect(record).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (40).' });
    expect(await c.driver.notRedrivable(record)).toBe('Execution history event limit exceeded');
    await expect(c.driver.redriveExecution(c.executionArn)).rejects.toMatchObject({ name: ServiceErrorName.ExecutionNotRedrivable, message: 'Execution history event limit exceeded' });
  });

  it('refuses an execution started more than a year ago: "Execution has exceeded the max execution time"', async () => {
    const c = await ended(FAILS);
    expect(await c.driver.notRedrivable(await c.driver.describeExecution(c.executionArn))).toBeUndefined();
    c.advance(365 * 86_400_000 + 1);
    await expect(c.driver.redriveExecution(c.executionArn)).rejects.toMatchObject({ name: ServiceErrorName.ExecutionNotRedrivable, message: 'Execution has exceeded the max execution time' });
  });

  it('still redrives a failed execution within both', async () => {
    const c = await ended(FAILS);
    c.advance(13 * 86_400_000);
    await expect(c.driver.redriveExecution(c.executionArn)).resolves.toEqual({ redriveDate: expect.any(Number) });
  });
});
