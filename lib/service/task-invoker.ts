/**
 * The task invoker: claims and invokes the task attempts that transitions
 * hand it (TaskRequest messages on its own queue), and sends each outcome to
 * the transition queue — so a transition never waits on a task, and a task's
 * time is billed to the invoker alone.
 *
 *   transition ──commit v──► timers (final) ──► TaskRequest ──► invoker queue
 *   invoker: claim item (conditional put) ──► Invoke ──► record outcome ──► TaskSucceeded/TaskFailed (final v) ──► transition queue
 *
 * At most one invocation per attempt (DESIGN.md invariant 3): the claim item
 * is put before the invoke, and a redelivered request that finds it sends
 * the recorded outcome again, or leaves the attempt to its timer, or (with
 * no timer, `lostTaskAfterMs` after the claim) fails it as a lost worker —
 * it never invokes again (task-attempts.ts).
 */
import { recordBody, type BatchResponse, type QueueRecord } from './batch';
import type { TaskRequest } from './ports';
import { RetryLaterError } from './retry-later';
import type { MessageSender } from './sender';
import { AttemptClaim, type TaskAttempts } from './task-attempts';

export interface TaskInvokerOptions {
  attempts: TaskAttempts;
  sender: MessageSender;
}

/** Claims, invokes and answers task requests. */
export class TaskInvoker {
  constructor(private readonly deps: TaskInvokerOptions) {}

  /** Invokes one requested attempt at most once and sends its outcome, if it has one yet. Throws (and the queue redelivers) when it could not. */
  async handle(request: TaskRequest): Promise<void> {
    const { executionArn, effect, version } = request;
    const outcome = await this.deps.attempts.invoke(executionArn, effect, version, AttemptClaim.ITEM);
    if (!outcome) return;
    // Tagged final: the request went out last of its outbox, so its outcome proves the outbox was carried out.
    await this.deps.sender.send([{ message: outcome, delayMs: 0, carry: version }], executionArn, version.lc, version.frame.version);
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
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * One SQS batch of task requests, as the invoker function receives it: every
 * request at once (each waits on its own task), failures reported per record.
 * A malformed request is logged and reported failed, so the queue's redrive
 * policy parks it on the invoker's dead-letter queue.
 */
export async function processTaskRequests(invoker: { invokeTask(request: TaskRequest): Promise<void> }, records: readonly QueueRecord[], options: TaskRequestBatchOptions = {}): Promise<BatchResponse> {
  const log = options.log ?? ((entry: Record<string, unknown>) => console.warn(JSON.stringify(entry)));
  const failures: { itemIdentifier: string }[] = [];
  // (An SQS batch is at most ten records.)
  const handle = async (record: QueueRecord): Promise<void> => {
    try {
      const request = parseTaskRequest(await recordBody(record, options.readBlob));
      if ('malformed' in request) {
        log({ message: 'Malformed task request', reason: request.malformed, messageId: record.messageId });
        failures.push({ itemIdentifier: record.messageId });
        return;
      }
      await invoker.invokeTask(request);
    } catch (err) {
      if (!(err instanceof RetryLaterError)) log({ message: 'Task request failed', messageId: record.messageId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      failures.push({ itemIdentifier: record.messageId });
    }
  };
  await Promise.all(records.map(handle));
  return { batchItemFailures: failures };
}
