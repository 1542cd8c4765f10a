/**
 * The credentials of a state machine's role: the transition function
 * assumes the role with STS AssumeRole and calls services (Lambda, the SDK
 * integrations) with the temporary credentials, so a state machine can do
 * only what its role allows — as Step Functions runs a state machine with
 * the role it was created with.
 *
 * Credentials are cached per role and shared by every execution of every
 * state machine with that role (one AssumeRole per role per hour, not per
 * task), and refreshed a margin before they expire:
 *
 * ```
 *   AssumeRole ──────────── use cached ────────────┬─ refresh ─┬─ (expiry)
 *   t0                                    expiry − margin      expiry
 * ```
 *
 * Concurrent tasks of one role share one AssumeRole in flight. A failed
 * AssumeRole is not cached: the next task tries again.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** How role credentials are obtained. */
export interface RoleCredentialsOptions {
  /** The region of the STS endpoint. */
  readonly region: string;
  /** An STS endpoint (a stand-in in tests). @default STS's regional endpoint */
  readonly endpoint?: string;
  /** The credentials AssumeRole is called with. @default the SDK's default chain (the function's own role) */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * The role session name, which CloudTrail records for every call made with
   * the credentials. One session serves every execution of the role (that is
   * what makes the cache worth having), so it names the Yard, not an execution.
   * @default 'switchyard'
   */
  readonly sessionName?: string;
  /** The lifetime asked for, 900–43200 seconds (at most the role's maximum session duration). @default 3600 */
  readonly durationSeconds?: number;
  /** Credentials are refreshed this long before they expire, so no call is signed with ones about to lapse. @default 300000 (5 minutes) */
  readonly refreshMarginMs?: number;
  /** The clock (milliseconds since the epoch). @default Date.now */
  readonly now?: () => number;
  /** The STS client (tests); built from region, endpoint and credentials when absent. */
  readonly client?: STSClient;
}

/** AssumeRole failed: the role does not exist, does not trust the caller, or STS refused. */
export class RoleAssumptionError extends Error {
  override readonly name = 'RoleAssumptionError';
  constructor(
    readonly roleArn: string,
    override readonly cause: unknown,
  ) {
    super(`Switchyard could not assume the state machine's role ${roleArn}: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
  }
}

/** The provider of role credentials for one role, the shape the task runners take (`credentialsFor`). */
export type CredentialsForRole = (roleArn: string) => AwsCredentialIdentityProvider;

interface Cached {
  credentials?: AwsCredentialIdentity & { expiration: Date };
  pending?: Promise<AwsCredentialIdentity>;
}

/**
 * A factory of credential providers, one per role, each caching its
 * credentials until `refreshMarginMs` before they expire. The same role
 * always gets the same provider.
 */
export function roleCredentials(options: RoleCredentialsOptions): CredentialsForRole {
  const client = options.client ?? new STSClient({ region: options.region, ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.credentials ? { credentials: options.credentials } : {}) });
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 300_000;

  async function assume(roleArn: string): Promise<AwsCredentialIdentity & { expiration: Date }> {
    try {
      const out = await client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: options.sessionName ?? 'switchyard', DurationSeconds: options.durationSeconds ?? 3600 }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.Expiration) throw new Error('AssumeRole returned no credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), expiration: c.Expiration };
    } catch (err) {
      throw new RoleAssumptionError(roleArn, err);
    }
  }

  return perRole((roleArn) => {
    const cached: Cached = {};
    return async () => {
      if (cached.credentials && now() < cached.credentials.expiration.getTime() - margin) return cached.credentials;
      cached.pending ??= assume(roleArn).then(
        (credentials) => {
          cached.credentials = credentials;
          cached.pending = undefined;
          return credentials;
        },
        (err: unknown) => {
          cached.pending = undefined;
          throw err;
        },
      );
      return cached.pending;
    };
  });
}

/** One value per role, made on first use and kept (e.g. a Lambda client per role). */
export function perRole<T>(make: (roleArn: string) => T): (roleArn: string) => T {
  const made = new Map<string, T>();
  return (roleArn) => {
    let value = made.get(roleArn);
    if (value === undefined) {
      value = make(roleArn);
      made.set(roleArn, value);
    }
    return value;
  };
}
