/**
 * Which Lambda function a Task addresses, and with what payload:
 * `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` (payload: the
 * effective input), or `arn:aws:states:::lambda:invoke[.waitForTaskToken]`
 * with `FunctionName` and `Payload` (developer guide, "Invoke an AWS Lambda
 * function with Step Functions").
 */
import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonValue } from '../../asl/json';

/** A resolved Lambda invocation. */
export interface LambdaTarget {
  /** The function's name, without qualifier. */
  readonly functionName: string;
  readonly qualifier?: string;
  /** The full function ARN the invocation reports. */
  readonly functionArn: string;
  readonly payload: JsonValue;
  /** `lambda:invoke` returns Lambda's response envelope; a direct ARN returns the payload itself. */
  readonly wrapped: boolean;
  readonly waitForTaskToken: boolean;
}

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([^:]*):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/;
const NAME = /^([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/;
const INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke(\.waitForTaskToken)?$/;

/** Resolves a Task's resource and parameters to a Lambda invocation; undefined when it is not a Lambda task. */
export function lambdaTarget(resource: string, parameters: JsonValue, region: string, account: string): LambdaTarget | undefined | { error: string } {
  const direct = FUNCTION_ARN.exec(resource);
  if (direct) {
    const [, r, a, name, qualifier] = direct;
    return { functionName: name, qualifier, functionArn: arn(r || region, a, name, qualifier), payload: parameters, wrapped: false, waitForTaskToken: false };
  }
  const invoke = INVOKE.exec(resource);
  if (!invoke) return undefined;
  if (!isJsonObject(parameters) || typeof parameters.FunctionName !== 'string') {
    return { error: "The field 'FunctionName' is required by arn:aws:states:::lambda:invoke and must be a string" };
  }
  const fn = parameters.FunctionName;
  const full = FUNCTION_ARN.exec(fn);
  const partial = PARTIAL_ARN.exec(fn);
  const bare = NAME.exec(fn);
  let name: string;
  let qualifier: string | undefined;
  let functionArn: string;
  if (full) {
    name = full[3];
    qualifier = full[4];
    functionArn = arn(full[1] || region, full[2], name, qualifier);
  } else if (partial) {
    name = partial[2];
    qualifier = partial[3];
    functionArn = arn(region, partial[1], name, qualifier);
  } else if (bare) {
    name = bare[1];
    qualifier = bare[2];
    functionArn = arn(region, account, name, qualifier);
  } else {
    return { error: `The value '${fn}' of FunctionName is not a function name, a partial ARN or a function ARN` };
  }
  const qualifierParam = typeof parameters.Qualifier === 'string' ? parameters.Qualifier : undefined;
  return {
    functionName: name,
    qualifier: qualifier ?? qualifierParam,
    functionArn,
    payload: parameters.Payload === undefined ? {} : parameters.Payload,
    wrapped: true,
    waitForTaskToken: invoke[1] !== undefined,
  };
}

function arn(region: string, account: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/** Lambda's Invoke response as `lambda:invoke` returns it. */
export function lambdaResponseEnvelope(payload: JsonValue, requestId: string = randomUUID(), executedVersion = '$LATEST'): JsonValue {
  const headers = { Connection: 'keep-alive', 'Content-Type': 'application/json', 'X-Amz-Executed-Version': executedVersion, 'x-amzn-RequestId': requestId };
  return {
    ExecutedVersion: executedVersion,
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

