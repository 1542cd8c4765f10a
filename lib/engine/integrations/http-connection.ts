/**
 * An EventBridge connection as an HTTP Task uses it: "A connection defines
 * the authorization method and credentials to use in connecting to a given
 * API." The shapes are EventBridge's CreateConnection `AuthParameters`, with
 * the secret values present (as EventBridge keeps them in Secrets Manager).
 */

/** The authorization methods a connection has. */
export const ConnectionAuthorization = {
  ApiKey: 'API_KEY',
  Basic: 'BASIC',
  OAuthClientCredentials: 'OAUTH_CLIENT_CREDENTIALS',
} as const;
export type ConnectionAuthorization = (typeof ConnectionAuthorization)[keyof typeof ConnectionAuthorization];

/** One header, query string or body parameter a connection adds to every request. */
export interface ConnectionParameter {
  readonly Key: string;
  readonly Value: string;
}

/** Parameters a connection adds to each request (or to its OAuth token request). */
export interface ConnectionHttpParameters {
  readonly HeaderParameters?: readonly ConnectionParameter[];
  readonly QueryStringParameters?: readonly ConnectionParameter[];
  readonly BodyParameters?: readonly ConnectionParameter[];
}

export interface ConnectionAuthParameters {
  readonly ApiKeyAuthParameters?: { readonly ApiKeyName: string; readonly ApiKeyValue: string };
  readonly BasicAuthParameters?: { readonly Username: string; readonly Password: string };
  readonly OAuthParameters?: {
    readonly AuthorizationEndpoint: string;
    readonly HttpMethod: string;
    readonly ClientParameters: { readonly ClientID: string; readonly ClientSecret: string };
    readonly OAuthHttpParameters?: ConnectionHttpParameters;
  };
  readonly InvocationHttpParameters?: ConnectionHttpParameters;
}

/** A connection with its credentials. */
export interface HttpConnection {
  readonly authorizationType: ConnectionAuthorization;
  readonly authParameters: ConnectionAuthParameters;
}

/** Where an HTTP Task's runner finds the connection a ConnectionArn names (a file locally, EventBridge and Secrets Manager in the cloud). */
export interface ConnectionSource {
  /** The connection, or undefined when there is none by that ARN; `roleArn` is the role to read it with. */
  connection(connectionArn: string, roleArn?: string): Promise<HttpConnection | undefined>;
}

/**
 * A connection that exists but cannot be used, named as Step Functions names
 * it (`Events.ConnectionResource.InvalidConnectionState`, `…AccessDenied`).
 */
export class ConnectionUnusableError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionUnusableError';
  }
}

/** Why `value` is not a connection (a message naming the field), or undefined when it is one. */
export function connectionProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be an object with authorizationType and authParameters';
  const { authorizationType, authParameters } = value as { authorizationType?: unknown; authParameters?: unknown };
  const types: readonly unknown[] = Object.values(ConnectionAuthorization);
  if (!types.includes(authorizationType)) return `authorizationType must be one of ${types.join(', ')}, got ${JSON.stringify(authorizationType)}`;
  if (authParameters === null || typeof authParameters !== 'object') return 'authParameters must be an object';
  const p = authParameters as Record<string, Record<string, unknown> | undefined>;
  const needs = (field: string, keys: readonly string[]): string | undefined => {
    const o = p[field];
    const missing = keys.filter((k) => typeof o?.[k] !== 'string');
    return missing.length > 0 ? `authParameters.${field} must have the strings ${missing.join(', ')}` : undefined;
  };
  if (authorizationType === ConnectionAuthorization.ApiKey) return needs('ApiKeyAuthParameters', ['ApiKeyName', 'ApiKeyValue']);
  if (authorizationType === ConnectionAuthorization.Basic) return needs('BasicAuthParameters', ['Username', 'Password']);
  const oauth = needs('OAuthParameters', ['AuthorizationEndpoint', 'HttpMethod']);
  if (oauth) return oauth;
  const client = p.OAuthParameters?.ClientParameters as Record<string, unknown> | undefined;
  if (typeof client?.ClientID !== 'string' || typeof client.ClientSecret !== 'string') return 'authParameters.OAuthParameters.ClientParameters must have the strings ClientID, ClientSecret';
  return undefined;
}
