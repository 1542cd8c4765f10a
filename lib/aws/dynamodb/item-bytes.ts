/** How DynamoDB sizes an item for storage and write units. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** An item's size as DynamoDB bills storage: names and values, plus 100 bytes of overhead per item. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  let bytes = 100;
  for (const [name, v] of Object.entries(item)) {
    bytes += name.length;
    if (v.S !== undefined) bytes += Buffer.byteLength(v.S);
    else if (v.B !== undefined) bytes += v.B.length;
    else if (v.N !== undefined) bytes += Math.ceil(v.N.length / 2) + 1;
    else bytes += 1;
  }
  return bytes;
}
