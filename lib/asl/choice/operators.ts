/**
 * The Choice Rule comparison operators as data (States Language, "Choice
 * Rules"): each names the type its operands must have and how it compares.
 * "For each of these operators, the corresponding Path-suffixed operator
 * compares the Variable to the value at a Reference Path in the input."
 */
import type { JsonValue } from '../json';

/** The operand type an operator accepts; a Variable of another type makes the comparison false. */
export type OperandType = 'string' | 'number' | 'boolean' | 'timestamp';

export interface ComparisonOperator {
  readonly operand: OperandType;
  /** Compares the Variable's value with the operand; both already have the operand's type. */
  readonly compare: (value: JsonValue, operand: JsonValue) => boolean;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const num = (a: JsonValue): number => a as number;
const str = (a: JsonValue): string => a as string;
const time = (a: JsonValue): number => parseTimestamp(a as string) as number;

export const COMPARISONS: Readonly<Record<string, ComparisonOperator>> = {
  StringEquals: { operand: 'string', compare: (a, b) => a === b },
  StringLessThan: { operand: 'string', compare: (a, b) => cmp(str(a), str(b)) < 0 },
  StringGreaterThan: { operand: 'string', compare: (a, b) => cmp(str(a), str(b)) > 0 },
  StringLessThanEquals: { operand: 'string', compare: (a, b) => cmp(str(a), str(b)) <= 0 },
  StringGreaterThanEquals: { operand: 'string', compare: (a, b) => cmp(str(a), str(b)) >= 0 },
  StringMatches: { operand: 'string', compare: (a, b) => wildcard(str(b)).test(str(a)) },
  NumericEquals: { operand: 'number', compare: (a, b) => num(a) === num(b) },
  NumericLessThan: { operand: 'number', compare: (a, b) => num(a) < num(b) },
  NumericGreaterThan: { operand: 'number', compare: (a, b) => num(a) > num(b) },
  NumericLessThanEquals: { operand: 'number', compare: (a, b) => num(a) <= num(b) },
  NumericGreaterThanEquals: { operand: 'number', compare: (a, b) => num(a) >= num(b) },
  BooleanEquals: { operand: 'boolean', compare: (a, b) => a === b },
  TimestampEquals: { operand: 'timestamp', compare: (a, b) => time(a) === time(b) },
  TimestampLessThan: { operand: 'timestamp', compare: (a, b) => time(a) < time(b) },
  TimestampGreaterThan: { operand: 'timestamp', compare: (a, b) => time(a) > time(b) },
  TimestampLessThanEquals: { operand: 'timestamp', compare: (a, b) => time(a) <= time(b) },
  TimestampGreaterThanEquals: { operand: 'timestamp', compare: (a, b) => time(a) >= time(b) },
};

/** The type tests; each takes a boolean operand ("IsNull": true tests for null, false for not null). */
export const TYPE_TESTS: Readonly<Record<string, (value: JsonValue | undefined) => boolean>> = {
  IsNull: (v) => v === null,
  IsPresent: (v) => v !== undefined,
  IsNumeric: (v) => typeof v === 'number',
  IsString: (v) => typeof v === 'string',
  IsBoolean: (v) => typeof v === 'boolean',
  IsTimestamp: (v) => typeof v === 'string' && parseTimestamp(v) !== undefined,
};

/** True when a value has the operand type (timestamps are strings that parse). */
export function hasOperandType(value: JsonValue | undefined, type: OperandType): boolean {
  if (type === 'timestamp') return typeof value === 'string' && parseTimestamp(value) !== undefined;
  return typeof value === type;
}

// "Timestamps ... MUST conform to RFC3339 profile ISO 8601, with the further restriction that an
// uppercase T must separate the date and time portions, and an uppercase Z must denote that a
// numeric time zone offset is not present" (States Language, Timestamps).
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds (with sub-millisecond fraction) of an RFC 3339 timestamp, or undefined. */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return undefined;
  const base = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`);
  if (Number.isNaN(base)) return undefined;
  return base + (fraction ? Number(`0${fraction}`) * 1000 : 0);
}

const patterns = new Map<string, RegExp>();

/**
 * StringMatches: "the operator ... supports wildcard characters (*) ... To
 * match a literal asterisk, escape it with a backslash ... \\* ... To match a
 * literal backslash, use \\\\" (developer guide, Choice state).
 */
export function wildcard(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (re) return re;
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    else if (c === '*') source += '[\\s\\S]*';
    else source += escapeRegExp(c);
  }
  re = new RegExp(source + '$');
  patterns.set(pattern, re);
  return re;
}

function escapeRegExp(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
