/**
 * Retry decisions, pure. "When a state reports an error, the interpreter
 * scans through the Retriers and, when the Error Name appears in the value of
 * a Retrier's ErrorEquals field, implements the retry policy described in
 * that Retrier" — only the first matching Retrier counts (States Language,
 * Retrying after error).
 */
import { matchesErrorEquals } from '../asl/errors';
import type { CompiledRetrier } from '../asl/model';

export interface RetryDecision {
  retrier: number;
  delayMs: number;
}

/** Returns the retry to perform, or undefined when the error is not retried (no match, or attempts used up). */
export function decideRetry(
  retriers: readonly CompiledRetrier[],
  used: readonly number[],
  error: string,
  random: () => number,
): RetryDecision | undefined {
  const index = retriers.findIndex((r) => matchesErrorEquals(r.errorEquals, error));
  if (index < 0) return undefined;
  const retrier = retriers[index];
  const attempts = used[index] ?? 0;
  if (attempts >= retrier.maxAttempts) return undefined;
  // "BackoffRate ... the multiplier by which the retry interval increases during each attempt."
  let delaySeconds = retrier.intervalSeconds * Math.pow(retrier.backoffRate, attempts);
  if (retrier.maxDelaySeconds !== undefined) delaySeconds = Math.min(delaySeconds, retrier.maxDelaySeconds);
  // JitterStrategy FULL: "randomizes the delay between 0 and the computed interval".
  if (retrier.jitter === 'FULL') delaySeconds = random() * delaySeconds;
  return { retrier: index, delayMs: Math.round(delaySeconds * 1000) };
}
