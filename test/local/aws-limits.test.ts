/**
 * AWS-limits mode: Step Functions' 256 KiB inputs and outputs and 25,000
 * history events in the in-process runtime and `switchyard run
 * --aws-limits`, its API length constraints in `switchyard serve
 * --aws-limits` (through the official SDK), and Switchyard's larger limits
 * without it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, SendTaskFailureCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { AWS_LIMITS } from '../../lib/engine/aws-limits';
import { main } from '../../lib/cli/main';
import { LocalRuntime } from '../../lib/local/runtime';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { client, until } from './sfn-client';

jest.setTimeout(60_000);

const ROLE = 'arn:aws:iam::123456789012:role/r';
/** Doubles its input's string: 150 KiB in, 300 KiB out. */
const DOUBLE = { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, End: true } } };
const LOOP = { StartAt: 'Again', States: { Again: { Type: 'Choice', Choices: [{ Variable: '$.stop', BooleanEquals: true, Next: 'Done' }], Default: 'Again' }, Done: { Type: 'Succeed' } } };
const KIB_150 = { s: 'x'.repeat(150 * 1024) };
const KIB_300 = { s: 'x'.repeat(300 * 1024) };
const TOO_LONG_INPUT = "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144";

describe('AWS-limits mode in process', () => {
  it('fails a state whose output passes 256 KiB with States.DataLimitExceeded and the service\'s cause', async () => {
    const result = await new LocalRuntime({ timeScale: 0, awsLimits: true }).startExecution(DOUBLE, { input: KIB_150 }).result;
    expect({ status: result.status, error: result.error, cause: result.cause, last: result.history.at(-1)!.type }).toEqual({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: "The state/task 'Double' returned a result with a size exceeding the maximum number of bytes service limit.",
      last: 'ExecutionFailed',
    });
  });

  it('lets the same output through without it', async () => {
    const result = await new LocalRuntime({ timeScale: 0 }).startExecution(DOUBLE, { input: KIB_150 }).result;
    expect(result.status).toBe('SUCCEEDED');
  });

  it('refuses an input over 256 KiB as StartExecution does', () => {
    expect(() => new LocalRuntime({ awsLimits: true }).startExecution(DOUBLE, { input: KIB_300 })).toThrow(TOO_LONG_INPUT);
  });

  it('fails an execution at 25,000 history events', async () => {
    const result = await new LocalRuntime({ timeScale: 0, awsLimits: true }).startExecution(LOOP, { input: { stop: false } }).result;
    expect({ error: result.error, cause: result.cause, events: result.history.length }).toEqual({
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (25000).',
      events: AWS_LIMITS.historyEvents,
    });
  });
});

describe('switchyard run --aws-limits', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-limits-'));
    fs.writeFileSync(path.join(dir, 'double.json'), JSON.stringify(DOUBLE));
    fs.writeFileSync(path.join(dir, '150.json'), JSON.stringify(KIB_150));
    fs.writeFileSync(path.join(dir, '300.json'), JSON.stringify(KIB_300));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
    return { code, stdout, stderr };
  }

  it('fails a too-large state output with States.DataLimitExceeded, and succeeds without the flag', async () => {
    const limited = await cli('run', 'double.json', '--input-file', '150.json', '--json', '--aws-limits');
    expect({ code: limited.code, error: JSON.parse(limited.stdout).error }).toEqual({ code: 1, error: 'States.DataLimitExceeded' });
    const unlimited = await cli('run', 'double.json', '--input-file', '150.json', '--json');
    expect({ code: unlimited.code, status: JSON.parse(unlimited.stdout).status }).toEqual({ code: 0, status: 'SUCCEEDED' });
  });

  it('refuses a too-large input with the service\'s ValidationException (exit 2)', async () => {
    expect(await cli('run', 'double.json', '--input-file', '300.json', '--aws-limits')).toEqual({ code: 2, stdout: '', stderr: `switchyard: ValidationException: ${TOO_LONG_INPUT}\n` });
  });
});

describe('switchyard serve --aws-limits, through the SDK', () => {
  let limited: LocalServer;
  let unlimited: LocalServer;
  let sfn: SFNClient;
  let open: SFNClient;
  beforeAll(async () => {
    limited = await startLocalServer({ port: 0, awsLimits: true });
    unlimited = await startLocalServer({ port: 0 });
    sfn = client(limited.url);
    open = client(unlimited.url);
  });
  afterAll(async () => {
    sfn?.destroy();
    open?.destroy();
    await limited?.close();
    await unlimited?.close();
  });

  it('refuses an execution input over 256 KiB, which the default takes', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'double', definition: JSON.stringify(DOUBLE), roleArn: ROLE }));
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(KIB_300) }))).rejects.toMatchObject({ name: 'ValidationException', message: TOO_LONG_INPUT });
    const { stateMachineArn: openArn } = await open.send(new CreateStateMachineCommand({ name: 'double', definition: JSON.stringify(DOUBLE), roleArn: ROLE }));
    const { executionArn } = await open.send(new StartExecutionCommand({ stateMachineArn: openArn, input: JSON.stringify(KIB_300) }));
    expect((await until(open, executionArn!)).status).toBe('SUCCEEDED');
  });

  it('fails a state whose output passes 256 KiB with States.DataLimitExceeded', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:double', input: JSON.stringify(KIB_150) }));
    const done = await until(sfn, executionArn!);
    expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: "The state/task 'Double' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
  });

  it('refuses a definition over 1 MiB', async () => {
    const big = JSON.stringify({ ...DOUBLE, Comment: 'c'.repeat(AWS_LIMITS.definitionBytes) });
    await expect(sfn.send(new CreateStateMachineCommand({ name: 'big', definition: big, roleArn: ROLE }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    });
  });

  it('refuses a SendTaskFailure cause over 32,768 characters before it reads the token', async () => {
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: 'any', cause: 'c'.repeat(32_769) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768",
    });
  });
});
