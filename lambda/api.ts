/**
 * The API function behind API Gateway (a REST API's proxy integration, or an
 * HTTP API's with payload format 2.0 — the construct's `frontDoor`): the
 * router of lib/service/api — Step Functions' JSON protocol, so the official
 * SDK and the AWS CLI work with `--endpoint-url` set to the API's URL, and
 * beside it the small REST surface (start, read, approve/reject) — exactly
 * as `switchyard serve` answers.
 */
import { deployedHandler, type Cloud } from '../lib/aws/environment';
import { parseCallerPolicies, policyAuthorizer, requestTooLarge, routeRequest, type Caller, type CallerPolicies, type ProtocolResponse } from '../lib/service/api';

/** The parts of a REST API's proxy event (payload format 1.0) this function reads. */
export interface ApiGatewayProxyEvent {
  httpMethod: string;
  /** The resource path, without the query string. */
  path: string;
  /** The query string, decoded (repeated names: the last value; `multiValueQueryStringParameters` has them all). */
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  headers: Record<string, string | undefined> | null;
  body: string | null;
  isBase64Encoded?: boolean;
  /** Who API Gateway authenticated: with AWS_IAM authorization, `identity.userArn` is the signer's principal ARN. */
  requestContext?: { identity?: { userArn?: string | null; caller?: string | null } | null } | null;
}

/** The parts of an HTTP API's event (payload format 2.0) this function reads. */
export interface HttpApiEvent {
  version: '2.0';
  /** The path as requested (the `$default` stage adds no prefix). */
  rawPath: string;
  /** The query string as sent, without `?`. */
  rawQueryString?: string;
  /** Lower-cased names; repeated headers joined with commas. */
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  /** `http.method`, and with IAM authorization `authorizer.iam.userArn`, the signer's principal ARN. */
  requestContext: { http: { method: string }; authorizer?: { iam?: { userArn?: string | null } | null } | null };
}

/** What either front door sends. */
export type ApiEvent = ApiGatewayProxyEvent | HttpApiEvent;

/** The request (its path with the query string, as the router reads it) and its authenticated principal's ARN, whichever payload format carried them. */
function requestOf(event: ApiEvent): { method: string; path: string; headers: Record<string, string | undefined>; body: string | null; isBase64Encoded: boolean; principal: unknown } {
  if ('version' in event && event.version === '2.0') {
    const path = event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
    return { method: event.requestContext.http.method, path, headers: event.headers ?? {}, body: event.body ?? null, isBase64Encoded: event.isBase64Encoded === true, principal: event.requestContext.authorizer?.iam?.userArn };
  }
  const e = event as ApiGatewayProxyEvent;
  return { method: e.httpMethod, path: withQuery(e), headers: e.headers ?? {}, body: e.body, isBase64Encoded: e.isBase64Encoded === true, principal: e.requestContext?.identity?.userArn };
}

/** A REST API event's path with its query string put back (the REST API hands it over parsed). */
function withQuery(e: ApiGatewayProxyEvent): string {
  const query = new URLSearchParams();
  const multi = e.multiValueQueryStringParameters ?? {};
  for (const [name, values] of Object.entries(multi)) for (const v of values ?? []) query.append(name, v);
  for (const [name, value] of Object.entries(e.queryStringParameters ?? {})) if (!(name in multi) && value !== undefined) query.append(name, value);
  const text = query.toString();
  return text === '' ? e.path : `${e.path}?${text}`;
}

export interface ApiOptions {
  /** Larger requests are refused with 413 ValidationException. @default no limit beyond Lambda's 6 MB */
  maxRequestBytes?: number;
  /**
   * Callers by principal ARN (patterns allowed) and their IAM policies:
   * every action is authorized for the principal API Gateway authenticated.
   * @default every call API Gateway let through is allowed
   */
  callerPolicies?: CallerPolicies;
  /** Unauthenticated `GET /tasks/{token}/approve|reject` links are allowed (the construct's publicCallbackLinks). @default false */
  publicTaskLinks?: boolean;
}

/** The principal API Gateway authenticated (AWS_IAM), or undefined for an unauthenticated request. */
function callerOf(principal: unknown): Caller | undefined {
  return typeof principal === 'string' && principal !== '' ? { id: principal, arn: principal } : undefined;
}

/** The handler of either front door's events (both take the same response shape). */
export function createApiHandler(cloud: Pick<Cloud, 'driver'>, options: ApiOptions = {}): (event: ApiEvent) => Promise<ProtocolResponse> {
  const authorizer = options.callerPolicies ? policyAuthorizer(options.callerPolicies) : undefined;
  return async (event) => {
    const request = requestOf(event);
    const body = request.body === null ? '' : request.isBase64Encoded ? Buffer.from(request.body, 'base64').toString('utf8') : request.body;
    if (options.maxRequestBytes !== undefined && Buffer.byteLength(body) > options.maxRequestBytes) return requestTooLarge(options.maxRequestBytes);
    const access = authorizer ? { caller: callerOf(request.principal), authorizer, publicTaskLinks: options.publicTaskLinks === true } : undefined;
    return routeRequest(cloud.driver, { method: request.method, path: request.path, headers: request.headers, body }, access);
  };
}

// StartExecution's first events are flushed with the request, when the state machine logs.
/** The options the construct sets in the function's environment; a malformed caller policies document fails the cold start, never opens the API. */
export function apiOptionsFromEnvironment(env: NodeJS.ProcessEnv): ApiOptions {
  const limit = Number(env.SWITCHYARD_MAX_REQUEST_BYTES);
  const policies = env.SWITCHYARD_CALLER_POLICIES;
  return {
    ...(Number.isFinite(limit) && limit > 0 ? { maxRequestBytes: limit } : {}),
    ...(policies !== undefined && policies !== '' ? { callerPolicies: parseCallerPolicies(JSON.parse(policies)) } : {}),
    ...(env.SWITCHYARD_PUBLIC_CALLBACK_LINKS === 'true' ? { publicTaskLinks: true } : {}),
  };
}

export const handler = deployedHandler('switchyard-api', (parts) => createApiHandler(parts.cloud, apiOptionsFromEnvironment(process.env)));
