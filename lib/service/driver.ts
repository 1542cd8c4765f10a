/**
 * The cloud driver: the durable service over its ports, as one object for
 * its callers (the JSON protocol, the REST surface, the batch handler,
 * `switchyard serve`, the Lambda functions, the harnesses). It composes the
 * parts, each doing one thing, and delegates to them:
 *
 * - registry.ts — state machines, revisions, versions, aliases, tags
 * - execution-api.ts — start, describe, list, history, stop, redrive
 * - activities.ts — activities, GetActivityTask, task tokens
 * - express.ts — EXPRESS executions, each run to its end in one invocation, in memory
 * - transitions.ts — one queue message → one committed frame version
 *   (DESIGN.md's transition invariants), with outbox.ts carrying out the
 *   outbox, task-attempts.ts invoking each attempt at most once, and
 *   child-frames.ts collecting, redriving and aborting children
 * - payload-codec.ts, stored-state.ts — large values stored once by content hash
 */
import { MapRuns } from './map-runs';
import type { JsonValue } from '../asl/json';
import { AWS_LIMITS } from '../engine/aws-limits';
import type { ItemReaderPort } from '../engine/integrations/items';
import type { TaskRunner } from '../engine/ports/task-runner';
import { Activities } from './activities';
import { ChildFrames } from './child-frames';
import { ExecutionApi, type StartOptions } from './execution-api';
import { ExecutionContexts } from './execution-contexts';
import { ExpressExecutions, isExpressExecutionArn } from './express';
import { ExecutionNotifier } from './notifier';
import { OutboxPerformer, type ObjectWriter } from './outbox';
import { PayloadCodec } from './payload-codec';
import type { Envelope, ExecutionObserver, ExecutionRecord, ExecutionStore, ExpressLaunch, ExpressLauncher, TaskRequest, TaskRequestQueue, TransitionQueue, TransitionWatch } from './ports';
import { childEnd } from './nested/records';
import { completeParent, withNestedExecutions, type NestedParent } from './nested';
import { Registry } from './registry';
import { MessageSender } from './sender';
import { TimerHops } from './timer-hops';
import { StoredState } from './stored-state';
import { TaskAttempts } from './task-attempts';
import { TaskInvoker } from './task-invoker';
import { generateTokenKey, type TaskTokenKey, type TokenTarget } from './task-tokens';
import type { JobStopper } from './sync-jobs';
import type { Message } from '../engine/messages';
import { HistoryCap } from './history-cap';
import { DEFAULT_MAX_HISTORY_EVENTS } from '../engine/history-limit';
import { TransitionProcessor } from './transitions';

export { RetryLaterError } from './retry-later';
export { LOST_WORKER_CAUSE, LOST_WORKER_ERROR } from './task-attempts';
export { messageKey } from './transitions';
export { missingRevisionCause } from './execution-contexts';
export { OFF, splitStateMachineArn, type NewStateMachineOptions } from './registry';

/** CloudDriverOptions.childWindow's default: a transition's starts stay well under a second and an item under DynamoDB's limit once compressed. */
export const DEFAULT_CHILD_WINDOW = 1000;

