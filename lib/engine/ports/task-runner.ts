import type { JsonValue } from '../../asl/json';

/** What a driver hands to a task runner for one task attempt. */
export interface TaskInvocation {
  /** The Task state's Resource, e.g. `arn:aws:lambda:us-east-1:123456789012:function:Hello` or `arn:aws:states:::lambda:invoke`. */
  readonly resource: string;
  /** The effective parameters (JSONPath Parameters or JSONata Arguments), or the effective input when there are none. */
  readonly parameters: JsonValue;
  /** The task token, when the resource ends in `.waitForTaskToken` or is an activity. */
  readonly taskToken?: string;
  /** The execution's ARN, the state machine's ARN, the state's name and the attempt number (0 first) — for handlers' context and mocks. */
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly stateName: string;
  /** The role the runner calls services with: the Task's `Credentials.RoleArn`, else the state machine's role (in the cloud, assumed by the transition function). */
  readonly roleArn?: string;
  readonly attempt: number;
  /** Unique per task attempt (execution, frame, state entry, attempt): an idempotency key for workers. */
  readonly attemptId: string;
  /** Seconds before the engine times the attempt out; informational for the runner. */
  readonly timeoutSeconds?: number;
}

/** How a task attempt ended, as a runner reports it. */
export type TaskOutcome =
  | {
      readonly kind: 'succeeded';
      readonly output: JsonValue;
      /**
       * For a callback task (`.waitForTaskToken`): this output is the task's
       * result, as a mocked response is in Step Functions Local; otherwise the
       * task keeps waiting for SendTaskSuccess/SendTaskFailure.
       */
      readonly completesCallback?: boolean;
    }
  | { readonly kind: 'failed'; readonly error: string; readonly cause?: string }
  /**
   * The runner started the work; the result arrives later through
   * SendTaskSuccess/Failure (callback pattern, activities), or, for a `.sync`
   * task, when the job it `submitted` ends (recorded as TaskSubmitted with
   * the submission's response).
   */
  | { readonly kind: 'pending'; readonly submitted?: { readonly output: JsonValue; readonly job: string } };

/**
 * The port through which drivers run Task states. A runner never throws:
 * every failure becomes `{ kind: 'failed', error, cause }` in Step Functions'
 * vocabulary (e.g. a Lambda handler's errorType and its errorMessage JSON).
 */
export interface TaskRunner {
  run(invocation: TaskInvocation, signal: AbortSignal): Promise<TaskOutcome>;
}
