/**
 * Where a state's entered event stands in a history numbered only when it
 * is read. Step Functions quotes that id in the cause of an error raised
 * while evaluating the state ("… (entered at the event id #N)."), and the
 * cause flows into state data, so it must be right when it is produced.
 *
 * The in-process driver numbers events as it commits them and passes the
 * id (StepOptions.nextEventId). The service numbers them when history is
 * read: every frame version's events, merged by Lamport clock (lc), then
 * time, frame and version (service/history.ts). A frame's own versions
 * come in version order there; what another frame commits may come between
 * them, and where is only known once it is committed — concurrent branches
 * and iterations take their clocks and times independently, and a version
 * a sibling commits later may sort earlier. So every frame counts events
 * instead, a sum that does not depend on that order (Frame.recordedEvents):
 *
 * - its own events, as it records them;
 * - each child's count, carried by the child's completion message
 *   (ChildCompletedMessage.events), added once the parent counts that
 *   completion — a child execution (a DISTRIBUTED Map's iteration) adds 0,
 *   its events are in a history of its own;
 * - unknown from the moment the frame aborts children it has not all
 *   counted, or redrives children (AbortChildren, RedriveChildren): events
 *   they record then, and those of children that ended without being
 *   counted, are in the history too. (A child that lost its count passes
 *   that on in its completion.)
 *
 * A history's first frame (the root, or a child execution's own frame) with
 * a known count stands exactly after that many events whenever it enters a
 * state: it enters only after every child it started was counted (its
 * resuming version's clock is past each child's last, so each sorts before
 * it) or after it lost the count by aborting one. So does a child that its
 * parent, standing exactly, started as the only one of its children running
 * (a Map of MaxConcurrency 1, a Parallel of one branch): nothing else in the
 * history runs until it ends, so it stands after its parent's count at its
 * start (Frame.precedingEvents) plus its own. Any other frame shares its
 * history with frames running beside it, each taking its clock on its own,
 * and one committed later may be numbered before it: its entered events
 * have no id the service can know at commit time, and their causes leave
 * the quote out. (The service places no child started by a commit that
 * applied several messages: a later one may start company for it.)
 */
import type { Frame } from './frame';
import type { ChildCompletedMessage } from './messages';

/** True while children the frame started are not all counted: aborting them leaves events out of its count. */
export function hasUncountedChildren(frame: Pick<Frame, 'children'>): boolean {
  const progress = frame.children;
  return progress !== undefined && progress.started > progress.succeeded + progress.failed;
}

/** `count` plus `more` events; unknown when either is. */
export function plusEvents(count: number | undefined, more: number | undefined): number | undefined {
  return count === undefined || more === undefined ? undefined : count + more;
}

/** True for the frame a history starts with: the execution's root, or a child execution's own frame. */
export function startsHistory(frame: Pick<Frame, 'id' | 'parentId' | 'execution'>): boolean {
  return frame.parentId === undefined || frame.execution?.frameId === frame.id;
}

type Placed = Pick<Frame, 'id' | 'parentId' | 'execution' | 'precedingEvents'>;

/** How many events of its history stand before the next event of `frame`, which counted `recorded`, when known exactly. */
export function eventsThrough(frame: Placed, recorded: number | undefined): number | undefined {
  return startsHistory(frame) ? recorded : plusEvents(frame.precedingEvents, recorded);
}

/**
 * The id the next event of `frame` gets in its history, read in the
 * service's order, when that is known exactly: `recorded` events (the
 * frame's count so far in this transition) are its own and its children's.
 */
export function countedNextEventId(frame: Placed, recorded: number | undefined): number | undefined {
  return plusEvents(eventsThrough(frame, recorded), 1);
}

/**
 * Places the children a transition of `parent` (which counted `recorded`)
 * started: when it stands exactly and the one it started is its only child
 * running, that child's first event follows the transition's last.
 */
export function placeStartedChildren(parent: Placed & Pick<Frame, 'children'>, recorded: number | undefined, started: readonly Frame[]): void {
  const progress = parent.children;
  if (started.length !== 1 || progress === undefined || progress.started - progress.succeeded - progress.failed !== 1) return;
  const child = started[0];
  if (!startsHistory(child)) child.precedingEvents = eventsThrough(parent, recorded);
}

/** Children started by a commit that applied more than one step may have company the steps did not see: none is placed. */
export function unplaceStartedChildren(started: readonly Frame[]): void {
  for (const child of started) child.precedingEvents = undefined;
}

/** The count a completion of `frame` carries to its parent: what it adds to the parent's history. */
export function eventsForParent(frame: Pick<Frame, 'id' | 'parentId' | 'execution'>, recorded: number | undefined): number | undefined {
  return frame.execution?.frameId === frame.id ? 0 : recorded;
}

/** A parent's count once it counts `completion` (a completion from before counts existed: unknown). */
export function countedCompletion(recorded: number | undefined, completion: Pick<ChildCompletedMessage, 'events'>): number | undefined {
  return plusEvents(recorded, completion.events);
}
