/** The Express function's event: a launch as it is, or stored aside in the blob store. */
import { MalformedLaunchError, readExpressLaunch } from '../../lib/service/express-launch';
import type { ExpressLaunch } from '../../lib/service/ports';

const LAUNCH: ExpressLaunch = {
  v: 1,
  express: {
    info: {
      executionArn: 'arn:aws:states:us-east-1:123456789012:express:orders:one:0b6c7a52-2d8e-4d53-9f38-1f3b7c1d2e4f',
      name: 'one',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
      stateMachineName: 'orders',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      input: { n: 1 },
      startTime: Date.UTC(2026, 11, 2),
      redriveCount: 0,
    },
    revisionId: 'rev-1',
    status: 'RUNNING',
  },
};

describe('readExpressLaunch', () => {
  it('returns a launch carried as it is', async () => {
    expect(await readExpressLaunch(JSON.parse(JSON.stringify(LAUNCH)))).toEqual(LAUNCH);
  });

  it('reads a launch stored aside from the blob store by its key', async () => {
    const keys: string[] = [];
    const blobs = { get: async (key: string) => (keys.push(key), JSON.stringify(LAUNCH)) };
    expect(await readExpressLaunch({ $blob: 'express-launches/k1' }, blobs)).toEqual(LAUNCH);
    expect(keys).toEqual(['express-launches/k1']);
  });

  it.each([
    ['no object', 'nope', 'the event is not an object'],
    ['another version', { ...LAUNCH, v: 2 }, 'v is not 1'],
    ['no execution record', { v: 1, express: { info: {} } }, 'express is not an execution record'],
    ['a stored launch with no blob store', { $blob: 'express-launches/k2' }, 'it was stored aside (express-launches/k2) and no blob store is configured'],
  ])('refuses %s with MalformedLaunchError', async (_what, event, problem) => {
    const refused = readExpressLaunch(event);
    await expect(refused).rejects.toThrow(MalformedLaunchError);
    await expect(refused).rejects.toMatchObject({ problem, message: `The Express launch is malformed: ${problem}` });
  });
});
