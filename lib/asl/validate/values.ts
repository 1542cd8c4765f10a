/** Small typed checks of field values, each returning Step Functions' wording for what was expected. */
import type { JsonValue } from '../json';

/** Step Functions' largest accepted value for second counts and attempts. */
export const MAX_SECONDS = 99_999_999;

export type Expectation = 'STRING' | 'POSITIVE_INTEGER' | 'NON_NEGATIVE_INTEGER' | 'NUMBER' | 'BOOLEAN' | 'OBJECT' | 'ARRAY';

const CHECKS: Record<Expectation, (v: JsonValue) => boolean> = {
  STRING: (v) => typeof v === 'string',
  POSITIVE_INTEGER: (v) => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_SECONDS,
  NON_NEGATIVE_INTEGER: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_SECONDS,
  NUMBER: (v) => typeof v === 'number',
  BOOLEAN: (v) => typeof v === 'boolean',
  OBJECT: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  ARRAY: (v) => Array.isArray(v),
};

/** True when `value` meets the expectation. */
export function meets(value: JsonValue, expectation: Expectation): boolean {
  return CHECKS[expectation](value);
}

/** Escapes a JSON pointer segment (RFC 6901). */
export function pointerSegment(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
