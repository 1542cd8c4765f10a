/**
 * History in the cloud store: each frame version item holds the events of
 * the transition that made it (one item per transition, keyed by frame and
 * version, so a replayed transition overwrites itself). Payloads equal to the
 * frame's input or output before or after the transition are stored as
 * references to it, so a 1 KiB state costs its size once per item, not three
 * times. Reading sorts every transition by its Lamport clock and numbers the
 * events as GetExecutionHistory returns them.
 */
import type { JsonValue } from '../asl/json';
import { isStateEntered, Payload, type EventDraft } from '../engine/events';
import { EventNumbering, startedAfter, type TransitionStart } from '../engine/event-numbering';
import { FramePhase, type Frame } from '../engine/frame';
import { startsChildExecution } from '../engine/map-run-redrive';
import type { HistoryEvent } from '../engine/history';
import type { FrameVersion, StoredEvent } from './ports';

type Ref = 'bi' | 'ai' | 'ao';

/** Drafts as stored in the frame version that `after` is. */
export function storeEvents(drafts: readonly EventDraft[], before: Frame | undefined, after: Frame): StoredEvent[] {
  // A child's version 0 travels in its Enter message and is never stored: nothing could resolve a reference to it.
  // Nor is the version a child execution enters its first state from (restarted, or run again: map-run-redrive.ts).
  const stored = before !== undefined && before.version > 0 && !(before.phase === FramePhase.ENTERING && startsChildExecution(before));
  const encode = (value: unknown): unknown => {
    if (value instanceof Payload) {
      const v = value.value;
      if (stored && v === before.input) return { $r: 'bi' };
      if (v === after.input) return { $r: 'ai' };
      if (after.output !== undefined && v === after.output) return { $r: 'ao' };
      return { $p: v };
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = encode(v);
      return out;
    }
    return value;
  };
  return drafts.map((d) => {
    const stored: StoredEvent = { type: d.type, timestamp: d.timestamp };
    if (d.follows !== undefined) stored.follows = d.follows;
    if (d.detailsKey) {
      stored.detailsKey = d.detailsKey;
      stored.details = encode(d.details ?? {}) as Record<string, unknown>;
    }
    return stored;
  });
}

function resolve(details: Record<string, unknown>, before: Frame | undefined, after: Frame): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as { $r?: Ref; $p?: JsonValue };
      if (o.$r !== undefined) {
        const value = o.$r === 'bi' ? before?.input : o.$r === 'ai' ? after.input : after.output;
        out[k] = JSON.stringify(value ?? null);
      } else if ('$p' in o) {
        out[k] = JSON.stringify(o.$p ?? null);
      } else {
        out[k] = resolve(v as Record<string, unknown>, before, after);
      }
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** The history event `stored` of the transition from `before` to `after`, numbered `id` after `previousEventId`. */
export function historyEvent(stored: StoredEvent, before: Frame | undefined, after: Frame, id: number, previousEventId: number): HistoryEvent {
  const event: HistoryEvent = { timestamp: stored.timestamp, type: stored.type, id, previousEventId };
  if (stored.detailsKey) event[stored.detailsKey] = resolve(stored.details ?? {}, before, after);
  return event;
}

/** Orders transitions causally (Lamport clock), then by time, frame and version. */
export function compareVersions(a: FrameVersion, b: FrameVersion): number {
  return a.lc - b.lc || a.at - b.at || (a.frame.id < b.frame.id ? -1 : a.frame.id > b.frame.id ? 1 : 0) || a.frame.version - b.frame.version;
}

/** A stored effect as the history reads it: StartFrames' children and where they started. */
interface StoredStart {
  type?: string;
  frames?: Frame[];
  eventsBefore?: number;
}

/**
 * The frames `version` started (its outbox's StartFrames), each with the
 * event its first event follows ({@link startedAfter}): the transition's
 * `start` and how many of its events came before the children started.
 */
export function startedFrames(version: FrameVersion, start: TransitionStart): { frame: Frame; after: number | undefined }[] {
  const started: { frame: Frame; after: number | undefined }[] = [];
  for (const effect of (version.outbox?.effects ?? []) as StoredStart[]) {
    if (effect.type !== 'StartFrames') continue;
    const after = startedAfter(start, effect.eventsBefore ?? version.events.length);
    for (const frame of effect.frames ?? []) started.push({ frame, after });
  }
  return started;
}

/**
 * The execution's history from every frame version, in causal order,
 * numbered by {@link EventNumbering} (a child frame's first event follows
 * the event of its parent's transition that started it). With `childExecutionArn`, the history of
 * that child execution (a DISTRIBUTED Map's iteration) alone; without, the
 * execution's own, which holds no child execution's events.
 */
export function readHistory(all: readonly FrameVersion[], childExecutionArn?: string): { events: HistoryEvent[]; transitions: number } {
  const versions = all.filter((v) => v.frame.execution?.arn === childExecutionArn);
  const byFrame = new Map<string, FrameVersion[]>();
  for (const v of versions) {
    let list = byFrame.get(v.frame.id);
    if (!list) byFrame.set(v.frame.id, (list = []));
    list.push(v);
  }
  const previousVersion = new Map<FrameVersion, FrameVersion | undefined>();
  for (const list of byFrame.values()) {
    list.sort((a, b) => a.frame.version - b.frame.version);
    list.forEach((v, i) => previousVersion.set(v, i > 0 ? list[i - 1] : undefined));
  }
  const ordered = [...versions].sort(compareVersions);
  const events: HistoryEvent[] = [];
  const numbering = new EventNumbering();
  let transitions = 0;
  for (const version of ordered) {
    const before = previousVersion.get(version)?.frame;
    const frame = version.frame;
    const start = numbering.transitionStart(frame.id, frame.parentId);
    for (const stored of version.events) {
      const { id, previousEventId } = numbering.next(frame.id, frame.parentId, stored.type, stored.follows);
      events.push(historyEvent(stored, before, frame, id, previousEventId));
      if (isStateEntered(stored.type)) transitions++;
    }
    for (const { frame: child, after } of startedFrames(version, start)) numbering.start(child.id, after);
  }
  return { events, transitions };
}
