/**
 * The optimized API Gateway integration, `arn:aws:states:::apigateway:invoke`
 * (developer guide, "Call API Gateway with Step Functions"), as data: the
 * request its parameters make and the outcome a response gives. The runner
 * that sends (and signs) it is lib/service/apigateway-task-runner.ts.
 *
 * "Step Functions validates the parameters, builds the necessary URL to
 * perform the call, then calls the API. The response includes the HTTP
 * status code, headers and response body."
 */
import { StatesErrorName } from '../../asl/errors';
import { API_GATEWAY_AUTH_TYPES, API_GATEWAY_METHODS, apiGatewayEndpointProblem, forbiddenApiGatewayHeader, type ApiGatewayAuthType } from '../../asl/integrations/apigateway';
import { isJsonObject, type JsonObject, type JsonValue } from '../../asl/json';
import type { TaskOutcome } from '../ports/task-runner';
import type { HttpRequest, HttpResponse } from './http-task';

const API_GATEWAY_INVOKE = /^arn:aws[a-z-]*:states:::apigateway:invoke(\.waitForTaskToken)?$/;

/** True for an API Gateway task's Resource (request-response or `.waitForTaskToken`). */
export function isApiGatewayInvoke(resource: string): boolean {
  return API_GATEWAY_INVOKE.test(resource);
}

/** True when the task waits for its token (`apigateway:invoke.waitForTaskToken`). */
export function waitsForToken(resource: string): boolean {
  return API_GATEWAY_INVOKE.exec(resource)?.[1] !== undefined;
}

/** An API Gateway task's parameters, checked. */
export interface ApiGatewayTask {
  /** `<API ID>.execute-api.<region>.amazonaws.com`. */
  readonly apiEndpoint: string;
  readonly method: string;
  readonly stage?: string;
  readonly path?: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly query: readonly (readonly [string, string])[];
  readonly body: JsonValue | undefined;
  readonly authType: ApiGatewayAuthType;
}

/** The request to send, before any signature: an HTTP Task's request shape. */
export type ApiGatewayRequest = HttpRequest;

/** A response, as the runner read it. */
export type ApiGatewayResponse = HttpResponse;

type Failure = { readonly error: string; readonly cause: string };
const runtime = (cause: string): Failure => ({ error: StatesErrorName.Runtime, cause });

/** The task its parameters describe, or the States.Runtime failure naming what is wrong (a value chosen at run time that validation could not see). */
export function apiGatewayTask(parameters: JsonValue): ApiGatewayTask | Failure {
  if (!isJsonObject(parameters)) return runtime('The API Gateway task parameters must be an object with ApiEndpoint and Method.');
  const { ApiEndpoint, Method, Stage, Path, Headers, QueryParameters, RequestBody, AuthType, AllowNullValues } = parameters;
  const endpointProblem = apiGatewayEndpointProblem(ApiEndpoint);
  if (endpointProblem !== undefined) return runtime(endpointProblem);
  if (typeof Method !== 'string' || !API_GATEWAY_METHODS.includes(Method)) return runtime(`The API Gateway task's Method must be one of ${API_GATEWAY_METHODS.join(', ')}, got ${JSON.stringify(Method ?? null)}.`);
  if (Stage !== undefined && typeof Stage !== 'string') return runtime(`The API Gateway task's Stage must be a string, got ${JSON.stringify(Stage)}.`);
  if (Path !== undefined && typeof Path !== 'string') return runtime(`The API Gateway task's Path must be a string, got ${JSON.stringify(Path)}.`);
  const authType = AuthType ?? 'NO_AUTH';
  if (typeof authType !== 'string' || !(API_GATEWAY_AUTH_TYPES as readonly string[]).includes(authType)) {
    return runtime(`The API Gateway task's AuthType must be one of ${API_GATEWAY_AUTH_TYPES.join(', ')}, got ${JSON.stringify(authType)}.`);
  }
  const headers = listsOf(Headers, 'Headers');
  if (!Array.isArray(headers)) return headers;
  const forbidden = headers.find(([name]) => forbiddenApiGatewayHeader(name));
  if (forbidden) return runtime(`The API Gateway task may not set the header '${forbidden[0]}'.`);
  const query = listsOf(QueryParameters, 'QueryParameters');
  if (!Array.isArray(query)) return query;
  // "AllowNullValues … With the default setting, any null values in the request input state will not be sent to your API."
  const body = AllowNullValues === true || RequestBody === undefined ? RequestBody : withoutNulls(RequestBody);
  return {
    apiEndpoint: ApiEndpoint as string,
    method: Method,
    ...(Stage !== undefined ? { stage: Stage } : {}),
    ...(Path !== undefined ? { path: Path } : {}),
    headers,
    query,
    body,
    authType: authType as ApiGatewayAuthType,
  };
}

