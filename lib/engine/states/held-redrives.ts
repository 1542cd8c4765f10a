/**
 * A redriven Map's MaxConcurrency (developer guide, "Redriving Map Runs"):
 * "If you've redriven a Map Run, and it has reached its concurrency limit,
 * the child workflow executions in that Map Run transition to the pending
 * state … Until the specified concurrency limit can allow for more child
 * workflow executions to run, the execution remains in the Pending redrive
 * state." The children to redrive wait in the progress's `pendingRedrives`,
 * and each completion (or UpdateMapRun) lets the next ones go, before any
 * item that never started.
 */
import { progressWith, type ChildProgress } from '../frame';
import { childId } from './children';
import type { Transition } from '../transition';

/** How many of `wanted` held children MaxConcurrency lets go now (held ones count as started, not running). */
export function freeSlots(progress: ChildProgress, wanted: number): number {
  const held = (progress.pendingRedrives?.length ?? 0) + (progress.pendingReruns?.length ?? 0);
  const running = progress.started - progress.succeeded - progress.failed - held;
  return Math.min(wanted, progress.maxConcurrency === 0 ? wanted : Math.max(0, progress.maxConcurrency - running));
}

/** Holds ChildrenRedriven's children to redrive, then redrives as many as the limit allows. */
export function holdRedrives(t: Transition, indexes: readonly number[] | undefined): void {
  if (indexes === undefined || indexes.length === 0) return;
  t.frame.children = progressWith(t.frame.children!, { pendingRedrives: [...indexes] });
  releaseRedrives(t);
}

/** Redrives held children while fewer than MaxConcurrency run (held ones count as started, not running). */
export function releaseRedrives(t: Transition): void {
  const progress = t.frame.children;
  const pending = progress?.pendingRedrives;
  if (!progress || pending === undefined || pending.length === 0) return;
  const slots = freeSlots(progress, pending.length);
  if (slots === 0) return;
  const released = pending.slice(0, slots);
  const rest = pending.slice(slots);
  t.frame.children = progressWith(progress, { pendingRedrives: rest.length > 0 ? rest : undefined });
  const redriveCount = progress.redriven ?? 0;
  for (const index of released) {
    t.effect({ type: 'Deliver', message: { type: 'Redrive', frameId: childId(t.frame, progress.run, index), redriveCount }, delayMs: 0 });
  }
}
