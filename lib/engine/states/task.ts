/**
 * Task: "represents a single unit of work performed by a state machine".
 * Each attempt is scheduled (claimed, with its token) in one transition and
 * completed by a later message naming that attempt, so a late or duplicated
 * result never completes a different attempt.
 */
import { StatesError, StatesErrorName, StatesRuntimeError } from '../../asl/errors';
import { isJsonObject, type JsonValue } from '../../asl/json';
import type { CompiledTask, DynamicValue } from '../../asl/model';
import { cancelTaskEffect } from '../effects';
import { errorDetails, inputDetails, outputDetails, payload } from '../events';
import { regionOf } from '../execution';
import { FramePhase } from '../frame';
import type { Message, TaskFailedMessage, TaskSucceededMessage } from '../messages';
import type { DetailedEventType } from '../history-events';
import type { Transition } from '../transition';
import type { StateHandler } from './handler';

/** How Step Functions names a resource in history: legacy Lambda events, activity events, or a service integration. */
export type ResourceKind =
  | { kind: 'lambdaFunction' }
  | { kind: 'activity' }
  | { kind: 'service'; resourceType: string; resource: string };

export function classifyResource(resource: string): ResourceKind {
  if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource)) return { kind: 'lambdaFunction' };
  if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) return { kind: 'activity' };
  // arn:aws:states:::lambda:invoke.waitForTaskToken → resourceType "lambda", resource "invoke.waitForTaskToken";
  // arn:aws:states:::aws-sdk:s3:getObject → resourceType "aws-sdk:s3", resource "getObject";
  // arn:aws:states:::states:startExecution.sync:2 → resourceType "states", resource "startExecution.sync:2".
  const rest = resource.split(':').slice(5).join(':');
  const cut = rest.indexOf(':', rest.startsWith('aws-sdk:') ? 'aws-sdk:'.length : 0);
  return cut < 0
    ? { kind: 'service', resourceType: rest, resource: '' }
    : { kind: 'service', resourceType: rest.slice(0, cut), resource: rest.slice(cut + 1) };
}

async function positiveInteger(value: DynamicValue | undefined, input: JsonValue, t: Transition): Promise<number | undefined> {
  if (!value) return undefined;
  const result = await value.evaluate(input, t.env(), { input });
  if (typeof result !== 'number' || !Number.isInteger(result) || result <= 0) {
    throw new StatesRuntimeError(`The value of the field '${value.field}' must be a positive integer. Received: ${JSON.stringify(result ?? null)}`);
  }
  return result;
}

/** The role a Task's `Credentials` names ("RoleArn"): the task's call is made with it, not the state machine's role. */
async function credentialsRole(credentials: DynamicValue, input: JsonValue, t: Transition): Promise<string> {
  const value = await credentials.evaluate(input, t.env(), { input });
  const role = isJsonObject(value) ? value.RoleArn : undefined;
  if (typeof role !== 'string' || role === '') throw new StatesRuntimeError(`The field 'Credentials' must be an object with a 'RoleArn' string. Received: ${JSON.stringify(value ?? null)}`);
  return role;
}

/** Schedules the next attempt of the task: evaluates its parameters, claims the attempt, and asks the driver to run it. */
async function schedule(t: Transition, state: CompiledTask): Promise<void> {
  const f = t.frame;
  const attempt = f.retries.reduce((a, b) => a + b, 0);
  const kind = classifyResource(state.resource);
  // A `.sync` task waits like a callback task: the end of the job it submits completes it through its token,
  // which only the driver sees (the context object has `$$.Task.Token` for callback tasks alone).
  const usesToken = state.integration !== 'REQUEST_RESPONSE' || kind.kind === 'activity';
  const token = usesToken ? t.taskToken(attempt) : undefined;
  const contextToken = state.integration === 'RUN_JOB' ? undefined : token;
  let parameters: JsonValue;
  let timeoutSeconds: number | undefined;
  let heartbeatSeconds: number | undefined;
  let roleArn = t.execution.roleArn;
  try {
    parameters = await state.flow.effectiveInput(f.input, t.env(contextToken !== undefined ? { taskToken: contextToken } : {}));
    timeoutSeconds = await positiveInteger(state.timeoutSeconds, f.input, t);
    heartbeatSeconds = await positiveInteger(state.heartbeatSeconds, f.input, t);
    if (state.credentials) roleArn = await credentialsRole(state.credentials, f.input, t);
  } catch (err) {
    await t.raise(err, state);
    return;
  }
  f.phase = FramePhase.TASK;
  f.task = { attempt, heartbeats: 0, ...(token !== undefined ? { token } : {}), ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}) };

  const timing: Record<string, unknown> = {};
  if (timeoutSeconds !== undefined) timing.timeoutInSeconds = timeoutSeconds;
  if (heartbeatSeconds !== undefined) timing.heartbeatInSeconds = heartbeatSeconds;
  if (kind.kind === 'lambdaFunction') {
    t.record('LambdaFunctionScheduled', { resource: state.resource, ...inputDetails(parameters), ...timing });
    t.record('LambdaFunctionStarted');
  } else if (kind.kind === 'activity') {
    t.record('ActivityScheduled', { resource: state.resource, ...inputDetails(parameters), ...timing });
  } else {
    const base = { resourceType: kind.resourceType, resource: kind.resource };
    t.record('TaskScheduled', {
      ...base,
      region: regionOf(t.execution.executionArn),
      parameters: payload(parameters),
      ...timing,
    });
    t.record('TaskStarted', base);
  }
  t.effect({
    type: 'InvokeTask',
    frameId: f.id,
    entry: f.entry,
    attempt,
    waitForToken: usesToken,
    ...(kind.kind === 'activity' ? { activityArn: state.resource } : {}),
    invocation: {
      resource: state.resource,
      parameters,
      ...(token !== undefined ? { taskToken: token } : {}),
      executionArn: t.execution.executionArn,
      stateMachineArn: t.execution.stateMachineArn,
      roleArn,
      stateName: state.name,
      attempt,
      attemptId: `${t.execution.executionArn}#${f.id}#${f.entry}#${attempt}`,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    },
  });
  if (timeoutSeconds !== undefined) t.timer('TaskTimeout', timeoutSeconds * 1000, { attempt });
  if (heartbeatSeconds !== undefined) t.timer('HeartbeatTimeout', heartbeatSeconds * 1000, { attempt, heartbeats: 0 });
}

