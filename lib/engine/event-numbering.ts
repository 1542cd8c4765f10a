/**
 * How history events are numbered, for every driver: ids count from 1 in
 * the order events are recorded; an event's previousEventId is the previous
 * event of its own frame, a frame's first event follows the event its
 * parent had recorded last when the frame started (as Step Functions links
 * a branch's or iteration's first event), and an event with neither
 * follows the event before it.
 *
 * The in-process driver numbers events as it appends them, with one link
 * per frame slot it already holds (no lookup, no allocation per event); the
 * service numbers stored transitions when history is read, through
 * {@link EventNumbering}. Both link through {@link linkEvent}.
 */

/** Where a frame's next event links: the id of the last event of the frame (or, before its first, of its parent). */
export interface EventLink {
  lastEvent: number | undefined;
}

/**
 * The previousEventId of event `id`, recorded by the frame whose link is
 * `link` (undefined: no frame known), which then points at `id`.
 */
export function linkEvent(link: EventLink | undefined, id: number): number {
  if (link === undefined) return id - 1;
  const previous = link.lastEvent ?? id - 1;
  link.lastEvent = id;
  return previous;
}

/** The link of a frame started now: its first event follows its parent's last. */
export function childLink(parent: EventLink | undefined): EventLink {
  return { lastEvent: parent?.lastEvent };
}

/** Where a transition's events begin: the id its first event gets, and its frame's last event before them. */
export interface TransitionStart {
  firstEventId: number;
  lastBefore: number | undefined;
}

/**
 * The event the first events of frames a transition started follow: the
 * last of the `eventsBefore` events the transition had recorded when it
 * started them (StartFrames.eventsBefore), or, with none, its frame's last
 * event before the transition.
 */
export function startedAfter(start: TransitionStart, eventsBefore: number): number | undefined {
  return eventsBefore > 0 ? start.firstEventId + eventsBefore - 1 : start.lastBefore;
}

/**
 * Numbers a history read in order, frame by frame: a frame first seen
 * starts from where its parent started it ({@link start}) or, never
 * started, from its parent's last event at that point.
 */
export class EventNumbering {
  private readonly links = new Map<string, EventLink>();
  private count = 0;

  /** Events numbered so far. */
  get length(): number {
    return this.count;
  }

  /** Numbers the next event, recorded by `frameId` (a child of `parentId`). */
  next(frameId: string, parentId: string | undefined): { id: number; previousEventId: number } {
    const id = ++this.count;
    return { id, previousEventId: linkEvent(this.linkOf(frameId, parentId), id) };
  }

  /** Where the next transition of `frameId` (a child of `parentId`) begins; ask before numbering its events. */
  transitionStart(frameId: string, parentId: string | undefined): TransitionStart {
    return { firstEventId: this.count + 1, lastBefore: this.linkOf(frameId, parentId).lastEvent };
  }

  /**
   * Starts `frameId`: its first event follows event `after` ({@link startedAfter}; undefined: the event before it).
   * A frame that recorded events already (a redriven one) goes on from its own last.
   */
  start(frameId: string, after: number | undefined): void {
    if (!this.links.has(frameId)) this.links.set(frameId, { lastEvent: after });
  }

  private linkOf(frameId: string, parentId: string | undefined): EventLink {
    let link = this.links.get(frameId);
    if (link === undefined) this.links.set(frameId, (link = childLink(parentId !== undefined ? this.links.get(parentId) : undefined)));
    return link;
  }
}
