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
import { signedBy } from './json-client-package';

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
      const headers: Record<string, string> = { 'content-type': options.contentType, 'x-amzn-requestid': requestId() };
      if ('output' in answer) return void res.writeHead(200, headers).end(JSON.stringify(answer.output));
      if (options.errors === 'rest-json') return void res.writeHead(answer.status, { ...headers, 'x-amzn-errortype': answer.error }).end(JSON.stringify({ message: answer.message }));
      res.writeHead(answer.status, headers).end(JSON.stringify({ __type: answer.error, message: answer.message }));
    });
  });
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
