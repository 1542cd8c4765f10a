/**
 * Per-action, per-resource authorization in Step Functions' IAM vocabulary:
 * policy documents and their evaluation (pure), the callers a policies file
 * names, the authorizer port, and the hook the router calls.
 */
export { parsePolicyDocument, PolicyError, type PolicyDocument, type PolicyStatement, type ConditionBlock } from './policy';
export { evaluatePolicies, statementApplies, Decision, type EvaluationRequest } from './evaluate';
export { conditionHolds, type ConditionContext } from './conditions';
export { arnMatches, actionMatches, globMatches } from './patterns';
export { parseCallerPolicies, entriesFor, callerByAccessKey, type Caller, type CallerEntry, type CallerPolicies } from './callers';
export { policyAuthorizer, allowEveryCall, accessDenied, type Authorizer, type AuthorizationRequest } from './authorizer';
export { authorizeCall, type Access, type Call } from './access';
export { sigV4AccessKeyId } from './sigv4';
