/**
 * The API function behind API Gateway (REST API, proxy integration): the
 * router of lib/service/api — Step Functions' JSON protocol, so the official
 * SDK and the AWS CLI work with `--endpoint-url` set to the API's URL, and
 * beside it the small REST surface (start, read, approve/reject) — exactly
 * as `switchyard serve` answers.
 */
import { deployedHandler, type Cloud } from '../lib/aws/environment';
import { parseCallerPolicies, policyAuthorizer, requestTooLarge, routeRequest, type Caller, type CallerPolicies, type ProtocolResponse } from '../lib/service/api';

/** The parts of API Gateway's proxy event this function reads. */
export interface ApiGatewayProxyEvent {
  httpMethod: string;
  path: string;
  headers: Record<string, string | undefined> | null;
  body: string | null;
  isBase64Encoded?: boolean;
  /** Who API Gateway authenticated: with AWS_IAM authorization, `identity.userArn` is the signer's principal ARN. */
  requestContext?: { identity?: { userArn?: string | null; caller?: string | null } | null } | null;
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
function callerOf(event: ApiGatewayProxyEvent): Caller | undefined {
  const arn = event.requestContext?.identity?.userArn;
  return typeof arn === 'string' && arn !== '' ? { id: arn, arn } : undefined;
}

export function createApiHandler(cloud: Pick<Cloud, 'driver'>, options: ApiOptions = {}): (event: ApiGatewayProxyEvent) => Promise<ProtocolResponse> {
  const authorizer = options.callerPolicies ? policyAuthorizer(options.callerPolicies) : undefined;
  return async (event) => {
    const body = event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (options.maxRequestBytes !== undefined && Buffer.byteLength(body) > options.maxRequestBytes) return requestTooLarge(options.maxRequestBytes);
    const access = authorizer ? { caller: callerOf(event), authorizer, publicTaskLinks: options.publicTaskLinks === true } : undefined;
    return routeRequest(cloud.driver, { method: event.httpMethod, path: event.path, headers: event.headers ?? {}, body }, access);
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
