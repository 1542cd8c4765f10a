import { ItemBodies } from '../../../lib/aws/dynamodb/item-body';
import type { BlobStore } from '../../../lib/service/ports';

class Blobs implements BlobStore {
  readonly saved = new Map<string, string>();
  async put(key: string, text: string): Promise<void> {
    this.saved.set(key, text);
  }
  async get(key: string): Promise<string> {
    return this.saved.get(key)!;
  }
}

describe('ItemBodies', () => {
  it('keeps a body of 160 bytes or less as plain JSON in b', async () => {
    const bodies = new ItemBodies(350_000);
    const item = await bodies.encode('P', 'S', { a: 'x'.repeat(150) });
    expect(Object.keys(item).sort()).toEqual(['b', 'pk', 'sk']);
    expect(item.b!.S).toBe(JSON.stringify({ a: 'x'.repeat(150) }));
    expect(await bodies.decode(item)).toEqual({ a: 'x'.repeat(150) });
  });

  it('compresses a short body that shrinks (a frame delta), so it is stored for fewer bytes', async () => {
    const bodies = new ItemBodies(350_000);
    const body = { a: 'x'.repeat(300) };
    const item = await bodies.encode('P', 'S', body);
    expect(Object.keys(item).sort()).toEqual(['pk', 'sk', 'y']);
    expect(item.y!.B!.length).toBeLessThan(40);
    expect(await bodies.decode(item)).toEqual(body);
  });

  it('compresses a larger body with Brotli into y and reads it back', async () => {
    const bodies = new ItemBodies(350_000);
    const body = { a: 'abc'.repeat(1000) };
    const item = await bodies.encode('P', 'S', body);
    expect(Object.keys(item).sort()).toEqual(['pk', 'sk', 'y']);
    expect(item.y!.B!.length).toBeLessThan(100);
    expect(await bodies.decode(item)).toEqual(body);
  });

  it('sends a body that stays larger than the item holds to the blob store, keyed by the item', async () => {
    const blobs = new Blobs();
    const bodies = new ItemBodies(100, blobs);
    // Random-looking text does not compress below 100 bytes.
    const text = JSON.stringify(Array.from({ length: 200 }, (_, i) => ((i * 7919) % 997).toString(36)));
    const item = await bodies.encodeText('P', 'S', text);
    expect(Object.keys(item).sort()).toEqual(['bl', 'pk', 'sk']);
    expect(item.bl!.S).toMatch(/^items\/[0-9a-f]{64}$/);
    expect(blobs.saved.get(item.bl!.S!)).toBe(text);
    expect(await bodies.text(item)).toBe(text);
  });

  it('fails a body too large for the item when no blob store is configured, naming the item', async () => {
    const bodies = new ItemBodies(10);
    await expect(bodies.encodeText('P', 'S', 'z'.repeat(11))).rejects.toThrow('The item P S is 11 bytes, larger than an item holds, and no blob store is configured');
  });
});
