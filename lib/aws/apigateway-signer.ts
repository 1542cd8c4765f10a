/**
 * SigV4 for API Gateway tasks (`apigateway:invoke` with AuthType IAM_ROLE or
 * RESOURCE_POLICY): each request signed for the `execute-api` service in the
 * API's region — with the credentials of the task's role (assumed and
 * cached by lib/aws/role-credentials.ts) for IAM_ROLE, else with the
 * orchestrator's own.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ApiGatewaySigner } from '../service/apigateway-task-runner';
import { NodeSha256 } from './console-proxy';

export interface ApiGatewaySignerOptions {
  /** The orchestrator's own credentials (RESOURCE_POLICY, and IAM_ROLE when no role is known). @default the SDK's default chain */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Credentials of a task's role; the orchestrator's own when it gives none. */
  readonly credentialsFor?: (roleArn: string) => AwsCredentialIdentityProvider | undefined;
}

/** API Gateway checks AWS_IAM signatures made for this service name. */
const SIGNING_NAME = 'execute-api';

/** A signer of API Gateway task requests. */
export function apiGatewaySigner(options: ApiGatewaySignerOptions = {}): ApiGatewaySigner {
  const own = options.credentials ?? defaultCredentials();
  return async (request, identity) => {
    const credentials = (identity.roleArn !== undefined ? options.credentialsFor?.(identity.roleArn) : undefined) ?? own;
    const signer = new SignatureV4({ service: SIGNING_NAME, region: identity.region, credentials, sha256: NodeSha256 });
    const url = new URL(request.url);
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const had = query[k];
      query[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
    }
    const signed = await signer.sign({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...request.headers, host: url.host },
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    // fetch sets Host itself, from the URL the signature covers.
    const { host: _host, ...headers } = signed.headers;
    return headers;
  };
}

/** The SDK's default credential chain, loaded only when a request is signed without credentials given. */
function defaultCredentials(): AwsCredentialIdentityProvider {
  let provider: AwsCredentialIdentityProvider | undefined;
  return () => {
    provider ??= (require('@aws-sdk/credential-provider-node') as typeof import('@aws-sdk/credential-provider-node')).defaultProvider();
    return provider();
  };
}
