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

/** Per client package, how its input differs from the task's parameters. */
const INPUT_SHAPES: Readonly<Record<string, (input: JsonValue) => SdkValue>> = {
  dynamodb: dynamodbBinaries,
};

/** The command input for a call to `client` with the task's parameters. */
export function sdkInput(client: string, input: JsonValue): SdkValue {
  const shape = INPUT_SHAPES[client];
  return shape ? shape(input) : input;
}
