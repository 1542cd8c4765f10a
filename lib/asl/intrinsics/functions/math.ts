/** Math and identifier intrinsics (developer guide, "Intrinsics for math operations" and "for generating a unique identifier"). */
import type { EvalEnv } from '../../env';
import type { IntrinsicFunction } from '../signature';
import { seededRandom } from '../../random';

/** "The value range of MathAdd's arguments and result: -2147483648 to 2147483647" (32-bit integers). */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

const inRange = (value: unknown) => typeof value !== 'number' || (value >= INT_MIN && value <= INT_MAX);

/** A version 4 UUID drawn from the environment's deterministic random source. */
export function uuidFrom(env: EvalEnv): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(env.random() * 256));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const mathFunctions: readonly IntrinsicFunction[] = [
  {
    // "Returns a random number between the specified start and end number ... an optional seed."
    name: 'States.MathRandom',
    params: ['integer', 'integer', 'integer'],
    optional: 1,
    check: ([start, end]) =>
      typeof start === 'number' && typeof end === 'number' && start > end
        ? `The start argument of States.MathRandom (${start}) must not be greater than its end argument (${end})`
        : undefined,
    evaluate: ([start, end, seed], env) => {
      const from = start as number;
      const to = end as number;
      const draw = seed === undefined ? env.random() : seededRandom(String(seed))();
      return from + Math.floor(draw * (to - from + 1));
    },
  },
  {
    // "Returns the sum of two numbers." Step Functions accepts numbers with a
    // fraction and rounds each argument half up before adding (AWS adds 1.49
    // and 1.5 to 3, 1.5 and 1.51 to 4, -1.5 and -1.51 to -3), as Math.round does.
    name: 'States.MathAdd',
    params: ['number', 'number'],
    check: ([a, b]) =>
      !inRange(a) || !inRange(b) || (typeof a === 'number' && typeof b === 'number' && !inRange(a + b))
        ? `The arguments and result of States.MathAdd must be between ${INT_MIN} and ${INT_MAX}`
        : undefined,
    evaluate: ([a, b]) => Math.round(a as number) + Math.round(b as number) + 0,
  },
  {
    // "Returns a version 4 universally unique identifier (v4 UUID) generated using random numbers."
    name: 'States.UUID',
    params: [],
    evaluate: (_args, env) => uuidFrom(env),
  },
];
