/**
 * Messages: the only way anything happens to a frame. Every message names
 * its frame and the state entry it belongs to, so a duplicated or late
 * message is recognised and ignored.
 */
import type { JsonValue } from '../asl/json';

interface Addressed {
  frameId: string;
  /** The frame's `entry` when the message was produced. */
  entry: number;
}

/** Run the state the frame has just transitioned into. */
export interface EnterMessage extends Addressed {
  type: 'Enter';
}

export interface TaskSucceededMessage extends Addressed {
  type: 'TaskSucceeded';
  attempt: number;
  output: JsonValue;
  /** Sent by the end of the job a `.sync` task submitted (its child execution's ARN). */
  job?: string;
}

export interface TaskFailedMessage extends Addressed {
  type: 'TaskFailed';
  attempt: number;
  error: string;
  /** Sent by the end of the job a `.sync` task submitted (its child execution's ARN). */
  job?: string;
  cause?: string;
}

/**
 * A `.sync` task's job was submitted (a child execution started): recorded as
 * TaskSubmitted with the submission's response; the task waits on for the job's end.
 */
export interface TaskSubmittedMessage extends Addressed {
  type: 'TaskSubmitted';
  attempt: number;
  output: JsonValue;
  /** The job the task now waits for, stopped with the task (a child execution's ARN). */
  job: string;
}

export interface TaskHeartbeatMessage extends Addressed {
  type: 'TaskHeartbeat';
  attempt: number;
}

/** An activity worker took the task (GetActivityTask). */
export interface ActivityStartedMessage extends Addressed {
  type: 'ActivityStarted';
  attempt: number;
  workerName?: string;
}

/** A delayed message set by the frame itself. */
export interface TimerMessage extends Addressed {
  type: 'Timer';
  timer: 'Wait' | 'Retry' | 'TaskTimeout' | 'HeartbeatTimeout';
  attempt?: number;
  /** For HeartbeatTimeout: the heartbeat count when the timer was set. */
  heartbeats?: number;
}

/** The execution's TimeoutSeconds elapsed. Addressed to the root frame. */
export interface ExecutionTimeoutMessage {
  type: 'ExecutionTimeout';
  frameId: string;
  /** The redrive the timer belongs to (absent for the first run). */
  redrives?: number;
}

/** A child frame ended. Addressed to the parent. */
export interface ChildCompletedMessage extends Addressed {
  type: 'ChildCompleted';
  /** The parent's child run the child belongs to. */
  run: number;
  index: number;
  status: 'SUCCEEDED' | 'FAILED';
  error?: string;
  cause?: string;
  /** The events the child and the children it counted recorded in the parent's history (event-count.ts); absent: not known. */
  events?: number;
}

/**
 * ChildCompleted messages for one frame applied in order in one transition,
 * as if each were a step of its own right after the one before: the same
 * events, one frame version. The in-process driver sends this for
 * completions next to each other in its queue (a Map's iterations end
 * together), saving a transition per child.
 */
export interface ChildrenCompletedMessage extends Addressed {
  type: 'ChildrenCompleted';
  completions: ChildCompletedMessage[];
}

/** One child's end, as ResultWriter reports it. */
export interface ChildDetail {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT' | 'RUNNING';
  /** Epoch ms. */
  startDate: number;
  stopDate: number;
  /** A DISTRIBUTED Map's child execution redriven with its Map Run: how many times (absent when never). */
  redriveCount?: number;
}

/** The driver gathered every child's output, in index order. */
export interface ChildrenCollectedMessage extends Addressed {
  type: 'ChildrenCollected';
  run: number;
  outputs: JsonValue[];
  /** When the CollectChildren effect asked for them. */
  details?: ChildDetail[];
}

/** The driver cut short every running descendant of a failing Map or Parallel (AbortChildren with `failing`). */
export interface ChildrenAbortedMessage extends Addressed {
  type: 'ChildrenAborted';
}

/** UpdateMapRun: a running DISTRIBUTED Map's run takes a new MaxConcurrency and/or tolerated failure count. */
export interface MapRunUpdatedMessage extends Addressed {
  type: 'MapRunUpdated';
  run: number;
  maxConcurrency?: number;
  toleratedFailures?: number;
}

/** The driver exported a DISTRIBUTED Map's results (ResultWriter), or could not. */
export interface ResultsWrittenMessage extends Addressed {
  type: 'ResultsWritten';
  error?: string;
  cause?: string;
}

/** The driver read a DISTRIBUTED Map's items (ItemReader). */
export interface ItemsReadMessage extends Addressed {
  type: 'ItemsRead';
  items?: JsonValue[];
  error?: string;
  cause?: string;
}

/**
 * RedriveExecution: an ended frame runs its unsuccessful state again.
 * Addressed to the root frame, and by a redriven Map or Parallel to each of
 * its children that did not succeed.
 */
export interface RedriveMessage {
  type: 'Redrive';
  frameId: string;
  /** The execution's redrive count after this redrive (1 for the first). */
  redriveCount: number;
}

/** The driver's answer to RedriveChildren: which children had succeeded, and which never ran. */
export interface ChildrenRedrivenMessage extends Addressed {
  type: 'ChildrenRedriven';
  run: number;
  redriveCount: number;
  succeeded: number[];
  /** Children aborted before their first transition: the state starts them again. */
  restart: number[];
  /** With RedriveChildren's `limited`: the children that ran and did not succeed, which the state redrives. */
  redrive?: number[];
  /** With RedriveChildren's `rerun`: the children that ran and did not succeed, and where each stood, which the Map starts again. */
  rerun?: RerunChild[];
}

/** An EXPRESS child execution to run again from its first state: its index, and its frame's last version and entry. */
export interface RerunChild {
  index: number;
  version: number;
  entry: number;
}

/** StopExecution. Addressed to the root frame. */
export interface StopMessage {
  type: 'Stop';
  frameId: string;
  error?: string;
  cause?: string;
}

/**
 * The execution's history reached the driver's cap on history events: it
 * fails as Step Functions fails one past its 25,000 ("States.Runtime", "The
 * execution reached the maximum number of history events (25000)."). Addressed to the root frame.
 */
export interface HistoryLimitMessage {
  type: 'HistoryLimit';
  frameId: string;
  /** The cap, named in the cause. */
  limit: number;
}

/**
 * A message of this execution can never be applied: its transition threw,
 * or the process died during it each time it was tried (a poison message).
 * The execution fails with States.Runtime and `cause` instead of trying it
 * again. Addressed to the root frame.
 */
export interface RuntimeFailureMessage {
  type: 'RuntimeFailure';
  frameId: string;
  cause: string;
}

export type Message =
  | EnterMessage
  | TaskSucceededMessage
  | TaskFailedMessage
  | TaskHeartbeatMessage
  | TaskSubmittedMessage
  | ActivityStartedMessage
  | TimerMessage
  | ExecutionTimeoutMessage
  | ChildCompletedMessage
  | MapRunUpdatedMessage
  | ChildrenCompletedMessage
  | ChildrenCollectedMessage
  | ChildrenAbortedMessage
  | ChildrenRedrivenMessage
  | ItemsReadMessage
  | ResultsWrittenMessage
  | StopMessage
  | HistoryLimitMessage
  | RuntimeFailureMessage
  | RedriveMessage;
