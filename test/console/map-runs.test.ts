/**
 * Map runs by iteration, from real histories of the served driver: each
 * iteration's status and exactly its own events, with MaxConcurrency and
 * with a Map nested in a Map.
 */
import { distributedMapRuns, mapRuns } from '../../console/src/map-runs';
import { eventDetails } from '../../console/src/state-status';
import type { HistoryEvent } from '../../console/src/wire';
import { startLocalServer, type LocalServer } from '../../lib/local/server';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ port: 0 });
});
afterAll(() => server.close());

async function history(definition: object, input: unknown): Promise<HistoryEvent[]> {
  const name = `m${Math.random().toString(36).slice(2, 8)}`;
  await server.driver.putStateMachine(name, JSON.stringify(definition));
  const { executionArn } = await server.driver.startExecution(server.driver.stateMachineArn(name), { input: input as never });
  while ((await server.driver.describeExecution(executionArn)).status === 'RUNNING') await new Promise((r) => setTimeout(r, 10));
  return (await server.driver.getExecutionHistory(executionArn)) as unknown as HistoryEvent[];
}

/** The inputs of the states an iteration entered. */
function enteredInputs(events: HistoryEvent[], ids: number[]): string[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  return ids.map((id) => byId.get(id)!).filter((e) => e.type.endsWith('StateEntered')).map((e) => String(eventDetails(e)?.input));
}

const item = { StartAt: 'First', States: { First: { Type: 'Pass', Next: 'Second' }, Second: { Type: 'Pass', End: true } } };

it('lists each iteration of a Map with MaxConcurrency with its status and only its own events', async () => {
  const events = await history({ StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 3, ItemProcessor: item, End: true } } }, [0, 1, 2, 3, 4, 5, 6]);
  const [run, ...more] = mapRuns(events);
  expect(more).toEqual([]);
  expect(run.state).toBe('M');
  expect(run.iterations.map((i) => [i.index, i.status])).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => [i, 'succeeded']));
  for (const iteration of run.iterations) {
    expect(enteredInputs(events, iteration.eventIds)).toEqual([String(iteration.index), String(iteration.index)]);
    const types = iteration.eventIds.map((id) => events.find((e) => e.id === id)!.type);
    expect(types).toEqual(['MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded']);
  }
});

it("gives a nested Map's events to the outer iteration and lists the inner runs too", async () => {
  const inner = { StartAt: 'Inner', States: { Inner: { Type: 'Map', ItemProcessor: item, End: true } } };
  const events = await history({ StartAt: 'Outer', States: { Outer: { Type: 'Map', ItemProcessor: inner, End: true } } }, [[10, 11], [20, 21, 22]]);
  const runs = mapRuns(events);
  expect(runs.map((r) => [r.state, r.iterations.length])).toEqual([['Outer', 2], ['Inner', 2], ['Inner', 3]]);
  expect(enteredInputs(events, runs[0].iterations[1].eventIds)).toEqual(['[20,21,22]', '20', '20', '21', '21', '22', '22']);
  expect(runs.slice(1).flatMap((r) => r.iterations.map((i) => enteredInputs(events, i.eventIds)))).toEqual([['10', '10'], ['11', '11'], ['20', '20'], ['21', '21'], ['22', '22']]);
});

it('marks the failed iteration failed', async () => {
  const failing = { StartAt: 'Check', States: { Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 1, Next: 'Boom' }], Default: 'Ok' }, Boom: { Type: 'Fail', Error: 'Item.Bad' }, Ok: { Type: 'Pass', End: true } } };
  const events = await history({ StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: failing, End: true } } }, [0, 1, 2]);
  const [run] = mapRuns(events);
  expect(run.iterations.map((i) => [i.index, i.status])).toEqual([[0, 'succeeded'], [1, 'failed']]);
  // MapStateFailed links to the failed iteration's last event, but is the Map's, not the iteration's.
  expect(run.iterations[1].eventIds.map((id) => events.find((e) => e.id === id)!.type)).toEqual(['MapIterationStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'MapIterationFailed']);
  expect(events.slice(-2).map((e) => e.type)).toEqual(['MapStateFailed', 'ExecutionFailed']);
});

it("leaves a Map's own end out of its last iteration's events", async () => {
  const events = await history({ StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: item, Next: 'After' }, After: { Type: 'Pass', End: true } } }, [0, 1]);
  const [run] = mapRuns(events);
  expect(run.iterations[1].eventIds.map((id) => events.find((e) => e.id === id)!.type)).toEqual(['MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded']);
});

it('calls an iteration that never ended aborted once the execution has stopped', () => {
  const events: HistoryEvent[] = [
    { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: 1 },
    { id: 2, previousEventId: 1, type: 'MapStateEntered', timestamp: 1, stateEnteredEventDetails: { name: 'M', input: '[1]' } },
    { id: 3, previousEventId: 2, type: 'MapStateStarted', timestamp: 1, mapStateStartedEventDetails: { length: 1 } },
    { id: 4, previousEventId: 3, type: 'MapIterationStarted', timestamp: 1, mapIterationStartedEventDetails: { name: 'M', index: 0 } },
  ];
  expect(mapRuns(events, true)[0].iterations).toEqual([{ index: 0, status: 'running', eventIds: [4] }]);
  expect(mapRuns(events, false)[0].iterations).toEqual([{ index: 0, status: 'aborted', eventIds: [4] }]);
});

it("lists a DISTRIBUTED Map's run by its Map Run (its iterations are child executions), not by iteration", async () => {
  const events = await history({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { ...item, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } }, End: true } } }, [0, 1]);
  expect(mapRuns(events)).toEqual([]);
  expect(distributedMapRuns(events)).toEqual([{ state: 'M', startedEventId: 3, mapRunArn: expect.stringMatching(/^arn:aws:states:us-east-1:123456789012:mapRun:m[a-z0-9]+\/M:[0-9a-f-]{36}$/) }]);
});
