/**
 * The ports of the cloud driver: what it needs from DynamoDB, SQS and S3,
 * in the smallest shape that keeps the transition invariants. The AWS
 * adapters (dynamodb-store, sqs-queue, s3-blobs) implement them for real;
 * memory.ts implements them in memory with the same conditional semantics
 * for the fault-injection harness.
 */
import type { NestedParent } from './nested';
import type { LogLevel } from '../asl/log-levels';
import type { JsonValue } from '../asl/json';
import type { InvokeTaskEffect } from '../engine/effects';
import type { EventDraft } from '../engine/events';
import type { Frame } from '../engine/frame';
import type { EventDetailsKey, HistoryEventType } from '../engine/history-events';
import type { ChildCompletedMessage, Message } from '../engine/messages';
import type { ExecutionInfo } from '../engine/execution';

/** A history event as stored: payloads either inline or as a reference to the frame before/after the transition. */
export interface StoredEvent {
  type: HistoryEventType;
  timestamp: number;
  detailsKey?: EventDetailsKey;
  /** Details with every payload as `{ $p: value }`, or `{ $r: 'bi' | 'ai' | 'ao' }` (before.input, after.input, after.output). */
  details?: Record<string, unknown>;
  /** The frame whose last event it follows (EventDraft.follows). */
  follows?: string;
}

/** Effects of a committed transition that are not yet known to be carried out (the outbox). */
export interface Outbox {
  /** Key of the message that produced this version, so its redelivery recognises its own transition. */
  cause: string;
  /** Serialized effects (lib/engine/effects), performed in order. */
  effects: unknown[];
  /**
   * True once recorded as carried out (markOutboxDone). An outbox that ends in messages to its own
   * frame is not marked: the arrival of one of them (Envelope.final) proves it carried out.
   */
  done: boolean;
  /** Stored as false when no effect refers to the frame's input (payload-codec.ts), so a read need not restore any. */
  inputRefs?: false;
  /**
   * True when the handler that committed this version invokes the synchronous task attempt it schedules for its
   * own frame itself (a task invoker chaining its frame's tasks, task-invoker.ts): the commit is that attempt's
   * claim, so carrying the outbox out again never requests or invokes it.
   */
  chained?: true;
}

/**
 * One version of one frame: the frame as the transition left it, the events
 * the transition produced and its outbox. The item with the highest version
 * is the frame's current state; all of them together are the history.
 */
export interface FrameVersion {
  frame: Frame;
  /** Lamport clock: orders the history across frames. */
  lc: number;
  /** Epoch ms of the transition. */
  at: number;
  events: StoredEvent[];
  outbox?: Outbox;
}

import type { ExecutionStatus } from '../engine/history';
export type { ExecutionStatus };

/** Which executions ListExecutions returns, and how many at once. */
export interface ExecutionQuery {
  /** At most this many records. */
  limit: number;
  /** Where the page starts: a `next` from this store's previous page. */
  after?: string;
  status?: ExecutionStatus;
  /** Only executions redriven (true) or never redriven (false). */
  redriven?: boolean;
  /** Only executions started through this version or alias ARN. */
  startedThrough?: string;
}

/** A page of a listing and, when more may follow, where the next one starts. */
export interface StorePage<T> {
  items: T[];
  next?: string;
}

/** The execution's own record (DescribeExecution). */
export interface ExecutionRecord {
  info: ExecutionInfo;
  /** The definition revision the execution runs; never changes. */
  revisionId: string;
  /** Set when it was started through a version or an alias. */
  versionArn?: string;
  /** A DISTRIBUTED Map's child execution (never stored: map-runs.ts answers from its frame): the Map Run that started it. */
  mapRunArn?: string;
  aliasArn?: string;
  status: ExecutionStatus;
  stopDate?: number;
  /** When it was last redriven. */
  redriveDate?: number;
  output?: JsonValue;
  error?: string;
  cause?: string;
  /** The state machine's logging when the execution started, unless OFF (the state machine's current one wins while it exists). */
  logging?: LoggingConfiguration;
  /** How long the execution is kept after it ends, from its state machine; the store's default when absent. */
  retentionSeconds?: number;
  /** The `.sync` task that started it (states:startExecution.sync), which its end completes. */
  parent?: NestedParent;
  /** The longest one run can last (the definition's TimeoutSeconds, or what its states bound: run-bound.ts), so a store can let the run's items expire sooner than a year. */
  timeoutSeconds?: number;
}

/** Which history events are logged: everything, errors, or the execution's own failure. */
export type { LogLevel };

