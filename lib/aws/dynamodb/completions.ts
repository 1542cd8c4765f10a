/**
 * Child completions in the execution's partition (DESIGN.md invariant 5):
 * each child puts one item under its parent, state entry and run, keyed by
 * its index, so the parent collects every completion waiting for it with one
 * consistent query from the first index it has not counted, in index order.
 *
 * | item             | pk                | sk                                                |
 * |------------------|-------------------|---------------------------------------------------|
 * | child completion | `X#<hash of arn>` | `K#<parentId>#<entry:10>#<run:6>#<index:10>`     |
 */
import type { AttributeValue, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { ChildCompletedMessage } from '../../engine/messages';

type Item = Record<string, AttributeValue>;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The sort-key prefix of one child run's completions. */
function runPrefix(parentId: string, entry: number, run: number): string {
  return `K#${parentId}#${pad(entry, 10)}#${pad(run, 6)}#`;
}

/** The sort key of the completion `message` carries. */
export function completionSk(message: ChildCompletedMessage): string {
  return runPrefix(message.frameId, message.entry, message.run) + pad(message.index, 10);
}

/** The query for up to `limit` completions of one child run, from child index `from` on. */
export function completionsQuery(pk: string, parentId: string, entry: number, run: number, from: number, limit: number): Omit<QueryCommandInput, 'TableName'> {
  const prefix = runPrefix(parentId, entry, run);
  const values: Item = { ':pk': { S: pk }, ':from': { S: prefix + pad(Math.max(0, from), 10) }, ':to': { S: prefix + '9'.repeat(10) } };
  return { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to', ExpressionAttributeValues: values, ConsistentRead: true, Limit: limit };
}
