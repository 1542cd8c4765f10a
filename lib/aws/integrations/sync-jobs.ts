/**
 * `.sync` jobs on the AWS SDK (lib/engine/integrations/sync-jobs.ts says what
 * each service's job is): the runner records which attempt waits for the job
 * it submitted; an EventBridge event that the job ended completes that
 * attempt — the job described once, with the role that submitted it, and its
 * description the task's result — and stopping the task stops the job.
 * Events drive it in the cloud (the rule the construct adds) and locally
 * (whatever feeds the events: a stand-in, a local EventBridge); nothing polls.
 *
 * A job can end before its wait is written (milliseconds after it was
 * submitted), and then its event finds no wait. So once the wait is written
 * the job is described once: if it has ended, its attempt is completed at
 * once; if not, its end comes after that description, and so does its event.
 *
 *   submit ─► waits.register ─► describe ─┬─ ended:   waits.take ─► SendTask* (the token)
 *                                         └─ running: the end event takes the wait
 */
import type { JsonValue } from '../../asl/json';
import { describeCall, endedJobOfEvent, jobReference, jobState, parseJobReference, stopCall, type JobCall, type JobState, type SyncJob } from '../../engine/integrations/sync-jobs';
import { ServiceError } from '../../engine/service-errors';
import type { TokenCompleter } from '../../service/nested/child-end';
import type { JobsHost, JobWait, JobWaits } from '../../service/sync-jobs';
import { taskFailed, taskSucceeded } from '../../service/task-tokens';
import type { SdkClients } from './clients';
import { inResultOrder, sdkResult } from './output';

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
  private tokens: TokenCompleter | undefined;

  constructor(
    private readonly clients: SdkClients,
    private waits: JobWaits,
  ) {}

  /** Binds the jobs to the driver whose tasks submit them: its store keeps the waits (when it gives one), its tokens complete a job that had already ended. */
  attach(host: JobsHost): void {
    if (host.waits !== undefined) this.waits = host.waits;
    this.tokens = host.tokens;
  }

  /**
   * Records that `wait`'s attempt waits for `job` (before the task is
   * recorded as submitted), then describes the job once and completes the
   * attempt if the job has already ended (its event came before the wait).
   * Without an attached driver only the event completes it.
   */
  async register(job: SyncJob, wait: JobWait): Promise<void> {
    const reference = jobReference(job);
    await this.waits.register(reference, wait);
    const tokens = this.tokens;
    if (tokens === undefined) return;
    let state: JobState;
    try {
      state = jobState(job, await this.send(describeCall(job), wait.roleArn));
    } catch {
      // Not described: the job's end event still completes the attempt, as it would have without this look.
      return;
    }
    if (state.kind === 'running') return;
    const taken = await this.waits.take(reference);
    // Taken by the job's event meanwhile: that completes the attempt.
    if (taken === undefined) return;
    await this.deliver(reference, taken, state, tokens).catch(() => this.waits.register(reference, taken));
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
      await this.deliver(reference, wait, state, tokens);
    } catch (err) {
      await this.waits.register(reference, wait);
      throw err;
    }
    return JobEventOutcome.Completed;
  }

  /** Completes the waiting attempt with the ended job's outcome; an attempt that has ended (stopped, timed out) refuses it, and nothing waits for the job any more. */
  private async deliver(reference: string, wait: JobWait, state: Exclude<JobState, { kind: 'running' }>, tokens: TokenCompleter): Promise<void> {
    try {
      await tokens.deliverForToken(wait.taskToken, (t) => (state.kind === 'succeeded' ? { ...taskSucceeded(t, state.output), job: reference } : { ...taskFailed(t, state.error, state.cause), job: reference }));
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
    }
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
    // Only the optimized `.sync` integrations describe and stop jobs.
    return inResultOrder(call.client, true, await sdkResult(call.client, await client.send(new Command(call.input)), true));
  }
}
