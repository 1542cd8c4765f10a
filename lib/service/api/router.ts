/**
 * The one router both front doors use — the API function behind API Gateway
 * (lambda/api.ts) and `switchyard serve`'s listener (lib/local/server.ts) —
 * so they answer every request alike: `POST /` is Step Functions' JSON
 * protocol, the REST surface (lib/service/rest-surface.ts) takes its paths,
 * and anything else is UnknownOperationException.
 */
import { ServiceErrorName } from '../../engine/service-errors';
import type { CloudDriver } from '../driver';
import { handleRestRequest, type RestAuthorizer } from '../rest-surface';
import { authorizeCall, type Access } from './authorization/access';
import { sigV4Region } from './authorization/sigv4';
import { errorResponse, handleSfnRequest, logInternalError, type ProtocolResponse } from './protocol';

/** One HTTP request, as either front door received it. */
export interface HttpRequest {
  method: string;
  /** The path, with its query string when there is one; `''` is `/`. */
  path: string;
  /** Header names in any case; a repeated header's first value counts. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  body: string;
}

const NOT_SERVED = 'Send Step Functions API requests as POST / with X-Amz-Target: AWSStepFunctions.<Action>';

/** The value of header `name` (case-insensitive). */
function header(headers: HttpRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

/** The REST surface's check: the API action each operation is, except the task links an unauthenticated caller may use when they are public. */
function restAuthorizer(access: Access, driver: CloudDriver): RestAuthorizer {
  return async (call) => {
    const link = call.action === 'SendTaskSuccess' || call.action === 'SendTaskFailure';
    if (link && access.publicTaskLinks === true && access.caller === undefined) return; // the task token is the link's credential
    await authorizeCall(access, driver, call);
  };
}

/**
 * Serves one request. Never throws. With `access`, every action is
 * authorized for its caller first (lib/service/api/authorization); without,
 * every call is allowed. What neither the protocol nor the REST
 * surface serves is UnknownOperationException, as the service's endpoint
 * answers it: 405 (with `Allow: POST`) for another method on `/`, 404 for
 * another path.
 */
export async function routeRequest(driver: CloudDriver, request: HttpRequest, access?: Access): Promise<ProtocolResponse> {
  const pathname = request.path.split('?')[0] || '/';
  if (pathname === '/' && request.method === 'POST') {
    const region = sigV4Region(header(request.headers, 'authorization'));
    return handleSfnRequest(driver, header(request.headers, 'x-amz-target'), request.body, access, region !== undefined ? { region } : {});
  }
  let rest: ProtocolResponse | undefined;
  try {
    rest = await handleRestRequest(driver, request.method, request.path || '/', request.body, access ? restAuthorizer(access, driver) : undefined);
  } catch (err) {
    logInternalError(err);
    return { statusCode: 500, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: ServiceErrorName.InternalServerError, message: 'An internal error occurred' }) };
  }
  if (rest) return rest;
  return pathname === '/' ? errorResponse(405, ServiceErrorName.UnknownOperationException, NOT_SERVED, { Allow: 'POST' }) : errorResponse(404, ServiceErrorName.UnknownOperationException, NOT_SERVED);
}
