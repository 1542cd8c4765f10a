/** The cloud's task token key: read from the construct's secret once per container, refused when it is no key. */
import { configFromEnv, deployedFromEnv } from '../../lib/aws/environment';
import { readTokenKey, TokenKeySecretError } from '../../lib/aws/token-key';
import { encodeTaskToken } from '../../lib/engine/token';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:SwitchyardTokenKey-AbCdEf';
const SECRET = 'k'.repeat(64);
const ENV = { SWITCHYARD_TABLE: 't', SWITCHYARD_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', AWS_REGION: 'us-east-1', POWERTOOLS_METRICS_DISABLED: 'true' };

describe('task token key (cloud)', () => {
  it('is the bytes of the secret string', async () => {
    const key = await readTokenKey(SECRET_ARN, async () => SECRET);
    expect(Buffer.from(key).toString('utf8')).toBe(SECRET);
  });

  it.each([
    ['no SecretString', undefined],
    ['a string shorter than 32 bytes', 'short'],
  ])('refuses a secret with %s', async (_what, value) => {
    const err = await readTokenKey(SECRET_ARN, async () => value).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenKeySecretError);
    expect((err as Error).message).toBe(`The secret ${SECRET_ARN} holds no task token key: its SecretString must be at least 32 bytes`);
  });

  it('is named to the functions by SWITCHYARD_TOKEN_KEY_SECRET_ARN', () => {
    expect(configFromEnv({ ...ENV, SWITCHYARD_TOKEN_KEY_SECRET_ARN: SECRET_ARN }).tokenKeySecretArn).toBe(SECRET_ARN);
    expect(configFromEnv(ENV).tokenKeySecretArn).toBeUndefined();
  });

  it('is read once when the function is deployed, and tokens signed with another key are refused', async () => {
    const reads: string[] = [];
    const parts = await deployedFromEnv('test', { ...ENV, SWITCHYARD_TOKEN_KEY_SECRET_ARN: SECRET_ARN }, async (arn) => (reads.push(arn), SECRET));
    expect(reads).toEqual([SECRET_ARN]);
    const foreign = encodeTaskToken({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', frameId: 'root', entry: 1, attempt: 0 }, Buffer.alloc(32, 3));
    await expect(parts.cloud.driver.sendTaskSuccess(foreign, {})).rejects.toMatchObject({ name: 'InvalidToken', message: 'Invalid Token' });
  });

  it('is not read by a function the construct names no secret to', async () => {
    const reads: string[] = [];
    await deployedFromEnv('test', ENV, async (arn) => (reads.push(arn), SECRET));
    expect(reads).toEqual([]);
  });
});
