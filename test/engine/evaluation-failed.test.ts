/**
 * EvaluationFailed: "Contains details about an evaluation failure that
 * occurred while processing a state, for example, when a JSONata expression
 * throws an error" (the API model's EvaluationFailedEventDetails: error,
 * cause, location, state). The state records it where its expression fails,
 * once per attempt, before its Retry or Catch decides what follows. The
 * expected event sequences are those a public emulator's tests say were read
 * off Step Functions (hectorvent/floci, AslExecutorBranchHistoryEventsTest).
 */
import type { JsonValue } from '../../lib/asl/json';
import { LocalRuntime } from '../../lib/local/runtime';

async function history(definition: object, input: JsonValue = { x: 'a' }) {
  const result = await new LocalRuntime({ timeScale: 0 }).startExecution(definition, { input }).result;
  return result.history.map((e) => ({ id: e.id, previousEventId: e.previousEventId, type: e.type, ...(e.type === 'EvaluationFailed' ? { details: (e as unknown as Record<string, unknown>).evaluationFailedEventDetails } : {}) }));
}

const undefinedCause = (state: string, entered: number, field: string) =>
  `An error occurred while executing the state '${state}' (entered at the event id #${entered}). The JSONata expression '$states.input.missing' specified for the field '${field}' returned nothing (undefined).`;

describe('EvaluationFailed', () => {
  it('is recorded where a branch state’s Output fails, before the Parallel fails and its Catch runs', async () => {
    const events = await history({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Undef', States: { Undef: { Type: 'Pass', Output: { v: '{% $states.input.missing %}' }, End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    });
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'PassStateEntered',
      'EvaluationFailed',
      'ParallelStateFailed',
      'ParallelStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[4]).toEqual({
      id: 5,
      previousEventId: 4,
      type: 'EvaluationFailed',
      details: { error: 'States.QueryEvaluationError', cause: undefinedCause('Undef', 4, 'Output/v'), location: 'Output/v', state: 'Undef' },
    });
  });

  it('is recorded once per attempt of a retried Task whose Arguments fail', async () => {
    const events = await history({
      QueryLanguage: 'JSONata',
      StartAt: 'Send',
      States: {
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q', MessageBody: '{% $states.input.missing %}' },
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 1 }],
          End: true,
        },
      },
    });
    const details = { error: 'States.QueryEvaluationError', cause: undefinedCause('Send', 2, 'Arguments/MessageBody'), location: 'Arguments/MessageBody', state: 'Send' };
    expect(events).toEqual([
      { id: 1, previousEventId: 0, type: 'ExecutionStarted' },
      { id: 2, previousEventId: 0, type: 'TaskStateEntered' },
      { id: 3, previousEventId: 2, type: 'EvaluationFailed', details },
      { id: 4, previousEventId: 3, type: 'EvaluationFailed', details },
      { id: 5, previousEventId: 4, type: 'ExecutionFailed' },
    ]);
  });

  it('names Items when a Map’s Items expression fails', async () => {
    const events = await history({
      QueryLanguage: 'JSONata',
      StartAt: 'Fan',
      States: { Fan: { Type: 'Map', Items: '{% $states.input.missing %}', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } },
    });
    expect(events[2]).toEqual({
      id: 3,
      previousEventId: 0, // where MapStateEntered links, as Step Functions records a Map's (test/service/recorded-links.test.ts)
      type: 'EvaluationFailed',
      details: { error: 'States.QueryEvaluationError', cause: undefinedCause('Fan', 2, 'Items'), location: 'Items', state: 'Fan' },
    });
  });

  it('is not recorded for a JSONPath state’s failure', async () => {
    const events = await history({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'm.$': '$.nope' }, End: true } } });
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed']);
  });
});
