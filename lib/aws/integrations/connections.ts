/**
 * HTTP Task connections in the cloud: EventBridge's own. DescribeConnection
 * gives the connection's state, authorization type and its parameters
 * without their secret values; the secret values are in the Secrets Manager
 * secret EventBridge keeps for it (`events!connection/<name>/…`, its
 * SecretArn), read with the state machine's role — which the construct
 * grants exactly those two calls on the connection a definition names.
 */
import { ConnectionUnusableError, type ConnectionAuthParameters, type ConnectionHttpParameters, type ConnectionParameter, type ConnectionSource, type HttpConnection } from '../../engine/integrations/http-connection';
import type { SdkClients } from './clients';

/** DescribeConnection's answer, as far as it is read. */
interface Described {
  ConnectionState?: string;
  StateReason?: string;
  AuthorizationType?: HttpConnection['authorizationType'];
  SecretArn?: string;
  AuthParameters?: {
    ApiKeyAuthParameters?: { ApiKeyName?: string };
    BasicAuthParameters?: { Username?: string };
    OAuthParameters?: { AuthorizationEndpoint?: string; HttpMethod?: string; ClientParameters?: { ClientID?: string }; OAuthHttpParameters?: DescribedHttp };
    InvocationHttpParameters?: DescribedHttp;
  };
}
/** Header, query and body parameters as DescribeConnection gives them: a secret one without its value. */
interface DescribedHttp {
  HeaderParameters?: Secretable[];
  QueryStringParameters?: Secretable[];
  BodyParameters?: Secretable[];
}
interface Secretable {
  Key?: string;
  Value?: string;
  IsValueSecret?: boolean;
}
type Secret = Record<string, unknown>;

const CONNECTION = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:connection\/([^/]+)\/[^/]+$/;

/** Connections read from EventBridge and Secrets Manager with the clients (and role credentials) of the SDK runner. */
export function eventBridgeConnections(clients: SdkClients): ConnectionSource {
  return {
    async connection(connectionArn, roleArn) {
      const name = CONNECTION.exec(connectionArn)?.[1];
      if (name === undefined) return undefined;
      const events = clients.module('eventbridge');
      const described = (await clients.client('events', 'eventbridge', roleArn).send(new (events.DescribeConnectionCommand as new (i: unknown) => unknown)({ Name: name }))) as Described;
      if (described.ConnectionState !== undefined && described.ConnectionState !== 'AUTHORIZED') {
        throw new ConnectionUnusableError('Events.ConnectionResource.InvalidConnectionState', `The connection ${connectionArn} is ${described.ConnectionState}${described.StateReason ? `: ${described.StateReason}` : ''}.`);
      }
      if (described.AuthorizationType === undefined || described.SecretArn === undefined) return undefined;
      const secrets = clients.module('secrets-manager');
      const value = (await clients.client('secretsmanager', 'secrets-manager', roleArn).send(new (secrets.GetSecretValueCommand as new (i: unknown) => unknown)({ SecretId: described.SecretArn }))) as { SecretString?: string };
      const secret = JSON.parse(value.SecretString ?? '{}') as Secret;
      return { authorizationType: described.AuthorizationType, authParameters: withSecrets(described.AuthParameters ?? {}, secret) };
    },
  };
}

/** The first string among `keys` of the secret (EventBridge's field names, snake_case or as the API spells them). */
function pick(secret: Secret, ...keys: string[]): string | undefined {
  for (const key of keys) if (typeof secret[key] === 'string') return secret[key] as string;
  return undefined;
}

/** The described parameters with their secret values filled in from the secret. */
export function withSecrets(described: NonNullable<Described['AuthParameters']>, secret: Secret): ConnectionAuthParameters {
  const out: { -readonly [K in keyof ConnectionAuthParameters]: ConnectionAuthParameters[K] } = {};
  if (described.ApiKeyAuthParameters) {
    out.ApiKeyAuthParameters = { ApiKeyName: described.ApiKeyAuthParameters.ApiKeyName ?? pick(secret, 'api_key_name', 'ApiKeyName') ?? '', ApiKeyValue: pick(secret, 'api_key_value', 'ApiKeyValue') ?? '' };
  }
  if (described.BasicAuthParameters) {
    out.BasicAuthParameters = { Username: described.BasicAuthParameters.Username ?? pick(secret, 'username', 'Username') ?? '', Password: pick(secret, 'password', 'Password') ?? '' };
  }
  const oauth = described.OAuthParameters;
  if (oauth) {
    out.OAuthParameters = {
      AuthorizationEndpoint: oauth.AuthorizationEndpoint ?? pick(secret, 'authorization_endpoint', 'AuthorizationEndpoint') ?? '',
      HttpMethod: oauth.HttpMethod ?? pick(secret, 'http_method', 'HttpMethod') ?? 'POST',
      ClientParameters: { ClientID: oauth.ClientParameters?.ClientID ?? pick(secret, 'client_id', 'ClientID') ?? '', ClientSecret: pick(secret, 'client_secret', 'ClientSecret') ?? '' },
      ...(oauth.OAuthHttpParameters ? { OAuthHttpParameters: httpParameters(oauth.OAuthHttpParameters, nested(secret, 'oauth_http_parameters', 'OAuthHttpParameters')) } : {}),
    };
  }
  if (described.InvocationHttpParameters) out.InvocationHttpParameters = httpParameters(described.InvocationHttpParameters, nested(secret, 'invocation_http_parameters', 'InvocationHttpParameters'));
  return out;
}

function nested(secret: Secret, ...keys: string[]): Secret {
  for (const key of keys) if (secret[key] !== null && typeof secret[key] === 'object') return secret[key] as Secret;
  return {};
}

/** Parameters whose value is secret take it from the secret's list of the same kind, by key. */
function httpParameters(described: DescribedHttp, secret: Secret): ConnectionHttpParameters {
  const kind = (list: Secretable[] | undefined, ...keys: string[]): ConnectionParameter[] => {
    const secrets = keys.map((k) => secret[k]).find(Array.isArray) as Record<string, unknown>[] | undefined;
    return (list ?? []).map((p) => {
      const key = p.Key ?? '';
      const hidden = secrets?.find((s) => (s.key ?? s.Key) === key);
      const value = p.IsValueSecret ? ((hidden?.value ?? hidden?.Value) as string | undefined) : p.Value;
      return { Key: key, Value: value ?? '' };
    });
  };
  return {
    HeaderParameters: kind(described.HeaderParameters, 'header_parameters', 'HeaderParameters'),
    QueryStringParameters: kind(described.QueryStringParameters, 'query_string_parameters', 'QueryStringParameters'),
    BodyParameters: kind(described.BodyParameters, 'body_parameters', 'BodyParameters'),
  };
}
