/**
 * The router's authorization hook: the caller of one request, the
 * authorizer that decides for it, and the check the protocol and the REST
 * surface make before they serve an action — its resources, its condition
 * keys, the decision, and AccessDeniedException when it is not Allow —
 * and for a call that hands a role to a state machine, `iam:PassRole` on
 * that role, as Step Functions checks it.
 */
import type { CloudDriver } from '../../driver';
import { splitStateMachineArn } from '../../registry';
import { ANY_RESOURCE, type AuthorizedCall } from '../action';
import { accessDenied, type Authorizer } from './authorizer';
import type { Caller } from './callers';
import { Decision } from './evaluate';

/** Who is calling and who decides: what a front door gives the router. */
export interface Access {
  /** The authenticated caller; undefined for an unauthenticated request. */
  readonly caller: Caller | undefined;
  readonly authorizer: Authorizer;
  /**
   * Let unauthenticated requests use the REST surface's
   * `GET /tasks/{token}/approve|reject` links, whose task token is their
   * credential (the construct's publicCallbackLinks). @default false
   */
  readonly publicTaskLinks?: boolean;
}

/** One call to check: the action (its API name), its resource ARNs and the tags it carries. */
export interface Call extends AuthorizedCall {
  readonly action: string;
}

/** The condition keys of `call` on `resource` (lower-case names), as far as Switchyard supplies them. */
function contextOf(caller: Caller | undefined, call: Call, resource: string): Map<string, string[]> {
  const context = new Map<string, string[]>();
  if (caller) context.set('aws:principalarn', [caller.arn]);
  // "states:StateMachineQualifier: filters access by the qualifier of a state machine ARN" (a version or an alias).
  if (resource !== ANY_RESOURCE && resource.split(':')[5] === 'stateMachine') {
    const { qualifier } = splitStateMachineArn(resource);
    if (qualifier !== undefined) context.set('states:statemachinequalifier', [qualifier]);
  }
  const tags = call.requestTags;
  if (tags !== undefined) {
    const keys = Array.isArray(tags) ? (tags as readonly string[]) : Object.keys(tags);
    context.set('aws:tagkeys', [...keys]);
    if (!Array.isArray(tags)) for (const [k, v] of Object.entries(tags as Record<string, string>)) context.set(`aws:requesttag/${k.toLowerCase()}`, [v]);
  }
  return context;
}

/** The tags `aws:ResourceTag/…` reads: a state machine's (a version's or alias's are its state machine's) or an activity's; none for anything else. */
async function resourceTags(driver: CloudDriver, resource: string): Promise<Record<string, string> | undefined> {
  const type = resource.split(':')[5];
  if (type !== 'stateMachine' && type !== 'activity') return undefined;
  return driver.listTags(type === 'stateMachine' ? splitStateMachineArn(resource).base : resource).catch(() => undefined);
}

/** The service a state machine's role is passed to (`iam:PassedToService`). */
const STEP_FUNCTIONS_PRINCIPAL = 'states.amazonaws.com';

/**
 * The condition keys of passing `role`: the caller, `iam:PassedToService`
 * (Step Functions) and `iam:AssociatedResourceArn` (the state machine the role is for).
 */
function passRoleContext(caller: Caller | undefined, call: Call): Map<string, string[]> {
  const context = new Map<string, string[]>([['iam:passedtoservice', [STEP_FUNCTIONS_PRINCIPAL]]]);
  if (caller) context.set('aws:principalarn', [caller.arn]);
  const machine = call.resources.find((r) => r !== ANY_RESOURCE);
  if (machine !== undefined) context.set('iam:associatedresourcearn', [machine]);
  return context;
}

/**
 * Checks `call` for `access`: resolves when every resource is allowed (and
 * the role it passes, if any); otherwise throws AccessDeniedException for
 * the first that is not. Step Functions requires iam:PassRole on the role
 * CreateStateMachine and UpdateStateMachine name; it is checked after the
 * action, so a caller denied the action is told about the action.
 */
export async function authorizeCall(access: Access, driver: CloudDriver, call: Call): Promise<void> {
  const action = `states:${call.action}`;
  for (const resource of call.resources) {
    const request = { action, resource, context: contextOf(access.caller, call, resource), resourceTags: () => resourceTags(driver, resource) };
    const decision = await access.authorizer.decide(access.caller, request);
    if (decision !== Decision.Allow) throw accessDenied(access.caller?.arn, request, decision);
  }
  if (call.passedRole !== undefined) {
    const request = { action: 'iam:PassRole', resource: call.passedRole, context: passRoleContext(access.caller, call), resourceTags: async () => undefined };
    const decision = await access.authorizer.decide(access.caller, request);
    if (decision !== Decision.Allow) throw accessDenied(access.caller?.arn, request, decision);
  }
}
