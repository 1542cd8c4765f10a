/**
 * Continuation tokens (nextToken): opaque to callers, bound to what they
 * page. A token names its listing (`tag`) and a hash of its scope (the
 * ARN listed, the execution read), so one from another listing or another
 * execution is InvalidToken, as the service answers.
 */
import { createHash } from 'node:crypto';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';

const scopeHash = (scope: string): string => createHash('sha256').update(scope).digest('base64url').slice(0, 16);

/** The nextToken that resumes listing `tag` of `scope` at `position`. */
export function pageToken(tag: string, scope: string, position: unknown): string {
  return Buffer.from(`${tag}.${scopeHash(scope)}.${JSON.stringify(position)}`).toString('base64url');
}

/** The position a nextToken of listing `tag` of `scope` holds; InvalidToken when it is not one. */
export function readPageToken(tag: string, scope: string, token: string): unknown {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const head = `${tag}.${scopeHash(scope)}.`;
  if (!text.startsWith(head)) throw new ServiceError(ServiceErrorName.InvalidToken, 'Invalid Token');
  try {
    return JSON.parse(text.slice(head.length)) as unknown;
  } catch {
    throw new ServiceError(ServiceErrorName.InvalidToken, 'Invalid Token');
  }
}
