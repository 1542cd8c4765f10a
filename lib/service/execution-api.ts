/**
 * The execution API: StartExecution (and StartSyncExecution), Describe,
 * List, GetExecutionHistory, Stop, Redrive, and the state machine an
 * execution runs. Starting commits the root frame's first version and
 * carries out its outbox; everything after goes through the queue. An
 * EXPRESS state machine's executions are handed to express.ts instead.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../asl/json';
import type { ExecutionInfo } from '../engine/execution';
import { FrameStatus } from '../engine/frame';
import { endedAtHistoryLimit } from '../engine/history-limit';
import type { HistoryEvent } from '../engine/history';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { startExecution } from '../engine/step';
import { missingRevisionCause, type ExecutionContexts } from './execution-contexts';
import type { ExpressExecutions } from './express';
import { readHistory, storeEvents } from './history';
import { historyStart, readHistoryPage, type HistoryCursor } from './history-pages';
import { pageToken, readPageToken } from './page-tokens';
import { runBoundSeconds } from './run-bound';
import type { ExecutionNotifier } from './notifier';
import type { OutboxPerformer } from './outbox';
import type { MapRuns } from './map-runs';
import { REDRIVABLE_MS } from './map-run-redrive';
import type { HistoryCap } from './history-cap';
import type { PayloadCodec } from './payload-codec';
import type { Envelope, ExecutionQuery, ExecutionRecord, ExecutionStore, FrameVersion, StateMachineRecord } from './ports';
import type { Registry } from './registry';
import type { NestedParent } from './nested';
import type { MessageSender } from './sender';
import type { StoredState } from './stored-state';
import { stopMessage } from './task-tokens';

/** A Standard execution's maximum open time (one year), past which it cannot be redriven. */
const MAX_OPEN_MS = 365 * 86_400_000;

/** StateMachineTypeNotSupported's message, as the service words it. */
const NOT_SUPPORTED = 'This operation is not supported by this type of state machine';

export interface ExecutionApiOptions {
  store: ExecutionStore;
  /** Counts each execution's history events against the cap (told of each start). */
  cap: HistoryCap;
  codec: PayloadCodec;
  stored: StoredState;
  contexts: ExecutionContexts;
  registry: Registry;
  notifier: ExecutionNotifier;
  sender: MessageSender;
  outbox: OutboxPerformer;
  express: ExpressExecutions;
  /** The child executions of DISTRIBUTED Maps, answered from their frames. */
  mapRuns: MapRuns;
  /** Applies one message at once, as the transition function would (StopExecution). */
  process: (envelope: Envelope) => Promise<void>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  region: string;
  account: string;
}

/** A DISTRIBUTED Map's child execution: `execution:MACHINE/LABEL:UUID`. */
function isChildExecutionArn(arn: string): boolean {
  return arn.split(':')[6]?.includes('/') === true;
}

/** Where a history page starts: a merge cursor, or an offset into the whole history. */
interface HistoryPosition {
  c?: HistoryCursor;
  o?: number;
}

/** StartExecution's options. */
export interface StartOptions {
  name?: string;
  input?: JsonValue;
  /** The `.sync` task that started it (lib/service/nested). */
  parent?: NestedParent;
}

/** Starts, inspects, stops and redrives executions. */
export class ExecutionApi {
  constructor(private readonly deps: ExecutionApiOptions) {}

