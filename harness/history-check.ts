/**
 * The harness's exact comparison of an execution's history with the
 * in-process driver's: every event's type, id, previousEventId and details,
 * in order (timestamps excluded, as they are wall-clock). And the one
 * legitimate difference a crash makes: a task attempt whose handler died
 * between its claim and its recorded result fails as a lost worker
 * (DESIGN.md invariant 3). The attempts that did are read from the store,
 * and the reference run fails the same attempts the same way, so the rest
 * of the history still has to match event by event.
 *
 * Events of concurrent frames (Parallel branches, Map iterations) may
 * interleave differently than in the in-process run — the service promises
 * no order between them. So a history that is not identical is compared
 * frame by frame, ids mapped: every event with the same type and details
 * as the reference's, in the same order within its frame, and each frame
 * started after the same event of its parent ({@link causalNames}), but
 * for the order a Map's or Parallel's children end in.
 */
import { createHash } from 'node:crypto';
import type { HistoryEvent } from '../lib/engine/history';
import { LOST_WORKER_CAUSE } from '../lib/service/task-attempts';
import type { FrameVersion } from '../lib/service/ports';

/** One event as compared: everything but the timestamp. */
export function comparableEvent(event: HistoryEvent): string {
  const { timestamp: _timestamp, ...rest } = event;
  return JSON.stringify(rest);
}

/** The first place two histories differ, described; undefined when they are equal. */
export function firstDifference(got: readonly HistoryEvent[], want: readonly HistoryEvent[]): string | undefined {
  const n = Math.max(got.length, want.length);
  for (let i = 0; i < n; i++) {
    const g = got[i] === undefined ? 'nothing' : comparableEvent(got[i]);
    const w = want[i] === undefined ? 'nothing' : comparableEvent(want[i]);
    if (g !== w) return `event ${i + 1} of ${got.length} (reference ${want.length}): ${g.slice(0, 400)} expected ${w.slice(0, 400)}`;
  }
  return undefined;
}

/**
 * How a history compares with the reference: `identical` event for event, or
 * `per_frame` — the same events in the same order within every frame, each
 * frame's first event after the same event of its parent, numbered 1…n (the
 * interleaving of concurrent frames aside, see {@link causalNames}) — or
 * `different`.
 */
export type HistoryMatch = 'identical' | 'per_frame' | 'different';

/** An event's own content: everything but its place (timestamp, id, previousEventId). */
function ownContent(e: HistoryEvent): string {
  const { timestamp: _t, id: _id, previousEventId: _p, ...own } = e;
  return JSON.stringify(own);
}

/**
 * The events a Map or Parallel records about its children and itself as
 * they start and end: Step Functions links them to a child's last event (a
 * MapIteration… event to its iteration's, ParallelStateSucceeded to the
 * branch that ended last, …StateExited where …StateSucceeded links), so
 * their previousEventId depends on the order the children happened to end
 * in, which Step Functions does not fix either (nor does the queue: SQS
 * keeps no order).
 */
const JOIN_EVENTS = new Set<string>([
  'MapIterationStarted',
  'MapIterationSucceeded',
  'MapIterationFailed',
  'MapIterationAborted',
  'MapStateStarted',
  'MapStateSucceeded',
  'MapStateFailed',
  'MapStateExited',
  'ParallelStateStarted',
  'ParallelStateSucceeded',
  'ParallelStateFailed',
  'ParallelStateExited',
]);

/**
 * Each event named by its content and the name of the event it follows
 * (previousEventId: the previous event of its own frame, or for a frame's
 * first event its parent's last), hashed: the name is the event's whole
 * causal path, so two histories hold the same multiset of names exactly
 * when every frame recorded the same events in the same order from the
 * same point. One freedom: a Map's or Parallel's own events
 * ({@link JOIN_EVENTS}) are named by their content alone, so the order its
 * children happened to end in is free — each child's own events, and
 * everything after those events, are not: an iteration's first event
 * follows its own MapIterationStarted exactly (not the last iteration
 * event of the commit that started it).
 * Undefined when the numbering is not 1…n with each previousEventId naming
 * an earlier event.
 */
export function causalNames(events: readonly HistoryEvent[]): string[] | undefined {
  const names: string[] = [];
  for (const [i, e] of events.entries()) {
    if (e.id !== i + 1 || e.previousEventId < 0 || e.previousEventId >= e.id) return undefined;
    const previous = JOIN_EVENTS.has(e.type) ? 0 : e.previousEventId;
    const after = previous === 0 ? '' : names[previous - 1];
    names.push(createHash('sha1').update(after).update('\n').update(ownContent(e)).digest('base64'));
  }
  return names;
}

/** Compares a history with the reference's (see {@link HistoryMatch}). */
export function compareHistories(got: readonly HistoryEvent[], want: readonly HistoryEvent[]): HistoryMatch {
  if (firstDifference(got, want) === undefined) return 'identical';
  const g = causalNames(got);
  const w = causalNames(want);
  if (!g || !w || g.length !== w.length) return 'different';
  return g.sort().join() === w.sort().join() ? 'per_frame' : 'different';
}

/**
 * An attempt id (`<executionArn>#<frameId>#<entry>#<attempt>`, as the engine
 * names them) named by its root execution: a DISTRIBUTED Map's iterations
 * are child executions whose ARNs hold a random Map Run id, so their
 * attempts are named by the execution that started them (frame ids are
 * unique within it).
 */
export function rootAttemptId(attemptId: string, root: (executionArn: string) => string): string {
  const i = attemptId.indexOf('#');
  return `${root(attemptId.slice(0, i))}${attemptId.slice(i)}`;
}

/**
 * The attempt ids (named by their root execution, {@link rootAttemptId})
 * that failed as lost workers: each is the pending task
 * of the frame version before the one that recorded the lost-worker failure.
 */
export function lostAttempts(executionArn: string, versions: readonly FrameVersion[]): Set<string> {
  const lost = new Set<string>();
  const previous = new Map<string, FrameVersion>();
  const ordered = [...versions].sort((a, b) => (a.frame.id < b.frame.id ? -1 : a.frame.id > b.frame.id ? 1 : a.frame.version - b.frame.version));
  for (const version of ordered) {
    const before = previous.get(version.frame.id);
    previous.set(version.frame.id, version);
    const lostHere = version.events.some((e) => {
      const cause = (e.details as { cause?: unknown } | undefined)?.cause;
      return /Failed$/.test(e.type) && (cause === LOST_WORKER_CAUSE || (cause as { $p?: unknown } | undefined)?.$p === LOST_WORKER_CAUSE);
    });
    if (lostHere && before?.frame.task) lost.add(`${executionArn}#${before.frame.id}#${before.frame.entry}#${before.frame.task.attempt}`);
  }
  return lost;
}
