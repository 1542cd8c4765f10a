/**
 * A stand-in for an `@aws-sdk/client-<service>` package that is not
 * installed (ECS, Batch, Glue): a client class whose `send` sends each
 * command's input to an endpoint in the service's own protocol — JSON 1.1
 * (`POST /` with `X-Amz-Target: <prefix>.<Action>`: ECS, Glue) or AWS
 * Batch's REST-JSON (`POST /v1/<action in lowercase>`) — SigV4-signed for
 * the service's signing name when the client has credentials, and answers as
 * the SDK does: the output, or an error named by the response's `__type`
 * (JSON 1.1) or `x-amzn-errortype` header (REST-JSON) with its `$metadata`.
 * It knows nothing of the service's model but the timestamp members it is
 * told of, which it makes Dates from the wire's epoch seconds, as the real
 * client does.
 * Tests load it where the runner would require the real package
 * (`jest.mock(…, { virtual: true })` or the runner's `load` option).
 * Commands are made for any `<Action>Command` asked for.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { NodeSha256 } from '../lib/aws/console-proxy';

/** An error the service answered with, as the SDK throws it. */
class ServiceException extends Error {
  constructor(
    name: string,
    message: string,
    readonly $metadata: { httpStatusCode: number; requestId?: string },
  ) {
    super(message);
    this.name = name;
  }
}

interface Command {
  readonly action: string;
  readonly input: unknown;
  readonly middlewareStack: { add(): void };
}

/** How the service's requests are sent. */
type Protocol = { readonly kind: 'json'; readonly targetPrefix: string } | { readonly kind: 'rest-json' };

interface ClientConfig {
  endpoint?: string;
  region?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** The request for one command, as the protocol lays it out. */
function requestOf(protocol: Protocol, endpoint: string, command: Command): { url: URL; headers: Record<string, string>; body: string } {
  const body = JSON.stringify(command.input ?? {});
  if (protocol.kind === 'json') {
    return { url: new URL(endpoint), headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${protocol.targetPrefix}.${command.action}` }, body };
  }
  return { url: new URL(`/v1/${command.action.toLowerCase()}`, endpoint), headers: { 'content-type': 'application/json' }, body };
}

/** The service's model, as far as the stand-in knows it. */
export interface ClientPackageOptions {
  /** The SigV4 service name. @default serviceId in lowercase */
  readonly signingName?: string;
  /** Members of the service's outputs that are timestamps (epoch seconds on the wire, Dates from the client), e.g. Glue's `StartedOn`. @default none */
  readonly timestamps?: readonly string[];
}

/** The output with every member named in `timestamps` made a Date, at any depth. */
function withDates(value: unknown, timestamps: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withDates(v, timestamps));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, timestamps.has(k) && typeof v === 'number' ? new Date(Math.round(v * 1000)) : withDates(v, timestamps)]));
}

function packageOf(clientName: string, serviceId: string, protocol: Protocol, options: ClientPackageOptions): Record<string, unknown> {
  const signingName = options.signingName ?? serviceId.toLowerCase();
  const timestamps = new Set(options.timestamps ?? []);
  class Client {
    readonly config: { serviceId: string };
    private readonly endpoint: string;
    private readonly signer: SignatureV4 | undefined;
    constructor(options: ClientConfig) {
      if (options.endpoint === undefined) throw new Error(`The ${serviceId} stand-in client needs an endpoint.`);
      this.endpoint = options.endpoint;
      this.config = { serviceId };
      this.signer = options.credentials !== undefined ? new SignatureV4({ service: signingName, region: options.region ?? 'us-east-1', credentials: options.credentials, sha256: NodeSha256 }) : undefined;
    }
    async send(command: Command): Promise<unknown> {
      const request = requestOf(protocol, this.endpoint, command);
      let headers = request.headers;
      if (this.signer) {
        const signed = await this.signer.sign({ method: 'POST', protocol: request.url.protocol, hostname: request.url.hostname, ...(request.url.port !== '' ? { port: Number(request.url.port) } : {}), path: request.url.pathname, query: {}, headers: { ...headers, host: request.url.host }, body: request.body });
        const { host: _host, ...rest } = signed.headers;
        headers = rest;
      }
      const response = await fetch(request.url, { method: 'POST', headers, body: request.body });
      const text = await response.text();
      const body = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
      const $metadata = { httpStatusCode: response.status, requestId: response.headers.get('x-amzn-requestid') ?? undefined };
      if (response.status >= 400) {
        const type = protocol.kind === 'json' ? body.__type : response.headers.get('x-amzn-errortype')?.split(':')[0];
        throw new ServiceException(String(type ?? 'UnknownError'), String(body.message ?? body.Message ?? ''), $metadata);
      }
      return { $metadata, ...(withDates(body, timestamps) as object) };
    }
    destroy(): void {}
  }
  return new Proxy({ [clientName]: Client } as Record<string, unknown>, {
    get(target, key) {
      if (typeof key === 'string' && key.endsWith('Command') && !(key in target)) {
        const action = key.slice(0, -'Command'.length);
        target[key] = class {
          readonly action = action;
          readonly middlewareStack = { add: () => undefined };
          constructor(readonly input: unknown) {}
        };
      }
      return target[key as string];
    },
    ownKeys: (target) => Reflect.ownKeys(target),
    getOwnPropertyDescriptor: (target, key) => Reflect.getOwnPropertyDescriptor(target, key),
  });
}

/**
 * The package of a JSON 1.1 service: `<ClientName>` and every `<Action>Command`.
 * @param targetPrefix the X-Amz-Target prefix, `AmazonEC2ContainerServiceV20141113`
 */
export function jsonClientPackage(clientName: string, serviceId: string, targetPrefix: string, options: ClientPackageOptions = {}): Record<string, unknown> {
  return packageOf(clientName, serviceId, { kind: 'json', targetPrefix }, options);
}

/** The package of a REST-JSON service whose actions are `POST /v1/<action>` (AWS Batch). */
export function restJsonClientPackage(clientName: string, serviceId: string, options: ClientPackageOptions = {}): Record<string, unknown> {
  return packageOf(clientName, serviceId, { kind: 'rest-json' }, options);
}

/** `@aws-sdk/client-glue` as far as the Glue stand-in needs it: its JobRun's timestamps are Dates. */
export const glueClientPackage = (): Record<string, unknown> => jsonClientPackage('GlueClient', 'Glue', 'AWSGlue', { timestamps: ['StartedOn', 'LastModifiedOn', 'CompletedOn'] });

/** The signer of a request as its Authorization header names it: the access key, and the region and service it was signed for. */
export function signedBy(authorization: string | undefined): { accessKeyId: string; region: string; service: string } | undefined {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return match ? { accessKeyId: match[1]!, region: match[2]!, service: match[3]! } : undefined;
}
