/**
 * History events, in Step Functions' types and detail shapes
 * (GetExecutionHistory's HistoryEvent). `step` produces drafts; the driver
 * stamps `id` and `previousEventId` when it appends them.
 */
import type { JsonValue } from '../asl/json';
import { STATE_TYPES, stateTypeIndex, type StateType } from '../asl/model';
import { detailsKeyOf, type DetailedEventType, type DetailsKeyOf, type HistoryEventType } from './history-events';

/**
 * An event before the driver has numbered it. `T` narrows it to one type;
 * the constructors below ({@link event}, {@link stateEntered}, …) pair each
 * type with its own details member.
 */
export interface EventDraft<T extends HistoryEventType = HistoryEventType> {
  type: T;
  timestamp: number;
  /** The frame that produced it; the driver links previousEventId within a frame. */
  frameId: string;
  /** The details member, e.g. `stateEnteredEventDetails`, when the event carries details. */
  detailsKey?: DetailsKeyOf<T>;
  details?: Record<string, unknown>;
  /**
   * The frame whose last event this one follows, when not its own frame's:
   * a Map iteration's MapIterationSucceeded / MapIterationFailed, and the
   * MapIterationStarted its end let start, follow the iteration's last event.
   */
  follows?: string;
}

const NOT_TRUNCATED = { truncated: false } as const;

/**
 * A payload in a history event. History carries payloads as JSON text, but
 * serialising every state's input and output as it happens would make a
 * large payload cost its size at every state; the text is produced only
 * when the event is serialised (`JSON.stringify` calls `toJSON`) or read.
 */
export class Payload {
  constructor(readonly value: JsonValue) {}
  toJSON(): string {
    return JSON.stringify(this.value);
  }
  toString(): string {
    return this.toJSON();
  }
}

/** Wraps a value as a lazily serialised history payload. */
export function payload(value: JsonValue | undefined): Payload {
  return new Payload(value === undefined ? null : value);
}

/** Replaces every Payload in an event's details with its JSON text, as the API returns it. */
export function materializeDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value instanceof Payload) out[key] = value.toJSON();
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) out[key] = materializeDetails(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}

/**
 * An event of `type`; with `details`, they go in the type's own details
 * member (HISTORY_EVENT_DETAILS). A type without one takes no details.
 */
export function event<T extends HistoryEventType>(type: T, frameId: string, timestamp: number, ...details: DetailsArgument<T>): EventDraft<T> {
  const d = details[0];
  return d !== undefined ? { type, timestamp, frameId, detailsKey: detailsKeyOf(type), details: d } : { type, timestamp, frameId };
}

/** The optional details argument of an event of type `T`: none when the type has no details member. */
export type DetailsArgument<T extends HistoryEventType> = T extends DetailedEventType ? [details?: Record<string, unknown>] : [];

/** The state events' types: `…StateEntered` and `…StateExited`. */
export type StateEventType = (typeof ENTERED)[StateType] | (typeof EXITED)[ExitingStateType];

/** The state types that exit: a Fail state ends its execution where it is entered, and Step Functions has no FailStateExited. */
export type ExitingStateType = Exclude<StateType, 'Fail'>;

// Literals, not built with templates: a built string is a rope that every later comparison walks.
const ENTERED = {
  Task: 'TaskStateEntered',
  Pass: 'PassStateEntered',
  Choice: 'ChoiceStateEntered',
  Wait: 'WaitStateEntered',
  Succeed: 'SucceedStateEntered',
  Fail: 'FailStateEntered',
  Parallel: 'ParallelStateEntered',
  Map: 'MapStateEntered',
} as const satisfies Record<StateType, HistoryEventType>;
const EXITED = {
  Task: 'TaskStateExited',
  Pass: 'PassStateExited',
  Choice: 'ChoiceStateExited',
  Wait: 'WaitStateExited',
  Succeed: 'SucceedStateExited',
  Parallel: 'ParallelStateExited',
  Map: 'MapStateExited',
} as const satisfies Record<ExitingStateType, HistoryEventType>;

const EXITING_TYPES = STATE_TYPES.filter((t): t is ExitingStateType => t !== 'Fail');

/**
 * Every state's entered and exited event type; a {@link StateEventDraft}'s
 * `code` indexes it (entries first, in STATE_TYPES order, then exits in the
 * same order without Fail).
 */
export const STATE_EVENT_TYPES: readonly StateEventType[] = [...STATE_TYPES.map((t) => ENTERED[t]), ...EXITING_TYPES.map((t) => EXITED[t])];
const ENTRIES = STATE_TYPES.length;
/** The exit code of each state type, by {@link stateTypeIndex} (-1 for Fail, which never exits). */
const EXIT_CODES: readonly number[] = STATE_TYPES.map((t) => (t === 'Fail' ? -1 : ENTRIES + EXITING_TYPES.indexOf(t)));

/** Whether a state event code is an entry's. */
export function isEntryCode(code: number): boolean {
  return code < ENTRIES;
}

/**
 * A `…StateEntered` / `…StateExited` draft. These are two of every
 * transition's events and the history keeps them all, so one object holds
 * what they need, its type is also a small code (the in-process history
 * keeps that), and the details member is built only when read.
 */
