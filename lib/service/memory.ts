/**
 * In-memory implementations of the cloud driver's ports, with the semantics
 * of the real services that the invariants rely on: conditional puts that
 * exactly one writer wins, values that round-trip through JSON (nothing is
 * shared by reference with the driver), and a queue that delivers at least
 * once after a delay and hides a received message for a visibility timeout.
 * The fault-injection harness runs thousands of executions on these; the
 * integration tests run the same driver on dynalite and fauxqs.
 */
import type { Message } from '../engine/messages';
import { ITEMS_PER_TURN, turnOver } from './turn-over';
import type {
  ActivityRecord,
  ChildCompletion,
  ActivityTask,
  Envelope,
  ExecutionQuery,
  ExecutionRecord,
  ExecutionStore,
  FrameVersion,
  Outgoing,
  StateMachineRecord,
  StorePage,
  TaskClaim,
  TransitionQueue,
} from './ports';

/** Whether a record passes a query's filters (DynamoStore's filter expression, in memory). */
function matchesQuery(record: ExecutionRecord, query: ExecutionQuery): boolean {
  return (
    (query.status === undefined || record.status === query.status) &&
    (query.redriven === undefined || (record.info.redriveCount > 0) === query.redriven) &&
    (query.startedThrough === undefined || record.versionArn === query.startedThrough || record.aliasArn === query.startedThrough)
  );
}

