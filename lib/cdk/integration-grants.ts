/**
 * The IAM statements a definition's integration tasks need (the catalog in
 * lib/asl/integrations says which actions and how a parameter names the
 * resource): one statement per set of actions, on the resources the tasks
 * name. A resource chosen at run time is `*`, and each wildcard is
 * acknowledged to cdk-nag with the states it is for and why.
 */
import { ArnFormat, Aws, Fn, Stack, Token } from 'aws-cdk-lib';
import { acknowledge } from './acknowledge';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import { definitionGrants, type GrantResource } from '../asl/integrations';
import { nagResourceName } from './roles';

/** A definition's integration statements, and the cdk-nag acknowledgements of their wildcards. */
export interface IntegrationStatements {
  readonly statements: iam.PolicyStatement[];
  /** Acknowledges each wildcard resource of the statements on `on` (the policy's role or the policy). */
  acknowledge(on: IConstruct): void;
}

interface Target {
  readonly arn: string;
  /** Why the resource holds a wildcard, when it does. */
  readonly why?: string;
}

/** The statements the integration tasks of `definition` need. */
export function integrationStatements(scope: Construct, definition: unknown): IntegrationStatements {
  const stack = Stack.of(scope);
  const byActions = new Map<string, { actions: readonly string[]; conditions?: Record<string, unknown>; resources: Map<string, string[]> }>();
  const reasons = new Map<string, string[]>();
  for (const grant of definitionGrants(definition)) {
    const target = arnOf(stack, grant.resource);
    const key = `${grant.actions.join(',')}${grant.conditions ? ` if ${JSON.stringify(grant.conditions)}` : ''}`;
    const entry = byActions.get(key) ?? { actions: grant.actions, ...(grant.conditions ? { conditions: grant.conditions } : {}), resources: new Map<string, string[]>() };
    byActions.set(key, entry);
    entry.resources.set(target.arn, [...(entry.resources.get(target.arn) ?? []), grant.state]);
    if (target.arn.includes('*') || target.why !== undefined) {
      const why = `${key} for state '${grant.state}': ${target.why ?? 'the resource name ends in what the service or the run chooses'}`;
      reasons.set(target.arn, [...(reasons.get(target.arn) ?? []), why]);
    }
  }
  const statements = [...byActions.values()].map((e) => new iam.PolicyStatement({ actions: [...e.actions], resources: [...e.resources.keys()], ...(e.conditions ? { conditions: e.conditions } : {}) }));
  return {
    statements,
    acknowledge(on) {
      for (const [arn, why] of reasons) {
        acknowledge(on, `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(scope, arn)}]`, `Integration tasks whose resource is not static: ${[...new Set(why)].join('; ')}.`);
      }
    },
  };
}

function arnOf(stack: Stack, resource: GrantResource): Target {
  if ('any' in resource) return { arn: '*', why: resource.any };
  if ('arn' in resource) return { arn: resource.arn };
  if ('queueUrl' in resource) {
    const url = resource.queueUrl;
    if (!Token.isUnresolved(url)) return { arn: '*', why: `QueueUrl '${url}' is not an SQS queue URL` };
    // https://sqs.<region>.amazonaws.com/<account>/<name>
    const parts = Fn.split('/', url);
    return { arn: `arn:${Aws.PARTITION}:sqs:${stack.region}:${Fn.select(3, parts)}:${Fn.select(4, parts)}` };
  }
  return { arn: stack.formatArn({ service: resource.service, resource: resource.resource, region: resource.region, account: resource.account, arnFormat: ArnFormat.NO_RESOURCE_NAME }) };
}