  /**
   * StartExecution: idempotent by name for the same input while running, as
   * the service is. An EXPRESS start — the API's, a schedule's or a rule's,
   * a states:startExecution task's — is handed to express.ts, which places
   * it (the Express function's launcher, else the queue). `parent`: the
   * `.sync` task that started it, which its end completes (lib/service/nested).
   */
  async startExecution(targetArn: string, options: StartOptions = {}): Promise<{ executionArn: string; startDate: number }> {
    const target = await this.deps.registry.resolveTarget(targetArn);
    const sm = target.sm;
    if (sm.type === 'EXPRESS') return this.deps.express.start(targetArn, options);
    const stateMachineArn = sm.stateMachineArn;
    const name = options.name ?? randomUUID();
    // An execution is in its state machine's region and account (the caller's when it was created).
    const [, , , region, account] = stateMachineArn.split(':');
    const executionArn = `arn:aws:states:${region}:${account}:execution:${sm.name}:${name}`;
    const input = options.input ?? {};
    const machine = await this.deps.contexts.machine(stateMachineArn, target.revisionId);
    const timeoutSeconds = machine ? runBoundSeconds(machine) : undefined;
    const info: ExecutionInfo = {
      executionArn,
      name,
      stateMachineArn,
      stateMachineName: sm.name,
      roleArn: sm.roleArn,
      input,
      startTime: this.deps.now(),
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
      ...(options.parent ? { parent: options.parent } : {}),
      // Known before the record is written, so the store can bound how long the run's items must live.
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    };
    const created = await this.deps.store.createExecution(await this.deps.codec.encodeRecord(record));
    if (created) await this.deps.notifier.started(record);
    else {
      // (An execution past its retention whose items DynamoDB has not deleted yet still holds its name.)
      const existing = await this.deps.stored.readRecord(executionArn);
      if (!existing || existing.status !== 'RUNNING' || JSON.stringify(existing.info.input) !== JSON.stringify(input)) {
        throw new ServiceError(ServiceErrorName.ExecutionAlreadyExists, `Execution Already Exists: '${executionArn}'`);
      }
      record = existing; // a retried StartExecution: make sure the root frame exists and its outbox went out
    }
    const ctx = (await this.deps.contexts.get(executionArn, record))!;
    if (!ctx.machine) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, missingRevisionCause(record));
    const started = startExecution(ctx.machine, record.info);
    const root: FrameVersion = {
      frame: started.frame,
      lc: 1,
      at: record.info.startTime,
      events: storeEvents(started.events, undefined, started.frame),
      outbox: { cause: 'Start', effects: started.effects, done: false },
    };
    const won = await this.deps.stored.save(executionArn, root);
    if (won) {
      this.deps.cap.started(ctx, root.events.length); // counted here, so no transition need read the history back
      await this.deps.notifier.transitioned(record, started.events);
    }
    const current = won ? root : await this.deps.stored.load(executionArn, 'root');
    if (current && current.frame.version === 1 && current.outbox && !current.outbox.done) await this.deps.outbox.perform(executionArn, ctx, current, won);
    return { executionArn, startDate: record.info.startTime };
  }

  /**
   * StartSyncExecution: EXPRESS state machines only, as in the service; runs
   * the execution in this call (express.ts) and returns it ended.
   */
  async startSyncExecution(stateMachineArn: string, options: { name?: string; input?: JsonValue } = {}): Promise<ExecutionRecord> {
    const sm = await this.deps.registry.describeStateMachine(stateMachineArn);
    if (sm.type !== 'EXPRESS') throw new ServiceError(ServiceErrorName.StateMachineTypeNotSupported, NOT_SUPPORTED);
    return this.deps.express.startSync(stateMachineArn, options);
  }

  async describeExecution(executionArn: string): Promise<ExecutionRecord> {
    const record = (await this.deps.stored.readRecord(executionArn)) ?? (isChildExecutionArn(executionArn) ? await this.deps.mapRuns.describeChild(executionArn) : undefined);
    if (!record) throw new ServiceError(ServiceErrorName.ExecutionDoesNotExist, `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  /**
   * One page of a state machine's executions, newest first (their inputs and
   * outputs as stored), read from the store page by page; `nextToken` is
   * bound to the ARN listed and the filters.
   */
  async listExecutions(stateMachineArn: string, query: Omit<ExecutionQuery, 'after'>, nextToken?: string): Promise<{ executions: ExecutionRecord[]; nextToken?: string }> {
    const sm = await this.deps.registry.describeStateMachine(stateMachineArn);
    // Express executions are not recorded: the service lists none and refuses the request.
    if (sm.type === 'EXPRESS') throw new ServiceError(ServiceErrorName.StateMachineTypeNotSupported, NOT_SUPPORTED);
    const scope = `${stateMachineArn}|${query.startedThrough ?? ''}|${query.status ?? ''}|${String(query.redriven ?? '')}`;
    const after = nextToken !== undefined ? readPageToken('e2', scope, nextToken) : undefined;
    if (after !== undefined && typeof after !== 'string') throw new ServiceError(ServiceErrorName.InvalidToken, 'Invalid Token');
    const page = await this.deps.store.listExecutions(stateMachineArn, { ...query, ...(after !== undefined ? { after } : {}) });
    return { executions: page.items, ...(page.next !== undefined ? { nextToken: pageToken('e2', scope, page.next) } : {}) };
  }

  /** The execution's whole history (the console, the harness, the cost bench). */
  async getExecutionHistory(executionArn: string): Promise<HistoryEvent[]> {
    await this.describeExecution(executionArn);
    return this.wholeHistory(executionArn);
  }

  private async wholeHistory(executionArn: string): Promise<HistoryEvent[]> {
    // A child execution's history is in its parent's frames, apart from the parent's own.
    const parent = isChildExecutionArn(executionArn) ? await this.deps.mapRuns.parentOf(executionArn) : undefined;
    const stored = parent ?? executionArn;
    const versions = await Promise.all((await this.deps.store.allFrameVersions(stored)).map((v) => this.deps.codec.decode(stored, v)));
    return readHistory(versions, parent !== undefined ? executionArn : undefined).events;
  }

  /**
   * One page of GetExecutionHistory. Forward, it reads only the frame versions
   * the page needs (history-pages.ts); in reverse, and for an execution whose
   * child frames were redriven, it reads the whole history and pages it.
   */
  async getExecutionHistoryPage(executionArn: string, limit: number, options: { reverse?: boolean; nextToken?: string } = {}): Promise<{ events: HistoryEvent[]; nextToken?: string }> {
    await this.describeExecution(executionArn);
    const tag = options.reverse === true ? 'h2r' : 'h2';
    const position = options.nextToken !== undefined ? (readPageToken(tag, executionArn, options.nextToken) as HistoryPosition) : {};
    if (!options.reverse && position.o === undefined && !isChildExecutionArn(executionArn)) {
      const decode = (v: FrameVersion): Promise<FrameVersion> => this.deps.codec.decode(executionArn, v);
      const page = await readHistoryPage(this.deps.store, executionArn, decode, position.c ?? historyStart(), limit);
      if (page) return { events: page.events, ...(page.cursor ? { nextToken: pageToken(tag, executionArn, { c: page.cursor }) } : {}) };
      position.o = position.c?.n ?? 0;
    }
    let events = await this.wholeHistory(executionArn);
    if (options.reverse === true) events = events.reverse();
    const offset = position.o ?? 0;
    const more = offset + limit < events.length;
    return { events: events.slice(offset, offset + limit), ...(more ? { nextToken: pageToken(tag, executionArn, { o: offset + limit }) } : {}) };
  }

  /**
   * StopExecution: the Stop message ends the root frame and aborts every child.
   * It is queued (so it is carried out even if this call dies), then applied
   * here before the call answers, so DescribeExecution, ListExecutions and the
   * history show the execution ABORTED at once, as the service does; the
   * queued copy then finds the stop committed and does nothing more.
   */
  async stopExecution(executionArn: string, error?: string, cause?: string): Promise<{ stopDate: number }> {
    const record = await this.describeExecution(executionArn);
    const stopDate = this.deps.now();
    if (record.status !== 'RUNNING') return { stopDate: record.stopDate ?? stopDate };
    const message = stopMessage(error, cause);
    await this.deps.sender.send([{ message, delayMs: 0 }], executionArn, 0);
    try {
      await this.deps.process({ v: 1, executionArn, message, lc: 0 });
    } catch {
      // (The root frame was contended, or the store failed: the queued copy stops the execution instead.)
    }
    return { stopDate };
  }

  /** Why an ended execution cannot be redriven, in the service's words; undefined when it can. */
  async notRedrivable(record: ExecutionRecord): Promise<string | undefined> {
    if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') return `Execution is ${record.status} and cannot be redriven`;
    // RedriveExecution: "The execution event history count is less than 24,999" — one that ended on the cap is not.
    if (endedAtHistoryLimit(record.error, record.cause)) return 'Execution history event limit exceeded';
    // "The workflow execution has not exceeded the maximum open time of one year."
    if (this.deps.now() - record.info.startTime > MAX_OPEN_MS) return 'Execution has exceeded the max execution time';
    if (record.stopDate !== undefined && this.deps.now() - record.stopDate > REDRIVABLE_MS) return 'Execution redrivable period exceeded';
    return undefined;
  }

  /** RedriveExecution: the execution continues from the state it ended in, with the same input. */
  async redriveExecution(executionArn: string): Promise<{ redriveDate: number }> {
    const record = await this.describeExecution(executionArn);
    if (record.status === 'RUNNING' && record.redriveDate !== undefined) {
      // A redrive that reopened the record but died before its message went out: the retried call finishes it.
      const root = await this.deps.stored.load(executionArn, 'root');
      if (root && root.frame.status !== FrameStatus.RUNNING && (root.frame.redrives ?? 0) < record.info.redriveCount) {
        await this.deps.sender.send([{ message: { type: 'Redrive', frameId: 'root', redriveCount: record.info.redriveCount }, delayMs: 0 }], executionArn, 0);
        return { redriveDate: record.redriveDate };
      }
    }
    const reason = await this.notRedrivable(record);
    if (reason) throw new ServiceError(ServiceErrorName.ExecutionNotRedrivable, reason);
    const redriveDate = this.deps.now();
    const redriveCount = record.info.redriveCount + 1;
    const reopened: ExecutionRecord = { info: { ...record.info, redriveCount }, revisionId: record.revisionId, status: 'RUNNING', redriveDate };
    if (record.versionArn) reopened.versionArn = record.versionArn;
    if (record.aliasArn) reopened.aliasArn = record.aliasArn;
    if (!(await this.deps.store.reopenExecution(executionArn, record.status, await this.deps.codec.encodeRecord(reopened)))) {
      throw new ServiceError(ServiceErrorName.ExecutionNotRedrivable, 'Execution is RUNNING and cannot be redriven');
    }
    this.deps.contexts.forget(executionArn);
    await this.deps.sender.send([{ message: { type: 'Redrive', frameId: 'root', redriveCount }, delayMs: 0 }], executionArn, 0);
    return { redriveDate };
  }

  /** The definition revision an execution runs (DescribeStateMachineForExecution). */
  async stateMachineForExecution(executionArn: string): Promise<StateMachineRecord> {
    const record = await this.describeExecution(executionArn);
    if (record.mapRunArn !== undefined) {
      // A child execution runs its Map's ItemProcessor, in its parent's revision.
      const definition = await this.deps.mapRuns.childDefinition(executionArn, async (parentArn) => (await this.stateMachineForExecution(parentArn)).definition);
      if (definition === undefined) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, missingRevisionCause(record));
      return { stateMachineArn: record.info.stateMachineArn, name: record.info.stateMachineArn.slice(record.info.stateMachineArn.lastIndexOf(':') + 1), roleArn: record.info.roleArn, type: 'STANDARD', creationDate: record.info.startTime, revisionId: record.revisionId, definition, updateDate: record.info.startTime };
    }
    const definition = await this.deps.store.getDefinition(record.info.stateMachineArn, record.revisionId);
    if (definition === undefined) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, missingRevisionCause(record));
    const sm = await this.deps.store.getStateMachine(record.info.stateMachineArn);
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
}