export interface CloudDriverOptions {
  store: ExecutionStore;
  queue: TransitionQueue;
  tasks: TaskRunner;
  /**
   * The task invoker's queue (task-invoker.ts): transitions hand their task
   * attempts to it instead of invoking them and waiting (the cloud), and a
   * driver handling that queue calls {@link CloudDriver.invokeTask}.
   * @default none: the transition invokes each attempt itself (`switchyard serve`, the fault harness)
   */
  taskRequests?: TaskRequestQueue;
  /**
   * The `.sync` jobs of services (ECS tasks, Batch jobs, Glue job runs) its task runner submits: a stopped
   * task's job is stopped through it. @default none: only child executions are stopped with their task
   */
  jobs?: JobStopper;
  /** Reads DISTRIBUTED Map items (S3 in the cloud). @default none: such a Map fails with States.ItemReaderFailed */
  itemReader?: ItemReaderPort;
  /** Where DISTRIBUTED Map ResultWriters put their objects (S3 in the cloud). @default none: such a Map fails with States.ResultWriterFailed */
  objectWriter?: ObjectWriter;
  /** The clock. @default Date.now */
  now?: () => number;
  /** A claimed attempt with no recorded result after this long is failed as a lost worker. @default 16 minutes (Lambda's 15-minute limit and a margin) */
  lostTaskAfterMs?: number;
  /**
   * Task attempts claimed before this instant (epoch ms) were running in a
   * process that is gone — `switchyard serve --data` restarted — and fail at
   * once as lost workers (States.TaskFailed, LOST_WORKER_CAUSE; Retry and
   * Catch decide what follows), never invoked a second time. @default none: wait `lostTaskAfterMs`
   */
  lostTasksClaimedBefore?: number;
  /** A signal that aborts `ms` from now: how a synchronous task attempt stops being awaited at its deadline. @default AbortSignal.timeout */
  taskDeadline?: (ms: number) => AbortSignal;
  /** The queue's maximum delay; longer delays are chained. @default 900 000 (SQS) */
  maxDelayMs?: number;
  /** Conditional-write conflicts retried in-process (with jittered backoff) before the message is handed back to the queue. @default 40 */
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
  /**
   * How many of an INLINE Map's iterations may start past the first one not
   * yet done (the engine's StepOptions.childWindow): a Map's start, and any
   * one transition of it, writes at most this many child starts, and the
   * parent frame's record of completions counted out of order stays below
   * it — bounded whatever the item count (a 100,000-item Map with
   * MaxConcurrency 0 was one transition of 6–9 s and one outbox of every start).
   * @default 1000
   */
  childWindow?: number;
  /**
   * The key task tokens are signed with and checked against (at least 32
   * bytes from a cryptographic generator). Every driver of one deployment
   * must be given the same key — in the cloud the construct's Secrets
   * Manager secret, for `switchyard serve --data DIR` a file in DIR.
   * @default a random key of this driver alone: its tokens are good only with it
   */
  tokenKey?: TaskTokenKey;
  /**
   * How long GetActivityTask holds a request while no task comes. Behind API
   * Gateway keep it under its 29-second integration limit.
   * @default 60 000 (the service's long poll; its clients set a 65-second socket timeout)
   */
  activityTaskWaitMs?: number;
  /**
   * Step Functions' quotas (lib/engine/aws-limits.ts): state inputs and
   * outputs of at most 256 KiB (States.DataLimitExceeded), and the API's
   * length constraints on definitions, execution input, task output, error
   * and cause. @default false: Switchyard's own, larger limits
   */
  awsLimits?: boolean;
  /**
   * Events an execution's history may hold: one that reaches the cap fails
   * with States.Runtime, "The execution reached the maximum number of history
   * events (N).", as in-process (LocalRuntimeOptions.maxHistoryEvents) and as
   * Step Functions fails one at 25,000 (history-cap.ts says how it is counted).
   * @default 1,000,000 (DEFAULT_MAX_HISTORY_EVENTS)
   */
  maxHistoryEvents?: number;
  /** Watches each step for a poison message (ports.ts TransitionWatch). @default none */
  watch?: TransitionWatch;
  /** How long an EXPRESS execution may run before it times out. @default 5 minutes (Step Functions' limit) */
  expressMaxDurationMs?: number;
  /**
   * Where asynchronous EXPRESS starts go to be run: the cloud's Express
   * function, invoked asynchronously (lib/aws/express-launcher.ts).
   * @default none: one message on the transition queue, run by the transition function
   */
  expressLauncher?: ExpressLauncher;
}

