/** Task tokens are signed: bound to execution, frame, entry and attempt under one key; deterministic under it. */
import { decodeTaskToken, encodeTaskToken, TokenKeyError, type TokenTarget } from '../../lib/engine/token';
import { startExecution, step } from '../../lib/engine/step';
import { compileStateMachine } from '../../lib/asl/compile';
import type { ExecutionInfo } from '../../lib/engine/execution';

const KEY = Buffer.alloc(32, 1);
const OTHER_KEY = Buffer.alloc(32, 2);
const target: TokenTarget = { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', frameId: 'root/1.0.2', entry: 3, attempt: 1 };

/** The token with its JSON part replaced by `tuple` and its MAC kept. */
function withTuple(token: string, tuple: unknown[]): string {
  return `${Buffer.from(JSON.stringify(tuple)).toString('base64url')}.${token.split('.')[1]}`;
}

describe('task tokens', () => {
  const token = encodeTaskToken(target, KEY);

  it('decodes to the attempt it names under the key it was signed with', () => {
    expect(decodeTaskToken(token, KEY)).toEqual(target);
  });

  it('is the same for the same attempt and key: a replayed transition hands out the same token', () => {
    expect(encodeTaskToken({ ...target }, Buffer.from(KEY))).toBe(token);
  });

  it('differs under another key, and is refused under it', () => {
    const other = encodeTaskToken(target, OTHER_KEY);
    expect(other).not.toBe(token);
    expect(decodeTaskToken(token, OTHER_KEY)).toBeUndefined();
    expect(decodeTaskToken(other, KEY)).toBeUndefined();
  });

  it.each([
    ['execution', [2, 'arn:aws:states:us-east-1:123456789012:execution:m:other', 'root/1.0.2', 3, 1]],
    ['frame', [2, target.executionArn, 'root/1.0.3', 3, 1]],
    ['entry', [2, target.executionArn, 'root/1.0.2', 4, 1]],
    ['attempt', [2, target.executionArn, 'root/1.0.2', 3, 2]],
    ['version', [1, target.executionArn, 'root/1.0.2', 3, 1]],
  ])('is bound to its %s: the MAC of one attempt does not sign another', (_field, tuple) => {
    expect(decodeTaskToken(withTuple(token, tuple), KEY)).toBeUndefined();
  });

  it('refuses an altered MAC, one of another spelling, and a missing one', () => {
    const [body, mac] = token.split('.') as [string, string];
    const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    expect(decodeTaskToken(`${body}.${flipped}`, KEY)).toBeUndefined();
    expect(decodeTaskToken(`${body}.${mac}=`, KEY)).toBeUndefined();
    expect(decodeTaskToken(`${body}.${mac}.${mac}`, KEY)).toBeUndefined();
    expect(decodeTaskToken(`${body}.`, KEY)).toBeUndefined();
    expect(decodeTaskToken(body, KEY)).toBeUndefined();
  });

  it('refuses the old unsigned format ([1, …] with no MAC)', () => {
    const unsigned = Buffer.from(JSON.stringify([1, target.executionArn, target.frameId, target.entry, target.attempt])).toString('base64url');
    expect(decodeTaskToken(unsigned, KEY)).toBeUndefined();
  });

  it('carries 256 bits of MAC in canonical base64url', () => {
    expect(token.split('.')[1]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => encodeTaskToken(target, Buffer.alloc(16))).toThrow(new TokenKeyError(16));
    expect(() => encodeTaskToken(target, Buffer.alloc(16))).toThrow('A task token key must be at least 32 bytes. Received: 16');
  });
});

describe('step and task tokens', () => {
  const machine = compileStateMachine({
    StartAt: 'Ask',
    States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token' }, End: true } },
  });
  const execution: ExecutionInfo = {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
    name: 'e',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
    stateMachineName: 'm',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    input: {},
    startTime: 1_000,
    redriveCount: 0,
  };
  const root = startExecution(machine, execution).frame;
  const enter = { type: 'Enter', frameId: 'root', entry: 0 } as const;

  it('signs the scheduled attempt’s token with the key the driver gives, the same on a replay, and keeps the key out of the frame', async () => {
    const first = await step(machine, execution, root, enter, 2_000, { tokenKey: KEY });
    const replay = await step(machine, execution, root, enter, 2_000, { tokenKey: KEY });
    const expected = encodeTaskToken({ executionArn: execution.executionArn, frameId: 'root', entry: 0, attempt: 0 }, KEY);
    expect(first.frame.task?.token).toBe(expected);
    expect(JSON.parse(JSON.stringify(replay))).toEqual(JSON.parse(JSON.stringify(first)));
    const text = JSON.stringify(first);
    expect(text).not.toContain(KEY.toString('hex'));
    expect(text).not.toContain(KEY.toString('base64'));
  });

  it('hands out another token under another key', async () => {
    const other = await step(machine, execution, root, enter, 2_000, { tokenKey: OTHER_KEY });
    expect(other.frame.task?.token).toBe(encodeTaskToken({ executionArn: execution.executionArn, frameId: 'root', entry: 0, attempt: 0 }, OTHER_KEY));
  });

  it('throws when a driver gives no key and a task hands out a token', async () => {
    await expect(step(machine, execution, root, enter, 2_000)).rejects.toThrow('This driver gave step no tokenKey, and a task hands out a task token');
  });
});