export class StateEventDraft implements EventDraft<StateEventType> {
  readonly type: StateEventType;
  readonly detailsKey: 'stateEnteredEventDetails' | 'stateExitedEventDetails';

  constructor(
    /** Index of the type in {@link STATE_EVENT_TYPES}. */
    readonly code: number,
    readonly frameId: string,
    readonly timestamp: number,
    /** The state's name. */
    readonly name: string,
    /** The state's input (entered) or output (exited). */
    readonly data: JsonValue,
    /** The variables an exited state assigned, when it assigned any. */
    readonly assigned?: Record<string, JsonValue>,
  ) {
    this.type = STATE_EVENT_TYPES[code];
    this.detailsKey = isEntryCode(code) ? 'stateEnteredEventDetails' : 'stateExitedEventDetails';
  }

  get details(): Record<string, unknown> {
    return stateEventDetails(isEntryCode(this.code), this.name, this.data, this.assigned);
  }
}

/** The Map iteration events, by code (a {@link MapIterationDraft}'s `code`). */
export const MAP_ITERATION_TYPES = ['MapIterationStarted', 'MapIterationSucceeded', 'MapIterationFailed', 'MapIterationAborted'] as const;
export type MapIterationType = (typeof MAP_ITERATION_TYPES)[number];

/**
 * A `MapIteration…` draft: a Map of 10,000 items records 20,000 of them,
 * so, as with state events, the details member is built only when read.
 */
export class MapIterationDraft implements EventDraft<MapIterationType> {
  readonly type: MapIterationType;
  readonly detailsKey: DetailsKeyOf<MapIterationType>;

  constructor(
    /** Index of the type in {@link MAP_ITERATION_TYPES}. */
    readonly code: number,
    readonly frameId: string,
    readonly timestamp: number,
    /** The Map state's name. */
    readonly name: string,
    /** The iteration's index. */
    readonly index: number,
    /** The frame whose last event it follows (EventDraft.follows). */
    public follows?: string,
  ) {
    this.type = MAP_ITERATION_TYPES[code];
    this.detailsKey = ITERATION_DETAILS_KEYS[code];
  }

  get details(): Record<string, unknown> {
    return { name: this.name, index: this.index };
  }
}

const ITERATION_DETAILS_KEYS = MAP_ITERATION_TYPES.map((t) => detailsKeyOf(t)!);

/** A Map iteration event of the Map state `name`; `follows`: the frame whose last event it follows. */
export function mapIterationEvent(type: MapIterationType, name: string, index: number, frameId: string, now: number, follows?: string): MapIterationDraft {
  return new MapIterationDraft(MAP_ITERATION_TYPES.indexOf(type), frameId, now, name, index, follows);
}

/** The details member of a state's entered (`entered`) or exited event. */
export function stateEventDetails(entered: boolean, name: string, data: JsonValue, assigned: Record<string, JsonValue> | undefined): Record<string, unknown> {
  if (entered) return { name, input: payload(data), inputDetails: NOT_TRUNCATED };
  const details: Record<string, unknown> = { name, output: payload(data), outputDetails: NOT_TRUNCATED };
  if (assigned) {
    details.assignedVariables = Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, payload(v)]));
    details.assignedVariablesDetails = NOT_TRUNCATED;
  }
  return details;
}

const ENTERED_TYPES: ReadonlySet<HistoryEventType> = new Set(Object.values(ENTERED));

/** Whether an event type is a state's entry (what Step Functions bills as a state transition). */
export function isStateEntered(type: HistoryEventType): boolean {
  return ENTERED_TYPES.has(type);
}

const EXITED_TYPES: ReadonlySet<HistoryEventType> = new Set(Object.values(EXITED));

/** Whether an event type is a state's exit. */
export function isStateExited(type: HistoryEventType): boolean {
  return EXITED_TYPES.has(type);
}

/** The `…StateEntered` event of a state. */
export function stateEntered(type: StateType, name: string, input: JsonValue, frameId: string, now: number): StateEventDraft {
  return new StateEventDraft(stateTypeIndex(type), frameId, now, name, input);
}

/** The `…StateExited` event of a state, with the variables it assigned. */
export function stateExited(
  type: ExitingStateType,
  name: string,
  output: JsonValue,
  assigned: Record<string, JsonValue> | undefined,
  frameId: string,
  now: number,
): StateEventDraft {
  const hasAssigned = assigned !== undefined && Object.keys(assigned).length > 0;
  return new StateEventDraft(EXIT_CODES[stateTypeIndex(type)], frameId, now, name, output, hasAssigned ? assigned : undefined);
}

/** Details for events that carry an output payload. */
export function outputDetails(output: JsonValue): Record<string, unknown> {
  return { output: payload(output), outputDetails: NOT_TRUNCATED };
}

export function inputDetails(input: JsonValue): Record<string, unknown> {
  return { input: payload(input), inputDetails: NOT_TRUNCATED };
}

/** `{ error, cause }` with absent members left out, as the API does. */
export function errorDetails(error: string | undefined, cause: string | undefined): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (error !== undefined) details.error = error;
  if (cause !== undefined) details.cause = cause;
  return details;
}
