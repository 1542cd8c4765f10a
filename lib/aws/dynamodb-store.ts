/**
 * The execution store on one DynamoDB table (partition key `pk`, sort key
 * `sk`, both strings; GSI `byMachine` on `g1pk`/`g1sk` for listing). Every
 * deciding write is a conditional single-item write — no transactions, so
 * it runs on dynalite and costs one write per transition:
 *
 * | item                | pk                  | sk                          |
 * |---------------------|---------------------|-----------------------------|
 * | state machine       | `MACHINES`          | `<arn>`                     |
 * | definition revision | `SM#<arn>`          | `REV#<revisionId>`          |
 * | execution           | `X#<hash of arn>`   | `X`                         |
 * | frame version       | `X#<hash of arn>`   | `F#<frameId>#<version:10>`  |
 * | task claim          | `X#<hash of arn>`   | `C#<frameId>#<entry>#<n>`   |
 * | activity            | `ACTIVITIES`        | `<arn>`                     |
 * | activity task       | `A#<arn>`           | `Q#<scheduledAt>#<hash>`    |
 * | large value          | `X#<hash of arn>`   | `V#<sha256 of its JSON>`    |
 * | child completion    | `X#<hash of arn>`   | `K#…` (dynamodb/completions) |
 *
 * Bodies are JSON, Brotli-compressed over 700 bytes, in S3 past
 * `maxItemBodyBytes` (lib/aws/dynamodb/item-body.ts). With a retention,
 * items of executions carry their expiry in `ex`, the table's TTL attribute
 * (lib/aws/dynamodb/expiry.ts: how long, and how an execution's end
 * shortens it).
 */
import { createHash } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DeleteItemCommand,
  type ConsumedCapacity,
} from '@aws-sdk/client-dynamodb';
import type { Message } from '../engine/messages';
import { NO_METER, type Meter } from './meter';
import { listingCursor, listingQuery, listingStart } from './dynamodb/listing';
import { completionSk, completionsQuery } from './dynamodb/completions';
import { itemBytes } from './dynamodb/item-bytes';
import { ItemBodies } from './dynamodb/item-body';
import { chainStart, FrameChains, frameSk, slot } from './dynamodb/frame-chain';
import { ExecutionExpiry } from './dynamodb/execution-expiry';
import type { ActivityRecord, ActivityTask, BlobStore, ChildCompletion, ExecutionQuery, ExecutionRecord, ExecutionStore, FrameVersion, StateMachineRecord, StorePage, TaskClaim } from '../service/ports';

export interface DynamoStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Where bodies too large for an item go. Without it, such a write fails. */
  blobs?: BlobStore;
  /** @default 350 000 (DynamoDB's item limit is 400 KB) */
  maxItemBodyBytes?: number;
  /**
   * How long a finished execution's items are kept: each carries its expiry
   * in `ex`, the table's TTL attribute. An item written while the execution
   * runs expires the longest the run can still take (its TimeoutSeconds, else
   * a year) plus this after it was written; when the execution ends, its
   * record and (where the storage saved pays for the write) its other items
   * expire this long after the end. @default kept forever
   */
  retentionSeconds?: number;
  meter?: Meter;
}

/** Whether the item's TTL (`ex`, epoch seconds) has passed. */
function expired(item: Item): boolean {
  return item.ex?.N !== undefined && Number(item.ex.N) * 1000 <= Date.now();
}
/** The partitions that list state machines and activities. */
const MACHINES = 'MACHINES';
const ACTIVITIES = 'ACTIVITIES';
/**
 * An execution's partition key: `X#` and 22 characters of the SHA-256 of its
 * ARN — every item of the execution repeats it, and write units are billed
 * per KB, so a short key keeps a 1 KiB state in one unit.
 */
export function executionKey(executionArn: string): string {
  return `X#${createHash('sha256').update(executionArn).digest('base64url').slice(0, 22)}`;
}


const pad = (n: number, width: number): string => String(n).padStart(width, '0');
type Item = Record<string, AttributeValue>;

export class DynamoStore implements ExecutionStore {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly bodies: ItemBodies;
  /** Frame versions as deltas of the version before (lib/aws/dynamodb/frame-chain.ts). */
  private readonly chains: FrameChains;
  private readonly meter: Meter;
  private readonly expiry: ExecutionExpiry;

