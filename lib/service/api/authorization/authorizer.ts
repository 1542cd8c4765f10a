/**
 * The authorizer port the router calls before it serves an action, and its
 * one implementation over a caller policies file; and the
 * AccessDeniedException a refusal becomes, worded as Step Functions words
 * it ("User: <arn> is not authorized to perform: states:<Action> on
 * resource: <arn> because no identity-based policy allows the
 * states:<Action> action").
 */
import { ServiceError, ServiceErrorName } from '../../../engine/service-errors';
import { entriesFor, type Caller, type CallerPolicies } from './callers';
import { readsConditionKey, type ConditionContext } from './conditions';
import { Decision, evaluatePolicies } from './evaluate';

/** One authorization question: may the caller perform `action` on `resource`? */
export interface AuthorizationRequest {
  /** The IAM action, `states:<Action>`. */
  readonly action: string;
  /** The resource ARN, or `*` for an action Step Functions authorizes on no resource. */
  readonly resource: string;
  /** The request's condition keys (lower-case names). */
  readonly context: ConditionContext;
  /** The resource's tags (for `aws:ResourceTag/…`), read only when a policy asks; undefined when it has none. */
  resourceTags(): Promise<Readonly<Record<string, string>> | undefined>;
}

/** Decides authorization questions. `caller` is undefined for an unauthenticated request. */
export interface Authorizer {
  decide(caller: Caller | undefined, request: AuthorizationRequest): Promise<Decision>;
}

/** The authorizer that allows every call: `switchyard serve` without `--policy`, the API function without caller policies. */
export const allowEveryCall: Authorizer = { decide: async () => Decision.Allow };

/** The authorizer of a caller policies file: a caller it does not name, or no caller at all, is denied. */
export function policyAuthorizer(policies: CallerPolicies): Authorizer {
  return {
    async decide(caller, request) {
      if (!caller) return Decision.ImplicitDeny;
      const documents = entriesFor(policies, caller.id).flatMap((e) => e.policies);
      if (documents.length === 0) return Decision.ImplicitDeny;
      let context = request.context;
      // Tags are read only when one of the caller's statements asks for them: most requests need no read.
      if (readsConditionKey(documents.flatMap((d) => d.statements.map((s) => s.condition)), 'aws:resourcetag/')) {
        const tags = await request.resourceTags();
        const withTags = new Map(context);
        for (const [key, value] of Object.entries(tags ?? {})) withTags.set(`aws:resourcetag/${key.toLowerCase()}`, [value]);
        context = withTags;
      }
      return evaluatePolicies(documents, { action: request.action, resource: request.resource, context });
    },
  };
}

/** The AccessDeniedException for a denied request, in Step Functions' words; an unauthenticated caller is `anonymous`. */
export function accessDenied(callerArn: string | undefined, request: Pick<AuthorizationRequest, 'action' | 'resource'>, decision: Decision): ServiceError {
  const on = request.resource === '*' ? '' : ` on resource: ${request.resource}`;
  const why = decision === Decision.ExplicitDeny ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${request.action} action`;
  return new ServiceError(ServiceErrorName.AccessDeniedException, `User: ${callerArn ?? 'anonymous'} is not authorized to perform: ${request.action}${on} ${why}`);
}
