/**
 * The IAM grants a definition's integration tasks need, each scoped to the
 * resource the task names: the actions come from the catalog
 * (optimized.ts, sdk-grants.ts), the resources from the task's parameters.
 * A resource chosen at run time (a `.$` path, a JSONata expression) or not
 * named at all is `*`, with the reason, so the deployment can say why.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../json';
import type { GrantArn, IntegrationGrant } from './grant-arns';
import { optimizedAction } from './optimized';
import { isMalformed, parseServiceResource } from './resource';
import { sdkGrants } from './sdk-grants';

/** What one statement of a task's grant acts on. */
export type GrantResource = GrantArn | { readonly any: string };

/** One statement a task needs: its actions on one resource. */
export interface TaskGrant {
  /** The state, `Outer/Inner` for a state inside a Parallel branch or Map. */
  readonly state: string;
  readonly actions: readonly string[];
  readonly resource: GrantResource;
  readonly conditions?: IntegrationGrant['conditions'];
}

/** A parameter's value as the definition gives it. */
type Named = { readonly value: string } | { readonly dynamic: string } | { readonly missing: true };

const JSONATA = /^\{%[\s\S]*%\}$/;

/** The grants every integration Task in `definition` (its Parallel branches and Maps included) needs. */
export function definitionGrants(definition: unknown): TaskGrant[] {
  const out: TaskGrant[] = [];
  const visit = (states: unknown, prefix: string): void => {
    if (!isJsonObject(states)) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isJsonObject(state)) continue;
      const path = `${prefix}${name}`;
      if (state.Type === 'Task' && typeof state.Resource === 'string') out.push(...taskGrants(path, state.Resource, state.Parameters ?? state.Arguments));
      for (const branch of Array.isArray(state.Branches) ? state.Branches : []) visit(isJsonObject(branch) ? branch.States : undefined, `${path}/`);
      const processor = isJsonObject(state.ItemProcessor) ? state.ItemProcessor : isJsonObject(state.Iterator) ? state.Iterator : undefined;
      visit(processor?.States, `${path}/`);
    }
  };
  visit(isJsonObject(definition) ? definition.States : undefined, '');
  return out;
}

/** The grants of one Task: none when its resource is no service integration (a function, an activity) or has no grants in the catalog. */
export function taskGrants(state: string, resource: string, parameters: JsonValue | undefined): TaskGrant[] {
  const parsed = parseServiceResource(resource);
  if (parsed === undefined || isMalformed(parsed)) return [];
  const catalog = parsed.kind === 'aws-sdk' ? sdkGrants(parsed.service, parsed.action, parameters) : (optimizedAction(parsed.service, parsed.action)?.action.grants ?? []);
  const grants = catalog.filter((grant) => grant.patterns === undefined || grant.patterns.includes(parsed.pattern));
  return grants.flatMap((grant) => resourcesOf(grant, parameters).map((r) => ({ state, actions: grant.actions, resource: r, ...(grant.conditions ? { conditions: grant.conditions } : {}) })));
}

function resourcesOf(grant: IntegrationGrant, parameters: JsonValue | undefined): GrantResource[] {
  if (grant.resources !== undefined) return [...grant.resources(parameters)];
  if (grant.arn === undefined) return [{ any: 'the action names no resource' }];
  const arn = grant.arn;
  // Resources no parameter names but of one kind (a Batch job's id is known only once it is submitted).
  if (grant.parameter === undefined) return [arn('')];
  return valuesAt(parameters, grant.parameter).map((named): GrantResource => {
    if ('value' in named) return arn(named.value);
    if ('dynamic' in named) return { any: `${grant.parameter} is chosen at run time (${named.dynamic})` };
    return grant.absent === undefined ? { any: `the task gives no ${grant.parameter}` } : arn(grant.absent);
  });
}

/** The values of `path` (`A.B`, `Entries[].Name`) in the parameters: static, chosen at run time, or missing. */
export function valuesAt(parameters: JsonValue | undefined, path: string): Named[] {
  if (typeof parameters === 'string' && JSONATA.test(parameters)) return [{ dynamic: parameters }];
  const [head, ...rest] = path.split('.');
  const each = head.endsWith('[]');
  const key = each ? head.slice(0, -2) : head;
  if (!isJsonObject(parameters)) return [{ missing: true }];
  const dynamic = (parameters as JsonObject)[`${key}.$`];
  if (typeof dynamic === 'string') return [{ dynamic }];
  const value = parameters[key];
  if (value === undefined) return [{ missing: true }];
  if (typeof value === 'string' && JSONATA.test(value)) return [{ dynamic: value }];
  if (each) return Array.isArray(value) && value.length > 0 ? value.flatMap((item) => (rest.length > 0 ? valuesAt(item, rest.join('.')) : [])) : [{ missing: true }];
  if (rest.length > 0) return valuesAt(value, rest.join('.'));
  return typeof value === 'string' ? [{ value }] : [{ missing: true }];
}
