import type { Frame } from '../../lib/engine/frame';
import { MemoryStore } from '../../lib/service/memory';
import type { ExecutionRecord, FrameVersion } from '../../lib/service/ports';
import { ITEMS_PER_TURN, turnOver } from '../../lib/service/turn-over';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e';
const version = (id: string): FrameVersion => ({ frame: { id, version: 1 } as Frame, lc: 0, at: 0, events: [] });

/** Whether a setImmediate callback queued before `work` runs before `work` resolves (the event loop turned meanwhile). */
async function turnsDuring(work: () => Promise<unknown>): Promise<boolean> {
  let turned = false;
  setImmediate(() => {
    turned = true;
  });
  await work();
  return turned;
}

describe('turnOver', () => {
  it('resolves only after the event loop has turned', async () => {
    expect(await turnsDuring(turnOver)).toBe(true);
    expect(await turnsDuring(() => Promise.resolve())).toBe(false);
  });

  it('lets MemoryStore.framesUnder turn the event loop while it reads a large Map’s children, and return them all', async () => {
    const store = new MemoryStore();
    await store.createExecution({ info: { executionArn: ARN } } as ExecutionRecord);
    const n = ITEMS_PER_TURN * 2 + 5;
    for (let i = 0; i < n; i++) await store.putFrameVersion(ARN, version(`root/0.0.${i}`));
    let read: FrameVersion[] = [];
    expect(await turnsDuring(async () => (read = await store.framesUnder(ARN, 'root/0.0.')))).toBe(true);
    expect(read.length).toBe(n);
    // Fewer than ITEMS_PER_TURN children (111 here) are read without waiting on the event loop.
    expect(await turnsDuring(() => store.framesUnder(ARN, 'root/0.0.7'))).toBe(false);
  });
});