type Outcome = 'Succeeded' | 'Failed' | 'TimedOut';

/** The outcome events, in the vocabulary of each resource kind. */
const OUTCOME_EVENTS = {
  lambdaFunction: { Succeeded: 'LambdaFunctionSucceeded', Failed: 'LambdaFunctionFailed', TimedOut: 'LambdaFunctionTimedOut' },
  activity: { Succeeded: 'ActivitySucceeded', Failed: 'ActivityFailed', TimedOut: 'ActivityTimedOut' },
  service: { Succeeded: 'TaskSucceeded', Failed: 'TaskFailed', TimedOut: 'TaskTimedOut' },
} as const satisfies Record<ResourceKind['kind'], Record<Outcome, DetailedEventType>>;

/** Records a task attempt's outcome event, in the vocabulary of the resource kind. */
function recordOutcome(t: Transition, state: CompiledTask, outcome: Outcome, details: Record<string, unknown>): void {
  const kind = classifyResource(state.resource);
  if (kind.kind === 'lambdaFunction' || kind.kind === 'activity') t.record(OUTCOME_EVENTS[kind.kind][outcome], details);
  else t.record(OUTCOME_EVENTS.service[outcome], { resourceType: kind.resourceType, resource: kind.resource, ...details });
}

function isCurrentAttempt(t: Transition, message: Message & { attempt?: number }): boolean {
  return t.frame.phase === FramePhase.TASK && t.frame.task !== undefined && t.frame.task.attempt === message.attempt;
}

async function timeOut(t: Transition, state: CompiledTask, error: string): Promise<void> {
  const task = t.frame.task!;
  recordOutcome(t, state, 'TimedOut', errorDetails(error, undefined));
  t.effect(cancelTaskEffect(t.frame.id, task));
  await t.raise(new StatesError(error), state);
}

/** The attempt's outcome: its event, then the state's output, or its error to Retry and Catch. */
async function complete(t: Transition, state: CompiledTask, message: TaskSucceededMessage | TaskFailedMessage): Promise<void> {
  if (message.type === 'TaskFailed') {
    recordOutcome(t, state, 'Failed', errorDetails(message.error, message.cause));
    await t.raise(new StatesError(message.error, message.cause), state);
    return;
  }
  recordOutcome(t, state, 'Succeeded', outputDetails(message.output));
  try {
    t.leave(await state.flow.finish(t.frame.input, t.frame.input, message.output, t.env()));
  } catch (err) {
    await t.raise(err, state);
  }
}

export const taskHandler: StateHandler<CompiledTask> = {
  enter: schedule,
  async receive(t, state, message) {
    switch (message.type) {
      case 'TaskSucceeded':
      case 'TaskFailed': {
        if (!isCurrentAttempt(t, message)) return;
        const task = t.frame.task!;
        // A job's end before its submission is recorded waits for it (TaskSubmitted applies it).
        if (message.job !== undefined && task.job === undefined) {
          t.frame.task = { ...task, early: message };
          return;
        }
        await complete(t, state, message);
        return;
      }
      case 'TaskSubmitted': {
        // Recorded once per attempt: a re-performed outbox may bring the submission again.
        if (!isCurrentAttempt(t, message) || t.frame.task!.job !== undefined) return;
        const kind = classifyResource(state.resource);
        if (kind.kind !== 'service') return;
        t.record('TaskSubmitted', { resourceType: kind.resourceType, resource: kind.resource, ...outputDetails(message.output) });
        const { early, ...task } = t.frame.task!;
        t.frame.task = { ...task, job: message.job };
        if (early !== undefined) await complete(t, state, early);
        return;
      }
      case 'ActivityStarted':
        // Recorded once per attempt: the message may come twice (a queue's duplicate, or GetActivityTask's own and its queued copy).
        if (!isCurrentAttempt(t, message) || t.frame.task!.started === true) return;
        t.record('ActivityStarted', message.workerName !== undefined ? { workerName: message.workerName } : {});
        t.frame.task = { ...t.frame.task!, started: true };
        return;
      case 'TaskHeartbeat': {
        if (!isCurrentAttempt(t, message)) return;
        const task = t.frame.task!;
        t.frame.task = { ...task, heartbeats: task.heartbeats + 1 };
        if (task.heartbeatSeconds !== undefined) {
          t.timer('HeartbeatTimeout', task.heartbeatSeconds * 1000, { attempt: task.attempt, heartbeats: task.heartbeats + 1 });
        }
        return;
      }
      case 'Timer':
        if (message.timer === 'Retry') {
          if (t.frame.phase === FramePhase.RETRY_WAIT) await schedule(t, state);
        } else if (message.timer === 'TaskTimeout') {
          if (isCurrentAttempt(t, message)) await timeOut(t, state, StatesErrorName.Timeout);
        } else if (message.timer === 'HeartbeatTimeout') {
          if (isCurrentAttempt(t, message) && t.frame.task!.heartbeats === message.heartbeats) {
            await timeOut(t, state, StatesErrorName.HeartbeatTimeout);
          }
        }
        return;
      default:
        return;
    }
  },
};