/** The durable service: registry, execution API, activities and tokens, and the transition processor. */
export class CloudDriver {
  readonly region: string;
  readonly account: string;
  /** Whether Step Functions' quotas apply (CloudDriverOptions.awsLimits). */
  readonly awsLimits: boolean;
  private readonly tasks: TaskRunner;
  private readonly registry: Registry;
  private readonly executions: ExecutionApi;
  private readonly activities: Activities;
  private readonly transitions: TransitionProcessor;
  private readonly express: ExpressExecutions;
  private readonly invoker: TaskInvoker;
  /** ListMapRuns, DescribeMapRun, UpdateMapRun, and the child executions of DISTRIBUTED Maps (map-runs.ts). */
  readonly mapRuns: MapRuns;

  constructor(options: CloudDriverOptions) {
    const { store, tasks } = options;
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const maxConflicts = options.maxConflicts ?? 40;
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
    this.awsLimits = options.awsLimits === true;
    // states:startExecution tasks start this driver's own executions; every other task goes to the runner given.
    // A child execution whose parent task was stopped (timed out, its execution or branch stopped) is stopped too.
    const stopExecution = (arn: string): Promise<void> => this.executions.stopExecution(arn).then(() => undefined);
    // A `.sync` task's job is a child execution, or a service's job (an ECS task's ARN, …) that the runner's jobs stop.
    const jobs = options.jobs;
    // An Express child cannot be stopped (StopExecution does not support EXPRESS): it runs on, and its end is refused.
    const stopChild = async (job: string): Promise<void> => (jobs?.handles(job) ? jobs.stop(job) : isExpressExecutionArn(job) ? undefined : stopExecution(job));
    this.tasks = withNestedExecutions({ start: (arn, o) => this.executions.startExecution(arn, o), stop: stopExecution }, tasks);
    const place = { region: this.region, account: this.account };
    // A `.sync` task's child completes it where the child ends: its last transition, or its Express run.
    const childEnded = (record: ExecutionRecord & { parent: NestedParent }): Promise<void> => completeParent(childEnd(record), record.parent, this.activities);
    const tokenKey = options.tokenKey ?? generateTokenKey();

    const codec = new PayloadCodec(store);
    const stored = new StoredState(store, codec);
    const contexts = new ExecutionContexts(store, stored);
    const sender = new MessageSender(options.queue, now, options.maxDelayMs ?? 900_000);
    this.registry = new Registry({ store, now, ...place });
    const notifier = new ExecutionNotifier(options.observer, (arn) => this.registry.recentStateMachine(arn));
    const attempts = new TaskAttempts({ store, tasks: this.tasks, now, lostTaskAfterMs: options.lostTaskAfterMs ?? 16 * 60_000, ...(options.lostTasksClaimedBefore !== undefined ? { lostBefore: options.lostTasksClaimedBefore } : {}), ...(options.taskDeadline ? { deadline: options.taskDeadline } : {}) });
    this.invoker = new TaskInvoker({
      attempts,
      sender,
      // The outcome is applied where it came back; the frame's next synchronous task may be left to the invoker.
      apply: (envelope, chain) => this.transitions.applyOutcome(envelope, chain),
      carryOut: (arn, frameId, key, after) => this.transitions.carryOut(arn, frameId, key, after),
      now,
    });
    this.mapRuns = new MapRuns({ store, codec, sender, describeExecution: (arn) => this.executions.describeExecution(arn), now });
    const outbox = new OutboxPerformer({
      store,
      codec,
      sender,
      notifier,
      mapRuns: this.mapRuns,
      children: new ChildFrames({ store, codec, stored, maxConflicts, cancelJob: stopChild }),
      attempts,
      ...(options.taskRequests ? { taskRequests: options.taskRequests } : {}),
      ...(options.itemReader ? { itemReader: options.itemReader } : {}),
      ...(options.objectWriter ? { objectWriter: options.objectWriter } : {}),
      nested: { childEnded, cancelJob: stopChild },
      // A synchronous task's result is applied at once, by the processor that committed the outbox.
      process: (envelope, depth, cause) => this.transitions.process(envelope, depth, cause),
    });
    // Step Functions' quotas include its 25,000-event history.
    const cap = new HistoryCap(store, options.maxHistoryEvents ?? (options.awsLimits === true ? AWS_LIMITS.historyEvents : DEFAULT_MAX_HISTORY_EVENTS));
    const outboxGraceMs = options.outboxGraceMs ?? 60_000;
    const processing = {
      store,
      codec,
      stored,
      contexts,
      notifier,
      sender,
      outbox,
      now,
      sleep,
      maxConflicts,
      outboxGraceMs,
      hops: new TimerHops({ store, sender, now, graceMs: outboxGraceMs }),
      statesPerCommit: Math.max(1, options.statesPerCommit ?? 4),
      childWindow: Math.max(1, options.childWindow ?? DEFAULT_CHILD_WINDOW),
      tokenKey,
      ...(this.awsLimits ? { maxPayloadBytes: AWS_LIMITS.payloadBytes } : {}),
      cap,
      ...(options.watch ? { watch: options.watch } : {}),
    };
    this.transitions = new TransitionProcessor(processing);
    // StopExecution applies its Stop at once, and GetActivityTask its ActivityStarted: each carries out a pending
    // outbox again rather than wait for its handler (doing so is safe — sends are deduplicated by version,
    // invocations and activity tasks by their claims).
    const stopper = new TransitionProcessor({ ...processing, outboxGraceMs: 0 });
    this.express = new ExpressExecutions({
      registry: this.registry,
      contexts,
      notifier,
      queue: options.queue,
      ...(options.expressLauncher ? { launcher: options.expressLauncher } : {}),
      tasks: this.tasks,
      ...(options.itemReader ? { itemReader: options.itemReader } : {}),
      ...(options.objectWriter ? { objectWriter: options.objectWriter } : {}),
      tokenKey,
      nested: { childEnded },
      ...place,
      ...(options.expressMaxDurationMs !== undefined ? { maxDurationMs: options.expressMaxDurationMs } : {}),
    });
    this.executions = new ExecutionApi({ store, cap, codec, stored, contexts, registry: this.registry, notifier, sender, outbox, express: this.express, mapRuns: this.mapRuns, process: (envelope) => stopper.process(envelope), now, sleep, ...place });
    this.activities = new Activities({ store, stored, sender, now, sleep, ...place, tokenKey, taskWaitMs: options.activityTaskWaitMs ?? 60_000, process: (envelope) => stopper.process(envelope) });
  }

