/**
 * `.sync` jobs on the AWS SDK (lib/engine/integrations/sync-jobs.ts says what
 * each service's job is): the runner records which attempt waits for the job
 * it submitted; an EventBridge event that the job ended completes that
 * attempt — the job described once, with the role that submitted it, and its
 * description the task's result — and stopping the task stops the job.
 * Events drive it in the cloud (the rule the construct adds) and locally
 * (whatever feeds the events: a stand-in, a local EventBridge); nothing polls.
 */
import type { JsonValue } from '../../asl/json';
import { describeCall, endedJobOfEvent, jobReference, jobState, parseJobReference, stopCall, type JobCall, type SyncJob } from '../../engine/integrations/sync-jobs';
import { ServiceError } from '../../engine/service-errors';
import type { TokenCompleter } from '../../service/nested/child-end';
import type { JobWait, JobWaits } from '../../service/sync-jobs';
import { taskFailed, taskSucceeded } from '../../service/task-tokens';
import type { SdkClients } from './clients';
import { outputJson, sdkOutput } from './output';

/** What an event did: completed a waiting attempt, or found none to complete. */
export const JobEventOutcome = {
  /** The attempt waiting for the job was completed (or had already ended). */
  Completed: 'completed',
  /** No attempt waits for this job (a duplicate event, a job Switchyard did not submit). */
  NotWaited: 'not-waited',
  /** The event is no job's end. */
  NotAJobEnd: 'not-a-job-end',
  /** The job's description says it still runs: the attempt waits on. */
  Running: 'running',
} as const;
export type JobEventOutcome = (typeof JobEventOutcome)[keyof typeof JobEventOutcome];

type CommandClass = new (input: unknown) => unknown;

/** The jobs `.sync` tasks wait for, over the SDK runner's clients. */
export class SyncJobs {
  constructor(
    private readonly clients: SdkClients,
    private readonly waits: JobWaits,
  ) {}

  /** Records that `wait`'s attempt waits for `job` (before the task is recorded as submitted). */
  register(job: SyncJob, wait: JobWait): Promise<void> {
    return this.waits.register(jobReference(job), wait);
  }

  /**
   * Completes the attempt waiting for the job an EventBridge event says has
   * ended. A failure to describe the job or to deliver the result puts the
   * wait back and throws, so the event's redelivery tries again.
   */
  async completeFromEvent(event: unknown, tokens: TokenCompleter): Promise<JobEventOutcome> {
    const job = endedJobOfEvent(event);
    if (job === undefined) return JobEventOutcome.NotAJobEnd;
    return this.completeIfEnded(job, tokens);
  }

  /**
   * Only where no event can reach (`switchyard run`, one process with no
   * listener): describes the job every `intervalMs` until it has ended, then
   * completes its attempt exactly as its event would; stops when no attempt
   * waits for it any more (completed, stopped) or `signal` aborts.
   */
  async pollUntilEnded(reference: string, tokens: TokenCompleter, intervalMs: number, signal: AbortSignal): Promise<void> {
    const job = parseJobReference(reference);
    if (job === undefined) return;
    while (!signal.aborted) {
      await new Promise<void>((resolve) => setTimeout(resolve, intervalMs).unref());
      if (signal.aborted || (await this.completeIfEnded(job, tokens)) !== JobEventOutcome.Running) return;
    }
  }

  /** Takes the job's wait, describes the job, and completes the attempt if it has ended (else puts the wait back). */
  private async completeIfEnded(job: SyncJob, tokens: TokenCompleter): Promise<JobEventOutcome> {
    const reference = jobReference(job);
    const wait = await this.waits.take(reference);
    if (wait === undefined) return JobEventOutcome.NotWaited;
    try {
      const state = jobState(job, await this.send(describeCall(job), wait.roleArn));
      // An event says it ended; a description that disagrees waits for the next event.
      if (state.kind === 'running') {
        await this.waits.register(reference, wait);
        return JobEventOutcome.Running;
      }
      await tokens.deliverForToken(wait.taskToken, (t) => (state.kind === 'succeeded' ? { ...taskSucceeded(t, state.output), job: reference } : { ...taskFailed(t, state.error, state.cause), job: reference }));
    } catch (err) {
      // The attempt has ended (stopped, timed out): nothing waits for this job any more.
      if (err instanceof ServiceError) return JobEventOutcome.Completed;
      await this.waits.register(reference, wait);
      throw err;
    }
    return JobEventOutcome.Completed;
  }

  /** True when the reference names a `.sync` job (not a child execution). */
  handles(reference: string): boolean {
    return parseJobReference(reference) !== undefined;
  }

  /** Stops the job a stopped task waited for (StopTask, TerminateJob, BatchStopJobRun), with the role that submitted it. */
  async stop(reference: string): Promise<void> {
    const job = parseJobReference(reference);
    if (job === undefined) return;
    const wait = await this.waits.take(reference);
    // Without a wait the job has ended already (its end completed the task), or was stopped once.
    if (wait === undefined) return;
    await this.send(stopCall(job), wait.roleArn);
  }

  /** One call of the job's service; its output shaped as a task sees it. */
  private async send(call: JobCall, roleArn: string | undefined): Promise<JsonValue> {
    const Command = this.clients.module(call.client)[call.command] as CommandClass | undefined;
    if (typeof Command !== 'function') throw new Error(`@aws-sdk/client-${call.client} has no ${call.command}.`);
    const client = this.clients.client(call.client, call.client, roleArn);
    return sdkOutput(call.client, await outputJson(await client.send(new Command(call.input))));
  }
}
