/**
 * A DISTRIBUTED Map run in-process: its iterations are child executions of
 * the Map Run, each with its own history, and the parent's history holds the
 * Map Run's events, not one per item (as Step Functions records them).
 */
import { LocalRuntime } from '../../lib/local/runtime';
import { CHECK_PROCESSOR } from './check-processor';

const definition = {
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: CHECK_PROCESSOR,
      ToleratedFailureCount: 1,
      Label: 'Each',
      End: true,
    },
  },
};

describe('a DISTRIBUTED Map in-process', () => {
  it('records the Map Run in the parent history and each iteration as a child execution with its own history', async () => {
    const runtime = new LocalRuntime({ timeScale: 0 });
    const handle = runtime.startExecution(definition, { input: { items: [{ n: 1 }, { n: -1 }] }, name: 'run1', stateMachineName: 'Orders' });
    const result = await handle.result;

    expect(result.status).toBe('SUCCEEDED');
    expect(result.history.map((e) => [e.type, e.id, e.previousEventId])).toEqual([
      ['ExecutionStarted', 1, 0],
      ['MapStateEntered', 2, 0],
      ['MapStateStarted', 3, 2],
      ['MapRunStarted', 4, 3],
      ['MapRunSucceeded', 5, 4],
      ['MapStateSucceeded', 6, 5],
      ['MapStateExited', 7, 5],
      ['ExecutionSucceeded', 8, 7],
    ]);
    const children = runtime.getExecution(handle.executionArn)!.childExecutions();
    expect(children.map((c) => c.executionArn)).toEqual([
      expect.stringMatching(/^arn:aws:states:us-east-1:123456789012:execution:Orders\/Each:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      expect.stringMatching(/^arn:aws:states:us-east-1:123456789012:execution:Orders\/Each:/),
    ]);
    expect(children[0].history.map((e) => [e.type, e.id, e.previousEventId])).toEqual([
      ['ExecutionStarted', 1, 0],
      ['ChoiceStateEntered', 2, 0],
      ['ChoiceStateExited', 3, 2],
      ['PassStateEntered', 4, 3],
      ['PassStateExited', 5, 4],
      ['ExecutionSucceeded', 6, 5],
    ]);
    expect(children[0].history[0].executionStartedEventDetails).toEqual({
      input: '{"n":1}',
      inputDetails: { truncated: false },
      roleArn: 'arn:aws:iam::123456789012:role/switchyard-local',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders/Each',
    });
    expect(children[1].history.map((e) => e.type)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'ExecutionFailed']);
    expect(children[1].history[4].executionFailedEventDetails).toEqual({ error: 'Negative', cause: 'n < 0' });
  });
});
