/**
 * StopExecution while a Lambda attempt of the execution is running: the Stop
 * is applied before the call is answered, and the attempt's late result
 * changes nothing (it once waited for the attempt's outbox, and the result
 * that came first carried the execution on to its end).
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { TaskRunner } from '../../lib/engine/ports/task-runner';
import { client } from './sfn-client';
import { startLocalServer } from '../../lib/local/server';

jest.setTimeout(30_000);

const ROLE = 'arn:aws:iam::123456789012:role/r';
const WORK = { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Work' };
const DEFINITION = { StartAt: 'First', States: { First: { ...WORK, Next: 'Second' }, Second: { ...WORK, End: true } } };

/** A runner whose invocations return only when released; `invoked` resolves at the first. */
function heldRunner(): { runner: TaskRunner; invoked: Promise<void>; release: () => void } {
  let invoked!: () => void;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const first = new Promise<void>((resolve) => (invoked = resolve));
  return {
    runner: {
      async run() {
        invoked();
        await released;
        return { kind: 'succeeded', output: { done: true } };
      },
    },
    invoked: first,
    release,
  };
}

describe('StopExecution during a running Lambda attempt, served', () => {
  it('ends the execution ABORTED before it answers, and the late result is ignored', async () => {
    // Arrange
    const held = heldRunner();
    const server = await startLocalServer({ port: 0, taskRunner: held.runner });
    const sfn = client(server.url);
    try {
      await sfn.send(new CreateStateMachineCommand({ name: 'Held', definition: JSON.stringify(DEFINITION), roleArn: ROLE }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Held', name: 'held' }));
      await held.invoked;

      // Act
      await sfn.send(new StopExecutionCommand({ executionArn, error: 'Test.Stopped' }));
      const afterStop = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      held.release();
      await new Promise((r) => setTimeout(r, 100)); // the released attempt's result is handled (and found stale)
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));

      // Assert
      expect(afterStop.status).toBe('ABORTED');
      expect(afterStop.error).toBe('Test.Stopped');
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
      expect(history.events?.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'ExecutionAborted']);
    } finally {
      held.release();
      sfn.destroy();
      await server.close();
    }
  });
});
