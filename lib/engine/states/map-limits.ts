/**
 * The Map state's run-time limits — MaxConcurrency, ToleratedFailureCount and
 * ToleratedFailurePercentage — read once when the Map starts, and checked
 * with Step Functions' own cause texts.
 *
 * Step Functions reads a `...Path` field's value as text and parses it
 * (a string holding a number is accepted, as AWS accepts `"1"`); what does not
 * parse is "not a valid integer" (or float), quoting the value and the path.
 */
import { StatesRuntimeError } from '../../asl/errors';
import type { JsonValue } from '../../asl/json';
import type { DynamicValue } from '../../asl/model';
import type { Transition } from '../transition';

/** Java's int range: a value outside it does not parse as an integer. */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The value as a cause quotes it: a string as it is, anything else as JSON text. */
function shown(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

function parsedInteger(value: JsonValue | undefined): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : undefined;
  return n !== undefined && Number.isInteger(n) && n >= INT_MIN && n <= INT_MAX ? n : undefined;
}

function parsedFloat(value: JsonValue | undefined): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && FLOAT_TEXT.test(value.trim()) ? Number(value) : undefined;
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/** A JSONata or static value: a number from 0 to `max`. */
function bounded(value: DynamicValue, result: JsonValue | undefined, max: number | undefined): number {
  if (typeof result !== 'number' || result < 0 || (max !== undefined && result > max) || !Number.isFinite(result)) {
    throw new StatesRuntimeError(`The value of the field '${value.field}' must be a number between 0 and ${max ?? 'any'}. Received: ${JSON.stringify(result ?? null)}`);
  }
  return result;
}

function notParsed(value: DynamicValue, result: JsonValue | undefined, kind: 'integer' | 'float'): never {
  throw new StatesRuntimeError(`The ${value.field} field refers to value "${shown(result)}" which is not a valid ${kind}: ${value.path}`);
}

async function evaluated(value: DynamicValue, input: JsonValue, t: Transition): Promise<JsonValue | undefined> {
  return value.evaluate(input, t.env(), { input: t.frame.input });
}

/** A non-negative number (MaxItemsPerBatch, MaxInputBytesPerBatch), or undefined when the field is absent. */
export async function nonNegative(value: DynamicValue | undefined, input: JsonValue, t: Transition, max?: number): Promise<number | undefined> {
  return value ? bounded(value, await evaluated(value, input, t), max) : undefined;
}

/** MaxConcurrency / MaxConcurrencyPath; 0 (no limit) when absent. */
export async function maxConcurrencyOf(value: DynamicValue | undefined, input: JsonValue, t: Transition): Promise<number> {
  if (!value) return 0;
  const result = await evaluated(value, input, t);
  if (value.path === undefined) return Math.floor(bounded(value, result, undefined));
  const n = parsedInteger(result) ?? notParsed(value, result, 'integer');
  if (n < 0) throw new StatesRuntimeError(`Expected non-negative integer for MaxConcurrency, got '${n}' instead.`);
  return n;
}

/** ToleratedFailureCount / ToleratedFailureCountPath, or undefined when absent. */
export async function toleratedCountOf(value: DynamicValue | undefined, input: JsonValue, t: Transition): Promise<number | undefined> {
  if (!value) return undefined;
  const result = await evaluated(value, input, t);
  if (value.path === undefined) return bounded(value, result, undefined);
  const n = parsedInteger(result) ?? notParsed(value, result, 'integer');
  if (n < 0) throw new StatesRuntimeError('ToleratedFailureCount cannot be negative.');
  return n;
}

/** ToleratedFailurePercentage / ToleratedFailurePercentagePath, or undefined when absent. */
export async function toleratedPercentageOf(value: DynamicValue | undefined, input: JsonValue, t: Transition): Promise<number | undefined> {
  if (!value) return undefined;
  const result = await evaluated(value, input, t);
  if (value.path === undefined) return bounded(value, result, 100);
  const n = parsedFloat(result) ?? notParsed(value, result, 'float');
  if (n < 0 || n > 100) throw new StatesRuntimeError('ToleratedFailurePercentage must be between 0 and 100.');
  return n;
}
