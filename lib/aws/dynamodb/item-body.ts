/**
 * How an item's body is stored: JSON in attribute `b`, or Brotli-compressed
 * in `y` when over 160 bytes and smaller so (write units are billed per KB,
 * storage per byte for the whole retention); a body still
 * larger than the item holds goes to the blob store (S3) and the item keeps
 * its key in `bl`.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { BlobStore } from '../../service/ports';

type Item = Record<string, AttributeValue>;

const COMPRESS_ABOVE_BYTES = 160;

const brotli = (text: string, quality: number): Buffer =>
  brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality, [zlib.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(text) } });

/** Encodes and decodes the body of the store's items. */
export class ItemBodies {
  /**
   * @param maxBody the largest body kept in the item itself, in bytes
   * @param blobs where larger bodies go; without it, such a write fails
   */
  constructor(
    private readonly maxBody: number,
    private readonly blobs?: BlobStore,
  ) {}

  /** The item `pk`/`sk` holding `body` as JSON. */
  encode(pk: string, sk: string, body: unknown): Promise<Item> {
    return this.encodeText(pk, sk, JSON.stringify(body));
  }

  /** The item `pk`/`sk` holding `text`. */
  async encodeText(pk: string, sk: string, text: string): Promise<Item> {
    const bytes = Buffer.byteLength(text);
    // Write units are billed per KB of item and storage per byte-month: a body over 160 bytes is stored
    // compressed with Brotli when that is smaller (JSON shrinks 2-5x; a short one, such as a frame delta,
    // by a third). When the fast setting leaves it just over a KB boundary, the best setting (slower,
    // ~10% smaller) usually brings it under: one write unit fewer on every such transition.
    if (bytes > COMPRESS_ABOVE_BYTES) {
      let packed = brotli(text, 5);
      const over = (packed.length + pk.length + sk.length + 8) % 1024;
      if (packed.length < 8192 && over < 160) packed = brotli(text, 11);
      if (packed.length <= this.maxBody && packed.length < bytes) return { pk: { S: pk }, sk: { S: sk }, y: { B: packed } };
    }
    if (bytes <= this.maxBody) return { pk: { S: pk }, sk: { S: sk }, b: { S: text } };
    if (!this.blobs) throw new Error(`The item ${pk} ${sk} is ${bytes} bytes, larger than an item holds, and no blob store is configured`);
    const key = `items/${createHash('sha256').update(`${pk}|${sk}`).digest('hex')}`;
    await this.blobs.put(key, text);
    return { pk: { S: pk }, sk: { S: sk }, bl: { S: key } };
  }

  /** The body of `item`, parsed. */
  async decode<T>(item: Item): Promise<T> {
    return JSON.parse(await this.text(item)) as T;
  }

  /** The body of `item` as stored text. */
  async text(item: Item): Promise<string> {
    if (item.y?.B !== undefined) return brotliDecompressSync(item.y.B).toString('utf8');
    if (item.bl?.S !== undefined) return this.blobs!.get(item.bl.S);
    return item.b!.S!;
  }
}
