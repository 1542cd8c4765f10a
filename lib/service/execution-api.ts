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
import type { HistoryEvent } from '../engine/history';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { startExecution } from '../engine/step';
import { missingRevisionCause, type ExecutionContexts } from './execution-contexts';
import type { ExpressExecutions } from './express';
import { readHistory, storeEvents } from './history';
import type { ExecutionNotifier } from './notifier';
import type { OutboxPerformer } from './outbox';
import type { PayloadCodec } from './payload-codec';
import type { ExecutionRecord, ExecutionStore, FrameVersion, StateMachineRecord } from './ports';
import type { Registry } from './registry';
import type { MessageSender } from './sender';
import type { StoredState } from './stored-state';
import { stopMessage } from './task-tokens';

/** StateMachineTypeNotSupported's message, as the service words it. */
const NOT_SUPPORTED = 'This operation is not supported by this type of state machine';
/** How long after its end an execution can be redriven (the service's 14 days). */
const REDRIVABLE_MS = 14 * 86_400_000;

export interface ExecutionApiOptions {
  store: ExecutionStore;
  codec: PayloadCodec;
  stored: StoredState;
  contexts: ExecutionContexts;
  registry: Registry;
  notifier: ExecutionNotifier;
  sender: MessageSender;
  outbox: OutboxPerformer;
  express: ExpressExecutions;
  now: () => number;
  region: string;
  account: string;
}

/**
 * Where an EXPRESS execution StartExecution starts runs: `queue` sends it to
 * the transition function (the API), `here` runs it in the caller's
 * invocation (the schedule function, which EventBridge invokes
 * asynchronously and retries on failure: at least once, as in the service).
 */
export type ExpressPlacement = 'queue' | 'here';

/** StartExecution's options. */
export interface StartOptions {
  name?: string;
  input?: JsonValue;
  /** @default 'queue' */
  express?: ExpressPlacement;
}

/** Starts, inspects, stops and redrives executions. */
export class ExecutionApi {
  constructor(private readonly deps: ExecutionApiOptions) {}

  /**
   * StartExecution: idempotent by name for the same input while running, as
   * the service is. An EXPRESS start is sent to the queue, or with `express:
   * 'here'` run to its end in this call (express.ts).
   */
  async startExecution(targetArn: string, options: StartOptions = {}): Promise<{ executionArn: string; startDate: number }> {
    const target = await this.deps.registry.resolveTarget(targetArn);
    const sm = target.sm;
    if (sm.type === 'EXPRESS') return options.express === 'here' ? this.deps.express.startHere(targetArn, options) : this.deps.express.start(targetArn, options);
    const stateMachineArn = sm.stateMachineArn;
    const name = options.name ?? randomUUID();
    const executionArn = `arn:aws:states:${this.deps.region}:${this.deps.account}:execution:${sm.name}:${name}`;
    const input = options.input ?? {};
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
    if (won) await this.deps.notifier.transitioned(record, started.events);
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
    const record = await this.deps.stored.readRecord(executionArn);
    if (!record) throw new ServiceError(ServiceErrorName.ExecutionDoesNotExist, `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  /** Executions of a state machine, newest first (their inputs and outputs as stored). */
  async listExecutions(stateMachineArn: string): Promise<ExecutionRecord[]> {
    const sm = await this.deps.registry.describeStateMachine(stateMachineArn);
    // Express executions are not recorded: the service lists none and refuses the request.
    if (sm.type === 'EXPRESS') throw new ServiceError(ServiceErrorName.StateMachineTypeNotSupported, NOT_SUPPORTED);
    return this.deps.store.listExecutions(stateMachineArn);
  }

  async getExecutionHistory(executionArn: string): Promise<HistoryEvent[]> {
    await this.describeExecution(executionArn);
    const versions = await Promise.all((await this.deps.store.allFrameVersions(executionArn)).map((v) => this.deps.codec.decode(executionArn, v)));
    return readHistory(versions).events;
  }

  /** StopExecution: the Stop message ends the root frame and aborts every child. */
  async stopExecution(executionArn: string, error?: string, cause?: string): Promise<{ stopDate: number }> {
    const record = await this.describeExecution(executionArn);
    const stopDate = this.deps.now();
    if (record.status !== 'RUNNING') return { stopDate: record.stopDate ?? stopDate };
    await this.deps.sender.send([
      { message: stopMessage(error, cause), delayMs: 0 },
    ], executionArn, 0);
    return { stopDate };
  }

  /** Why an ended execution cannot be redriven, in the service's words; undefined when it can. */
  async notRedrivable(record: ExecutionRecord): Promise<string | undefined> {
    if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') return `Execution is ${record.status} and cannot be redriven`;
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
