/**
 * An SDK command's output as the JSON a Task's result is: without the
 * client's `$metadata`, streams read to text (S3 GetObject's Body, as Step
 * Functions returns it), bytes as base64 (DynamoDB's B), dates as ISO 8601
 * text; and for optimized integrations whose results Step Functions' Java
 * client decorates, `SdkHttpMetadata` and `SdkResponseMetadata`.
 *
 * The optimized job integrations (ECS, Batch, Glue) return the Java client's
 * result object as JSON, and results recorded from Step Functions show how:
 * members in alphabetical order at every depth and timestamps as epoch
 * milliseconds — an ECS task as `"PullStoppedAt": 1680596463273, "StartedAt":
 * 1680596463814, "StartedBy": …, "StopCode": …`, a Glue JobRun as
 * `"AllocatedCapacity": 1, "Attempt": 0, "CompletedOn": 1638296059130, …`.
 */
import type { JsonObject, JsonValue } from '../../asl/json';
import { BATCH_MAP_MEMBERS } from './input';

/** A body the SDK hands back as a stream (sdkStreamMixin). */
interface SdkStream {
  transformToString(encoding?: string): Promise<string>;
}

function isStream(value: unknown): value is SdkStream {
  return typeof value === 'object' && value !== null && typeof (value as Partial<SdkStream>).transformToString === 'function';
}

/** How dates are written: ISO 8601 text, or epoch milliseconds (the optimized job integrations'). */
export type DateForm = 'iso' | 'epoch-millis';

/** A value of an SDK output as JSON. */
export async function outputJson(value: unknown, dates: DateForm = 'iso'): Promise<JsonValue> {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return dates === 'iso' ? value.toISOString() : value.getTime();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (isStream(value)) return value.transformToString('utf-8');
  if (Array.isArray(value)) return Promise.all(value.map((v) => outputJson(v, dates)));
  if (value instanceof Set) return Promise.all([...value].map((v) => outputJson(v, dates)));
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (key === '$metadata' || field === undefined) continue;
    out[key] = await outputJson(field, dates);
  }
  return out;
}

/** Every object's members in alphabetical order, at every depth (the Java client's serialization). */
export function alphabeticalKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(alphabeticalKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, alphabeticalKeys(value[k]!)]));
}

export { httpMetadata } from '../../engine/integrations/http-metadata';

const NO_MAPS: ReadonlySet<string> = new Set();

/**
 * Every key with its first letter uppercase, at every depth: a camelCase
 * API's result as Step Functions gives it (`taskArn` → `TaskArn`); the values
 * of the `maps` members (keyed by the user, ./input.ts) kept as they are.
 */
export function pascalKeys(value: JsonValue, maps: ReadonlySet<string> = NO_MAPS): JsonValue {
  if (Array.isArray(value)) return value.map((v) => pascalKeys(v, maps));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), maps.has(k) ? v : pascalKeys(v, maps)]));
}

/** Per client package, how Step Functions' result differs from the SDK's output as JSON. */
const OUTPUT_SHAPES: Readonly<Record<string, (output: JsonValue) => JsonValue>> = {
  ecs: (output) => pascalKeys(output),
  batch: (output) => pascalKeys(output, BATCH_MAP_MEMBERS),
};

/** The client packages of the optimized job integrations, whose results are the Java client's objects (see above). */
const JAVA_OBJECT_RESULTS: ReadonlySet<string> = new Set(['ecs', 'batch', 'glue']);

/** The result of a call to `client` from its output as JSON. */
export function sdkOutput(client: string, output: JsonValue): JsonValue {
  const shape = OUTPUT_SHAPES[client];
  return shape ? shape(output) : output;
}

/**
 * The result of a call to `client` from the SDK's output (its `$metadata`
 * dropped); an optimized integration's (`optimized`) with the dates its result
 * has. {@link inResultOrder} puts its members in order once it is complete.
 */
export async function sdkResult(client: string, output: unknown, optimized: boolean): Promise<JsonValue> {
  return sdkOutput(client, await outputJson(output, optimized && JAVA_OBJECT_RESULTS.has(client) ? 'epoch-millis' : 'iso'));
}

/** A complete result (its HTTP metadata in it) in the order of its members Step Functions gives: the Java client's, for the optimized job integrations. */
export function inResultOrder<T extends JsonValue>(client: string, optimized: boolean, result: T): T {
  return optimized && JAVA_OBJECT_RESULTS.has(client) ? (alphabeticalKeys(result) as T) : result;
}
