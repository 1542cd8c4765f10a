/** The deployed functions' configuration, read from the environment the construct sets. */
import { configFromEnv } from '../../lib/aws/environment';

const ENV = { SWITCHYARD_TABLE: 't', SWITCHYARD_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', AWS_REGION: 'us-east-1' };

describe('configFromEnv', () => {
  it("keeps Step Functions' quotas when the construct's awsLimits set SWITCHYARD_AWS_LIMITS, and Switchyard's otherwise", () => {
    expect([configFromEnv({ ...ENV, SWITCHYARD_AWS_LIMITS: 'true' }).awsLimits, configFromEnv(ENV).awsLimits]).toEqual([true, undefined]);
  });
});
