/** Array intrinsics (developer guide, "Intrinsics for arrays"). */
import { jsonEquals, type JsonValue } from '../../json';
import type { IntrinsicFunction } from '../signature';

/** "The maximum number of items that States.ArrayRange can generate is 1000." */
export const MAX_ARRAY_RANGE_ITEMS = 1000;

const asArray = (value: JsonValue): JsonValue[] => value as JsonValue[];

export const arrayFunctions: readonly IntrinsicFunction[] = [
  {
    // "Creates a new array from the provided arguments."
    name: 'States.Array',
    params: [],
    rest: 'any',
    evaluate: (args) => args.slice(),
  },
  {
    // "Partitions an input array ... into chunks of the size given by the second argument."
    name: 'States.ArrayPartition',
    params: ['array', 'integer'],
    check: ([, size]) => (typeof size === 'number' && size <= 0 ? `The chunk size argument of States.ArrayPartition must be a positive integer, but was ${size}` : undefined),
    evaluate: ([array, size]) => {
      const items = asArray(array);
      const chunk = size as number;
      const out: JsonValue[] = [];
      for (let i = 0; i < items.length; i += chunk) out.push(items.slice(i, i + chunk));
      return out;
    },
  },
  {
    // "Determines if a specific value is present in an array."
    name: 'States.ArrayContains',
    params: ['array', 'any'],
    evaluate: ([array, value]) => asArray(array).some((item) => jsonEquals(item, value)),
  },
  {
    // "Creates a new array containing a specific range of elements ... first element, final element, increment."
    name: 'States.ArrayRange',
    params: ['integer', 'integer', 'integer'],
    check: ([start, end, step]) => {
      if (step === 0) return 'The step argument of States.ArrayRange must not be 0';
      if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number') return undefined;
      const count = Math.max(0, Math.floor((end - start) / step) + 1);
      return count > MAX_ARRAY_RANGE_ITEMS
        ? `States.ArrayRange can generate at most ${MAX_ARRAY_RANGE_ITEMS} items, but the arguments (${start}, ${end}, ${step}) generate ${count}`
        : undefined;
    },
    evaluate: ([start, end, step]) => {
      const [from, to, by] = [start as number, end as number, step as number];
      const out: number[] = [];
      for (let v = from; by > 0 ? v <= to : v >= to; v += by) out.push(v);
      return out;
    },
  },
  {
    // "Returns a specified index's value."
    name: 'States.ArrayGetItem',
    params: ['array', 'integer'],
    check: ([array, index]) => {
      if (typeof index !== 'number') return undefined;
      if (index < 0) return `The index argument of States.ArrayGetItem must be a non-negative integer, but was ${index}`;
      if (Array.isArray(array) && index >= array.length) {
        return `The index argument of States.ArrayGetItem (${index}) is out of bounds for an array of length ${array.length}`;
      }
      return undefined;
    },
    evaluate: ([array, index]) => asArray(array)[index as number],
  },
  {
    // "Returns the length of an array."
    name: 'States.ArrayLength',
    params: ['array'],
    evaluate: ([array]) => asArray(array).length,
  },
  {
    // "Removes duplicate values from an array and returns an array containing only unique elements."
    name: 'States.ArrayUnique',
    params: ['array'],
    evaluate: ([array]) => {
      const out: JsonValue[] = [];
      for (const item of asArray(array)) if (!out.some((seen) => jsonEquals(seen, item))) out.push(item);
      return out;
    },
  },
];
