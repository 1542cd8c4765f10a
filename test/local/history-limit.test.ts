/** An execution whose history reaches LocalRuntimeOptions.maxHistoryEvents fails as Step Functions fails one at 25,000 events. */
import { DEFAULT_MAX_HISTORY_EVENTS } from '../../lib/engine/history-limit';
import { LocalRuntime } from '../../lib/local/runtime';

const loop = { StartAt: 'Again', States: { Again: { Type: 'Choice', Choices: [{ Variable: '$.stop', BooleanEquals: true, Next: 'Done' }], Default: 'Again' }, Done: { Type: 'Succeed' } } };

describe('history-event cap', () => {
  it('fails a Choice state that loops to itself with States.Runtime at the cap', async () => {
    const result = await new LocalRuntime({ timeScale: 0, maxHistoryEvents: 50 }).startExecution(loop, { input: { stop: false } }).result;
    const history = result.history;
    expect({ status: result.status, error: result.error, cause: result.cause, events: history.length }).toEqual({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (50).',
      events: 50,
    });
    expect(history[49]).toMatchObject({ id: 50, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (50).' } });
    expect(history[48].type).toBe('ChoiceStateExited');
  });

  it('lets an execution end normally under the cap', async () => {
    const result = await new LocalRuntime({ timeScale: 0, maxHistoryEvents: 50 }).startExecution(loop, { input: { stop: true } }).result;
    expect({ status: result.status, events: result.history.length }).toEqual({ status: 'SUCCEEDED', events: 6 });
  });

  it('defaults to 1,000,000 events', () => {
    expect(DEFAULT_MAX_HISTORY_EVENTS).toBe(1_000_000);
  });
});