/** A state machine's logging (the API's LoggingConfiguration). */
export interface LoggingConfiguration {
  level: LogLevel;
  /** Whether inputs, outputs and other execution data are logged. */
  includeExecutionData: boolean;
  /** At most one: the CloudWatch Logs log group, its ARN ending in `:*`. Required unless the level is OFF. */
  destinations?: { cloudWatchLogsLogGroup?: { logGroupArn?: string } }[];
}

/**
 * Told once of each execution's start and of its end (metrics, status-change
 * events). Best effort: what it throws is logged by the driver, never fails a
 * transition, and a transition replayed after a crash does not tell it again.
 */
export interface ExecutionObserver {
  started?(record: ExecutionRecord): void | Promise<void>;
  finished?(record: ExecutionRecord): void | Promise<void>;
  /**
   * The events of one committed transition of an execution that logs
   * (`record.logging`). A transition replayed after a crash may tell it
   * again: logs, like the service's, are best effort.
   */
  transitioned?(record: ExecutionRecord, events: readonly EventDraft[]): void | Promise<void>;
}

/** A state machine and the definition revision new executions use. */
export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
  revisionId: string;
  definition: string;
  /** When the current revision was made (UpdateStateMachine). */
  updateDate?: number;
  tags?: Record<string, string>;
  /** Where and what its executions log. @default OFF */
  loggingConfiguration?: LoggingConfiguration;
  /** The encryption its creator asked for, as described back (Switchyard's stores encrypt as their own settings say). @default none: AWS_OWNED_KEY */
  encryptionConfiguration?: EncryptionConfiguration;
  /** How long its finished executions are kept (a Switchyard setting, made by the CDK construct). @default the store's */
  retentionSeconds?: number;
  /** Published versions (PublishStateMachineVersion), numbered from 1. */
  versions?: StateMachineVersion[];
  aliases?: StateMachineAlias[];
}

/** An immutable version: a revision under a number. */
export interface StateMachineVersion {
  number: number;
  revisionId: string;
  creationDate: number;
  description?: string;
}

/** A name routing executions to one or two versions by weight. */
export interface StateMachineAlias {
  name: string;
  description?: string;
  routing: { version: number; weight: number }[];
  creationDate: number;
  updateDate: number;
}

/** A claim on one task attempt (invariant 3): taken before the invoke, holding the outcome after. */
export interface TaskClaim {
  /** Epoch ms the claim was taken; 0 once an outcome is recorded (recording needs no read, and the time no longer matters). */
  claimedAt: number;
  /** The outcome message once known; absent while the attempt runs (or after its worker died). */
  result?: Message;
  /** The invocation returned and the attempt now waits for its task token (no message to send). */
  pending?: boolean;
}

/** An activity (CreateActivity). */
export interface ActivityRecord {
  activityArn: string;
  name: string;
  creationDate: number;
  tags?: Record<string, string>;
  /** The encryption its creator asked for, as described back. @default none: AWS_OWNED_KEY */
  encryptionConfiguration?: EncryptionConfiguration;
}

/** Step Functions' EncryptionConfiguration of a state machine or an activity, as the API model shapes it. */
export interface EncryptionConfiguration {
  type: 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KMS_KEY';
  /** An alias, alias ARN, key id or key ARN of a symmetric KMS key (CUSTOMER_MANAGED_KMS_KEY only). */
  kmsKeyId?: string;
  /** How long a data key is reused, 60–900 seconds (CUSTOMER_MANAGED_KMS_KEY only). */
  kmsDataKeyReusePeriodSeconds?: number;
}

/**
 * A child frame's completion as its parent collects it (DESIGN.md invariant
 * 5): written once by the child (a redelivery rewrites it), read in pages
 * by the parent, which is the only writer of its own frame.
 */
export interface ChildCompletion {
  /** The completion, as the child's ChildCompleted message carries it. */
  message: ChildCompletedMessage;
  /** The child frame's redrive count when it ended: a completion older than its parent's redrive is stale. */
  redrives: number;
  /** The child's Lamport clock when it ended: the parent version that counts it must come after it in the history. */
  lc?: number;
}

/** A scheduled activity task waiting for a worker's GetActivityTask. */
export interface ActivityTask {
  taskToken: string;
  /** The effective input, as JSON text. */
  input: string;
  executionArn: string;
  /** Orders waiting tasks (epoch ms it was scheduled). */
  scheduledAt: number;
}

/**
 * Execution state. Every write that decides something is conditional:
 * {@link putFrameVersion} succeeds for exactly one writer of a version.
 */
