/**
 * Step Functions' history event types (the API model's HistoryEventType)
 * and the member of HistoryEvent that carries each one's details. One
 * table: adding an event type is adding its row here.
 */

/**
 * Every history event type, with its details member (null: the type has
 * none, as GetExecutionHistory's HistoryEvent shape defines them).
 */
export const HISTORY_EVENT_DETAILS = {
  ActivityFailed: 'activityFailedEventDetails',
  ActivityScheduleFailed: 'activityScheduleFailedEventDetails',
  ActivityScheduled: 'activityScheduledEventDetails',
  ActivityStarted: 'activityStartedEventDetails',
  ActivitySucceeded: 'activitySucceededEventDetails',
  ActivityTimedOut: 'activityTimedOutEventDetails',
  ChoiceStateEntered: 'stateEnteredEventDetails',
  ChoiceStateExited: 'stateExitedEventDetails',
  EvaluationFailed: 'evaluationFailedEventDetails',
  ExecutionAborted: 'executionAbortedEventDetails',
  ExecutionFailed: 'executionFailedEventDetails',
  ExecutionRedriven: 'executionRedrivenEventDetails',
  ExecutionStarted: 'executionStartedEventDetails',
  ExecutionSucceeded: 'executionSucceededEventDetails',
  ExecutionTimedOut: 'executionTimedOutEventDetails',
  FailStateEntered: 'stateEnteredEventDetails',
  LambdaFunctionFailed: 'lambdaFunctionFailedEventDetails',
  LambdaFunctionScheduleFailed: 'lambdaFunctionScheduleFailedEventDetails',
  LambdaFunctionScheduled: 'lambdaFunctionScheduledEventDetails',
  LambdaFunctionStartFailed: 'lambdaFunctionStartFailedEventDetails',
  LambdaFunctionStarted: null,
  LambdaFunctionSucceeded: 'lambdaFunctionSucceededEventDetails',
  LambdaFunctionTimedOut: 'lambdaFunctionTimedOutEventDetails',
  MapIterationAborted: 'mapIterationAbortedEventDetails',
  MapIterationFailed: 'mapIterationFailedEventDetails',
  MapIterationStarted: 'mapIterationStartedEventDetails',
  MapIterationSucceeded: 'mapIterationSucceededEventDetails',
  MapRunAborted: null,
  MapRunFailed: 'mapRunFailedEventDetails',
  MapRunRedriven: 'mapRunRedrivenEventDetails',
  MapRunStarted: 'mapRunStartedEventDetails',
  MapRunSucceeded: null,
  MapStateAborted: null,
  MapStateEntered: 'stateEnteredEventDetails',
  MapStateExited: 'stateExitedEventDetails',
  MapStateFailed: null,
  MapStateStarted: 'mapStateStartedEventDetails',
  MapStateSucceeded: null,
  ParallelStateAborted: null,
  ParallelStateEntered: 'stateEnteredEventDetails',
  ParallelStateExited: 'stateExitedEventDetails',
  ParallelStateFailed: null,
  ParallelStateStarted: null,
  ParallelStateSucceeded: null,
  PassStateEntered: 'stateEnteredEventDetails',
  PassStateExited: 'stateExitedEventDetails',
  SucceedStateEntered: 'stateEnteredEventDetails',
  SucceedStateExited: 'stateExitedEventDetails',
  TaskFailed: 'taskFailedEventDetails',
  TaskScheduled: 'taskScheduledEventDetails',
  TaskStartFailed: 'taskStartFailedEventDetails',
  TaskStarted: 'taskStartedEventDetails',
  TaskStateAborted: null,
  TaskStateEntered: 'stateEnteredEventDetails',
  TaskStateExited: 'stateExitedEventDetails',
  TaskSubmitFailed: 'taskSubmitFailedEventDetails',
  TaskSubmitted: 'taskSubmittedEventDetails',
  TaskSucceeded: 'taskSucceededEventDetails',
  TaskTimedOut: 'taskTimedOutEventDetails',
  WaitStateAborted: null,
  WaitStateEntered: 'stateEnteredEventDetails',
  WaitStateExited: 'stateExitedEventDetails',
} as const;

type DetailsTable = typeof HISTORY_EVENT_DETAILS;

/** A Step Functions history event type. */
export type HistoryEventType = keyof DetailsTable;

/** The history event types that have a details member. */
export type DetailedEventType = { [T in HistoryEventType]: DetailsTable[T] extends null ? never : T }[HistoryEventType];

/** The details member of event type `T` (never for a type without one). */
export type DetailsKeyOf<T extends HistoryEventType> = Exclude<DetailsTable[T], null>;

/** Every details member a HistoryEvent may carry. */
export type EventDetailsKey = DetailsKeyOf<HistoryEventType>;

/** The details member of an event type (undefined: it has none). */
export function detailsKeyOf<T extends HistoryEventType>(type: T): DetailsKeyOf<T> | undefined {
  return (HISTORY_EVENT_DETAILS[type] ?? undefined) as DetailsKeyOf<T> | undefined;
}

/** Whether a string (read from storage or a client) is a history event type. */
export function isHistoryEventType(value: string): value is HistoryEventType {
  return Object.prototype.hasOwnProperty.call(HISTORY_EVENT_DETAILS, value);
}
