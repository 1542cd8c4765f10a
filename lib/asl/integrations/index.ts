/** Service integrations as the language sees them: the Resource grammar and the optimized integrations table. */
export { IntegrationPattern, parseServiceResource, isMalformed, patternSuffix, type ServiceResource, type MalformedResource } from './resource';
export { OPTIMIZED_INTEGRATIONS, AWS_SDK_PATTERNS, IntegrationRunner, optimizedAction, type OptimizedAction, type OptimizedService } from './optimized';
export { checkServiceResource } from './check';
