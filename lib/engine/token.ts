/**
 * Task tokens. A token names the exact task attempt it completes — execution,
 * frame, state entry and attempt — so SendTaskSuccess for an attempt that
 * already ended is recognised as stale, and no lookup table is needed to
 * route it.
 */

export interface TokenTarget {
  executionArn: string;
  frameId: string;
  entry: number;
  attempt: number;
}

/** Encodes a token (opaque to users: base64url of a versioned JSON tuple). */
export function encodeTaskToken(target: TokenTarget): string {
  const text = JSON.stringify([1, target.executionArn, target.frameId, target.entry, target.attempt]);
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Decodes a token, or returns undefined when it is not one of ours. */
export function decodeTaskToken(token: string): TokenTarget | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed[0] !== 1 || parsed.length !== 5) return undefined;
    const [, executionArn, frameId, entry, attempt] = parsed as [number, unknown, unknown, unknown, unknown];
    if (typeof executionArn !== 'string' || typeof frameId !== 'string') return undefined;
    if (typeof entry !== 'number' || typeof attempt !== 'number') return undefined;
    return { executionArn, frameId, entry, attempt };
  } catch {
    return undefined;
  }
}
