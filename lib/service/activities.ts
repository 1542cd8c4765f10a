/**
 * Activities and task tokens: CreateActivity and its kin, GetActivityTask
 * for workers, and SendTaskSuccess / Failure / Heartbeat, which turn a token
 * into a message to the attempt it names. A token is valid while that
 * attempt is its frame's pending task with that very token.
 */
import type { JsonValue } from '../asl/json';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { decodeTaskToken } from '../engine/token';
import type { Message } from '../engine/messages';
import type { ActivityRecord, EncryptionConfiguration, Envelope, ExecutionStore } from './ports';
import type { MessageSender } from './sender';
import { RetryLaterError } from './retry-later';
import type { StoredState } from './stored-state';
import { activityStarted, checkTokenAgainst, taskFailed, taskHeartbeat, taskSucceeded, tokenTarget, type TaskTokenKey, type TokenTarget } from './task-tokens';

export type { TokenTarget };

/** How often GetActivityTask tries to record ActivityStarted itself before it leaves it to the queue. */
const STARTED_ATTEMPTS = 5;

export interface ActivitiesOptions {
  store: ExecutionStore;
  stored: StoredState;
  sender: MessageSender;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  region: string;
  account: string;
  /** The key the deployment's task tokens are signed with. */
  tokenKey: TaskTokenKey;
  /** How long GetActivityTask waits for a task. */
  taskWaitMs: number;
  /**
   * Applies a message at once (the transition processor): ActivityStarted is
   * recorded before the task reaches its worker, so the worker's answer can
   * never overtake it. @default none: it goes by the queue alone
   */
  process?: (envelope: Envelope) => Promise<void>;
}

/** Activities, their workers' tasks, and task tokens. */
export class Activities {
  constructor(private readonly deps: ActivitiesOptions) {}

  /** The ARN of the activity `name` in `region` (this deployment's by default) and this account. */
  activityArn(name: string, region = this.deps.region): string {
    return `arn:aws:states:${region}:${this.deps.account}:activity:${name}`;
  }

  /** CreateActivity: idempotent by name (a second call's settings are ignored, as the service ignores them). */
  async createActivity(name: string, options: { region?: string; encryptionConfiguration?: EncryptionConfiguration } = {}): Promise<ActivityRecord> {
    const activityArn = this.activityArn(name, options.region);
    const existing = await this.deps.store.getActivity(activityArn);
    if (existing) return existing; // CreateActivity is idempotent
    const record: ActivityRecord = {
      activityArn,
      name,
      creationDate: this.deps.now(),
      ...(options.encryptionConfiguration ? { encryptionConfiguration: options.encryptionConfiguration } : {}),
    };
    await this.deps.store.putActivity(record);
    return record;
  }

  async describeActivity(activityArn: string): Promise<ActivityRecord> {
    const record = await this.deps.store.getActivity(activityArn);
    if (!record) throw new ServiceError(ServiceErrorName.ActivityDoesNotExist, `Activity Does Not Exist: '${activityArn}'`);
    return record;
  }

  async deleteActivity(activityArn: string): Promise<void> {
    await this.deps.store.deleteActivity(activityArn);
  }

  async listActivities(): Promise<ActivityRecord[]> {
    return this.deps.store.listActivities();
  }

  /**
   * GetActivityTask: waits up to `waitMs` for a task (by default the
   * deployment's wait, which is the service's 60 seconds: "The maximum time
   * the service holds on to the request before responding is 60 seconds")
   * and tells the execution a worker started it. Undefined when none came.
   */
  async getActivityTask(activityArn: string, workerName?: string, waitMs = this.deps.taskWaitMs): Promise<{ taskToken: string; input: string } | undefined> {
    await this.describeActivity(activityArn);
    const deadline = this.deps.now() + waitMs;
    for (;;) {
      const task = await this.deps.store.takeActivityTask(activityArn);
      if (task) {
        const target = decodeTaskToken(task.taskToken, this.deps.tokenKey);
        if (target) await this.started(target, workerName);
        return { taskToken: task.taskToken, input: task.input };
      }
      if (this.deps.now() >= deadline) return undefined;
      await this.deps.sleep(Math.min(500, Math.max(0, deadline - this.deps.now())));
    }
  }

  /**
   * Records that a worker took the attempt's task: its claim first, so a
   * replayed outbox does not queue the task again (TaskAttempts), then
   * ActivityStarted — applied here, before the worker has the task (and
   * queued too, should this handler be contended or die), so it always
   * comes before the worker's SendTaskSuccess or SendTaskFailure.
   */
  private async started(target: TokenTarget, workerName: string | undefined): Promise<void> {
    await this.deps.store.claimTask(target.executionArn, `${target.frameId}#${target.entry}#${target.attempt}`, this.deps.now());
    const message = activityStarted(target, workerName);
    await this.deps.sender.send([{ message, delayMs: 0 }], target.executionArn, 0);
    for (let attempt = 1; this.deps.process && attempt <= STARTED_ATTEMPTS; attempt++) {
      try {
        await this.deps.process({ v: 1, executionArn: target.executionArn, message, lc: 0 });
        return;
      } catch (err) {
        // Contended, or the outbox that queued the task is still being carried out: a moment later it is not.
        // Any other failure, or too long a wait: the queued copy records it instead.
        if (!(err instanceof RetryLaterError)) return;
        await this.deps.sleep(50 * attempt);
      }
    }
  }

  sendTaskSuccess(taskToken: string, output: JsonValue): Promise<void> {
    return this.deliverForToken(taskToken, (t) => taskSucceeded(t, output));
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void> {
    return this.deliverForToken(taskToken, (t) => taskFailed(t, error, cause));
  }

  sendTaskHeartbeat(taskToken: string): Promise<void> {
    return this.deliverForToken(taskToken, taskHeartbeat);
  }

  /** Sends the message built for the attempt a token names, once the token is found current (else the API's error). */
  async deliverForToken(taskToken: string, message: (target: TokenTarget) => Message): Promise<void> {
    const t = await this.resolveToken(taskToken);
    await this.deps.sender.send([{ message: message(t), delayMs: 0 }], t.executionArn, 0);
  }

  /** The execution an authentic token belongs to (its MAC checked, not its attempt); undefined for anything else. */
  tokenExecutionArn(taskToken: string): string | undefined {
    return decodeTaskToken(taskToken, this.deps.tokenKey)?.executionArn;
  }

  /** The attempt a token addresses, checked against its frame as stored now (lib/service/task-tokens). */
  async resolveToken(taskToken: string): Promise<TokenTarget> {
    const target = tokenTarget(taskToken, this.deps.tokenKey);
    const current = await this.deps.stored.load(target.executionArn, target.frameId);
    return checkTokenAgainst(taskToken, target, current?.frame);
  }
}
