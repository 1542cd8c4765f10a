/** StoredState.loadLatest: a parent's version kept by the container that committed it, until the store has a later one. */
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import { MemoryStore } from '../../lib/service/memory';
import { PayloadCodec } from '../../lib/service/payload-codec';
import type { FrameVersion } from '../../lib/service/ports';
import { StoredState } from '../../lib/service/stored-state';

const X = 'arn:aws:states:us-east-1:123456789012:execution:M:e';

function version(v: number, done = false): FrameVersion {
  const frame: Frame = { id: 'root', scope: '', version: v, status: FrameStatus.RUNNING, phase: FramePhase.CHILDREN, state: 'Map', entry: 1, input: { n: v }, enteredAt: 0, vars: {}, retries: [] };
  return { frame, lc: v, at: 0, events: [], outbox: { cause: `c${v}`, effects: [], done } };
}

/** A version as read back: an outbox that refers to nothing of the input is marked so (payload-codec.ts). */
const asStored = (v: FrameVersion): FrameVersion => ({ ...v, outbox: { ...v.outbox!, inputRefs: false } });

describe('StoredState.loadLatest', () => {
  it('answers with the kept version, its outbox carried out, and reads no body while the store has no later one', async () => {
    const store = new MemoryStore();
    const stored = new StoredState(store, new PayloadCodec(store));
    await stored.save(X, version(2));
    stored.keep(X, version(2));
    const latest = jest.spyOn(store, 'latestFrame');
    expect(await stored.loadLatest(X, 'root')).toEqual(version(2, true));
    expect(latest).not.toHaveBeenCalled();
  });

  it('reads the store once another writer committed a later version', async () => {
    const store = new MemoryStore();
    const stored = new StoredState(store, new PayloadCodec(store));
    stored.keep(X, version(2));
    await stored.save(X, version(2));
    await stored.save(X, version(3));
    expect(await stored.loadLatest(X, 'root')).toEqual(asStored(version(3)));
  });

  it('reads the store for a frame it keeps nothing of', async () => {
    const store = new MemoryStore();
    const stored = new StoredState(store, new PayloadCodec(store));
    await stored.save(X, version(5));
    expect(await stored.loadLatest(X, 'root')).toEqual(asStored(version(5)));
    expect(await stored.loadLatest(X, 'root/0.0.0')).toBeUndefined();
  });
});
