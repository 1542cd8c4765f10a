/**
 * EXPRESS executions in the cloud: each runs from start to end inside one
 * invocation, on the in-process execution (lib/service/in-process) — the
 * same engine, effects and history numbering `switchyard run` uses — with
 * nothing written per transition: no execution record, no frame versions,
 * no history items. Step Functions' Express semantics:
 *
 * - Synchronous: "At-most-once workflow execution … Step Functions waits
 *   once an execution starts and returns the state machine's result on
 *   completion." StartSyncExecution runs the execution in the API call and
 *   answers with its end (SUCCEEDED, FAILED or TIMED_OUT).
 * - Asynchronous: "At-least-once workflow execution … Idempotency is not
 *   automatically managed." StartExecution hands the execution to its
 *   launcher — in the cloud an asynchronous invoke of the Express function
 *   (lambda/express.ts), which runs it to the end in one go — or, with no
 *   launcher, sends one queue message that the transition function runs so.
 *   A duplicate delivery (Lambda's retry of an invocation that failed or
 *   timed out, a redelivered message, or the rare second delivery of one
 *   asynchronous event) runs the execution again from its start, under the
 *   same executionArn and input: its tasks may run twice and its log holds
 *   both runs. Tasks that must not repeat deduplicate on `$$.Execution.Id`.
 *   The API's StartExecution, an EventBridge start and a STANDARD parent's
 *   states:startExecution task all start one so ({@link ExpressExecutions.start});
 *   a `.sync` parent's task is completed by the child's end, the first run's.
 * - "Execution state doesn't persist between state transitions", and
 *   "Execution history is not captured by Step Functions. Logging must be
 *   enabled through Amazon CloudWatch Logs": DescribeExecution,
 *   GetExecutionHistory and StopExecution refuse an Express execution's
 *   ARN, ListExecutions an Express state machine; the events go to the
 *   execution log when the state machine logs (the ExecutionObserver).
 * - Up to five minutes: one still running then times out
 *   (ExecutionTimedOut, States.Timeout).
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../asl/json';
import type { EventDraft } from '../engine/events';
import { itemReaderFailed, type ItemReaderPort } from '../engine/integrations/items';
import type { TaskRunner } from '../engine/ports/task-runner';
import type { TaskTokenKey } from '../engine/token';
import { missingRevisionCause, type ExecutionContexts } from './execution-contexts';
import { InProcessExecution } from './in-process/execution';
import { scaledTimers } from './in-process/timers';
import type { ExecutionNotifier } from './notifier';
import type { NestedHooks, ObjectWriter } from './outbox';
import type { Envelope, ExecutionRecord, ExpressLauncher, TransitionQueue } from './ports';
import type { Registry } from './registry';
import type { NestedParent } from './nested';

/** Step Functions' limit on an Express execution's duration: five minutes. */
export const EXPRESS_MAX_DURATION_MS = 5 * 60_000;

/** The resource type of an Express execution's ARN (`arn:aws:states:…:express:MACHINE:NAME:ID`). */
export const EXPRESS_RESOURCE = 'express';

export interface ExpressExecutionsOptions {
  registry: Registry;
  contexts: ExecutionContexts;
  notifier: ExecutionNotifier;
  queue: TransitionQueue;
  /** Where asynchronous starts go to be run (the cloud's Express function). @default none: one message on `queue` */
  launcher?: ExpressLauncher;
  tasks: TaskRunner;
  itemReader?: ItemReaderPort;
  objectWriter?: ObjectWriter;
  tokenKey: TaskTokenKey;
  /** Told of the end of an execution a `.sync` task started, to complete that task (the rule Standard children follow). @default none */
  nested?: Pick<NestedHooks, 'childEnded'>;
  region: string;
  account: string;
  /** How long an execution may run. @default EXPRESS_MAX_DURATION_MS */
  maxDurationMs?: number;
}

/** The reader used when the driver has none: a DISTRIBUTED Map fails as the cloud driver fails it. */
const noItemReader: ItemReaderPort = {
  read: async () => itemReaderFailed('No ItemReader is configured for this runtime.'),
};

/** Starts and runs Express executions, keeping them only in memory. */
export class ExpressExecutions {
  constructor(private readonly deps: ExpressExecutionsOptions) {}

  /** StartSyncExecution: runs the execution here and returns it ended. */
  async startSync(targetArn: string, options: { name?: string; input?: JsonValue } = {}): Promise<ExecutionRecord> {
    return this.run(await this.newRecord(targetArn, options));
  }

