/** The task invoker claims each requested attempt before invoking it, and sends its outcome to the transition queue. */
import type { InvokeTaskEffect } from '../../lib/engine/effects';
import { FramePhase, FrameStatus } from '../../lib/engine/frame';
import { MemoryStore } from '../../lib/service/memory';
import type { Envelope, FrameVersion, Outgoing, TaskRequest } from '../../lib/service/ports';
import { RetryLaterError } from '../../lib/service/retry-later';
import { MessageSender } from '../../lib/service/sender';
import { LOST_WORKER_CAUSE, LOST_WORKER_ERROR, TaskAttempts } from '../../lib/service/task-attempts';
import { messageKey, taskOutcomeKey } from '../../lib/service/transitions';
import type { TaskChain } from '../../lib/service/task-chain';
import { TaskInvoker, parseTaskRequest, processTaskRequests } from '../../lib/service/task-invoker';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e1';

const effect: InvokeTaskEffect = {
  type: 'InvokeTask',
  frameId: 'root',
  entry: 2,
  attempt: 0,
  waitForToken: false,
  invocation: { resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', parameters: { n: 1 }, executionArn: ARN, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M', stateName: 'T', attempt: 0, attemptId: 'root#2#0' },
};

const version: FrameVersion = {
  frame: { id: 'root', scope: '', version: 3, status: FrameStatus.RUNNING, phase: FramePhase.TASK, state: 'T', entry: 2, input: {}, enteredAt: 0, vars: {}, retries: [] },
  lc: 7,
  at: 100_000,
  events: [],
};

const request: TaskRequest = JSON.parse(JSON.stringify({ v: 1, executionArn: ARN, effect, version }));

function setup(options: { applyFails?: boolean; chainTo?: (envelope: Envelope, chain: TaskChain) => void } = {}) {
  const sent: Outgoing[] = [];
  const applied: Envelope[] = [];
  const carriedOut: string[] = [];
  let runs = 0;
  let clock = 100_500;
  const store = new MemoryStore();
  const attempts = new TaskAttempts({
    store,
    tasks: { run: async (invocation) => (runs++, { kind: 'succeeded', output: invocation.parameters }) },
    now: () => clock,
    lostTaskAfterMs: 60_000,
  });
  const sender = new MessageSender({ send: async (m) => void sent.push(...m), deadLetter: async () => {} }, () => clock, 900_000);
  const invoker = new TaskInvoker({
    attempts,
    sender,
    apply: async (envelope, chain) => {
      if (options.applyFails) throw new RetryLaterError('contended');
      applied.push(envelope);
      options.chainTo?.(envelope, chain);
    },
    carryOut: async (_arn, frameId, key) => (carriedOut.push(`${frameId} ${key}`), false),
    now: () => clock,
  });
  return { store, sent, applied, carriedOut, runs: () => runs, advance: (ms: number) => (clock += ms), invoker: { invokeTask: (r: TaskRequest, until?: number) => invoker.handle(r, until) } };
}

const succeeded = { type: 'TaskSucceeded', frameId: 'root', entry: 2, attempt: 0, output: { n: 1 } } as const;

