/**
 * EventBridge connections and their Secrets Manager secrets on 127.0.0.1,
 * for the real @aws-sdk/client-eventbridge and
 * @aws-sdk/client-secrets-manager (both speak the JSON protocol: a POST to
 * `/` with `X-Amz-Target: AWSEvents.DescribeConnection` or
 * `secretsmanager.GetSecretValue`). A connection is kept as EventBridge
 * keeps it: DescribeConnection answers its state, authorization type and
 * parameters without their secret values, and names the secret
 * (`events!connection/<name>/…`) whose SecretString holds them. Each call's
 * signing key id is recorded, so a test can tell whose credentials read it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A connection as a test defines it: what DescribeConnection shows, and the secret's JSON. */
export interface StandInConnection {
  /** `arn:aws:events:<region>:<account>:connection/<name>/<uuid>`. */
  readonly arn: string;
  readonly authorizationType: 'API_KEY' | 'BASIC' | 'OAUTH_CLIENT_CREDENTIALS';
  /** DescribeConnection's AuthParameters (no secret values). */
  readonly described: Record<string, unknown>;
  /** The secret's JSON, as EventBridge writes it. */
  readonly secret: Record<string, unknown>;
  /** @default 'AUTHORIZED' */
  readonly state?: string;
}

export interface ConnectionsEndpoint {
  url: string;
  /** Every call: its target and the access key id it was signed with. */
  readonly calls: { target: string; keyId: string }[];
  close(): Promise<void>;
}

const CONNECTION = /^arn:(aws[a-z-]*):events:([a-z0-9-]+):(\d{12}):connection\/([^/]+)\/([^/]+)$/;

/** The secret EventBridge keeps a connection's credentials in. */
export function secretArnOf(connectionArn: string): string {
  const [, partition, region, account, name] = CONNECTION.exec(connectionArn) ?? [];
  return `arn:${partition}:secretsmanager:${region}:${account}:secret:events!connection/${name}/0000-standin`;
}

export async function startConnectionsEndpoint(connections: readonly StandInConnection[]): Promise<ConnectionsEndpoint> {
  const calls: ConnectionsEndpoint['calls'] = [];
  const byName = new Map(connections.map((c) => [CONNECTION.exec(c.arn)?.[4] ?? '', c]));
  const bySecret = new Map(connections.map((c) => [secretArnOf(c.arn), c]));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      calls.push({ target, keyId: /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '' });
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Name?: string; SecretId?: string };
      const answer = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `standin-${calls.length}` });
        res.end(JSON.stringify(body));
      };
      if (target === 'AWSEvents.DescribeConnection') {
        const c = byName.get(input.Name ?? '');
        if (!c) return answer(400, { __type: 'ResourceNotFoundException', message: `Failed to describe the connection(s). Connection '${input.Name}' does not exist.` });
        return answer(200, { ConnectionArn: c.arn, Name: input.Name, ConnectionState: c.state ?? 'AUTHORIZED', AuthorizationType: c.authorizationType, SecretArn: secretArnOf(c.arn), AuthParameters: c.described });
      }
      if (target === 'secretsmanager.GetSecretValue') {
        const c = bySecret.get(input.SecretId ?? '');
        if (!c) return answer(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
        return answer(200, { ARN: input.SecretId, Name: (input.SecretId ?? '').split(':secret:')[1], SecretString: JSON.stringify(c.secret), VersionId: 'v1' });
      }
      return answer(400, { __type: 'UnknownOperationException', message: `${target} is not served` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
