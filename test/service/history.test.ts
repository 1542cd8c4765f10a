/**
 * A served execution quotes the id of a state's entered event in an
 * evaluation error's cause as in-process and as Step Functions ("An error
 * occurred while executing the state 'X' (entered at the event id #N)."),
 * though the service numbers its history only when it is read (history.ts):
 * its frames count their events (engine/event-count.ts), so the id is right
 * when the cause is produced, and the cause flows into state data through
 * Catch. Whole histories are compared with the in-process driver's. A state
 * inside a Parallel branch or an INLINE Map iteration shares its history
 * with frames running beside it, and so does a frame after aborting
 * children: there the served cause leaves the quote out (docs/CLOUD.md).
 */
import type { JsonValue } from '../../lib/asl/json';
import type { HistoryEvent } from '../../lib/engine/history';
import { LocalRuntime } from '../../lib/local/runtime';
import { processBatch } from '../../lib/service/batch';
import { setup } from './memory-cloud';

const ROLE = 'arn:aws:iam::123456789012:role/switchyard-local'; // LocalRuntime's, so the histories match to the byte
const ok = { run: async () => ({ kind: 'succeeded' as const, output: { ok: true } }) };

function normal(history: readonly HistoryEvent[]): object[] {
  return history.map(({ timestamp: _t, ...rest }) => rest);
}

async function inProcess(definition: object, input: JsonValue) {
  const runtime = new LocalRuntime({ taskRunner: ok, timeScale: 0 });
  const handle = runtime.startExecution(definition, { input, name: 'e', stateMachineName: 'm' });
  const r = await handle.result;
  const children = runtime.getExecution(handle.executionArn)!.childExecutions().map((c) => normal(c.history as HistoryEvent[]));
  return { status: r.status, error: r.error, cause: r.cause, history: normal(r.history as HistoryEvent[]), children };
}

/** Plays the queue as memory-cloud's drain does, but each batch's messages one at a time and last first: another commit order. */
async function drainReversed(c: ReturnType<typeof setup>): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    const batch = c.queue.receive(10);
    if (batch.length === 0) {
      const next = c.queue.nextVisibleAt();
      if (next === undefined) return;
      c.advance(Math.max(0, next - c.advance(0)));
      continue;
    }
    for (const b of batch.reverse()) {
      await processBatch(c.driver, c.queue, [{ messageId: b.id, body: b.body }], { log: () => {} });
      c.queue.delete(b.id);
      c.advance(1);
    }
  }
}

async function served(definition: object, input: JsonValue, reversed = false) {
  const c = setup({ tasks: ok });
  const sm = await c.driver.putStateMachine('m', JSON.stringify(definition), ROLE);
  const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { name: 'e', input });
  await (reversed ? drainReversed(c) : c.drain());
  const d = await c.driver.describeExecution(executionArn);
  const children: object[][] = [];
  for (const run of (await c.driver.mapRuns.listMapRuns(executionArn, 1000)).items) {
    for (const child of (await c.driver.mapRuns.listChildren(run.mapRunArn, { limit: 1000 })).items) children.push(normal(await c.driver.getExecutionHistory(child.executionArn)));
  }
  const history = normal(await c.driver.getExecutionHistory(executionArn));
  return { c, executionArn, result: { status: d.status, error: d.error, cause: d.cause, history, children } };
}

/** Every "executing the state" prefix quoted anywhere in `value` (histories, causes, state data). */
const quoted = (value: unknown) => JSON.stringify(value).match(/An error occurred while executing the state '[^']*'(?: \(entered at the event id #\d+\))?\./g) ?? [];

/** Each id quoted for one of `states` names that state's entered event in `history`, as read. */
function quotesItsEnteredEvent(history: readonly object[], states: readonly string[]): void {
  for (const q of quoted(history)) {
    const [, state, id] = /'([^']*)' \(entered at the event id #(\d+)\)/.exec(q) ?? [];
    if (id === undefined || !states.includes(state)) continue;
    const entered = history[Number(id) - 1] as HistoryEvent & { stateEnteredEventDetails?: { name: string } };
    expect([entered.id, entered.type.endsWith('StateEntered'), entered.stateEnteredEventDetails?.name]).toEqual([Number(id), true, state]);
  }
}

const BAD = "Invalid path '$.missing' : No results for path: $['missing']";
const BAD_CHOICE = "Invalid path '$.missing': The choice state's condition path references an invalid value.";
const branch = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });

