/**
 * Histories link their events (previousEventId) and end as Step Functions
 * recorded them, in-process and in the cloud driver alike. Each case is a
 * definition LocalStack's Step Functions suite runs against AWS, and the
 * events expected are those its snapshot recorded there
 * (localstack/localstack tests/aws/services/stepfunctions/v2/scenarios/
 * test_base_scenarios.snapshot.json, the test named in each case; the
 * definitions are its templates/scenarios/statemachines/*.json5).
 */
import type { JsonValue } from '../../lib/asl/json';
import type { TaskRunner } from '../../lib/engine/ports/task-runner';
import { LocalRuntime } from '../../lib/local/runtime';
import { setup } from './memory-cloud';

const ROLE = 'arn:aws:iam::123456789012:role/switchyard-local';
const none: TaskRunner = { run: async () => ({ kind: 'pending' }) };

/** Each event as `id previousEventId type`, and the ExecutionFailed details when there are any. */
function links(history: readonly { id: number; previousEventId: number; type: string }[]): string[] {
  return history.map((e) => `${e.id} ${e.previousEventId} ${e.type}`);
}

async function inProcess(definition: object, input: JsonValue) {
  const runtime = new LocalRuntime({ taskRunner: none, timeScale: 0 });
  const r = await runtime.startExecution(definition, { input, name: 'e', stateMachineName: 'm' }).result;
  return { status: r.status, history: r.history as unknown as { id: number; previousEventId: number; type: string; [k: string]: unknown }[] };
}

async function inCloud(definition: object, input: JsonValue) {
  const c = setup({ tasks: none });
  const sm = await c.driver.putStateMachine('m', JSON.stringify(definition), ROLE);
  const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { name: 'e', input });
  await c.drain();
  const described = await c.driver.describeExecution(executionArn);
  return { status: described.status, history: (await c.driver.getExecutionHistory(executionArn)) as unknown as { id: number; previousEventId: number; type: string; [k: string]: unknown }[] };
}

/** Runs `definition` on both drivers and returns the one history they both wrote. */
async function bothDrivers(definition: object, input: JsonValue = {}) {
  const [local, cloud] = await Promise.all([inProcess(definition, input), inCloud(definition, input)]);
  expect(cloud.status).toBe(local.status);
  expect(links(cloud.history)).toEqual(links(local.history));
  return local;
}

const START = { StartState: { Type: 'Pass', Result: [1], ResultPath: '$.arr', Next: 'MapState' } };
const mapOf = (states: object, extra: object = {}) => ({
  Type: 'Map',
  ResultPath: null,
  InputPath: '$.arr',
  MaxConcurrency: 1,
  ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: Object.keys(states)[0], States: states },
  ...extra,
});
const HANDLE_ITEM_FAIL = { HandleItemFail: { Type: 'Fail', Error: 'HandleItemFailError', Cause: 'HandleItemFailCause' } };

