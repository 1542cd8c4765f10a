/**
 * IAM's evaluation of identity-based policies for one request, as its
 * policy evaluation logic documents it: "By default, all requests are
 * implicitly denied"; "An explicit deny in any policy overrides any
 * allows"; otherwise an applicable Allow statement allows the request.
 * A statement applies when its Action (or NotAction), its Resource (or
 * NotResource) and its Condition all match the request.
 */
import { conditionHolds, type ConditionContext } from './conditions';
import { actionMatches, arnMatches } from './patterns';
import type { PolicyDocument, PolicyStatement } from './policy';

/** What IAM decided, as its evaluation logic names the outcomes. */
export const Decision = {
  Allow: 'Allow',
  ExplicitDeny: 'ExplicitDeny',
  ImplicitDeny: 'ImplicitDeny',
} as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

/** One request as the evaluator sees it: the IAM action, the resource ARN (`*` for none) and the condition keys. */
export interface EvaluationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: ConditionContext;
}

/** Whether `statement` applies to `request`. */
export function statementApplies(statement: PolicyStatement, request: EvaluationRequest): boolean {
  const { actions, resources } = statement;
  if (actions.patterns.some((p) => actionMatches(p, request.action)) === actions.not) return false;
  if (resources.patterns.some((p) => arnMatches(p, request.resource)) === resources.not) return false;
  return conditionHolds(statement.condition, request.context);
}

/** The decision of `policies` (all of one caller's, together) on `request`. */
export function evaluatePolicies(policies: readonly PolicyDocument[], request: EvaluationRequest): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (!statementApplies(statement, request)) continue;
      if (statement.effect === 'Deny') return Decision.ExplicitDeny;
      allowed = true;
    }
  }
  return allowed ? Decision.Allow : Decision.ImplicitDeny;
}
