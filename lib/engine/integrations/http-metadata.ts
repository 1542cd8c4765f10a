/**
 * The response metadata Step Functions' Java client adds to an optimized
 * integration's result (`SdkHttpMetadata`, `SdkResponseMetadata`): the SDK
 * runner fills it from the service's real response, the drivers' nested
 * executions from their own.
 */
import type { JsonObject } from '../../asl/json';

/** Header names as AWS's services send them (Node lowercases them all). */
const HEADER_NAMES: Readonly<Record<string, string>> = {
  'x-amzn-requestid': 'x-amzn-RequestId',
  'x-amz-crc32': 'x-amz-crc32',
  'x-amz-request-id': 'x-amz-request-id',
  'x-amz-id-2': 'x-amz-id-2',
};

function headerName(lower: string): string {
  return HEADER_NAMES[lower] ?? lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** The response metadata Step Functions adds to an optimized integration's result. */
export function httpMetadata(status: number, headers: Readonly<Record<string, string>>, requestId: string | undefined): JsonObject {
  const named = Object.fromEntries(Object.entries(headers).map(([k, v]) => [headerName(k), v]));
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(named).map(([k, v]) => [k, [v]])),
      HttpHeaders: named,
      HttpStatusCode: status,
    },
    SdkResponseMetadata: { RequestId: requestId ?? named['x-amzn-RequestId'] ?? '' },
  };
}
