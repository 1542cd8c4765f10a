/**
 * The history of one in-process execution, kept column by column.
 *
 * History is kept whole until it is read (`--history`, GetExecutionHistory),
 * and most of it is states' entered and exited events: a Choice loop of
 * 10,000 iterations has 40,000. Kept as one object per event they all
 * outlive the young generation, and copying them there was most of such a
 * run's time. So a state's event is kept as its parts: its type as a code,
 * its time and its previous event's id in typed arrays, which the collector
 * never scans; its name (a string the compiled machine holds) and payload
 * (an object the execution made anyway) by reference; a Map iteration
 * event likewise, with its index in place of a payload. Other events are
 * kept as they came. The event object is built only when the history is read.
 * The reference columns are cut into young chunks rather than grown: a store
 * into one large old array costs the collector a remembered slot, and its
 * growth a copy.
 */
import type { JsonValue } from '../../asl/json';
import {
  isEntryCode,
  isStateEntered,
  MapIterationDraft,
  materializeDetails,
  STATE_EVENT_TYPES,
  StateEventDraft,
  stateEventDetails,
  type EventDraft,
} from '../../engine/events';
import type { HistoryEvent } from '../../engine/history';

const INITIAL_CAPACITY = 1024;
const CHUNK_BITS = 10;
/** Events per chunk of the reference columns. */
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

/** In the `kinds` column: any other event, kept as its draft. */
const OTHER = 0;
/** A state event is kept as STATE + its code; a Map iteration event as ITERATION + its code. */
const STATE = 1;
const ITERATION = STATE + STATE_EVENT_TYPES.length;

export class HistoryLog {
  private size = 0;
  /** What the event is: OTHER, STATE + a state event's code, ITERATION + a Map iteration event's code. */
  private kinds = new Uint8Array(INITIAL_CAPACITY);
  private timestamps = new Float64Array(INITIAL_CAPACITY);
  private previous = new Int32Array(INITIAL_CAPACITY);
  /** A state event's payload; a Map iteration event's index; any other event's draft. */
  private readonly data: unknown[][] = [];
  /** A state event's state name; a Map iteration event's Map name (strings the compiled machine holds). */
  private readonly names: string[][] = [];
  private readonly assigned = new Map<number, Record<string, JsonValue>>();
  private entries = 0;

  /** Events kept so far; the next event's id is this plus one. */
  get length(): number {
    return this.size;
  }

  /** State entries recorded: what Step Functions bills as state transitions (retries aside). */
  get statesEntered(): number {
    return this.entries;
  }

  /** The id the next appended event gets. */
  get nextId(): number {
    return this.size + 1;
  }

  /** Appends an event numbered {@link nextId}, whose previousEventId is `previousEventId` (see event-numbering). Returns its id. */
  append(draft: EventDraft, previousEventId: number): number {
    const index = this.size;
    if (index === this.timestamps.length) this.grow();
    const id = index + 1;
    this.previous[index] = previousEventId;
    this.timestamps[index] = draft.timestamp;
    this.size = id;
    const at = index & IN_CHUNK;
    if (at === 0) {
      this.data.push(new Array<unknown>(CHUNK));
      this.names.push(new Array<string>(CHUNK));
    }
    const chunk = index >> CHUNK_BITS;
    if (draft instanceof StateEventDraft) {
      this.kinds[index] = STATE + draft.code;
      this.names[chunk][at] = draft.name;
      this.data[chunk][at] = draft.data;
      if (draft.assigned) this.assigned.set(index, draft.assigned);
      if (isEntryCode(draft.code)) this.entries++;
    } else if (draft instanceof MapIterationDraft) {
      this.kinds[index] = ITERATION + draft.code;
      this.names[chunk][at] = draft.name;
      this.data[chunk][at] = draft.index;
    } else {
      this.kinds[index] = OTHER;
      this.data[chunk][at] = draft;
      if (isStateEntered(draft.type)) this.entries++;
    }
    return id;
  }

  /** The history as GetExecutionHistory returns it. */
  events(): HistoryEvent[] {
    const out: HistoryEvent[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const chunk = i >> CHUNK_BITS;
      const at = i & IN_CHUNK;
      const data = this.data[chunk][at];
      const kind = this.kinds[i];
      const timestamp = this.timestamps[i];
      const previousEventId = this.previous[i];
      let event: HistoryEvent;
      if (kind >= ITERATION) {
        const draft = new MapIterationDraft(kind - ITERATION, '', timestamp, this.names[chunk][at], data as number);
        event = { timestamp, type: draft.type, id: i + 1, previousEventId, [draft.detailsKey]: draft.details };
      } else if (kind >= STATE) {
        const code = kind - STATE;
        const entered = isEntryCode(code);
        event = { timestamp, type: STATE_EVENT_TYPES[code], id: i + 1, previousEventId };
        event[entered ? 'stateEnteredEventDetails' : 'stateExitedEventDetails'] = materializeDetails(
          stateEventDetails(entered, this.names[chunk][at], data as JsonValue, this.assigned.get(i)),
        );
      } else {
        const draft = data as EventDraft;
        event = { timestamp, type: draft.type, id: i + 1, previousEventId };
        if (draft.detailsKey) event[draft.detailsKey] = materializeDetails(draft.details ?? {});
      }
      out[i] = event;
    }
    return out;
  }

  private grow(): void {
    const capacity = this.timestamps.length * 2;
    this.kinds = grown(this.kinds, new Uint8Array(capacity));
    this.timestamps = grown(this.timestamps, new Float64Array(capacity));
    this.previous = grown(this.previous, new Int32Array(capacity));
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
