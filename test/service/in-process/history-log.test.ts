/**
 * The in-process history kept in columns: what it returns must be exactly
 * what a list of the drafts would give (GetExecutionHistory's HistoryEvent).
 */
import { event, mapIterationEvent, STATE_EVENT_TYPES, stateEntered, stateExited, type ExitingStateType } from '../../../lib/engine/events';
import { HistoryLog } from '../../../lib/service/in-process/history-log';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

describe('HistoryLog', () => {
  it('numbers events, takes each previousEventId it is given and builds state details only when read', () => {
    const log = new HistoryLog();
    const input = { a: 1 };
    expect(log.append(event('ExecutionStarted', 'root', T0, { roleArn: 'r' }), 0)).toBe(1);
    expect(log.append(stateEntered('Pass', 'P', input, 'root', T0 + 1), 1)).toBe(2);
    expect(log.append(stateExited('Pass', 'P', { b: 2 }, { v: 3 }, 'root', T0 + 2), 2)).toBe(3);
    expect(log.append(event('ExecutionSucceeded', 'root', T0 + 3), 3)).toBe(4);
    expect(log.length).toBe(4);
    expect(log.statesEntered).toBe(1);
    expect(log.events()).toEqual([
      { id: 1, previousEventId: 0, timestamp: T0, type: 'ExecutionStarted', executionStartedEventDetails: { roleArn: 'r' } },
      {
        id: 2,
        previousEventId: 1,
        timestamp: T0 + 1,
        type: 'PassStateEntered',
        stateEnteredEventDetails: { name: 'P', input: '{"a":1}', inputDetails: { truncated: false } },
      },
      {
        id: 3,
        previousEventId: 2,
        timestamp: T0 + 2,
        type: 'PassStateExited',
        stateExitedEventDetails: {
          name: 'P',
          output: '{"b":2}',
          outputDetails: { truncated: false },
          assignedVariables: { v: '3' },
          assignedVariablesDetails: { truncated: false },
        },
      },
      { id: 4, previousEventId: 3, timestamp: T0 + 3, type: 'ExecutionSucceeded' },
    ]);
  });

  it('keeps Map iteration events as the Map name and index, with their details keys', () => {
    const log = new HistoryLog();
    log.append(mapIterationEvent('MapIterationStarted', 'Each', 0, 'root', T0), 0);
    log.append(mapIterationEvent('MapIterationSucceeded', 'Each', 0, 'root', T0 + 1), 1);
    log.append(mapIterationEvent('MapIterationFailed', 'Each', 1, 'root', T0 + 2), 2);
    log.append(mapIterationEvent('MapIterationAborted', 'Each', 2, 'root', T0 + 3), 3);
    expect(log.statesEntered).toBe(0);
    expect(log.events()).toEqual([
      { id: 1, previousEventId: 0, timestamp: T0, type: 'MapIterationStarted', mapIterationStartedEventDetails: { name: 'Each', index: 0 } },
      { id: 2, previousEventId: 1, timestamp: T0 + 1, type: 'MapIterationSucceeded', mapIterationSucceededEventDetails: { name: 'Each', index: 0 } },
      { id: 3, previousEventId: 2, timestamp: T0 + 2, type: 'MapIterationFailed', mapIterationFailedEventDetails: { name: 'Each', index: 1 } },
      { id: 4, previousEventId: 3, timestamp: T0 + 3, type: 'MapIterationAborted', mapIterationAbortedEventDetails: { name: 'Each', index: 2 } },
    ]);
  });

  it('keeps every event past the first columns and chunks (3,000 events)', () => {
    const log = new HistoryLog();
    for (let i = 0; i < 1500; i++) {
      log.append(stateEntered('Choice', `S${i}`, { i }, 'root', T0 + i), 2 * i);
      log.append(stateExited('Choice', `S${i}`, { i }, undefined, 'root', T0 + i), 2 * i + 1);
    }
    const events = log.events();
    expect(events).toHaveLength(3000);
    expect(events[2999]).toEqual({
      id: 3000,
      previousEventId: 2999,
      timestamp: T0 + 1499,
      type: 'ChoiceStateExited',
      stateExitedEventDetails: { name: 'S1499', output: '{"i":1499}', outputDetails: { truncated: false } },
    });
    expect(events[1024].stateEnteredEventDetails).toEqual({ name: 'S512', input: '{"i":512}', inputDetails: { truncated: false } });
  });

  it.each<ExitingStateType>(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Parallel', 'Map'])('gives %s states their own entered and exited types', (type) => {
    expect(stateEntered(type, 'S', null, 'root', T0).type).toBe(`${type}StateEntered`);
    expect(stateExited(type, 'S', null, undefined, 'root', T0).type).toBe(`${type}StateExited`);
    expect(STATE_EVENT_TYPES).toContain(`${type}StateEntered`);
    expect(STATE_EVENT_TYPES).toContain(`${type}StateExited`);
  });

  it('gives Fail states an entered type and no exited type, as Step Functions has none', () => {
    expect(stateEntered('Fail', 'F', null, 'root', T0).type).toBe('FailStateEntered');
    expect(STATE_EVENT_TYPES).toHaveLength(15);
    expect(STATE_EVENT_TYPES).not.toContain('FailStateExited');
  });
});
