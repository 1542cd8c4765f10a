/**
 * The cloud driver: runs `step` for one queue message at a time against the
 * store, the queue and the task runner, keeping DESIGN.md's transition
 * invariants under at-least-once delivery:
 *
 * 1. A transition commits frame version v+1 with a conditional put; exactly
 *    one writer wins, a duplicate or stale message loses and does no harm.
 * 2. The effects are committed with the version (its outbox) and carried out
 *    after it. Messages to the frame itself are sent last, tagged `final`:
 *    their arrival proves the rest was done. Otherwise a frame whose outbox
 *    is not known done has it carried out again (idempotently) before it
 *    moves on, and a redelivered message does the same.
 * 3. A task attempt is claimed before it is invoked — by the commit that
 *    schedules it (synchronous tasks) or a claim item (callback tasks, whose
 *    long wait for a token must not look like a dead worker); an attempt
 *    without a result `lostTaskAfterMs` after its claim fails as a lost worker.
 * 4. History is the events of each frame version: a replay overwrites itself.
 * 5. Child completions are deduplicated by the engine (ChildProgress).
 * 6. Delays longer than the queue allows are chained with `notBefore`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { compileStateMachine, parseDefinitionText } from '../asl/compile';
import { isPromise } from '../asl/awaitable';
import type { JsonValue } from '../asl/json';
import type { CompiledStateMachine } from '../asl/model';
import type { AbortChildrenEffect, Effect, InvokeTaskEffect } from '../engine/effects';
import type { ExecutionInfo } from '../engine/execution';
import { isStateEntered, type EventDraft } from '../engine/events';
import { FrameStatus, type Frame } from '../engine/frame';
import { childDetail, childId, childOutput } from '../engine/states/children';
import type { Message } from '../engine/messages';
import type { TaskRunner } from '../engine/ports/task-runner';
import { itemsReadFailed, type ItemReaderPort } from '../engine/integrations/items';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { startExecution, stepNow } from '../engine/step';
import { decodeTaskToken } from '../engine/token';
import type { HistoryEvent } from '../engine/history';
import { readHistory, storeEvents } from './history';
import type { ActivityRecord, Envelope, ExecutionObserver, ExecutionRecord, LoggingConfiguration, StateMachineAlias, StateMachineVersion, ExecutionStore, FrameVersion, Outgoing, StateMachineRecord, TransitionQueue } from './ports';

/** The error a task attempt fails with when its worker died after the claim and before recording a result. */
export const LOST_WORKER_ERROR = 'States.TaskFailed';
export const LOST_WORKER_CAUSE = 'The task attempt was interrupted before its result was recorded; it was not invoked again.';

/** Thrown when a message cannot be processed yet; the queue redelivers it later. */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export interface CloudDriverOptions {
  store: ExecutionStore;
  queue: TransitionQueue;
  tasks: TaskRunner;
  /** Reads DISTRIBUTED Map items (S3 in the cloud). @default none: such a Map fails with States.ItemReaderFailed */
  itemReader?: ItemReaderPort;
  /** Where DISTRIBUTED Map ResultWriters put their objects (S3 in the cloud). @default none: such a Map fails with States.ResultWriterFailed */
  objectWriter?: { put(bucket: string, key: string, body: string): Promise<void> };
  /** The clock. @default Date.now */
  now?: () => number;
  /** A claimed attempt with no recorded result after this long is failed as a lost worker. @default 16 minutes (Lambda's 15-minute limit and a margin) */
  lostTaskAfterMs?: number;
  /** The queue's maximum delay; longer delays are chained. @default 900 000 (SQS) */
  maxDelayMs?: number;
  /** Conditional-write conflicts retried in-process before the message is handed back to the queue. @default 12 */
  maxConflicts?: number;
  /**
   * How long a committed outbox is assumed to be in the hands of the handler
   * that committed it; after this, whoever finds it unfinished carries it out. @default 60 000
   */
  outboxGraceMs?: number;
  /** Pause between re-reads of a contended frame. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  region?: string;
  account?: string;
  /** Told of each execution's start and end. @default none */
  observer?: ExecutionObserver;
  /**
   * How many states one commit may take a frame through: when a state moves
   * on to the next, the next is entered in the same commit instead of by a
   * message of its own (the engine's StepOptions.maxStates). 1 gives one
   * commit per state. @default 4
   */
  statesPerCommit?: number;
}

interface ExecutionContext {
  record: ExecutionRecord;
  /** Undefined when the execution's definition revision was deleted. */
  machine: CompiledStateMachine | undefined;
}

/** Logging as the service describes a state machine that has none. */
export const OFF: LoggingConfiguration = { level: 'OFF', includeExecutionData: false };

/** The cause an execution fails with when its definition revision is gone. */
export function missingRevisionCause(record: ExecutionRecord): string {
  return `The definition revision '${record.revisionId}' of the state machine '${record.info.stateMachineArn}' that this execution runs was deleted.`;
}

/** A stable key for a logical message: its redeliveries share it. */
export function messageKey(m: Message): string {
  const a = m as unknown as Partial<Record<string, unknown>>;
  const key = [m.type, m.frameId, a.entry, a.attempt, a.timer, a.run, a.index, a.heartbeats, a.redriveCount ?? a.redrives].map((x) => (x === undefined ? '' : String(x))).join('|');
  // A ChildrenCompleted is the completions it carries.
  return m.type === 'ChildrenCompleted' ? `${key}|${m.completions.map((c) => `${c.run}.${c.index}`).join(',')}` : key;
}

const MAX_CACHED_EXECUTIONS = 1000;
/** How long StartExecution trusts a state machine it read (the service's own updates are eventually consistent). */
const STATE_MACHINE_CACHE_MS = 5_000;

/** `arn:…:stateMachine:NAME[:QUALIFIER]` → the unqualified ARN and the version number or alias name. */
export function splitStateMachineArn(arn: string): { base: string; qualifier?: string } {
  const parts = arn.split(':');
  return parts.length === 8 ? { base: parts.slice(0, 7).join(':'), qualifier: parts[7] } : { base: arn };
}

/** The first version of a child that was aborted before its first transition: its Enter finds it ended. */
function abortedFirstVersion(id: string, at: number): Frame {
  const slash = id.lastIndexOf('/');
  const [entry, run, index] = id.slice(slash + 1).split('.').map(Number);
  return {
    id,
    parentId: id.slice(0, slash),
    index,
    parentEntry: entry,
    parentRun: run,
    scope: '',
    version: 1,
    status: FrameStatus.ABORTED,
    phase: 'DONE',
    state: '',
    entry: 0,
    input: null,
    enteredAt: at,
    vars: {},
    retries: [],
  };
}

/** Values at least this large (as JSON) are stored once by content hash. */
const LARGE_VALUE_BYTES = 2048;
const VALUE_REF = '$switchyard.sha256';

/** How an outbox refers to the frame's input instead of repeating it. */
const INPUT_REF = { $frameInput: true } as const;

/** A copy of `value` with every occurrence of the object `target` replaced by `by` (by identity). */
function replaceValue(value: unknown, target: unknown, by: unknown): unknown {
  if (target === null || typeof target !== 'object') return value;
  const walk = (v: unknown): unknown => {
    if (v === target) return by;
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    return out;
  };
  return walk(value);
}

