/**
 * The task invoker: claims and invokes the task attempts that transitions
 * hand it (TaskRequest messages on its own queue), and applies each outcome
 * to its frame itself — so a transition never waits on a task, a task's time
 * is billed to the invoker alone, and an outcome needs no message, no
 * transition invocation and no record of its own: the commit that applies
 * it is its record.
 *
 *   transition ──commit v──► timers (final) ──► TaskRequest ──► invoker queue
 *   invoker: claim item (conditional put) ──► Invoke ──► apply the outcome: commit v+1 (cause: the attempt's
 *            outcome key) ──► v+1's outbox (the next TaskRequest, …)
 *     └ could not apply (contended, throttled): record the outcome with the claim ──► TaskSucceeded/TaskFailed
 *       (final v) ──► transition queue
 *     └ v+1 schedules the frame's next synchronous task and there is time for it: v+1's commit claims it, and
 *       this invoker invokes it next, without a request (task-chain.ts)
 *
 * At most one invocation per attempt (DESIGN.md invariant 3): the claim item
 * is put before the invoke, and a redelivered request that finds it never
 * invokes again. It applies the recorded outcome again, or leaves the attempt
 * to its timer, or (with no timer, `lostTaskAfterMs` after the claim) applies
 * a lost-worker failure (task-attempts.ts). All of an attempt's outcomes
 * share one message key, so whichever comes second finds the version the
 * first committed and carries out its outbox again (DESIGN.md invariant 2):
 * an invoker that died after its commit leaves nothing undone.
 */
import { recordBody, type BatchResponse, type QueueRecord } from './batch';
import type { Message } from '../engine/messages';
import type { Envelope, TaskRequest } from './ports';
import { RetryLaterError } from './retry-later';
import type { MessageSender } from './sender';
import { AttemptClaim, type TaskAttempts } from './task-attempts';
import { DEFAULT_CHAIN_MS, TaskChain } from './task-chain';
import { taskOutcomeKey } from './transitions';

export interface TaskInvokerOptions {
  attempts: TaskAttempts;
  sender: MessageSender;
  /** Applies an outcome to its frame here (TransitionProcessor.applyOutcome), leaving the next task to `chain`; throws when it could not. */
  apply: (envelope: Envelope, chain: TaskChain) => Promise<void>;
  /**
   * Carries out the outbox of a frame's latest version if the message `key` committed it; true when that version
   * is past `after` (TransitionProcessor.carryOut).
   */
  carryOut: (executionArn: string, frameId: string, key: string, after: number) => Promise<boolean>;
  now: () => number;
}

/** Claims, invokes and answers task requests. */
export class TaskInvoker {
  constructor(private readonly deps: TaskInvokerOptions) {}

  /**
   * Invokes one requested attempt at most once and applies its outcome, if it has one yet, and then each next
   * synchronous task of its frame that the commits leave to it. Throws (and the queue redelivers) when it could not.
   * @param until epoch ms by which this invocation must be done (a Lambda invocation's deadline)
   * @returns how many attempts it invoked, one after another
   */
  async handle(request: TaskRequest, until?: number): Promise<number> {
    const { executionArn } = request;
    const chain = new TaskChain(until ?? this.deps.now() + DEFAULT_CHAIN_MS, this.deps.now);
    let next: { effect: TaskRequest['effect']; version: TaskRequest['version'] } | undefined = request;
    let invoked = 0;
    for (let claim: AttemptClaim = AttemptClaim.ITEM; next; claim = AttemptClaim.COMMIT) {
      const { effect, version } = next;
      chain.next = undefined;
      const outcome = await this.invoke(executionArn, effect, version, claim);
      if (!outcome) return invoked;
      invoked++;
      // Carrying the version that scheduled the attempt, tagged final: the request (or this chain's invocation)
      // went out last of its outbox, so its outcome proves the outbox was carried out.
      const envelope: Envelope = { v: 1, executionArn, message: outcome, lc: version.lc, frame: version, final: version.frame.version };
      try {
        await this.deps.apply(envelope, chain);
      } catch {
        // Contended or throttled: the transition queue brings the outcome back to its frame. It is kept with the
        // claim first, so a redelivered request (or a replay of the chained version) finds it rather than a lost worker.
        await this.deps.attempts.record(executionArn, effect, outcome);
        await this.deps.sender.send([{ message: outcome, delayMs: 0, carry: version }], executionArn, version.lc, version.frame.version);
        return invoked;
      }
      next = chain.next;
    }
    return invoked;
  }

