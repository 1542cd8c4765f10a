/**
 * Step Functions' API over the cloud driver: the JSON protocol, its actions
 * as a table by name (one file per resource, each action typed by its
 * request and response shapes), and the router both front doors use.
 */
export { routeRequest, type HttpRequest } from './router';
export { handleSfnRequest, requestTooLarge, errorResponse, logInternalError, type ProtocolResponse } from './protocol';
export { actions, isActionName, type ActionName, type ActionTable } from './actions';
export { action, type Action, type ActionHandler } from './action';
export { RequestMembers, type RequestBody } from './members';