/** Puts the frame's input back where {@link replaceValue} left a reference. */
function restoreValue(value: unknown, input: unknown): unknown {
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    if ((v as { $frameInput?: unknown }).$frameInput === true && Object.keys(v).length === 1) return input;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    return out;
  };
  return walk(value);
}

export class CloudDriver {
  private readonly store: ExecutionStore;
  private readonly queue: TransitionQueue;
  private readonly tasks: TaskRunner;
  private readonly itemReader?: ItemReaderPort;
  private readonly objectWriter?: { put(bucket: string, key: string, body: string): Promise<void> };
  private readonly now: () => number;
  private readonly lostTaskAfterMs: number;
  private readonly maxDelayMs: number;
  private readonly maxConflicts: number;
  private readonly outboxGraceMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly observer?: ExecutionObserver;
  private readonly statesPerCommit: number;
  private statesEntered = 0;
  /** Large values by `executionArn|hash`, and the hash of each value object seen (values are never mutated). */
  private readonly values = new Map<string, JsonValue>();
  private readonly valueHashes = new WeakMap<object, string>();
  private readonly smallValues = new WeakSet<object>();
  readonly region: string;
  readonly account: string;
  private readonly machines = new Map<string, CompiledStateMachine>();
  private readonly contexts = new Map<string, ExecutionContext>();
  private readonly recentMachines = new Map<string, { record: StateMachineRecord; readAt: number }>();

  constructor(options: CloudDriverOptions) {
    this.store = options.store;
    this.queue = options.queue;
    this.tasks = options.tasks;
    if (options.itemReader) this.itemReader = options.itemReader;
    if (options.objectWriter) this.objectWriter = options.objectWriter;
    this.now = options.now ?? Date.now;
    this.lostTaskAfterMs = options.lostTaskAfterMs ?? 16 * 60_000;
    this.maxDelayMs = options.maxDelayMs ?? 900_000;
    this.maxConflicts = options.maxConflicts ?? 12;
    this.outboxGraceMs = options.outboxGraceMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
    if (options.observer) this.observer = options.observer;
    this.statesPerCommit = Math.max(1, options.statesPerCommit ?? 4);
  }

  /** Tells the observer; its failures are logged, never thrown (see ExecutionObserver). */
  private async notify(kind: 'started' | 'finished', record: ExecutionRecord): Promise<void>;
  private async notify(kind: 'transitioned', record: ExecutionRecord, events: readonly EventDraft[]): Promise<void>;
  private async notify(kind: keyof ExecutionObserver, record: ExecutionRecord, events: readonly EventDraft[] = []): Promise<void> {
    if (!this.observer?.[kind]) return;
    try {
      if (kind === 'transitioned') {
        // Only executions that log are told of their transitions, by the state machine's logging as it is now.
        const logging = events.length > 0 ? await this.currentLogging(record) : undefined;
        if (!logging) return;
        record = logging === record.logging ? record : { ...record, logging };
      }
      await this.observer[kind]!(record, events);
    } catch (err) {
      console.error(`switchyard: the execution observer failed on ${kind} of ${record.info.executionArn}:`, err);
    }
  }

  /**
   * The logging an execution's transitions follow: its state machine's, read
   * at most every few seconds per container ("running executions continue to
   * use the previous definition and roleArn" — not the previous logging); the
   * one it started with when the state machine is gone.
   */
  private async currentLogging(record: ExecutionRecord): Promise<LoggingConfiguration | undefined> {
    let logging = record.logging;
    try {
      const sm = await this.recentStateMachine(record.info.stateMachineArn);
      logging = sm.loggingConfiguration;
    } catch {
      // Deleted, or unreadable for now: logs are best effort.
    }
    return logging && logging.level !== 'OFF' ? logging : undefined;
  }

  // ---- state machines and executions -------------------------------------------------

