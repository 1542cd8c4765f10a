/** Each task attempt is invoked at most once; one whose worker died fails as a lost worker (DESIGN.md invariant 3). */
import type { InvokeTaskEffect } from '../../lib/engine/effects';
import { FramePhase, FrameStatus } from '../../lib/engine/frame';
import { MemoryStore } from '../../lib/service/memory';
import type { FrameVersion } from '../../lib/service/ports';
import { RetryLaterError } from '../../lib/service/retry-later';
import { AttemptClaim, LOST_WORKER_CAUSE, LOST_WORKER_ERROR, REQUEST_MAX_AGE_MS, TaskAttempts } from '../../lib/service/task-attempts';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e1';
const LOST_AFTER = 60_000;

function setup(output: { ok: boolean } = { ok: true }) {
  let clock = 100_000;
  const store = new MemoryStore();
  let runs = 0;
  const deadlines: number[] = [];
  const attempts = new TaskAttempts({
    store,
    tasks: {
      run: async () => {
        runs++;
        return { kind: 'succeeded', output };
      },
    },
    now: () => clock,
    lostTaskAfterMs: LOST_AFTER,
    // A deadline that has passed by the time the task answers.
    deadline: (ms) => (deadlines.push(ms), AbortSignal.abort()),
  });
  return { store, attempts, runs: () => runs, deadlines, advance: (ms: number) => (clock += ms) };
}

function effect(waitForToken: boolean, timeoutSeconds?: number): InvokeTaskEffect {
  return {
    type: 'InvokeTask',
    frameId: 'root',
    entry: 2,
    attempt: 0,
    waitForToken,
    invocation: {
      resource: 'arn:aws:lambda:us-east-1:123456789012:function:f',
      parameters: {},
      executionArn: ARN,
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M',
      stateName: 'T',
      attempt: 0,
      attemptId: 'root#2#0',
      ...(waitForToken ? { taskToken: 'tok' } : {}),
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    },
  };
}

/** The committed version that scheduled the attempt, at 100 000. */
const scheduled: FrameVersion = {
  frame: { id: 'root', scope: '', version: 3, status: FrameStatus.RUNNING, phase: FramePhase.TASK, state: 'T', entry: 2, input: {}, enteredAt: 0, vars: {}, retries: [] },
  lc: 3,
  at: 100_000,
  events: [],
};

