/**
 * The AWS SDK clients integration tasks call, loaded on first use — never at
 * start-up: `@aws-sdk/client-<name>` is required the first time a task calls
 * that service, and each client is made once per service and role.
 *
 * Endpoints: the option's `endpoints[service]` (`switchyard run
 * --endpoint-url dynamodb=http://…`); otherwise the SDK itself honours
 * `AWS_ENDPOINT_URL_<SERVICE_ID>` and `AWS_ENDPOINT_URL`, so they are not read
 * here. No client retries: a call that may have reached the service is
 * never sent twice behind the state's back — a throttle or an outage fails
 * the attempt with the service's error, and the state's Retry decides.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** The part of an SDK client the runner uses. */
export interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  readonly config: { readonly serviceId?: string };
  destroy(): void;
}

/** A loaded client package: its exports by name (the client class, `<Action>Command` classes, exceptions). */
export type ClientModule = Readonly<Record<string, unknown>>;

/** A client package is not installed. */
export class MissingClientPackageError extends Error {
  constructor(readonly packageName: string) {
    super(`The AWS SDK client ${packageName} is not installed; install it next to Switchyard (npm install ${packageName}) to call this service.`);
    this.name = 'MissingClientPackageError';
  }
}

export interface ClientOptions {
  region: string;
  /** Endpoints by service (as the Resource names it, or the client package's name), e.g. `{ dynamodb: 'http://127.0.0.1:4567' }`. */
  endpoints?: Readonly<Record<string, string>>;
  /** Credentials for every call (loopback tests); the SDK's default chain when absent. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Credentials of the role a task runs with (the state machine's role); the default ones when it gives none. */
  credentialsFor?: (roleArn: string) => AwsCredentialIdentityProvider | undefined;
  /** Loads a package by name. @default require */
  load?: (packageName: string) => ClientModule;
}

type ClientClass = new (config: Record<string, unknown>) => SdkClient;

function requirePackage(packageName: string): ClientModule {
  try {
    return require(packageName) as ClientModule;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(`'${packageName}'`)) throw new MissingClientPackageError(packageName);
    throw err;
  }
}

/** The clients of one runner, made on first use. */
export class SdkClients {
  private readonly modules = new Map<string, ClientModule>();
  private readonly clients = new Map<string, SdkClient>();

  constructor(private readonly options: ClientOptions) {}

  /** The package `@aws-sdk/client-<client>`; throws MissingClientPackageError when it is not installed. */
  module(client: string): ClientModule {
    let loaded = this.modules.get(client);
    if (loaded === undefined) {
      loaded = (this.options.load ?? requirePackage)(`@aws-sdk/client-${client}`);
      this.modules.set(client, loaded);
    }
    return loaded;
  }

  /** The client for a service (Resource name `service`, package `client`), with the role's credentials when it has them. */
  client(service: string, client: string, roleArn: string | undefined): SdkClient {
    const roleCredentials = roleArn !== undefined ? this.options.credentialsFor?.(roleArn) : undefined;
    const key = roleCredentials ? `${client}\n${roleArn}` : client;
    let made = this.clients.get(key);
    if (made === undefined) {
      const mod = this.module(client);
      const name = Object.keys(mod).find((k) => k.endsWith('Client') && k !== '__Client' && typeof mod[k] === 'function');
      if (name === undefined) throw new MissingClientPackageError(`@aws-sdk/client-${client}`);
      const endpoint = this.options.endpoints?.[service] ?? this.options.endpoints?.[client];
      const credentials = roleCredentials ?? this.options.credentials;
      const pathStyle = client === 's3' && (endpoint !== undefined || process.env.AWS_ENDPOINT_URL_S3 !== undefined || process.env.AWS_ENDPOINT_URL !== undefined);
      made = new (mod[name] as ClientClass)({
        region: this.options.region,
        maxAttempts: 1,
        ...(endpoint !== undefined ? { endpoint } : {}),
        ...(credentials !== undefined ? { credentials } : {}),
        // A local S3 has no per-bucket host names.
        ...(pathStyle ? { forcePathStyle: true } : {}),
      });
      this.clients.set(key, made);
    }
    return made;
  }

  /** Closes every client's connections. */
  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
