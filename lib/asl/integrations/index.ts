/** Service integrations as the language sees them: the Resource grammar, the optimized integrations table and the grants each needs. */
export { IntegrationPattern, parseServiceResource, isMalformed, patternSuffix, type ServiceResource, type MalformedResource } from './resource';
export { OPTIMIZED_INTEGRATIONS, AWS_SDK_PATTERNS, IntegrationRunner, optimizedAction, type OptimizedAction, type OptimizedService } from './optimized';
export { checkServiceParameters, checkServiceResource } from './check';
export { API_GATEWAY_AUTH_TYPES, API_GATEWAY_METHODS, type ApiGatewayAuthType, type ParameterProblem } from './apigateway';
export { type GrantArn, type IntegrationGrant } from './grant-arns';
export { definitionGrants, taskGrants, type GrantResource, type TaskGrant } from './grants';