  /** Invokes one attempt: claimed by a claim item (a request) or by the commit that scheduled it (a chain). */
  private async invoke(executionArn: string, effect: TaskRequest['effect'], version: TaskRequest['version'], claim: AttemptClaim): Promise<Message | undefined> {
    if (claim !== AttemptClaim.ITEM) return this.deps.attempts.invoke(executionArn, effect, version, claim);
    const key = taskOutcomeKey(effect);
    let outcome;
    try {
      outcome = await this.deps.attempts.invoke(executionArn, effect, version, AttemptClaim.ITEM);
    } catch (err) {
      // Claimed elsewhere with no outcome recorded: answered already if its frame moved past the version that
      // scheduled it (a copy of the request, or an invoker that died after its commit); else it comes back.
      if (err instanceof RetryLaterError && (await this.deps.carryOut(executionArn, effect.frameId, key, version.frame.version))) return undefined;
      throw err;
    }
    // Its timer's to end (or a callback task now waiting for its token) — unless an invoker that died after
    // applying its outcome left the version it committed with an outbox still to carry out.
    if (!outcome && !effect.waitForToken) await this.deps.carryOut(executionArn, effect.frameId, key, version.frame.version);
    return outcome;
  }
}

/** Parses and checks a request body; returns the reason when it can never be handled. */
export function parseTaskRequest(body: string): TaskRequest | { malformed: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { malformed: 'The request body is not JSON' };
  }
  const r = parsed as Partial<TaskRequest> | null;
  if (r === null || typeof r !== 'object' || r.v !== 1) return { malformed: 'Not a task request of version 1' };
  if (typeof r.executionArn !== 'string' || !r.executionArn.startsWith('arn:')) return { malformed: 'executionArn is missing or not an ARN' };
  if (typeof r.effect !== 'object' || r.effect === null || r.effect.type !== 'InvokeTask') return { malformed: 'effect is missing or not an InvokeTask' };
  if (typeof r.version !== 'object' || r.version === null || typeof r.version.frame !== 'object') return { malformed: 'version is missing' };
  return r as TaskRequest;
}

export interface TaskRequestBatchOptions {
  /** Where a body stored aside (`{"$blob": key}`) is read from. */
  readBlob?: (key: string) => Promise<string>;
  /** Epoch ms by which the invocation must be done (its Lambda deadline): chains of tasks end in time. @default none */
  until?: number;
  /** Told once per batch how many tasks, one after another, its longest chain invoked: what the invocation waited on. */
  waited?: (tasks: number) => void;
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * One SQS batch of task requests, as the invoker function receives it: every
 * request at once (each waits on its own task), failures reported per record.
 * A malformed request is logged and reported failed, so the queue's redrive
 * policy parks it on the invoker's dead-letter queue.
 */
export async function processTaskRequests(invoker: { invokeTask(request: TaskRequest, until?: number): Promise<number> }, records: readonly QueueRecord[], options: TaskRequestBatchOptions = {}): Promise<BatchResponse> {
  const log = options.log ?? ((entry: Record<string, unknown>) => console.warn(JSON.stringify(entry)));
  const failures: { itemIdentifier: string }[] = [];
  let longest = 0;
  // (An SQS batch is at most ten records.)
  const handle = async (record: QueueRecord): Promise<void> => {
    try {
      const request = parseTaskRequest(await recordBody(record, options.readBlob));
      if ('malformed' in request) {
        log({ message: 'Malformed task request', reason: request.malformed, messageId: record.messageId });
        failures.push({ itemIdentifier: record.messageId });
        return;
      }
      longest = Math.max(longest, await invoker.invokeTask(request, options.until));
    } catch (err) {
      if (!(err instanceof RetryLaterError)) log({ message: 'Task request failed', messageId: record.messageId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      failures.push({ itemIdentifier: record.messageId });
    }
  };
  await Promise.all(records.map(handle));
  options.waited?.(longest);
  return { batchItemFailures: failures };
}
