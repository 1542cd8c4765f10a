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

import type { HistoryEventType } from './history-events';

/**
 * Events after which their frame's next event links where they linked, as
 * Step Functions records it: the first state's entry follows event 0 as
 * ExecutionStarted does; MapStateFailed (or the Map's retry) follows the
 * failed iteration's last event, not MapIterationFailed; a Map's or
 * Parallel's …StateExited links where its …StateSucceeded does.
 */
const LINKED_THROUGH: ReadonlySet<HistoryEventType> = new Set<HistoryEventType>(['ExecutionStarted', 'MapIterationFailed', 'MapStateSucceeded', 'ParallelStateSucceeded']);

/**
 * Events that follow the event recorded just before them, whichever frame
 * recorded it: ParallelStateSucceeded follows the last event of the
 * branches (the branch that ended last), not ParallelStateStarted.
 */
const FOLLOWS_EVENT_BEFORE: ReadonlySet<HistoryEventType> = new Set<HistoryEventType>(['ParallelStateSucceeded']);

/**
 * The previousEventId of event `id` of `type`: the last event of its frame
 * (`frameLast`), or of the frame it follows (EventDraft.follows: a Map
 * iteration's events follow the iteration's last event) when it names one
 * (`followed` true, `followedLast` that frame's last), or the event before.
 */
export function previousEventOf(frameLast: number | undefined, id: number, type?: HistoryEventType, followed = false, followedLast?: number, mapEntryFrom?: number): number {
  if (type !== undefined && FOLLOWS_EVENT_BEFORE.has(type)) return id - 1;
  if (type === 'EvaluationFailed' && mapEntryFrom !== undefined) return mapEntryFrom;
  return (followed ? followedLast : frameLast) ?? id - 1;
}

/**
 * What a frame's link keeps of an event of `type` linked to `previous` for
 * its next one: a MapStateEntered's previous, since a Map's EvaluationFailed
 * right after it (Items not an array) links there, as Step Functions
 * records it (test_map_state_items_eval_jsonata_fail); undefined otherwise.
 */
export function mapEntryFromAfter(type: HistoryEventType | undefined, previous: number): number | undefined {
  return type === 'MapStateEntered' ? previous : undefined;
}

/** The last event of a frame once it recorded event `id` of `type` after `previous`: where its next event links. */
export function lastEventAfter(type: HistoryEventType | undefined, previous: number, id: number): number {
  return type !== undefined && LINKED_THROUGH.has(type) ? previous : id;
}

/** Where a frame's next event links: the id of the last event of the frame (or, before its first, of its parent). */
export interface EventLink {
  lastEvent: number | undefined;
  /** When the frame's last event is a MapStateEntered, the event that one links to ({@link mapEntryFromAfter}). */
  mapEntryFrom?: number;
}

/**
 * The previousEventId of event `id` of `type`, recorded by the frame whose
 * link is `link` (undefined: no frame known), which then moves on
 * ({@link lastEventAfter}); `followed`: the link of the frame the event
 * follows (EventDraft.follows), when it names one.
 */
export function linkEvent(link: EventLink | undefined, id: number, type?: HistoryEventType, followed?: EventLink): number {
  if (link === undefined) return id - 1;
  const previous = previousEventOf(link.lastEvent, id, type, followed !== undefined, followed?.lastEvent, link.mapEntryFrom);
  link.lastEvent = lastEventAfter(type, previous, id);
  if (link.mapEntryFrom !== undefined || type === 'MapStateEntered') link.mapEntryFrom = mapEntryFromAfter(type, previous);
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

  /** Numbers the next event, of `type`, recorded by `frameId` (a child of `parentId`); `follows`: the frame it follows (EventDraft.follows). */
  next(frameId: string, parentId: string | undefined, type?: HistoryEventType, follows?: string): { id: number; previousEventId: number } {
    const id = ++this.count;
    const followed = follows !== undefined ? (this.links.get(follows) ?? { lastEvent: undefined }) : undefined;
    return { id, previousEventId: linkEvent(this.linkOf(frameId, parentId), id, type, followed) };
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
