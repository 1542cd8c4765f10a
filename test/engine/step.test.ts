/**
 * The pure step: one message in, the new frame, events and effects out.
 * Expected shapes follow the Step Functions API's HistoryEvent model.
 */
import { compileStateMachine } from '../../lib/asl/compile';
import type { ExecutionInfo } from '../../lib/engine/execution';
import type { Frame } from '../../lib/engine/frame';
import type { Message } from '../../lib/engine/messages';
import { startExecution, step } from '../../lib/engine/step';
import { executionInfo, T0 } from './execution-info';

function execution(input: unknown = {}): ExecutionInfo {
  return executionInfo({ input: input as never });
}

/** Round-trips a frame through JSON, as every store and queue does. */
function viaJson(frame: Frame): Frame {
  return JSON.parse(JSON.stringify(frame)) as Frame;
}

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:Work';

describe('startExecution', () => {
  it('creates the root frame at StartAt, records ExecutionStarted and queues the first Enter', () => {
    const machine = compileStateMachine({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
    const started = startExecution(machine, execution({ x: 1 }));
    expect(viaJson(started.frame)).toEqual(started.frame);
    expect(started.frame).toMatchObject({ id: 'root', state: 'A', entry: 0, version: 1, status: 'RUNNING', phase: 'ENTERING' });
    expect(started.events.map((e) => e.type)).toEqual(['ExecutionStarted']);
    expect(JSON.parse(JSON.stringify(started.events[0].details))).toEqual({
      input: '{"x":1}',
      inputDetails: { truncated: false },
      roleArn: 'arn:aws:iam::123456789012:role/r',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M',
    });
    expect(started.effects).toEqual([{ type: 'Deliver', message: { type: 'Enter', frameId: 'root', entry: 0 }, delayMs: 0 }]);
  });

  it('schedules the execution timeout when TimeoutSeconds is set', () => {
    const machine = compileStateMachine({ StartAt: 'A', TimeoutSeconds: 5, States: { A: { Type: 'Pass', End: true } } });
    expect(startExecution(machine, execution()).effects[1]).toEqual({
      type: 'Deliver',
      message: { type: 'ExecutionTimeout', frameId: 'root' },
      delayMs: 5000,
    });
  });
});

describe('step', () => {
  const passChain = compileStateMachine({
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Result: { v: 1 }, ResultPath: '$.r', Next: 'B' },
      B: { Type: 'Pass', End: true },
    },
  });

  it('runs a Pass state in one transition and moves to Next without touching the frame it was given', async () => {
    const { frame } = startExecution(passChain, execution({ a: 1 }));
    const before = JSON.stringify(frame);
    const result = await step(passChain, execution({ a: 1 }), frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0 + 5);
    expect(JSON.stringify(frame)).toBe(before);
    expect(result.frame).toMatchObject({ state: 'B', entry: 1, version: 2, input: { a: 1, r: { v: 1 } }, phase: 'ENTERING' });
    expect(result.events.map((e) => [e.type, JSON.parse(JSON.stringify(e.details))])).toEqual([
      ['PassStateEntered', { name: 'A', input: '{"a":1}', inputDetails: { truncated: false } }],
      ['PassStateExited', { name: 'A', output: '{"a":1,"r":{"v":1}}', outputDetails: { truncated: false } }],
    ]);
    expect(result.effects).toEqual([{ type: 'Deliver', message: { type: 'Enter', frameId: 'root', entry: 1 }, delayMs: 0 }]);
  });

  it('ignores a duplicated Enter for a state entry that already ran', async () => {
    const { frame } = startExecution(passChain, execution());
    const first = await step(passChain, execution(), frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0);
    const dup = await step(passChain, execution(), first.frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0);
    expect(dup.changed).toBe(false);
    expect(dup.frame).toBe(first.frame);
    expect(dup.events).toEqual([]);
  });

  it('ends the execution at an End state with ExecutionSucceeded and an ExecutionFinished effect', async () => {
    let { frame } = startExecution(passChain, execution({}));
    frame = (await step(passChain, execution(), frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0)).frame;
    const last = await step(passChain, execution(), viaJson(frame), { type: 'Enter', frameId: 'root', entry: 1 }, T0);
    expect(last.frame.status).toBe('SUCCEEDED');
    expect(last.events.map((e) => e.type)).toEqual(['PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(last.effects).toEqual([{ type: 'ExecutionFinished', status: 'SUCCEEDED', output: { r: { v: 1 } } }]);
  });

  describe('Task', () => {
    const machine = compileStateMachine({
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: LAMBDA,
          TimeoutSeconds: 30,
          Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    });
    const exec = execution({ id: 7 });

    async function entered(): Promise<Frame> {
      const { frame } = startExecution(machine, exec);
      return (await step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0)).frame;
    }

    it('claims attempt 0, records the Lambda events and asks for one invocation plus its timeout timer', async () => {
      const { frame } = startExecution(machine, exec);
      const result = await step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0);
      expect(result.frame).toMatchObject({ phase: 'TASK', task: { attempt: 0, heartbeats: 0 } });
      expect(result.events.map((e) => e.type)).toEqual(['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted']);
      expect(JSON.parse(JSON.stringify(result.events[1].details))).toEqual({
        resource: LAMBDA,
        input: '{"id":7}',
        inputDetails: { truncated: false },
        timeoutInSeconds: 30,
      });
      expect(result.effects).toEqual([
        {
          type: 'InvokeTask',
          frameId: 'root',
          entry: 0,
          attempt: 0,
          waitForToken: false,
          invocation: {
            resource: LAMBDA,
            parameters: { id: 7 },
            executionArn: exec.executionArn,
            stateMachineArn: exec.stateMachineArn,
            roleArn: exec.roleArn,
            stateName: 'Work',
            attempt: 0,
            attemptId: 'arn:aws:states:us-east-1:123456789012:execution:M:e1#root#0#0',
            timeoutSeconds: 30,
          },
        },
        { type: 'Deliver', message: { type: 'Timer', frameId: 'root', entry: 0, timer: 'TaskTimeout', attempt: 0 }, delayMs: 30000 },
      ]);
    });

    it('retries a matching error after IntervalSeconds × BackoffRate^n and ignores the stale result of the failed attempt', async () => {
      const frame = await entered();
      const failed = await step(machine, exec, frame, { type: 'TaskFailed', frameId: 'root', entry: 0, attempt: 0, error: 'Flaky' }, T0);
      expect(failed.frame).toMatchObject({ phase: 'RETRY_WAIT', retries: [1] });
      expect(failed.effects).toEqual([{ type: 'Deliver', message: { type: 'Timer', frameId: 'root', entry: 0, timer: 'Retry' }, delayMs: 2000 }]);

      const retried = await step(machine, exec, failed.frame, { type: 'Timer', frameId: 'root', entry: 0, timer: 'Retry' }, T0 + 2000);
      expect(retried.frame.task?.attempt).toBe(1);
      expect(retried.events.map((e) => e.type)).toEqual(['LambdaFunctionScheduled', 'LambdaFunctionStarted']);

      const late = await step(machine, exec, retried.frame, { type: 'TaskSucceeded', frameId: 'root', entry: 0, attempt: 0, output: 1 }, T0);
      expect(late.changed).toBe(false);

      const failedAgain = await step(machine, exec, retried.frame, { type: 'TaskFailed', frameId: 'root', entry: 0, attempt: 1, error: 'Flaky' }, T0);
      expect(failedAgain.effects).toEqual([{ type: 'Deliver', message: { type: 'Timer', frameId: 'root', entry: 0, timer: 'Retry' }, delayMs: 6000 }]);
    });

    it('catches an error the retrier does not match, placing {Error, Cause} at the Catcher ResultPath', async () => {
      const frame = await entered();
      const result = await step(machine, exec, frame, { type: 'TaskFailed', frameId: 'root', entry: 0, attempt: 0, error: 'Boom', cause: 'bad' }, T0);
      expect(result.frame).toMatchObject({ state: 'Handled', input: { id: 7, error: { Error: 'Boom', Cause: 'bad' } } });
      expect(result.events.map((e) => e.type)).toEqual(['LambdaFunctionFailed', 'TaskStateExited']);
    });

    it('times the attempt out with States.Timeout and cancels it', async () => {
      const frame = await entered();
      const result = await step(machine, exec, frame, { type: 'Timer', frameId: 'root', entry: 0, timer: 'TaskTimeout', attempt: 0 }, T0 + 30000);
      expect(result.events[0]).toMatchObject({ type: 'LambdaFunctionTimedOut', details: { error: 'States.Timeout' } });
      expect(result.effects[0]).toEqual({ type: 'CancelTask', frameId: 'root', attempt: 0 });
      expect(result.frame.input).toEqual({ id: 7, error: { Error: 'States.Timeout' } });
    });
  });

  describe('Map', () => {
    const machine = compileStateMachine({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 2,
          ItemsPath: '$.items',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });
    const exec = execution({ items: [10, 20, 30] });

    it('starts at most MaxConcurrency iterations and one more as each completes', async () => {
      const { frame } = startExecution(machine, exec);
      const started = await step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0);
      expect(started.events.map((e) => e.type)).toEqual(['MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'MapIterationStarted']);
      const frames = (started.effects[0] as { frames: Frame[] }).frames;
      expect(frames.map((f) => [f.id, f.input, f.state])).toEqual([
        ['root/0.0.0', 10, 'P'],
        ['root/0.0.1', 20, 'P'],
      ]);
      const message: Message = { type: 'ChildCompleted', frameId: 'root', entry: 0, run: 0, index: 1, status: 'SUCCEEDED' };
      const next = await step(machine, exec, viaJson(started.frame), message, T0);
      expect(next.events.map((e) => e.type)).toEqual(['MapIterationSucceeded', 'MapIterationStarted']);
      expect((next.effects[0] as { frames: Frame[] }).frames.map((f) => f.id)).toEqual(['root/0.0.2']);
    });

    it('applies ChildrenCompleted as the same ChildCompleted steps one after the other, in one frame version', async () => {
      const { frame } = startExecution(machine, exec);
      const started = await step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0);
      const done = (index: number): Extract<Message, { type: 'ChildCompleted' }> => ({ type: 'ChildCompleted', frameId: 'root', entry: 0, run: 0, index, status: 'SUCCEEDED' });
      // One by one: 1 completes (2 starts), 0 completes, 2 completes (collect).
      let one = started.frame;
      const oneByOne: string[] = [];
      const effects: unknown[] = [];
      for (const index of [1, 0, 2]) {
        const r = await step(machine, exec, one, done(index), T0);
        one = r.frame;
        oneByOne.push(...r.events.map((e) => `${e.type} ${JSON.stringify(e.details)}`));
        effects.push(...r.effects);
      }
      const batch = await step(machine, exec, started.frame, { type: 'ChildrenCompleted', frameId: 'root', entry: 0, completions: [done(1), done(0), done(2), done(2)] }, T0);
      expect(batch.events.map((e) => `${e.type} ${JSON.stringify(e.details)}`)).toEqual(oneByOne);
      expect(oneByOne).toEqual([
        'MapIterationSucceeded {"name":"M","index":1}',
        'MapIterationStarted {"name":"M","index":2}',
        'MapIterationSucceeded {"name":"M","index":0}',
        'MapIterationSucceeded {"name":"M","index":2}',
      ]);
      expect(batch.effects).toEqual(effects);
      expect(batch.frame.version).toBe(started.frame.version + 1);
      expect({ ...batch.frame, version: 0 }).toEqual({ ...one, version: 0 });
    });

    it('stops applying ChildrenCompleted once a failure ends the Map: the rest are stale', async () => {
      const { frame } = startExecution(machine, exec);
      const started = await step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0);
      const failed = await step(
        machine,
        exec,
        started.frame,
        {
          type: 'ChildrenCompleted',
          frameId: 'root',
          entry: 0,
          completions: [
            { type: 'ChildCompleted', frameId: 'root', entry: 0, run: 0, index: 0, status: 'FAILED', error: 'E', cause: 'C' },
            { type: 'ChildCompleted', frameId: 'root', entry: 0, run: 0, index: 1, status: 'SUCCEEDED' },
          ],
        },
        T0,
      );
      expect(failed.events.map((e) => e.type)).toEqual(['MapIterationFailed']);
      expect(failed.frame.phase).toBe('ABORTING');
      const ended = await step(machine, exec, JSON.parse(JSON.stringify(failed.frame)), { type: 'ChildrenAborted', frameId: 'root', entry: 0 }, T0);
      expect(ended.events.map((e) => e.type)).toEqual(['MapIterationAborted', 'MapStateFailed', 'ExecutionFailed']);
      expect(ended.frame.status).toBe('FAILED');
    });

    it('fails the Map with the iteration error and aborts the rest', async () => {
      const { frame } = startExecution(machine, exec);
      const started = await step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0);
      const failed = await step(
        machine,
        exec,
        started.frame,
        { type: 'ChildCompleted', frameId: 'root', entry: 0, run: 0, index: 0, status: 'FAILED', error: 'E', cause: 'C' },
        T0,
      );
      // First the iterations still running are cut short (each records its state's …Aborted event) ...
      expect(failed.events.map((e) => e.type)).toEqual(['MapIterationFailed']);
      expect(failed.effects).toEqual([{ type: 'AbortChildren', frameId: 'root', childIds: ['root/0.0.0', 'root/0.0.1'], failing: { entry: 0 } }]);
      expect([failed.frame.phase, failed.frame.error, failed.frame.cause]).toEqual(['ABORTING', 'E', 'C']);
      // ... then, told they are, the Map fails with the iteration's error.
      const ended = await step(machine, exec, JSON.parse(JSON.stringify(failed.frame)), { type: 'ChildrenAborted', frameId: 'root', entry: 0 }, T0);
      expect(ended.events.map((e) => e.type)).toEqual(['MapIterationAborted', 'MapStateFailed', 'ExecutionFailed']);
      expect(ended.events[0].details).toEqual({ name: 'M', index: 1 });
      expect(ended.effects).toEqual([
        { type: 'AbortChildren', frameId: 'root', childIds: ['root/0.0.0', 'root/0.0.1'] },
        { type: 'ExecutionFinished', status: 'FAILED', error: 'E', cause: 'C' },
      ]);
    });

    it('ignores a ChildrenAborted it is not waiting for', async () => {
      const { frame } = startExecution(machine, exec);
      const started = await step(machine, exec, frame, { type: 'Enter', frameId: 'root', entry: 0 }, T0);
      const stale = await step(machine, exec, started.frame, { type: 'ChildrenAborted', frameId: 'root', entry: 0 }, T0);
      expect(stale.changed).toBe(false);
    });
  });
});
