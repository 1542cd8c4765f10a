/**
 * The HTTP side of the AWS API stand-ins on 127.0.0.1 (harness/ecs-endpoint.ts, harness/batch-endpoint.ts,
 * harness/glue-endpoint.ts): reads each request, finds its action by the
 * protocol's rule, records it with the SigV4 signer its Authorization header
 * names, answers with the action's handler (or the error an unknown action
 * gets), and numbers request ids from 1 when asked, so two runs of one
 * definition give identical histories.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The Date header with sequentialIds: the stand-ins' fixed time (1,700,000,000 s after the epoch). */
const FIXED_DATE = new Date(1_700_000_000_000).toUTCString();

/** One request a stand-in received. */
export interface StandInRequest {
  readonly action: string;
  readonly input: Record<string, unknown>;
  /** Who signed it (the access key) and for what region and service; undefined when unsigned. */
  readonly signedBy?: { accessKeyId: string; region: string; service: string };
}

/** A handler's answer: an output, or a service error (its type and message). */
export type StandInAnswer = { readonly output: unknown } | { readonly status: number; readonly error: string; readonly message: string };

export interface StandInServer {
  readonly url: string;
  readonly requests: StandInRequest[];
  close(): Promise<void>;
}

export interface StandInOptions {
  /** The action a request names (X-Amz-Target's suffix, or the REST path's); undefined for none. */
  readonly actionOf: (req: IncomingMessage) => string | undefined;
  /** How an error is answered: in the body's `__type` (JSON 1.1) or the `x-amzn-errortype` header (REST-JSON). */
  readonly errors: 'json' | 'rest-json';
  readonly contentType: string;
  readonly sequentialIds?: boolean;
}

/** The options of a JSON 1.1 service whose X-Amz-Target is `<prefix><Action>` (ECS, Glue). */
export function json11Protocol(targetPrefix: string, sequentialIds?: boolean): StandInOptions {
  return {
    actionOf: (req) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      return target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : undefined;
    },
    errors: 'json',
    contentType: 'application/x-amz-json-1.1',
    ...(sequentialIds !== undefined ? { sequentialIds } : {}),
  };
}

/** The signer of a request as its Authorization header names it: the access key, and the region and service it was signed for. */
function signedBy(authorization: string | undefined): { accessKeyId: string; region: string; service: string } | undefined {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return match ? { accessKeyId: match[1]!, region: match[2]!, service: match[3]! } : undefined;
}

/** Starts a server answering `actions` by the protocol `options` describe. */
export async function startStandIn(actions: Readonly<Record<string, (input: Record<string, unknown>) => StandInAnswer>>, options: StandInOptions): Promise<StandInServer> {
  let counted = 0;
  const requestId = () => (options.sequentialIds ? `request-${++counted}` : randomUUID());
  const requests: StandInRequest[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const action = options.actionOf(req) ?? '';
      const input = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      const signer = signedBy(req.headers.authorization);
      requests.push({ action, input, ...(signer ? { signedBy: signer } : {}) });
      const handler = Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined;
      const answer: StandInAnswer = handler ? handler(input) : { status: 400, error: 'UnknownOperationException', message: `The stand-in has no ${action || 'action'}.` };
      // The headers AWS's services answer with (their case as sent; a fixed Date with sequentialIds), a Content-Length rather than chunks.
      const headers: Record<string, string> = { 'x-amzn-RequestId': requestId(), 'Content-Type': options.contentType, Date: options.sequentialIds ? FIXED_DATE : new Date().toUTCString() };
      const send = (status: number, body: unknown, more: Record<string, string> = {}) => {
        const bytes = Buffer.from(JSON.stringify(body));
        res.writeHead(status, { ...headers, ...more, 'Content-Length': String(bytes.length) }).end(bytes);
      };
      if ('output' in answer) return send(200, answer.output);
      if (options.errors === 'rest-json') return send(answer.status, { message: answer.message }, { 'x-amzn-ErrorType': answer.error });
      send(answer.status, { __type: answer.error, message: answer.message });
    });
  });
  // No Keep-Alive header, which AWS's services do not send (idle connections are closed by close()).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An EventBridge event as a service's state change sends it. */
export interface StateChangeEvent<D> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
}

/** Listeners of a stand-in's state-change events, and the function that sends one. */
export function stateChanges<D>(source: string, detailType: string, account: string, region: string): { on(listener: (event: StateChangeEvent<D>) => void): void; emit(resources: string[], detail: D): void } {
  const listeners: ((event: StateChangeEvent<D>) => void)[] = [];
  return {
    on: (listener) => void listeners.push(listener),
    emit(resources, detail) {
      const event: StateChangeEvent<D> = { version: '0', id: randomUUID(), 'detail-type': detailType, source, account, time: new Date().toISOString(), region, resources, detail: structuredClone(detail) };
      for (const listener of listeners) listener(event);
    },
  };
}