export interface ExecutionStore {
  putStateMachine(record: StateMachineRecord): Promise<void>;
  getStateMachine(stateMachineArn: string): Promise<StateMachineRecord | undefined>;
  /** Every state machine, by ARN. */
  listStateMachines(): Promise<StateMachineRecord[]>;
  /** Removes the state machine; its revisions stay for the executions that run them. */
  deleteStateMachine(stateMachineArn: string): Promise<void>;
  /** The definition text of one revision (kept for as long as executions may run it). */
  getDefinition(stateMachineArn: string, revisionId: string): Promise<string | undefined>;

  /** Creates the execution record; false when one with this ARN exists. */
  createExecution(record: ExecutionRecord): Promise<boolean>;
  getExecution(executionArn: string): Promise<ExecutionRecord | undefined>;
  /**
   * Records the terminal status once (later calls leave the first in place).
   * `known` is the record as the caller last read it (values encoded): a
   * store may write it without reading first when it is still current.
   */
  finishExecution(executionArn: string, end: Pick<ExecutionRecord, 'status' | 'stopDate' | 'output' | 'error' | 'cause'>, known?: ExecutionRecord): Promise<boolean>;
  /** RedriveExecution: replaces the record if its status is still `expected`; false otherwise. */
  reopenExecution(executionArn: string, expected: ExecutionStatus, record: ExecutionRecord): Promise<boolean>;
  /**
   * One page of a state machine's executions, newest first (executions
   * started in the same millisecond: by name, descending), that pass
   * `query.filter`. Reads only what the page needs: at most `query.limit`
   * records come back, and `next` (opaque, this store's own) says where the
   * next page starts (absent on the last page); a page may be short when
   * items expired, and still have a next.
   */
  listExecutions(stateMachineArn: string, query: ExecutionQuery): Promise<StorePage<ExecutionRecord>>;

  /** Writes version `version.frame.version`; false when that version exists already (another transition won). */
  putFrameVersion(executionArn: string, version: FrameVersion): Promise<boolean>;
  /** Marks an outbox carried out. */
  markOutboxDone(executionArn: string, frameId: string, version: number): Promise<void>;
  /** The highest version of a frame. */
  latestFrame(executionArn: string, frameId: string): Promise<FrameVersion | undefined>;
  /** Whether the frame has version `version` (a strongly consistent probe that reads no body: is a version known still the latest?). */
  hasFrameVersion(executionArn: string, frameId: string, version: number): Promise<boolean>;
  /** The latest version of every frame whose id starts with `idPrefix` (e.g. `root/` for every descendant of root), by frame id. */
  framesUnder(executionArn: string, idPrefix: string): Promise<FrameVersion[]>;
  /** Every frame version of the execution, by frame id, then version: its history. */
  allFrameVersions(executionArn: string): Promise<FrameVersion[]>;
  /**
   * The events the execution's own stored versions hold (not those of a
   * DISTRIBUTED Map's child executions, which keep their own histories), where
   * the store keeps that count as versions are written (the in-memory store); without
   * it the history cap reads every version to count them (history-cap.ts).
   */
  historyEventCount?(executionArn: string): Promise<number>;
  /** Versions of one frame from version `from` on, ascending, at most `limit` (a page of its history). */
  frameVersions(executionArn: string, frameId: string, from: number, limit: number): Promise<FrameVersion[]>;

  /** Records a child's completion under its parent (message.frameId), entry, run and index; overwrites an earlier one. */
  putChildCompletion(executionArn: string, completion: ChildCompletion): Promise<void>;
  /** The completions recorded for child run `run` of the parent's state entry `entry`, from child index `from` on, by index, at most `limit`. */
  childCompletions(executionArn: string, parentId: string, entry: number, run: number, from: number, limit: number): Promise<ChildCompletion[]>;

  /** A large value (JSON text) under the hash of its content: written once, read by every version that refers to it. */
  putValue(executionArn: string, hash: string, json: string): Promise<void>;
  getValue(executionArn: string, hash: string): Promise<string>;
  /** The values whose keys start with `prefix` (an index kept as one value per entry: no entry is ever rewritten by two writers), by key. */
  valuesUnder(executionArn: string, prefix: string): Promise<{ key: string; json: string }[]>;