/** Where a record sorts in a listing: start time, then name (DynamoStore's `g1sk`). */
const listingKey = (r: ExecutionRecord): string => `${String(r.info.startTime).padStart(15, '0')}#${r.info.name}`;
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class MemoryStore implements ExecutionStore {
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly definitions = new Map<string, string>();
  private readonly executions = new Map<string, ExecutionRecord>();
  /** executionArn → frameId → version → serialized FrameVersion */
  private readonly frames = new Map<string, Map<string, Map<number, string>>>();
  private readonly claims = new Map<string, TaskClaim>();

  async putStateMachine(record: StateMachineRecord): Promise<void> {
    this.machines.set(record.stateMachineArn, copy(record));
    this.definitions.set(`${record.stateMachineArn}#${record.revisionId}`, record.definition);
  }
  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    const r = this.machines.get(arn);
    return r && copy(r);
  }
  async listStateMachines(): Promise<StateMachineRecord[]> {
    return [...this.machines.values()].sort((a, b) => (a.stateMachineArn < b.stateMachineArn ? -1 : 1)).map(copy);
  }
  async deleteStateMachine(arn: string): Promise<void> {
    this.machines.delete(arn);
  }
  async getDefinition(arn: string, revisionId: string): Promise<string | undefined> {
    return this.definitions.get(`${arn}#${revisionId}`);
  }
  /** Deletes one definition revision (tests: an execution whose revision was deleted). */
  deleteDefinition(arn: string, revisionId: string): void {
    this.definitions.delete(`${arn}#${revisionId}`);
  }

  async createExecution(record: ExecutionRecord): Promise<boolean> {
    if (this.executions.has(record.info.executionArn)) return false;
    this.executions.set(record.info.executionArn, copy(record));
    return true;
  }
  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const r = this.executions.get(arn);
    return r && copy(r);
  }
  async finishExecution(arn: string, end: Pick<ExecutionRecord, 'status' | 'stopDate' | 'output' | 'error' | 'cause'>, known?: ExecutionRecord): Promise<boolean> {
    const r = this.executions.get(arn);
    if (!r || r.status !== 'RUNNING') return false;
    // As DynamoStore: the caller's record is written as it is when it is still this run of the execution.
    const base = known?.status === 'RUNNING' && (known.info.redriveCount ?? 0) === (r.info.redriveCount ?? 0) ? copy(known) : r;
    this.executions.set(arn, { ...base, ...copy(end) });
    return true;
  }
  async reopenExecution(arn: string, expected: ExecutionRecord['status'], record: ExecutionRecord): Promise<boolean> {
    const r = this.executions.get(arn);
    if (!r || r.status !== expected) return false;
    this.executions.set(arn, copy(record));
    return true;
  }
  async listExecutions(stateMachineArn: string, query: ExecutionQuery): Promise<StorePage<ExecutionRecord>> {
    // The cursor is DynamoStore's index sort key of the last record returned: the page starts below it.
    const page = [...this.executions.values()]
      .filter((r) => r.info.stateMachineArn === stateMachineArn && (query.after === undefined || listingKey(r) < query.after) && matchesQuery(r, query))
      .sort((a, b) => byKey(listingKey(b), listingKey(a)));
    const items = page.slice(0, query.limit).map(copy);
    return page.length > query.limit ? { items, next: listingKey(items[items.length - 1]) } : { items };
  }

  private versionsOf(arn: string, frameId: string): Map<number, string> {
    let byFrame = this.frames.get(arn);
    if (!byFrame) this.frames.set(arn, (byFrame = new Map()));
    let versions = byFrame.get(frameId);
    if (!versions) byFrame.set(frameId, (versions = new Map()));
    return versions;
  }
  async putFrameVersion(arn: string, version: FrameVersion): Promise<boolean> {
    // An execution's first version starts its count; one restored from a journal is counted when first asked.
    const count = this.eventCounts.get(arn) ?? ([...(this.frames.get(arn)?.values() ?? [])].every((v) => v.size === 0) ? 0 : undefined);
    const versions = this.versionsOf(arn, version.frame.id);
    if (versions.has(version.frame.version)) return false;
    versions.set(version.frame.version, JSON.stringify(version));
    if (count !== undefined && version.frame.execution === undefined) this.eventCounts.set(arn, count + version.events.length);
    return true;
  }
  /** executionArn → the events its stored versions hold (see historyEventCount). */
  private readonly eventCounts = new Map<string, number>();
  async historyEventCount(arn: string): Promise<number> {
    let count = this.eventCounts.get(arn);
    if (count === undefined) {
      count = 0;
      for (const versions of this.frames.get(arn)?.values() ?? []) {
        for (const text of versions.values()) {
          const v = JSON.parse(text) as FrameVersion;
          if (v.frame.execution === undefined) count += v.events.length;
        }
      }
      this.eventCounts.set(arn, count);
    }
    return count;
  }
  async markOutboxDone(arn: string, frameId: string, version: number): Promise<void> {
    const versions = this.versionsOf(arn, frameId);
    const text = versions.get(version);
    if (!text) return;
    const v = JSON.parse(text) as FrameVersion;
    if (v.outbox) v.outbox.done = true;
    versions.set(version, JSON.stringify(v));
  }
  async hasFrameVersion(arn: string, frameId: string, version: number): Promise<boolean> {
    return this.frames.get(arn)?.get(frameId)?.has(version) === true;
  }
  async latestFrame(arn: string, frameId: string): Promise<FrameVersion | undefined> {
    const versions = this.frames.get(arn)?.get(frameId);
    if (!versions || versions.size === 0) return undefined;
    return JSON.parse(versions.get(Math.max(...versions.keys()))!) as FrameVersion;
  }
  /** The execution's frames, by id, as DynamoStore's sort keys order them. */
  private framesInOrder(arn: string): [string, Map<number, string>][] {
    return [...(this.frames.get(arn) ?? [])].sort(([a], [b]) => byKey(a, b));
  }
  async framesUnder(arn: string, idPrefix: string): Promise<FrameVersion[]> {
    const out: FrameVersion[] = [];
    for (const [id, versions] of this.framesInOrder(arn)) {
      if (!id.startsWith(idPrefix) || versions.size === 0) continue;
      out.push(JSON.parse(versions.get(Math.max(...versions.keys()))!) as FrameVersion);
      // A Map's 100,000 children are read here when it collects them: let serve answer others meanwhile.
      if (out.length % ITEMS_PER_TURN === 0) await turnOver();
    }
    return out;
  }
  async allFrameVersions(arn: string): Promise<FrameVersion[]> {
    const out: FrameVersion[] = [];
    for (const [, versions] of this.framesInOrder(arn)) {
      for (const v of [...versions.keys()].sort((a, b) => a - b)) out.push(JSON.parse(versions.get(v)!) as FrameVersion);
    }
    return out;
  }

  async frameVersions(arn: string, frameId: string, from: number, limit: number): Promise<FrameVersion[]> {
    const versions = this.frames.get(arn)?.get(frameId);
    if (!versions) return [];
    const numbers = [...versions.keys()].filter((v) => v >= from).sort((a, b) => a - b).slice(0, limit);
    return numbers.map((v) => JSON.parse(versions.get(v)!) as FrameVersion);
  }

  /** `arn|parentId|entry|run` → child index → serialized ChildCompletion */
  private readonly completions = new Map<string, Map<number, string>>();
  async putChildCompletion(arn: string, completion: ChildCompletion): Promise<void> {
    const m = completion.message;
    const key = `${arn}|${m.frameId}|${m.entry}|${m.run}`;
    let byIndex = this.completions.get(key);
    if (!byIndex) this.completions.set(key, (byIndex = new Map()));
    byIndex.set(m.index, JSON.stringify(completion));
  }
  async childCompletions(arn: string, parentId: string, entry: number, run: number, from: number, limit: number): Promise<ChildCompletion[]> {
    const byIndex = this.completions.get(`${arn}|${parentId}|${entry}|${run}`);
    if (!byIndex) return [];
    const indexes = [...byIndex.keys()].filter((i) => i >= from).sort((a, b) => a - b).slice(0, limit);
    return indexes.map((i) => JSON.parse(byIndex.get(i)!) as ChildCompletion);
  }

  private readonly values = new Map<string, string>();
  async putValue(arn: string, hash: string, json: string): Promise<void> {
    this.values.set(`${arn}|${hash}`, json);
  }
  async getValue(arn: string, hash: string): Promise<string> {
    const text = this.values.get(`${arn}|${hash}`);
    if (text === undefined) throw new Error(`The value ${hash} of ${arn} is missing`);
    return text;
  }

  async valuesUnder(arn: string, prefix: string): Promise<{ key: string; json: string }[]> {
    const start = `${arn}|${prefix}`;
    const out: { key: string; json: string }[] = [];
    for (const [k, json] of this.values) if (k.startsWith(start)) out.push({ key: k.slice(arn.length + 1), json });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private readonly activities = new Map<string, ActivityRecord>();
  private readonly activityTasks = new Map<string, Map<string, ActivityTask>>();
  async putActivity(record: ActivityRecord): Promise<void> {
    this.activities.set(record.activityArn, copy(record));
  }
  async getActivity(arn: string): Promise<ActivityRecord | undefined> {
    const r = this.activities.get(arn);
    return r && copy(r);
  }
  async deleteActivity(arn: string): Promise<void> {
    this.activities.delete(arn);
  }
  async listActivities(): Promise<ActivityRecord[]> {
    return [...this.activities.values()].sort((a, b) => (a.activityArn < b.activityArn ? -1 : 1)).map(copy);
  }
  async enqueueActivityTask(arn: string, task: ActivityTask): Promise<void> {
    let tasks = this.activityTasks.get(arn);
    if (!tasks) this.activityTasks.set(arn, (tasks = new Map()));
    tasks.set(task.taskToken, copy(task));
  }
  async takeActivityTask(arn: string): Promise<ActivityTask | undefined> {
    const tasks = [...(this.activityTasks.get(arn)?.values() ?? [])].sort((a, b) => a.scheduledAt - b.scheduledAt);
    const first = tasks[0];
    if (first) this.activityTasks.get(arn)!.delete(first.taskToken);
    return first;
  }

  // (The claims' `keepMs` only allows dropping them; kept here as long as the store.)
  async claimTask(arn: string, key: string, claimedAt: number): Promise<boolean> {
    const k = `${arn}|${key}`;
    if (this.claims.has(k)) return false;
    this.claims.set(k, { claimedAt });
    return true;
  }
  async getTaskClaim(arn: string, key: string): Promise<TaskClaim | undefined> {
    const c = this.claims.get(`${arn}|${key}`);
    return c && copy(c);
  }
  async recordTaskResult(arn: string, key: string, result: Message | null): Promise<void> {
    // As DynamoStore, which records without a read: once an outcome is known the claim time no longer matters.
    this.claims.set(`${arn}|${key}`, result === null ? { claimedAt: 0, pending: true } : { claimedAt: 0, result: copy(result) });
  }

  /**
   * The store as records that rebuild it: applied in order to an empty
   * store (each `op` is a method of this class), they give the same
   * answers to every read. Only the latest version of a frame keeps its
   * whole outbox: the driver reads the outbox of the current version alone
   * (transitions.ts, outbox.ts); an older one keeps its StartFrames, by
   * which a history page finds the frames a version started (history-pages.ts).
   */
  *snapshot(): Generator<StoreRecord> {
    for (const [key, definition] of this.definitions) yield { op: 'restoreDefinition', args: [key, definition] };
    for (const record of this.machines.values()) yield { op: 'restoreStateMachine', args: [record] };
    for (const record of this.activities.values()) yield { op: 'restoreActivity', args: [record] };
    for (const [arn, tasks] of this.activityTasks) for (const task of tasks.values()) yield { op: 'restoreActivityTask', args: [arn, task] };
    for (const [arn, record] of this.executions) {
      yield { op: 'restoreExecution', args: [record] };
      const frames: [string, number, string][] = [];
      for (const [frameId, versions] of this.frames.get(arn) ?? []) {
        const latest = Math.max(...versions.keys());
        for (const [version, text] of versions) frames.push([frameId, version, version === latest ? text : withoutOutbox(text)]);
      }
      if (frames.length > 0) yield { op: 'restoreFrames', args: [arn, frames] };
    }
    for (const [key, byIndex] of this.completions) for (const [index, text] of byIndex) yield { op: 'restoreCompletion', args: [key, index, text] };
    for (const [key, json] of this.values) yield { op: 'restoreValue', args: [key, json] };
    for (const [key, claim] of this.claims) yield { op: 'restoreClaim', args: [key, claim] };
  }
  restoreCompletion(key: string, index: number, text: string): void {
    let byIndex = this.completions.get(key);
    if (!byIndex) this.completions.set(key, (byIndex = new Map()));
    byIndex.set(index, text);
  }
  restoreDefinition(key: string, definition: string): void {
    this.definitions.set(key, definition);
  }
  restoreStateMachine(record: StateMachineRecord): void {
    this.machines.set(record.stateMachineArn, record);
  }
  restoreActivity(record: ActivityRecord): void {
    this.activities.set(record.activityArn, record);
  }
  restoreActivityTask(arn: string, task: ActivityTask): void {
    let tasks = this.activityTasks.get(arn);
    if (!tasks) this.activityTasks.set(arn, (tasks = new Map()));
    tasks.set(task.taskToken, task);
  }
  restoreExecution(record: ExecutionRecord): void {
    this.executions.set(record.info.executionArn, record);
  }
  restoreFrames(arn: string, frames: readonly [string, number, string][]): void {
    this.eventCounts.delete(arn);
    for (const [frameId, version, text] of frames) this.versionsOf(arn, frameId).set(version, text);
  }
  restoreValue(key: string, json: string): void {
    this.values.set(key, json);
  }
  restoreClaim(key: string, claim: TaskClaim): void {
    this.claims.set(key, claim);
  }
}

