/**
 * A small Lambda Invoke endpoint on 127.0.0.1 that runs handler modules, so
 * the real @aws-sdk/client-lambda (and the cloud task runner) can invoke
 * functions on one machine: `POST /2015-03-31/functions/{name}/invocations`.
 * A thrown error answers as Lambda does: status 200, `X-Amz-Function-Error:
 * Unhandled` and `{errorType, errorMessage, trace}`; an unknown function is
 * a 404 ResourceNotFoundException.
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
  close(): Promise<void>;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations(?:\?.*)?$/;

export async function startLambdaEndpoint(handlers: ReadonlyMap<string, LambdaHandler>, region = 'us-east-1', account = '123456789012'): Promise<LambdaEndpoint> {
  const calls = new Map<string, number>();
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