describe('TaskAttempts', () => {
  it('invokes a synchronous task in the handler that committed its claim, and returns its result', async () => {
    const { attempts, runs } = setup();
    expect(await attempts.invoke(ARN, effect(false), scheduled, AttemptClaim.COMMIT)).toEqual({ type: 'TaskSucceeded', frameId: 'root', entry: 2, attempt: 0, output: { ok: true } });
    expect(runs()).toBe(1);
  });

  it('never invokes a synchronous task again when its outbox is carried out again: it waits, then fails it as lost', async () => {
    const { attempts, runs, advance } = setup();
    await expect(attempts.invoke(ARN, effect(false), scheduled, AttemptClaim.REPLAY)).rejects.toBeInstanceOf(RetryLaterError);
    advance(LOST_AFTER);
    expect(await attempts.invoke(ARN, effect(false), scheduled, AttemptClaim.REPLAY)).toEqual({ type: 'TaskFailed', frameId: 'root', entry: 2, attempt: 0, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE });
    expect(runs()).toBe(0);
  });

  it("returns the outcome a chain's invoker recorded when its outbox is carried out again, timer or not, never invoking", async () => {
    const { attempts, store, runs } = setup();
    const outcome = { type: 'TaskSucceeded', frameId: 'root', entry: 2, attempt: 0, output: { n: 7 } } as const;
    await attempts.record(ARN, effect(false), outcome);
    expect(await attempts.invoke(ARN, effect(false), scheduled, AttemptClaim.REPLAY)).toEqual(outcome);
    expect(await attempts.invoke(ARN, effect(false, 5), scheduled, AttemptClaim.REPLAY)).toEqual(outcome);
    expect(await store.getTaskClaim(ARN, 'root#2#0')).toEqual({ claimedAt: 0, result: outcome });
    expect(runs()).toBe(0);
  });

  it('never claims nor invokes a request for an attempt scheduled 14 days ago or more (its claim may be gone): a lost worker', async () => {
    const { attempts, store, runs, advance } = setup();
    advance(REQUEST_MAX_AGE_MS - 1);
    expect(await attempts.invoke(ARN, { ...effect(false), attempt: 1 }, scheduled, AttemptClaim.ITEM)).toEqual({ type: 'TaskSucceeded', frameId: 'root', entry: 2, attempt: 1, output: { ok: true } });
    advance(1);
    expect(await attempts.invoke(ARN, effect(false), scheduled, AttemptClaim.ITEM)).toEqual({ type: 'TaskFailed', frameId: 'root', entry: 2, attempt: 0, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE });
    expect(await store.getTaskClaim(ARN, 'root#2#0')).toBeUndefined();
    expect(runs()).toBe(1);
  });

  it('invokes a synchronous task with a timeout until its deadline, and leaves the attempt to its timer once it has passed', async () => {
    const { attempts, runs, deadlines, advance } = setup();
    advance(400); // the handler comes to the invocation 400 ms after the commit
    expect(await attempts.invoke(ARN, effect(false, 5), scheduled, AttemptClaim.COMMIT)).toBeUndefined();
    expect(deadlines).toEqual([4600]);
    expect(runs()).toBe(1);
  });

  it('never waits for the handler of a synchronous task with a timeout when its outbox is carried out again: its timer ends the attempt', async () => {
    const { attempts, runs } = setup();
    expect(await attempts.invoke(ARN, effect(false, 5), scheduled, AttemptClaim.REPLAY)).toBeUndefined();
    expect(runs()).toBe(0);
  });

  it('invokes a callback task once, and then knows it waits for its token', async () => {
    const { attempts, runs } = setup();
    expect(await attempts.invoke(ARN, effect(true), scheduled, AttemptClaim.COMMIT)).toBeUndefined();
    expect(await attempts.invoke(ARN, effect(true), scheduled, AttemptClaim.REPLAY)).toBeUndefined();
    expect(runs()).toBe(1);
  });

  it('fails a callback task as lost when its claim has no outcome long after it was taken', async () => {
    const { store, attempts, runs, advance } = setup();
    await store.claimTask(ARN, 'root#2#0', 100_000); // the claimer died before it recorded anything
    await expect(attempts.invoke(ARN, effect(true), scheduled, AttemptClaim.COMMIT)).rejects.toBeInstanceOf(RetryLaterError);
    advance(LOST_AFTER);
    expect(await attempts.invoke(ARN, effect(true), scheduled, AttemptClaim.COMMIT)).toEqual({ type: 'TaskFailed', frameId: 'root', entry: 2, attempt: 0, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE });
    expect(runs()).toBe(0);
  });

  it('invokes a synchronous task claimed by item once, leaving its outcome to the invoker, and answers a redelivered request with the outcome it recorded', async () => {
    const { store, attempts, runs } = setup();
    const succeeded = { type: 'TaskSucceeded', frameId: 'root', entry: 2, attempt: 0, output: { ok: true } } as const;
    expect(await attempts.invoke(ARN, effect(false), scheduled, AttemptClaim.ITEM)).toEqual(succeeded);
    // The invoker's commit of the outcome is its record; only one it could not apply is kept with the claim.
    expect(await store.getTaskClaim(ARN, 'root#2#0')).toEqual({ claimedAt: 100_000 });
    await attempts.record(ARN, effect(false), succeeded);
    expect(await attempts.invoke(ARN, effect(false), scheduled, AttemptClaim.ITEM)).toEqual(succeeded);
    expect(runs()).toBe(1);
    expect(await store.getTaskClaim(ARN, 'root#2#0')).toEqual({ claimedAt: 0, result: succeeded });
  });

  it('leaves a synchronous task with a timeout claimed by another invoker to its timer, without invoking it', async () => {
    const { store, attempts, runs } = setup();
    await store.claimTask(ARN, 'root#2#0', 100_000); // the invoker that claimed it died during the invocation
    expect(await attempts.invoke(ARN, effect(false, 5), scheduled, AttemptClaim.ITEM)).toBeUndefined();
    expect(runs()).toBe(0);
  });

  it('fails a synchronous task claimed by item as lost when its claim has no outcome long after it was taken', async () => {
    const { store, attempts, runs, advance } = setup();
    await store.claimTask(ARN, 'root#2#0', 100_000);
    await expect(attempts.invoke(ARN, effect(false), scheduled, AttemptClaim.ITEM)).rejects.toBeInstanceOf(RetryLaterError);
    advance(LOST_AFTER);
    expect(await attempts.invoke(ARN, effect(false), scheduled, AttemptClaim.ITEM)).toEqual({ type: 'TaskFailed', frameId: 'root', entry: 2, attempt: 0, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE });
    expect(runs()).toBe(0);
  });

  it('queues an activity task for its workers instead of invoking anything', async () => {
    const { store, attempts, runs } = setup();
    const activityArn = 'arn:aws:states:us-east-1:123456789012:activity:a';
    expect(await attempts.invoke(ARN, { ...effect(true), activityArn }, scheduled, AttemptClaim.COMMIT)).toBeUndefined();
    expect(await store.takeActivityTask(activityArn)).toEqual({ taskToken: 'tok', input: '{}', executionArn: ARN, scheduledAt: 100_000 });
    expect(runs()).toBe(0);
  });

  it('does not queue an activity task again when its outbox is carried out again after a worker took it', async () => {
    const { store, attempts } = setup();
    const activityArn = 'arn:aws:states:us-east-1:123456789012:activity:a';
    await attempts.invoke(ARN, { ...effect(true), activityArn }, scheduled, AttemptClaim.COMMIT);
    await store.takeActivityTask(activityArn);
    // GetActivityTask claims the attempt as it hands the task out.
    await store.claimTask(ARN, 'root#2#0', 100_500);
    expect(await attempts.invoke(ARN, { ...effect(true), activityArn }, scheduled, AttemptClaim.REPLAY)).toBeUndefined();
    expect(await store.takeActivityTask(activityArn)).toBeUndefined();
  });

  it('queues an activity task again when its outbox is carried out again before any worker took it (once: the queue keeps one per token)', async () => {
    const { store, attempts } = setup();
    const activityArn = 'arn:aws:states:us-east-1:123456789012:activity:a';
    await attempts.invoke(ARN, { ...effect(true), activityArn }, scheduled, AttemptClaim.COMMIT);
    await attempts.invoke(ARN, { ...effect(true), activityArn }, scheduled, AttemptClaim.REPLAY);
    expect(await store.takeActivityTask(activityArn)).toEqual({ taskToken: 'tok', input: '{}', executionArn: ARN, scheduledAt: 100_000 });
    expect(await store.takeActivityTask(activityArn)).toBeUndefined();
  });
});