describe('TaskInvoker', () => {
  it("applies the outcome to the attempt's frame itself, tagged final for the version that scheduled it and carrying that version: no message, no record", async () => {
    const { invoker, sent, applied, store, runs } = setup();
    await invoker.invokeTask(request);
    expect(runs()).toBe(1);
    expect(applied).toEqual([{ v: 1, executionArn: ARN, message: succeeded, lc: 7, frame: version, final: 3 }]);
    expect(sent).toEqual([]);
    expect(await store.getTaskClaim(ARN, 'root#2#0')).toEqual({ claimedAt: 100_500 });
  });

  it('records an outcome it could not apply and sends it to the transition queue; a redelivered request applies the recorded one, never invoking again', async () => {
    const failing = setup({ applyFails: true });
    await failing.invoker.invokeTask(request);
    expect(failing.sent).toEqual([{ envelope: { v: 1, executionArn: ARN, message: succeeded, lc: 7, frame: version, final: 3 }, delayMs: 0 }]);
    expect(await failing.store.getTaskClaim(ARN, 'root#2#0')).toEqual({ claimedAt: 0, result: succeeded });
    await failing.invoker.invokeTask(request);
    expect(failing.runs()).toBe(1);
    expect(failing.sent.map((o) => o.envelope.message)).toEqual([succeeded, succeeded]);
  });

  it('invokes an attempt whose request came twice in one batch once; the copy that found it running is redelivered and, past lostTaskAfterMs, applies the lost-worker failure', async () => {
    const { invoker, applied, runs, advance } = setup();
    const body = JSON.stringify(request);
    const response = await processTaskRequests(invoker, [{ messageId: 'a', body }, { messageId: 'b', body }], { log: () => {} });
    expect(runs()).toBe(1);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(applied.map((e) => e.message)).toEqual([succeeded]);
    advance(60_000);
    expect(await processTaskRequests(invoker, [{ messageId: 'b', body }])).toEqual({ batchItemFailures: [] });
    expect(runs()).toBe(1);
    // The same logical message as the success: applied second, it finds the success's version and carries out its outbox.
    const lost = applied[1].message;
    expect(lost).toEqual({ type: 'TaskFailed', frameId: 'root', entry: 2, attempt: 0, error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE });
    expect(messageKey(lost)).toBe(messageKey(succeeded));
  });

  it('leaves an attempt with a deadline to its timer when its request comes again, carrying out the outbox its outcome may have committed', async () => {
    const { invoker, applied, carriedOut, runs } = setup();
    const timed = { ...request, effect: { ...effect, invocation: { ...effect.invocation, timeoutSeconds: 30 } } };
    await invoker.invokeTask(timed);
    await invoker.invokeTask(timed);
    expect(runs()).toBe(1);
    expect(applied).toHaveLength(1);
    expect(carriedOut).toEqual([`root ${taskOutcomeKey(effect)}`]);
  });

  it('invokes the attempt the commit of an outcome left to it, claimed by that commit (no claim item), and tells the batch how many it ran one after another', async () => {
    const next = { ...effect, entry: 3, invocation: { ...effect.invocation, parameters: { n: 2 }, attemptId: 'root#3#0' } };
    const nextVersion = { ...version, frame: { ...version.frame, version: 4, entry: 3 }, lc: 8 };
    const { invoker, applied, store, runs } = setup({ chainTo: (envelope, chain) => (envelope.final === 3 ? chain.take(next, nextVersion) : undefined) });
    const waited: number[] = [];
    expect(await processTaskRequests(invoker, [{ messageId: 'a', body: JSON.stringify(request) }], { waited: (n) => waited.push(n) })).toEqual({ batchItemFailures: [] });
    expect(runs()).toBe(2);
    expect(waited).toEqual([2]);
    expect(applied.map((e) => [e.message, e.final])).toEqual([
      [succeeded, 3],
      [{ type: 'TaskSucceeded', frameId: 'root', entry: 3, attempt: 0, output: { n: 2 } }, 4],
    ]);
    expect(applied[1].frame).toBe(nextVersion);
    expect(await store.getTaskClaim(ARN, 'root#3#0')).toBeUndefined();
  });

  it('reports a malformed request failed with its reason logged, so the redrive policy parks it', async () => {
    const { invoker, runs } = setup();
    const logged: Record<string, unknown>[] = [];
    const response = await processTaskRequests(invoker, [{ messageId: 'x', body: '{"v":1}' }], { log: (e) => logged.push(e) });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'x' }] });
    expect(logged).toEqual([{ message: 'Malformed task request', reason: 'executionArn is missing or not an ARN', messageId: 'x' }]);
    expect(runs()).toBe(0);
  });

  it('tells a malformed body by its reason', () => {
    expect(parseTaskRequest('nope')).toEqual({ malformed: 'The request body is not JSON' });
    expect(parseTaskRequest(JSON.stringify({ ...request, effect: { type: 'Deliver' } }))).toEqual({ malformed: 'effect is missing or not an InvokeTask' });
    expect(parseTaskRequest(JSON.stringify(request))).toEqual(request);
  });
});