/** The methods a {@link MemoryStore.snapshot} record names. */
export const STORE_RESTORES = ['restoreDefinition', 'restoreStateMachine', 'restoreActivity', 'restoreActivityTask', 'restoreExecution', 'restoreFrames', 'restoreValue', 'restoreClaim', 'restoreCompletion'] as const;

/** One record of a store snapshot: a restore method of MemoryStore and its arguments. */
export interface StoreRecord {
  op: (typeof STORE_RESTORES)[number];
  args: unknown[];
}

/** A stored frame version whose outbox keeps only its StartFrames (parsed only when it has an outbox). */
function withoutOutbox(text: string): string {
  if (!text.includes('"outbox"')) return text;
  const version = JSON.parse(text) as FrameVersion;
  const starts = (version.outbox?.effects ?? []).filter((e) => (e as { type?: string }).type === 'StartFrames');
  if (starts.length > 0 && version.outbox) version.outbox = { ...version.outbox, effects: starts, done: true };
  else delete version.outbox;
  return JSON.stringify(version);
}

/** A received message: its body and the handle that deletes it. */
export interface Received {
  id: string;
  body: string;
  receiveCount: number;
}

interface Stored {
  id: string;
  body: string;
  visibleAt: number;
  receiveCount: number;
}

/**
 * An SQS-like queue: messages become visible after their delay, a received
 * message is hidden for the visibility timeout and comes back unless it is
 * deleted, and order is not guaranteed (the harness shuffles it).
 */
