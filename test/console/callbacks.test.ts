/**
 * The tasks waiting for a callback: the token read where the definition put
 * `$$.Task.Token` (or `$states.context.Task.Token`), answered tasks and
 * stopped executions waiting for nothing, activities waiting without a token.
 */
import { tokenPaths, waitingTasks } from '../../console/src/callbacks';
import type { HistoryEvent } from '../../console/src/wire';

const definition = {
  StartAt: 'Ask',
  States: {
    Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'F', Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } }, Next: 'Work' },
    Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:work', End: true },
  },
};

const asked: HistoryEvent[] = [
  { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: 1 },
  { id: 2, previousEventId: 1, type: 'TaskStateEntered', timestamp: 1, stateEnteredEventDetails: { name: 'Ask', input: '{"id":7}' } },
  { id: 3, previousEventId: 2, type: 'TaskScheduled', timestamp: 1, taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke.waitForTaskToken', parameters: JSON.stringify({ FunctionName: 'F', Payload: { token: 'TOKEN-1', id: 7 } }) } },
  { id: 4, previousEventId: 3, type: 'TaskStarted', timestamp: 1, taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' } },
];

it('finds the token at the path the definition maps $$.Task.Token to', () => {
  expect(waitingTasks(asked, definition, true)).toEqual([{ eventId: 3, state: 'Ask', kind: 'task', resource: 'lambda:invoke.waitForTaskToken', token: 'TOKEN-1' }]);
});

it('waits for nothing once the task is answered or the execution stopped', () => {
  expect(waitingTasks([...asked, { id: 5, previousEventId: 4, type: 'TaskSucceeded', timestamp: 2 }], definition, true)).toEqual([]);
  expect(waitingTasks(asked, definition, false)).toEqual([]);
});

it('lists a scheduled activity without a token (its worker gets it from GetActivityTask)', () => {
  const events: HistoryEvent[] = [
    { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: 1 },
    { id: 2, previousEventId: 1, type: 'TaskStateEntered', timestamp: 1, stateEnteredEventDetails: { name: 'Work', input: '{}' } },
    { id: 3, previousEventId: 2, type: 'ActivityScheduled', timestamp: 1, activityScheduledEventDetails: { resource: 'arn:aws:states:us-east-1:123456789012:activity:work', input: '{}' } },
  ];
  expect(waitingTasks(events, definition, true)).toEqual([{ eventId: 3, state: 'Work', kind: 'activity', resource: 'arn:aws:states:us-east-1:123456789012:activity:work' }]);
});

it('knows the JSONata spelling of the token', () => {
  expect(tokenPaths({ Payload: { t: '{% $states.context.Task.Token %}', n: 1 }, list: ['$$.Task.Token'] })).toEqual([['Payload', 't'], ['list', '0']]);
});
