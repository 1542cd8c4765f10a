/** HTTP Task connections in the cloud: DescribeConnection's parameters, their secret values from the connection's secret, read with the task's role. */
import { SdkClients, type ClientModule } from '../../../lib/aws/integrations/clients';
import { eventBridgeConnections } from '../../../lib/aws/integrations/connections';
import { ConnectionUnusableError } from '../../../lib/engine/integrations/http-connection';

const ARN = 'arn:aws:events:us-east-1:123456789012:connection/stripe/0bd5cd33-aaaa-bbbb-cccc-000000000000';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/stripe/2f54acf8-owp1Jv';

function fake(described: Record<string, unknown>, secret: Record<string, unknown>) {
  const calls: { client: string; credentials: unknown; input: unknown }[] = [];
  const command = class {
    constructor(readonly input: unknown) {}
  };
  const client = (name: string, answer: unknown) =>
    class {
      readonly config = {};
      constructor(private readonly options: { credentials?: unknown }) {}
      async send(cmd: { input: unknown }) {
        calls.push({ client: name, credentials: this.options.credentials, input: cmd.input });
        return answer;
      }
      destroy() {}
    };
  const modules: Record<string, ClientModule> = {
    '@aws-sdk/client-eventbridge': { EventBridgeClient: client('eventbridge', described), DescribeConnectionCommand: command },
    '@aws-sdk/client-secrets-manager': { SecretsManagerClient: client('secrets-manager', { SecretString: JSON.stringify(secret) }), GetSecretValueCommand: command },
  };
  const role = { role: 'credentials of the role' };
  const clients = new SdkClients({ region: 'us-east-1', load: (name) => modules[name]!, credentialsFor: () => role as never });
  return { source: eventBridgeConnections(clients), calls, role };
}

it('fills the described parameters with the secret’s values, reading both with the role', async () => {
  const { source, calls, role } = fake(
    {
      ConnectionState: 'AUTHORIZED',
      AuthorizationType: 'API_KEY',
      SecretArn: SECRET,
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-tenant', Value: 'acme', IsValueSecret: false }, { Key: 'x-sig', IsValueSecret: true }] } },
    },
    { api_key_name: 'x-api-key', api_key_value: 'k-123', invocation_http_parameters: { header_parameters: [{ key: 'x-sig', value: 'hidden', is_value_secret: true }] } },
  );
  expect(await source.connection(ARN, 'arn:aws:iam::123456789012:role/orders')).toEqual({
    authorizationType: 'API_KEY',
    authParameters: {
      ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k-123' },
      InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-tenant', Value: 'acme' }, { Key: 'x-sig', Value: 'hidden' }], QueryStringParameters: [], BodyParameters: [] },
    },
  });
  expect(calls).toEqual([
    { client: 'eventbridge', credentials: role, input: { Name: 'stripe' } },
    { client: 'secrets-manager', credentials: role, input: { SecretId: SECRET } },
  ]);
});

it('refuses a connection that is not AUTHORIZED as Events.ConnectionResource.InvalidConnectionState', async () => {
  const { source } = fake({ ConnectionState: 'DEAUTHORIZED', StateReason: 'The client secret was revoked', AuthorizationType: 'BASIC', SecretArn: SECRET }, {});
  const refused = source.connection(ARN);
  await expect(refused).rejects.toThrow(ConnectionUnusableError);
  await expect(refused).rejects.toMatchObject({ error: 'Events.ConnectionResource.InvalidConnectionState', message: `The connection ${ARN} is DEAUTHORIZED: The client secret was revoked.` });
});
