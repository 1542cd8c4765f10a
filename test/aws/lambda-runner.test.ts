import type { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { cloudFromConfig } from '../../lib/aws/environment';
import { LambdaTaskRunner, lambdaServiceError } from '../../lib/aws/lambda-runner';

// Error paths of the Lambda API, as the SDK raises them (no service needed to shape these).
describe('lambdaServiceError', () => {
  it('names a modelled Lambda exception Lambda.<Name>', () => {
    const err = Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429, requestId: 'r-1' } });
    expect(lambdaServiceError(err)).toEqual({
      error: 'Lambda.TooManyRequestsException',
      cause: 'Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: r-1, Error Code: TooManyRequestsException)',
    });
  });

  it('reports a denied Invoke as Step Functions does: Lambda.AWSLambdaException, the denial and its AccessDeniedException code', () => {
    const message = 'User: arn:aws:sts::123456789012:assumed-role/r/switchyard is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:f because no identity-based policy allows the lambda:InvokeFunction action';
    const err = Object.assign(new Error(message), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403, requestId: 'r-2' } });
    expect(lambdaServiceError(err)).toEqual({ error: 'Lambda.AWSLambdaException', cause: `${message} (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: r-2; Proxy: null)` });
  });

  it('calls an unnamed 5xx Lambda.ServiceException', () => {
    const err = Object.assign(new Error('Internal failure'), { $metadata: { httpStatusCode: 503 } });
    expect(lambdaServiceError(err).error).toBe('Lambda.ServiceException');
  });

  it('calls anything else (no HTTP response: a network error) Lambda.Unknown', () => {
    expect(lambdaServiceError(new Error('socket hang up'))).toEqual({
      error: 'Lambda.Unknown',
      cause: 'socket hang up (Service: Lambda, Status Code: 0, Request ID: null, Error Code: Unknown)',
    });
  });
});

// At most one invocation per attempt: only an error that proves the function did not run is sent again.
describe('LambdaTaskRunner sending an Invoke', () => {
  const invocation = {
    resource: 'arn:aws:lambda:us-east-1:123456789012:function:f',
    parameters: { n: 1 },
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
    stateName: 'T',
    attempt: 0,
    attemptId: 'arn:aws:states:us-east-1:123456789012:execution:m:e#root#1#0',
  };
  const throttle = () => Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429, requestId: 'r-1' } });
  const ok = () => ({ Payload: new TextEncoder().encode('{"done":true}'), StatusCode: 200, $metadata: {} });

  /** A runner over a client that answers each send with the next of `answers` (an error is thrown). */
  function runner(answers: (Error | ReturnType<typeof ok>)[]) {
    const sends: { abortSignal?: AbortSignal }[] = [];
    const pauses: number[] = [];
    const client = {
      send: async (_command: InvokeCommand, options: { abortSignal?: AbortSignal }) => {
        sends.push(options);
        const answer = answers.shift()!;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    } as unknown as LambdaClient;
    const tasks = new LambdaTaskRunner({ client, region: 'us-east-1', account: '123456789012', sleep: async (ms) => void pauses.push(ms) });
    return { tasks, sends, pauses };
  }

  it('sends a throttled Invoke again (the function did not run), after a pause', async () => {
    const { tasks, sends, pauses } = runner([throttle(), ok()]);
    expect(await tasks.run(invocation, new AbortController().signal)).toEqual({ kind: 'succeeded', output: { done: true } });
    expect(sends).toHaveLength(2);
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toBeGreaterThanOrEqual(50);
    expect(pauses[0]).toBeLessThanOrEqual(100);
  });

  it('fails the task with Lambda.TooManyRequestsException once the throttle retries are spent', async () => {
    const { tasks, sends } = runner([throttle(), throttle(), throttle(), ok()]);
    expect(await tasks.run(invocation, new AbortController().signal)).toEqual({
      kind: 'failed',
      error: 'Lambda.TooManyRequestsException',
      cause: 'Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: r-1, Error Code: TooManyRequestsException)',
    });
    expect(sends).toHaveLength(3);
  });

  it.each([
    ['a 5xx', Object.assign(new Error('Internal failure'), { $metadata: { httpStatusCode: 503 } }), 'Lambda.ServiceException'],
    ['a dropped connection', new Error('socket hang up'), 'Lambda.Unknown'],
    ['a timeout', Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }), 'Lambda.Unknown'],
  ])('never sends an Invoke again after %s (the function may have run)', async (_what, err, error) => {
    const { tasks, sends } = runner([err, ok()]);
    expect(await tasks.run(invocation, new AbortController().signal)).toMatchObject({ kind: 'failed', error });
    expect(sends).toHaveLength(1);
  });

  it("hands the attempt's signal to the SDK, and does not retry a throttle once it has aborted", async () => {
    const { tasks, sends } = runner([throttle(), ok()]);
    const signal = AbortSignal.abort();
    expect(await tasks.run(invocation, signal)).toMatchObject({ kind: 'failed', error: 'Lambda.TooManyRequestsException' });
    expect(sends).toEqual([{ abortSignal: signal }]);
  });
});

describe('the Lambda client the cloud builds', () => {
  it('never retries an Invoke itself (maxAttempts 1)', async () => {
    const cloud = cloudFromConfig({ tableName: 't', queueUrl: 'http://localhost:1/q', region: 'us-east-1', account: '123456789012', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(await cloud.clients.lambda.config.maxAttempts()).toBe(1);
    expect(await cloud.clients.dynamodb.config.maxAttempts()).toBe(8);
  });
});
