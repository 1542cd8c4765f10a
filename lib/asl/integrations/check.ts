/**
 * Definition-time check of an integration resource: Step Functions refuses
 * a service or action it does not integrate, and a pattern the integration
 * does not support (`sns:publish.sync`), when the state machine is created.
 */
import type { JsonValue } from '../json';
import { checkApiGatewayParameters, type ParameterProblem } from './apigateway';
import { AWS_SDK_PATTERNS, OPTIMIZED_INTEGRATIONS, optimizedAction } from './optimized';
import { isMalformed, parseServiceResource, patternSuffix } from './resource';

/** Why the resource is refused, or undefined when it is not an integration or is one Step Functions offers. */
export function checkServiceResource(resource: string): string | undefined {
  const parsed = parseServiceResource(resource);
  if (parsed === undefined) return undefined;
  const refused = `The resource provided ${resource} is not recognized.`;
  if (isMalformed(parsed)) return `${refused} ${parsed.malformed}`;
  if (!/^[a-z]/.test(parsed.action)) return `${refused} The action '${parsed.action}' must be written in camelCase.`;
  const suffix = patternSuffix(parsed.pattern);
  if (parsed.kind === 'aws-sdk') {
    if (!AWS_SDK_PATTERNS.includes(parsed.pattern)) return `${refused} AWS SDK integrations do not support the '${suffix}' pattern.`;
    return undefined;
  }
  const known = optimizedAction(parsed.service, parsed.action);
  if (known === undefined) {
    const service = Object.prototype.hasOwnProperty.call(OPTIMIZED_INTEGRATIONS, parsed.service) ? OPTIMIZED_INTEGRATIONS[parsed.service] : undefined;
    if (service === undefined) return `${refused} '${parsed.service}' is not an optimized integration; call its API with arn:aws:states:::aws-sdk:${parsed.service}:${parsed.action}.`;
    return `${refused} The optimized ${parsed.service} integration has the actions ${Object.keys(service.actions).join(', ')}; call others with arn:aws:states:::aws-sdk:${parsed.service}:${parsed.action}.`;
  }
  if (!known.action.patterns.includes(parsed.pattern)) {
    const supported = known.action.patterns.map((p) => patternSuffix(p) || '(request-response)').join(', ');
    return `${refused} ${parsed.service}:${parsed.action} does not support the '${suffix}' pattern; it supports ${supported}.`;
  }
  return undefined;
}

/** Parameter checks of integrations whose parameters Step Functions validates when the state machine is created, by `<service>:<action>`. */
const PARAMETER_CHECKS: Readonly<Record<string, (parameters: JsonValue | undefined) => ParameterProblem[]>> = {
  'apigateway:invoke': checkApiGatewayParameters,
};

/** The problems of an integration task's static parameters (none for a resource whose parameters are not checked here). */
export function checkServiceParameters(resource: string, parameters: JsonValue | undefined): ParameterProblem[] {
  const parsed = parseServiceResource(resource);
  if (parsed === undefined || isMalformed(parsed) || parsed.kind !== 'optimized') return [];
  const check = PARAMETER_CHECKS[`${parsed.service}:${parsed.action}`];
  return check === undefined ? [] : check(parameters);
}