  /** The task runner this driver invokes tasks with (TestState runs a state with it). */
  get taskRunner(): TaskRunner {
    return this.tasks;
  }

  // ---- transitions (transitions.ts) -------------------------------------------------------

  /** Processes one queue message. Throws (and the queue redelivers) when it could not be finished. */
  process(envelope: Envelope): Promise<void> {
    // An asynchronous Express start is the whole execution, run here to its end (express.ts).
    if (envelope.express) return this.express.run(envelope.express).then(() => undefined);
    return this.transitions.process(envelope);
  }

  /** Runs an asynchronous Express start to its end (the Express function, lambda/express.ts); throws only when it could not run. */
  runExpress(launch: ExpressLaunch): Promise<ExecutionRecord> {
    return this.express.run(launch.express);
  }

  /** Several messages to one frame applied as one transition (see TransitionProcessor.processGroup). */
  processGroup(envelopes: readonly Envelope[]): Promise<void> {
    return this.transitions.processGroup(envelopes);
  }

  /**
   * Claims and invokes one attempt a transition handed to the task invoker, applies its outcome, and runs the
   * frame's next synchronous tasks while there is time (task-invoker.ts).
   * @param until epoch ms by which the invocation must be done
   * @returns how many attempts it invoked, one after another
   */
  invokeTask(request: TaskRequest, until?: number): Promise<number> {
    return this.invoker.handle(request, until);
  }

  /** States entered by the transitions this driver committed since the last call (Step Functions' billed state transitions). */
  takeStatesEntered(): number {
    return this.transitions.takeStatesEntered();
  }

