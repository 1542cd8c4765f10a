/**
 * Frame versions stored as deltas. Version v of a frame repeats most of
 * version v-1 (the state data, the definition's names), so it is stored as
 * the edit of v-1 (text-delta.ts) when the writer knows v-1's stored text —
 * it read or wrote it — and whole otherwise. An item holding a delta names
 * its base in `dv`.
 *
 *   v1 whole ── v2 Δv1 ── v3 Δv2 … v16 Δv15 ── v17 whole ── v18 Δv17 …
 *
 * Every version at a keyframe slot (1, 17, 33, …: {@link KEYFRAME_EVERY})
 * is whole, so a reader rebuilds any version from at most 15 items before
 * it: the latest version is one item when the store knows it or its base,
 * else it and the items back to its keyframe slot; a history page starts at
 * the keyframe slot at or before its first version.
 *
 * Why this is safe under DESIGN.md's invariants: a stored version's body is
 * never rewritten (each is put once, conditionally; only `od` and `ex` are
 * updated), so a base once read is the base forever. The writer remembers a
 * text only after its own conditional put won or it read the text from the
 * table; a put that lost or failed forgets the frame. And every item of an
 * execution lives at least until the retention after its end (expiry.ts),
 * so no delta outlives its base while the execution can be read.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { FrameVersion } from '../../service/ports';
import type { ItemBodies } from './item-body';
import { applyDelta, encodeDelta } from './text-delta';

type Item = Record<string, AttributeValue>;

/** A whole version at least this often: a reader needs at most this many items to rebuild one. */
export const KEYFRAME_EVERY = 16;

/** Characters of frame text a store remembers as delta bases (about twice as many bytes of memory). */
const DEFAULT_BUDGET_CHARS = 8_000_000;

/** Width of the version in a frame item's sort key (`F#<frameId>#<version:10>`). */
const VERSION_DIGITS = 10;

/** Whether version `v` is always stored whole. */
export function isKeyframeSlot(v: number): boolean {
  return v <= 1 || (v - 1) % KEYFRAME_EVERY === 0;
}

/** The keyframe slot at or before `v`: where a read that must rebuild `v` starts. */
export function chainStart(v: number): number {
  return v <= 1 ? v : v - ((v - 1) % KEYFRAME_EVERY);
}

/** The sort key of a frame's version. */
export function frameSk(frameId: string, version: number): string {
  return `F#${frameId}#${String(version).padStart(VERSION_DIGITS, '0')}`;
}

/** The frame (the sort key without the version) and version a frame sort key names. */
function skSlot(sk: string): { frame: string; version: number } {
  return { frame: sk.slice(0, sk.length - VERSION_DIGITS - 1), version: Number(sk.slice(sk.length - VERSION_DIGITS)) };
}

/** A frame item's frame and version. */
export function slot(item: Item): { frame: string; version: number } {
  return skSlot(item.sk!.S!);
}

/** Encodes frame versions as deltas where it can, and rebuilds them; one per store (its memory of bases is per container). */
export class FrameChains {
  /** The last stored text this store knows of each frame, by `pk|frame sort-key prefix`; least recently used first. */
  private readonly known = new Map<string, { version: number; text: string }>();
  private knownChars = 0;

  constructor(
    private readonly bodies: ItemBodies,
    private readonly budgetChars = DEFAULT_BUDGET_CHARS,
  ) {}

  /** The item holding `version` at `pk`/`sk` — a delta of the version before it when that one's text is known — and the version's text. */
  async encode(pk: string, sk: string, version: FrameVersion): Promise<{ item: Item; text: string }> {
    const text = JSON.stringify(version);
    const v = version.frame.version;
    const base = isKeyframeSlot(v) ? undefined : this.known.get(`${pk}|${skSlot(sk).frame}`);
    if (base !== undefined && base.version === v - 1) {
      const delta = encodeDelta(base.text, text);
      // A delta that saves little is not worth the reader's work.
      if (delta !== undefined && delta.length * 2 < text.length) {
        const item = await this.bodies.encodeText(pk, sk, delta);
        item.dv = { N: String(v - 1) };
        return { item, text };
      }
    }
    return { item: await this.bodies.encodeText(pk, sk, text), text };
  }

  /** After the put of `sk`'s version: remembers its text when the put won, forgets the frame when it lost or failed. */
  written(pk: string, sk: string, text: string, won: boolean): void {
    const { frame, version } = skSlot(sk);
    if (won) this.remember(`${pk}|${frame}`, version, text);
    else this.forget(`${pk}|${frame}`);
  }

  /**
   * Rebuilds the versions of `items` (one execution's frame items, ascending
   * by sort key, as a query returns them) that `wanted` picks, parsing only
   * those. A delta whose base is neither among the items nor remembered is
   * left out: a caller that needs it read from too late a version. An
   * outbox is marked done where the item's `od` says so. `remember`: keep
   * the last version of each frame as a delta base.
   */
  async decode(pk: string, items: readonly Item[], wanted: (item: Item, index: number) => boolean = () => true, remember = false): Promise<FrameVersion[]> {
    const out: FrameVersion[] = [];
    const texts = new Map<string, string>();
    const last = new Map<string, { version: number; text: string }>();
    // A version this store wrote or read last is its stored text already; the others' bodies are fetched at
    // once (a body in the blob store is a GET each), then rebuilt in order.
    const slots = items.map(slot);
    const known = slots.map(({ frame, version }) => this.knownText(pk, frame, version));
    const bodies = await Promise.all(items.map((item, i) => (known[i] === undefined ? this.bodies.text(item) : undefined)));
    for (const [index, item] of items.entries()) {
      const { frame, version } = slots[index]!;
      let text = known[index];
      if (text === undefined) {
        const stored = bodies[index]!;
        text = stored;
        if (item.dv?.N !== undefined) {
          const baseVersion = Number(item.dv.N);
          const base = texts.get(`${frame}#${baseVersion}`) ?? this.knownText(pk, frame, baseVersion);
          if (base === undefined) continue;
          text = applyDelta(base, stored);
        }
      }
      texts.set(`${frame}#${version}`, text);
      last.set(frame, { version, text });
      if (!wanted(item, index)) continue;
      const v = JSON.parse(text) as FrameVersion;
      if (item.od?.BOOL && v.outbox) v.outbox.done = true;
      out.push(v);
    }
    if (remember) for (const [frame, l] of last) this.remember(`${pk}|${frame}`, l.version, l.text);
    return out;
  }

  /** Whether `item` (a frame item) can be rebuilt from itself or a remembered base, with no item before it. */
  standsAlone(pk: string, item: Item): boolean {
    const { frame, version } = slot(item);
    return item.dv?.N === undefined || this.knownText(pk, frame, version) !== undefined || this.knownText(pk, frame, Number(item.dv.N)) !== undefined;
  }

  private knownText(pk: string, frame: string, version: number): string | undefined {
    const known = this.known.get(`${pk}|${frame}`);
    return known?.version === version ? known.text : undefined;
  }

  private remember(key: string, version: number, text: string): void {
    const had = this.known.get(key);
    if (had !== undefined && had.version > version) return;
    this.forget(key);
    if (text.length > this.budgetChars) return;
    this.known.set(key, { version, text });
    this.knownChars += text.length;
    for (const [k, v] of this.known) {
      if (this.knownChars <= this.budgetChars) break;
      this.known.delete(k);
      this.knownChars -= v.text.length;
    }
  }

  private forget(key: string): void {
    const had = this.known.get(key);
    if (had === undefined) return;
    this.known.delete(key);
    this.knownChars -= had.text.length;
  }
}