describe('an evaluation error in a served execution', () => {
  it('quotes a failing Task’s and Choice’s entered events as in-process, in the cause Catch hands on and the execution’s', async () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'Bad' },
        Bad: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'F', 'Payload.$': 'States.StringToJson($.text)' }, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Pick' }], End: true },
        Pick: { Type: 'Choice', Choices: [{ Variable: '$.missing', NumericEquals: 1, Next: 'Never' }], Default: 'Never' },
        Never: { Type: 'Succeed' },
      },
    };
    const local = await inProcess(definition, { text: 'not json' });
    const { result } = await served(definition, { text: 'not json' });

    expect(result).toEqual(local);
    expect(result.error).toBe('States.Runtime');
    expect(result.cause).toBe(`An error occurred while executing the state 'Pick' (entered at the event id #6). ${BAD_CHOICE}`);
    // Catch's ResultPath put the first cause in Pick's input: the id is in state data, not only in history.
    const pickEntered = result.history[5] as { type: string; stateEnteredEventDetails: { input: string } };
    expect(pickEntered.type).toBe('ChoiceStateEntered');
    expect(JSON.parse(pickEntered.stateEnteredEventDetails.input).caught).toEqual({
      Error: 'States.IntrinsicFailure',
      Cause: "An error occurred while executing the state 'Bad' (entered at the event id #4). The argument of States.StringToJson is not valid JSON: \"not json\"",
    });
    quotesItsEnteredEvent(result.history, ['Bad', 'Pick']);
  });

  it('quotes it after a Parallel and an INLINE Map, whose branches’ and iterations’ events it counted', async () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: { Type: 'Parallel', Branches: [branch('One'), branch('Two'), { StartAt: 'Inner', States: { Inner: { Type: 'Parallel', Branches: [branch('Deep')], End: true } } }], ResultPath: '$.fan', Next: 'Each' },
        Each: { Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2, ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...branch('Item') }, ResultPath: '$.each', Next: 'Bad' },
        Bad: { Type: 'Pass', InputPath: '$.missing', End: true },
      },
    };
    const input = { items: [1, 2, 3, 4, 5] };
    const local = await inProcess(definition, input);
    const { result } = await served(definition, input);

    expect(result).toEqual(local);
    const entered = result.history.findIndex((e) => (e as HistoryEvent).type === 'PassStateEntered' && JSON.stringify(e).includes('"name":"Bad"')) + 1;
    expect(entered).toBe(40);
    expect(result.cause).toBe(`An error occurred while executing the state 'Bad' (entered at the event id #${entered}). ${BAD}`);
    quotesItsEnteredEvent(result.history, ['Bad']);

    // Children committed in another order are numbered in another order, but counted to the same total.
    const reordered = (await served(definition, input, true)).result;
    expect(reordered.history).not.toEqual(local.history);
    expect(reordered.history.length).toBe(local.history.length);
    expect(reordered.cause).toBe(result.cause);
    quotesItsEnteredEvent(reordered.history, ['Bad']);
  });

  it('quotes it in a DISTRIBUTED Map’s child executions, each numbered in a history of its own, and in the parent after them', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ToleratedFailurePercentage: 100,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Look', States: { Look: { Type: 'Pass', Next: 'Bad' }, Bad: { Type: 'Pass', InputPath: '$.missing', End: true } } },
          Next: 'After',
        },
        After: { Type: 'Pass', InputPath: '$.missing', End: true },
      },
    };
    const input = [{ a: 1 }, { a: 2 }];
    const local = await inProcess(definition, input);
    const { result } = await served(definition, input);

    expect(result).toEqual(local);
    expect(result.children).toHaveLength(2);
    for (const child of result.children) {
      expect((child.at(-1) as { executionFailedEventDetails: object }).executionFailedEventDetails).toEqual({ error: 'States.Runtime', cause: `An error occurred while executing the state 'Bad' (entered at the event id #4). ${BAD}` });
    }
    expect(quoted(result.cause)).toEqual([`An error occurred while executing the state 'After' (entered at the event id #${result.history.length - 1}).`]);
    quotesItsEnteredEvent(result.history, ['After']);
  });

  it('quotes the entered event of the state a redrive enters again, after the redrive’s own events', async () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Bad' }, Bad: { Type: 'Pass', InputPath: '$.missing', End: true } } };
    const { c, executionArn, result } = await served(definition, { x: 1 });
    expect(result.cause).toBe(`An error occurred while executing the state 'Bad' (entered at the event id #4). ${BAD}`);

    await c.driver.redriveExecution(executionArn);
    await c.drain();
    const history = normal(await c.driver.getExecutionHistory(executionArn));
    expect(history.map((e) => (e as HistoryEvent).type).slice(5)).toEqual(['ExecutionRedriven', 'PassStateEntered', 'ExecutionFailed']);
    expect((await c.driver.describeExecution(executionArn)).cause).toBe(`An error occurred while executing the state 'Bad' (entered at the event id #7). ${BAD}`);
    quotesItsEnteredEvent(history, ['Bad']);
  });

  it('quotes it inside a Map of MaxConcurrency 1 and a Parallel of one branch: each child runs alone, after its parent’s count', async () => {
    const intrinsic = { StartAt: 'Look', States: { Look: { Type: 'Pass', Next: 'Parse' }, Parse: { Type: 'Pass', Parameters: { 'v.$': 'States.StringToJson($.text)' }, End: true } } };
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'One',
            States: { One: { Type: 'Parallel', Branches: [intrinsic], Catch: [{ ErrorEquals: ['States.IntrinsicFailure'], Next: 'Caught' }], End: true }, Caught: { Type: 'Pass', End: true } },
          },
          ResultPath: '$[0].each',
          Next: 'Solo',
        },
        Solo: { Type: 'Parallel', Branches: [{ StartAt: 'Bad', States: { Bad: { Type: 'Pass', InputPath: '$.missing', End: true } } }], End: true },
      },
    };
    const input = [{ text: 'x' }, { text: 'y' }, { text: 'z' }];
    const local = await inProcess(definition, input);
    const { result } = await served(definition, input);

    expect(result).toEqual(local);
    // Each iteration's Parse (its cause is the Catch's output, in the Map's result) and Solo's Bad, with the ids of their entered events as read.
    const quotes = quoted(result.history).filter((q) => /'(Parse|Bad)'/.test(q));
    expect(new Set(quotes).size).toBe(4);
    for (const q of quotes) expect(q).toMatch(/\(entered at the event id #\d+\)/);
    expect(quoted(result.cause)).toHaveLength(1);
    quotesItsEnteredEvent(result.history, ['Parse', 'Bad']);
  });

  it('leaves it out in a branch a redrive runs again: the redrive’s own events came before it, uncounted', async () => {
    const definition = { StartAt: 'Solo', States: { Solo: { Type: 'Parallel', Branches: [{ StartAt: 'Bad', States: { Bad: { Type: 'Pass', InputPath: '$.missing', End: true } } }], End: true } } };
    const { c, executionArn, result } = await served(definition, {});
    expect(result.cause).toBe(`An error occurred while executing the state 'Bad' (entered at the event id #4). ${BAD}`);

    await c.driver.redriveExecution(executionArn);
    await c.drain();
    const history = normal(await c.driver.getExecutionHistory(executionArn));
    expect(history.map((e) => (e as HistoryEvent).type).slice(5)).toEqual(['ExecutionRedriven', 'PassStateEntered', 'ExecutionFailed']);
    expect((await c.driver.describeExecution(executionArn)).cause).toBe(BAD);
  });

  it('leaves the quote out inside a Parallel branch, where frames running beside it share the history', async () => {
    const definition = { StartAt: 'Fan', States: { Fan: { Type: 'Parallel', Branches: [branch('One'), { StartAt: 'Bad', States: { Bad: { Type: 'Pass', InputPath: '$.missing', End: true } } }], End: true } } };
    const local = await inProcess(definition, {});
    const { result } = await served(definition, {});

    expect(quoted(local.cause)).toEqual(["An error occurred while executing the state 'Bad' (entered at the event id #6)."]);
    expect(result.cause).toBe(BAD);
    expect(result.history.length).toBe(local.history.length);
  });

  it('quotes it after a Parallel whose branch failed last, caught: every branch was counted, none aborted', async () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [branch('One'), { StartAt: 'Later', States: { Later: { Type: 'Wait', Seconds: 1, Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Boom' } } }],
          Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.caught', Next: 'Bad' }],
          End: true,
        },
        Bad: { Type: 'Pass', InputPath: '$.missing', End: true },
      },
    };
    const local = await inProcess(definition, {});
    const { result } = await served(definition, {});

    expect(result).toEqual(local);
    expect(quoted(result.cause)).toEqual([`An error occurred while executing the state 'Bad' (entered at the event id #${result.history.length - 1}).`]);
    quotesItsEnteredEvent(result.history, ['Bad']);
  });

  it('leaves it out after a Parallel whose failing branch cut another short: the aborted branch’s events were never counted', async () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 100, End: true } } }, { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom' } } }],
          Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.caught', Next: 'Bad' }],
          End: true,
        },
        Bad: { Type: 'Pass', InputPath: '$.missing', End: true },
      },
    };
    const local = await inProcess(definition, {});
    const { result } = await served(definition, {});

    expect(quoted(local.cause)).toHaveLength(1);
    expect(quoted(local.cause)[0]).toMatch(/\(entered at the event id #\d+\)/);
    expect(result.cause).toBe(BAD);
  });
});
