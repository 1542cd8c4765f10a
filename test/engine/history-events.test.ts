/**
 * The history event table is Step Functions' own HistoryEventType enum, and
 * each row names the HistoryEvent member that carries its details.
 */
import { HistoryEventType } from '@aws-sdk/client-sfn';
import { detailsKeyOf, HISTORY_EVENT_DETAILS, isHistoryEventType } from '../../lib/engine/history-events';
import { event } from '../../lib/engine/events';

describe('HISTORY_EVENT_DETAILS', () => {
  it('lists exactly the API model HistoryEventType values', () => {
    expect(Object.keys(HISTORY_EVENT_DETAILS).sort()).toEqual(Object.values(HistoryEventType).sort());
  });

  it('names each details member after its type, state events sharing stateEntered/stateExited', () => {
    expect(detailsKeyOf('TaskScheduled')).toBe('taskScheduledEventDetails');
    expect(detailsKeyOf('MapIterationStarted')).toBe('mapIterationStartedEventDetails');
    expect(detailsKeyOf('ChoiceStateEntered')).toBe('stateEnteredEventDetails');
    expect(detailsKeyOf('SucceedStateExited')).toBe('stateExitedEventDetails');
    expect(detailsKeyOf('LambdaFunctionStarted')).toBeUndefined();
    expect(detailsKeyOf('ParallelStateSucceeded')).toBeUndefined();
    for (const [type, key] of Object.entries(HISTORY_EVENT_DETAILS)) {
      if (key === null || type.includes('State')) continue;
      expect(key).toBe(`${type[0].toLowerCase()}${type.slice(1)}EventDetails`);
    }
  });

  it('tells history event types from other strings', () => {
    expect(isHistoryEventType('MapRunStarted')).toBe(true);
    expect(isHistoryEventType('FailStateExited')).toBe(false);
    expect(isHistoryEventType('toString')).toBe(false);
  });
});

describe('event', () => {
  it('puts details in the type’s own member and leaves a type without details bare', () => {
    expect(event('TaskStarted', 'root', 5, { resource: 'r' })).toEqual({
      type: 'TaskStarted',
      timestamp: 5,
      frameId: 'root',
      detailsKey: 'taskStartedEventDetails',
      details: { resource: 'r' },
    });
    expect(event('MapStateSucceeded', 'root', 6)).toEqual({ type: 'MapStateSucceeded', timestamp: 6, frameId: 'root' });
  });
});
