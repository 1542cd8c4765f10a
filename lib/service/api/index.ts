/**
 * Step Functions' API over the cloud driver: the JSON protocol, its actions
 * as a table by name (one file per resource, each action typed by its
 * request and response shapes), and the router both front doors use.
 */
export { routeRequest, type HttpRequest } from './router';
export { handleSfnRequest, requestTooLarge, errorResponse, logInternalError, type ProtocolResponse } from './protocol';
export { actions, isActionName, type ActionName, type ActionTable } from './actions';
export { action, ANY_RESOURCE, type Action, type ActionHandler, type ActionAuthorization, type ResourcePlace } from './action';
export * from './authorization';
export { RequestMembers, type RequestBody } from './members';
