/**
 * What the console colours each state from an execution's history: events
 * are tied to their state through previousEventId, a retry clears an
 * attempt's failure, an exit after a failure is a caught error.
 */
import { summarizeHistory, statusByState } from '../../console/src/state-status';
import type { HistoryEvent } from '../../console/src/wire';

let id = 0;
function event(type: string, previousEventId: number, details?: Record<string, unknown>): HistoryEvent {
  id++;
  const key = type.endsWith('StateEntered') ? 'stateEnteredEventDetails' : type.endsWith('StateExited') ? 'stateExitedEventDetails' : `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
  return { id, previousEventId, type, timestamp: 1_700_000_000 + id, ...(details ? { [key]: details } : {}) };
}

/** A declined order, as the server records it: a retried task, a Parallel whose branch fails and is caught, a Fail state. */
function declinedOrder(): HistoryEvent[] {
  id = 0;
  return [
    event('ExecutionStarted', 0, { input: '{}' }),
    event('TaskStateEntered', 1, { name: 'ValidateOrder', input: '{"order":1}' }),
    event('LambdaFunctionScheduled', 2, { resource: 'ValidateOrder' }),
    event('LambdaFunctionFailed', 3, { error: 'Inventory.Busy', cause: 'busy' }),
    event('LambdaFunctionScheduled', 4, { resource: 'ValidateOrder' }),
    event('LambdaFunctionSucceeded', 5, { output: '{}' }),
    event('TaskStateExited', 6, { name: 'ValidateOrder', output: '{"valid":true}' }),
    event('ParallelStateEntered', 7, { name: 'Fulfil', input: '{}' }),
    event('ParallelStateStarted', 8),
    event('TaskStateEntered', 9, { name: 'ChargeCard', input: '{}' }),
    event('TaskScheduled', 10, { resource: 'invoke' }),
    event('MapStateEntered', 9, { name: 'ReserveItems', input: '{}' }),
    event('TaskFailed', 11, { error: 'Payment.Declined', cause: 'declined' }),
    event('ParallelStateFailed', 9),
    event('ParallelStateExited', 14, { name: 'Fulfil', output: '{"failure":1}' }),
    event('FailStateEntered', 15, { name: 'Declined', input: '{}' }),
    event('ExecutionFailed', 16, { error: 'PAYMENT_DECLINED', cause: 'The card was declined' }),
  ];
}

describe('summarizeHistory', () => {
  it('colours a retried success, a caught Parallel, a failed branch task, a cut-short Map and a Fail state', () => {
    const summary = summarizeHistory(declinedOrder(), false);
    expect(Object.fromEntries(statusByState(summary))).toEqual({ ValidateOrder: 'succeeded', Fulfil: 'caught', ChargeCard: 'failed', ReserveItems: 'cancelled', Declined: 'failed' });
  });

  it('keeps the failed run’s error and cause, and the exited run’s input and output', () => {
    const { states } = summarizeHistory(declinedOrder(), false);
    expect(states.get('ChargeCard')?.shown.failure).toEqual({ eventType: 'TaskFailed', error: 'Payment.Declined', cause: 'declined' });
    expect(states.get('Declined')?.shown.failure).toEqual({ eventType: 'ExecutionFailed', error: 'PAYMENT_DECLINED', cause: 'The card was declined' });
    expect(states.get('ValidateOrder')?.shown).toEqual({ name: 'ValidateOrder', enteredEventId: 2, input: '{"order":1}', output: '{"valid":true}', exited: true });
  });

  it('ties every event after a state’s entry to that state, and execution-level events to none', () => {
    const { stateOfEvent } = summarizeHistory(declinedOrder(), false);
    expect([...stateOfEvent]).toEqual([
      [2, 'ValidateOrder'], [3, 'ValidateOrder'], [4, 'ValidateOrder'], [5, 'ValidateOrder'], [6, 'ValidateOrder'], [7, 'ValidateOrder'],
      [8, 'Fulfil'], [9, 'Fulfil'], [10, 'ChargeCard'], [11, 'ChargeCard'], [12, 'ReserveItems'], [13, 'ChargeCard'], [14, 'Fulfil'], [15, 'Fulfil'],
      [16, 'Declined'], [17, 'Declined'],
    ]);
  });

  it('ties nothing to a state after its exit (ExecutionSucceeded follows the last state’s exit)', () => {
    id = 0;
    const events = [event('ExecutionStarted', 0, {}), event('PassStateEntered', 1, { name: 'Big', input: '1' }), event('PassStateExited', 2, { name: 'Big', output: '1' }), event('ExecutionSucceeded', 3, { output: '1' })];
    expect([...summarizeHistory(events, false).stateOfEvent]).toEqual([[2, 'Big'], [3, 'Big']]);
  });

  it('shows a state still open as running while the execution runs', () => {
    id = 0;
    const events = [event('ExecutionStarted', 0, { input: '{}' }), event('TaskStateEntered', 1, { name: 'Wait', input: '{}' }), event('TaskScheduled', 2, {})];
    expect(Object.fromEntries(statusByState(summarizeHistory(events, true)))).toEqual({ Wait: 'running' });
    expect(Object.fromEntries(statusByState(summarizeHistory(events, false)))).toEqual({ Wait: 'cancelled' });
  });

  it('counts each entry of a state entered again, and colours it by the latest unless one failed', () => {
    id = 0;
    const events = [
      event('ExecutionStarted', 0, {}),
      event('PassStateEntered', 1, { name: 'Loop', input: '1' }),
      event('PassStateExited', 2, { name: 'Loop', output: '1' }),
      event('PassStateEntered', 3, { name: 'Loop', input: '2' }),
    ];
    const loop = summarizeHistory(events, true).states.get('Loop');
    expect([loop?.status, loop?.runs.length, loop?.shown.input]).toEqual(['running', 2, '2']);
  });
});
