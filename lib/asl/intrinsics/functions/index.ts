/** The table of all 18 intrinsic functions, by name. */
import type { IntrinsicFunction } from '../signature';
import { arrayFunctions } from './array';
import { encodingFunctions } from './encoding';
import { mathFunctions } from './math';
import { stringFunctions } from './string';

export const FUNCTIONS: Readonly<Record<string, IntrinsicFunction>> = Object.freeze(
  Object.fromEntries([...arrayFunctions, ...stringFunctions, ...encodingFunctions, ...mathFunctions].map((fn) => [fn.name, fn])),
);
