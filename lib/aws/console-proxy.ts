/**
 * The console's way to a deployed Yard (`switchyard console --endpoint URL`):
 * each Step Functions API call the browser makes is sent on to the front
 * door signed with SigV4 and the user's own credentials, so the browser
 * holds no credentials and nothing new listens on the internet.
 *
 * Only `AWSStepFunctions.<Action>` calls of actions the service serves pass;
 * anything else is refused here, before a request is signed.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';
import { ServiceErrorName } from '../engine/service-errors';
import { errorResponse, isActionName, type ProtocolResponse } from '../service/api';

/** API Gateway checks AWS_IAM signatures made for this service name (docs/DEPLOY.md). */
export const FRONT_DOOR_SIGNING_NAME = 'execute-api';

export interface ConsoleProxyOptions {
  /** The front door, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/v1/`. */
  endpoint: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** @default FRONT_DOOR_SIGNING_NAME */
  signingName?: string;
  /** How long one call may take before the console is told the front door is slow. @default 30 s */
  timeoutMs?: number;
}

/** Forwards one API call: its X-Amz-Target and JSON body; never throws. */
export type ConsoleForwarder = (target: string | undefined, body: string) => Promise<ProtocolResponse>;

/** SHA-256 (or HMAC-SHA-256 with a secret) from node:crypto, as SignatureV4 wants it. */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array | string): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The region in an API Gateway or Step Functions host name (`….execute-api.<region>.amazonaws.com`), if there is one. */
export function regionOfEndpoint(endpoint: string): string | undefined {
  return /\.(?:execute-api|states)\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(endpoint).hostname)?.[1];
}

/**
 * The user's own credentials by the standard chain (environment, SSO,
 * shared config and credentials files with `profile`, process, IMDS/ECS),
 * read when the first call is signed and refreshed as they expire.
 */
export function userCredentials(profile?: string): AwsCredentialIdentityProvider {
  return defaultProvider(profile === undefined ? {} : { profile });
}

/** A forwarder to `options.endpoint`. */
export function createConsoleForwarder(options: ConsoleProxyOptions): ConsoleForwarder {
  const url = new URL(options.endpoint);
  const signer = new SignatureV4({ service: options.signingName ?? FRONT_DOOR_SIGNING_NAME, region: options.region, credentials: options.credentials, sha256: NodeSha256 });
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (target, body) => {
    const action = /^AWSStepFunctions\.([A-Za-z]+)$/.exec(target ?? '')?.[1];
    if (action === undefined || !isActionName(action)) return errorResponse(400, ServiceErrorName.UnknownOperationException, `The console forwards Step Functions API actions only, not '${target ?? ''}'`);
    const request = {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${action}` },
      body,
    };
    let headers: Record<string, string>;
    try {
      headers = (await signer.sign(request)).headers;
    } catch (err) {
      return errorResponse(403, ServiceErrorName.AccessDeniedException, `Could not sign ${action} with your AWS credentials: ${(err as Error).message}`);
    }
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      return { statusCode: response.status, headers: { 'Content-Type': response.headers.get('content-type') ?? 'application/x-amz-json-1.0' }, body: await response.text() };
    } catch (err) {
      const slow = (err as Error).name === 'TimeoutError';
      const why = slow ? `did not answer within ${timeoutMs / 1000} s` : `could not be reached (${causeOf(err)})`;
      return errorResponse(502, ServiceErrorName.InternalServerError, `The front door ${url.origin}${url.pathname} ${why}.`);
    }
  };
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
