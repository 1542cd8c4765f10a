/**
 * A request's `encryptionConfiguration` (CreateStateMachine,
 * UpdateStateMachine, CreateActivity), checked as the API model checks it:
 * `type` is AWS_OWNED_KEY or CUSTOMER_MANAGED_KMS_KEY; InvalidEncryptionConfiguration
 * is "if type is set to CUSTOMER_MANAGED_KMS_KEY, but kmsKeyId is null, or
 * kmsDataKeyReusePeriodSeconds is not between 60 and 900". Switchyard stores
 * and describes it; its own stores encrypt as their deployment configures them.
 * And `includedData`, the member the describe actions take so that a caller
 * without the key's kms:Decrypt can still read the metadata.
 */
import { ServiceErrorName } from '../../engine/service-errors';
import type { EncryptionConfiguration } from '../ports';
import { fail } from './members';

const TYPES = ['AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY'] as const;

/** The configuration the request sends, checked; undefined when it sends none. */
export function encryptionConfiguration(value: unknown): EncryptionConfiguration | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(ServiceErrorName.SerializationException, "Unexpected value type for 'encryptionConfiguration': expected an object");
  const v = value as { type?: unknown; kmsKeyId?: unknown; kmsDataKeyReusePeriodSeconds?: unknown };
  if (v.type === undefined || v.type === null) {
    fail(ServiceErrorName.ValidationException, "1 validation error detected: Value null at 'encryptionConfiguration.type' failed to satisfy constraint: Member must not be null");
  }
  if (!TYPES.includes(v.type as (typeof TYPES)[number])) {
    fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${String(v.type)}' at 'encryptionConfiguration.type' failed to satisfy constraint: Member must satisfy enum value set: [${TYPES.join(', ')}]`);
  }
  if (v.kmsKeyId !== undefined && v.kmsKeyId !== null && (typeof v.kmsKeyId !== 'string' || v.kmsKeyId.length < 1 || v.kmsKeyId.length > 2048)) {
    fail(ServiceErrorName.ValidationException, "1 validation error detected: Value at 'encryptionConfiguration.kmsKeyId' failed to satisfy constraint: Member must have length between 1 and 2048");
  }
  const period = v.kmsDataKeyReusePeriodSeconds;
  if (period !== undefined && period !== null && (typeof period !== 'number' || !Number.isInteger(period))) {
    fail(ServiceErrorName.SerializationException, "Unexpected value type for 'encryptionConfiguration.kmsDataKeyReusePeriodSeconds': expected an integer");
  }
  const type = v.type as EncryptionConfiguration['type'];
  const kmsKeyId = typeof v.kmsKeyId === 'string' ? v.kmsKeyId : undefined;
  const reuse = typeof period === 'number' ? period : undefined;
  if (type === 'AWS_OWNED_KEY') {
    if (kmsKeyId !== undefined || reuse !== undefined) fail(ServiceErrorName.InvalidEncryptionConfiguration, 'kmsKeyId and kmsDataKeyReusePeriodSeconds apply only to the type CUSTOMER_MANAGED_KMS_KEY');
    return { type };
  }
  if (kmsKeyId === undefined) fail(ServiceErrorName.InvalidEncryptionConfiguration, 'kmsKeyId is required when the type is CUSTOMER_MANAGED_KMS_KEY');
  if (reuse !== undefined && (reuse < 60 || reuse > 900)) fail(ServiceErrorName.InvalidEncryptionConfiguration, `kmsDataKeyReusePeriodSeconds must be between 60 and 900 seconds. Received: ${reuse}`);
  // The service's default reuse period is 300 seconds, and it describes it so.
  return { type, kmsKeyId, kmsDataKeyReusePeriodSeconds: reuse ?? 300 };
}

/** The includedData member of DescribeExecution, DescribeStateMachine and DescribeStateMachineForExecution: whether data is left out. */
export function metadataOnly(value: unknown): boolean {
  if (value === undefined || value === null || value === 'ALL_DATA') return false;
  if (value === 'METADATA_ONLY') return true;
  return fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${String(value)}' at 'includedData' failed to satisfy constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]`);
}
