/**
 * A text as the edit of another: runs copied from the base, and literal text
 * between them. Consecutive versions of a frame differ in a few fields (the
 * state's name, a counter, the new events) while repeating the state data,
 * so the version stored as a delta of the one before it is a few hundred
 * bytes whatever the state's size.
 *
 * Matching is by blocks: every {@link BLOCK}-character block of the base at
 * a multiple of BLOCK is indexed, and the text is scanned for them, each hit
 * grown both ways as far as text and base agree. Linear in the lengths; a
 * change shorter than a block between equal runs costs only its own bytes.
 *
 * The delta is text: literal characters, and `\u0001<start>,<length>;` for a
 * copy (base 36). A text that itself holds U+0001 is not encoded (JSON text
 * never does: JSON.stringify escapes control characters).
 */

/** Characters per indexed block of the base. */
export const BLOCK = 16;

const COPY = '\u0001';

/**
 * The delta that rebuilds `text` from `base`, or undefined when `text` holds
 * the copy marker (it cannot be encoded; store it whole).
 */
export function encodeDelta(base: string, text: string): string | undefined {
  if (text.includes(COPY)) return undefined;
  const blocks = new Map<string, number>();
  for (let p = 0; p + BLOCK <= base.length; p += BLOCK) {
    const key = base.slice(p, p + BLOCK);
    if (!blocks.has(key)) blocks.set(key, p);
  }
  const out: string[] = [];
  let literalFrom = 0;
  let i = 0;
  while (i + BLOCK <= text.length) {
    let p = blocks.get(text.slice(i, i + BLOCK));
    if (p === undefined) {
      i++;
      continue;
    }
    // Grow the match back into the pending literal, then forward.
    let start = i;
    while (start > literalFrom && p > 0 && text.charCodeAt(start - 1) === base.charCodeAt(p - 1)) {
      start--;
      p--;
    }
    let end = i + BLOCK;
    let q = p + (end - start);
    while (end < text.length && q < base.length && text.charCodeAt(end) === base.charCodeAt(q)) {
      end++;
      q++;
    }
    // Never split a surrogate pair between a literal and a copy: the delta is stored as UTF-8, where half a pair is lost.
    if (isLowSurrogate(text.charCodeAt(start))) {
      start++;
      p++;
    }
    if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
    if (end - start < BLOCK) {
      i++;
      continue;
    }
    if (start > literalFrom) out.push(text.slice(literalFrom, start));
    out.push(`${COPY}${p.toString(36)},${(end - start).toString(36)};`);
    literalFrom = i = end;
  }
  if (literalFrom < text.length) out.push(text.slice(literalFrom));
  return out.join('');
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** The text `delta` rebuilds from `base` (the inverse of {@link encodeDelta}). */
export function applyDelta(base: string, delta: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < delta.length) {
    const marker = delta.indexOf(COPY, i);
    if (marker === -1) {
      out.push(delta.slice(i));
      break;
    }
    if (marker > i) out.push(delta.slice(i, marker));
    const comma = delta.indexOf(',', marker);
    const end = delta.indexOf(';', comma);
    if (comma === -1 || end === -1) throw new Error(`A frame delta is malformed at character ${marker}`);
    const start = parseInt(delta.slice(marker + 1, comma), 36);
    const length = parseInt(delta.slice(comma + 1, end), 36);
    if (!(start >= 0 && length > 0 && start + length <= base.length)) throw new Error(`A frame delta copies ${length} characters from ${start} of a base of ${base.length}`);
    out.push(base.slice(start, start + length));
    i = end + 1;
  }
  return out.join('');
}
