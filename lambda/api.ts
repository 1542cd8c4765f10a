/**
 * The API function behind API Gateway (REST API, proxy integration): Step
 * Functions' JSON protocol (lib/aws/sfn-protocol), so the official SDK and
 * the AWS CLI work with `--endpoint-url` set to the API's URL; and beside it
 * the small REST surface of lib/aws/rest-surface (start, read, approve/reject).
 */
import { deployedHandler, type Cloud } from '../lib/aws/environment';
import { handleRestRequest } from '../lib/service/rest-surface';
import { handleSfnRequest, requestTooLarge, type ProtocolResponse } from '../lib/service/sfn-protocol';

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

export function createApiHandler(cloud: Cloud, options: ApiOptions = {}): (event: ApiGatewayProxyEvent) => Promise<ProtocolResponse> {
  return async (event) => {
    const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const body = event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (options.maxRequestBytes !== undefined && Buffer.byteLength(body) > options.maxRequestBytes) return requestTooLarge(options.maxRequestBytes);
    if (event.httpMethod === 'POST' && (event.path === '/' || event.path === '')) return handleSfnRequest(cloud.driver, headers['x-amz-target'], body);
    const rest = await handleRestRequest(cloud.driver, event.httpMethod, event.path, body);
    if (rest) return rest;
    return { statusCode: 405, headers: { 'Content-Type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ __type: 'UnknownOperationException', message: 'Use POST / with X-Amz-Target' }) };
  };
}

// StartExecution's first events are flushed with the request, when the state machine logs.
export const handler = deployedHandler('switchyard-api', (parts) => {
  const limit = Number(process.env.SWITCHYARD_MAX_REQUEST_BYTES);
  return createApiHandler(parts.cloud, Number.isFinite(limit) && limit > 0 ? { maxRequestBytes: limit } : {});
});
