/**
 * ListExecutions on the `byMachine` index (`g1pk` the state machine ARN,
 * `g1sk` start time and name), newest first, one page per query. The index
 * sorts by start only, so the status, redrive and version or alias filters
 * are filter expressions on attributes the execution item keeps outside its
 * body (`st`, `rc`, `vs`, `al`): a query reads up to the page's size, and
 * only a selective filter makes the store query again for the rest.
 */
import type { AttributeValue, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { ExecutionQuery } from '../../service/ports';

type Item = Record<string, AttributeValue>;

/** The query for up to `limit` items of the listing after `start`. */
export function listingQuery(tableName: string, stateMachineArn: string, query: ExecutionQuery, limit: number, start: Item | undefined): QueryCommandInput {
  const filters: string[] = [];
  const values: Item = { ':m': { S: stateMachineArn } };
  if (query.status !== undefined) {
    filters.push('st = :st');
    values[':st'] = { S: query.status };
  }
  if (query.redriven !== undefined) {
    filters.push(query.redriven ? 'rc > :zero' : 'rc = :zero');
    values[':zero'] = { N: '0' };
  }
  if (query.startedThrough !== undefined) {
    filters.push('(vs = :q OR al = :q)');
    values[':q'] = { S: query.startedThrough };
  }
  return {
    TableName: tableName,
    IndexName: 'byMachine',
    KeyConditionExpression: 'g1pk = :m',
    ExpressionAttributeValues: values,
    ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
    ScanIndexForward: false,
    Limit: limit,
    ReturnConsumedCapacity: 'TOTAL',
    ...(start ? { ExclusiveStartKey: start } : {}),
  };
}

/** The cursor of the next page: `[g1sk, pk]` of the last item of this one. */
export function listingCursor(last: Item): string {
  return JSON.stringify([last.g1sk?.S, last.pk?.S]);
}

/** The ExclusiveStartKey a cursor stands for. */
export function listingStart(stateMachineArn: string, cursor: string): Item {
  const [g1sk, pk] = JSON.parse(cursor) as [string, string];
  return { g1pk: { S: stateMachineArn }, g1sk: { S: g1sk }, pk: { S: pk }, sk: { S: 'X' } };
}
