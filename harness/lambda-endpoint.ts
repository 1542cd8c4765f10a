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
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaHandler } from '../lib/local/tasks/handlers-file';
import { lambdaError } from '../lib/local/tasks/lambda-runner';

export interface LambdaEndpoint {
  url: string;
  /** Invocations per function name. */
  readonly calls: Map<string, number>;
  /** The access key id each request was signed with, in order ('' when unsigned). */
  readonly keyIds: string[];
  close(): Promise<void>;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations(?:\?.*)?$/;

/** Decides whether the caller signing with `keyId` may invoke `functionArn`: undefined allows, a principal ARN is refused (and named). */
export type InvokeDenial = (keyId: string, functionArn: string) => string | undefined;

export async function startLambdaEndpoint(handlers: ReadonlyMap<string, LambdaHandler>, region = 'us-east-1', account = '123456789012', deny?: InvokeDenial): Promise<LambdaEndpoint> {
  const calls = new Map<string, number>();
  const keyIds: string[] = [];
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
        calls.set(name, (calls.get(name) ?? 0) + 1);
        const text = Buffer.concat(chunks).toString('utf8');
        const event: unknown = text === '' ? {} : JSON.parse(text);
        const context = {
          functionName: name,
          functionVersion: '$LATEST',
          invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${name}`,
          memoryLimitInMB: '128',
          awsRequestId: requestId,
          logGroupName: `/aws/lambda/${name}`,
          logStreamName: 'local',
          callbackWaitsForEmptyEventLoop: true,
          getRemainingTimeInMillis: () => 900_000,
        };
        const headers = { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST' };
        try {
          const result = await handler(event, context);
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
  // Idle keep-alive connections outlive the SDK's idle sockets, so an Invoke never meets a closing connection (ECONNRESET) under load.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    keyIds,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