  constructor(options: DynamoStoreOptions) {
    this.client = options.client;
    this.table = options.tableName;
    this.bodies = new ItemBodies(options.maxItemBodyBytes ?? 350_000, options.blobs);
    this.chains = new FrameChains(this.bodies);
    this.meter = options.meter ?? NO_METER;
    this.expiry = new ExecutionExpiry(options.retentionSeconds);
  }

  /** Sets the item's TTL (lib/aws/dynamodb/execution-expiry.ts). */
  private expiring(item: Item, executionArn?: string, endedAt?: number): Item {
    return this.expiry.stamp(item, executionArn, endedAt);
  }

  private learnRetention(record: ExecutionRecord): ExecutionRecord {
    return this.expiry.learn(record);
  }

  /** Settles the items' expiry after the record changed (see ExecutionExpiry.settle); true, the record's write having won. */
  private async settled(arn: string, record: ExecutionRecord): Promise<true> {
    await this.expiry.settle({ client: this.client, table: this.table, meter: this.meter, pk: executionKey(arn) }, arn, record);
    return true;
  }

  /** Creates the table as the CDK construct defines it (tests and local runs), and waits until it is ACTIVE. */
  static async createTable(client: DynamoDBClient, tableName: string): Promise<void> {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'g1pk', AttributeType: 'S' },
          { AttributeName: 'g1sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byMachine',
            KeySchema: [
              { AttributeName: 'g1pk', KeyType: 'HASH' },
              { AttributeName: 'g1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    // A new table is CREATING at first (dynalite: until its next tick): a write before it is ACTIVE finds no table.
    while ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 20));
  }

  // ---- plumbing ------------------------------------------------------------------------

  private capacity(op: string, consumed: ConsumedCapacity | undefined, write: boolean): void {
    const units = consumed?.CapacityUnits ?? 0;
    this.meter.record('dynamodb', op, write ? { writeUnits: units } : { readUnits: units });
  }

