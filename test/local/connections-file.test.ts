/** The connections file: each ConnectionArn's connection checked, every problem listed with its ARN. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectionsFileError, loadConnectionsFile, parseConnections } from '../../lib/local/connections-file';

const ARN = 'arn:aws:events:us-east-1:123456789012:connection/keyed/1';

it('gives each ConnectionArn its connection, and none for an ARN it does not hold', async () => {
  const connection = { authorizationType: 'BASIC', authParameters: { BasicAuthParameters: { Username: 'ada', Password: 'pw' } } };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-connections-'));
  const file = path.join(dir, 'connections.json');
  fs.writeFileSync(file, JSON.stringify({ [ARN]: connection }));
  const source = loadConnectionsFile(file);
  expect(await source.connection(ARN)).toEqual(connection);
  expect(await source.connection(`${ARN}x`)).toBeUndefined();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('lists every invalid connection with its ARN and what is wrong', () => {
  const bad = () =>
    parseConnections(
      {
        a: { authorizationType: 'TOKEN', authParameters: {} },
        b: { authorizationType: 'API_KEY', authParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } } },
        c: { authorizationType: 'OAUTH_CLIENT_CREDENTIALS', authParameters: { OAuthParameters: { AuthorizationEndpoint: 'https://id.example.com/token', HttpMethod: 'POST' } } },
      },
      'connections.json',
    );
  expect(bad).toThrow(ConnectionsFileError);
  expect(bad).toThrow(
    [
      'connections.json has invalid connections:',
      '  a: authorizationType must be one of API_KEY, BASIC, OAUTH_CLIENT_CREDENTIALS, got "TOKEN"',
      '  b: authParameters.ApiKeyAuthParameters must have the strings ApiKeyValue',
      '  c: authParameters.OAuthParameters.ClientParameters must have the strings ClientID, ClientSecret',
    ].join('\n'),
  );
  expect(() => loadConnectionsFile('/nonexistent/connections.json')).toThrow(/^Cannot read the connections file \/nonexistent\/connections\.json: ENOENT/);
});
