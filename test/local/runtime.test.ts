/**
 * The in-process driver end to end: every state type, retries, timeouts,
 * callbacks and activities, with virtual time (timeScale 0) and no sleeps.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TaskRunner } from '../../lib/engine/ports/task-runner';
import { LocalRuntime, runDefinition } from '../../lib/local/runtime';
import { encodeTaskToken } from '../../lib/engine/token';
import { CHECK_PROCESSOR } from './check-processor';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

/** A runner from plain functions keyed by function name. */
function runner(handlers: Record<string, (input: any, attempt: number) => unknown>): TaskRunner {
  return {
    async run(invocation) {
      const name = invocation.resource.slice(FN.length);
      try {
        return { kind: 'succeeded', output: (await handlers[name](invocation.parameters, invocation.attempt)) as never };
      } catch (err) {
        return { kind: 'failed', error: (err as Error).name, cause: (err as Error).message };
      }
    },
  };
}

function named(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

describe('LocalRuntime', () => {
  it('runs Pass, Choice and Succeed to the documented output', async () => {
    const result = await runDefinition(
      {
        StartAt: 'Init',
        States: {
          Init: { Type: 'Pass', Parameters: { 'n.$': '$.start' }, Next: 'Check' },
          Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 5, Next: 'Big' }], Default: 'Small' },
          Big: { Type: 'Pass', Result: 'big', End: true },
          Small: { Type: 'Succeed' },
        },
      },
      { input: { start: 9 }, timeScale: 0 },
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toBe('big');
    expect(result.transitions).toBe(3);
    expect(result.history.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'ChoiceStateEntered'],
      [5, 4, 'ChoiceStateExited'],
      [6, 5, 'PassStateEntered'],
      [7, 6, 'PassStateExited'],
      [8, 7, 'ExecutionSucceeded'],
    ]);
  });

  it("links each branch's first event to the Parallel's last and the parent's next event to its own last", async () => {
    const branch = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });
    const result = await runDefinition({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [branch('A'), branch('B')], End: true } } }, { timeScale: 0 });
    expect(result.transitions).toBe(3);
    expect(result.history.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'ParallelStateEntered'],
      [3, 2, 'ParallelStateStarted'],
      [4, 3, 'PassStateEntered'],
      [5, 4, 'PassStateExited'],
      [6, 3, 'PassStateEntered'],
      [7, 6, 'PassStateExited'],
      [8, 7, 'ParallelStateSucceeded'],
      [9, 7, 'ParallelStateExited'],
      [10, 9, 'ExecutionSucceeded'],
    ]);
  });

  it("links an iteration started as another completes to its own MapIterationStarted, when completions are applied together", async () => {
    const definition = { StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } };
    const result = await runDefinition(definition, { input: [1, 2, 3, 4], timeScale: 0 });
    expect(result.history.map((e) => `${e.id}<${e.previousEventId} ${e.type}`)).toEqual([
      '1<0 ExecutionStarted',
      '2<0 MapStateEntered',
      '3<2 MapStateStarted',
      '4<3 MapIterationStarted',
      '5<4 MapIterationStarted',
      '6<5 PassStateEntered',
      '7<6 PassStateExited',
      '8<5 PassStateEntered',
      '9<8 PassStateExited',
      '10<7 MapIterationSucceeded',
      '11<7 MapIterationStarted',
      '12<9 MapIterationSucceeded',
      '13<9 MapIterationStarted',
      '14<11 PassStateEntered',
      '15<14 PassStateExited',
      '16<13 PassStateEntered',
      '17<16 PassStateExited',
      '18<15 MapIterationSucceeded',
      '19<17 MapIterationSucceeded',
      '20<19 MapStateSucceeded',
      '21<19 MapStateExited',
      '22<21 ExecutionSucceeded',
    ]);
  });

  it('returns each Parallel branch output in branch order (States Language, Parallel State example)', async () => {
    const result = await runDefinition(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            End: true,
            Branches: [
              { StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 3, Next: 'A2' }, A2: { Type: 'Pass', Result: 'a', End: true } } },
              { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
            ],
          },
        },
      },
      { timeScale: 0 },
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: ['a', 'b'] });
    expect(result.stopDate - result.startDate).toBe(3000);
  });

  it('fails the execution at once on a States.Runtime error in a branch, with no ParallelStateFailed, as the service records it', async () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'Fast', States: { Fast: { Type: 'Pass', Parameters: { 'm.$': '$.nope' }, End: true } } }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true }, Caught: { Type: 'Pass', End: true } } };
    const result = await runDefinition(definition, { timeScale: 0, input: { x: 'a' } });
    expect(result.history.map((e) => `${e.id} ${e.type}`)).toEqual(['1 ExecutionStarted', '2 ParallelStateEntered', '3 ParallelStateStarted', '4 PassStateEntered', '5 ExecutionFailed']);
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: `An error occurred while executing the state 'Fast' (entered at the event id #4). The JSONPath '$.nope' specified for the field 'm.$' could not be found in the input '{"x":"a"}'`,
    });
  });

  it('retries with backoff, then succeeds, counting one Scheduled event per attempt', async () => {
    const result = await runDefinition(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: `${FN}flaky`, Retry: [{ ErrorEquals: ['Oops'], IntervalSeconds: 1, BackoffRate: 2 }], End: true },
        },
      },
      {
        timeScale: 0,
        taskRunner: runner({
          flaky: (_input, attempt) => {
            if (attempt < 2) throw named('Oops', `attempt ${attempt}`);
            return { ok: attempt };
          },
        }),
      },
    );
    expect(result.output).toEqual({ ok: 2 });
    expect(result.history.filter((e) => e.type === 'LambdaFunctionScheduled')).toHaveLength(3);
    // 1 s then 2 s of retry intervals, on the virtual clock.
    expect(result.stopDate - result.startDate).toBe(3000);
  });

  it('fails the execution with the task error when retries are exhausted', async () => {
    const result = await runDefinition(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}bad`, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1 }], End: true } } },
      { timeScale: 0, taskRunner: runner({ bad: () => { throw named('Nope', 'never'); } }) },
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'never' });
    expect(result.history[result.history.length - 1]).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'Nope', cause: 'never' },
    });
  });

  it('times out a slow task with States.Timeout', async () => {
    const result = await runDefinition(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}slow`, TimeoutSeconds: 1, End: true } } },
      { timeScale: 0.001, taskRunner: runner({ slow: () => new Promise((resolve) => setTimeout(() => resolve(1), 500)) }) },
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('times the execution out after the top-level TimeoutSeconds', async () => {
    const result = await runDefinition(
      { StartAt: 'W', TimeoutSeconds: 10, States: { W: { Type: 'Wait', Seconds: 60, End: true } } },
      { timeScale: 0 },
    );
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(result.stopDate - result.startDate).toBe(10000);
  });

  it('completes a .waitForTaskToken task through SendTaskSuccess', async () => {
    const runtime = new LocalRuntime({ timeScale: 0, taskRunner: { run: async () => ({ kind: 'pending' }) } });
    runtime.onPendingTask((task) => runtime.sendTaskSuccess(task.taskToken, { approved: (task.input as any).token === task.taskToken }));
    const handle = runtime.startExecution({
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'approver', 'token.$': '$$.Task.Token' },
          End: true,
        },
      },
    });
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
    expect(result.history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(() => runtime.sendTaskSuccess('not-a-token', {})).toThrow(expect.objectContaining({ name: 'InvalidToken' }));
  });

  it('signs tokens with its own key: a forged token is InvalidToken, another runtime’s token for the same execution name too', async () => {
    const callback = { StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', End: true } } };
    const key = Buffer.alloc(32, 5);
    const pending = (runtime: LocalRuntime) => new Promise<string>((resolve) => runtime.onPendingTask((task) => resolve(task.taskToken)));
    const runtime = new LocalRuntime({ timeScale: 0, tokenKey: key, taskRunner: { run: async () => ({ kind: 'pending' }) } });
    const other = new LocalRuntime({ timeScale: 0, taskRunner: { run: async () => ({ kind: 'pending' }) } });
    const [mine, theirs] = [pending(runtime), pending(other)];
    const handle = runtime.startExecution(callback, { name: 'same' });
    other.startExecution(callback, { name: 'same' });
    const target = { executionArn: handle.executionArn, frameId: 'root', entry: 0, attempt: 0 };
    expect(await mine).toBe(encodeTaskToken(target, key));
    expect(await theirs).not.toBe(await mine);
    const unsigned = Buffer.from(JSON.stringify([1, handle.executionArn, 'root', 0, 0])).toString('base64url');
    for (const forged of [unsigned, await theirs, encodeTaskToken(target, Buffer.alloc(32, 6))]) {
      expect(() => runtime.sendTaskSuccess(forged, { forged: true })).toThrow(expect.objectContaining({ name: 'InvalidToken', message: 'Invalid Token' }));
    }
    runtime.sendTaskSuccess(await mine, { real: true });
    expect(await handle.result).toMatchObject({ status: 'SUCCEEDED', output: { real: true } });
    expect(() => runtime.sendTaskSuccess(encodeTaskToken(target, key), {})).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
    other.stopExecution(handle.executionArn);
  });

  it('fails a callback task whose heartbeat stops with States.HeartbeatTimeout', async () => {
    const runtime = new LocalRuntime({ timeScale: 0, taskRunner: { run: async () => ({ kind: 'pending' }) } });
    const result = await runtime.startExecution({
      StartAt: 'Ask',
      States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', HeartbeatSeconds: 5, End: true } },
    }).result;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });

  it('hands activity tasks to GetActivityTask workers and takes their results', async () => {
    const runtime = new LocalRuntime({ timeScale: 0 });
    const arn = runtime.createActivity('review');
    const handle = runtime.startExecution({ StartAt: 'A', States: { A: { Type: 'Task', Resource: arn, End: true } } }, { input: { doc: 1 } });
    const task = await runtime.getActivityTask(arn, 'worker-1');
    expect(task?.input).toBe('{"doc":1}');
    runtime.sendTaskSuccess(task!.taskToken, { reviewed: true });
    const result = await handle.result;
    expect(result.output).toEqual({ reviewed: true });
    expect(result.history.map((e) => e.type)).toContain('ActivityStarted');
    expect(result.history.find((e) => e.type === 'ActivityStarted')).toMatchObject({ activityStartedEventDetails: { workerName: 'worker-1' } });
  });

  it('stops a running execution with StopExecution', async () => {
    const runtime = new LocalRuntime({ timeScale: 1 });
    const handle = runtime.startExecution({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    await new Promise((r) => setImmediate(r));
    runtime.stopExecution(handle.executionArn, 'Cancelled', 'by test');
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by test' });
  });

  it('runs an inline Map with ItemSelector and MaxConcurrency, output in item order', async () => {
    const result = await runDefinition(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            MaxConcurrency: 3,
            ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'tag.$': '$.tag' },
            ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($.value, $.value)', 'i.$': '$.index', 't.$': '$.tag' }, End: true } } },
            End: true,
          },
        },
      },
      { input: { tag: 'x', items: [1, 2, 3, 4, 5, 6, 7] }, timeScale: 0 },
    );
    expect(result.output).toEqual([1, 2, 3, 4, 5, 6, 7].map((n, i) => ({ v: 2 * n, i, t: 'x' })));
  });

  it('reads DISTRIBUTED Map items from a local JSON file and tolerates failures up to the threshold', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-'));
    fs.mkdirSync(path.join(root, 'bucket'));
    fs.writeFileSync(path.join(root, 'bucket', 'items.json'), JSON.stringify([{ n: 1 }, { n: -1 }, { n: 3 }, { n: 4 }]));
    const runtime = new LocalRuntime({ timeScale: 0, itemReaderRoot: root });
    const result = await runtime.startExecution({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'bucket', Key: 'items.json' } },
          ItemProcessor: CHECK_PROCESSOR,
          ToleratedFailureCount: 1,
          End: true,
        },
      },
    }).result;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([{ n: 1 }, { Error: 'Negative', Cause: 'n < 0' }, { n: 3 }, { n: 4 }]);
  });

  it('lists a local bucket for a DISTRIBUTED Map (listObjectsV2) and keeps the first MaxItems objects', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-'));
    fs.mkdirSync(path.join(root, 'bucket', 'in'), { recursive: true });
    for (const name of ['a.json', 'b.json', 'c.json']) fs.writeFileSync(path.join(root, 'bucket', 'in', name), '[]');
    const result = await new LocalRuntime({ timeScale: 0, itemReaderRoot: root }).startExecution({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', ReaderConfig: { MaxItems: 2 }, Parameters: { Bucket: 'bucket', Prefix: 'in/' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'K', States: { K: { Type: 'Pass', InputPath: '$.Key', End: true } } },
          End: true,
        },
      },
    }).result;
    expect(result.output).toEqual(['in/a.json', 'in/b.json']);
  });

  it('keeps variables across states and lets Parallel branches read outer variables', async () => {
    const result = await runDefinition(
      {
        StartAt: 'Set',
        States: {
          Set: { Type: 'Pass', Assign: { greeting: 'hi', 'who.$': '$.name' }, Next: 'P' },
          P: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Parameters: { 'g.$': '$greeting', 'w.$': '$who' }, End: true } } }],
            Next: 'Done',
          },
          Done: { Type: 'Pass', Parameters: { 'out.$': '$[0]', 'again.$': '$greeting' }, End: true },
        },
      },
      { input: { name: 'Ada' }, timeScale: 0 },
    );
    expect(result.output).toEqual({ out: { g: 'hi', w: 'Ada' }, again: 'hi' });
    const exited = result.history.find((e) => e.type === 'PassStateExited') as any;
    expect(exited.stateExitedEventDetails.assignedVariables).toEqual({ greeting: '"hi"', who: '"Ada"' });
  });

  it('runs JSONata states with Arguments, Output and Assign', async () => {
    const result = await runDefinition(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Sum',
        States: {
          Sum: { Type: 'Pass', Assign: { total: '{% $sum($states.input.values) %}' }, Next: 'Out' },
          Out: { Type: 'Pass', Output: { total: '{% $total %}', doubled: '{% $total * 2 %}' }, End: true },
        },
      },
      { input: { values: [1, 2, 3] }, timeScale: 0 },
    );
    expect(result.output).toEqual({ total: 6, doubled: 12 });
  });

  it('carries a large payload through Pass states without copying it', async () => {
    const big = { blob: 'x'.repeat(200 * 1024) };
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 200; i++) states[`S${i}`] = i === 199 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` };
    const result = await runDefinition({ StartAt: 'S0', States: states }, { input: big, timeScale: 0 });
    expect(result.output).toBe(big);
    expect(result.transitions).toBe(200);
  });

  it('fails with the Fail state error and cause', async () => {
    const result = await runDefinition({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Bad', Cause: 'worse' } } }, { timeScale: 0 });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Bad', cause: 'worse' });
  });

  it('fails with States.Runtime naming the state and its entered event when InputPath matches nothing', async () => {
    const definition = { StartAt: 'First', States: { First: { Type: 'Pass', Next: 'Pick' }, Pick: { Type: 'Pass', InputPath: '$.x', End: true } } };
    const result = await runDefinition(definition, { input: { y: 1 }, timeScale: 0 });
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: "An error occurred while executing the state 'Pick' (entered at the event id #4). Invalid path '$.x' : No results for path: $['x']",
    });
  });

  it('fails with States.DataLimitExceeded when a variable exceeds 256 KiB', async () => {
    const definition = {
      StartAt: 'Keep',
      States: {
        Keep: { Type: 'Pass', Assign: { 'big.$': '$.blob' }, End: true },
      },
    };
    const result = await runDefinition(definition, { input: { blob: 'x'.repeat(256 * 1024) }, timeScale: 0 });
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: "The size of the variable 'big' (262146 bytes) exceeds the maximum of 262144 bytes.",
    });
  });
});