export class MemoryQueue implements TransitionQueue {
  private readonly messages = new Map<string, Stored>();
  readonly deadLetters: { body: string; reason: string }[] = [];
  private nextId = 0;

  constructor(
    private readonly now: () => number,
    private readonly visibilityTimeoutMs = 30_000,
  ) {}

  async send(messages: Outgoing[]): Promise<void> {
    for (const m of messages) this.enqueue(JSON.stringify(m.envelope), m.delayMs);
  }

  enqueue(body: string, delayMs = 0): void {
    // SQS delays are whole seconds.
    this.enqueueAt(body, this.now() + Math.ceil(Math.max(0, delayMs) / 1000) * 1000);
  }

  /** Queues a message that becomes visible at `visibleAt` (epoch ms). */
  enqueueAt(body: string, visibleAt: number): void {
    const id = `m${++this.nextId}`;
    this.messages.set(id, { id, body, visibleAt, receiveCount: 0 });
  }

  async deadLetter(body: string, reason: string): Promise<void> {
    this.deadLetters.push({ body, reason });
  }

  /** Up to `max` visible messages, hidden for the visibility timeout. */
  receive(max: number): Received[] {
    const now = this.now();
    const out: Received[] = [];
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      m.visibleAt = now + this.visibilityTimeoutMs;
      m.receiveCount++;
      out.push({ id: m.id, body: m.body, receiveCount: m.receiveCount });
    }
    return out;
  }

  delete(id: string): void {
    this.messages.delete(id);
  }

  /** Every queued message with its id and due time, and the number the next id continues from (a journal's compaction writes them). */
  snapshot(): { messages: { id: string; body: string; visibleAt: number }[]; nextId: number } {
    return { messages: [...this.messages.values()].map(({ id, body, visibleAt }) => ({ id, body, visibleAt })), nextId: this.nextId };
  }

  /** Queues a message under the id it had (a compacted journal's record). */
  restore(id: string, body: string, visibleAt: number): void {
    this.messages.set(id, { id, body, visibleAt, receiveCount: 0 });
  }

  /** Ids go on from `nextId`, as they did when the journal was compacted, so its later deletes name the same messages. */
  continueIdsFrom(nextId: number): void {
    this.nextId = Math.max(this.nextId, nextId);
  }

  /** Makes a received message visible again now (a failed batch item). */
  release(id: string, delayMs = 0): void {
    const m = this.messages.get(id);
    if (m) m.visibleAt = this.now() + delayMs;
  }

  get size(): number {
    return this.messages.size;
  }

  /** The earliest time a message becomes visible, if any is queued. */
  nextVisibleAt(): number | undefined {
    let min: number | undefined;
    for (const m of this.messages.values()) if (min === undefined || m.visibleAt < min) min = m.visibleAt;
    return min;
  }

  /** Shuffles delivery order (SQS standard queues do not keep order). */
  shuffle(random: () => number): void {
    const entries = [...this.messages.entries()];
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    this.messages.clear();
    for (const [k, v] of entries) this.messages.set(k, v);
  }
}

export type { Envelope };
