/**
 * GetExecutionHistory one page at a time, reading only the frame versions
 * the page needs. The history is every frame's versions merged in causal
 * order ({@link compareVersions}); within a frame that order is its version
 * order, so a page merges the heads of the frames that may still add events
 * and reads each frame a chunk at a time. Frames are found as the merge
 * meets the versions that start them (StartFrames), and
 * the cursor carries the numbering ({@link EventNumbering}'s links) of the
 * frames still open, so the next page continues where this one stopped:
 *
 *   page 1: root@1 root@2 ─ StartFrames ─┬ root/0@1 root/1@1 root@3 …   (stops after N events)
 *   cursor: { n, frames: root@3 last=7, root/0@1 last=5, … }              (where each frame stands)
 *   page 2: merges from there on
 *
 * A frame leaves the cursor once it ended and has no open children, so the
 * cursor holds the frames running at that point of the history.
 */
import type { HistoryEvent } from '../engine/history';
import { lastEventAfter, mapEntryFromAfter, previousEventOf, type TransitionStart } from '../engine/event-numbering';
import { FrameStatus } from '../engine/frame';
import { compareVersions, historyEvent, startedFrames } from './history';
import type { ExecutionStore, FrameVersion } from './ports';

/** Where one frame stands in a history read. */
interface FrameCursor {
  /** The last version whose events were all read (-1: none known, read the frame from its start). */
  version: number;
  /** Whether the frame's link is known (it was started, or recorded an event), and the event its next one follows (EventNumbering's link). */
  started: boolean;
  last?: number;
  parentId?: string;
  /** Events of the next version already read (a page that ended inside a transition), and the frame's last event before them. */
  skip?: number;
  before?: number;
  /** Its last version read ended it (it may still have open children). */
  ended?: boolean;
  /** When its last event read is a MapStateEntered, the event that one links to (event-numbering's mapEntryFromAfter). */
  mapEntryFrom?: number;
  /** The last events of its children that left the cursor, kept until its version that follows them (EventDraft.follows) is read. */
  endedLast?: Record<string, number>;
}

/** Where a history read stands: the events numbered so far and the frames that may add more. */
export interface HistoryCursor {
  n: number;
  frames: Record<string, FrameCursor>;
}

/** Frame versions read a chunk at a time (at most this many per query). */
const CHUNK = 100;

/** Reads a frame's versions in order, a chunk at a time, keeping the one before the head (its input resolves references). */
class FrameReader {
  private buffer: FrameVersion[] = [];
  private exhausted = false;
  previous: FrameVersion | undefined;

  constructor(
    private readonly read: (from: number, limit: number) => Promise<FrameVersion[]>,
    private readonly cursor: FrameCursor,
    private readonly chunk: number,
  ) {}

  /** Loads the next chunk unless the buffer holds a head or the frame has nothing more. */
  async fill(): Promise<void> {
    if (this.buffer.length > 0 || this.exhausted) return;
    const from = Math.max(0, this.cursor.version);
    const got = await this.read(from, this.chunk + 1);
    this.exhausted = got.length < this.chunk + 1;
    const last = this.cursor.version;
    for (const v of got) {
      if (v.frame.version <= last) this.previous = v;
      else this.buffer.push(v);
    }
  }

  get head(): FrameVersion | undefined {
    return this.buffer[0];
  }

  get done(): boolean {
    return this.buffer.length === 0 && this.exhausted;
  }

  advance(): void {
    this.previous = this.buffer.shift();
  }
}

/** The start of a history: the root frame, nothing read. */
export function historyStart(): HistoryCursor {
  return { n: 0, frames: { root: { version: -1, started: false } } };
}

/**
 * Up to `limit` events of the execution's history from `cursor` on, and the
 * cursor after them when more follow. `decode` restores stored payloads.
 * Undefined when the merge meets a redrive of child frames (see openChildren).
 */
