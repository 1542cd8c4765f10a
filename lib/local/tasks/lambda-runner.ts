/**
 * Runs Lambda tasks with local handler modules, returning what Step
 * Functions returns: the handler's result for a function ARN, Lambda's
 * response envelope for `lambda:invoke`, and for a thrown error the error's
 * type as the States error and `{errorMessage, errorType, trace}` as the cause.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../../asl/json';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../../engine/ports/task-runner';
import type { LambdaContext, LambdaHandler } from './handlers-file';
import { lambdaResponseEnvelope, lambdaTarget, type LambdaTarget } from '../../engine/integrations/lambda';

export interface LambdaRunnerOptions {
  region?: string;
  account?: string;
}

export class LambdaHandlersRunner implements TaskRunner {
  private readonly region: string;
  private readonly account: string;

  constructor(
    private readonly handlers: ReadonlyMap<string, LambdaHandler>,
    options: LambdaRunnerOptions = {},
  ) {
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
  }

  /** True when this runner knows the resource (a Lambda resource, known or not). */
  handles(invocation: TaskInvocation): boolean {
    return lambdaTarget(invocation.resource, invocation.parameters, this.region, this.account) !== undefined;
  }

  async run(invocation: TaskInvocation): Promise<TaskOutcome> {
    const target = lambdaTarget(invocation.resource, invocation.parameters, this.region, this.account);
    if (target === undefined) {
      return { kind: 'failed', error: 'States.TaskFailed', cause: `The resource '${invocation.resource}' is not supported by the local Lambda runner.` };
    }
    if ('error' in target) return { kind: 'failed', error: 'States.Runtime', cause: target.error };
    const handler = this.handlers.get(target.functionName);
    if (!handler) {
      const requestId = randomUUID();
      return {
        kind: 'failed',
        error: 'Lambda.ResourceNotFoundException',
        cause: `Function not found: ${target.functionArn} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${requestId}; Proxy: null)`,
      };
    }
    const outcome = await invokeHandler(handler, target, invocation.timeoutSeconds);
    if (outcome.kind === 'failed') return outcome;
    if (target.waitForTaskToken) return { kind: 'pending' };
    return { kind: 'succeeded', output: target.wrapped ? lambdaResponseEnvelope(outcome.output) : outcome.output };
  }
}

/** Calls a handler the way the Lambda Node.js runtime does: a JSON copy of the event in, a JSON copy of the result out. */
async function invokeHandler(handler: LambdaHandler, target: LambdaTarget, timeoutSeconds: number | undefined): Promise<{ kind: 'succeeded'; output: JsonValue } | { kind: 'failed'; error: string; cause: string }> {
  const started = Date.now();
  const budget = (timeoutSeconds ?? 3) * 1000;
  const context: LambdaContext = {
    functionName: target.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: target.functionArn,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${target.functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]local`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, budget - (Date.now() - started)),
  };
  const event = JSON.parse(JSON.stringify(target.payload)) as unknown;
  try {
    const result = await new Promise<unknown>((resolve, reject) => {
      const callback = (err: unknown, value?: unknown) => (err ? reject(err) : resolve(value));
      const returned = handler.length >= 3 ? handler(event, context, callback) : handler(event, context);
      if (handler.length < 3 || returned instanceof Promise) Promise.resolve(returned).then(resolve, reject);
    });
    return { kind: 'succeeded', output: result === undefined ? null : (JSON.parse(JSON.stringify(result)) as JsonValue) };
  } catch (err) {
    return { kind: 'failed', ...lambdaError(err) };
  }
}

/** A thrown value in Lambda's error shape: the error type is the States error, the JSON cause carries message and trace. */
export function lambdaError(err: unknown): { error: string; cause: string } {
  const isError = err instanceof Error;
  const errorType = isError ? (err.name === 'Error' && err.constructor !== Error ? err.constructor.name : err.name) : 'Error';
  const errorMessage = isError ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
  const trace = isError && err.stack ? err.stack.split('\n') : [];
  return { error: errorType, cause: JSON.stringify({ errorType, errorMessage, trace }) };
}
