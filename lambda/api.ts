/**
 * The API function behind API Gateway (REST API, proxy integration): the
 * router of lib/service/api — Step Functions' JSON protocol, so the official
 * SDK and the AWS CLI work with `--endpoint-url` set to the API's URL, and
 * beside it the small REST surface (start, read, approve/reject) — exactly
 * as `switchyard serve` answers.
 */
import { deployedHandler, type Cloud } from '../lib/aws/environment';
import { requestTooLarge, routeRequest, type ProtocolResponse } from '../lib/service/api';

/** The parts of API Gateway's proxy event this function reads. */
export interface ApiGatewayProxyEvent {
  httpMethod: string;
  path: string;
  headers: Record<string, string | undefined> | null;
  body: string | null;
  isBase64Encoded?: boolean;
}

export interface ApiOptions {
  /** Larger requests are refused with 413 ValidationException. @default no limit beyond Lambda's 6 MB */
  maxRequestBytes?: number;
}

export function createApiHandler(cloud: Pick<Cloud, 'driver'>, options: ApiOptions = {}): (event: ApiGatewayProxyEvent) => Promise<ProtocolResponse> {
  return async (event) => {
    const body = event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (options.maxRequestBytes !== undefined && Buffer.byteLength(body) > options.maxRequestBytes) return requestTooLarge(options.maxRequestBytes);
    return routeRequest(cloud.driver, { method: event.httpMethod, path: event.path, headers: event.headers ?? {}, body });
  };
}

// StartExecution's first events are flushed with the request, when the state machine logs.
export const handler = deployedHandler('switchyard-api', (parts) => {
  const limit = Number(process.env.SWITCHYARD_MAX_REQUEST_BYTES);
  return createApiHandler(parts.cloud, Number.isFinite(limit) && limit > 0 ? { maxRequestBytes: limit } : {});
});
