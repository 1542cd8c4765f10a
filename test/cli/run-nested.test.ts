/** `switchyard run --state-machine FILE`: states:startExecution tasks start the state machines given, and the summary shows their histories. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../lib/cli/main';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-nested-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, JSON.stringify(content));
  return p;
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

describe('switchyard run with nested executions', () => {
  it('runs a .sync:2 child of a --state-machine file and prints the parent and child histories', async () => {
    // Arrange
    const child = file('double.asl.json', { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'value.$': 'States.MathAdd($.value, $.value)' }, End: true } } });
    const parent = file('parent.asl.json', {
      StartAt: 'Nested',
      States: {
        Nested: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:double', Name: 'd1', 'Input.$': '$' },
          OutputPath: '$.Output',
          End: true,
        },
      },
    });

    // Act
    const { code, stdout, stderr } = await cli('run', parent, '--state-machine', child, '--input', '{"value":21}', '--json', '--history');

    // Assert
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { status: string; output: unknown; history: { type: string }[]; children: { executionArn: string; status: string; history: { type: string }[] }[] };
    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.output).toEqual({ value: 42 });
    expect(summary.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(summary.children.map((c) => ({ arn: c.executionArn, status: c.status, types: c.history.map((e) => e.type) }))).toEqual([
      { arn: 'arn:aws:states:us-east-1:123456789012:execution:double:d1', status: 'SUCCEEDED', types: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'] },
    ]);
  });

  it('stops a parent whose child was started to call back, which switchyard run cannot deliver', async () => {
    const child = file('quiet.asl.json', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const parent = file('callback.asl.json', {
      StartAt: 'Nested',
      States: {
        Nested: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:quiet', Input: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });

    const { code, stdout } = await cli('run', parent, '--state-machine', child, '--json');

    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'ABORTED', error: 'Switchyard.TaskTokenUnavailable' });
  });
});
