/**
 * `switchyard console --endpoint URL`: the web console for a deployed Yard,
 * served on 127.0.0.1 only. Its API calls go on to the front door signed
 * with the user's own AWS credentials (lib/aws/console-proxy.ts); the
 * listener answers the console's files, `GET /health` and `POST /` with an
 * X-Amz-Target, nothing else.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsoleForwarder, regionOfEndpoint, userCredentials, type ConsoleProxyOptions } from '../aws/console-proxy';
import { ServiceErrorName } from '../engine/service-errors';
import { defaultConsoleDir, isConsolePath, serveConsoleAsset } from '../local/console-assets';
import { errorResponse, requestTooLarge, type ProtocolResponse } from '../service/api';
import { UsageError, type CliIo } from './io';

export interface ConsoleArgs {
  endpoint?: string;
  profile?: string;
  region?: string;
  port?: string;
  'signing-name'?: string;
}

/** The running console proxy. */
export interface ConsoleServer {
  /** `http://127.0.0.1:PORT`, the address to open. */
  readonly url: string;
  close(): Promise<void>;
}

/** API Gateway takes requests up to 10 MB; the proxy refuses larger ones itself. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** Starts the proxy; `credentials` replaces the standard chain (tests). */
export async function consoleCommand(args: ConsoleArgs, io: CliIo, credentials?: ConsoleProxyOptions['credentials']): Promise<ConsoleServer> {
  if (args.endpoint === undefined) throw new UsageError("'console' needs --endpoint URL: the deployed front door (the stack's ApiUrl output)");
  let endpoint: URL;
  try {
    endpoint = new URL(args.endpoint);
  } catch {
    throw new UsageError(`--endpoint must be a URL, got '${args.endpoint}'`);
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') throw new UsageError(`--endpoint must be an http(s) URL, got '${args.endpoint}'`);
  const region = args.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? regionOfEndpoint(endpoint.href);
  if (region === undefined) throw new UsageError(`no region for ${endpoint.host}: give --region R (or set AWS_REGION)`);
  const port = args.port === undefined ? 8084 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got '${args.port}'`);
  const forward = createConsoleForwarder({ endpoint: endpoint.href, region, credentials: credentials ?? userCredentials(args.profile), ...(args['signing-name'] ? { signingName: args['signing-name'] } : {}) });
  const consoleDir = defaultConsoleDir();

  const answer = async (method: string, pathname: string, target: string | undefined, body: string): Promise<ProtocolResponse> => {
    if (method === 'GET' && pathname === '/health') return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"status":"ok"}' };
    if (isConsolePath(method, pathname)) return serveConsoleAsset(consoleDir, pathname);
    if (method === 'POST' && pathname === '/') return forward(target, body);
    return errorResponse(404, ServiceErrorName.UnknownOperationException, `The console proxy answers the console and POST / only, not ${method} ${pathname}`);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) names its own host: refused.
      const local = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(req.headers.host ?? '');
      const reply = !local
        ? Promise.resolve(errorResponse(403, ServiceErrorName.AccessDeniedException, `The console proxy answers requests for 127.0.0.1 or localhost only, not '${req.headers.host ?? ''}'`))
        : size > MAX_REQUEST_BYTES ? Promise.resolve(requestTooLarge(MAX_REQUEST_BYTES)) : answer(req.method ?? 'GET', (req.url ?? '/').split('?')[0], Array.isArray(target) ? target[0] : target, Buffer.concat(chunks).toString('utf8'));
      void reply.then((r) => {
        res.writeHead(r.statusCode, r.headers);
        res.end(r.body);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new UsageError(err.code === 'EADDRINUSE' ? `port ${port} is in use; choose another with --port` : err.message)));
    // Loopback only: the console carries the user's credentials' power.
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  io.stdout(
    [
      `Console: ${url}/ (open it in a browser)`,
      `Its API calls go to ${endpoint.href}, signed for ${region} with ${args.profile !== undefined ? `the profile ${args.profile}` : 'your default AWS credentials'}.`,
      'Only this machine can reach it. Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