  private async put(op: string, item: Item, condition?: string, values?: Item): Promise<boolean> {
    try {
      const out = await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: item,
          ...(condition ? { ConditionExpression: condition } : {}),
          ...(values ? { ExpressionAttributeValues: values } : {}),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.capacity(op, out.ConsumedCapacity, true);
      const bytes = itemBytes(item);
      const lives = item.ex?.N !== undefined ? Math.max(0, Number(item.ex.N) - Date.now() / 1000) : 0;
      this.meter.record('dynamodb', op, { requests: 0, storedBytes: bytes, storedByteSeconds: bytes * lives });
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') {
        // A failed condition still consumes a write unit.
        this.meter.record('dynamodb', op, { writeUnits: 1 });
        return false;
      }
      throw err;
    }
  }

  private async get(op: string, pk: string, sk: string): Promise<Item | undefined> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.table, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    this.capacity(op, out.ConsumedCapacity, false);
    return out.Item && !expired(out.Item) ? out.Item : undefined;
  }

  private async query(op: string, input: Omit<QueryCommandInput, 'TableName'>, all = true): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.client.send(new QueryCommand({ TableName: this.table, ReturnConsumedCapacity: 'TOTAL', ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      this.capacity(op, out.ConsumedCapacity, false);
      // TTL deletes expired items within days, not at once: until then they are not there.
      for (const item of out.Items ?? []) if (!expired(item)) items.push(item);
      start = all ? out.LastEvaluatedKey : undefined;
    } while (start);
    return items;
  }

  private prefix(op: string, pk: string, skPrefix: string, extra: Partial<QueryCommandInput> = {}, all = true): Promise<Item[]> {
    return this.query(
      op,
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':p': { S: skPrefix } },
        ConsistentRead: true,
        ...extra,
      },
      all,
    );
  }

  // ---- state machines ------------------------------------------------------------------

  async putStateMachine(record: StateMachineRecord): Promise<void> {
    await this.put('PutRevision', await this.bodies.encode(`SM#${record.stateMachineArn}`, `REV#${record.revisionId}`, record.definition));
    await this.put('PutStateMachine', await this.bodies.encode(MACHINES, record.stateMachineArn, record));
  }

  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    const item = await this.get('GetStateMachine', MACHINES, arn);
    return item && this.bodies.decode<StateMachineRecord>(item);
  }

  async listStateMachines(): Promise<StateMachineRecord[]> {
    const items = await this.query('ListStateMachines', { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: MACHINES } } });
    return Promise.all(items.map((i) => this.bodies.decode<StateMachineRecord>(i)));
  }

  async deleteStateMachine(arn: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: { S: MACHINES }, sk: { S: arn } } }));
    this.meter.record('dynamodb', 'DeleteStateMachine', { writeUnits: 1 });
  }

  async getDefinition(arn: string, revisionId: string): Promise<string | undefined> {
    const item = await this.get('GetDefinition', `SM#${arn}`, `REV#${revisionId}`);
    return item && this.bodies.decode<string>(item);
  }

  // ---- executions ----------------------------------------------------------------------

  private async executionItem(record: ExecutionRecord): Promise<Item> {
    const item = await this.bodies.encode(executionKey(record.info.executionArn), 'X', record);
    item.st = { S: record.status };
    item.rc = { N: String(record.info.redriveCount ?? 0) };
    item.g1pk = { S: record.info.stateMachineArn };
    item.g1sk = { S: `${pad(record.info.startTime, 15)}#${record.info.name}` };
    // Kept outside the (compressed) body so ListExecutions can filter on them.
    if (record.versionArn !== undefined) item.vs = { S: record.versionArn };
    if (record.aliasArn !== undefined) item.al = { S: record.aliasArn };
    this.learnRetention(record);
    return this.expiring(item, record.info.executionArn, record.status === 'RUNNING' ? undefined : (record.stopDate ?? Date.now()));
  }

  async createExecution(record: ExecutionRecord): Promise<boolean> {
    return this.put('CreateExecution', await this.executionItem(record), 'attribute_not_exists(pk)');
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const item = await this.get('GetExecution', executionKey(arn), 'X');
    return item && this.learnRetention(await this.bodies.decode<ExecutionRecord>(item));
  }

  async finishExecution(arn: string, end: Pick<ExecutionRecord, 'status' | 'stopDate' | 'output' | 'error' | 'cause'>, known?: ExecutionRecord): Promise<boolean> {
    if (known?.status === 'RUNNING') {
      // The common path writes without a read: the record as the caller knows it, if it is still that run of it.
      const finished = { ...known, ...end };
      const written = await this.put('FinishExecution', await this.executionItem(finished), 'st = :running AND rc = :rc', {
        ':running': { S: 'RUNNING' },
        ':rc': { N: String(known.info.redriveCount ?? 0) },
      });
      if (written) return this.settled(arn, finished);
    }
    const current = await this.getExecution(arn);
    if (!current || current.status !== 'RUNNING') return false;
    // Only the first terminal status sticks: the write is conditional on the item still saying RUNNING.
    const finished = { ...current, ...end };
    return (await this.put('FinishExecution', await this.executionItem(finished), 'st = :running', { ':running': { S: 'RUNNING' } })) && this.settled(arn, finished);
  }

  async reopenExecution(arn: string, expected: ExecutionRecord['status'], record: ExecutionRecord): Promise<boolean> {
    // The record names its execution; the condition is what makes the redrive happen once.
    return (await this.put('ReopenExecution', await this.executionItem(record), 'st = :expected', { ':expected': { S: expected } })) && this.settled(arn, record);
  }

  async listExecutions(stateMachineArn: string, query: ExecutionQuery): Promise<StorePage<ExecutionRecord>> {
    // One item past the page tells whether another follows, so the last page carries no cursor.
    const items: Item[] = [];
    let start = query.after !== undefined ? listingStart(stateMachineArn, query.after) : undefined;
    do {
      const out = await this.client.send(new QueryCommand(listingQuery(this.table, stateMachineArn, query, query.limit + 1 - items.length, start)));
      this.capacity('ListExecutions', out.ConsumedCapacity, false);
      for (const item of out.Items ?? []) if (!expired(item)) items.push(item);
      start = out.LastEvaluatedKey;
    } while (start && items.length <= query.limit);
    const page = items.slice(0, query.limit);
    const records = await Promise.all(page.map((i) => this.bodies.decode<ExecutionRecord>(i)));
    return items.length > query.limit ? { items: records, next: listingCursor(page[page.length - 1]) } : { items: records };
  }

  // ---- frames ----------------------------------------------------------------------------

  async putFrameVersion(arn: string, version: FrameVersion): Promise<boolean> {
    const pk = executionKey(arn);
    const sk = frameSk(version.frame.id, version.frame.version);
    const { item, text } = await this.chains.encode(pk, sk, version);
    // The version that ends the execution (its outbox finishes it, stopDate = `at`) expires with the record: no settling it.
    const ends = version.outbox?.effects.some((e) => (e as { type?: unknown }).type === 'ExecutionFinished') === true;
    let won = false;
    try {
      won = await this.put('PutFrameVersion', this.expiring(item, arn, ends ? version.at : undefined), 'attribute_not_exists(pk)');
    } finally {
      this.chains.written(pk, sk, text, won);
    }
    return won;
  }

  async markOutboxDone(arn: string, frameId: string, version: number): Promise<void> {
    const out = await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: executionKey(arn) }, sk: { S: frameSk(frameId, version) } },
        UpdateExpression: 'SET od = :t',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':t': { BOOL: true } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    ).catch((err: { name?: string }) => {
      if (err.name === 'ConditionalCheckFailedException') return undefined;
      throw err;
    });
    this.capacity('MarkOutboxDone', out?.ConsumedCapacity, true);
  }

  async hasFrameVersion(arn: string, frameId: string, version: number): Promise<boolean> {
    // Only the key is read: a probe costs the minimum read unit however large the version's body.
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: { S: executionKey(arn) }, sk: { S: frameSk(frameId, version) } }, ConsistentRead: true, ProjectionExpression: 'pk', ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.capacity('HasFrameVersion', out.ConsumedCapacity, false);
    return out.Item !== undefined;
  }

  async latestFrame(arn: string, frameId: string): Promise<FrameVersion | undefined> {
    const pk = executionKey(arn);
    const [latest] = await this.prefix('LatestFrame', pk, `F#${frameId}#`, { ScanIndexForward: false, Limit: 1 }, false);
    if (latest === undefined) return undefined;
    const v = slot(latest).version;
    // A delta of a version this store does not know: read back to its keyframe slot (at most 15 items more).
    const items = this.chains.standsAlone(pk, latest) ? [latest] : [...(await this.frameItems('LatestFrameChain', pk, frameId, chainStart(v), v - 1)), latest];
    const [rebuilt] = await this.chains.decode(pk, items, (i) => i === latest, true);
    if (rebuilt === undefined) throw new Error(`Version ${v} of frame ${frameId} of ${arn} cannot be rebuilt: its keyframe is missing`);
    return rebuilt;
  }

  /** The items of one frame's versions `from`..`to`, ascending. */
  private frameItems(op: string, pk: string, frameId: string, from: number, to: number, limit?: number): Promise<Item[]> {
    return this.query(
      op,
      {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':from': { S: frameSk(frameId, from) }, ':to': { S: frameSk(frameId, to) } },
        ConsistentRead: true,
        ...(limit !== undefined ? { Limit: limit } : {}),
      },
      limit === undefined,
    );
  }

  async framesUnder(arn: string, idPrefix: string): Promise<FrameVersion[]> {
    const pk = executionKey(arn);
    const items = await this.prefix('FramesUnder', pk, `F#${idPrefix}`);
    // Sort keys ascend by frame then version: a frame's latest is the item before the next frame's first.
    const isLast = (item: Item, i: number): boolean => i + 1 === items.length || slot(items[i + 1]!).frame !== slot(item).frame;
    return this.chains.decode(pk, items, isLast, true);
  }

  async allFrameVersions(arn: string): Promise<FrameVersion[]> {
    const pk = executionKey(arn);
    return this.chains.decode(pk, await this.prefix('History', pk, 'F#'));
  }

  async frameVersions(arn: string, frameId: string, from: number, limit: number): Promise<FrameVersion[]> {
    const pk = executionKey(arn);
    // From the keyframe slot at or before `from`: the versions before it are read only to rebuild the page.
    const start = chainStart(Math.max(0, from));
    const items = await this.frameItems('HistoryPage', pk, frameId, start, 9_999_999_999, limit + (Math.max(0, from) - start));
    return this.chains.decode(pk, items, (i) => slot(i).version >= from);
  }

  async putChildCompletion(arn: string, completion: ChildCompletion): Promise<void> {
    await this.put('PutChildCompletion', this.expiring(await this.bodies.encode(executionKey(arn), completionSk(completion.message), completion), arn));
  }

  async childCompletions(arn: string, parentId: string, entry: number, run: number, from: number, limit: number): Promise<ChildCompletion[]> {
    const items = await this.query('ChildCompletions', completionsQuery(executionKey(arn), parentId, entry, run, from, limit), false);
    return Promise.all(items.map((i) => this.bodies.decode<ChildCompletion>(i)));
  }

  // ---- task claims -------------------------------------------------------------------------

  async putValue(arn: string, hash: string, json: string): Promise<void> {
    await this.put('PutValue', this.expiring(await this.bodies.encodeText(executionKey(arn), `V#${hash}`, json), arn));
  }

  async getValue(arn: string, hash: string): Promise<string> {
    // Content-addressed values never change: an eventually consistent read (half the cost) is enough.
    const out = await this.client.send(new GetItemCommand({ TableName: this.table, Key: { pk: { S: executionKey(arn) }, sk: { S: `V#${hash}` } }, ReturnConsumedCapacity: 'TOTAL' }));
    this.capacity('GetValue', out.ConsumedCapacity, false);
    if (!out.Item) throw new Error(`The value ${hash} of ${arn} is missing`);
    return this.bodies.text(out.Item);
  }

  async valuesUnder(arn: string, prefix: string): Promise<{ key: string; json: string }[]> {
    const items = await this.prefix('ValuesUnder', executionKey(arn), `V#${prefix}`);
    return Promise.all(items.map(async (item) => ({ key: item.sk!.S!.slice(2), json: await this.bodies.text(item) })));
  }

  // ---- activities ----------------------------------------------------------------------

  async putActivity(record: ActivityRecord): Promise<void> {
    await this.put('PutActivity', await this.bodies.encode(ACTIVITIES, record.activityArn, record));
  }

  async getActivity(arn: string): Promise<ActivityRecord | undefined> {
    const item = await this.get('GetActivity', ACTIVITIES, arn);
    return item && this.bodies.decode<ActivityRecord>(item);
  }

  async deleteActivity(arn: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: { S: ACTIVITIES }, sk: { S: arn } } }));
    this.meter.record('dynamodb', 'DeleteActivity', { writeUnits: 1 });
  }

  async listActivities(): Promise<ActivityRecord[]> {
    const items = await this.query('ListActivities', { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: ACTIVITIES } } });
    return Promise.all(items.map((i) => this.bodies.decode<ActivityRecord>(i)));
  }

  async enqueueActivityTask(arn: string, task: ActivityTask): Promise<void> {
    const sk = `Q#${pad(task.scheduledAt, 15)}#${createHash('sha256').update(task.taskToken).digest('hex').slice(0, 32)}`;
    await this.put('EnqueueActivityTask', this.expiring(await this.bodies.encode(`A#${arn}`, sk, task)));
  }

  async takeActivityTask(arn: string): Promise<ActivityTask | undefined> {
    for (const item of await this.prefix('PeekActivityTasks', `A#${arn}`, 'Q#', { Limit: 10 }, false)) {
      // The conditional delete hands the task to exactly one worker.
      try {
        const out = await this.client.send(
          new DeleteItemCommand({ TableName: this.table, Key: { pk: item.pk!, sk: item.sk! }, ConditionExpression: 'attribute_exists(pk)', ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' }),
        );
        this.capacity('TakeActivityTask', out.ConsumedCapacity, true);
        if (out.Attributes) return this.bodies.decode<ActivityTask>(out.Attributes);
      } catch (err) {
        if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      }
    }
    return undefined;
  }

  async claimTask(arn: string, key: string, claimedAt: number, keepMs?: number): Promise<boolean> {
    // (Expiry runs on this store's clock, as every item's does; `claimedAt` is the driver's.)
    return this.put('ClaimTask', this.expiringAfter(await this.bodies.encode(executionKey(arn), `C#${key}`, { claimedAt }), arn, Date.now(), keepMs), 'attribute_not_exists(pk)');
  }

  async getTaskClaim(arn: string, key: string): Promise<TaskClaim | undefined> {
    const item = await this.get('GetTaskClaim', executionKey(arn), `C#${key}`);
    return item && this.bodies.decode<TaskClaim>(item);
  }

  async recordTaskResult(arn: string, key: string, result: Message | null, keepMs?: number): Promise<void> {
    // Once a result exists the claim time no longer matters, so recording needs no read.
    const body: TaskClaim = result === null ? { claimedAt: 0, pending: true } : { claimedAt: 0, result };
    await this.put('RecordTaskResult', this.expiringAfter(await this.bodies.encode(executionKey(arn), `C#${key}`, body), arn, Date.now(), keepMs));
  }

  /**
   * An item that must last only `keepMs` after `from` (a task request's claim): it expires then, or with the
   * execution's items if those go sooner (an execution kept forever keeps it too). Without `keepMs`, as those.
   */
  private expiringAfter(item: Item, arn: string, from: number, keepMs: number | undefined): Item {
    const stamped = this.expiring(item, arn);
    if (keepMs === undefined || stamped.ex?.N === undefined) return stamped;
    stamped.ex = { N: String(Math.min(Number(stamped.ex.N), Math.ceil((from + keepMs) / 1000))) };
    return stamped;
  }
}
