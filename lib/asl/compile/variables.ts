/**
 * Step Functions' limits on workflow variables (developer guide, "Passing
 * data between states with variables"): a single variable may hold at most
 * 256 KiB, and all variables one Assign field sets together at most 256 KiB
 * (both measured as UTF-8 JSON text).
 */
import { StatesError, StatesErrorName } from '../errors';
import type { JsonValue } from '../json';

/** The largest serialised size of one variable, and of one Assign field. */
export const MAX_VARIABLE_BYTES = 256 * 1024;

/** Throws States.DataLimitExceeded when an Assign's values break Step Functions' size limits. */
export function checkAssignedSize(assigned: Record<string, JsonValue> | undefined): Record<string, JsonValue> | undefined {
  if (assigned === undefined) return assigned;
  let total = 0;
  for (const [name, value] of Object.entries(assigned)) {
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? 'null');
    if (bytes > MAX_VARIABLE_BYTES) {
      throw new StatesError(
        StatesErrorName.DataLimitExceeded,
        `The size of the variable '${name}' (${bytes} bytes) exceeds the maximum of ${MAX_VARIABLE_BYTES} bytes.`,
      );
    }
    total += bytes;
  }
  if (total > MAX_VARIABLE_BYTES) {
    throw new StatesError(
      StatesErrorName.DataLimitExceeded,
      `The combined size of the variables assigned by the state (${total} bytes) exceeds the maximum of ${MAX_VARIABLE_BYTES} bytes.`,
    );
  }
  return assigned;
}
