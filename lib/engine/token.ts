/**
 * Task tokens. A token names the exact task attempt it completes — execution,
 * frame, state entry and attempt — so SendTaskSuccess for an attempt that
 * already ended is recognised as stale, and no lookup table is needed to
 * route it.
 *
 * A token is also a secret (DESIGN.md invariant 7): it carries an
 * HMAC-SHA256 of what it names under the deployment's token key, so knowing
 * an execution's ARN is not enough to build the token of its task.
 *
 * Why a MAC and not a random part drawn by the driver: `step` must decide the
 * same thing when a transition is replayed (SQS delivers at least once; a
 * Lambda can die after the commit), and the token is part of what it
 * decides — it is in the frame's pending task and in TaskScheduled's
 * parameters. A MAC under a key given to `step` is the same on every replay
 * with no randomness in the engine and nothing new in the frame; the key
 * itself is never in a frame, record, message or history.
 *
 * Format (version 2): `base64url(JSON [2, executionArn, frameId, entry,
 * attempt]) "." base64url(HMAC-SHA256(key, the part before the dot))`.
 * Version 1 tokens (no MAC) are no longer accepted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenTarget {
  executionArn: string;
  frameId: string;
  entry: number;
  attempt: number;
}

/**
 * The secret a deployment signs its tokens with: at least
 * {@link TOKEN_KEY_BYTES} bytes from a cryptographic generator. Drivers get
 * it from their configuration (never from code) and give it to `step`.
 */
export type TaskTokenKey = Uint8Array;

/** The least key length accepted: 256 bits. */
export const TOKEN_KEY_BYTES = 32;

const VERSION = 2;

/** Thrown when a driver gives a key too short to be a secret (a bug of the driver, not of the caller). */
export class TokenKeyError extends Error {
  override readonly name = 'TokenKeyError';
  constructor(readonly length: number) {
    super(`A task token key must be at least ${TOKEN_KEY_BYTES} bytes. Received: ${length}`);
  }
}

function mac(key: TaskTokenKey, body: string): Buffer {
  if (key.length < TOKEN_KEY_BYTES) throw new TokenKeyError(key.length);
  return createHmac('sha256', key).update(body, 'utf8').digest();
}

/** Encodes and signs a token (opaque to users). The same target and key give the same token. */
export function encodeTaskToken(target: TokenTarget, key: TaskTokenKey): string {
  const text = JSON.stringify([VERSION, target.executionArn, target.frameId, target.entry, target.attempt]);
  const body = Buffer.from(text, 'utf8').toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/**
 * Decodes a token signed with `key`, or returns undefined when it is not one
 * of ours: malformed, of another version, altered, or signed with another key.
 * The MAC is compared in constant time before anything in the token is read.
 */
export function decodeTaskToken(token: string, key: TaskTokenKey): TokenTarget | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
  const body = token.slice(0, dot);
  // Compared as text, so only the one canonical spelling of the MAC is accepted.
  const given = Buffer.from(token.slice(dot + 1), 'utf8');
  const expected = Buffer.from(mac(key, body).toString('base64url'), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed[0] !== VERSION || parsed.length !== 5) return undefined;
    const [, executionArn, frameId, entry, attempt] = parsed as [number, unknown, unknown, unknown, unknown];
    if (typeof executionArn !== 'string' || typeof frameId !== 'string') return undefined;
    if (!Number.isSafeInteger(entry) || !Number.isSafeInteger(attempt)) return undefined;
    return { executionArn, frameId, entry: entry as number, attempt: attempt as number };
  } catch {
    return undefined;
  }
}