  // ---- the registry (registry.ts) --------------------------------------------------------

  /** The ARN of the state machine `name` in `region` (this driver's by default) and this driver's account. */
  stateMachineArn(name: string, region?: string): string {
    return this.registry.stateMachineArn(name, region);
  }

  /** Registers a state machine (or a new revision of it); the definition is validated first. */
  putStateMachine(...args: Parameters<Registry['putStateMachine']>): ReturnType<Registry['putStateMachine']> {
    return this.registry.putStateMachine(...args);
  }

  /** CreateStateMachine: idempotent for the same definition and role, as the service is. */
  createStateMachine(...args: Parameters<Registry['createStateMachine']>): ReturnType<Registry['createStateMachine']> {
    return this.registry.createStateMachine(...args);
  }

  /** UpdateStateMachine: a new revision; running executions keep theirs. */
  updateStateMachine(...args: Parameters<Registry['updateStateMachine']>): ReturnType<Registry['updateStateMachine']> {
    return this.registry.updateStateMachine(...args);
  }

  /** DescribeStateMachine; StateMachineDoesNotExist when there is none. */
  describeStateMachine(stateMachineArn: string): ReturnType<Registry['describeStateMachine']> {
    return this.registry.describeStateMachine(stateMachineArn);
  }

  deleteStateMachine(stateMachineArn: string): Promise<void> {
    return this.registry.deleteStateMachine(stateMachineArn);
  }

  listStateMachines(): ReturnType<Registry['listStateMachines']> {
    return this.registry.listStateMachines();
  }

  /** The definition text of one revision. */
  definitionOf(stateMachineArn: string, revisionId: string): Promise<string> {
    return this.registry.definitionOf(stateMachineArn, revisionId);
  }

  /** What an ARN starts: the current revision, a version, or an alias's pick of its versions. */
  resolveTarget(arn: string): ReturnType<Registry['resolveTarget']> {
    return this.registry.resolveTarget(arn);
  }

  /** PublishStateMachineVersion. */
  publishVersion(...args: Parameters<Registry['publishVersion']>): ReturnType<Registry['publishVersion']> {
    return this.registry.publishVersion(...args);
  }

  deleteVersion(versionArn: string): Promise<void> {
    return this.registry.deleteVersion(versionArn);
  }

  /** CreateStateMachineAlias (`create`) or UpdateStateMachineAlias. */
  putAlias(...args: Parameters<Registry['putAlias']>): ReturnType<Registry['putAlias']> {
    return this.registry.putAlias(...args);
  }

  describeAlias(aliasArn: string): ReturnType<Registry['describeAlias']> {
    return this.registry.describeAlias(aliasArn);
  }

  deleteAlias(aliasArn: string): Promise<void> {
    return this.registry.deleteAlias(aliasArn);
  }

  /** Tags of a state machine or an activity. */
  listTags(resourceArn: string): Promise<Record<string, string>> {
    return this.registry.listTags(resourceArn);
  }

  tagResource(resourceArn: string, tags: Record<string, string>): Promise<void> {
    return this.registry.tagResource(resourceArn, tags);
  }

  untagResource(resourceArn: string, keys: readonly string[]): Promise<void> {
    return this.registry.untagResource(resourceArn, keys);
  }

  // ---- executions (execution-api.ts) -----------------------------------------------------

  /** StartExecution: idempotent by name for the same input while running, as the service is; an EXPRESS start goes to the Express function's launcher, else the queue (express.ts). */
  startExecution(targetArn: string, options?: StartOptions): ReturnType<ExecutionApi['startExecution']> {
    return this.executions.startExecution(targetArn, options);
  }

  /** StartSyncExecution: EXPRESS state machines only; runs the execution in this call (up to five minutes) and returns it ended. */
  startSyncExecution(...args: Parameters<ExecutionApi['startSyncExecution']>): ReturnType<ExecutionApi['startSyncExecution']> {
    return this.executions.startSyncExecution(...args);
  }

