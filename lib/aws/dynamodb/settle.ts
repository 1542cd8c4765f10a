/**
 * Rewrites the expiry (`ex`, the TTL attribute) of an execution's items:
 * shorter when it ends (its items need only outlive the retention after the
 * end), longer again when it is redriven. One query of the partition, then
 * one UpdateItem per item that changes, a few at a time.
 */
import { type AttributeValue, type DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Meter } from '../meter';
import { itemBytes } from './item-bytes';

type Item = Record<string, AttributeValue>;

/** The sort key of the execution's record, which its own write gives its expiry. */
const RECORD_SK = 'X';
/** UpdateItem calls in flight at once. */
const PARALLEL_UPDATES = 16;

/** Where and how to settle: the partition, and each item's new expiry (undefined: leave it). */
export interface SettleRequest {
  client: DynamoDBClient;
  table: string;
  meter: Meter;
  /** The execution's partition key. */
  pk: string;
  /** The meter's name for the calls. */
  op: string;
  /** The new expiry of an item of `bytes` that now expires at `currentEx` (absent: none), or undefined to leave it. */
  next(currentEx: number | undefined, bytes: number): number | undefined;
}

/**
 * Rewrites the expiry of every item of the partition but its record (sort key
 * `X`, written with its own expiry) that `next` changes. Each update holds
 * only if the item still has the expiry it was read with, so a concurrent
 * settle that changed it (a redrive extending what an end shortens) wins;
 * an item deleted meanwhile is not brought back.
 */
export async function settleExpiry(req: SettleRequest): Promise<void> {
  const changes: { key: Item; from: number | undefined; to: number; bytes: number }[] = [];
  let start: Item | undefined;
  do {
    const out = await req.client.send(
      new QueryCommand({
        TableName: req.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: req.pk } },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    req.meter.record('dynamodb', req.op, { readUnits: out.ConsumedCapacity?.CapacityUnits ?? 0 });
    for (const item of out.Items ?? []) {
      if (item.sk?.S === RECORD_SK) continue;
      const from = item.ex?.N !== undefined ? Number(item.ex.N) : undefined;
      const bytes = itemBytes(item);
      const to = req.next(from, bytes);
      if (to !== undefined && to !== from) changes.push({ key: { pk: item.pk!, sk: item.sk! }, from, to, bytes });
    }
    start = out.LastEvaluatedKey;
  } while (start);
  for (let i = 0; i < changes.length; i += PARALLEL_UPDATES) {
    await Promise.all(changes.slice(i, i + PARALLEL_UPDATES).map((c) => update(req, c)));
  }
}

async function update(req: SettleRequest, c: { key: Item; from: number | undefined; to: number; bytes: number }): Promise<void> {
  try {
    const out = await req.client.send(
      new UpdateItemCommand({
        TableName: req.table,
        Key: c.key,
        UpdateExpression: 'SET ex = :to',
        ConditionExpression: c.from === undefined ? 'attribute_exists(pk) AND attribute_not_exists(ex)' : 'ex = :from',
        ExpressionAttributeValues: { ':to': { N: String(c.to) }, ...(c.from !== undefined ? { ':from': { N: String(c.from) } } : {}) },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    const nowS = Date.now() / 1000;
    // What the item's storage changes by: its bytes over the time it no longer (or now also) lives.
    const before = c.from === undefined ? 0 : Math.max(0, c.from - nowS);
    req.meter.record('dynamodb', req.op, { writeUnits: out.ConsumedCapacity?.CapacityUnits ?? 0, storedByteSeconds: c.bytes * (Math.max(0, c.to - nowS) - before) });
  } catch (err) {
    if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
    req.meter.record('dynamodb', req.op, { writeUnits: 1 });
  }
}
