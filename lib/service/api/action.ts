/** What one action of the API is: the resources it is authorized on, and a function from its request's members to its response. */
import type { CloudDriver } from '../driver';
import { RequestMembers, tagList, type RequestBody } from './members';

/** What a request carries besides its body: the region its caller signed it for (SigV4's credential scope), when it names one. */
export interface CallContext {
  /** The region of the request's signing scope; undefined for an unsigned request (the driver's region is used). */
  readonly region?: string;
}

/** Serves one action: reads the request by its input shape `I`, answers with its output shape `O`, throws a ServiceError. */
export type ActionHandler<I, O> = (request: RequestMembers<I>, driver: CloudDriver, call: CallContext) => Promise<O>;

/** What an action's resource ARNs are built from: the caller's region (or the deployment's) and account, and the execution a task token belongs to. */
export interface ResourcePlace {
  stateMachineArn(name: string): string;
  activityArn(name: string): string;
  /** The execution of an authentic task token; undefined for anything else. */
  tokenExecutionArn(taskToken: string): string | undefined;
}

/** `*`: the resource of an action Step Functions authorizes on no resource ARN. */
export const ANY_RESOURCE = '*';

/**
 * SendTask* are authorized on the state machine whose execution issued the
 * token (AWS's AccessDeniedException for them names the state machine); a
 * token that is not this deployment's names no resource, and the action
 * answers InvalidToken once authorized.
 */
export function tokenResource(taskToken: string, place: ResourcePlace): string {
  const executionArn = place.tokenExecutionArn(taskToken);
  if (executionArn === undefined) return ANY_RESOURCE;
  const parts = executionArn.split(':'); // arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME
  return [...parts.slice(0, 5), 'stateMachine', parts[6]].join(':');
}

/**
 * How Step Functions authorizes an action (its service authorization
 * reference): the IAM action is `states:<Action>`; these are the resource
 * ARNs it is checked on, read from the request as the handler reads them.
 */
export interface ActionAuthorization<I> {
  /** The resource ARNs the action is authorized on (`[ANY_RESOURCE]` for none). */
  readonly resources: (request: RequestMembers<I>, place: ResourcePlace) => readonly string[];
  /** The member whose tags are the request's `aws:RequestTag/…` and `aws:TagKeys` (`tags`: a tag list; `tagKeys`: a list of keys). */
  readonly requestTags?: 'tags' | 'tagKeys';
  /**
   * The member naming a role the action hands to the state machine
   * (`roleArn`): the caller must also be allowed `iam:PassRole` on it, as
   * Step Functions requires of CreateStateMachine and UpdateStateMachine.
   */
  readonly passesRole?: 'roleArn';
}

/** The tags a request carries for `aws:RequestTag/…` and `aws:TagKeys`: a tag map, or (UntagResource) only keys. */
export type RequestTags = Readonly<Record<string, string>> | readonly string[];

/** What one request asks to be authorized for: its resource ARNs and the tags it carries. */
export interface AuthorizedCall {
  readonly resources: readonly string[];
  readonly requestTags?: RequestTags;
  /** The role the request passes to the state machine, authorized as `iam:PassRole` on it. */
  readonly passedRole?: string;
}

/** One entry of the action table: input shape `I`, output shape `O`. */
export interface Action<I, O> {
  /** What a request body asks to be authorized for (its members checked as the handler checks them). */
  authorizes(body: RequestBody<I>, place: ResourcePlace): AuthorizedCall;
  /** Serves one request body (checked as the handler reads it); resolves to the response body, or rejects with a ServiceError. */
  serve(body: RequestBody<I>, driver: CloudDriver, call?: CallContext): Promise<O>;
}

/** The request's tags, read from the member `kind` names; undefined when it sends none. */
function requestTagsOf(request: RequestMembers<unknown>, kind: ActionAuthorization<unknown>['requestTags']): RequestTags | undefined {
  if (kind === 'tags') return tagList(request.raw('tags' as never));
  const keys = kind === 'tagKeys' ? request.raw('tagKeys' as never) : undefined;
  return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? (keys as string[]) : undefined;
}

/** The table entry for `handler`, authorized as `authorization` says (required: an action cannot be added without it). */
export function action<I, O>(authorization: ActionAuthorization<I>, handler: ActionHandler<I, O>): Action<I, O> {
  return {
    authorizes(body, place) {
      const request = new RequestMembers<I>(body);
      const resources = authorization.resources(request, place);
      const requestTags = requestTagsOf(request as RequestMembers<unknown>, authorization.requestTags);
      // (a roleArn that is not a string passes nothing: the handler refuses it as a validation error)
      const role = authorization.passesRole ? request.raw(authorization.passesRole as keyof I & string) : undefined;
      return { resources, ...(requestTags !== undefined ? { requestTags } : {}), ...(typeof role === 'string' ? { passedRole: role } : {}) };
    },
    serve: (body, driver, call = {}) => handler(new RequestMembers<I>(body), driver, call),
  };
}

/** The resource place of one call: names resources in the call's region (the driver's when it names none). */
export function placeOf(driver: CloudDriver, call: CallContext): ResourcePlace {
  return {
    stateMachineArn: (name) => driver.stateMachineArn(name, call.region),
    activityArn: (name) => driver.activityArn(name, call.region),
    tokenExecutionArn: (token) => driver.tokenExecutionArn(token),
  };
}
