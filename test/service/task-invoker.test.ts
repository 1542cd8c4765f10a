/** The task invoker claims each requested attempt before invoking it, and sends its outcome to the transition queue. */
import type { InvokeTaskEffect } from '../../lib/engine/effects';
import { FramePhase, FrameStatus } from '../../lib/engine/frame';
import { MemoryStore } from '../../lib/service/memory';
import type { FrameVersion, Outgoing, TaskRequest } from '../../lib/service/ports';
import { MessageSender } from '../../lib/service/sender';
import { TaskAttempts } from '../../lib/service/task-attempts';
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

function setup() {
  const sent: Outgoing[] = [];
  let runs = 0;
  const store = new MemoryStore();
  const attempts = new TaskAttempts({
    store,
    tasks: { run: async (invocation) => (runs++, { kind: 'succeeded', output: invocation.parameters }) },
    now: () => 100_500,
    lostTaskAfterMs: 60_000,
  });
  const sender = new MessageSender({ send: async (m) => void sent.push(...m), deadLetter: async () => {} }, () => 100_500, 900_000);
  const invoker = new TaskInvoker({ attempts, sender });
  return { sent, runs: () => runs, invoker: { invokeTask: (r: TaskRequest) => invoker.handle(r) } };
}

describe('TaskInvoker', () => {
  it("sends the outcome to the attempt's frame, tagged final for the version that scheduled it and carrying that version", async () => {
    const { invoker, sent, runs } = setup();
    await invoker.invokeTask(request);
    expect(runs()).toBe(1);
    expect(sent).toEqual([
      { envelope: { v: 1, executionArn: ARN, message: { type: 'TaskSucceeded', frameId: 'root', entry: 2, attempt: 0, output: { n: 1 } }, lc: 7, frame: version, final: 3 }, delayMs: 0 },
    ]);
  });

  it('invokes an attempt whose request came twice in one batch once, and reports the copy that found it running for redelivery', async () => {
    const { invoker, sent, runs } = setup();
    const body = JSON.stringify(request);
    const response = await processTaskRequests(invoker, [{ messageId: 'a', body }, { messageId: 'b', body }], { log: () => {} });
    expect(runs()).toBe(1);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(sent).toHaveLength(1);
    // Redelivered after the outcome was recorded: the outcome is sent again, the task not invoked again.
    expect(await processTaskRequests(invoker, [{ messageId: 'b', body }])).toEqual({ batchItemFailures: [] });
    expect(runs()).toBe(1);
    expect(sent.map((o) => o.envelope.message)).toEqual([sent[0].envelope.message, sent[0].envelope.message]);
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