  /**
   * StartExecution of an Express state machine — through the API, by an
   * EventBridge schedule or rule, or by a states:startExecution task — the
   * one place an asynchronous start is placed: handed to the launcher (the
   * Express function, invoked asynchronously), or without one sent as one
   * queue message that the transition function runs; either runs it to the
   * end. `parent`: the `.sync` task that started it, which its end completes.
   */
  async start(targetArn: string, options: { name?: string; input?: JsonValue; parent?: NestedParent } = {}): Promise<{ executionArn: string; startDate: number }> {
    const record = await this.newRecord(targetArn, options);
    if (this.deps.launcher) {
      await this.deps.launcher.launch({ v: 1, express: record });
    } else {
      const envelope: Envelope = { v: 1, executionArn: record.info.executionArn, message: { type: 'Enter', frameId: 'root', entry: 0 }, lc: 0, express: record };
      await this.deps.queue.send([{ envelope, delayMs: 0 }]);
    }
    return { executionArn: record.info.executionArn, startDate: record.info.startTime };
  }

  /** The record of a new execution of the target (a state machine, version or alias): never stored, but carried with its launch. */
  private async newRecord(targetArn: string, options: { name?: string; input?: JsonValue; parent?: NestedParent }): Promise<ExecutionRecord> {
    const target = await this.deps.registry.resolveTarget(targetArn);
    const sm = target.sm;
    const name = options.name ?? randomUUID();
    return {
      info: {
        executionArn: `arn:aws:states:${this.deps.region}:${this.deps.account}:${EXPRESS_RESOURCE}:${sm.name}:${name}:${randomUUID()}`,
        name,
        stateMachineArn: sm.stateMachineArn,
        stateMachineName: sm.name,
        roleArn: sm.roleArn,
        input: options.input ?? {},
        startTime: Date.now(),
        redriveCount: 0,
      },
      revisionId: target.revisionId,
      ...(target.versionArn ? { versionArn: target.versionArn } : {}),
      ...(target.aliasArn ? { aliasArn: target.aliasArn } : {}),
      status: 'RUNNING',
      ...(sm.loggingConfiguration && sm.loggingConfiguration.level !== 'OFF' ? { logging: sm.loggingConfiguration } : {}),
      ...(options.parent ? { parent: options.parent } : {}),
    };
  }

  /**
   * Runs one execution to its end in this invocation and returns its ended
   * record. Its tasks are invoked directly, with the state machine's role;
   * its events go to the observer (the execution log) when it logs.
   */
  async run(record: ExecutionRecord): Promise<ExecutionRecord> {
    const machine = await this.deps.contexts.machine(record.info.stateMachineArn, record.revisionId);
    if (!machine) return this.ended(record, { status: 'FAILED', stopDate: Date.now(), error: 'States.Runtime', cause: missingRevisionCause(record) });
    await this.deps.notifier.started(record);
    const logged: EventDraft[] = [];
    const writes: Promise<void>[] = [];
    const writer = this.deps.objectWriter;
    const timers = scaledTimers(1);
    const execution = new InProcessExecution(
      machine,
      record.info,
      this.deps.tasks,
      timers,
      {
        // Callback and activity tasks are refused when an Express state machine is stored (express-definition.ts).
        onPendingTask: () => {},
        onTokenClosed: () => {},
        ...(writer ? { onResultObject: (bucket: string, key: string, body: string) => void writes.push(writer.put(bucket, key, body)) } : {}),
        ...(record.logging
          ? {
              onEvents: (events: readonly EventDraft[]) => {
                for (const e of events) logged.push(e);
              },
            }
          : {}),
      },
      this.deps.itemReader ?? noItemReader,
      this.deps.tokenKey,
    );
    // The time limit is the engine's own execution timeout message, so it ends as TimeoutSeconds would.
    timers.schedule(this.deps.maxDurationMs ?? EXPRESS_MAX_DURATION_MS, () => execution.deliver({ type: 'ExecutionTimeout', frameId: 'root' }));
    execution.start();
    const result = await execution.result;
    await Promise.all(writes);
    const end: Pick<ExecutionRecord, 'status' | 'stopDate' | 'output' | 'error' | 'cause'> = {
      status: result.status,
      stopDate: result.stopDate,
      ...(result.output !== undefined ? { output: result.output } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      ...(result.cause !== undefined ? { cause: result.cause } : {}),
    };
    if (logged.length > 0) await this.deps.notifier.transitioned(record, logged);
    return this.ended(record, end);
  }

  private async ended(record: ExecutionRecord, end: Pick<ExecutionRecord, 'status' | 'stopDate' | 'output' | 'error' | 'cause'>): Promise<ExecutionRecord> {
    const ended: ExecutionRecord = { ...record, ...end };
    await this.deps.notifier.finished(ended);
    // A second run of the same launch (at least once) tells the parent again; its task takes the first end only.
    const parent = ended.parent;
    if (parent && this.deps.nested) await this.deps.nested.childEnded({ ...ended, parent });
    return ended;
  }
}

/** True for an Express execution's ARN. */
export function isExpressExecutionArn(arn: string): boolean {
  return arn.split(':')[5] === EXPRESS_RESOURCE;
}
