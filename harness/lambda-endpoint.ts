/**
 * A small Lambda Invoke endpoint on 127.0.0.1 that runs handler modules, so
 * the real @aws-sdk/client-lambda (and the cloud task runner) can invoke
 * functions on one machine: `POST /2015-03-31/functions/{name}/invocations`.
 * A thrown error answers as Lambda does: status 200, `X-Amz-Function-Error:
 * Unhandled` and `{errorType, errorMessage, trace}`; an unknown function is
 * a 404 ResourceNotFoundException. Each call's signing key id (the
 * Authorization header's `Credential=<key id>/…`) is recorded, and `deny`
 * refuses an Invoke as Lambda refuses a caller without lambda:InvokeFunction:
 * 403 AccessDeniedException.
 *
 * An asynchronous invoke (`X-Amz-Invocation-Type: Event`) is answered 202
 * with no body before the handler runs, as Lambda answers once it has queued
 * the event; the handler then runs in the background, an invocation that
 * throws is retried twice (Lambda's default), and an event that never
 * succeeded is handed to `onFailure` — the function's on-failure destination.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaContext, LambdaHandler } from '../lib/local/tasks/handlers-file';
import { lambdaError } from '../lib/local/tasks/lambda-runner';

export interface LambdaEndpoint {
  url: string;
  /** Invocations per function name. */
  readonly calls: Map<string, number>;
  /** The access key id each request was signed with, in order ('' when unsigned). */
  readonly keyIds: string[];
  /** Resolves once every asynchronous invocation accepted so far has succeeded or gone to `onFailure`. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** How asynchronous invocations are retried and where a failed one goes. */
export interface AsyncInvokeOptions {
  /** The wait before each retry (Lambda waits about 1 and 2 minutes); its length is the number of retries. @default [50, 100] */
  retryDelaysMs?: readonly number[];
  /** The on-failure destination: told of an event whose every attempt failed, with the last error's text. @default none */
  onFailure?: (functionName: string, event: unknown, cause: string) => void;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations(?:\?.*)?$/;

/** Decides whether the caller signing with `keyId` may invoke `functionArn`: undefined allows, a principal ARN is refused (and named). */
export type InvokeDenial = (keyId: string, functionArn: string) => string | undefined;

export async function startLambdaEndpoint(
  handlers: ReadonlyMap<string, LambdaHandler>,
  region = 'us-east-1',
  account = '123456789012',
  deny?: InvokeDenial,
  asyncInvokes: AsyncInvokeOptions = {},
): Promise<LambdaEndpoint> {
  const calls = new Map<string, number>();
  const keyIds: string[] = [];
  const inFlight = new Set<Promise<void>>();
  /** One asynchronous event: its attempts, then the on-failure destination. */
  const runAsync = async (name: string, handler: LambdaHandler, event: unknown, context: (requestId: string) => LambdaContext): Promise<void> => {
    const delays = asyncInvokes.retryDelaysMs ?? [50, 100];
    for (let attempt = 0; ; attempt++) {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      try {
        await handler(event, context(randomUUID()));
        return;
      } catch (err) {
        if (attempt >= delays.length) {
          asyncInvokes.onFailure?.(name, event, lambdaError(err).cause);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
      }
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const requestId = randomUUID();
        const match = INVOKE.exec(req.url ?? '');
        const raw = match ? decodeURIComponent(match[1]) : '';
        // FunctionName may be a name, a partial ARN or an ARN, with a qualifier.
        const name = (raw.startsWith('arn:') ? raw.split(':')[6] : raw.includes(':function:') ? raw.split(':')[2] : raw.split(':')[0]) ?? '';
        const handler = handlers.get(name);
        const keyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
        keyIds.push(keyId);
        const functionArn = `arn:aws:lambda:${region}:${account}:function:${name}`;
        const denied = deny?.(keyId, functionArn);
        if (denied !== undefined) {
          res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException', 'x-amzn-requestid': requestId });
          res.end(JSON.stringify({ Message: `User: ${denied} is not authorized to perform: lambda:InvokeFunction on resource: ${functionArn} because no identity-based policy allows the lambda:InvokeFunction action` }));
          return;
        }
        if (req.method !== 'POST' || !match || !handler) {
          res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException', 'x-amzn-requestid': requestId });
          res.end(JSON.stringify({ Type: 'User', message: `Function not found: arn:aws:lambda:${region}:${account}:function:${name}` }));
          return;
        }
        const text = Buffer.concat(chunks).toString('utf8');
        const event: unknown = text === '' ? {} : JSON.parse(text);
        const contextOf = (awsRequestId: string): LambdaContext => ({
          functionName: name,
          functionVersion: '$LATEST',
          invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${name}`,
          memoryLimitInMB: '128',
          awsRequestId,
          logGroupName: `/aws/lambda/${name}`,
          logStreamName: 'local',
          callbackWaitsForEmptyEventLoop: true,
          getRemainingTimeInMillis: () => 900_000,
        });
        if (String(req.headers['x-amz-invocation-type'] ?? '').toLowerCase() === 'event') {
          const run = runAsync(name, handler, event, contextOf);
          inFlight.add(run);
          void run.finally(() => inFlight.delete(run));
          res.writeHead(202, { 'x-amzn-requestid': requestId });
          res.end();
          return;
        }
        calls.set(name, (calls.get(name) ?? 0) + 1);
        const headers = { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST' };
        try {
          const result = await handler(event, contextOf(requestId));
          res.writeHead(200, headers);
          res.end(result === undefined ? 'null' : JSON.stringify(result));
        } catch (err) {
          const { cause } = lambdaError(err);
          res.writeHead(200, { ...headers, 'x-amz-function-error': 'Unhandled' });
          res.end(cause);
        }
      })();
    });
  });
  // Idle sockets outlive the SDK's: a server that closed one as a task was sent on it would reset an Invoke
  // that never ran (Node's default is 5 s, shorter than the gaps between a workflow's tasks).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    keyIds,
    settled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close: async () => {
      // The events accepted run to their end first (they may invoke functions here).
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
