/**
 * Local Lambda tasks: what a Task state receives from a handler, as the
 * developer guide's "Invoke an AWS Lambda function with Step Functions"
 * documents it (direct ARN → the payload; lambda:invoke → Lambda's Invoke
 * response; a thrown error → errorType as the error, the JSON cause).
 */
import type { TaskInvocation } from '../../../lib/engine/ports/task-runner';
import { runDefinition } from '../../../lib/local/runtime';
import { LambdaHandlersRunner, lambdaError, lambdaTarget, type LambdaHandler } from '../../../lib/local/tasks';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

function invocation(resource: string, parameters: unknown, extra: Partial<TaskInvocation> = {}): TaskInvocation {
  return {
    resource,
    parameters: parameters as never,
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
    stateName: 'S',
    attempt: 0,
    attemptId: 'arn:aws:states:us-east-1:123456789012:execution:m:e#root#0#0',
    ...extra,
  };
}

class PaymentDeclined extends Error {}

const handlers = new Map<string, LambdaHandler>([
  ['Echo', async (event, context) => ({ event, fn: context.functionName, arn: context.invokedFunctionArn })],
  ['Callback', (event, _context, callback) => callback!(null, { viaCallback: event })],
  ['Declined', async () => {
    throw new PaymentDeclined('card declined');
  }],
  ['Named', async () => {
    const err = new Error('no stock');
    err.name = 'OutOfStock';
    throw err;
  }],
  ['ThrowsString', async () => {
    throw 'plain string';
  }],
  ['Undefined', async () => undefined],
]);
const runner = new LambdaHandlersRunner(handlers);

describe('lambdaTarget', () => {
  it('reads name and qualifier from a function ARN, with the effective input as payload', () => {
    expect(lambdaTarget(`${FN}Echo:prod`, { a: 1 }, 'us-east-1', '123456789012')).toEqual({
      functionName: 'Echo',
      qualifier: 'prod',
      functionArn: `${FN}Echo:prod`,
      payload: { a: 1 },
      wrapped: false,
      waitForTaskToken: false,
    });
  });

  it('accepts a bare name, a partial ARN and a full ARN as FunctionName of lambda:invoke', () => {
    const of = (fn: string) => lambdaTarget('arn:aws:states:::lambda:invoke', { FunctionName: fn, Payload: { x: 1 } }, 'eu-west-1', '111122223333');
    expect(of('Echo')).toMatchObject({ functionName: 'Echo', functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:Echo', wrapped: true, payload: { x: 1 } });
    expect(of('444455556666:function:Echo:v2')).toMatchObject({ functionName: 'Echo', qualifier: 'v2', functionArn: 'arn:aws:lambda:eu-west-1:444455556666:function:Echo:v2' });
    expect(of(`${FN}Echo`)).toMatchObject({ functionName: 'Echo', functionArn: `${FN}Echo` });
  });

  it('marks .waitForTaskToken and defaults Payload to {}', () => {
    expect(lambdaTarget('arn:aws:states:::lambda:invoke.waitForTaskToken', { FunctionName: 'Echo' }, 'us-east-1', '123456789012')).toMatchObject({ payload: {}, waitForTaskToken: true });
  });

  it('rejects a missing FunctionName and ignores non-Lambda resources', () => {
    expect(lambdaTarget('arn:aws:states:::lambda:invoke', { Payload: {} }, 'us-east-1', '123456789012')).toEqual({
      error: "The field 'FunctionName' is required by arn:aws:states:::lambda:invoke and must be a string",
    });
    expect(lambdaTarget('arn:aws:states:::sqs:sendMessage', {}, 'us-east-1', '123456789012')).toBeUndefined();
  });
});

describe('LambdaHandlersRunner', () => {
  it('returns the handler result itself for a function ARN, with Lambda context fields', async () => {
    expect(await runner.run(invocation(`${FN}Echo`, { n: 1 }))).toEqual({
      kind: 'succeeded',
      output: { event: { n: 1 }, fn: 'Echo', arn: `${FN}Echo` },
    });
  });

  it('wraps the result in the Invoke response for arn:aws:states:::lambda:invoke', async () => {
    const outcome = await runner.run(invocation('arn:aws:states:::lambda:invoke', { FunctionName: 'Echo', Payload: { n: 2 } }));
    expect(outcome.kind).toBe('succeeded');
    const output = (outcome as { output: Record<string, any> }).output;
    expect(Object.keys(output)).toEqual(['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']);
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(output.StatusCode).toBe(200);
    expect(output.Payload).toEqual({ event: { n: 2 }, fn: 'Echo', arn: `${FN}Echo` });
    expect(output.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(output.SdkHttpMetadata.HttpHeaders['x-amzn-RequestId']).toBe(output.SdkResponseMetadata.RequestId);
  });

  it('supports callback-style handlers', async () => {
    expect(await runner.run(invocation(`${FN}Callback`, 'x'))).toEqual({ kind: 'succeeded', output: { viaCallback: 'x' } });
  });

  it('turns an undefined result into null, as Lambda serialises it', async () => {
    expect(await runner.run(invocation(`${FN}Undefined`, {}))).toEqual({ kind: 'succeeded', output: null });
  });

  it('reports a thrown error by its class name, with errorType/errorMessage/trace as the cause', async () => {
    const outcome = await runner.run(invocation(`${FN}Declined`, {}));
    expect(outcome).toMatchObject({ kind: 'failed', error: 'PaymentDeclined' });
    const cause = JSON.parse((outcome as { cause: string }).cause);
    expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(cause.errorType).toBe('PaymentDeclined');
    expect(cause.errorMessage).toBe('card declined');
    expect(cause.trace[0]).toBe('Error: card declined');
  });

  it('uses an error name set on the error', async () => {
    expect(await runner.run(invocation(`${FN}Named`, {}))).toMatchObject({ kind: 'failed', error: 'OutOfStock' });
  });

  it('reports a thrown string as errorType Error', () => {
    expect(lambdaError('plain string')).toEqual({ error: 'Error', cause: '{"errorType":"Error","errorMessage":"plain string","trace":[]}' });
  });

  it('fails an unknown function with Lambda.ResourceNotFoundException', async () => {
    const outcome = await runner.run(invocation(`${FN}Missing`, {}));
    expect(outcome).toMatchObject({ kind: 'failed', error: 'Lambda.ResourceNotFoundException' });
    expect((outcome as { cause: string }).cause).toMatch(
      /^Function not found: arn:aws:lambda:us-east-1:123456789012:function:Missing \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
    );
  });

  it('leaves a .waitForTaskToken task pending after the handler returns', async () => {
    expect(await runner.run(invocation('arn:aws:states:::lambda:invoke.waitForTaskToken', { FunctionName: 'Echo', Payload: {} }, { taskToken: 't' }))).toEqual({ kind: 'pending' });
  });

  it('runs end to end: a Catch on the handler error type sees the Lambda cause', async () => {
    const result = await runDefinition(
      {
        StartAt: 'Charge',
        States: {
          Charge: { Type: 'Task', Resource: `${FN}Declined`, Catch: [{ ErrorEquals: ['PaymentDeclined'], Next: 'Handled' }], End: true },
          Handled: { Type: 'Pass', Parameters: { 'error.$': '$.Error', 'cause.$': 'States.StringToJson($.Cause)' }, End: true },
        },
      },
      { taskRunner: runner, timeScale: 0 },
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ error: 'PaymentDeclined', cause: { errorType: 'PaymentDeclined', errorMessage: 'card declined' } });
  });
});
