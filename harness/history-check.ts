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
 * no order between them (and a child's first previousEventId is its
 * parent's latest event so far). So a history that is not identical must
 * hold the very same events, type and details, numbered 1…n, each after
 * the event its previousEventId names.
 */
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

/** How a history compares with the reference. */
export type HistoryMatch = 'identical' | 'interleaved' | 'different';

/** The events without their place: type and details of each, sorted. */
function eventSet(events: readonly HistoryEvent[]): string {
  return events
    .map((e) => {
      const { timestamp: _t, id: _id, previousEventId: _p, ...own } = e;
      return JSON.stringify(own);
    })
    .sort()
    .join('\n');
}

/** Ids number the events 1…n and each previousEventId names an earlier event. */
function wellNumbered(events: readonly HistoryEvent[]): boolean {
  return events.every((e, i) => e.id === i + 1 && e.previousEventId >= 0 && e.previousEventId < e.id);
}

/** Compares a history with the reference's: identical, the same up to the interleaving of concurrent frames, or different. */
export function compareHistories(got: readonly HistoryEvent[], want: readonly HistoryEvent[]): HistoryMatch {
  if (firstDifference(got, want) === undefined) return 'identical';
  return wellNumbered(got) && eventSet(got) === eventSet(want) ? 'interleaved' : 'different';
}

/**
 * The attempt ids (`<executionArn>#<frameId>#<entry>#<attempt>`, as the
 * engine names them) that failed as lost workers: each is the pending task
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
