/**
 * The JSONata functions Step Functions adds (developer guide, "JSONata
 * functions provided by Step Functions"): $partition, $range, $hash,
 * $random, $uuid and $parse. The ones that draw random numbers use the
 * evaluation's deterministic source, so they are bound per evaluation.
 */
import { createHash } from 'node:crypto';
import type { EvalEnv } from '../env';
import { HASH_ALGORITHMS } from '../intrinsics/functions/encoding';
import { uuidFrom } from '../intrinsics/functions/math';
import type { JsonValue } from '../json';
import { seededRandom } from '../random';

/** Thrown by a function on bad arguments; reported as States.QueryEvaluationError. */
export class JsonataFunctionError extends Error {}

/** Functions that do not depend on the evaluation: registered once per expression. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSONata calls registered functions with any arguments.
export const STATIC_FUNCTIONS: Readonly<Record<string, { fn: (...args: any[]) => unknown; signature: string }>> = {
  // "$partition(array, chunkSize): partitions an array into chunks of the given size."
  partition: {
    signature: '<an:a>',
    fn: ((array: JsonValue[], size: number) => {
      if (!Number.isInteger(size) || size <= 0) throw new JsonataFunctionError(`$partition's chunk size must be a positive integer, but was ${size}`);
      const out: JsonValue[][] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    }) as never,
  },
  // "$range(start, end, step): generates an array of values ... from start to end in steps."
  range: {
    signature: '<nnn:a<n>>',
    fn: ((start: number, end: number, step: number) => {
      if (step === 0) throw new JsonataFunctionError('$range\'s step must not be 0');
      const count = Math.max(0, Math.floor((end - start) / step) + 1);
      if (count > 1000) throw new JsonataFunctionError(`$range can generate at most 1000 items, but the arguments (${start}, ${end}, ${step}) generate ${count}`);
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) out.push(v);
      return out;
    }) as never,
  },
  // "$hash(data, algorithm): calculates the hash value of the input."
  hash: {
    signature: '<js:s>',
    fn: ((data: JsonValue, algorithm: string) => {
      const name = HASH_ALGORITHMS[algorithm];
      if (!name) throw new JsonataFunctionError(`$hash's algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}, but was '${algorithm}'`);
      return createHash(name).update(typeof data === 'string' ? data : JSON.stringify(data)).digest('hex');
    }) as never,
  },
  // "$parse(jsonString): deserializes JSON data."
  parse: {
    signature: '<s:j>',
    fn: ((text: string) => {
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        throw new JsonataFunctionError(`$parse's argument is not valid JSON: ${JSON.stringify(text)}`);
      }
    }) as never,
  },
};

/** Functions bound for one evaluation: `$random([seed])` and `$uuid()`. */
export function evaluationFunctions(env: EvalEnv): Record<string, (...args: never[]) => unknown> {
  return {
    random: ((seed?: number) => (seed === undefined ? env.random() : seededRandom(String(seed))())) as never,
    uuid: () => uuidFrom(env),
  };
}
