/** Role credentials against an STS stand-in (the real @aws-sdk/client-sts, the query protocol): cached per role, refreshed before expiry. */
import { roleCredentials, RoleAssumptionError } from '../../lib/aws/role-credentials';
import { startStsEndpoint, type StsEndpoint } from '../../harness/sts-endpoint';

const ORDERS = 'arn:aws:iam::123456789012:role/orders';
const BILLING = 'arn:aws:iam::123456789012:role/billing';
const UNTRUSTED = 'arn:aws:iam::123456789012:role/untrusted';

describe('roleCredentials', () => {
  let clock = Date.UTC(2026, 11, 1);
  let sts: StsEndpoint;
  beforeAll(async () => {
    sts = await startStsEndpoint({ now: () => clock, untrusted: new Set([UNTRUSTED]) });
  });
  afterAll(() => sts.close());
  beforeEach(() => sts.calls.splice(0));

  const factory = () => roleCredentials({ region: 'us-east-1', endpoint: sts.url, credentials: { accessKeyId: 'AKIATRANSITION', secretAccessKey: 'x' }, now: () => clock });

  it('assumes each role once, with the session name switchyard, and serves the cached credentials until shortly before they expire', async () => {
    const credentialsFor = factory();
    const first = await credentialsFor(ORDERS)();
    const again = await credentialsFor(ORDERS)();
    expect(first).toEqual({ accessKeyId: 'ASIASTANDIN0001', secretAccessKey: 'secret-ASIASTANDIN0001', sessionToken: 'token-ASIASTANDIN0001', expiration: new Date(clock + 3_600_000) });
    expect(again).toBe(first);
    expect(credentialsFor(ORDERS)).toBe(credentialsFor(ORDERS));
    expect(sts.calls).toEqual([{ roleArn: ORDERS, sessionName: 'switchyard', durationSeconds: 3600 }]);
  });

  it('keeps one cache per role', async () => {
    const credentialsFor = factory();
    const orders = await credentialsFor(ORDERS)();
    const billing = await credentialsFor(BILLING)();
    expect([orders.accessKeyId, billing.accessKeyId]).toEqual(['ASIASTANDIN0001', 'ASIASTANDIN0002']);
    expect(sts.keys.get(billing.accessKeyId)?.assumedRoleArn).toBe('arn:aws:sts::123456789012:assumed-role/billing/switchyard');
    expect(sts.calls.map((c) => c.roleArn)).toEqual([ORDERS, BILLING]);
  });

  it('refreshes the credentials five minutes before they expire, not earlier', async () => {
    const credentialsFor = factory();
    const first = await credentialsFor(ORDERS)();
    clock += 3_600_000 - 300_001;
    expect((await credentialsFor(ORDERS)()).accessKeyId).toBe(first.accessKeyId);
    clock += 1;
    const refreshed = await credentialsFor(ORDERS)();
    expect(refreshed.accessKeyId).not.toBe(first.accessKeyId);
    expect(refreshed.expiration).toEqual(new Date(clock + 3_600_000));
    expect(sts.calls).toHaveLength(2);
  });

  it('shares one AssumeRole among concurrent callers of a role', async () => {
    const credentialsFor = factory();
    const all = await Promise.all([credentialsFor(ORDERS)(), credentialsFor(ORDERS)(), credentialsFor(ORDERS)()]);
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
    expect(sts.calls).toHaveLength(1);
  });

  it('fails with RoleAssumptionError naming the role and STS’s refusal, and tries again on the next call', async () => {
    const credentialsFor = factory();
    const err = await credentialsFor(UNTRUSTED)().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoleAssumptionError);
    expect((err as RoleAssumptionError).message).toBe(
      `Switchyard could not assume the state machine's role ${UNTRUSTED}: AccessDenied: User: arn:aws:iam::123456789012:user/caller is not authorized to perform: sts:AssumeRole on resource: ${UNTRUSTED}`,
    );
    await credentialsFor(UNTRUSTED)().catch(() => undefined);
    expect(sts.calls).toHaveLength(2);
  });
});
