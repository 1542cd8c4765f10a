/**
 * The HTTP Task, `arn:aws:states:::http:invoke` (developer guide, "Call
 * HTTPS APIs in Step Functions workflows"), as data: the request its
 * parameters and its connection make, and the outcome a response gives.
 * The runner that sends it is lib/service/http-task-runner.ts.
 */
import { StatesErrorName } from '../../asl/errors';
import { isJsonObject, type JsonObject, type JsonValue } from '../../asl/json';
import type { TaskOutcome } from '../ports/task-runner';
import { ConnectionAuthorization, type ConnectionHttpParameters, type HttpConnection } from './http-connection';

const HTTP_INVOKE = /^arn:aws[a-z-]*:states:::http:invoke$/;

/** True for an HTTP Task's Resource. */
export function isHttpInvoke(resource: string): boolean {
  return HTTP_INVOKE.test(resource);
}

/** How RequestBody arrays are written when it is URL-encoded ("RequestEncodingOptions"). */
export const ArrayFormat = { Indices: 'INDICES', Repeat: 'REPEAT', Commas: 'COMMAS', Brackets: 'BRACKETS' } as const;
export type ArrayFormat = (typeof ArrayFormat)[keyof typeof ArrayFormat];

/** An HTTP Task's parameters, checked. */
export interface HttpTask {
  readonly connectionArn: string;
  readonly endpoint: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [string, string])[];
  readonly body: JsonValue | undefined;
  /** `Transform.RequestBodyEncoding: URL_ENCODED`, with its array format. */
  readonly urlEncoded?: ArrayFormat;
}

/** The request to send. */
export interface HttpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A response, as the runner read it. */
export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

type Failure = { readonly error: string; readonly cause: string };
const runtime = (cause: string): Failure => ({ error: StatesErrorName.Runtime, cause });

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
/** Headers Step Functions does not let a definition set (it sets them itself or refuses them). */
const RESERVED_HEADERS = new Set([
  'a-im', 'accept-charset', 'accept-datetime', 'accept-encoding', 'authorization', 'cache-control', 'connection', 'content-encoding', 'content-md5', 'date', 'expect',
  'forwarded', 'from', 'host', 'http2-settings', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'max-forwards', 'origin', 'pragma',
  'proxy-authorization', 'referer', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via', 'warning',
]);
const RESERVED_PREFIXES = ['x-forwarded', 'x-amz', 'x-amzn'];

/** The task its parameters describe, or the States.Runtime failure naming what is wrong. */
export function httpTask(parameters: JsonValue): HttpTask | Failure {
  if (!isJsonObject(parameters)) return runtime('The HTTP Task parameters must be an object with ApiEndpoint, Method and Authentication.');
  const { ApiEndpoint, Method, Authentication, Headers, QueryParameters, RequestBody, Transform } = parameters;
  let endpoint: URL;
  try {
    endpoint = new URL(typeof ApiEndpoint === 'string' ? ApiEndpoint : '');
  } catch {
    return runtime(`The HTTP Task's ApiEndpoint must be an HTTPS URL, got ${JSON.stringify(ApiEndpoint ?? null)}.`);
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') return runtime(`The HTTP Task's ApiEndpoint must be an HTTPS URL, got ${JSON.stringify(ApiEndpoint)}.`);
  if (typeof Method !== 'string' || !METHODS.includes(Method.toUpperCase())) return runtime(`The HTTP Task's Method must be one of ${METHODS.join(', ')}, got ${JSON.stringify(Method ?? null)}.`);
  const connectionArn = isJsonObject(Authentication) ? Authentication.ConnectionArn : undefined;
  if (typeof connectionArn !== 'string') return runtime("The HTTP Task's Authentication.ConnectionArn is required: the ARN of an EventBridge connection.");
  const headers: Record<string, string> = {};
  if (Headers !== undefined) {
    if (!isJsonObject(Headers)) return runtime("The HTTP Task's Headers must be an object.");
    for (const [name, value] of Object.entries(Headers)) {
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p))) return runtime(`The HTTP Task may not set the header '${name}'.`);
      headers[lower] = Array.isArray(value) ? value.map(scalar).join(',') : scalar(value);
    }
  }
  const query: [string, string][] = [];
  if (QueryParameters !== undefined) {
    if (!isJsonObject(QueryParameters)) return runtime("The HTTP Task's QueryParameters must be an object.");
    for (const [name, value] of Object.entries(QueryParameters)) for (const v of Array.isArray(value) ? value : [value]) query.push([name, scalar(v)]);
  }
  const transform = isJsonObject(Transform) ? Transform : {};
  let urlEncoded: ArrayFormat | undefined;
  if (transform.RequestBodyEncoding === 'URL_ENCODED') {
    const format = isJsonObject(transform.RequestEncodingOptions) ? transform.RequestEncodingOptions.ArrayFormat : undefined;
    const formats: readonly unknown[] = Object.values(ArrayFormat);
    if (format !== undefined && !formats.includes(format)) return runtime(`The HTTP Task's Transform.RequestEncodingOptions.ArrayFormat must be one of ${formats.join(', ')}, got ${JSON.stringify(format)}.`);
    urlEncoded = (format as ArrayFormat | undefined) ?? ArrayFormat.Indices;
  } else if (transform.RequestBodyEncoding !== undefined && transform.RequestBodyEncoding !== 'NONE') {
    return runtime(`The HTTP Task's Transform.RequestBodyEncoding must be NONE or URL_ENCODED, got ${JSON.stringify(transform.RequestBodyEncoding)}.`);
  }
  return { connectionArn, endpoint, method: Method.toUpperCase(), headers, query, body: RequestBody, ...(urlEncoded ? { urlEncoded } : {}) };
}