/** True when apiGatewayTask refused the parameters. */
export function isApiGatewayFailure(value: ApiGatewayTask | Failure): value is Failure {
  return 'error' in value;
}

/**
 * The request: `https://<ApiEndpoint>/<Stage>/<Path>?<QueryParameters>`, or
 * at `origin` (a local stand-in's `http://127.0.0.1:<port>`) when given.
 * "HTTP headers allow a list of values associated with the same key", and so
 * do query strings; a JSON body is sent as JSON text.
 */
export function apiGatewayRequest(task: ApiGatewayTask, origin?: string): ApiGatewayRequest {
  const segments = [task.stage, task.path].filter((s): s is string => s !== undefined && s !== '').map((s) => s.replace(/^\/+|\/+$/g, ''));
  const url = new URL(`${origin ?? `https://${task.apiEndpoint}`}/${segments.join('/')}`);
  for (const [name, value] of task.query) url.searchParams.append(name, value);
  const headers: Record<string, string> = {};
  for (const [name, value] of task.headers) {
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
  }
  if (task.body === undefined || task.method === 'GET' || task.method === 'HEAD') return { url: url.href, method: task.method, headers };
  if (typeof task.body !== 'string') headers['content-type'] ??= 'application/json';
  return { url: url.href, method: task.method, headers, body: typeof task.body === 'string' ? task.body : JSON.stringify(task.body) };
}

/**
 * The task's outcome: `{ResponseBody, Headers, StatusCode, StatusText}` for
 * a 2xx response ("A status code of 2XX indicates success"; StatusCode an
 * Integer, a JSON body parsed), else `ApiGateway.<HTTP Status Code>` whose
 * cause is the response body as text ("the cause is returned as a string").
 */
export function apiGatewayOutcome(response: ApiGatewayResponse): TaskOutcome {
  if (response.status < 200 || response.status >= 300) return { kind: 'failed', error: `ApiGateway.${response.status}`, cause: response.body };
  const headers: Record<string, string[]> = {};
  for (const [name, value] of response.headers) (headers[name.toLowerCase()] ??= []).push(value);
  const type = (headers['content-type'] ?? [])[0] ?? '';
  let body: JsonValue = response.body;
  if (/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type) && response.body !== '') {
    try {
      body = JSON.parse(response.body) as JsonValue;
    } catch {
      // A body that says it is JSON and is not stays text, as it came.
    }
  }
  return { kind: 'succeeded', output: { ResponseBody: body, Headers: headers, StatusCode: response.status, StatusText: response.statusText } };
}

/**
 * No HTTP status (the connection was refused or reset, the call timed out):
 * "If the HTTP status code is not available, then the error will be returned
 * in the format `ApiGateway.<Exception>`" — named as the Java SDK Step
 * Functions calls with names a client-side failure.
 */
export function apiGatewayClientFailure(message: string): TaskOutcome {
  return { kind: 'failed', error: 'ApiGateway.SdkClientException', cause: message };
}

/** `{k: ['a', 'b'], n: 'c'}` as `[k, a], [k, b], [n, c]`: each key's list of values (a single value stands for a list of one). */
function listsOf(value: JsonValue | undefined, field: string): [string, string][] | Failure {
  if (value === undefined) return [];
  if (!isJsonObject(value)) return runtime(`The API Gateway task's ${field} must be an object whose values are lists of strings.`);
  const out: [string, string][] = [];
  for (const [name, values] of Object.entries(value)) for (const v of Array.isArray(values) ? values : [values]) out.push([name, typeof v === 'string' ? v : JSON.stringify(v)]);
  return out;
}

/** The value with every null member left out, at any depth (array elements keep their places). */
function withoutNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}
