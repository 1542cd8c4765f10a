/**
 * Runs HTTP Tasks (`arn:aws:states:::http:invoke`): reads the task's
 * connection from a ConnectionSource (a file locally, EventBridge and
 * Secrets Manager in the cloud), gets an OAuth token when the connection
 * uses client credentials, sends one request with fetch and shapes the
 * outcome as Step Functions does (lib/engine/integrations/http-task.ts).
 * One request per attempt: a failure is the state's to retry.
 */
import { ConnectionAuthorization, ConnectionUnusableError, type ConnectionSource, type HttpConnection } from '../engine/integrations/http-connection';
import { httpOutcome, httpRequest, httpTask, isFailure, isHttpInvoke, socketFailure, urlEncode, type HttpRequest, type HttpResponse } from '../engine/integrations/http-task';
import type { ResourceRunner } from '../engine/ports/task-routes';
import type { TaskInvocation, TaskOutcome } from '../engine/ports/task-runner';

export interface HttpTaskRunnerOptions {
  readonly connections: ConnectionSource;
  /** What to do about a ConnectionArn the source does not have, added to the failure's cause. @default nothing */
  readonly missing?: string;
  /** @default the global fetch */
  readonly fetch?: typeof fetch;
  /** How long a request may take before it fails as States.Http.Socket. @default 60 000 (Step Functions' HTTP Task limit) */
  readonly timeoutMs?: number;
}

/** The runner of HTTP Tasks; every other resource is another runner's. */
export class HttpTaskRunner implements ResourceRunner {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpTaskRunnerOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  handles(invocation: Pick<TaskInvocation, 'resource'>): boolean {
    return isHttpInvoke(invocation.resource);
  }

  async run(invocation: TaskInvocation, signal: AbortSignal = new AbortController().signal): Promise<TaskOutcome> {
    const task = httpTask(invocation.parameters);
    if (isFailure(task)) return { kind: 'failed', ...task };
    let connection: HttpConnection | undefined;
    try {
      connection = await this.options.connections.connection(task.connectionArn, invocation.roleArn);
    } catch (err) {
      if (err instanceof ConnectionUnusableError) return { kind: 'failed', error: err.error, cause: err.message };
      return { kind: 'failed', error: 'Events.ConnectionResource.AccessDenied', cause: `The connection ${task.connectionArn} could not be read: ${(err as Error).message}` };
    }
    if (connection === undefined) return { kind: 'failed', error: 'Events.ConnectionResource.ResourceNotFound', cause: `There is no connection ${task.connectionArn}.${this.options.missing ? ` ${this.options.missing}` : ''}` };
    let bearer: string | undefined;
    if (connection.authorizationType === ConnectionAuthorization.OAuthClientCredentials) {
      const token = await this.accessToken(connection, signal);
      if (typeof token !== 'string') return token;
      bearer = token;
    }
    const response = await sendHttpRequest(this.fetch, httpRequest(task, connection, bearer), signal, this.options.timeoutMs ?? 60_000);
    return 'failure' in response ? socketFailure(response.failure) : httpOutcome(response);
  }

  /** The OAuth client-credentials token of the connection (RFC 6749 §4.4), or the failure. */
  private async accessToken(connection: HttpConnection, signal: AbortSignal): Promise<string | TaskOutcome> {
    const oauth = connection.authParameters.OAuthParameters;
    const invalid = (cause: string): TaskOutcome => ({ kind: 'failed', error: 'Events.ConnectionResource.InvalidConnectionState', cause });
    if (oauth === undefined) return invalid('The connection uses OAUTH_CLIENT_CREDENTIALS but has no OAuthParameters.');
    const extra = oauth.OAuthHttpParameters ?? {};
    const url = new URL(oauth.AuthorizationEndpoint);
    for (const p of extra.QueryStringParameters ?? []) url.searchParams.set(p.Key, p.Value);
    const form = { grant_type: 'client_credentials', ...Object.fromEntries((extra.BodyParameters ?? []).map((p) => [p.Key, p.Value])) };
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa(`${oauth.ClientParameters.ClientID}:${oauth.ClientParameters.ClientSecret}`)}` };
    for (const p of extra.HeaderParameters ?? []) headers[p.Key.toLowerCase()] = p.Value;
    try {
      const method = oauth.HttpMethod.toUpperCase();
      const response = await this.fetch(url.href, { method, headers, ...(method === 'GET' ? {} : { body: urlEncode(form, 'INDICES') }), signal });
      const text = await response.text();
      const token = response.ok ? (JSON.parse(text) as { access_token?: unknown }).access_token : undefined;
      if (typeof token !== 'string') return invalid(`The connection's authorization endpoint answered ${response.status} without an access_token.`);
      return token;
    } catch (err) {
      return invalid(`The connection's authorization endpoint could not be reached: ${describeFetchError(err)}`);
    }
  }
}

/**
 * Sends a request within `timeoutMs`: the response as read, or why there is
 * none. A redirect is answered, not followed: following it would send the
 * request's credentials to wherever it points.
 */
export async function sendHttpRequest(send: typeof fetch, request: HttpRequest, signal: AbortSignal, timeoutMs: number): Promise<HttpResponse | { failure: string }> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const init = { method: request.method, headers: request.headers, redirect: 'manual' as const, ...(request.body !== undefined ? { body: request.body } : {}), signal: AbortSignal.any([signal, timeout]) };
    const response = await send(request.url, init);
    const headers: [string, string][] = [];
    response.headers.forEach((value, name) => headers.push([name, value]));
    return { status: response.status, statusText: response.statusText, headers, body: await response.text() };
  } catch (err) {
    if (timeout.aborted && !signal.aborted) return { failure: `${request.method} ${request.url} timed out after ${timeoutMs} ms.` };
    return { failure: `${request.method} ${request.url} failed: ${describeFetchError(err)}` };
  }
}

/** A fetch failure as text: the socket's error code (ECONNREFUSED, …) when there is one. */
export function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message})` : ''}` : err instanceof Error ? err.message : String(err);
}