  putActivity(record: ActivityRecord): Promise<void>;
  getActivity(activityArn: string): Promise<ActivityRecord | undefined>;
  deleteActivity(activityArn: string): Promise<void>;
  listActivities(): Promise<ActivityRecord[]>;
  /** Queues a task for the activity's workers (idempotent per token). */
  enqueueActivityTask(activityArn: string, task: ActivityTask): Promise<void>;
  /** Takes the oldest waiting task, if any; each task is handed to exactly one worker. */
  takeActivityTask(activityArn: string): Promise<ActivityTask | undefined>;

  /**
   * Takes the claim; false when it was taken before (returns nothing about it). A recorded result also counts as taken.
   * @param keepMs how long after `claimedAt` the claim must last (a task request's redeliveries); the store may
   *   drop it after. @default as long as the execution's other items
   */
  claimTask(executionArn: string, key: string, claimedAt: number, keepMs?: number): Promise<boolean>;
  getTaskClaim(executionArn: string, key: string): Promise<TaskClaim | undefined>;
  /**
   * Records the attempt's outcome message, or null when it waits for its token.
   * @param keepMs how long from now the record must last; the store may drop it after. @default as long as the execution's other items
   */
  recordTaskResult(executionArn: string, key: string, result: Message | null, keepMs?: number): Promise<void>;
}

/**
 * Watches the steps of transitions for one that kills the process (a V8
 * fatal error, an out-of-memory kill): a message whose step was begun and
 * never ended in two runs of the process is poison, and its execution is
 * failed instead of the process dying on it again. `switchyard serve --data`
 * keeps the marks in its journal; in the cloud SQS's redrive policy parks
 * such a message after its receive count.
 */
export interface TransitionWatch {
  /** Marks the step of message `key` (transitions.ts messageKey) as begun. */
  begin(executionArn: string, key: string): void;
  /** Marks it ended (applied, or threw). */
  end(executionArn: string, key: string): void;
  /** The cause to fail the execution with when the message is poison, else undefined. */
  poisoned(executionArn: string, key: string): string | undefined;
}

/** What travels in one queue message. */
export interface Envelope {
  v: 1;
  executionArn: string;
  message: Message;
  /** The sender's Lamport clock. */
  lc: number;
  /** The addressed frame as the sender committed it, so the common path needs no read. */
  frame?: FrameVersion;
  /** Set on the last message of an outbox: the version whose outbox is complete once this arrives. */
  final?: number;
  /** Epoch ms before which the message must not be processed (waits longer than the queue's maximum delay). */
  notBefore?: number;
  /** How many times a message with `notBefore` was sent back to wait (timer-hops.ts): which hop this is. @default 0 */
  hops?: number;
  /** An asynchronous Express start: the execution (never stored) that the receiver runs to its end in one go (lib/service/express.ts). */
  express?: ExecutionRecord;
}

/**
 * An asynchronous Express start as its runner receives it (lambda/express.ts,
 * invoked asynchronously by the API function): the execution, never stored,
 * that the runner runs to its end in one go (lib/service/express.ts).
 */
export interface ExpressLaunch {
  v: 1;
  express: ExecutionRecord;
}

/**
 * Hands asynchronous Express starts to the function that runs them: in the
 * cloud an asynchronous Lambda invoke (lib/aws/express-launcher.ts), whose
 * own queue, two retries and on-failure destination make the start at least
 * once. Without one, a start goes through the transition queue (an Envelope
 * with `express`).
 */
export interface ExpressLauncher {
  /** Returns once the launch is accepted to run at least once; throws when it was not. */
  launch(launch: ExpressLaunch): Promise<void>;
}

/** One message to send, with its delay. */
export interface Outgoing {
  envelope: Envelope;
  delayMs: number;
}

/** The transition queue. */
export interface TransitionQueue {
  /** Sends every message (batched); throws if any could not be sent. */
  send(messages: Outgoing[]): Promise<void>;
  /** Parks a message that can never be processed, with the reason. */
  deadLetter(body: string, reason: string): Promise<void>;
}

/**
 * A task attempt handed to the task invoker (task-invoker.ts): the effect
 * that schedules it and the committed version that did, as stored (it
 * travels on with the outcome, so the transition that applies it needs no read).
 */
export interface TaskRequest {
  v: 1;
  executionArn: string;
  effect: InvokeTaskEffect;
  version: FrameVersion;
}

/** The task invoker's queue: the transition that schedules a task attempt sends it here instead of invoking it. */
export interface TaskRequestQueue {
  /** Sends every request (batched); throws if any could not be sent. */
  request(requests: readonly TaskRequest[]): Promise<void>;
}

/** Large values kept outside items and messages (S3). */
export interface BlobStore {
  put(key: string, body: string): Promise<void>;
  get(key: string): Promise<string>;
}
