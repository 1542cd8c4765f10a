import type { Frame } from '../../lib/engine/frame';
import { FrameStatus } from '../../lib/engine/frame';
import { ServiceError } from '../../lib/engine/service-errors';
import { encodeTaskToken } from '../../lib/engine/token';
import { activityStarted, checkTokenAgainst, generateTokenKey, stopMessage, taskFailed, taskHeartbeat, taskSucceeded, tokenTarget } from '../../lib/service/task-tokens';

const target = { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', frameId: 'root/1.0.2', entry: 1, attempt: 0 };
/** The deployment's key, as the test controls it. */
const KEY = Buffer.alloc(32, 1);
const token = encodeTaskToken(target, KEY);
const waiting = { id: 'root/1.0.2', status: FrameStatus.RUNNING, entry: 1, task: { attempt: 0, token, heartbeats: 0 } } as Frame;

function errorOf(work: () => unknown): { name: string; message: string } {
  try {
    work();
  } catch (err) {
    if (err instanceof ServiceError) return { name: err.name, message: err.message };
    throw err;
  }
  throw new Error('did not throw');
}

describe('task tokens', () => {
  it('a token that is not one is InvalidToken', () => {
    expect(errorOf(() => tokenTarget('not-a-token', KEY))).toEqual({ name: 'InvalidToken', message: 'Invalid Token' });
  });

  it('a token signed with another key is InvalidToken', () => {
    expect(errorOf(() => tokenTarget(encodeTaskToken(target, Buffer.alloc(32, 2)), KEY))).toEqual({ name: 'InvalidToken', message: 'Invalid Token' });
  });

  it('a generated key is 32 bytes from the cryptographic generator: two keys differ', () => {
    const [a, b] = [generateTokenKey(), generateTokenKey()];
    expect([a.length, b.length]).toEqual([32, 32]);
    expect(a.equals(b)).toBe(false);
  });

  it('a token is valid while its attempt is the frame pending task with that token', () => {
    expect(checkTokenAgainst(token, tokenTarget(token, KEY), waiting)).toEqual(target);
  });

  it.each([
    ['no frame', undefined],
    ['a finished frame', { ...waiting, status: FrameStatus.SUCCEEDED }],
    ['a later entry of the state', { ...waiting, entry: 2 }],
    ['a retried attempt', { ...waiting, task: { attempt: 1, token, heartbeats: 0 } }],
    ['another token for the attempt', { ...waiting, task: { attempt: 0, token: 'other', heartbeats: 0 } }],
  ])('is TaskDoesNotExist for %s', (_what, frame) => {
    expect(errorOf(() => checkTokenAgainst(token, target, frame as Frame | undefined))).toEqual({ name: 'TaskDoesNotExist', message: 'Task Timed Out or Does Not Exist' });
  });

  it('SendTask* and GetActivityTask become messages to the attempt', () => {
    expect(taskSucceeded(target, { ok: true })).toEqual({ type: 'TaskSucceeded', frameId: 'root/1.0.2', entry: 1, attempt: 0, output: { ok: true } });
    expect(taskFailed(target)).toEqual({ type: 'TaskFailed', frameId: 'root/1.0.2', entry: 1, attempt: 0, error: '' });
    expect(taskFailed(target, 'E', 'C')).toEqual({ type: 'TaskFailed', frameId: 'root/1.0.2', entry: 1, attempt: 0, error: 'E', cause: 'C' });
    expect(taskHeartbeat(target)).toEqual({ type: 'TaskHeartbeat', frameId: 'root/1.0.2', entry: 1, attempt: 0 });
    expect(activityStarted(target, 'w1')).toEqual({ type: 'ActivityStarted', frameId: 'root/1.0.2', entry: 1, attempt: 0, workerName: 'w1' });
  });

  it('StopExecution is a Stop to the root frame', () => {
    expect(stopMessage()).toEqual({ type: 'Stop', frameId: 'root' });
    expect(stopMessage('E', 'C')).toEqual({ type: 'Stop', frameId: 'root', error: 'E', cause: 'C' });
  });
});
