/**
 * Step Functions' own JSON protocol over the cloud driver: `POST /` with
 * `Content-Type: application/x-amz-json-1.0` and `X-Amz-Target:
 * AWSStepFunctions.<Action>`, request and response members as the service's
 * API model names them, timestamps as epoch seconds, errors as `{__type,
 * message}` with status 400 so the official SDK raises its typed exceptions.
 */
import { ServiceError, ServiceErrorName } from '../../engine/service-errors';
import type { CloudDriver } from '../driver';
import { isActionName, servable } from './actions';
import { placeOf, type CallContext } from './action';
import { authorizeCall, type Access } from './authorization/access';
import { fail } from './members';

/** One HTTP answer, as both front doors (API Gateway's proxy integration and serve's listener) send it. */
export interface ProtocolResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_1_0 = { 'Content-Type': 'application/x-amz-json-1.0' };

/** An API error as the protocol answers it: `{__type, message}`. */
export function errorResponse(statusCode: number, name: ServiceErrorName, message: string, headers: Record<string, string> = {}): ProtocolResponse {
  return { statusCode, headers: { ...JSON_1_0, ...headers }, body: JSON.stringify({ __type: name, message }) };
}

/** The answer to a request larger than the front door takes: 413 with the service's ValidationException shape. */
export function requestTooLarge(limitBytes: number): ProtocolResponse {
  return errorResponse(413, ServiceErrorName.ValidationException, `The request is larger than ${limitBytes} bytes`);
}

/** Logs a failure of Switchyard itself (not of the request), with its stack, as one JSON line. */
export function logInternalError(err: unknown): void {
  console.error(JSON.stringify({ level: 'ERROR', message: 'internal error', error: err instanceof Error ? err.stack : String(err) }));
}

/** The request body: a JSON object, or SerializationException. An empty body is `{}`. */
function parseBody(text: string | undefined): Record<string, unknown> {
  let body: unknown;
  try {
    body = text === undefined || text === '' ? {} : JSON.parse(text);
  } catch {
    fail(ServiceErrorName.SerializationException, 'The request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) fail(ServiceErrorName.SerializationException, 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}

/**
 * Serves one request of the JSON protocol. Never throws: every failure is an
 * error response. With `access`, the action is authorized first — after the
 * members that name its resources are checked, before anything is read or
 * changed.
 */
export async function handleSfnRequest(driver: CloudDriver, target: string | undefined, text: string | undefined, access?: Access, call: CallContext = {}): Promise<ProtocolResponse> {
  try {
    const action = /^AWSStepFunctions\.([A-Za-z]+)$/.exec(target ?? '')?.[1];
    if (!action) fail(ServiceErrorName.UnknownOperationException, `Missing or unknown X-Amz-Target: '${target ?? ''}'`);
    const body = parseBody(text);
    if (!isActionName(action)) fail(ServiceErrorName.UnknownOperationException, `The action ${action} is not valid for this endpoint.`);
    const entry = servable[action];
    if (access) await authorizeCall(access, driver, { action, ...entry.authorizes(body, placeOf(driver, call)) });
    const result = await entry.serve(body, driver, call);
    return { statusCode: 200, headers: JSON_1_0, body: JSON.stringify(result) };
  } catch (err) {
    if (err instanceof ServiceError) return errorResponse(err.statusCode, err.name, err.message);
    logInternalError(err);
    return errorResponse(500, ServiceErrorName.InternalServerError, 'An internal error occurred');
  }
}
