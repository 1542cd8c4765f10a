/**
 * Frame versions as deltas (lib/aws/dynamodb/frame-chain.ts) in DynamoStore
 * on dynalite: what is stored, and that every reader — a cold store, a page
 * from any version, a writer that lost a race — rebuilds each version exactly.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoStore, executionKey } from '../../../lib/aws/dynamodb-store';
import { CostMeter } from '../../../lib/aws/meter';
import { isKeyframeSlot, KEYFRAME_EVERY } from '../../../lib/aws/dynamodb/frame-chain';
import { FramePhase, FrameStatus } from '../../../lib/engine/frame';
import type { BlobStore, FrameVersion } from '../../../lib/service/ports';
import { localTables } from './local-tables';

jest.setTimeout(60_000);

const X = 'arn:aws:states:us-east-1:123456789012:execution:orders:chain';
const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);

/** Words that compress as real data does (about 5 bits a letter), the same in every version. */
const WORDS = (() => {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: 14 }, () => Array.from({ length: 40 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rnd() * 26)]).join(''));
})();

/** About 1 KiB of state that changes by one counter per version, as a chain of tasks' does. */
const state = (step: number) => ({ orderId: 'ord-7', lines: WORDS.map((note, i) => ({ sku: `SKU-${i * 37}`, qty: (i % 4) + 1, note })), step });

function version(id: string, v: number, extra: Partial<FrameVersion> = {}): FrameVersion {
  return {
    frame: { id, scope: '', version: v, status: FrameStatus.RUNNING, phase: FramePhase.TASK, state: `T${v}`, entry: v, input: state(v), enteredAt: T0 + v, vars: {}, retries: [] },
    lc: v,
    at: T0 + v,
    events: [{ type: 'TaskStateEntered', timestamp: T0 + v, detailsKey: 'stateEnteredEventDetails', details: { name: `T${v}` } }],
    ...extra,
  };
}

const local = localTables('chain');

/** A fresh table and `n` stores over it, each with its own memory of delta bases (containers). */
async function stores(n: number, meter?: CostMeter, blobs?: { store: BlobStore; maxItemBodyBytes: number }): Promise<DynamoStore[]> {
  const tableName = await local.table();
  return Array.from({ length: n }, () => new DynamoStore({ client: local.client(), tableName, ...(meter ? { meter } : {}), ...(blobs ? { blobs: blobs.store, maxItemBodyBytes: blobs.maxItemBodyBytes } : {}) }));
}

/** The stored frame items of `frameId`: version, delta base (`dv`) and body bytes. */
async function stored(store: DynamoStore, frameId: string): Promise<{ v: number; dv?: number; bytes: number }[]> {
  const tableName = (store as unknown as { table: string }).table;
  const out = await local.client().send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': { S: executionKey(X) }, ':p': { S: `F#${frameId}#` } } }));
  return out.Items!.map((i) => ({ v: Number(i.sk!.S!.slice(-10)), ...(i.dv ? { dv: Number(i.dv.N) } : {}), bytes: (i.b?.S?.length ?? 0) + (i.y?.B?.length ?? 0) }));
}

