/**
 * The AWS CLI (Debian's awscli, which .ci/run installs) against
 * `switchyard serve`: create a state machine, start an execution, wait for
 * it, read its history — with nothing changed but --endpoint-url.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { serveCommand } from '../../lib/cli/serve';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { signingFront } from './signing-front';

const run = promisify(execFile);
const AWS = ['/usr/bin/aws', '/usr/local/bin/aws'].find((p) => fs.existsSync(p));
const describeWithCli = AWS ? describe : describe.skip;

jest.setTimeout(60_000);

describeWithCli(`the AWS CLI (${AWS ?? 'not installed'}) against switchyard serve`, () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ port: 0 });
  });
  afterAll(async () => server?.close());

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run(AWS!, ['stepfunctions', '--endpoint-url', server.url, '--output', 'json', ...args], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  };

  it('creates a state machine, starts an execution, waits for it and reads its history', async () => {
    const definition = JSON.stringify({
      StartAt: 'Greet',
      States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, End: true } },
    });
    const created = await aws('create-state-machine', '--name', 'cli-hello', '--definition', definition, '--role-arn', 'arn:aws:iam::123456789012:role/r');
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:cli-hello');
    const started = await aws('start-execution', '--state-machine-arn', created.stateMachineArn as string, '--name', 'first', '--input', '{"name":"CLI"}');
    let described: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      described = await aws('describe-execution', '--execution-arn', started.executionArn as string);
      if (described.status !== 'RUNNING') break;
    }
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"greeting":"Hello, CLI!"}' });
    const history = await aws('get-execution-history', '--execution-arn', started.executionArn as string);
    expect((history.events as { type: string }[]).map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('signs for API Gateway (execute-api) with the model scripts/aws-cli-model.js registers as `aws switchyard`', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-'));
    const env = { ...process.env, HOME: home, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' };
    await run(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'aws-cli-model.js'), '--aws', AWS!], { env });
    const front = await signingFront(server.url);
    try {
      const { stdout } = await run(AWS!, ['switchyard', 'list-state-machines', '--endpoint-url', front.url, '--output', 'json'], { env });
      expect((JSON.parse(stdout) as { stateMachines: { name: string }[] }).stateMachines.map((m) => m.name)).toContain('cli-hello');
      expect(front.scopes).toEqual(['us-east-1 execute-api']);
    } finally {
      front.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('shows the service error for an unknown execution', async () => {
    await expect(aws('describe-execution', '--execution-arn', 'arn:aws:states:us-east-1:123456789012:execution:cli-hello:nope')).rejects.toMatchObject({
      stderr: expect.stringContaining('ExecutionDoesNotExist'),
    });
  });
});

describeWithCli('the AWS CLI line switchyard serve prints', () => {
  it('works pasted as is into a shell with no AWS configuration', async () => {
    let banner = '';
    const server = await serveCommand({ port: '0' }, { stdout: (t) => (banner += t), stderr: () => {}, cwd: path.join(__dirname, '..', '..') });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-'));
    try {
      const line = banner.split('\n').find((l) => l.includes(' start-execution '))!.trim();
      // Only what a fresh shell has: no AWS_* variables, an empty home (no ~/.aws).
      const env = { PATH: `${path.dirname(AWS!)}:/usr/bin:/bin`, HOME: home, AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' };
      const { stdout } = await run('sh', ['-c', `${line} --output json`], { env });
      expect((JSON.parse(stdout) as { executionArn: string }).executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:hello-world:/);
    } finally {
      await server.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
