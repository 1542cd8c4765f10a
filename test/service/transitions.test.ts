/**
 * A transition that applies several messages to one frame (children's
 * completions grouped from one delivery, and the completions it collects)
 * numbers its history as in-process: each child frame it starts has its
 * first event follow the parent's event just before that child started —
 * its MapIterationStarted — not the parent's last event of the commit,
 * in the whole history and in every page of it.
 */
import type { JsonValue } from '../../lib/asl/json';
import type { HistoryEvent } from '../../lib/engine/history';
import { LocalRuntime } from '../../lib/local/runtime';
import type { CloudDriver } from '../../lib/service/driver';
import { setup } from './memory-cloud';

const ROLE = 'arn:aws:iam::123456789012:role/switchyard-local'; // LocalRuntime's, so the histories match to the byte
const ok = { run: async () => ({ kind: 'succeeded' as const, output: { ok: true } }) };

function normal(history: readonly HistoryEvent[]): object[] {
  return history.map(({ timestamp: _t, ...rest }) => rest);
}

async function inProcess(definition: object, input: JsonValue): Promise<object[]> {
  const runtime = new LocalRuntime({ taskRunner: ok, timeScale: 0 });
  const r = await runtime.startExecution(definition, { input, name: 'e', stateMachineName: 'm' }).result;
  return normal(r.history as HistoryEvent[]);
}

async function inCloud(definition: object, input: JsonValue): Promise<{ driver: CloudDriver; executionArn: string; history: object[] }> {
  const c = setup({ tasks: ok });
  const sm = await c.driver.putStateMachine('m', JSON.stringify(definition), ROLE);
  const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { name: 'e', input });
  await c.drain();
  return { driver: c.driver, executionArn, history: normal(await c.driver.getExecutionHistory(executionArn)) };
}

/** The history read `limit` events a page (pages end inside transitions). */
async function paged(driver: CloudDriver, executionArn: string, limit: number): Promise<object[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await driver.getExecutionHistoryPage(executionArn, limit, nextToken !== undefined ? { nextToken } : {});
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return normal(events);
}

const links = (history: readonly object[]) => history.map((e) => [(e as HistoryEvent).id, (e as HistoryEvent).previousEventId, (e as HistoryEvent).type]);
const pass = (name: string) => ({ ProcessorConfig: { Mode: 'INLINE' }, StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });

describe('a transition of several messages', () => {
  it('links each Map iteration it starts to its own MapIterationStarted', async () => {
    const definition = { StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: pass('P'), End: true } } };
    const input = [1, 2, 3, 4, 5, 6];

    const local = await inProcess(definition, input);
    const cloud = await inCloud(definition, input);

    // Iterations 3 and 5 start in commits that go on to count the next completion (events 10–13, 18–21).
    expect(links(local).filter(([, , type]) => type === 'PassStateEntered')).toEqual([
      [6, 5, 'PassStateEntered'],
      [8, 5, 'PassStateEntered'],
      [14, 11, 'PassStateEntered'],
      [16, 13, 'PassStateEntered'],
      [22, 19, 'PassStateEntered'],
      [24, 21, 'PassStateEntered'],
    ]);
    expect(cloud.history).toEqual(local);
    for (const limit of [1, 2, 3, 5, 11, 1000]) expect(await paged(cloud.driver, cloud.executionArn, limit)).toEqual(local);
  });

  it('links them so in a Map nested in a Parallel branch, and in a Map iteration', async () => {
    const inner = (name: string) => ({ Type: 'Map', MaxConcurrency: 2, ItemsPath: '$.items', ItemProcessor: pass(`${name}Pass`), End: true });
    const definition = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Inner', States: { Inner: inner('Inner') } },
            { StartAt: 'Outer', States: { Outer: { Type: 'Map', MaxConcurrency: 2, ItemsPath: '$.groups', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Nested', States: { Nested: inner('Nested') } }, End: true } } },
          ],
        },
      },
    };
    const input = { items: [1, 2, 3, 4, 5], groups: [{ items: [1, 2, 3] }, { items: [4, 5, 6] }, { items: [7] }] };

    const local = await inProcess(definition, input);
    const cloud = await inCloud(definition, input);

    expect(cloud.history).toEqual(local);
    for (const limit of [1, 4, 7, 1000]) expect(await paged(cloud.driver, cloud.executionArn, limit)).toEqual(local);
  });
});
