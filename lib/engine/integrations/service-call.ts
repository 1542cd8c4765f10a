/**
 * What API call a service integration Task makes, from its Resource and its
 * effective parameters — the same for every driver and every runner:
 * - `arn:aws:states:::<service>:<action>` (optimized): the action of the
 *   service's API, with the parameters Step Functions turns into JSON text
 *   when they are given as JSON (`MessageBody`, `Entries[].Detail`);
 * - `arn:aws:states:::aws-sdk:<service>:<action>`: "Parameters in Step
 *   Functions are expressed in PascalCase, even if the native service API is
 *   in camelCase", so they are the API's input as given.
 * The command is the action in PascalCase (`getObject` → `GetObjectCommand`).
 */
import { AWS_SDK_PATTERNS, isMalformed, IntegrationPattern, optimizedAction, parseServiceResource } from '../../asl/integrations';
import { isSyncJobService, type SyncJobService } from '../../asl/integrations/sync-jobs';
import { isJsonObject, type JsonObject, type JsonValue } from '../../asl/json';

/** One API call a Task makes. */
export interface ServiceCall {
  readonly kind: 'optimized' | 'aws-sdk';
  /** The service and action as the Resource writes them (`dynamodb`, `putItem`). */
  readonly service: string;
  readonly action: string;
  /** The AWS SDK package that has the API: `@aws-sdk/client-<client>`. */
  readonly client: string;
  /** The SDK command's class name, `PutItemCommand`. */
  readonly command: string;
  readonly input: JsonObject;
  /** A callback task: the call carries the token and the task waits for it to come back. */
  readonly waitForTaskToken: boolean;
  /** A `.sync` task: the call submits a job (an ECS task, a Batch job, a Glue job run) and the task waits for its end. */
  readonly sync?: SyncJobService;
  /** For optimized integrations: how errors are named and whether results carry SdkHttpMetadata. */
  readonly errorPrefix?: string;
  readonly causeService?: string;
  readonly httpMetadata: boolean;
  /** Members of the input the result carries first (glue:startJobRun's JobName). */
  readonly echoInput?: readonly string[];
}

/** A resource this runner knows but cannot run (yet), with the cause to fail the task with. */
export interface UnsupportedCall {
  readonly unsupported: string;
}

/**
 * aws-sdk service names whose client package is spelled with hyphens;
 * every other service `x` is `@aws-sdk/client-x`.
 */
const CLIENT_PACKAGES: Readonly<Record<string, string>> = {
  secretsmanager: 'secrets-manager',
  cloudwatchlogs: 'cloudwatch-logs',
  cloudwatchevents: 'cloudwatch-events',
  cognitoidentityprovider: 'cognito-identity-provider',
  applicationautoscaling: 'application-auto-scaling',
  elasticloadbalancingv2: 'elastic-load-balancing-v2',
  costexplorer: 'cost-explorer',
  dynamodbstreams: 'dynamodb-streams',
  sfn: 'sfn',
};

/** The call a Task makes; undefined when the resource is no API call (a Lambda task, an activity). */
export function serviceCall(resource: string, parameters: JsonValue): ServiceCall | UnsupportedCall | undefined {
  const parsed = parseServiceResource(resource);
  if (parsed === undefined) return undefined;
  if (isMalformed(parsed)) return { unsupported: `The resource '${resource}' is not recognized. ${parsed.malformed}` };
  const input = isJsonObject(parameters) ? parameters : {};
  const command = `${parsed.action.charAt(0).toUpperCase()}${parsed.action.slice(1)}Command`;
  const waitForTaskToken = parsed.pattern === IntegrationPattern.WaitForTaskToken;
  if (parsed.kind === 'aws-sdk') {
    if (!AWS_SDK_PATTERNS.includes(parsed.pattern)) return { unsupported: `The resource '${resource}' is not supported: AWS SDK integrations run request-response or with a task token.` };
    return { kind: 'aws-sdk', service: parsed.service, action: parsed.action, client: CLIENT_PACKAGES[parsed.service] ?? parsed.service, command, input, waitForTaskToken, httpMetadata: false };
  }
  const known = optimizedAction(parsed.service, parsed.action);
  // lambda:invoke has its own runners (lib/engine/integrations/lambda.ts), http:invoke its own (lib/service/http-task-runner.ts),
  // apigateway:invoke its own (lib/service/apigateway-task-runner.ts), states:startExecution the drivers' own executions.
  if (known?.action.runner === 'lambda' || known?.action.runner === 'http' || known?.action.runner === 'apigateway' || known?.action.runner === 'nested') return undefined;
  if (known === undefined || !known.action.patterns.includes(parsed.pattern) || known.service.client === undefined) {
    return { unsupported: `The resource '${resource}' is not a Step Functions integration.` };
  }
  const sync = parsed.pattern === IntegrationPattern.Sync && isSyncJobService(parsed.service) ? parsed.service : undefined;
  if (known.action.runner !== 'sdk' || !(parsed.pattern === IntegrationPattern.RequestResponse || waitForTaskToken || sync !== undefined)) {
    return { unsupported: `The resource '${resource}' is not supported by Switchyard yet.` };
  }
  return {
    kind: 'optimized',
    service: parsed.service,
    action: parsed.action,
    client: known.service.client,
    command,
    input: withJsonText(input, known.action.jsonText ?? []),
    waitForTaskToken,
    ...(sync !== undefined ? { sync } : {}),
    errorPrefix: known.service.errorPrefix,
    causeService: known.service.causeService,
    httpMetadata: known.action.httpMetadata === true,
    ...(known.action.echoInput ? { echoInput: known.action.echoInput } : {}),
  };
}

/** The parameters with each named field (`Detail`, or `Entries[].Detail` in each element) as JSON text when it is not a string. */
export function withJsonText(input: JsonObject, fields: readonly string[]): JsonObject {
  let out = input;
  for (const field of fields) out = textAt(out, field.split('.'));
  return out;
}

function textAt(owner: JsonObject, path: readonly string[]): JsonObject {
  const [head, ...rest] = path;
  const each = head.endsWith('[]');
  const key = each ? head.slice(0, -2) : head;
  const value = owner[key];
  if (value === undefined) return owner;
  let next: JsonValue;
  if (each) {
    if (!Array.isArray(value)) return owner;
    next = value.map((item) => (isJsonObject(item) ? textAt(item, rest) : item));
  } else if (rest.length > 0) {
    if (!isJsonObject(value)) return owner;
    next = textAt(value, rest);
  } else {
    next = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return { ...owner, [key]: next };
}
