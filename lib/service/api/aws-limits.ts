/**
 * The API's length constraints that only AWS-limits mode applies
 * (CloudDriverOptions.awsLimits): without it Switchyard takes larger
 * definitions, inputs, outputs and causes than Step Functions does.
 */
import { AWS_LIMITS, memberTooLong } from '../../engine/aws-limits';
import type { CloudDriver } from '../driver';

/** The members checked, and each one's largest length (UTF-8 bytes for data, characters for error and cause). */
const LIMITS = {
  definition: { max: AWS_LIMITS.definitionBytes, bytes: true },
  input: { max: AWS_LIMITS.payloadBytes, bytes: true },
  output: { max: AWS_LIMITS.payloadBytes, bytes: true },
  error: { max: AWS_LIMITS.errorLength, bytes: false },
  cause: { max: AWS_LIMITS.causeLength, bytes: false },
} as const;

/** Throws the service's ValidationException when the driver keeps AWS's limits and `value` of member `member` is over its length. */
export function checkAwsLength(driver: CloudDriver, member: keyof typeof LIMITS, value: string | undefined): void {
  if (!driver.awsLimits || value === undefined) return;
  const { max, bytes } = LIMITS[member];
  if ((bytes ? Buffer.byteLength(value) : value.length) > max) throw memberTooLong(member, max);
}
