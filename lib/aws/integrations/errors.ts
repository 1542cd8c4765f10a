/**
 * A service's error as Step Functions names it. The developer guide ("AWS SDK
 * integrations"): "the resulting Error field will be composed of the service
 * name and the error name, separated by a period … Both the service name and
 * error name are in Pascal case", and "always add the Exception suffix to the
 * potential error names … even if the suffix isn't yet part of the error name
 * provided by the service" (S3's BucketAlreadyExists is
 * `S3.BucketAlreadyExistsException`). Its example, acmpca →
 * `AcmPca.ResourceNotFoundException`, is the AWS SDK for Java 2's client name
 * (DynamoDb, Sfn, Sqs, S3), and so are its causes:
 * `<message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)`.
 * Optimized integrations name the service as their own page does
 * (`DynamoDB.ConditionalCheckFailedException`) with the cause of the Java
 * SDK 1 client Step Functions calls them with:
 * `<message> (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: <code>; Request ID: <id>; Proxy: null)`.
 */
import type { ServiceCall } from '../../engine/integrations/service-call';

/** What an SDK client throws, as far as naming needs it. */
interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** `DynamoDB` → `DynamoDb`, `SQS` → `Sqs`, `ACM PCA` → `AcmPca`, `EventBridge` stays: the Java 2 SDK's service name. */
export function pascalServiceName(serviceId: string): string {
  return serviceId
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => word.replace(/[A-Z]{2,}/g, (run) => run.charAt(0) + run.slice(1).toLowerCase()))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The error name with Step Functions' `Exception` suffix. */
function exceptionName(name: string): string {
  return name.endsWith('Exception') ? name : `${name}Exception`;
}

/**
 * The failure of a call that reached the service (it answered with an
 * error); `undefined` for an error that is not the service's (no HTTP status:
 * the connection failed, the call was aborted).
 */
export function serviceFailure(call: ServiceCall, serviceId: string, err: unknown): { error: string; cause: string } | undefined {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined || typeof e.name !== 'string' || e.name === 'Error') return undefined;
  const message = e.message ?? '';
  const requestId = e.$metadata?.requestId ?? 'null';
  if (call.kind === 'optimized') {
    return {
      error: `${call.errorPrefix}.${exceptionName(e.name)}`,
      cause: `${message} (Service: ${call.causeService}; Status Code: ${status}; Error Code: ${e.name}; Request ID: ${requestId}; Proxy: null)`,
    };
  }
  const service = pascalServiceName(serviceId);
  return { error: `${service}.${exceptionName(e.name)}`, cause: `${message} (Service: ${service}, Status Code: ${status}, Request ID: ${requestId})` };
}
