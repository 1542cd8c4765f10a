/**
 * `switchyard serve` reads the settings Step Functions Local users know from
 * the environment (developer guide, "Setting configuration options for Step
 * Functions Local": AWS_ACCOUNT_ID, AWS_DEFAULT_REGION, the
 * `<SERVICE>_ENDPOINT` overrides, SFN_MOCK_CONFIG), and its banner lists
 * every state machine it holds and the mock configuration it loaded.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { serveCommand } from '../../lib/cli/serve';
import { serveEnvironment } from '../../lib/cli/serve-env';
import { until } from '../local/sfn-client';

const ROOT = path.join(__dirname, '..', '..');
const quiet = { stderr: () => undefined };

describe('serveEnvironment', () => {
  it("takes Step Functions Local's variables where no flag was given, and names the ones it used", () => {
    const env = {
      SFN_MOCK_CONFIG: 'mocks.json',
      AWS_ACCOUNT_ID: '111122223333',
      AWS_DEFAULT_REGION: 'eu-west-1',
      SQS_ENDPOINT: 'http://127.0.0.1:9324',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      SWITCHYARD_PORT: '9000',
    };
    expect(serveEnvironment({ 'endpoint-url': ['dynamodb=http://127.0.0.1:4566'] }, env)).toEqual({
      args: { port: '9000', 'mock-config': 'mocks.json', 'endpoint-url': ['dynamodb=http://127.0.0.1:4566', 'sqs=http://127.0.0.1:9324'] },
      account: '111122223333',
      region: 'eu-west-1',
      used: ['SWITCHYARD_PORT', 'SFN_MOCK_CONFIG', 'SQS_ENDPOINT', 'AWS_ACCOUNT_ID', 'AWS_DEFAULT_REGION'],
    });
  });

  it('lets the flags win and reads AWS_REGION when AWS_DEFAULT_REGION is not set', () => {
    expect(serveEnvironment({ port: '0', 'mock-config': 'flag.json' }, { SFN_MOCK_CONFIG: 'env.json', SWITCHYARD_PORT: '9000', AWS_REGION: 'ap-south-1' })).toEqual({
      args: { port: '0', 'mock-config': 'flag.json' },
      region: 'ap-south-1',
      used: ['AWS_REGION'],
    });
  });
});

describe('switchyard serve with Step Functions Local settings in the environment', () => {
  it('makes ARNs in their account and region, runs ARN#TestCase from SFN_MOCK_CONFIG, and says so in the banner', async () => {
    let banner = '';
    const env = { SFN_MOCK_CONFIG: 'examples/human-approval/MockConfigFile.json', AWS_ACCOUNT_ID: '111122223333', AWS_DEFAULT_REGION: 'eu-west-1', SWITCHYARD_PORT: '0' };
    const server = await serveCommand({ quiet: true }, { ...quiet, stdout: (t) => (banner += t), cwd: ROOT, env });
    const sfn = new SFNClient({ endpoint: server.url, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    try {
      const arn = 'arn:aws:states:eu-west-1:111122223333:stateMachine:human-approval';
      expect(banner).toContain(`State machines:\n  arn:aws:states:eu-west-1:111122223333:stateMachine:hello-world\n`);
      expect(banner).toContain('Mock configuration examples/human-approval/MockConfigFile.json: human-approval (Approved, Rejected). Start ARN#TestCase to run a test case.\n');
      expect(banner).toContain('From the environment: SWITCHYARD_PORT, SFN_MOCK_CONFIG, AWS_ACCOUNT_ID, AWS_DEFAULT_REGION.\n');
      expect(banner).toContain('AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=eu-west-1 aws stepfunctions');
      const input = fs.readFileSync(path.join(ROOT, 'examples/human-approval/input.json'), 'utf8');
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Rejected`, input }));
      expect(started.executionArn).toMatch(/^arn:aws:states:eu-west-1:111122223333:execution:human-approval:/);
      expect(await until(sfn, started.executionArn!)).toMatchObject({ status: 'FAILED', error: 'OrderNotApproved' });
    } finally {
      sfn.destroy();
      await server.close();
    }
  });

  it('refuses an unreadable mock configuration at start, naming it', async () => {
    await expect(serveCommand({ port: '0', quiet: true }, { ...quiet, stdout: () => undefined, cwd: ROOT, env: { SFN_MOCK_CONFIG: 'nope.json' } })).rejects.toThrow(/^Cannot read the mock configuration .*nope\.json: ENOENT/);
  });

  it('lists the state machines a --data folder kept from before in the banner after a restart', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-banner-'));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-no-examples-'));
    const args = { port: '0', quiet: true, data, examples: empty };
    const first = await serveCommand(args, { ...quiet, stdout: () => undefined, cwd: ROOT });
    const sfn = new SFNClient({ endpoint: first.url, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    await sfn.send(new CreateStateMachineCommand({ name: 'kept', definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', roleArn: 'arn:aws:iam::123456789012:role/r' }));
    sfn.destroy();
    await first.close();
    let banner = '';
    const second = await serveCommand(args, { ...quiet, stdout: (t) => (banner += t), cwd: ROOT });
    await second.close();
    expect(banner).toContain('State machines:\n  arn:aws:states:us-east-1:123456789012:stateMachine:kept\n');
  });
});
