/**
 * What an integration's role must be allowed, as data in the catalog
 * (optimized.ts): the IAM actions of each API call and how a parameter's
 * value names the resource they act on. The deployment (lib/cdk) reads
 * these; nothing here knows where it runs.
 */
import type { JsonValue } from '../json';

import type { IntegrationPattern } from './resource';

/**
 * A resource's ARN: given whole, or its parts, the partition always the
 * deployment's and the region and account the deployment's unless given.
 */
export type GrantArn =
  | { readonly arn: string }
  | { readonly service: string; readonly resource: string; readonly region?: string; readonly account?: string }
  /** An SQS queue URL the catalog cannot read (a deploy-time token): the deployment derives the queue's ARN. */
  | { readonly queueUrl: string };

/** One statement an API call needs. */
export interface IntegrationGrant {
  /** IAM actions, `dynamodb:PutItem`. */
  readonly actions: readonly string[];
  /**
   * The parameter that names the resource (`TableName`; `Entries[].EventBusName`
   * for one in each element); absent when the action names no resource (`*`).
   */
  readonly parameter?: string;
  /** The parameter's value when the definition leaves it out (`default`, the default event bus). @default none: no resource is named, so `*` */
  readonly absent?: string;
  /** The resource's ARN from the parameter's value; with no parameter, the ARN of every resource the action may act on (`job/*`). */
  readonly arn?: (value: string) => GrantArn;
  /**
   * The resources from the whole parameters, for a resource no one parameter
   * names (API Gateway's method ARN from ApiEndpoint, Stage, Method and Path);
   * `{ any }` says why a resource is `*`. Takes the place of `parameter` and `arn`.
   * @default the resource `parameter` names
   */
  readonly resources?: (parameters: JsonValue | undefined) => readonly (GrantArn | { readonly any: string })[];
  /** IAM conditions of the statement (`iam:PassedToService`). @default none */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Only tasks with these patterns need the statement (`.sync` describes and stops the job it waits for). @default every pattern */
  readonly patterns?: readonly IntegrationPattern[];
}

/** The value is the ARN (`TopicArn`). */
export const asArn = (value: string): GrantArn => ({ arn: value });

/** `<service>:<region>:<account>:<prefix><value>` (`table/` + TableName), or the value itself when it is already an ARN. */
export function named(service: string, prefix: string, options: { region?: string; account?: string } = {}): (value: string) => GrantArn {
  return (value) => (value.startsWith('arn:') ? { arn: value } : { service, resource: `${prefix}${value}`, ...options });
}

/**
 * An ECS task definition's ARN from `family`, `family:revision` or its ARN;
 * a family alone is every revision of it (`family:*`), as RunTask runs the latest.
 */
export function taskDefinition(value: string): GrantArn {
  if (value.startsWith('arn:')) return { arn: value };
  return { service: 'ecs', resource: `task-definition/${value.includes(':') ? value : `${value}:*`}` };
}

/**
 * The tasks of the ECS cluster `Cluster` names (a name or its ARN; absent, `default`):
 * `task/<cluster>/*`, what StopTask and DescribeTasks act on.
 */
export function clusterTasks(value: string): GrantArn {
  const match = /^arn:(aws[a-z-]*):ecs:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/.exec(value);
  if (match) return { arn: `arn:${match[1]}:ecs:${match[2]}:${match[3]}:task/${match[4]}/*` };
  return { service: 'ecs', resource: `task/${value}/*` };
}

const QUEUE_URL = /^https?:\/\/(?:sqs\.)?([a-z0-9-]+)\.(?:queue\.)?amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_.-]+)$/;

/** An SQS queue's ARN from its URL, `https://sqs.<region>.amazonaws.com/<account>/<name>`. */
export function queueFromUrl(value: string): GrantArn {
  const match = QUEUE_URL.exec(value);
  if (!match) return { queueUrl: value };
  const [, region, account, name] = match;
  return { service: 'sqs', resource: name, region, account };
}

const CONNECTION = /^arn:(aws[a-z-]*):events:([a-z0-9-]+):(\d{12}):connection\/([^/]+)\/[^/]+$/;

/**
 * The Secrets Manager secret EventBridge keeps a connection's credentials in
 * (`events!connection/<name>/…`), from the connection's ARN.
 */
export function connectionSecret(value: string): GrantArn {
  const match = CONNECTION.exec(value);
  if (!match) return { service: 'secretsmanager', resource: 'secret:events!connection/*' };
  const [, partition, region, account, name] = match;
  return { arn: `arn:${partition}:secretsmanager:${region}:${account}:secret:events!connection/${name}/*` };
}
