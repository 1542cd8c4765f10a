/** lib/aws/dynamodb/text-delta.ts: a text as copies from a base and literals, rebuilt exactly. */
import { applyDelta, BLOCK, encodeDelta } from '../../../lib/aws/dynamodb/text-delta';

/** A deterministic pseudo-random source, so a failing case can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function order(rnd: () => number, step: number): Record<string, unknown> {
  const word = (n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyzé😀'[Math.floor(rnd() * 28)]).join('');
  return { orderId: `ord-${Math.floor(rnd() * 1e9)}`, lines: Array.from({ length: 12 }, () => ({ sku: word(6), qty: Math.floor(rnd() * 4), note: word(12) })), step };
}

describe('encodeDelta and applyDelta', () => {
  it('rebuilds a frame-like text from a few hundred characters when only a counter and the events changed', () => {
    const rnd = random(7);
    const state = order(rnd, 0);
    const base = JSON.stringify({ frame: { version: 3, state: 'T1', input: state }, events: [{ type: 'TaskStateEntered', name: 'T1' }] });
    const text = JSON.stringify({ frame: { version: 4, state: 'T2', input: { ...state, step: 1 } }, events: [{ type: 'TaskStateEntered', name: 'T2' }] });
    const delta = encodeDelta(base, text)!;
    expect(applyDelta(base, delta)).toBe(text);
    expect(text.length).toBeGreaterThan(700);
    expect(delta.length).toBeLessThan(120);
  });

  it('rebuilds every text exactly: random edits of random JSON, astral characters included, never split', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const base = JSON.stringify(order(rnd, seed));
      const chars = [...base];
      // Replace, insert and delete a few runs of code points (never half a surrogate pair).
      for (let e = 0; e < 1 + Math.floor(rnd() * 6); e++) {
        const at = Math.floor(rnd() * chars.length);
        const run = Math.floor(rnd() * 40);
        chars.splice(at, Math.floor(rnd() * run), ...[...JSON.stringify(order(rnd, e)).slice(0, run)]);
      }
      const text = chars.join('');
      const delta = encodeDelta(base, text)!;
      expect({ seed, rebuilt: applyDelta(base, delta) }).toEqual({ seed, rebuilt: text });
      // Stored as UTF-8: the delta must survive the round trip (a split pair would become U+FFFD).
      expect(Buffer.from(delta, 'utf8').toString('utf8')).toBe(delta);
    }
  });

  it('copies nothing from an unrelated base and nothing shorter than a block', () => {
    expect(encodeDelta('x'.repeat(100), 'the quick brown fox jumps')).toBe('the quick brown fox jumps');
    const base = 'abcdefghijklmnopqrstuvwxyz0123456789';
    expect(encodeDelta(base, base.slice(0, BLOCK - 1))).toBe(base.slice(0, BLOCK - 1));
    expect(encodeDelta(base, `>>${base}<<`)).toBe('>>\u00010,10;<<');
    expect(applyDelta(base, '>>\u00010,10;<<')).toBe(`>>${base}<<`);
  });

  it('refuses a text holding the copy marker, and fails on a malformed or out-of-range delta', () => {
    expect(encodeDelta('abc', 'a\u0001b')).toBeUndefined();
    expect(() => applyDelta('abc', 'x\u00010,2')).toThrow('A frame delta is malformed at character 1');
    expect(() => applyDelta('abc', '\u00012,5;')).toThrow('A frame delta copies 5 characters from 2 of a base of 3');
  });
});