describe('history links as Step Functions records them', () => {
  it('links the first state to event 0, each MapIteration… event to the iteration’s last event, and MapStateExited where MapStateSucceeded links (test_map_state)', async () => {
    const definition = {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: [1, 'Hello', {}, null, 3.3, 3, 4, 5], ResultPath: '$.arr', Next: 'MapState' },
        MapState: { ...mapOf({ HandleItem: { Type: 'Pass', End: true } }), Next: 'Final' },
        Final: { Type: 'Pass', End: true },
      },
    };
    const { history } = await bothDrivers(definition);
    const iterations: string[] = [];
    for (let i = 0; i < 8; i++) {
      const at = 6 + 4 * i;
      iterations.push(`${at} ${i === 0 ? 5 : at - 2} MapIterationStarted`, `${at + 1} ${at} PassStateEntered`, `${at + 2} ${at + 1} PassStateExited`, `${at + 3} ${at + 2} MapIterationSucceeded`);
    }
    expect(links(history)).toEqual([
      '1 0 ExecutionStarted',
      '2 0 PassStateEntered',
      '3 2 PassStateExited',
      '4 3 MapStateEntered',
      '5 4 MapStateStarted',
      ...iterations,
      '38 37 MapStateSucceeded',
      '39 37 MapStateExited',
      '40 39 PassStateEntered',
      '41 40 PassStateExited',
      '42 41 ExecutionSucceeded',
    ]);
  });

  it('links ParallelStateSucceeded and ParallelStateExited to the branches’ last event, not ParallelStateStarted (test_parallel_state)', async () => {
    const pass = (next?: string) => (next ? { Type: 'Pass', Next: next } : { Type: 'Pass', End: true });
    const definition = {
      StartAt: 'LoadInput',
      States: {
        LoadInput: { Type: 'Pass', Result: [1, 2, 3, 4], Next: 'ParallelState' },
        ParallelState: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Branch1', States: { Branch1: pass() } },
            { StartAt: 'Branch21', States: { Branch21: pass('Branch22'), Branch22: pass() } },
            { StartAt: 'Branch31', States: { Branch31: pass('Branch32'), Branch32: pass('Branch33'), Branch33: pass() } },
          ],
        },
      },
    };
    const { history } = await bothDrivers(definition);
    // The recording sorts the twelve branch events and blanks their ids; ParallelStateExited (19) follows event 17.
    expect(links(history).slice(0, 5)).toEqual(['1 0 ExecutionStarted', '2 0 PassStateEntered', '3 2 PassStateExited', '4 3 ParallelStateEntered', '5 4 ParallelStateStarted']);
    expect(links(history).slice(17)).toEqual(['18 17 ParallelStateSucceeded', '19 17 ParallelStateExited', '20 19 ExecutionSucceeded']);
  });

  it('links MapStateFailed to the failed iteration’s last event, and the caught MapStateExited to MapStateFailed (test_map_state_catch)', async () => {
    const definition = {
      StartAt: 'StartState',
      States: {
        ...START,
        MapState: { ...mapOf(HANDLE_ITEM_FAIL, { Catch: [{ ErrorEquals: ['HandleItemFailError'], Next: 'FinalCaught' }] }), Next: 'Final' },
        FinalCaught: { Type: 'Pass', End: true },
        Final: { Type: 'Pass', End: true },
      },
    };
    const { status, history } = await bothDrivers(definition);
    expect(status).toBe('SUCCEEDED');
    expect(links(history)).toEqual([
      '1 0 ExecutionStarted',
      '2 0 PassStateEntered',
      '3 2 PassStateExited',
      '4 3 MapStateEntered',
      '5 4 MapStateStarted',
      '6 5 MapIterationStarted',
      '7 6 FailStateEntered',
      '8 7 MapIterationFailed',
      '9 7 MapStateFailed',
      '10 9 MapStateExited',
      '11 10 PassStateEntered',
      '12 11 PassStateExited',
      '13 12 ExecutionSucceeded',
    ]);
    expect(history[9].stateExitedEventDetails).toMatchObject({ output: '{"Error":"HandleItemFailError","Cause":"HandleItemFailCause"}' });
  });

  it('starts each retry of a Map after the failed iteration’s last event (test_map_state_retry)', async () => {
    const definition = {
      StartAt: 'StartState',
      States: { ...START, MapState: { ...mapOf(HANDLE_ITEM_FAIL, { Retry: [{ ErrorEquals: ['HandleItemFailError'], MaxAttempts: 2 }] }), Next: 'Final' }, Final: { Type: 'Pass', End: true } },
    };
    const { history } = await bothDrivers(definition);
    expect(links(history)).toEqual([
      '1 0 ExecutionStarted',
      '2 0 PassStateEntered',
      '3 2 PassStateExited',
      '4 3 MapStateEntered',
      '5 4 MapStateStarted',
      '6 5 MapIterationStarted',
      '7 6 FailStateEntered',
      '8 7 MapIterationFailed',
      '9 7 MapStateStarted',
      '10 9 MapIterationStarted',
      '11 10 FailStateEntered',
      '12 11 MapIterationFailed',
      '13 11 MapStateStarted',
      '14 13 MapIterationStarted',
      '15 14 FailStateEntered',
      '16 15 MapIterationFailed',
      '17 15 MapStateFailed',
      '18 17 ExecutionFailed',
    ]);
    expect(history[17].executionFailedEventDetails).toEqual({ error: 'HandleItemFailError', cause: 'HandleItemFailCause' });
  });

  it('fails a Map whose iteration ran a Fail state without Error or Cause with neither, uncaught by other names (test_map_state_catch_empty_fail)', async () => {
    const definition = {
      StartAt: 'StartState',
      States: {
        ...START,
        MapState: {
          ...mapOf(
            { HandleItemFail: { Type: 'Fail' } },
            {
              Catch: [
                { ErrorEquals: ['Internal Error'], Next: 'CaughtInternalError' },
                { ErrorEquals: ['State.ALL'], Next: 'CaughtStatesALL' },
              ],
            },
          ),
          Next: 'CaughtNone',
        },
        CaughtInternalError: { Type: 'Pass', End: true },
        CaughtStatesALL: { Type: 'Pass', End: true },
        CaughtNone: { Type: 'Pass', End: true },
      },
    };
    const { status, history } = await bothDrivers(definition);
    expect(status).toBe('FAILED');
    expect(links(history)).toEqual([
      '1 0 ExecutionStarted',
      '2 0 PassStateEntered',
      '3 2 PassStateExited',
      '4 3 MapStateEntered',
      '5 4 MapStateStarted',
      '6 5 MapIterationStarted',
      '7 6 FailStateEntered',
      '8 7 MapIterationFailed',
      '9 7 MapStateFailed',
      '10 9 ExecutionFailed',
    ]);
    expect(history[9].executionFailedEventDetails).toEqual({});
  });

  it('records MapStateFailed after EvaluationFailed when a JSONata Map’s Items is not an array (test_map_state_items_eval_jsonata_variable_sampling_fail[boolean])', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { ItemsVar: true }, Next: 'MapIterateState' },
        MapIterateState: { Type: 'Map', Items: '{% $ItemsVar %}', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Pass', States: { Pass: { Type: 'Pass', End: true } } }, End: true },
      },
    };
    const { status, history } = await bothDrivers(definition);
    expect(status).toBe('FAILED');
    const cause =
      "An error occurred while executing the state 'MapIterateState' (entered at the event id #4). The JSONata expression '$ItemsVar' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'boolean' for value: true";
    // EvaluationFailed (5) links where MapStateEntered links (3), as recorded.
    expect(links(history)).toEqual([
      '1 0 ExecutionStarted',
      '2 0 PassStateEntered',
      '3 2 PassStateExited',
      '4 3 MapStateEntered',
      '5 3 EvaluationFailed',
      '6 5 MapStateFailed',
      '7 6 ExecutionFailed',
    ]);
    expect(history[4].evaluationFailedEventDetails).toEqual({ error: 'States.QueryEvaluationError', cause, location: 'Items', state: 'MapIterateState' });
    expect(history[6].executionFailedEventDetails).toEqual({ error: 'States.QueryEvaluationError', cause });
  });

  it('fails a JSONata Map without Items whose input is not an array with States.QueryEvaluationError and MapStateFailed (test_map_state_items_input_types[number])', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Output: '{% $states.input.items %}', Next: 'MapIterateState' },
        MapIterateState: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Pass', States: { Pass: { Type: 'Pass', End: true } } }, End: true },
      },
    };
    const { history } = await bothDrivers(definition, { items: 1 });
    const cause = "An error occurred while executing the state 'MapIterateState' (entered at the event id #4). Map state input must be an array but was: 1";
    expect(links(history)).toEqual([
      '1 0 ExecutionStarted',
      '2 0 PassStateEntered',
      '3 2 PassStateExited',
      '4 3 MapStateEntered',
      '5 3 EvaluationFailed',
      '6 5 MapStateFailed',
      '7 6 ExecutionFailed',
    ]);
    expect(history[4].evaluationFailedEventDetails).toEqual({ error: 'States.QueryEvaluationError', cause, state: 'MapIterateState' });
    expect(history[6].executionFailedEventDetails).toEqual({ error: 'States.QueryEvaluationError', cause });
  });
});
