/**
 * A stand-in for a deployed Yard's front door, for the console proxy's
 * tests: it checks each request's SigV4 signature as API Gateway's AWS_IAM
 * authorization would (recomputed with SignatureV4 and the one known
 * credential) and passes a good request on to `upstream` (a local
 * `switchyard serve`); a bad one gets 403.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { NodeSha256 } from '../lib/aws/console-proxy';

export interface SignedFrontDoor {
  /** Where it listens, with the stage path: `http://127.0.0.1:PORT/v1/`. */
  readonly url: string;
  /** Each request as it came: path, target, whether its signature held. */
  readonly requests: { path: string; target?: string; signed: boolean }[];
  close(): Promise<void>;
}

/** `YYYYMMDDTHHMMSSZ` as a Date. */
function amzDate(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new Error(`bad x-amz-date '${text}'`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/** Whether `headers` carry a valid signature of this request for `service`/`region` by `credentials`. */
export async function signatureHolds(options: { method: string; path: string; headers: IncomingHttpHeaders; body: string; credentials: AwsCredentialIdentity; region: string; service: string }): Promise<boolean> {
  const authorization = options.headers.authorization;
  const date = options.headers['x-amz-date'];
  if (typeof authorization !== 'string' || typeof date !== 'string') return false;
  const signed = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = options.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const [path, search = ''] = options.path.split('?');
  const query = Object.fromEntries(new URLSearchParams(search));
  const signer = new SignatureV4({ service: options.service, region: options.region, credentials: options.credentials, sha256: NodeSha256 });
  const again = await signer.sign({ method: options.method, protocol: 'http:', hostname: String(options.headers.host), path, query, headers, body: options.body }, { signingDate: amzDate(date) });
  return again.headers.authorization === authorization;
}

/** Starts the front door. */
export async function startSignedFrontDoor(options: { upstream: string; credentials: AwsCredentialIdentity; region: string; service?: string; stage?: string }): Promise<SignedFrontDoor> {
  const stage = `/${options.stage ?? 'v1'}/`;
  const requests: SignedFrontDoor['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined;
      void (async () => {
        const signed = await signatureHolds({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, credentials: options.credentials, region: options.region, service: options.service ?? 'execute-api' });
        requests.push({ path: req.url ?? '/', signed, ...(target ? { target } : {}) });
        if (!signed || req.url !== stage) {
          res.writeHead(403, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ message: signed ? `No route ${req.url}` : 'The request signature we calculated does not match the signature you provided.' }));
          return;
        }
        const answer = await fetch(`${options.upstream}/`, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target ?? '' }, body });
        res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(await answer.text());
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${stage}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
