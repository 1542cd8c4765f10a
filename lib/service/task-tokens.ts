/**
 * What the token and stop actions of the API mean, once for both drivers:
 * which attempt a task token completes (and when it no longer does), and the
 * engine message each of SendTaskSuccess, SendTaskFailure,
 * SendTaskHeartbeat, GetActivityTask and StopExecution becomes. The service
 * reads the frame from its store, the in-process runtime from memory; the
 * rule and the messages are these.
 *
 * A token is checked in two steps: its MAC under the deployment's key
 * (a forged, altered or foreign token is InvalidToken, as the service
 * answers a token it did not issue), then the attempt it names against the
 * frame (an attempt that no longer waits is TaskDoesNotExist).
 */
import { randomBytes } from 'node:crypto';
import type { JsonValue } from '../asl/json';
import { FrameStatus, type Frame } from '../engine/frame';
import type { ActivityStartedMessage, StopMessage, TaskFailedMessage, TaskHeartbeatMessage, TaskSucceededMessage } from '../engine/messages';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { decodeTaskToken, TOKEN_KEY_BYTES, type TaskTokenKey, type TokenTarget } from '../engine/token';

export type { TaskTokenKey, TokenTarget };

/** A new token key from the cryptographic generator: for a driver whose tokens need outlive nothing but itself. */
export function generateTokenKey(): Buffer {
  return randomBytes(TOKEN_KEY_BYTES);
}

/** The token's target, or InvalidToken when it is not a token signed with `key`. */
export function tokenTarget(taskToken: string, key: TaskTokenKey): TokenTarget {
  const target = decodeTaskToken(taskToken, key);
  if (!target) throw new ServiceError(ServiceErrorName.InvalidToken, 'Invalid Token');
  return target;
}

/**
 * A token is valid while the attempt it names is its frame's pending task
 * with that very token; a finished, timed-out or retried attempt's token is
 * TaskDoesNotExist, as the service answers.
 *
 * @param frame the frame the token names as the driver has it now (undefined when there is none)
 */
export function checkTokenAgainst(taskToken: string, target: TokenTarget, frame: Frame | undefined): TokenTarget {
  const task = frame?.task;
  // (The token's MAC was checked in constant time by tokenTarget; this compares an authentic token with the frame's.)
  if (!frame || frame.status !== FrameStatus.RUNNING || frame.entry !== target.entry || task?.attempt !== target.attempt || task.token !== taskToken) {
    throw new ServiceError(ServiceErrorName.TaskDoesNotExist, 'Task Timed Out or Does Not Exist');
  }
  const { executionArn, frameId, entry, attempt } = target;
  return { executionArn, frameId, entry, attempt };
}

/** SendTaskSuccess: the attempt succeeds with `output`. */
export function taskSucceeded(t: TokenTarget, output: JsonValue): TaskSucceededMessage {
  return { type: 'TaskSucceeded', frameId: t.frameId, entry: t.entry, attempt: t.attempt, output };
}

/** SendTaskFailure: without an error name the task fails with an empty error, as the service does. */
export function taskFailed(t: TokenTarget, error?: string, cause?: string): TaskFailedMessage {
  return { type: 'TaskFailed', frameId: t.frameId, entry: t.entry, attempt: t.attempt, error: error ?? '', ...(cause !== undefined ? { cause } : {}) };
}

/** SendTaskHeartbeat. */
export function taskHeartbeat(t: TokenTarget): TaskHeartbeatMessage {
  return { type: 'TaskHeartbeat', frameId: t.frameId, entry: t.entry, attempt: t.attempt };
}

/** GetActivityTask handed the attempt to a worker. */
export function activityStarted(t: TokenTarget, workerName?: string): ActivityStartedMessage {
  return { type: 'ActivityStarted', frameId: t.frameId, entry: t.entry, attempt: t.attempt, ...(workerName !== undefined ? { workerName } : {}) };
}

/** StopExecution: the root frame ends and every child is aborted. */
export function stopMessage(error?: string, cause?: string): StopMessage {
  return { type: 'Stop', frameId: 'root', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
}