describe('frame versions stored as deltas', () => {
  it('stores each version after the first as a delta of the one before, whole at every keyframe slot, a few hundred bytes each', async () => {
    const [store] = await stores(1);
    for (let v = 1; v <= 40; v++) expect(await store!.putFrameVersion(X, version('root', v))).toBe(true);
    const items = await stored(store!, 'root');
    expect(items.filter((i) => i.dv === undefined).map((i) => i.v)).toEqual([1, 17, 33]);
    expect(items.filter((i) => i.dv !== undefined).every((i) => i.dv === i.v - 1)).toBe(true);
    const whole = items.find((i) => i.v === 17)!.bytes;
    for (const i of items.filter((x) => x.dv !== undefined)) expect({ v: i.v, small: i.bytes < whole / 3 }).toEqual({ v: i.v, small: true });
    expect(isKeyframeSlot(1 + 2 * KEYFRAME_EVERY)).toBe(true);
  });

  it('rebuilds every version for a cold store: the latest, every page from every version, the whole history, the frames under a prefix', async () => {
    const [writer, cold] = await stores(2);
    const all = Array.from({ length: 40 }, (_, i) => version('root', i + 1));
    for (const v of all) await writer!.putFrameVersion(X, v);
    await writer!.putFrameVersion(X, version('root/0', 1));
    await writer!.putFrameVersion(X, version('root/0', 2));
    expect(await cold!.latestFrame(X, 'root')).toEqual(all[39]);
    for (let from = 1; from <= 40; from++) {
      const page = await cold!.frameVersions(X, 'root', from, 5);
      expect({ from, versions: page }).toEqual({ from, versions: all.slice(from - 1, from + 4) });
    }
    expect(await cold!.allFrameVersions(X)).toEqual([...all, version('root/0', 1), version('root/0', 2)]);
    expect(await cold!.framesUnder(X, 'root')).toEqual([all[39], version('root/0', 2)]);
  });

  it('writes whole when the writer does not know the version before, and as a delta again once it has read it', async () => {
    const [a, b] = await stores(2);
    await a!.putFrameVersion(X, version('root', 1));
    await a!.putFrameVersion(X, version('root', 2));
    expect((await b!.latestFrame(X, 'root'))?.frame.version).toBe(2);
    await b!.putFrameVersion(X, version('root', 3));
    await a!.putFrameVersion(X, version('root', 4));
    expect((await stored(a!, 'root')).map((i) => [i.v, i.dv])).toEqual([[1, undefined], [2, 1], [3, 2], [4, undefined]]);
    expect(await b!.allFrameVersions(X)).toEqual([1, 2, 3, 4].map((v) => version('root', v)));
  });

  it('builds on the stored version, not its own, after losing a race for it', async () => {
    const [a, b] = await stores(2);
    await a!.putFrameVersion(X, version('root', 1));
    await b!.latestFrame(X, 'root');
    const mine = version('root', 2, { lc: 200 });
    const theirs = version('root', 2, { lc: 201, events: [] });
    expect(await b!.putFrameVersion(X, theirs)).toBe(true);
    expect(await a!.putFrameVersion(X, mine)).toBe(false);
    expect(await a!.latestFrame(X, 'root')).toEqual(theirs);
    await a!.putFrameVersion(X, version('root', 3));
    expect((await stored(a!, 'root')).map((i) => [i.v, i.dv])).toEqual([[1, undefined], [2, 1], [3, 2]]);
    expect(await b!.frameVersions(X, 'root', 2, 10)).toEqual([theirs, version('root', 3)]);
  });

  it('marks the outbox of a delta version done without touching what later versions are built on', async () => {
    const [store, cold] = await stores(2);
    const outbox = { cause: 'TaskOutcome|root|1', effects: [{ type: 'Deliver' }], done: false };
    await store!.putFrameVersion(X, version('root', 1));
    await store!.putFrameVersion(X, version('root', 2, { outbox }));
    await store!.markOutboxDone(X, 'root', 2);
    await store!.putFrameVersion(X, version('root', 3));
    expect(await cold!.allFrameVersions(X)).toEqual([version('root', 1), version('root', 2, { outbox: { ...outbox, done: true } }), version('root', 3)]);
  });

  it('reads the latest version alone when its base is known, and back only to its keyframe slot when not', async () => {
    const meter = new CostMeter();
    const [writer, cold] = await stores(2, meter);
    for (let v = 1; v <= 40; v++) await writer!.putFrameVersion(X, version('root', v));
    const calls = (op: string) => meter.totals.get(`dynamodb:${op}`)?.requests ?? 0;
    expect(await writer!.latestFrame(X, 'root')).toEqual(version('root', 40));
    expect([calls('LatestFrame'), calls('LatestFrameChain')]).toEqual([1, 0]);
    meter.reset();
    expect(await cold!.latestFrame(X, 'root')).toEqual(version('root', 40));
    expect([calls('LatestFrame'), calls('LatestFrameChain')]).toEqual([1, 1]);
    // Read once, the chain is known: the next version written is a delta, and the next read is one item.
    await cold!.putFrameVersion(X, version('root', 41));
    meter.reset();
    expect(await cold!.latestFrame(X, 'root')).toEqual(version('root', 41));
    expect([calls('LatestFrame'), calls('LatestFrameChain')]).toEqual([1, 0]);
    expect((await stored(cold!, 'root')).at(-1)).toMatchObject({ v: 41, dv: 40 });
  });

  it('builds deltas on a version whose body went to the blob store, and rebuilds them from it', async () => {
    const saved = new Map<string, string>();
    const store: BlobStore = { put: async (key, text) => void saved.set(key, text), get: async (key) => saved.get(key)! };
    const [writer, cold] = await stores(2, undefined, { store, maxItemBodyBytes: 200 });
    const big = (v: number) => version('root', v, { frame: { ...version('root', v).frame, input: { lines: WORDS, v } } });
    for (let v = 1; v <= 3; v++) await writer!.putFrameVersion(X, big(v));
    expect(saved.size).toBe(1);
    expect((await stored(writer!, 'root')).map((i) => [i.v, i.dv])).toEqual([[1, undefined], [2, 1], [3, 2]]);
    expect(await cold!.latestFrame(X, 'root')).toEqual(big(3));
    expect(await cold!.allFrameVersions(X)).toEqual([big(1), big(2), big(3)]);
  });
});
