/**
 * Task states on AWS Lambda through the real Invoke API (RequestResponse),
 * with results and errors shaped as Step Functions shapes them:
 * - a function ARN returns the function's payload; `arn:aws:states:::lambda:invoke`
 *   returns Lambda's response envelope (Payload, StatusCode, …);
 * - a function error (FunctionError set) fails the task with the function's
 *   errorType as the error and the error payload as the cause;
 * - an error of the Lambda service itself fails it as `Lambda.<ExceptionName>`
 *   (e.g. Lambda.TooManyRequestsException, Lambda.ResourceNotFoundException),
 *   a 5xx without a name as Lambda.ServiceException, anything else as Lambda.Unknown;
 *   a denied Invoke (AccessDeniedException: the role lacks lambda:InvokeFunction)
 *   as Step Functions reports it, Lambda.AWSLambdaException with the denial in
 *   the cause.
 *
 * With `clientFor`, a task invokes with its state machine's role (the
 * invocation's roleArn, assumed through lib/aws/role-credentials.ts): the
 * role's grants, not the transition function's, decide what it may invoke.
 *
 * At most one invocation per attempt (DESIGN.md invariant 3): an Invoke that
 * may have reached the function (a timeout, a dropped connection, a 5xx) is
 * never sent again — the client must not retry (`maxAttempts: 1`, as
 * lib/aws/environment.ts builds it). Only a throttle (429
 * TooManyRequestsException: the function did not run) is retried here, a few
 * times with backoff, before it fails the task as Lambda.TooManyRequestsException.
 * The attempt's signal (its deadline) abandons the call (docs/CLOUD.md).
 */
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import type { JsonValue } from '../asl/json';
import { lambdaResponseEnvelope, lambdaTarget } from '../engine/integrations/lambda';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../engine/ports/task-runner';
import { NO_METER, type Meter } from './meter';
import { RoleAssumptionError } from './role-credentials';

export interface LambdaTaskRunnerOptions {
  /** The client of the function's own credentials: tasks with no role, or every task without `clientFor`. */
  client: LambdaClient;
  /** The client that signs with a state machine role's credentials (cached per role). @default none: every task uses `client` */
  clientFor?: (roleArn: string) => LambdaClient;
  region: string;
  account: string;
  /** Memory of the task functions, for the cost meter's GB-seconds. @default 128 */
  memoryMb?: number;
  meter?: Meter;
  /** Throttled Invokes retried before the task fails with Lambda.TooManyRequestsException. @default 2 */
  throttleRetries?: number;
  /** Waits between throttled Invokes, ending early when the signal aborts. @default setTimeout */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The first pause after a throttled Invoke; each next one doubles (with jitter). */
const THROTTLE_BACKOFF_MS = 100;

/** True when Lambda refused the Invoke for concurrency or rate: the function did not run, so sending it again cannot run it twice. */
export function isThrottle(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'TooManyRequestsException' && e.$metadata?.httpStatusCode === 429;
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export class LambdaTaskRunner implements TaskRunner {
  private readonly meter: Meter;

  constructor(private readonly options: LambdaTaskRunnerOptions) {
    this.meter = options.meter ?? NO_METER;
  }

  async run(invocation: TaskInvocation, signal: AbortSignal = new AbortController().signal): Promise<TaskOutcome> {
    const target = lambdaTarget(invocation.resource, invocation.parameters, this.options.region, this.options.account);
    if (target === undefined) {
      return { kind: 'failed', error: 'States.Runtime', cause: `The resource '${invocation.resource}' is not supported by Switchyard's cloud runtime.` };
    }
    if ('error' in target) return { kind: 'failed', error: 'States.Runtime', cause: target.error };
    const command = new InvokeCommand({
      FunctionName: target.functionArn, // qualified when the resource names a version or alias
      ...(target.qualifier && !target.functionArn.endsWith(`:${target.qualifier}`) ? { Qualifier: target.qualifier } : {}),
      Payload: Buffer.from(JSON.stringify(target.payload)),
    });
    const started = Date.now();
    try {
      const client = invocation.roleArn !== undefined && this.options.clientFor ? this.options.clientFor(invocation.roleArn) : this.options.client;
      const out = await this.invokeOnce(client, command, signal);
      this.meter.record('lambda', 'TaskFunctionInvoke', { gbSeconds: ((Math.ceil(Date.now() - started) / 1000) * (this.options.memoryMb ?? 128)) / 1024 });
      const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
      const payload: JsonValue = text === '' ? null : (JSON.parse(text) as JsonValue);
      if (out.FunctionError) {
        const body = (payload ?? {}) as { errorType?: string; errorMessage?: string };
        return { kind: 'failed', error: body.errorType ?? out.FunctionError, cause: text };
      }
      if (target.waitForTaskToken) return { kind: 'pending' };
      return { kind: 'succeeded', output: target.wrapped ? lambdaResponseEnvelope(payload, out.$metadata.requestId, out.ExecutedVersion ?? '$LATEST') : payload };
    } catch (err) {
      // The role could not be assumed, so nothing was invoked: a task failure that Retry and Catch can handle.
      if (err instanceof RoleAssumptionError) return { kind: 'failed', error: 'States.TaskFailed', cause: err.message };
      return { kind: 'failed', ...lambdaServiceError(err) };
    }
  }

  /** Sends the Invoke, again only after a throttle (which proves the function did not run). */
  private async invokeOnce(client: LambdaClient, command: InvokeCommand, signal: AbortSignal): Promise<InvokeCommandOutput> {
    const retries = this.options.throttleRetries ?? 2;
    const sleep = this.options.sleep ?? wait;
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.send(command, { abortSignal: signal });
      } catch (err) {
        if (!isThrottle(err) || attempt >= retries || signal.aborted) throw err;
        await sleep(THROTTLE_BACKOFF_MS * 2 ** attempt * (0.5 + Math.random() / 2), signal);
        if (signal.aborted) throw err;
      }
    }
  }
}

/** A Lambda API error as Step Functions names it. */
export function lambdaServiceError(err: unknown): { error: string; cause: string } {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string }; $fault?: string };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'AccessDeniedException' && status === 403) {
    // As Step Functions reports a denied Invoke: "error": "Lambda.AWSLambdaException", "cause": "User: … is not authorized to perform:
    // lambda:InvokeFunction on resource: … (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: …; Proxy: null)"
    return { error: 'Lambda.AWSLambdaException', cause: `${e.message ?? ''} (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: ${e.$metadata?.requestId ?? 'null'}; Proxy: null)` };
  }
  const name = e.name && e.name !== 'Error' && status !== undefined ? e.name : undefined;
  const error = name ? `Lambda.${name}` : status !== undefined && status >= 500 ? 'Lambda.ServiceException' : 'Lambda.Unknown';
  const code = name ?? 'Unknown';
  const cause = `${e.message ?? String(err)} (Service: Lambda, Status Code: ${status ?? 0}, Request ID: ${e.$metadata?.requestId ?? 'null'}, Error Code: ${code})`;
  return { error, cause };
}
