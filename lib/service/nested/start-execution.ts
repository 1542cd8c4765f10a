/**
 * `arn:aws:states:::states:startExecution` as a nested Switchyard execution
 * (developer guide, "Start workflow executions from a task state"): "Step
 * Functions can start these workflow executions by calling its own API as an
 * integrated service … using any of the service integration patterns."
 * - request-response: the task ends with StartExecution's response;
 * - `.sync` / `.sync:2`: the response is the task's TaskSubmitted event, and
 *   the task waits for the child's end (child-end.ts completes it);
 * - `.waitForTaskToken`: the child is started and the task waits for its token.
 * Both drivers run this one runner over their own executions.
 */
import { randomUUID } from 'node:crypto';
import { isMalformed, IntegrationPattern, parseServiceResource, type ServiceResource } from '../../asl/integrations';
import { isJsonObject, type JsonValue } from '../../asl/json';
import { httpMetadata } from '../../engine/integrations/http-metadata';
import { isResourceRunner, routedTaskRunner, type ResourceRunner } from '../../engine/ports/task-routes';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../../engine/ports/task-runner';
import { ServiceError, ServiceErrorName } from '../../engine/service-errors';

/** The parent task a `.sync` child completes when it ends: recorded with the child. */
export interface NestedParent {
  /** The parent execution (what `AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID` names, as Step Functions' console links them). */
  readonly executionArn: string;
  /** The parent task attempt's token, which the child's end completes. */
  readonly taskToken: string;
  /** `.sync` (the child's output as JSON text) or `.sync:2` (as JSON). */
  readonly pattern: typeof IntegrationPattern.Sync | typeof IntegrationPattern.Sync2;
}

/** What the runner needs of a driver: start an execution of a registered state machine, and stop one. */
export interface NestedExecutions {
  /** StartExecution; throws the API's ServiceError (StateMachineDoesNotExist, ExecutionAlreadyExists, …). */
  start(stateMachineArn: string, options: { name?: string; input: JsonValue; parent?: NestedParent }): Promise<{ executionArn: string; startDate: number }>;
  /** StopExecution of a child whose parent task was stopped (timed out, its execution stopped). */
  stop(executionArn: string): Promise<void>;
}

function startExecutionResource(resource: string): ServiceResource | undefined {
  const parsed = parseServiceResource(resource);
  if (parsed === undefined || isMalformed(parsed)) return undefined;
  return parsed.kind === 'optimized' && parsed.service === 'states' && parsed.action === 'startExecution' ? parsed : undefined;
}

/** A ServiceError as the optimized integration names it: `StepFunctions.<Name>Exception`, with the Java client's cause. */
function apiFailure(err: ServiceError): TaskOutcome {
  const code = err.name.endsWith('Exception') ? err.name : `${err.name}Exception`;
  return {
    kind: 'failed',
    error: `StepFunctions.${code}`,
    cause: `${err.message} (Service: AWSStepFunctions; Status Code: ${err.statusCode}; Error Code: ${err.name}; Request ID: ${randomUUID()}; Proxy: null)`,
  };
}

/** The child's input: `Input` as JSON, or JSON text parsed ("Input": "{\"a\":1}"); none is `{}`. */
function childInput(input: JsonValue | undefined): JsonValue {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'string') return input;
  return JSON.parse(input) as JsonValue;
}

/** StartExecution's response as the integration returns it: ExecutionArn, StartDate (epoch ms) and the Java client's metadata. */
export function startExecutionResponse(executionArn: string, startDate: number): JsonValue {
  const body = JSON.stringify({ executionArn, startDate: startDate / 1000 });
  const requestId = randomUUID();
  const headers = {
    'x-amzn-requestid': requestId,
    'content-type': 'application/x-amz-json-1.0',
    'content-length': String(Buffer.byteLength(body)),
    date: new Date(startDate).toUTCString(),
  };
  return { ExecutionArn: executionArn, StartDate: startDate, ...httpMetadata(200, headers, requestId) };
}

/** The runner of `states:startExecution` tasks over a driver's executions. */
export function nestedExecutionRunner(executions: NestedExecutions): ResourceRunner {
  return {
    handles: (invocation: TaskInvocation) => startExecutionResource(invocation.resource) !== undefined,
    async run(invocation: TaskInvocation, signal: AbortSignal): Promise<TaskOutcome> {
      const pattern = startExecutionResource(invocation.resource)!.pattern;
      const params = isJsonObject(invocation.parameters) ? invocation.parameters : {};
      const { StateMachineArn: stateMachineArn, Input: input, Name: name } = params;
      if (typeof stateMachineArn !== 'string') return { kind: 'failed', error: 'States.Runtime', cause: "The parameter 'StateMachineArn' of states:startExecution must be a string." };
      if (name !== undefined && typeof name !== 'string') return { kind: 'failed', error: 'States.Runtime', cause: "The parameter 'Name' of states:startExecution must be a string." };
      const sync = pattern === IntegrationPattern.Sync || pattern === IntegrationPattern.Sync2;
      let started: { executionArn: string; startDate: number };
      try {
        let parsed: JsonValue;
        try {
          parsed = childInput(input);
        } catch {
          throw new ServiceError(ServiceErrorName.InvalidExecutionInput, `Invalid State Machine Execution Input: '${String(input)}'`);
        }
        const parent = sync && invocation.taskToken !== undefined ? { executionArn: invocation.executionArn, taskToken: invocation.taskToken, pattern } : undefined;
        started = await executions.start(stateMachineArn, { ...(name !== undefined ? { name } : {}), input: parsed, ...(parent ? { parent } : {}) });
      } catch (err) {
        if (err instanceof ServiceError) return apiFailure(err);
        return { kind: 'failed', error: 'States.TaskFailed', cause: err instanceof Error ? err.message : String(err) };
      }
      const response = startExecutionResponse(started.executionArn, started.startDate);
      if (pattern === IntegrationPattern.RequestResponse) return { kind: 'succeeded', output: response };
      if (!sync) return { kind: 'pending' };
      // In-process the attempt's signal aborts when the task is stopped; the cloud stops the CancelTask's job.
      signal.addEventListener('abort', () => void executions.stop(started.executionArn).catch(() => undefined), { once: true });
      return { kind: 'pending', submitted: { output: response, job: started.executionArn } };
    },
  };
}

/**
 * A driver's task runner with states:startExecution tasks on its own
 * executions — unless `runner` says it runs the task itself (a mocked state,
 * as Step Functions Local's mock configurations mock nested executions too).
 */
export function withNestedExecutions(executions: NestedExecutions, runner: TaskRunner): ResourceRunner {
  return routedTaskRunner([...(isResourceRunner(runner) ? [runner] : []), nestedExecutionRunner(executions)], runner);
}
