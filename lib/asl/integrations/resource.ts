/**
 * What a Task's `Resource` names when it is a service integration. Step
 * Functions' grammar (developer guide, "Discover service integration
 * patterns"): "The prefix `arn:aws:states:` sets up a namespace that Step
 * Functions uses for integrations. The `:::` portion of the value denotes
 * empty region and account-id fields", followed by
 * - `<service>:<action>[.<pattern>]` for an optimized integration, and
 * - `aws-sdk:<serviceName>:<apiAction>.[serviceIntegrationPattern]` for an
 *   AWS SDK integration.
 */

/** How the task waits, as the Resource's suffix selects it. */
export const IntegrationPattern = {
  /** No suffix: "wait for HTTP response, then go to the next state". */
  RequestResponse: 'REQUEST_RESPONSE',
  /** `.sync`: "wait for the job to complete". */
  Sync: 'SYNC',
  /** `.sync:2` (states:startExecution): the child's output as parsed JSON. */
  Sync2: 'SYNC:2',
  /** `.waitForTaskToken`: "pause a workflow until a task token is returned". */
  WaitForTaskToken: 'WAIT_FOR_TASK_TOKEN',
} as const;
export type IntegrationPattern = (typeof IntegrationPattern)[keyof typeof IntegrationPattern];

const SUFFIXES: Readonly<Record<string, IntegrationPattern>> = {
  '': IntegrationPattern.RequestResponse,
  '.sync': IntegrationPattern.Sync,
  '.sync:2': IntegrationPattern.Sync2,
  '.waitForTaskToken': IntegrationPattern.WaitForTaskToken,
};

/** The Resource suffix of a pattern, as it is written in a definition. */
export function patternSuffix(pattern: IntegrationPattern): string {
  return Object.keys(SUFFIXES).find((suffix) => SUFFIXES[suffix] === pattern) ?? '';
}

/** A parsed integration resource. */
export interface ServiceResource {
  /** `optimized` for `arn:aws:states:::sqs:sendMessage`, `aws-sdk` for `arn:aws:states:::aws-sdk:sqs:sendMessage`. */
  readonly kind: 'optimized' | 'aws-sdk';
  /** The service as written, lowercase: `sqs`, `dynamodb`, `s3`. */
  readonly service: string;
  /** The action as written, camelCase: `sendMessage`, `getObject`. */
  readonly action: string;
  readonly pattern: IntegrationPattern;
}

/** A resource in the integration namespace whose suffix is not a pattern Step Functions has. */
export interface MalformedResource {
  readonly malformed: string;
}

const INTEGRATION = /^arn:aws[a-z-]*:states:::(aws-sdk:)?([a-z0-9-]+):([A-Za-z][A-Za-z0-9]*)(\.[A-Za-z]+(?::\d+)?)?$/;
const NAMESPACE = /^arn:aws[a-z-]*:states:::/;

/**
 * Parses a Task's Resource as an integration; `undefined` when it is not one
 * (a Lambda function ARN, an activity ARN).
 */
export function parseServiceResource(resource: string): ServiceResource | MalformedResource | undefined {
  if (!NAMESPACE.test(resource)) return undefined;
  const match = INTEGRATION.exec(resource);
  if (!match) return { malformed: 'The value is not of the form arn:aws:states:::<service>:<action>[.<pattern>] or arn:aws:states:::aws-sdk:<service>:<action>[.<pattern>].' };
  const [, sdk, service, action, suffix = ''] = match;
  const pattern = SUFFIXES[suffix];
  if (pattern === undefined) return { malformed: `'${suffix}' is not a service integration pattern (.sync, .sync:2 or .waitForTaskToken).` };
  return { kind: sdk ? 'aws-sdk' : 'optimized', service, action, pattern };
}

/** True when parseServiceResource found the resource malformed. */
export function isMalformed(parsed: ServiceResource | MalformedResource): parsed is MalformedResource {
  return 'malformed' in parsed;
}
