/** The engine: frames, messages, effects, history events and the pure `step`. */
export { step, stepNow, startExecution, type StepOptions, type StepResult } from './step';
export type { Frame, ChildProgress, PendingTask } from './frame';
export { FrameStatus, FramePhase } from './frame';
export type { Message } from './messages';
export type { Effect } from './effects';
export type { EventDraft } from './events';
export type { ExecutionInfo } from './execution';
export type { ExecutionStatus, HistoryEvent } from './history';
export { HISTORY_EVENT_DETAILS, detailsKeyOf, isHistoryEventType, type HistoryEventType, type EventDetailsKey } from './history-events';
export { EventNumbering, linkEvent, childLink, startedAfter, type EventLink, type TransitionStart } from './event-numbering';
export { encodeTaskToken, decodeTaskToken, TokenKeyError, TOKEN_KEY_BYTES, type TaskTokenKey, type TokenTarget } from './token';
export type { TaskRunner, TaskInvocation, TaskOutcome } from './ports/task-runner';
