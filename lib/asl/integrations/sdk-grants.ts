/**
 * The grants of an AWS SDK integration, `arn:aws:states:::aws-sdk:<service>:<action>`:
 * the IAM action `<prefix>:<Action>` (the prefix is the service's own where
 * IAM spells it differently), on the resource a known parameter names (the
 * table, bucket, queue, function), else on a static ARN among the
 * parameters, else `*`.
 */
import { isJsonObject, type JsonValue } from '../json';
import { asArn, named, queueFromUrl, type IntegrationGrant } from './grant-arns';

/** IAM's service prefix where it is not the aws-sdk service name. */
const IAM_PREFIXES: Readonly<Record<string, string>> = {
  sfn: 'states',
  eventbridge: 'events',
  cloudwatchlogs: 'logs',
  cloudwatchevents: 'events',
  cognitoidentityprovider: 'cognito-idp',
  costexplorer: 'ce',
  elasticloadbalancingv2: 'elasticloadbalancing',
  applicationautoscaling: 'application-autoscaling',
  sesv2: 'ses',
  dynamodbstreams: 'dynamodb',
};

/** The parameter that names an API's resource, by service (PascalCase, as Step Functions takes them). */
const RESOURCE_PARAMETERS: Readonly<Record<string, Pick<IntegrationGrant, 'parameter' | 'arn'>>> = {
  dynamodb: { parameter: 'TableName', arn: named('dynamodb', 'table/') },
  sqs: { parameter: 'QueueUrl', arn: queueFromUrl },
  sns: { parameter: 'TopicArn', arn: asArn },
  lambda: { parameter: 'FunctionName', arn: named('lambda', 'function:') },
  sfn: { parameter: 'StateMachineArn', arn: asArn },
  secretsmanager: { parameter: 'SecretId', arn: named('secretsmanager', 'secret:') },
  kinesis: { parameter: 'StreamName', arn: named('kinesis', 'stream/') },
};

/** S3 names objects by Bucket and Key (any key when it is chosen at run time), and buckets by Bucket; its ARNs have no region or account. */
function s3Grant(action: string, parameters: JsonValue | undefined): IntegrationGrant {
  const object = isJsonObject(parameters) && (parameters.Key !== undefined || parameters['Key.$'] !== undefined);
  const key = isJsonObject(parameters) && typeof parameters.Key === 'string' ? parameters.Key : '*';
  return { actions: [action], parameter: 'Bucket', arn: (bucket) => ({ service: 's3', resource: object ? `${bucket}/${key}` : bucket, region: '', account: '' }) };
}

/** The grants of one aws-sdk task. */
export function sdkGrants(service: string, action: string, parameters: JsonValue | undefined): IntegrationGrant[] {
  const iamAction = `${IAM_PREFIXES[service] ?? service}:${action.charAt(0).toUpperCase()}${action.slice(1)}`;
  if (service === 's3') return [s3Grant(iamAction, parameters)];
  const known = Object.prototype.hasOwnProperty.call(RESOURCE_PARAMETERS, service) ? RESOURCE_PARAMETERS[service] : undefined;
  if (known) return [{ actions: [iamAction], ...known }];
  const arnParameter = isJsonObject(parameters) ? Object.keys(parameters).find((k) => /Arn$/.test(k) && typeof parameters[k] === 'string' && (parameters[k] as string).startsWith('arn:')) : undefined;
  return [{ actions: [iamAction], ...(arnParameter ? { parameter: arnParameter, arn: asArn } : {}) }];
}