  /** The ARN of the state machine `name` in this driver's region and account. */
  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.account}:stateMachine:${name}`;
  }

  /** Registers a state machine (or a new revision of it); the definition is validated first. */
  async putStateMachine(
    name: string,
    definition: string,
    roleArn = `arn:aws:iam::${this.account}:role/switchyard`,
    type: StateMachineRecord['type'] = 'STANDARD',
    settings: Pick<StateMachineRecord, 'loggingConfiguration' | 'retentionSeconds'> = {},
  ): Promise<StateMachineRecord> {
    compileStateMachine(parseDefinitionText(definition)); // throws InvalidDefinitionError with every diagnostic
    const stateMachineArn = this.stateMachineArn(name);
    const existing = await this.store.getStateMachine(stateMachineArn);
    // A new revision of an existing state machine keeps its tags, versions and aliases.
    const { loggingConfiguration: _l, retentionSeconds: _r, updateDate: _u, ...kept } = existing ?? ({} as Partial<StateMachineRecord>);
    const record: StateMachineRecord = {
      ...kept,
      stateMachineArn,
      name,
      roleArn,
      type,
      creationDate: existing?.creationDate ?? this.now(),
      revisionId: randomUUID(),
      definition,
      ...(existing ? { updateDate: this.now() } : {}),
      ...(settings.loggingConfiguration ? { loggingConfiguration: settings.loggingConfiguration } : {}),
      ...(settings.retentionSeconds !== undefined ? { retentionSeconds: settings.retentionSeconds } : {}),
    };
    await this.saveStateMachine(record);
    return record;
  }

  /** States entered by the transitions this driver committed since the last call (Step Functions' billed state transitions). */
  takeStatesEntered(): number {
    const n = this.statesEntered;
    this.statesEntered = 0;
    return n;
  }

  /** The task runner this driver invokes tasks with (TestState runs a state with it). */
  get taskRunner(): TaskRunner {
    return this.tasks;
  }

  // ---- versions and aliases -------------------------------------------------------------

  /**
   * What an ARN starts: the state machine's current revision, a version
   * (`…:NAME:3`), or an alias (`…:NAME:prod`), which picks one of its versions by weight.
   */
  async resolveTarget(arn: string): Promise<{ sm: StateMachineRecord; revisionId: string; versionArn?: string; aliasArn?: string }> {
    const { base, qualifier } = splitStateMachineArn(arn);
    const sm = await this.recentStateMachine(base);
    if (qualifier === undefined) return { sm, revisionId: sm.revisionId };
    if (/^\d+$/.test(qualifier)) {
      const version = sm.versions?.find((v) => v.number === Number(qualifier));
      if (!version) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
      return { sm, revisionId: version.revisionId, versionArn: arn };
    }
    const alias = sm.aliases?.find((a) => a.name === qualifier);
    if (!alias) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${arn}'`);
    let pick = Math.random() * alias.routing.reduce((a, r) => a + r.weight, 0);
    const route = alias.routing.find((r) => (pick -= r.weight) < 0) ?? alias.routing[0];
    const version = sm.versions!.find((v) => v.number === route.version)!;
    return { sm, revisionId: version.revisionId, versionArn: `${base}:${version.number}`, aliasArn: arn };
  }

  /** PublishStateMachineVersion: the current revision as the next version (or the latest, if it is that revision). */
  async publishVersion(stateMachineArn: string, description?: string, revisionId?: string): Promise<StateMachineVersion & { arn: string }> {
    const sm = await this.describeStateMachine(stateMachineArn);
    if (revisionId !== undefined && revisionId !== sm.revisionId) {
      throw new ServiceError(ServiceErrorName.ConflictException, `The revisionId '${revisionId}' is not the state machine's current revision '${sm.revisionId}'`);
    }
    const versions = sm.versions ?? [];
    const latest = versions[versions.length - 1];
    if (latest && latest.revisionId === sm.revisionId) return { ...latest, arn: `${sm.stateMachineArn}:${latest.number}` };
    const version: StateMachineVersion = { number: (latest?.number ?? 0) + 1, revisionId: sm.revisionId, creationDate: this.now(), ...(description !== undefined ? { description } : {}) };
    await this.saveStateMachine({ ...sm, versions: [...versions, version] });
    return { ...version, arn: `${sm.stateMachineArn}:${version.number}` };
  }

  async deleteVersion(versionArn: string): Promise<void> {
    const { base, qualifier } = splitStateMachineArn(versionArn);
    const sm = await this.store.getStateMachine(base);
    if (!sm || qualifier === undefined) return;
    const n = Number(qualifier);
    if (sm.aliases?.some((a) => a.routing.some((r) => r.version === n))) {
      throw new ServiceError(ServiceErrorName.ConflictException, `Version ${versionArn} is referenced by an alias; update or delete the alias first`);
    }
    await this.saveStateMachine({ ...sm, versions: (sm.versions ?? []).filter((v) => v.number !== n) });
  }

  /** Creates or updates an alias; every version it routes to must exist, weights add up to 100. */
  async putAlias(aliasArn: string, routing: { versionArn: string; weight: number }[], description: string | undefined, create: boolean): Promise<StateMachineAlias> {
    const { base, qualifier } = splitStateMachineArn(aliasArn);
    const sm = await this.describeStateMachine(base);
    const name = qualifier!;
    const existing = sm.aliases?.find((a) => a.name === name);
    if (create && existing) throw new ServiceError(ServiceErrorName.ConflictException, `Alias ${aliasArn} already exists`);
    if (!create && !existing) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${aliasArn}'`);
    if (routing.length < 1 || routing.length > 2 || routing.reduce((a, r) => a + r.weight, 0) !== 100) {
      throw new ServiceError(ServiceErrorName.ValidationException, 'routingConfiguration must name one or two versions whose weights add up to 100');
    }
    const routes = routing.map((r) => {
      const v = splitStateMachineArn(r.versionArn);
      const version = v.base === base && v.qualifier !== undefined ? sm.versions?.find((x) => x.number === Number(v.qualifier)) : undefined;
      if (!version) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${r.versionArn}'`);
      return { version: version.number, weight: r.weight };
    });
    const now = this.now();
    const alias: StateMachineAlias = {
      name,
      ...(description !== undefined ? { description } : existing?.description !== undefined ? { description: existing.description } : {}),
      routing: routes,
      creationDate: existing?.creationDate ?? now,
      updateDate: now,
    };
    await this.saveStateMachine({ ...sm, aliases: [...(sm.aliases ?? []).filter((a) => a.name !== name), alias] });
    return alias;
  }

  async describeAlias(aliasArn: string): Promise<StateMachineAlias> {
    const { base, qualifier } = splitStateMachineArn(aliasArn);
    const sm = await this.store.getStateMachine(base);
    const alias = sm?.aliases?.find((a) => a.name === qualifier);
    if (!alias) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${aliasArn}'`);
    return alias;
  }

  /** The definition text of one revision. */
  async definitionOf(stateMachineArn: string, revisionId: string): Promise<string> {
    const definition = await this.store.getDefinition(stateMachineArn, revisionId);
    if (definition === undefined) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, `State Machine Does Not Exist: '${stateMachineArn}'`);
    return definition;
  }

  async deleteAlias(aliasArn: string): Promise<void> {
    const { base, qualifier } = splitStateMachineArn(aliasArn);
    const sm = await this.store.getStateMachine(base);
    if (!sm) return;
    await this.saveStateMachine({ ...sm, aliases: (sm.aliases ?? []).filter((a) => a.name !== qualifier) });
  }

  /** CreateStateMachine: idempotent for the same definition and role, as the service is. */
  async createStateMachine(
    name: string,
    definition: string,
    roleArn: string,
    tags?: Record<string, string>,
    type: StateMachineRecord['type'] = 'STANDARD',
    loggingConfiguration?: LoggingConfiguration,
  ): Promise<StateMachineRecord> {
    const arn = this.stateMachineArn(name);
    const existing = await this.store.getStateMachine(arn);
    if (existing) {
      const sameLogging = JSON.stringify(existing.loggingConfiguration ?? OFF) === JSON.stringify(loggingConfiguration ?? OFF);
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type && sameLogging) return existing;
      throw new ServiceError(ServiceErrorName.StateMachineAlreadyExists, `State Machine Already Exists: '${arn}'`);
    }
    const record = await this.putStateMachine(name, definition, roleArn, type, loggingConfiguration ? { loggingConfiguration } : {});
    if (tags && Object.keys(tags).length > 0) await this.tagResource(arn, tags);
    return { ...record, ...(tags ? { tags } : {}) };
  }

  /** UpdateStateMachine: a new revision; running executions keep theirs. */
  async updateStateMachine(stateMachineArn: string, changes: { definition?: string; roleArn?: string; loggingConfiguration?: LoggingConfiguration }): Promise<StateMachineRecord> {
    const sm = await this.describeStateMachine(stateMachineArn);
    if (changes.definition !== undefined) compileStateMachine(parseDefinitionText(changes.definition));
    const record: StateMachineRecord = {
      ...sm,
      definition: changes.definition ?? sm.definition,
      roleArn: changes.roleArn ?? sm.roleArn,
      // Logging is no new revision of the definition (running executions follow it too).
      revisionId: changes.definition !== undefined || changes.roleArn !== undefined ? randomUUID() : sm.revisionId,
      updateDate: this.now(),
      ...(changes.loggingConfiguration ? { loggingConfiguration: changes.loggingConfiguration } : {}),
    };
    await this.saveStateMachine(record);
    return record;
  }

  async deleteStateMachine(stateMachineArn: string): Promise<void> {
    await this.store.deleteStateMachine(stateMachineArn);
    this.recentMachines.delete(stateMachineArn);
  }

  async listStateMachines(): Promise<StateMachineRecord[]> {
    return this.store.listStateMachines();
  }

  async listActivities(): Promise<ActivityRecord[]> {
    return this.store.listActivities();
  }

  /** The definition revision an execution runs (DescribeStateMachineForExecution). */
  async stateMachineForExecution(executionArn: string): Promise<StateMachineRecord> {
    const record = await this.describeExecution(executionArn);
    const definition = await this.store.getDefinition(record.info.stateMachineArn, record.revisionId);
    if (definition === undefined) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, missingRevisionCause(record));
    const sm = await this.store.getStateMachine(record.info.stateMachineArn);
    return {
      stateMachineArn: record.info.stateMachineArn,
      name: record.info.stateMachineName,
      roleArn: record.info.roleArn,
      type: sm?.type ?? 'STANDARD',
      creationDate: sm?.creationDate ?? record.info.startTime,
      revisionId: record.revisionId,
      definition,
      updateDate: sm?.revisionId === record.revisionId ? (sm.updateDate ?? sm.creationDate) : record.info.startTime,
    };
  }

  /** Tags of a state machine or an activity. */
  async listTags(resourceArn: string): Promise<Record<string, string>> {
    return (await this.taggable(resourceArn)).tags ?? {};
  }

  async tagResource(resourceArn: string, tags: Record<string, string>): Promise<void> {
    const r = await this.taggable(resourceArn);
    const next = { ...(r.tags ?? {}), ...tags };
    if (Object.keys(next).length > 50) throw new ServiceError(ServiceErrorName.TooManyTags, `Too many tags: a resource has at most 50 tags`);
    await this.saveTaggable(r, next);
  }

  async untagResource(resourceArn: string, keys: readonly string[]): Promise<void> {
    const r = await this.taggable(resourceArn);
    const next = { ...(r.tags ?? {}) };
    for (const k of keys) delete next[k];
    await this.saveTaggable(r, next);
  }

  private async taggable(arn: string): Promise<StateMachineRecord | ActivityRecord> {
    const record = arn.includes(':activity:') ? await this.store.getActivity(arn) : await this.store.getStateMachine(arn);
    if (!record) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${arn}'`);
    return record;
  }

  private async saveTaggable(record: StateMachineRecord | ActivityRecord, tags: Record<string, string>): Promise<void> {
    if ('activityArn' in record) await this.store.putActivity({ ...record, tags });
    else await this.saveStateMachine({ ...record, tags });
  }

  /**
   * The state machine as StartExecution sees it: read at most every few
   * seconds per container. Step Functions documents the same: executions
   * started just after UpdateStateMachine may still use the previous
   * definition. Changes made through this driver are seen at once.
   */
  private async recentStateMachine(stateMachineArn: string): Promise<StateMachineRecord> {
    const cached = this.recentMachines.get(stateMachineArn);
    if (cached && this.now() - cached.readAt < STATE_MACHINE_CACHE_MS) return cached.record;
    const record = await this.describeStateMachine(stateMachineArn);
    this.recentMachines.set(stateMachineArn, { record, readAt: this.now() });
    return record;
  }

  private async saveStateMachine(record: StateMachineRecord): Promise<void> {
    await this.store.putStateMachine(record);
    this.recentMachines.delete(record.stateMachineArn);
  }

  async describeStateMachine(stateMachineArn: string): Promise<StateMachineRecord> {
    const sm = await this.store.getStateMachine(stateMachineArn);
    if (!sm) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, `State Machine Does Not Exist: '${stateMachineArn}'`);
    return sm;
  }

  /** StartExecution: idempotent by name for the same input while running, as the service is. */
  async startExecution(targetArn: string, options: { name?: string; input?: JsonValue } = {}): Promise<{ executionArn: string; startDate: number }> {
    const target = await this.resolveTarget(targetArn);
    const sm = target.sm;
    const stateMachineArn = sm.stateMachineArn;
    const name = options.name ?? randomUUID();
    const executionArn = `arn:aws:states:${this.region}:${this.account}:execution:${sm.name}:${name}`;
    const input = options.input ?? {};
    const info: ExecutionInfo = {
      executionArn,
      name,
      stateMachineArn,
      stateMachineName: sm.name,
      roleArn: sm.roleArn,
      input,
      startTime: this.now(),
      redriveCount: 0,
    };
    let record: ExecutionRecord = {
      info,
      revisionId: target.revisionId,
      ...(target.versionArn ? { versionArn: target.versionArn } : {}),
      ...(target.aliasArn ? { aliasArn: target.aliasArn } : {}),
      status: 'RUNNING',
      ...(sm.loggingConfiguration && sm.loggingConfiguration.level !== 'OFF' ? { logging: sm.loggingConfiguration } : {}),
      ...(sm.retentionSeconds !== undefined ? { retentionSeconds: sm.retentionSeconds } : {}),
    };
    const created = await this.store.createExecution(await this.encodeRecord(record));
    if (created) await this.notify('started', record);
    else {
      // (An execution past its retention whose items DynamoDB has not deleted yet still holds its name.)
      const existing = await this.readRecord(executionArn);
      if (!existing || existing.status !== 'RUNNING' || JSON.stringify(existing.info.input) !== JSON.stringify(input)) {
        throw new ServiceError(ServiceErrorName.ExecutionAlreadyExists, `Execution Already Exists: '${executionArn}'`);
      }
      record = existing; // a retried StartExecution: make sure the root frame exists and its outbox went out
    }
    const ctx = (await this.context(executionArn, record))!;
    if (!ctx.machine) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, missingRevisionCause(record));
    const started = startExecution(ctx.machine, record.info);
    const root: FrameVersion = {
      frame: started.frame,
      lc: 1,
      at: record.info.startTime,
      events: storeEvents(started.events, undefined, started.frame),
      outbox: { cause: 'Start', effects: started.effects, done: false },
    };
    const won = await this.save(executionArn, root);
    if (won) await this.notify('transitioned', record, started.events);
    const current = won ? root : await this.load(executionArn, 'root');
    if (current && current.frame.version === 1 && current.outbox && !current.outbox.done) await this.perform(executionArn, ctx, current, won);
    return { executionArn, startDate: record.info.startTime };
  }

  /** Why an ended execution cannot be redriven, in the service's words; undefined when it can. */
  async notRedrivable(record: ExecutionRecord): Promise<string | undefined> {
    if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') return `Execution is ${record.status} and cannot be redriven`;
    if (record.stopDate !== undefined && this.now() - record.stopDate > 14 * 86_400_000) return 'Execution redrivable period exceeded';
    return undefined;
  }

  /** RedriveExecution: the execution continues from the state it ended in, with the same input. */
  async redriveExecution(executionArn: string): Promise<{ redriveDate: number }> {
    const record = await this.describeExecution(executionArn);
    if (record.status === 'RUNNING' && record.redriveDate !== undefined) {
      // A redrive that reopened the record but died before its message went out: the retried call finishes it.
      const root = await this.load(executionArn, 'root');
      if (root && root.frame.status !== FrameStatus.RUNNING && (root.frame.redrives ?? 0) < record.info.redriveCount) {
        await this.send([{ message: { type: 'Redrive', frameId: 'root', redriveCount: record.info.redriveCount }, delayMs: 0 }], executionArn, 0);
        return { redriveDate: record.redriveDate };
      }
    }
    const reason = await this.notRedrivable(record);
    if (reason) throw new ServiceError(ServiceErrorName.ExecutionNotRedrivable, reason);
    const redriveDate = this.now();
    const redriveCount = record.info.redriveCount + 1;
    const reopened: ExecutionRecord = { info: { ...record.info, redriveCount }, revisionId: record.revisionId, status: 'RUNNING', redriveDate };
    if (record.versionArn) reopened.versionArn = record.versionArn;
    if (record.aliasArn) reopened.aliasArn = record.aliasArn;
    if (!(await this.store.reopenExecution(executionArn, record.status, await this.encodeRecord(reopened)))) {
      throw new ServiceError(ServiceErrorName.ExecutionNotRedrivable, 'Execution is RUNNING and cannot be redriven');
    }
    this.contexts.delete(executionArn);
    await this.send([{ message: { type: 'Redrive', frameId: 'root', redriveCount }, delayMs: 0 }], executionArn, 0);
    return { redriveDate };
  }

  /** Executions of a state machine, newest first (their inputs and outputs as stored). */
  async listExecutions(stateMachineArn: string): Promise<ExecutionRecord[]> {
    await this.describeStateMachine(stateMachineArn);
    return this.store.listExecutions(stateMachineArn);
  }

  /**
   * StartSyncExecution: EXPRESS state machines only, as in the service; starts
   * the execution and waits (up to five minutes, Express's limit) for its end.
   */
  async startSyncExecution(stateMachineArn: string, options: { name?: string; input?: JsonValue } = {}, pollMs = 20): Promise<ExecutionRecord> {
    const sm = await this.describeStateMachine(stateMachineArn);
    if (sm.type !== 'EXPRESS') throw new ServiceError(ServiceErrorName.StateMachineTypeNotSupported, 'This operation is not supported by this type of state machine');
    const { executionArn } = await this.startExecution(stateMachineArn, options);
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      const record = await this.describeExecution(executionArn);
      if (record.status !== 'RUNNING' || Date.now() > deadline) return record;
      await this.sleep(pollMs);
    }
  }

  async describeExecution(executionArn: string): Promise<ExecutionRecord> {
    const record = await this.readRecord(executionArn);
    if (!record) throw new ServiceError(ServiceErrorName.ExecutionDoesNotExist, `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  async getExecutionHistory(executionArn: string): Promise<HistoryEvent[]> {
    await this.describeExecution(executionArn);
    const versions = await Promise.all((await this.store.allFrameVersions(executionArn)).map((v) => this.decode(executionArn, v)));
    return readHistory(versions).events;
  }

  /** StopExecution: the Stop message ends the root frame and aborts every child. */
  async stopExecution(executionArn: string, error?: string, cause?: string): Promise<{ stopDate: number }> {
    const record = await this.describeExecution(executionArn);
    const stopDate = this.now();
    if (record.status !== 'RUNNING') return { stopDate: record.stopDate ?? stopDate };
    await this.send([
      { message: { type: 'Stop', frameId: 'root', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) }, delayMs: 0 },
    ], executionArn, 0);
    return { stopDate };
  }

  // ---- activities ------------------------------------------------------------------------

  async createActivity(name: string): Promise<ActivityRecord> {
    const activityArn = `arn:aws:states:${this.region}:${this.account}:activity:${name}`;
    const existing = await this.store.getActivity(activityArn);
    if (existing) return existing; // CreateActivity is idempotent
    const record: ActivityRecord = { activityArn, name, creationDate: this.now() };
    await this.store.putActivity(record);
    return record;
  }

  async describeActivity(activityArn: string): Promise<ActivityRecord> {
    const record = await this.store.getActivity(activityArn);
    if (!record) throw new ServiceError(ServiceErrorName.ActivityDoesNotExist, `Activity Does Not Exist: '${activityArn}'`);
    return record;
  }

  async deleteActivity(activityArn: string): Promise<void> {
    await this.store.deleteActivity(activityArn);
  }

  /**
   * GetActivityTask: waits up to `waitMs` for a task (the service waits up to
   * 60 seconds; behind API Gateway keep it under its 29-second limit) and
   * tells the execution a worker started it. Undefined when none came.
   */
  async getActivityTask(activityArn: string, workerName?: string, waitMs = 20_000): Promise<{ taskToken: string; input: string } | undefined> {
    await this.describeActivity(activityArn);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const task = await this.store.takeActivityTask(activityArn);
      if (task) {
        const target = decodeTaskToken(task.taskToken);
        if (target) {
          const message: Message = { type: 'ActivityStarted', frameId: target.frameId, entry: target.entry, attempt: target.attempt, ...(workerName !== undefined ? { workerName } : {}) };
          await this.send([{ message, delayMs: 0 }], target.executionArn, 0);
        }
        return { taskToken: task.taskToken, input: task.input };
      }
      if (Date.now() >= deadline) return undefined;
      await this.sleep(Math.min(500, Math.max(0, deadline - Date.now())));
    }
  }

  async sendTaskSuccess(taskToken: string, output: JsonValue): Promise<void> {
    const t = await this.resolveToken(taskToken);
    await this.send([{ message: { type: 'TaskSucceeded', ...t, output }, delayMs: 0 }], t.executionArn, 0);
  }

  async sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void> {
    const t = await this.resolveToken(taskToken);
    const message: Message = { type: 'TaskFailed', ...t, error: error ?? '', ...(cause !== undefined ? { cause } : {}) };
    await this.send([{ message, delayMs: 0 }], t.executionArn, 0);
  }

  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    const t = await this.resolveToken(taskToken);
    await this.send([{ message: { type: 'TaskHeartbeat', ...t }, delayMs: 0 }], t.executionArn, 0);
  }

  /** A token addresses one attempt; it is valid while that attempt is the frame's pending task. */
  private async resolveToken(taskToken: string): Promise<{ executionArn: string; frameId: string; entry: number; attempt: number }> {
    const target = decodeTaskToken(taskToken);
    if (!target) throw new ServiceError(ServiceErrorName.InvalidToken, 'Invalid Token');
    const current = await this.load(target.executionArn, target.frameId);
    const task = current?.frame.task;
    if (!current || current.frame.status !== FrameStatus.RUNNING || current.frame.entry !== target.entry || task?.attempt !== target.attempt || task.token !== taskToken) {
      throw new ServiceError(ServiceErrorName.TaskDoesNotExist, 'Task Timed Out or Does Not Exist');
    }
    const { executionArn, frameId, entry, attempt } = target;
    return { executionArn, frameId, entry, attempt };
  }

  // ---- transitions ---------------------------------------------------------------------

  /** Processes one queue message. Throws (and the queue redelivers) when it could not be finished. */
  /**
   * @param depth 1 when applying a task result in the handler that invoked the task
   * @param cause the key of the queue message this transition answers to, when that is not `envelope`'s
   */
  async process(envelope: Envelope, depth = 0, cause?: string): Promise<void> {
    const now = this.now();
    if (envelope.notBefore !== undefined && envelope.notBefore > now + 500) {
      await this.queue.send([{ envelope, delayMs: Math.min(envelope.notBefore - now, this.maxDelayMs) }]);
      return;
    }
    await this.transition([envelope], depth, cause);
  }

  /**
   * Several messages to one frame (children's completions to their parent,
   * from one SQS batch) applied as one transition: each is stepped in turn
   * in memory and the frame is committed once, at the next version, with all
   * their events and effects. A redelivery of the first applied message
   * finds the version and carries its outbox out again, as for one message.
   */
  async processGroup(envelopes: readonly Envelope[]): Promise<void> {
    if (envelopes.length === 1) return this.process(envelopes[0]);
    await this.transition(envelopes, 0);
  }

  /** One transition of one frame for one or more messages addressed to it. */
  private async transition(envelopes: readonly Envelope[], depth: number, causeOverride?: string): Promise<void> {
    const { executionArn } = envelopes[0];
    const frameId = envelopes[0].message.frameId;
    const now = this.now();
    const ctx = await this.context(executionArn);
    if (!ctx) return; // the execution is gone (deleted): nothing to do
    const machine = ctx.machine;
    if (!machine) {
      if (ctx.record.status === 'RUNNING') {
        const end = { status: 'FAILED', stopDate: now, error: 'States.Runtime', cause: missingRevisionCause(ctx.record) } as const;
        if (await this.store.finishExecution(executionArn, end)) await this.notify('finished', { ...ctx.record, ...end });
        ctx.record = { ...ctx.record, status: 'FAILED' };
      }
      return;
    }
    const keys = envelopes.map((e) => messageKey(e.message));
    const carried = envelopes.length === 1 ? envelopes[0].frame : undefined;
    let current: FrameVersion | undefined = carried && carried.frame.id === frameId ? await this.decode(executionArn, carried) : undefined;
    for (let conflict = 0; conflict <= this.maxConflicts; conflict++) {
      current ??= await this.load(executionArn, frameId);
      if (!current) return; // no such frame: a message for a frame that never existed
      let frame = current.frame;
      const events: EventDraft[] = [];
      const effects: Effect[] = [];
      let cause: string | undefined;
      for (const [i, envelope] of envelopes.entries()) {
        // Straight on into the next states, in this commit: one write and one message fewer per state.
        const pending = stepNow(machine, ctx.record.info, frame, envelope.message, now, { maxStates: this.statesPerCommit });
        const result = isPromise(pending) ? await pending : pending;
        if (!result.changed) continue;
        cause ??= keys[i];
        frame = result.frame;
        events.push(...result.events);
        effects.push(...result.effects);
      }
      // (A Redrive comes only after the frame's end was recorded, the last effect of that outbox: it is complete —
      // unless this version is the redrive's own, which a redelivered Redrive must carry out again.)
      const unfinished =
        current.outbox !== undefined &&
        !current.outbox.done &&
        !envelopes.some((e, i) => e.final === current!.frame.version || (e.message.type === 'Redrive' && keys[i] !== current!.outbox!.cause));
      if (cause === undefined) {
        // A redelivery of the message that made this version: its handler may have died before the outbox went out.
        if (unfinished && keys.includes(current.outbox!.cause)) await this.perform(executionArn, ctx, current, false);
        return;
      }
      if (unfinished) {
        const verdict = await this.settleOutbox(executionArn, ctx, current, now, conflict);
        if (verdict === 'wait') {
          current = undefined;
          continue;
        }
        if (verdict === 'give-up') break;
      }
      // One commit, so one version, however many messages it applied.
      frame = { ...frame, version: current.frame.version + 1 };
      const next: FrameVersion = {
        frame,
        lc: Math.max(current.lc, ...envelopes.map((e) => e.lc)) + 1,
        at: now,
        events: storeEvents(events, current.frame, frame),
        // A redelivery of the queue message behind this transition must find it (and carry out its outbox).
        outbox: { cause: causeOverride ?? cause, effects, done: false },
      };
      const stored = await this.encode(executionArn, next);
      if (await this.store.putFrameVersion(executionArn, stored)) {
        for (const e of events) if (isStateEntered(e.type)) this.statesEntered++;
        await this.notify('transitioned', ctx.record, events);
        await this.perform(executionArn, ctx, next, true, stored, depth);
        return;
      }
      current = undefined; // another transition won this version: read and decide again
    }
    throw new RetryLaterError(`Frame ${frameId} of ${executionArn} is contended; the message will be redelivered`);
  }



  /**
   * Nothing moves on past an outbox that may not have been carried out: after
   * the grace period its handler is presumed dead and this one carries it out
   * ('done'); before, it waits for that handler ('wait', then read again), up
   * to the conflict limit ('give-up': the queue brings the message back).
   */
  private async settleOutbox(executionArn: string, ctx: ExecutionContext, current: FrameVersion, now: number, attempt: number): Promise<'done' | 'wait' | 'give-up'> {
    if (now - current.at >= this.outboxGraceMs) {
      await this.perform(executionArn, ctx, current, false);
      return 'done';
    }
    if (attempt >= this.maxConflicts) return 'give-up';
    await this.sleep(Math.min(20 * (attempt + 1), 200));
    return 'wait';
  }

  // ---- frame versions as stored ----------------------------------------------------------

  /** Writes a version conditionally (exactly one writer wins), in its stored form. */
  private async save(executionArn: string, version: FrameVersion): Promise<boolean> {
    return this.store.putFrameVersion(executionArn, await this.encode(executionArn, version));
  }

  private async load(executionArn: string, frameId: string): Promise<FrameVersion | undefined> {
    const stored = await this.store.latestFrame(executionArn, frameId);
    return stored && this.decode(executionArn, stored);
  }

  /**
   * The stored form of a version. Large values — the state's input and
   * output, a Map run's items — are stored once under the hash of their
   * content and referenced, so a transition that does not change 100 KiB of
   * state does not write it again; payloads in the outbox that are the
   * frame's input are references to it.
   */
  private async encode(executionArn: string, version: FrameVersion): Promise<FrameVersion> {
    const f = version.frame;
    const frame = { ...f, input: await this.refer(executionArn, f.input) };
    if (f.output !== undefined) frame.output = await this.refer(executionArn, f.output);
    if (f.children) {
      frame.children = { ...f.children, effectiveInput: await this.refer(executionArn, f.children.effectiveInput) };
      if (f.children.items) frame.children.items = (await this.refer(executionArn, f.children.items, 0)) as JsonValue[];
    }
    const outbox = version.outbox && { ...version.outbox, effects: replaceValue(version.outbox.effects, f.input, INPUT_REF) as unknown[] };
    return { ...version, frame, ...(outbox ? { outbox } : {}) };
  }

  private async decode(executionArn: string, stored: FrameVersion): Promise<FrameVersion> {
    const f = stored.frame;
    const frame = { ...f, input: await this.resolve(executionArn, f.input) };
    if (f.output !== undefined) frame.output = await this.resolve(executionArn, f.output);
    if (f.children) {
      frame.children = { ...f.children, effectiveInput: await this.resolve(executionArn, f.children.effectiveInput) };
      if (f.children.items) frame.children.items = (await this.resolve(executionArn, f.children.items)) as JsonValue[];
    }
    const outbox = stored.outbox && { ...stored.outbox, effects: restoreValue(stored.outbox.effects, frame.input) as unknown[] };
    return { ...stored, frame, ...(outbox ? { outbox } : {}) };
  }

  /** The execution record as stored: a large input or output is a reference, like a frame's. */
  private async encodeRecord(record: ExecutionRecord): Promise<ExecutionRecord> {
    const arn = record.info.executionArn;
    return {
      ...record,
      info: { ...record.info, input: await this.refer(arn, record.info.input) },
      ...(record.output !== undefined ? { output: await this.refer(arn, record.output) } : {}),
    };
  }

  private async readRecord(executionArn: string): Promise<ExecutionRecord | undefined> {
    const stored = await this.store.getExecution(executionArn);
    if (!stored) return undefined;
    return {
      ...stored,
      info: { ...stored.info, input: await this.resolve(executionArn, stored.info.input) },
      ...(stored.output !== undefined ? { output: await this.resolve(executionArn, stored.output) } : {}),
    };
  }

  /** A large value as a reference to its content, stored once (per container, known hashes are not written again). */
  private async refer(executionArn: string, value: JsonValue, minBytes = LARGE_VALUE_BYTES): Promise<JsonValue> {
    if (value === null || typeof value !== 'object') return value;
    if (minBytes === LARGE_VALUE_BYTES && this.smallValues.has(value)) return value;
    const known = this.valueHashes.get(value);
    if (known !== undefined && this.values.has(`${executionArn}|${known}`)) return { [VALUE_REF]: known };
    const text = JSON.stringify(value);
    if (text.length < minBytes) {
      // Values are never mutated: an object found small stays small, and is not serialised again to learn it.
      this.smallValues.add(value);
      return value;
    }
    const hash = createHash('sha256').update(text).digest('base64url');
    const cacheKey = `${executionArn}|${hash}`;
    if (!this.values.has(cacheKey)) {
      await this.store.putValue(executionArn, hash, text);
      this.remember(cacheKey, value);
    }
    this.valueHashes.set(value, hash);
    return { [VALUE_REF]: hash };
  }

  private async resolve(executionArn: string, value: JsonValue): Promise<JsonValue> {
    const hash = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, JsonValue>)[VALUE_REF] : undefined;
    if (typeof hash !== 'string') return value;
    const cacheKey = `${executionArn}|${hash}`;
    let resolved = this.values.get(cacheKey);
    if (resolved === undefined) {
      resolved = JSON.parse(await this.store.getValue(executionArn, hash)) as JsonValue;
      this.remember(cacheKey, resolved);
      if (resolved !== null && typeof resolved === 'object') this.valueHashes.set(resolved, hash);
    }
    return resolved;
  }

  private remember(key: string, value: JsonValue): void {
    if (this.values.size >= 256) this.values.delete(this.values.keys().next().value!);
    this.values.set(key, value);
  }

  /**
   * Carries out a committed version's outbox. Every step is idempotent:
   * writes overwrite themselves, messages are deduplicated by the frame
   * versions they address, task attempts by their claims.
   */
  /**
   * @param first true only in the handler whose conditional put committed `version` (its claim on any task attempt it schedules)
   */
  private async perform(executionArn: string, ctx: ExecutionContext, version: FrameVersion, first: boolean, encoded?: FrameVersion, depth = 1): Promise<void> {
    const frame = version.frame;
    const effects = (version.outbox?.effects ?? []) as Effect[];
    const others: { message: Message; delayMs: number; carry?: FrameVersion }[] = [];
    const own: { message: Message; delayMs: number }[] = [];
    const invokes: InvokeTaskEffect[] = [];
    for (const effect of effects) {
      switch (effect.type) {
        case 'Deliver': {
          const m = effect.message;
          (m.frameId === frame.id ? own : others).push({ message: m, delayMs: effect.delayMs });
          break;
        }
        case 'StartFrames':
          // A child's version 0 travels in its Enter message; its first transition is its first write.
          for (const child of effect.frames) {
            others.push({ message: { type: 'Enter', frameId: child.id, entry: 0 }, delayMs: 0, carry: { frame: child, lc: version.lc, at: version.at, events: [] } });
          }
          break;
        case 'CollectChildren': {
          // Each child's last version holds its output: one query over the run's children.
          const children = await this.runChildren(executionArn, effect.frameId, effect.entry, effect.run);
          const outputs: JsonValue[] = effect.childIds.map((id) => childOutput(children.get(id)));
          const details = effect.details ? effect.childIds.map((id) => childDetail(children.get(id), version.at)) : undefined;
          own.push({ message: { type: 'ChildrenCollected', frameId: effect.frameId, entry: effect.entry, run: effect.run, outputs, ...(details ? { details } : {}) }, delayMs: 0 });
          break;
        }
        case 'RedriveChildren': {
          // Succeeded children keep their outputs; the others that ran are redriven; those aborted before they ran start again.
          const children = await this.runChildren(executionArn, effect.frameId, effect.entry, effect.run);
          const succeeded: number[] = [];
          const restart: number[] = [];
          for (let i = 0; i < effect.started; i++) {
            const child = children.get(childId({ id: effect.frameId, entry: effect.entry }, effect.run, i));
            if (child?.status === FrameStatus.SUCCEEDED) succeeded.push(i);
            else if (child === undefined || child.state === '') restart.push(i);
            else if (child.status !== FrameStatus.RUNNING) others.push({ message: { type: 'Redrive', frameId: child.id, redriveCount: effect.redriveCount }, delayMs: 0 });
          }
          own.push({ message: { type: 'ChildrenRedriven', frameId: effect.frameId, entry: effect.entry, run: effect.run, redriveCount: effect.redriveCount, succeeded, restart }, delayMs: 0 });
          break;
        }
        case 'WriteResults': {
          const address = { type: 'ResultsWritten' as const, frameId: effect.frameId, entry: effect.entry };
          let message: Message = address;
          try {
            if (!this.objectWriter) throw new Error('No ResultWriter destination is configured for this runtime.');
            for (const o of effect.objects) await this.objectWriter.put(o.bucket, o.key, o.body);
          } catch (err) {
            message = { ...address, error: 'States.ResultWriterFailed', cause: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
          }
          own.push({ message, delayMs: 0 });
          break;
        }
        case 'AbortChildren':
          await this.abortDescendants(executionArn, effect, version);
          break;
        case 'InvokeTask':
          invokes.push(effect);
          break;
        case 'CancelTask':
          // A running Lambda invocation cannot be recalled; its late result is stale and ignored.
          break;
        case 'ReadItems': {
          const address = { type: 'ItemsRead' as const, frameId: effect.frameId, entry: effect.entry };
          let message: Message;
          if (!this.itemReader) {
            message = { ...address, error: 'States.ItemReaderFailed', cause: 'No ItemReader is configured for this runtime.' };
          } else {
            message = await this.itemReader.read(effect.reader).then(
              (items): Message => ({ ...address, items }),
              (err: unknown): Message => itemsReadFailed(effect, err),
            );
          }
          own.push({ message, delayMs: 0 });
          break;
        }
        case 'ExecutionFinished': {
          const end = {
            status: effect.status,
            stopDate: version.at,
            ...(effect.error !== undefined ? { error: effect.error } : {}),
            ...(effect.cause !== undefined ? { cause: effect.cause } : {}),
          };
          const output = effect.output !== undefined ? { output: await this.refer(executionArn, effect.output) } : {};
          const known = ctx.record.status === 'RUNNING' ? await this.encodeRecord(ctx.record) : undefined;
          if (await this.store.finishExecution(executionArn, { ...end, ...output }, known)) await this.notify('finished', { ...ctx.record, ...end, ...(effect.output !== undefined ? { output: effect.output } : {}) });
          ctx.record = { ...ctx.record, status: effect.status };
          break;
        }
      }
    }
    if (others.length > 0) await this.send(others, executionArn, version.lc);
    const stored = encoded ?? (await this.encode(executionArn, version));
    let inline: Message | undefined;
    for (const invoke of invokes) {
      const result = await this.invoke(executionArn, invoke, version, first);
      if (!result) continue;
      // A synchronous task's result is applied here, not sent round the queue: one message and one
      // invocation fewer per task. Only one level deep, so a chain of tasks still spreads over invocations.
      if (depth === 0 && !inline) inline = result;
      else own.push({ message: result, delayMs: 0 });
    }
    if (inline) {
      if (own.length > 0) await this.send(own.map((o) => ({ ...o, carry: stored })), executionArn, version.lc, version.frame.version);
      try {
        await this.process({ v: 1, executionArn, message: inline, lc: version.lc, frame: stored, final: version.frame.version }, depth + 1, version.outbox?.cause);
        return;
      } catch (err) {
        if (!(err instanceof RetryLaterError)) throw err;
        own.length = 0;
        own.push({ message: inline, delayMs: 0 }); // contended: let the queue bring it back
      }
    }
    // One call, tagged final: the arrival of any of these proves the whole outbox was carried out.
    if (own.length > 0) await this.send(own.map((o) => ({ ...o, carry: stored })), executionArn, version.lc, version.frame.version);
    // Unless one of them arrives at once, record it (finished frames receive nothing that moves them).
    if (!own.some((o) => o.delayMs <= 0) && frame.status === FrameStatus.RUNNING && version.outbox && !version.outbox.done) {
      await this.store.markOutboxDone(executionArn, frame.id, frame.version);
    }
  }

  /** Invokes one task attempt at most once; returns the message its outcome becomes, if any yet. */
  private async invoke(executionArn: string, effect: InvokeTaskEffect, version: FrameVersion, first: boolean): Promise<Message | undefined> {
    const key = `${effect.frameId}#${effect.entry}#${effect.attempt}`;
    const address = { frameId: effect.frameId, entry: effect.entry, attempt: effect.attempt };
    if (effect.activityArn) {
      // Queued for GetActivityTask; idempotent per token, so a re-performed outbox queues it once.
      await this.store.enqueueActivityTask(effect.activityArn, {
        taskToken: effect.invocation.taskToken!,
        input: JSON.stringify(effect.invocation.parameters),
        executionArn,
        scheduledAt: version.at,
      });
      return undefined;
    }
    if (!effect.waitForToken) {
      // A synchronous task: the committed version that scheduled the attempt is its claim, so only the
      // handler that won that commit invokes. Carrying the outbox out again never invokes; if the result has
      // not arrived `lostTaskAfterMs` after the claim, that handler died and the attempt is lost.
      if (!first) {
        if (this.now() - version.at < this.lostTaskAfterMs) throw new RetryLaterError(`Task attempt ${key} of ${executionArn} may still be running in the handler that claimed it`);
        return { type: 'TaskFailed', ...address, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE };
      }
    } else if (!(await this.store.claimTask(executionArn, key, this.now()))) {
      // A callback task keeps a claim item, which also records that its invocation returned and it now
      // waits for its token — a long wait must not be mistaken for a lost worker.
      const claim = await this.store.getTaskClaim(executionArn, key);
      if (claim?.result) return claim.result;
      if (claim?.pending) return undefined;
      if (claim && this.now() - claim.claimedAt < this.lostTaskAfterMs) {
        throw new RetryLaterError(`Task attempt ${key} of ${executionArn} is running elsewhere`);
      }
      return { type: 'TaskFailed', ...address, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE };
    }
    // A runner reports every failure as an outcome; if it throws, this handler dies like a crashed worker would.
    const outcome = await this.tasks.run(effect.invocation, new AbortController().signal);
    let result: Message | undefined;
    if (outcome.kind === 'succeeded' && (!effect.waitForToken || outcome.completesCallback === true)) {
      result = { type: 'TaskSucceeded', ...address, output: outcome.output };
    } else if (outcome.kind === 'failed') {
      result = { type: 'TaskFailed', ...address, error: outcome.error, ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}) };
    }
    // A callback task records that it now waits for its token.
    if (!result && effect.waitForToken) await this.store.recordTaskResult(executionArn, key, null);
    return result;
  }

  /**
   * Ends every running descendant of a frame: each stored one gets an
   * ABORTED version (re-read and tried again when it moves at the same
   * time), and a started child that has not committed its first transition
   * yet gets an ABORTED first version, so when its Enter arrives it finds
   * itself ended. Nested children are found through each frame's progress.
   */
  private async abortDescendants(executionArn: string, effect: AbortChildrenEffect, cause: FrameVersion): Promise<void> {
    const stored = new Map((await this.store.framesUnder(executionArn, `${effect.frameId}/`)).map((v) => [v.frame.id, v]));
    const pending = [...(effect.childIds ?? []), ...stored.keys()];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      let latest = stored.has(id) ? await this.decode(executionArn, stored.get(id)!) : undefined;
      for (let attempt = 0; latest === undefined || latest.frame.status === FrameStatus.RUNNING; attempt++) {
        if (attempt >= this.maxConflicts) throw new RetryLaterError(`Could not abort ${id} of ${executionArn}: it keeps moving`);
        const aborted: FrameVersion = latest
          ? { frame: { ...latest.frame, status: FrameStatus.ABORTED, phase: 'DONE', version: latest.frame.version + 1 }, lc: Math.max(latest.lc, cause.lc) + 1, at: cause.at, events: [] }
          : { frame: abortedFirstVersion(id, cause.at), lc: cause.lc + 1, at: cause.at, events: [] };
        if (await this.save(executionArn, aborted)) {
          latest = aborted;
          break;
        }
        latest = await this.load(executionArn, id);
      }
      const progress = latest?.frame.children;
      if (latest && progress) for (let i = 0; i < progress.started; i++) pending.push(childId(latest.frame, progress.run, i));
    }
  }

  /** The latest version of each direct child of a Map's or Parallel's run, by frame id. */
  private async runChildren(executionArn: string, frameId: string, entry: number, run: number): Promise<Map<string, Frame>> {
    const prefix = `${frameId}/${entry}.${run}.`;
    const children = new Map<string, Frame>();
    for (const v of await this.store.framesUnder(executionArn, prefix)) {
      if (!v.frame.id.slice(prefix.length).includes('/')) children.set(v.frame.id, (await this.decode(executionArn, v)).frame);
    }
    return children;
  }

  /** Sends messages, chaining delays longer than the queue allows; `carry` travels with its message. */
  private async send(messages: { message: Message; delayMs: number; carry?: FrameVersion }[], executionArn: string, lc: number, final?: number): Promise<void> {
    const now = this.now();
    const out: Outgoing[] = messages.map(({ message, delayMs, carry }) => {
      const envelope: Envelope = { v: 1, executionArn, message, lc };
      if (carry && message.frameId === carry.frame.id) envelope.frame = carry;
      if (final !== undefined) envelope.final = final;
      if (delayMs > this.maxDelayMs) envelope.notBefore = now + delayMs;
      return { envelope, delayMs: Math.min(delayMs, this.maxDelayMs) };
    });
    await this.queue.send(out);
  }

  /** The execution's record and compiled machine, cached per container. */
  private async context(executionArn: string, known?: ExecutionRecord): Promise<ExecutionContext | undefined> {
    const cached = this.contexts.get(executionArn);
    if (cached) return cached;
    const record = known ?? (await this.readRecord(executionArn));
    if (!record) return undefined;
    const machineKey = `${record.info.stateMachineArn}#${record.revisionId}`;
    let machine = this.machines.get(machineKey);
    if (!machine) {
      const definition = await this.store.getDefinition(record.info.stateMachineArn, record.revisionId);
      if (definition !== undefined) {
        machine = compileStateMachine(parseDefinitionText(definition));
        this.machines.set(machineKey, machine);
      }
    }
    const ctx = { record, machine };
    if (this.contexts.size >= MAX_CACHED_EXECUTIONS) this.contexts.delete(this.contexts.keys().next().value!);
    this.contexts.set(executionArn, ctx);
    return ctx;
  }
}
