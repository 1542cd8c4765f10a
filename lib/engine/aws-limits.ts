/**
 * Step Functions' quotas that Switchyard lifts by default and keeps in its
 * AWS-limits mode (`--aws-limits`, the construct's `awsLimits`), so that a
 * workflow that passes there passes on Step Functions:
 *
 * - "The maximum input or output size for a task, state, or execution is
 *   256 KiB of data as a UTF-8 encoded string"; a state whose result is
 *   larger fails with States.DataLimitExceeded.
 * - 25,000 events in one execution's history (history-limit.ts).
 * - A definition of at most 1 MiB, and the API's length constraints on the
 *   members that carry data (StartExecution's input, SendTaskSuccess's
 *   output, SendTaskFailure's error and cause).
 */
import { StatesError, StatesErrorName } from '../asl/errors';
import type { JsonValue } from '../asl/json';
import { ServiceError, ServiceErrorName } from './service-errors';

/** The quotas, as the service enforces them. */
export const AWS_LIMITS = {
  /** Input and output of a task, a state or an execution, in UTF-8 bytes. */
  payloadBytes: 262_144,
  /** Events in one execution's history. */
  historyEvents: 25_000,
  /** A state machine definition, in UTF-8 bytes (CreateStateMachine's `definition`). */
  definitionBytes: 1_048_576,
  /** SendTaskFailure's `error`. */
  errorLength: 256,
  /** SendTaskFailure's `cause`, and an execution's. */
  causeLength: 32_768,
} as const;

/** The cause Step Functions gives when state `stateName` produced a result over the payload quota. */
export function dataLimitCause(stateName: string): string {
  return `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`;
}

/** States.DataLimitExceeded when `output` is over `maxBytes` as UTF-8 JSON text; undefined when it fits (or there is no limit). */
export function payloadLimitError(stateName: string, output: JsonValue, maxBytes: number | undefined): StatesError | undefined {
  if (maxBytes === undefined) return undefined;
  // Cheap first: a string of n UTF-16 units is at most 3n bytes.
  const text = JSON.stringify(output) ?? 'null';
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return undefined;
  return new StatesError(StatesErrorName.DataLimitExceeded, dataLimitCause(stateName));
}

/** UTF-8 bytes of a value's JSON text. */
export function jsonBytes(value: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}

/** The API's answer to a member over its length constraint: "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144". */
export function memberTooLong(member: string, max: number): ServiceError {
  return new ServiceError(ServiceErrorName.ValidationException, `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
}
