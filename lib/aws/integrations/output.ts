/**
 * An SDK command's output as the JSON a Task's result is: without the
 * client's `$metadata`, streams read to text (S3 GetObject's Body, as Step
 * Functions returns it), bytes as base64 (DynamoDB's B), dates as ISO 8601
 * text; and for optimized integrations whose results Step Functions' Java
 * client decorates, `SdkHttpMetadata` and `SdkResponseMetadata`.
 */
import type { JsonObject, JsonValue } from '../../asl/json';

/** A body the SDK hands back as a stream (sdkStreamMixin). */
interface SdkStream {
  transformToString(encoding?: string): Promise<string>;
}

function isStream(value: unknown): value is SdkStream {
  return typeof value === 'object' && value !== null && typeof (value as Partial<SdkStream>).transformToString === 'function';
}

/** A value of an SDK output as JSON. */
export async function outputJson(value: unknown): Promise<JsonValue> {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (isStream(value)) return value.transformToString('utf-8');
  if (Array.isArray(value)) return Promise.all(value.map(outputJson));
  if (value instanceof Set) return Promise.all([...value].map(outputJson));
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (key === '$metadata' || field === undefined) continue;
    out[key] = await outputJson(field);
  }
  return out;
}

export { httpMetadata } from '../../engine/integrations/http-metadata';

/** Every key with its first letter uppercase, at every depth: a camelCase API's result as Step Functions gives it (`taskArn` → `TaskArn`). */
export function pascalKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), pascalKeys(v)]));
}

/** Per client package, how Step Functions' result differs from the SDK's output as JSON. */
const OUTPUT_SHAPES: Readonly<Record<string, (output: JsonValue) => JsonValue>> = {
  ecs: pascalKeys,
  batch: pascalKeys,
};

/** The result of a call to `client` from its output as JSON. */
export function sdkOutput(client: string, output: JsonValue): JsonValue {
  const shape = OUTPUT_SHAPES[client];
  return shape ? shape(output) : output;
}
