/**
 * What the API Gateway integration (`arn:aws:states:::apigateway:invoke`)
 * accepts, as the developer guide's "Call API Gateway with Step Functions"
 * lists it — shared by definition-time validation (static values), the
 * engine's run-time check (values chosen at run time) and the grant the
 * state machine's role needs (`execute-api:Invoke` on the method it calls).
 */
import { isJsonObject, type JsonValue } from '../json';
import type { GrantArn } from './grant-arns';

/** "The HTTP method, which must be one of the following". */
export const API_GATEWAY_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/** "The authentication method. The default method is NO_AUTH." */
export const API_GATEWAY_AUTH_TYPES = ['NO_AUTH', 'IAM_ROLE', 'RESOURCE_POLICY'] as const;
export type ApiGatewayAuthType = (typeof API_GATEWAY_AUTH_TYPES)[number];

/**
 * "For security considerations, the following HTTP header keys are not
 * currently permitted: Anything prefixed with X-Forwarded, X-Amz or X-Amzn,
 * Authorization, Connection, Content-md5, Expect, Host, Max-Forwards,
 * Proxy-Authenticate, Server, TE, Transfer-Encoding, Trailer, Upgrade, Via,
 * Www-Authenticate".
 */
const FORBIDDEN_HEADERS = new Set(['authorization', 'connection', 'content-md5', 'expect', 'host', 'max-forwards', 'proxy-authenticate', 'server', 'te', 'transfer-encoding', 'trailer', 'upgrade', 'via', 'www-authenticate']);
const FORBIDDEN_PREFIXES = ['x-forwarded', 'x-amz'];

/** True for a header the task may not set. */
export function forbiddenApiGatewayHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return FORBIDDEN_HEADERS.has(lower) || FORBIDDEN_PREFIXES.some((p) => lower.startsWith(p));
}

/**
 * "The hostname of an API Gateway URL. The format is
 * `<API ID>.execute-api.<region>.amazonaws.com`. The API ID can only contain
 * a combination of the following alphanumeric characters:
 * 0123456789abcdefghijklmnopqrstuvwxyz".
 */
const ENDPOINT = /^([0-9a-z]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** Why `value` is no ApiEndpoint, or undefined when it is one. */
export function apiGatewayEndpointProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && ENDPOINT.test(value)) return undefined;
  return `The API Gateway task's ApiEndpoint must be the host name of an API Gateway URL, <API ID>.execute-api.<region>.amazonaws.com, got ${JSON.stringify(value ?? null)}.`;
}

/** The API id and region an ApiEndpoint names. */
export function apiGatewayEndpointParts(endpoint: string): { apiId: string; region: string } | undefined {
  const match = ENDPOINT.exec(endpoint);
  return match ? { apiId: match[1], region: match[2] } : undefined;
}

/** A problem with a static parameter: the field and the message. */
export interface ParameterProblem {
  readonly field: string;
  readonly message: string;
}

const JSONATA = /^\{%[\s\S]*%\}$/;

/** The problems of the task's static parameters; values chosen at run time (`Field.$`, JSONata) are checked when the task runs. */
export function checkApiGatewayParameters(parameters: JsonValue | undefined): ParameterProblem[] {
  // No Parameters (a task given its effective input whole) or one JSONata expression: the run checks them.
  if (parameters === undefined || (typeof parameters === 'string' && JSONATA.test(parameters))) return [];
  if (!isJsonObject(parameters)) return [{ field: 'Parameters', message: 'The API Gateway integration needs Parameters with ApiEndpoint and Method.' }];
  const problems: ParameterProblem[] = [];
  const given = (field: string): JsonValue | undefined => {
    const value = parameters[field];
    return typeof value === 'string' && JSONATA.test(value) ? undefined : value;
  };
  const required = (field: string): boolean => {
    if (parameters[field] !== undefined || parameters[`${field}.$`] !== undefined) return true;
    problems.push({ field, message: `The field '${field}' is required for arn:aws:states:::apigateway:invoke.` });
    return false;
  };
  if (required('ApiEndpoint') && given('ApiEndpoint') !== undefined) {
    const problem = apiGatewayEndpointProblem(given('ApiEndpoint'));
    if (problem) problems.push({ field: 'ApiEndpoint', message: problem });
  }
  const method = given('Method');
  if (required('Method') && method !== undefined && (typeof method !== 'string' || !API_GATEWAY_METHODS.includes(method))) {
    problems.push({ field: 'Method', message: `The value for the field 'Method' must be one of ${API_GATEWAY_METHODS.join(', ')}, got ${JSON.stringify(method)}.` });
  }
  const auth = given('AuthType');
  if (auth !== undefined && (typeof auth !== 'string' || !(API_GATEWAY_AUTH_TYPES as readonly string[]).includes(auth))) {
    problems.push({ field: 'AuthType', message: `The value for the field 'AuthType' must be one of ${API_GATEWAY_AUTH_TYPES.join(', ')}, got ${JSON.stringify(auth)}.` });
  }
  const headers = given('Headers');
  if (isJsonObject(headers)) {
    for (const name of Object.keys(headers)) {
      const header = name.endsWith('.$') ? name.slice(0, -2) : name;
      if (forbiddenApiGatewayHeader(header)) problems.push({ field: 'Headers', message: `The header '${header}' is not permitted in an API Gateway task.` });
    }
  }
  const allow = given('AllowNullValues');
  if (allow !== undefined && typeof allow !== 'boolean') problems.push({ field: 'AllowNullValues', message: "The value for the field 'AllowNullValues' must be a boolean." });
  return problems;
}

/**
 * The resource an IAM_ROLE task's `execute-api:Invoke` acts on:
 * `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<HTTP-VERB>/<resource-path>`
 * (API Gateway's "Resource format of permissions for executing API"), each
 * part chosen at run time (or a Stage left out) a wildcard. None for the
 * other AuthTypes: NO_AUTH sends no signature, and RESOURCE_POLICY is the
 * API's own policy to grant.
 */
export function apiGatewayInvokeResources(parameters: JsonValue | undefined): (GrantArn | { readonly any: string })[] {
  if (!isJsonObject(parameters)) return [{ any: 'the API Gateway task is chosen at run time' }];
  if (parameters['AuthType.$'] !== undefined || (typeof parameters.AuthType === 'string' && JSONATA.test(parameters.AuthType))) return [{ any: 'AuthType is chosen at run time' }];
  if (parameters.AuthType !== 'IAM_ROLE') return [];
  const endpoint = typeof parameters.ApiEndpoint === 'string' ? apiGatewayEndpointParts(parameters.ApiEndpoint) : undefined;
  if (endpoint === undefined) return [{ any: 'ApiEndpoint is chosen at run time' }];
  const part = (field: string): string => {
    const value = parameters[field];
    return typeof value === 'string' && !JSONATA.test(value) && value !== '' ? value.replace(/^\/+|\/+$/g, '') : '*';
  };
  const path = part('Path');
  return [{ service: 'execute-api', region: endpoint.region, resource: `${endpoint.apiId}/${part('Stage')}/${part('Method')}/${path === '*' ? '*' : path}` }];
}
