/**
 * The end of a child execution that a `.sync` task started completes that
 * task — the one rule both drivers apply where an execution ends. Step
 * Functions returns DescribeExecution's response: with `.sync` "the output
 * of the child execution is a JSON string", with `.sync:2` "a JSON object";
 * a child that does not succeed fails the task with States.TaskFailed and
 * the same response, as JSON text, for its cause.
 */
import type { JsonObject, JsonValue } from '../../asl/json';
import { IntegrationPattern } from '../../asl/integrations';
import type { Message } from '../../engine/messages';
import { taskFailed, taskSucceeded, type TokenTarget } from '../task-tokens';
import type { NestedParent } from './start-execution';

/** A child execution as it ended. */
export interface ChildEnd {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: JsonValue;
  readonly startDate: number;
  readonly stopDate: number;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  readonly redriveCount: number;
}

/** DescribeExecution's response as the integration returns it (PascalCase, dates as epoch ms, the keys in the Java client's order). */
export function describedChild(child: ChildEnd, outputAsJson: boolean): JsonObject {
  const succeeded = child.status === 'SUCCEEDED';
  const out: JsonObject = {};
  if (!succeeded && child.cause !== undefined) out.Cause = child.cause;
  if (!succeeded && child.error !== undefined) out.Error = child.error;
  out.ExecutionArn = child.executionArn;
  out.Input = outputAsJson ? child.input : JSON.stringify(child.input);
  out.InputDetails = { Included: true };
  out.Name = child.name;
  if (succeeded) {
    out.Output = outputAsJson ? (child.output ?? null) : JSON.stringify(child.output ?? null);
    out.OutputDetails = { Included: true };
  }
  out.RedriveCount = child.redriveCount;
  out.RedriveStatus = succeeded ? 'NOT_REDRIVABLE' : 'REDRIVABLE';
  if (succeeded) out.RedriveStatusReason = 'Execution is SUCCEEDED and cannot be redriven';
  out.StartDate = child.startDate;
  out.StateMachineArn = child.stateMachineArn;
  out.Status = child.status;
  out.StopDate = child.stopDate;
  return out;
}

/** How the parent's task ends. */
export type ParentCompletion = { readonly kind: 'succeeded'; readonly output: JsonValue } | { readonly kind: 'failed'; readonly error: string; readonly cause: string };

/** The parent task's result for a child's end. */
export function parentCompletion(child: ChildEnd, parent: NestedParent): ParentCompletion {
  const described = describedChild(child, parent.pattern === IntegrationPattern.Sync2);
  if (child.status === 'SUCCEEDED') return { kind: 'succeeded', output: described };
  return { kind: 'failed', error: 'States.TaskFailed', cause: JSON.stringify(described) };
}

/** Where a driver delivers a message for a task token (the path its SendTaskSuccess and SendTaskFailure take). */
export interface TokenCompleter {
  /** Delivers the message built for the attempt the token names; throws the API's error when the token is not current. */
  deliverForToken(taskToken: string, message: (target: TokenTarget) => Message): unknown;
}

/**
 * Completes the parent's task for a child that ended (the message names the
 * child as the job, so a child that ended before its submission was recorded
 * waits for it). A parent task that is over (stopped, timed out, a redriven
 * child's old parent) refuses the token; that is no failure of the child's.
 */
export async function completeParent(child: ChildEnd, parent: NestedParent, tokens: TokenCompleter): Promise<void> {
  const result = parentCompletion(child, parent);
  const job = child.executionArn;
  try {
    await tokens.deliverForToken(parent.taskToken, (t) => (result.kind === 'succeeded' ? { ...taskSucceeded(t, result.output), job } : { ...taskFailed(t, result.error, result.cause), job }));
  } catch {
    // The parent's attempt has ended: nothing waits for this child any more.
  }
}
