/** Messages onto the queue: a delay longer than the queue allows is chained, a carried version travels only to its frame. */
import { FramePhase, FrameStatus } from '../../lib/engine/frame';
import type { FrameVersion, Outgoing } from '../../lib/service/ports';
import { MessageSender } from '../../lib/service/sender';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e1';

function setup() {
  const sent: Outgoing[][] = [];
  const sender = new MessageSender({ send: async (m) => void sent.push(m), deadLetter: async () => {} }, () => 1_000, 900_000);
  return { sender, sent };
}

const carry: FrameVersion = {
  frame: { id: 'root', scope: '', version: 2, status: FrameStatus.RUNNING, phase: FramePhase.WAITING, state: 'W', entry: 1, input: {}, enteredAt: 0, vars: {}, retries: [] },
  lc: 2,
  at: 0,
  events: [],
};

describe('MessageSender', () => {
  it('sends a longer delay at the queue’s maximum with the time it is due', async () => {
    const { sender, sent } = setup();
    await sender.send([{ message: { type: 'Timer', frameId: 'root', entry: 1, timer: 'Wait' }, delayMs: 2_000_000 }], ARN, 3);
    expect(sent).toEqual([[{ envelope: { v: 1, executionArn: ARN, message: { type: 'Timer', frameId: 'root', entry: 1, timer: 'Wait' }, lc: 3, notBefore: 2_001_000 }, delayMs: 900_000 }]]);
  });

  it('counts a longer delay from the commit that decided it, so an outbox carried out again sends the same due time', async () => {
    const { sender, sent } = setup();
    const timer = { type: 'Timer', frameId: 'root', entry: 1, timer: 'Wait' } as const;
    // Committed at 400, carried out (again) at 1,000: due at 2,000,400 either way.
    await sender.send([{ message: timer, delayMs: 2_000_000, from: 400 }], ARN, 3);
    await sender.send([{ message: timer, delayMs: 2_000_000, from: 400 }, { message: timer, delayMs: 5_000, from: 400 }], ARN, 3);
    expect(sent.flat().map((o) => [o.envelope.notBefore, o.delayMs])).toEqual([
      [2_000_400, 900_000],
      [2_000_400, 900_000],
      [undefined, 5_000],
    ]);
  });

  it('carries a version only with a message to its own frame, and tags every message final', async () => {
    const { sender, sent } = setup();
    await sender.send(
      [
        { message: { type: 'Enter', frameId: 'root', entry: 2 }, delayMs: 0, carry },
        { message: { type: 'Enter', frameId: 'root/1.0.0', entry: 0 }, delayMs: 0, carry },
      ],
      ARN,
      2,
      2,
    );
    expect(sent[0].map((o) => [o.envelope.message.frameId, o.envelope.frame?.frame.id, o.envelope.final])).toEqual([
      ['root', 'root', 2],
      ['root/1.0.0', undefined, 2],
    ]);
  });
});
