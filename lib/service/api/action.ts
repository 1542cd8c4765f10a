/** What one action of the API is: a function from its request's members to its response. */
import type { CloudDriver } from '../driver';
import { RequestMembers, type RequestBody } from './members';

/** Serves one action: reads the request by its input shape `I`, answers with its output shape `O`, throws a ServiceError. */
export type ActionHandler<I, O> = (request: RequestMembers<I>, driver: CloudDriver) => Promise<O>;

/** One entry of the action table: input shape `I`, output shape `O`. */
export interface Action<I, O> {
  /** Serves one request body (checked as the handler reads it); resolves to the response body, or rejects with a ServiceError. */
  serve(body: RequestBody<I>, driver: CloudDriver): Promise<O>;
}

/** The table entry for `handler`. */
export function action<I, O>(handler: ActionHandler<I, O>): Action<I, O> {
  return { serve: (body, driver) => handler(new RequestMembers<I>(body), driver) };
}
