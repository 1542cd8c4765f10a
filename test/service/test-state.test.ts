/**
 * TestState called directly: one state run once on a given input, the
 * answer in TestState's terms (status, output, nextState, error, cause,
 * inspectionData).
 */
import type { JsonValue } from '../../lib/asl/json';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../../lib/engine/ports/task-runner';
import { testState } from '../../lib/service/test-state';

const PRICE = 'arn:aws:lambda:us-east-1:123456789012:function:Price';
const BROKEN = 'arn:aws:lambda:us-east-1:123456789012:function:Broken';

/** Price answers `{ total: qty * 3 }`; Broken fails with ServiceDown. Records every invocation. */
function runner(): TaskRunner & { invocations: TaskInvocation[] } {
  const invocations: TaskInvocation[] = [];
  return {
    invocations,
    async run(invocation): Promise<TaskOutcome> {
      invocations.push(invocation);
      if (invocation.resource === BROKEN) return { kind: 'failed', error: 'ServiceDown', cause: 'down' };
      const qty = (invocation.parameters as { qty?: number }).qty ?? 0;
      return { kind: 'succeeded', output: { total: qty * 3 } };
    },
  };
}

const run = (state: object, input: JsonValue, options: Parameters<typeof testState>[3] = {}, tasks: TaskRunner = runner()) =>
  testState(JSON.stringify(state), input, tasks, options);

