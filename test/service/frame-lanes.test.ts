/** A parent's completions in a container are applied one transition at a time; those waiting for a busy parent are applied together. */
import type { Message } from '../../lib/engine/messages';
import { FrameLanes } from '../../lib/service/frame-lanes';
import type { Envelope } from '../../lib/service/ports';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e1';

const envelope = (message: Message): Envelope => ({ v: 1, executionArn: ARN, message, lc: 1 });
const completed = (index: number, frameId = 'root'): Envelope => envelope({ type: 'ChildCompleted', frameId, entry: 1, run: 0, index, status: 'SUCCEEDED' });

/** A run function that records each call's messages and holds it until released. */
function recorder() {
  const calls: string[][] = [];
  const release: (() => void)[] = [];
  const run = (envelopes: readonly Envelope[]): Promise<void> => {
    calls.push(envelopes.map((e) => `${e.message.frameId}:${e.message.type === 'ChildCompleted' ? e.message.index : ''}`));
    return new Promise<void>((resolve) => release.push(resolve));
  };
  return { calls, release, lanes: new FrameLanes(run) };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('FrameLanes', () => {
  it('applies the completions that arrived while the parent was busy in one call, after the busy one', async () => {
    const { calls, release, lanes } = recorder();
    const first = lanes.submit([completed(0)]);
    await settle();
    const rest = [lanes.submit([completed(1)]), lanes.submit([completed(2), completed(3)]), lanes.submit([completed(4)])];
    await settle();
    expect(calls).toEqual([['root:0']]);
    release[0]();
    await first;
    await settle();
    expect(calls).toEqual([['root:0'], ['root:1', 'root:2', 'root:3', 'root:4']]);
    release[1]();
    await Promise.all(rest);
  });

  it('applies different parents’ completions at once, and those submitted together in one call', async () => {
    const { calls, release, lanes } = recorder();
    const done = [lanes.submit([completed(0)]), lanes.submit([completed(0, 'root/1.0.0')]), lanes.submit([completed(1)])];
    await settle();
    expect(calls).toEqual([['root:0', 'root:1'], ['root/1.0.0:0']]);
    release[0]();
    release[1]();
    await Promise.all(done);
  });

  it('rejects every submission of a call that failed, and the frame’s next work still runs', async () => {
    let calls = 0;
    const lanes = new FrameLanes(async () => {
      calls++;
      if (calls === 1) throw new Error('contended');
    });
    await expect(lanes.submit([completed(0), completed(1)])).rejects.toThrow('contended');
    await expect(lanes.submit([completed(2)])).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