export async function readHistoryPage(
  store: Pick<ExecutionStore, 'frameVersions'>,
  executionArn: string,
  decode: (v: FrameVersion) => Promise<FrameVersion>,
  cursor: HistoryCursor,
  limit: number,
): Promise<{ events: HistoryEvent[]; cursor?: HistoryCursor } | undefined> {
  const frames = cursor.frames;
  const chunk = Math.min(CHUNK, limit);
  const readers = new Map<string, FrameReader>();
  const readerOf = (id: string): FrameReader => {
    let r = readers.get(id);
    if (!r) {
      const read = async (from: number, n: number): Promise<FrameVersion[]> => Promise.all((await store.frameVersions(executionArn, id, from, n)).map(decode));
      readers.set(id, (r = new FrameReader(read, frames[id], chunk)));
    }
    return r;
  };
  const events: HistoryEvent[] = [];
  let n = cursor.n;
  while (events.length < limit) {
    const open = Object.keys(frames).map(readerOf);
    await Promise.all(open.map((r) => r.fill()));
    let id: string | undefined;
    for (const fid of Object.keys(frames)) {
      const head = readers.get(fid)!.head;
      if (head && (id === undefined || compareVersions(head, readers.get(id)!.head!) < 0)) id = fid;
    }
    if (id === undefined) break;
    const reader = readers.get(id)!;
    const version = reader.head!;
    const at = frames[id];
    const skip = at.skip ?? 0;
    if (skip === 0 && !at.started) {
      // A frame never started by a version read (the root) follows the last event its parent had recorded (EventNumbering's childLink).
      const parent = at.parentId !== undefined ? frames[at.parentId] : undefined;
      at.started = true;
      at.last = parent?.started ? parent.last : undefined;
    }
    const before = skip === 0 ? at.last : at.before;
    const take = Math.min(version.events.length - skip, limit - events.length);
    for (let i = skip; i < skip + take; i++) {
      n++;
      const stored = version.events[i];
      const follows = stored.follows;
      const followedLast = follows !== undefined ? (frames[follows]?.last ?? at.endedLast?.[follows]) : undefined;
      const previous = previousEventOf(at.last, n, stored.type, follows !== undefined, followedLast, at.mapEntryFrom);
      at.last = lastEventAfter(stored.type, previous, n);
      const entryFrom = mapEntryFromAfter(stored.type, previous);
      if (entryFrom !== undefined) at.mapEntryFrom = entryFrom;
      else delete at.mapEntryFrom;
      events.push(historyEvent(version.events[i], reader.previous?.frame, version.frame, n, previous));
    }
    if (skip + take < version.events.length) {
      at.skip = skip + take;
      if (before !== undefined) at.before = before;
      break;
    }
    delete at.skip;
    delete at.before;
    forgetFollowed(at, version);
    at.version = version.frame.version;
    at.ended = version.frame.status !== FrameStatus.RUNNING;
    reader.advance();
    if (!openChildren(frames, version, { firstEventId: n - version.events.length + 1, lastBefore: before })) return undefined;
    close(frames, id);
  }
  const more = Object.keys(frames).some((fid) => !readerOf(fid).done);
  return more ? { events, cursor: { n, frames } } : { events };
}

/**
 * Adds the frames a version starts (StartFrames) to the read, each linked to
 * the event of the version that started it (`start`: where the version's
 * events began). False when it redrives children (RedriveChildren): their
 * events go on from links the cursor no longer holds, so the caller reads
 * the whole history instead.
 */
function openChildren(frames: Record<string, FrameCursor>, version: FrameVersion, start: TransitionStart): boolean {
  if ((version.outbox?.effects ?? []).some((e) => (e as { type?: string }).type === 'RedriveChildren')) return false;
  for (const { frame: child, after } of startedFrames(version, start)) {
    // A child execution (a DISTRIBUTED Map's iteration) has a history of its own.
    if (child.execution !== undefined) continue;
    frames[child.id] ??= { version: -1, started: true, ...(after !== undefined ? { last: after } : {}), ...(child.parentId !== undefined ? { parentId: child.parentId } : {}) };
  }
  return true;
}

/**
 * Drops a frame that ended and has no open children, then its parent if that
 * leaves it ended and childless; the parent keeps the frame's last event
 * until the events that follow it (a Map iteration's) are read.
 */
function close(frames: Record<string, FrameCursor>, id: string): void {
  const f = frames[id];
  if (id === 'root' || !f?.ended || Object.values(frames).some((c) => c.parentId === id)) return;
  delete frames[id];
  const parent = f.parentId !== undefined ? frames[f.parentId] : undefined;
  if (parent !== undefined && f.last !== undefined) (parent.endedLast ??= {})[id] = f.last;
  if (f.parentId !== undefined) close(frames, f.parentId);
}

/** Forgets the ended children a version read in full followed: no later event follows them. */
function forgetFollowed(at: FrameCursor, version: FrameVersion): void {
  if (at.endedLast === undefined) return;
  for (const e of version.events) if (e.follows !== undefined) delete at.endedLast[e.follows];
  if (Object.keys(at.endedLast).length === 0) delete at.endedLast;
}
