/**
 * Collecting children's completions on the parent (DESIGN.md invariant 5).
 * Each child records its completion in the store (outbox.ts) before it sends
 * its ChildCompleted message, which is then only the parent's wake-up: the
 * first wake-up whose own completion is not yet counted collects, in the
 * same transition, every completion recorded by then (one consistent query
 * page), and the wake-ups of those find them counted and write nothing. So
 * the parent is the only writer of its frame, children never write it, and
 * handlers in other containers rarely race on it: a loser of the parent's
 * conditional put reads it again and mostly finds its completion collected.
 */
import { FramePhase, type Frame } from '../engine/frame';
import type { ChildrenCompletedMessage } from '../engine/messages';
import type { Envelope, ExecutionStore } from './ports';

/** Completions one transition collects at most (one query page): the step stays short, the rest wait for the next. */
export const COLLECT_PAGE = 500;

/**
 * The recorded completions of `parent`'s current child run that it has not
 * counted yet, as one ChildrenCompleted with the latest of their children's
 * Lamport clocks; undefined when there are none, or
 * when `wakeUps` are not completions of that run.
 * @param parent the parent frame after the wake-ups' own completions were applied
 */
export async function waitingCompletions(store: ExecutionStore, executionArn: string, parent: Frame, wakeUps: readonly Envelope[]): Promise<{ message: ChildrenCompletedMessage; lc: number } | undefined> {
  const first = wakeUps[0].message;
  const progress = parent.children;
  if (first.type !== 'ChildCompleted' || parent.phase !== FramePhase.CHILDREN || !progress || parent.entry !== first.entry || progress.run !== first.run) return undefined;
  const counted = new Set(progress.doneAbove ?? []);
  // A completion recorded before the parent was redriven is stale (the children it redrove write new ones).
  const redrives = parent.redrives ?? 0;
  const records = await store.childCompletions(executionArn, parent.id, first.entry, first.run, progress.doneBelow ?? 0, COLLECT_PAGE);
  const waiting = records.filter((r) => r.redrives >= redrives && !counted.has(r.message.index));
  if (waiting.length === 0) return undefined;
  // The version that counts them comes after each in the history (ordered by Lamport clock), as a wake-up's would.
  const lc = Math.max(0, ...waiting.map((r) => r.lc ?? 0));
  return { message: { type: 'ChildrenCompleted', frameId: parent.id, entry: first.entry, completions: waiting.map((r) => r.message) }, lc };
}
