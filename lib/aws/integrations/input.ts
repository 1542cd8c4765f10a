/**
 * A task's parameters as the SDK command takes them. JSON has no bytes, so
 * Step Functions takes DynamoDB's binary attribute values (`B`, `BS`) as
 * base64 text; the SDK wants them as bytes. Other parameters pass as given.
 */
import { isJsonObject, type JsonValue } from '../../asl/json';

/** A value of a command's input: JSON, or bytes where the API has blobs. */
export type SdkValue = JsonValue | Uint8Array | SdkValue[] | { [key: string]: SdkValue };

/** DynamoDB attribute values anywhere in the input: `{"B": "aGk="}` → bytes, `{"BS": [...]}` → a list of bytes. */
function dynamodbBinaries(value: JsonValue): SdkValue {
  if (Array.isArray(value)) return value.map(dynamodbBinaries);
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'B' && typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (keys.length === 1 && keys[0] === 'BS' && Array.isArray(value.BS) && value.BS.every((b) => typeof b === 'string')) {
    return { BS: value.BS.map((b) => Buffer.from(b as string, 'base64')) };
  }
  return Object.fromEntries(keys.map((k) => [k, dynamodbBinaries(value[k])]));
}

/**
 * AWS Batch's members whose values are maps keyed by the user (a job's
 * `parameters` and `tags`, a log configuration's `options`, a pod's `labels`
 * and `annotations`): their keys are data, not member names, and pass as
 * given both ways.
 */
export const BATCH_MAP_MEMBERS: ReadonlySet<string> = new Set(['parameters', 'tags', 'options', 'labels', 'annotations']);

const NO_MAPS: ReadonlySet<string> = new Set();

/**
 * Every key with its first letter lowercase, at every depth: ECS's and
 * Batch's APIs name their members in camelCase (`cluster`, `taskDefinition`),
 * and "Parameters in Step Functions are expressed in PascalCase, even if the
 * native service API is in camelCase". The values of the `maps` members are
 * kept as they are.
 */
export function camelKeys(value: JsonValue, maps: ReadonlySet<string> = NO_MAPS): JsonValue {
  if (Array.isArray(value)) return value.map((v) => camelKeys(v, maps));
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const member = k.charAt(0).toLowerCase() + k.slice(1);
      return [member, maps.has(member) ? v : camelKeys(v, maps)];
    }),
  );
}

/** Per client package, how its input differs from the task's parameters. */
const INPUT_SHAPES: Readonly<Record<string, (input: JsonValue) => SdkValue>> = {
  dynamodb: dynamodbBinaries,
  ecs: (input) => camelKeys(input),
  batch: (input) => camelKeys(input, BATCH_MAP_MEMBERS),
};

/** The command input for a call to `client` with the task's parameters. */
export function sdkInput(client: string, input: JsonValue): SdkValue {
  const shape = INPUT_SHAPES[client];
  return shape ? shape(input) : input;
}