/** True when httpTask refused the parameters. */
export function isFailure(value: HttpTask | Failure): value is Failure {
  return 'error' in value;
}

/**
 * The request: the task's endpoint, headers, query and body merged with the
 * connection's invocation parameters (the connection's value wins for a key
 * both give) and its authorization (`bearer`: an OAuth access token).
 */
export function httpRequest(task: HttpTask, connection: HttpConnection, bearer?: string): HttpRequest {
  const invocation: ConnectionHttpParameters = connection.authParameters.InvocationHttpParameters ?? {};
  const headers: Record<string, string> = { ...task.headers };
  for (const p of invocation.HeaderParameters ?? []) headers[p.Key.toLowerCase()] = p.Value;
  const auth = connection.authParameters;
  if (connection.authorizationType === ConnectionAuthorization.ApiKey && auth.ApiKeyAuthParameters) headers[auth.ApiKeyAuthParameters.ApiKeyName.toLowerCase()] = auth.ApiKeyAuthParameters.ApiKeyValue;
  if (connection.authorizationType === ConnectionAuthorization.Basic && auth.BasicAuthParameters) {
    headers.authorization = `Basic ${base64(`${auth.BasicAuthParameters.Username}:${auth.BasicAuthParameters.Password}`)}`;
  }
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;

  const url = new URL(task.endpoint.href);
  const connectionQuery = new Set((invocation.QueryStringParameters ?? []).map((p) => p.Key));
  for (const [k, v] of task.query) if (!connectionQuery.has(k)) url.searchParams.append(k, v);
  for (const p of invocation.QueryStringParameters ?? []) url.searchParams.set(p.Key, p.Value);

  let body = task.body;
  if ((invocation.BodyParameters ?? []).length > 0 && (body === undefined || isJsonObject(body))) {
    body = { ...(body ?? {}), ...Object.fromEntries((invocation.BodyParameters ?? []).map((p) => [p.Key, p.Value])) };
  }
  if (body === undefined || task.method === 'GET' || task.method === 'HEAD') return { url: url.href, method: task.method, headers };
  if (task.urlEncoded && isJsonObject(body)) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return { url: url.href, method: task.method, headers, body: urlEncode(body, task.urlEncoded) };
  }
  headers['content-type'] ??= 'application/json; charset=UTF-8';
  return { url: url.href, method: task.method, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/** `{a: [1, 2], b: {c: 'd'}}` as a form, nested keys in brackets and arrays as `format` says. */
export function urlEncode(body: JsonObject, format: ArrayFormat): string {
  const pairs: [string, string][] = [];
  const add = (key: string, value: JsonValue): void => {
    if (Array.isArray(value)) {
      if (format === ArrayFormat.Commas) pairs.push([key, value.map(scalar).join(',')]);
      else value.forEach((v, i) => add(format === ArrayFormat.Indices ? `${key}[${i}]` : format === ArrayFormat.Brackets ? `${key}[]` : key, v));
    } else if (isJsonObject(value)) {
      for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    } else pairs.push([key, scalar(value)]);
  };
  for (const [k, v] of Object.entries(body)) add(k, v);
  return new URLSearchParams(pairs).toString();
}

/**
 * The task's outcome: `{Headers, ResponseBody, StatusCode, StatusText}` for a
 * 2xx response (a JSON body parsed), else `States.Http.StatusCode.<code>`
 * whose cause is that same object as JSON text.
 */
export function httpOutcome(response: HttpResponse): TaskOutcome {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of response.headers) (headers[name.toLowerCase()] ??= []).push(value);
  const type = (headers['content-type'] ?? [])[0] ?? '';
  let body: JsonValue = response.body;
  if (/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) {
    try {
      body = JSON.parse(response.body) as JsonValue;
    } catch {
      // A body that says it is JSON and is not stays text, as it came.
    }
  }
  const output: JsonObject = { Headers: headers, ResponseBody: body, StatusCode: String(response.status), StatusText: response.statusText };
  if (response.status >= 200 && response.status < 300) return { kind: 'succeeded', output };
  return { kind: 'failed', error: `States.Http.StatusCode.${response.status}`, cause: JSON.stringify(output) };
}

/** A socket-level failure (refused, reset, timed out): `States.Http.Socket`. */
export function socketFailure(message: string): TaskOutcome {
  return { kind: 'failed', error: 'States.Http.Socket', cause: message };
}

/** UTF-8 text as base64 (the engine uses no Node modules). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function scalar(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