describe('testState', () => {
  it('runs a Pass state: its output and the state it goes to', async () => {
    expect(await run({ Type: 'Pass', Result: { v: 1 }, ResultPath: '$.r', Next: 'B' }, { a: 1 })).toEqual({
      status: 'SUCCEEDED',
      output: { a: 1, r: { v: 1 } },
      nextState: 'B',
    });
  });

  it('answers a Task with a mocked result without invoking it', async () => {
    const tasks = runner();
    const answer = await run({ Type: 'Task', Resource: BROKEN, ResultPath: '$.r', End: true }, { id: 2 }, { mock: { result: { ok: true } } }, tasks);
    expect(answer).toEqual({ status: 'SUCCEEDED', output: { id: 2, r: { ok: true } } });
    expect(tasks.invocations).toEqual([]);
  });

  it('invokes a Task with its effective parameters and applies ResultPath to the result', async () => {
    const tasks = runner();
    const answer = await run({ Type: 'Task', Resource: PRICE, Parameters: { 'qty.$': '$.n' }, ResultPath: '$.price', Next: 'Ship' }, { n: 2 }, {}, tasks);
    expect(answer).toEqual({ status: 'SUCCEEDED', output: { n: 2, price: { total: 6 } }, nextState: 'Ship' });
    expect(tasks.invocations.map((i) => [i.resource, i.parameters, i.stateName, i.attempt])).toEqual([[PRICE, { qty: 2 }, 'TestState', 0]]);
  });

  it('reports CAUGHT_ERROR when a Catch takes the mocked error: the catcher output, its Next, the error', async () => {
    const state = { Type: 'Task', Resource: PRICE, Catch: [{ ErrorEquals: ['Price.Unavailable'], ResultPath: '$.err', Next: 'Later' }], Next: 'Ship' };
    const answer = await run(state, { id: 1 }, { mock: { errorOutput: { error: 'Price.Unavailable', cause: 'no price list' } } });
    expect(answer).toEqual({
      status: 'CAUGHT_ERROR',
      output: { id: 1, err: { Error: 'Price.Unavailable', Cause: 'no price list' } },
      nextState: 'Later',
      error: 'Price.Unavailable',
      cause: 'no price list',
    });
  });

  it('reports CAUGHT_ERROR for a real task failure, the catcher chosen by its ErrorEquals', async () => {
    const state = {
      Type: 'Task',
      Resource: BROKEN,
      Catch: [
        { ErrorEquals: ['Other'], Next: 'A' },
        { ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'B' },
      ],
      End: true,
    };
    expect(await run(state, { id: 1 })).toEqual({ status: 'CAUGHT_ERROR', output: { id: 1 }, nextState: 'B', error: 'ServiceDown', cause: 'down' });
  });

  it('reports RETRIABLE while the matching retrier has attempts left, FAILED once they are used', async () => {
    const state = { Type: 'Task', Resource: PRICE, Retry: [{ ErrorEquals: ['Price.Unavailable'], MaxAttempts: 2 }], End: true };
    const mock = { errorOutput: { error: 'Price.Unavailable', cause: 'no price list' } };
    expect(await run(state, {}, { mock, retrierRetryCount: 1 })).toEqual({ status: 'RETRIABLE', error: 'Price.Unavailable', cause: 'no price list' });
    expect(await run(state, {}, { mock, retrierRetryCount: 2 })).toEqual({ status: 'FAILED', error: 'Price.Unavailable', cause: 'no price list' });
    expect(await run({ ...state, Retry: [{ ErrorEquals: ['Other'] }] }, {}, { mock })).toEqual({ status: 'FAILED', error: 'Price.Unavailable', cause: 'no price list' });
  });

  it("names a Choice state's chosen branch, or its Default, as nextState", async () => {
    const choice = { Type: 'Choice', Choices: [{ Variable: '$.qty', NumericGreaterThan: 5, Next: 'Bulk' }], Default: 'Retail' };
    expect(await run(choice, { qty: 9 })).toEqual({ status: 'SUCCEEDED', output: { qty: 9 }, nextState: 'Bulk' });
    expect(await run(choice, { qty: 1 })).toEqual({ status: 'SUCCEEDED', output: { qty: 1 }, nextState: 'Retail' });
  });

  it("evaluates a JSONata state's Output", async () => {
    const state = { QueryLanguage: 'JSONata', Type: 'Pass', Output: { sum: '{% $states.input.a + $states.input.b %}' }, Next: 'N' };
    expect(await run(state, { a: 1, b: 2 })).toEqual({ status: 'SUCCEEDED', output: { sum: 3 }, nextState: 'N' });
  });

  it('reads the given variables and reports FAILED for a Fail state', async () => {
    expect(await run({ Type: 'Pass', Parameters: { 'v.$': '$x' }, End: true }, {}, { variables: { x: 1 } })).toEqual({ status: 'SUCCEEDED', output: { v: 1 } });
    expect(await run({ Type: 'Fail', Error: 'Nope', Cause: 'because' }, {})).toEqual({ status: 'FAILED', error: 'Nope', cause: 'because' });
  });

  it("reports a path error in the state's input processing as States.Runtime", async () => {
    expect(await run({ Type: 'Pass', InputPath: '$.missing', End: true }, { a: 1 })).toEqual({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: "An error occurred while executing the state 'TestState' (entered at the event id #2). Invalid path '$.missing' : No results for path: $['missing']",
    });
  });

  it('does not wait in a Wait state', async () => {
    expect(await run({ Type: 'Wait', Seconds: 3600, Next: 'After' }, { a: 1 })).toEqual({ status: 'SUCCEEDED', output: { a: 1 }, nextState: 'After' });
  });

  it('runs the branches of a Parallel and the iterations of a Map', async () => {
    const parallel = {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Task', Resource: PRICE, End: true } } },
      ],
      Next: 'Join',
    };
    expect(await run(parallel, { qty: 1 })).toEqual({ status: 'SUCCEEDED', output: ['a', { total: 3 }], nextState: 'Join' });
    const map = {
      Type: 'Map',
      ItemsPath: '$.lines',
      MaxConcurrency: 1,
      ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, Next: 'P' }, P: { Type: 'Task', Resource: PRICE, End: true } } },
      ResultPath: '$.prices',
      End: true,
    };
    expect(await run(map, { lines: [{ qty: 1 }, { qty: 2 }] })).toEqual({ status: 'SUCCEEDED', output: { lines: [{ qty: 1 }, { qty: 2 }], prices: [{ total: 3 }, { total: 6 }] } });
  });

  it("fails a Map with its iteration's error, or catches it", async () => {
    const map = { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Task', Resource: BROKEN, End: true } } }, End: true };
    expect(await run(map, [1])).toEqual({ status: 'FAILED', error: 'ServiceDown', cause: 'down' });
    const caught = { ...map, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Sorry' }] };
    expect(await run(caught, [1])).toEqual({ status: 'CAUGHT_ERROR', output: { Error: 'ServiceDown', Cause: 'down' }, nextState: 'Sorry', error: 'ServiceDown', cause: 'down' });
  });

  it('answers a mocked Map or Parallel with the mock, through its ResultSelector and ResultPath', async () => {
    const map = { Type: 'Map', ItemsPath: '$.lines', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Task', Resource: BROKEN, End: true } } }, ResultSelector: { 'n.$': '$[0]' }, ResultPath: '$.r', End: true };
    expect(await run(map, { lines: [1] }, { mock: { result: [7] } })).toEqual({ status: 'SUCCEEDED', output: { lines: [1], r: { n: 7 } } });
  });

  it("retries a failing task inside a Map's iteration without waiting out its interval", async () => {
    let calls = 0;
    const flaky: TaskRunner = {
      run: async () => (++calls === 1 ? { kind: 'failed', error: 'Busy' } : { kind: 'succeeded', output: calls }),
    };
    const map = { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Task', Resource: PRICE, Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 600 }], End: true } } }, End: true };
    expect(await run(map, [1], {}, flaky)).toEqual({ status: 'SUCCEEDED', output: [2] });
  });

  it('fails a Task whose runner throws with States.TaskFailed', async () => {
    const throwing: TaskRunner = { run: async () => Promise.reject(new Error('boom')) };
    expect(await run({ Type: 'Task', Resource: PRICE, End: true }, {}, {}, throwing)).toEqual({ status: 'FAILED', error: 'States.TaskFailed', cause: 'boom' });
  });

  it('tests a state of a whole machine by stateName, in the query language of the machine', async () => {
    const machine = {
      QueryLanguage: 'JSONata',
      StartAt: 'Fan',
      States: { Fan: { Type: 'Parallel', Branches: [{ StartAt: 'Double', States: { Double: { Type: 'Pass', Output: '{% $states.input.n * 2 %}', Next: 'Done' }, Done: { Type: 'Succeed' } } }], End: true } },
    };
    expect(await run(machine, { n: 4 }, { stateName: 'Double' })).toEqual({ status: 'SUCCEEDED', output: 8, nextState: 'Done' });
  });

  describe('inspectionData at DEBUG', () => {
    it("shows a JSONPath Task's data after each step of its input and output processing", async () => {
      const state = {
        Type: 'Task',
        Resource: PRICE,
        InputPath: '$.order',
        Parameters: { 'qty.$': '$.n' },
        ResultSelector: { 'sum.$': '$.total' },
        ResultPath: '$.priced',
        End: true,
      };
      const answer = await run(state, { order: { n: 4 }, id: 'o-1' }, { inspectionLevel: 'DEBUG' });
      expect(answer).toEqual({
        status: 'SUCCEEDED',
        output: { order: { n: 4 }, id: 'o-1', priced: { sum: 12 } },
        inspectionData: {
          input: '{"order":{"n":4},"id":"o-1"}',
          afterInputPath: '{"n":4}',
          afterParameters: '{"qty":4}',
          result: '{"total":12}',
          afterResultSelector: '{"sum":12}',
          afterResultPath: '{"order":{"n":4},"id":"o-1","priced":{"sum":12}}',
        },
      });
    });

    it("shows a Pass state's Result and the variables after its Assign", async () => {
      const state = { Type: 'Pass', Result: { v: 2 }, ResultPath: '$.r', Assign: { 'w.$': '$.v' }, End: true };
      const answer = await run(state, { a: 1 }, { inspectionLevel: 'DEBUG', variables: { x: 1 } });
      expect(answer.inspectionData).toEqual({
        input: '{"a":1}',
        afterInputPath: '{"a":1}',
        afterParameters: '{"a":1}',
        result: '{"v":2}',
        afterResultSelector: '{"v":2}',
        afterResultPath: '{"a":1,"r":{"v":2}}',
        variables: '{"x":1,"w":2}',
      });
    });

    it('stops where the processing failed', async () => {
      const state = { Type: 'Task', Resource: PRICE, ResultSelector: { 'sum.$': '$.missing' }, End: true };
      const answer = await run(state, { qty: 1 }, { inspectionLevel: 'DEBUG' });
      expect(answer.status).toBe('FAILED');
      expect(answer.inspectionData).toEqual({ input: '{"qty":1}', afterInputPath: '{"qty":1}', afterParameters: '{"qty":1}', result: '{"total":3}' });
    });

    it("shows a Map's items and MaxConcurrency, and a mocked Map's result", async () => {
      const map = { Type: 'Map', ItemsPath: '$.lines', MaxConcurrency: 2, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Task', Resource: PRICE, End: true } } }, ResultPath: '$.prices', End: true };
      const input = { lines: [{ qty: 1 }] };
      expect((await run(map, input, { inspectionLevel: 'DEBUG' })).inspectionData).toEqual({
        input: '{"lines":[{"qty":1}]}',
        afterInputPath: '{"lines":[{"qty":1}]}',
        afterItemsPath: '[{"qty":1}]',
        maxConcurrency: 2,
      });
      expect((await run(map, input, { inspectionLevel: 'DEBUG', mock: { result: [{ total: 9 }] } })).inspectionData).toEqual({
        input: '{"lines":[{"qty":1}]}',
        afterInputPath: '{"lines":[{"qty":1}]}',
        afterItemsPath: '[{"qty":1}]',
        maxConcurrency: 2,
        result: '[{"total":9}]',
        afterResultSelector: '[{"total":9}]',
        afterResultPath: '{"lines":[{"qty":1}],"prices":[{"total":9}]}',
      });
    });

    it("shows a JSONata Task's Arguments, its result and the variables it assigned", async () => {
      const state = {
        QueryLanguage: 'JSONata',
        Type: 'Task',
        Resource: PRICE,
        Arguments: { qty: '{% $states.input.n * 2 %}' },
        Assign: { quoted: '{% $states.result.total %}' },
        Output: '{% $states.result %}',
        End: true,
      };
      expect(await run(state, { n: 5 }, { inspectionLevel: 'DEBUG' })).toEqual({
        status: 'SUCCEEDED',
        output: { total: 30 },
        inspectionData: { input: '{"n":5}', afterArguments: '{"qty":10}', result: '{"total":30}', variables: '{"quoted":30}' },
      });
    });

    it('is left out at INFO', async () => {
      expect(await run({ Type: 'Pass', End: true }, { a: 1 }, { inspectionLevel: 'INFO' })).toEqual({ status: 'SUCCEEDED', output: { a: 1 } });
    });
  });
});
