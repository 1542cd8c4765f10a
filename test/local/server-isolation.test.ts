/**
 * One runaway execution does not stop `switchyard serve` answering others:
 * its transitions run between requests, not instead of them
 * (lib/local/pump.ts; npm run bench:isolation measures how long they wait).
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { client, until } from './sfn-client';
import { startLocalServer } from '../../lib/local/server';

jest.setTimeout(120_000);

const ROLE = 'arn:aws:iam::123456789012:role/r';
const MACHINES = 'arn:aws:states:us-east-1:123456789012:stateMachine';
/** A Choice state that loops to itself: it ends only at the history cap. */
const LOOP = { StartAt: 'Loop', States: { Loop: { Type: 'Choice', Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'Loop' }], Default: 'Done' }, Done: { Type: 'Succeed' } } };
const SHORT = { StartAt: 'Only', States: { Only: { Type: 'Pass', Result: 'short', End: true } } };

describe('a runaway Choice loop, served', () => {
  it('does not keep a DescribeExecution of another execution waiting until it ends', async () => {
    // Arrange: the loop ends at the cap (failing) after 100,000 events, so a server that runs it to its end
    // before it reads the next request answers the describe only after the end line below is logged.
    const lines: string[] = [];
    const server = await startLocalServer({ port: 0, maxHistoryEvents: 100_000, requestLog: (line) => lines.push(line) });
    const sfn = client(server.url);
    try {
      await sfn.send(new CreateStateMachineCommand({ name: 'Loop', definition: JSON.stringify(LOOP), roleArn: ROLE }));
      await sfn.send(new CreateStateMachineCommand({ name: 'Short', definition: JSON.stringify(SHORT), roleArn: ROLE }));
      const short = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${MACHINES}:Short`, name: 'other' }));
      await until(sfn, short.executionArn!);
      const runaway = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${MACHINES}:Loop`, name: 'runaway', input: '{"go":true}' }));

      // Act
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: short.executionArn }));
      const endedBeforeAnswer = lines.filter((l) => l.startsWith('execution ') && !l.startsWith('execution started') && l.includes('Loop:runaway'));

      // Assert
      expect(described.status).toBe('SUCCEEDED');
      expect(endedBeforeAnswer).toEqual([]);
      await sfn.send(new StopExecutionCommand({ executionArn: runaway.executionArn }));
      expect((await until(sfn, runaway.executionArn!)).status).toBe('ABORTED');
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});
