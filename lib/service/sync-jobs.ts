/**
 * Which task attempt waits for which `.sync` job (an ECS task, a Batch job, a
 * Glue job run). The job's end arrives as an EventBridge event that names
 * the job and nothing of Switchyard's, so the runner that submits the job
 * records the attempt's token under the job's reference, and whoever hears
 * the event takes it back to complete the attempt (lib/aws/integrations/sync-jobs.ts).
 *
 *   task runner: submit ──► waits.register(job, token) ──► TaskSubmitted
 *   EventBridge: job ended ──► waits.take(job) ──► describe ──► SendTask* (the token)
 *
 * A job that ends before its wait is registered (milliseconds after its
 * submission) sends its event to no wait: so the runner, once the wait is
 * written, describes the job once and completes the attempt itself if it has
 * ended (through the driver's tokens, JobsHost).
 */
import type { TokenCompleter } from './nested/child-end';
import type { ActivityTask, ExecutionStore } from './ports';

/** An attempt waiting for a job: its token and the role its calls are made with. */
export interface JobWait {
  readonly taskToken: string;
  readonly executionArn: string;
  /** The role that submitted the job: describing and stopping it use the same one. */
  readonly roleArn?: string;
}

/** Attempts waiting for jobs, by job reference (lib/engine/integrations/sync-jobs.ts `jobReference`). */
export interface JobWaits {
  register(job: string, wait: JobWait): Promise<void>;
  /** The wait for `job`, removed; undefined when none waits (a duplicate event, a job no task waits for). */
  take(job: string): Promise<JobWait | undefined>;
}

/** What stops a stopped task's job (the driver's CancelTask of a `.sync` task that waits for a service's job). */
export interface JobStopper {
  /** True when the job reference names a service's job (not a child execution). */
  handles(job: string): boolean;
  stop(job: string): Promise<void>;
}

/** What a driver lends the jobs its task runner submits. */
export interface JobsHost {
  /** Where the waits are kept: the driver's store, so that they outlive its process (`switchyard serve --data`). @default the runner's own */
  readonly waits?: JobWaits;
  /** Completes the attempt of a job that had ended before its wait was written (the driver's SendTask* path). */
  readonly tokens: TokenCompleter;
}

/**
 * The jobs of a driver's task runner as a driver uses them: it stops a stopped
 * task's job, and hands it the events it hears (`switchyard serve`'s POST
 * /events), one of which may be a job's end for a waiting attempt.
 */
export interface SyncJobEvents extends JobStopper {
  /** Completes the attempt waiting for the job the event says has ended, through `tokens`; what it did. */
  completeFromEvent(event: unknown, tokens: TokenCompleter): Promise<string>;
  /** Binds the jobs to the driver, before it runs a task. */
  attach(host: JobsHost): void;
}

/** Waits kept in memory (`switchyard run`, LocalRuntime): one process submits and hears. */
export function memoryJobWaits(): JobWaits {
  const waits = new Map<string, JobWait>();
  return {
    register: async (job, wait) => void waits.set(job, wait),
    async take(job) {
      const wait = waits.get(job);
      waits.delete(job);
      return wait;
    },
  };
}

/** A queue name no activity ARN can have: the waits share the store's task-token queue with activities, apart. */
const queueOf = (job: string): string => `sync-job:${job}`;

/**
 * Waits kept in the execution store, so the function that hears the event
 * need not be the one that submitted the job: each is one item of the
 * store's queue of tokens waiting under a name (the one activities use),
 * taken by exactly one caller (a conditional delete) and expiring with the
 * execution's other items.
 */
export function storeJobWaits(store: Pick<ExecutionStore, 'enqueueActivityTask' | 'takeActivityTask'>, now: () => number = Date.now): JobWaits {
  return {
    register: (job, wait) => {
      const task: ActivityTask = { taskToken: wait.taskToken, executionArn: wait.executionArn, input: JSON.stringify(wait.roleArn !== undefined ? { roleArn: wait.roleArn } : {}), scheduledAt: now() };
      return store.enqueueActivityTask(queueOf(job), task);
    },
    async take(job) {
      const task = await store.takeActivityTask(queueOf(job));
      if (task === undefined) return undefined;
      const { roleArn } = JSON.parse(task.input) as { roleArn?: string };
      return { taskToken: task.taskToken, executionArn: task.executionArn, ...(roleArn !== undefined ? { roleArn } : {}) };
    },
  };
}
