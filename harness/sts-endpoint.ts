/**
 * A small STS AssumeRole endpoint on 127.0.0.1 for the real
 * @aws-sdk/client-sts (the query protocol: a form-encoded POST, an XML
 * answer). Each call hands out new keys (`ASIASTANDIN0001`, …) expiring
 * `durationSeconds` after the stand-in's clock, and remembers which role
 * and session each key belongs to, so a service stand-in can tell who
 * signed a request. A role in `untrusted` is refused as STS refuses it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Whose a key handed out is. */
export interface IssuedKey {
  readonly roleArn: string;
  readonly sessionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<role name>/<session>`, as STS names the session. */
  readonly assumedRoleArn: string;
}

export interface StsEndpoint {
  url: string;
  /** Every AssumeRole call, in order: the role and session asked for. */
  readonly calls: { roleArn: string; sessionName: string; durationSeconds: number }[];
  /** The keys handed out, by access key id. */
  readonly keys: Map<string, IssuedKey>;
  close(): Promise<void>;
}

export interface StsEndpointOptions {
  /** The stand-in's clock (milliseconds since the epoch); expirations count from it. @default Date.now */
  now?: () => number;
  /** Roles whose AssumeRole is refused (AccessDenied, 403). */
  untrusted?: ReadonlySet<string>;
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startStsEndpoint(options: StsEndpointOptions = {}): Promise<StsEndpoint> {
  const now = options.now ?? Date.now;
  const calls: StsEndpoint['calls'] = [];
  const keys = new Map<string, IssuedKey>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const requestId = `sts-${calls.length + 1}`;
      const roleArn = form.get('RoleArn') ?? '';
      const sessionName = form.get('RoleSessionName') ?? '';
      const durationSeconds = Number(form.get('DurationSeconds') ?? 3600);
      if (form.get('Action') !== 'AssumeRole') {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Only AssumeRole is served</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
        return;
      }
      calls.push({ roleArn, sessionName, durationSeconds });
      const account = roleArn.split(':')[4] ?? '123456789012';
      if (options.untrusted?.has(roleArn)) {
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::${account}:user/caller is not authorized to perform: sts:AssumeRole on resource: ${xml(roleArn)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
        return;
      }
      const accessKeyId = `ASIASTANDIN${String(calls.length).padStart(4, '0')}`;
      const assumedRoleArn = `arn:aws:sts::${account}:assumed-role/${roleArn.split('/').pop() ?? ''}/${sessionName}`;
      keys.set(accessKeyId, { roleArn, sessionName, assumedRoleArn });
      const expiration = new Date(now() + durationSeconds * 1000).toISOString();
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
          `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>secret-${accessKeyId}</SecretAccessKey><SessionToken>token-${accessKeyId}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
          `<AssumedRoleUser><Arn>${xml(assumedRoleArn)}</Arn><AssumedRoleId>AROASTANDIN:${xml(sessionName)}</AssumedRoleId></AssumedRoleUser>` +
          `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls, keys, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