  describeExecution(executionArn: string): ReturnType<ExecutionApi['describeExecution']> {
    return this.executions.describeExecution(executionArn);
  }

  /** One page of a state machine's executions, newest first (their inputs and outputs as stored). */
  listExecutions(...args: Parameters<ExecutionApi['listExecutions']>): ReturnType<ExecutionApi['listExecutions']> {
    return this.executions.listExecutions(...args);
  }

  /** The execution's whole history. */
  getExecutionHistory(executionArn: string): ReturnType<ExecutionApi['getExecutionHistory']> {
    return this.executions.getExecutionHistory(executionArn);
  }

  /** One page of GetExecutionHistory (forward, it reads only what the page needs). */
  getExecutionHistoryPage(...args: Parameters<ExecutionApi['getExecutionHistoryPage']>): ReturnType<ExecutionApi['getExecutionHistoryPage']> {
    return this.executions.getExecutionHistoryPage(...args);
  }

  /** StopExecution: the Stop message ends the root frame and aborts every child. */
  stopExecution(executionArn: string, error?: string, cause?: string): ReturnType<ExecutionApi['stopExecution']> {
    return this.executions.stopExecution(executionArn, error, cause);
  }

  /** Why an ended execution cannot be redriven, in the service's words; undefined when it can. */
  notRedrivable(...args: Parameters<ExecutionApi['notRedrivable']>): ReturnType<ExecutionApi['notRedrivable']> {
    return this.executions.notRedrivable(...args);
  }

  /** RedriveExecution: the execution continues from the state it ended in, with the same input. */
  redriveExecution(executionArn: string): ReturnType<ExecutionApi['redriveExecution']> {
    return this.executions.redriveExecution(executionArn);
  }

  /** The definition revision an execution runs (DescribeStateMachineForExecution). */
  stateMachineForExecution(executionArn: string): ReturnType<ExecutionApi['stateMachineForExecution']> {
    return this.executions.stateMachineForExecution(executionArn);
  }

  // ---- activities and task tokens (activities.ts) ----------------------------------------

  /** The ARN of the activity `name` in `region` (this driver's by default) and this driver's account. */
  activityArn(name: string, region?: string): string {
    return this.activities.activityArn(name, region);
  }

  /** The execution an authentic task token belongs to; undefined when it is not one of this deployment's tokens. */
  tokenExecutionArn(taskToken: string): string | undefined {
    return this.activities.tokenExecutionArn(taskToken);
  }

  /** CreateActivity: idempotent by name. */
  createActivity(...args: Parameters<Activities['createActivity']>): ReturnType<Activities['createActivity']> {
    return this.activities.createActivity(...args);
  }

  describeActivity(activityArn: string): ReturnType<Activities['describeActivity']> {
    return this.activities.describeActivity(activityArn);
  }

  deleteActivity(activityArn: string): Promise<void> {
    return this.activities.deleteActivity(activityArn);
  }

  listActivities(): ReturnType<Activities['listActivities']> {
    return this.activities.listActivities();
  }

  /** GetActivityTask: waits up to `waitMs` for a task; undefined when none came. */
  getActivityTask(...args: Parameters<Activities['getActivityTask']>): ReturnType<Activities['getActivityTask']> {
    return this.activities.getActivityTask(...args);
  }

  sendTaskSuccess(taskToken: string, output: JsonValue): Promise<void> {
    return this.activities.sendTaskSuccess(taskToken, output);
  }

  /** Delivers the message built for the attempt a token names (a `.sync` job's end, naming the job); throws the API's error for a token that is not current. */
  deliverForToken(taskToken: string, message: (target: TokenTarget) => Message): Promise<void> {
    return this.activities.deliverForToken(taskToken, message);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void> {
    return this.activities.sendTaskFailure(taskToken, error, cause);
  }

  sendTaskHeartbeat(taskToken: string): Promise<void> {
    return this.activities.sendTaskHeartbeat(taskToken);
  }
}
