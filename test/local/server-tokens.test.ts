/**
 * Task tokens are secrets (DESIGN.md invariant 7), through `switchyard serve`
 * with the official @aws-sdk/client-sfn and through the approval links: a
 * token built for an execution from its ARN, altered, signed with another
 * key, or moved to another execution is refused and the execution waits on;
 * the real token (read from history, as a client does) completes it once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { client, until } from './sfn-client';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { TOKEN_KEY_FILE } from '../../lib/local/token-key';
import { LambdaHandlersRunner } from '../../lib/local/tasks';
import { encodeTaskToken } from '../../lib/engine/token';

jest.setTimeout(30_000);

const DEFINITION = JSON.stringify({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'Ask', Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
});

/** The handler keeps the token to itself: the tests read it from history, as any client may. */
const runner = new LambdaHandlersRunner(new Map([['Ask', async () => undefined]]));


/** Creates the approval machine and starts `name`; returns its ARN once its task waits, with the token history shows. */
async function waitingExecution(sfn: SFNClient, name: string, create = true): Promise<{ executionArn: string; token: string }> {
  const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:approval';
  if (create) await sfn.send(new CreateStateMachineCommand({ name: 'approval', definition: DEFINITION, roleArn: 'arn:aws:iam::123456789012:role/r' })).catch(() => undefined);
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name }));
  for (;;) {
    const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    const scheduled = events.find((e) => e.type === 'TaskScheduled');
    if (scheduled) return { executionArn: executionArn!, token: (JSON.parse(scheduled.taskScheduledEventDetails!.parameters!) as { Payload: { token: string } }).Payload.token };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function status(sfn: SFNClient, executionArn: string): Promise<string | undefined> {
  return (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
}


/** The service's error for a SendTaskSuccess with `taskToken`, as the SDK reports it. */
async function refusal(sfn: SFNClient, taskToken: string): Promise<{ name: string; message: string }> {
  const err = await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"forged":true}' })).then(() => undefined, (e: Error) => e);
  if (!err) throw new Error('SendTaskSuccess was accepted');
  return { name: err.name, message: err.message };
}

/** A token's JSON part and its MAC. */
function parts(token: string): { tuple: unknown[]; mac: string } {
  const [body, mac] = token.split('.');
  return { tuple: JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as unknown[], mac: mac! };
}

const INVALID = { name: 'InvalidToken', message: 'Invalid Token' };

describe('task tokens through switchyard serve', () => {
  let server: LocalServer;
  let sfn: SFNClient;
  let victim: { executionArn: string; token: string };
  let other: { executionArn: string; token: string };
  beforeAll(async () => {
    server = await startLocalServer({ port: 0, taskRunner: runner });
    sfn = client(server.url);
    victim = await waitingExecution(sfn, 'victim');
    other = await waitingExecution(sfn, 'attacker', false);
  });
  afterAll(async () => {
    sfn?.destroy();
    await server?.close();
  });

  it('hands out a token that names the attempt and carries a 256-bit MAC', () => {
    expect(parts(victim.token)).toEqual({ tuple: [2, victim.executionArn, 'root', 0, 0], mac: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('refuses a token built from the execution ARN the old way (no MAC)', async () => {
    const unsigned = Buffer.from(JSON.stringify([1, victim.executionArn, 'root', 0, 0])).toString('base64url');
    expect(await refusal(sfn, unsigned)).toEqual(INVALID);
    expect(await status(sfn, victim.executionArn)).toBe('RUNNING');
  });

  it('refuses a new-format token for the execution with a wrong MAC: another execution’s, another key’s, or one altered', async () => {
    const body = Buffer.from(JSON.stringify([2, victim.executionArn, 'root', 0, 0])).toString('base64url');
    const otherMac = parts(other.token).mac;
    // The second-to-last character changed to another one (it carries MAC bits; the last one partly padding).
    const mac = parts(victim.token).mac;
    const flipped = `${mac.slice(0, -2)}${mac.at(-2) === 'A' ? 'B' : 'A'}${mac.slice(-1)}`;
    expect(await refusal(sfn, `${body}.${otherMac}`)).toEqual(INVALID);
    expect(await refusal(sfn, encodeTaskToken({ executionArn: victim.executionArn, frameId: 'root', entry: 0, attempt: 0 }, Buffer.alloc(32, 9)))).toEqual(INVALID);
    expect(await refusal(sfn, `${body}.${flipped}`)).toEqual(INVALID);
    expect(await refusal(sfn, `${body}.${parts(victim.token).mac}x`)).toEqual(INVALID);
    expect(await status(sfn, victim.executionArn)).toBe('RUNNING');
  });

  it('refuses a real token whose attempt or entry was altered', async () => {
    for (const tuple of [[2, victim.executionArn, 'root', 0, 1], [2, victim.executionArn, 'root', 1, 0], [2, victim.executionArn, 'root/0', 0, 0]]) {
      const altered = `${Buffer.from(JSON.stringify(tuple)).toString('base64url')}.${parts(victim.token).mac}`;
      expect({ tuple, refused: await refusal(sfn, altered) }).toEqual({ tuple, refused: INVALID });
    }
    expect(await status(sfn, victim.executionArn)).toBe('RUNNING');
  });

  it('refuses SendTaskFailure and SendTaskHeartbeat with a forged token too', async () => {
    const forged = encodeTaskToken({ executionArn: victim.executionArn, frameId: 'root', entry: 0, attempt: 0 }, Buffer.alloc(32, 9));
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: forged, error: 'E' }))).rejects.toMatchObject(INVALID);
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: forged }))).rejects.toMatchObject(INVALID);
    expect(await status(sfn, victim.executionArn)).toBe('RUNNING');
  });

  it('refuses a forged token on the approve and reject links', async () => {
    const forged = Buffer.from(JSON.stringify([1, victim.executionArn, 'root', 0, 0])).toString('base64url');
    const signedElsewhere = encodeTaskToken({ executionArn: victim.executionArn, frameId: 'root', entry: 0, attempt: 0 }, Buffer.alloc(32, 9));
    for (const link of [`/tasks/${forged}/approve`, `/tasks/${signedElsewhere}/approve`, `/tasks/${signedElsewhere}/reject`]) {
      const r = await fetch(`${server.url}${link}`);
      expect({ link, status: r.status, body: await r.json() }).toEqual({ link, status: 400, body: { error: 'InvalidToken', message: 'Invalid Token' } });
    }
    expect(await status(sfn, victim.executionArn)).toBe('RUNNING');
  });

  it('completes the task with the real token once; the used token is then TaskDoesNotExist', async () => {
    await sfn.send(new SendTaskSuccessCommand({ taskToken: victim.token, output: '{"approved":true}' }));
    expect(await until(sfn, victim.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
    expect(await refusal(sfn, victim.token)).toEqual({ name: 'TaskDoesNotExist', message: 'Task Timed Out or Does Not Exist' });
    const r = await fetch(`${server.url}/tasks/${victim.token}/approve`);
    expect({ status: r.status, body: await r.json() }).toEqual({ status: 404, body: { error: 'TaskDoesNotExist', message: 'Task Timed Out or Does Not Exist' } });
    expect(await status(sfn, other.executionArn)).toBe('RUNNING');
  });

  it('hands out different tokens on two servers for the same state machine and execution name, and each refuses the other’s', async () => {
    const second = await startLocalServer({ port: 0, taskRunner: runner });
    const sfn2 = client(second.url);
    try {
      const twin = await waitingExecution(sfn2, 'attacker');
      expect(twin.executionArn).toBe(other.executionArn);
      expect(twin.token).not.toBe(other.token);
      expect(await refusal(sfn, twin.token)).toEqual(INVALID);
      expect(await refusal(sfn2, other.token)).toEqual(INVALID);
      expect(await status(sfn, other.executionArn)).toBe('RUNNING');
    } finally {
      sfn2.destroy();
      await second.close();
    }
  });
});

describe('task tokens through switchyard serve --data', () => {
  it('keeps the key in the data folder (mode 0600, not in the journal), so a token handed out before a restart completes its task after it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-tokens-'));
    let server = await startLocalServer({ port: 0, dataDir, taskRunner: runner });
    let sfn = client(server.url);
    try {
      const { executionArn, token } = await waitingExecution(sfn, 'kept');
      sfn.destroy();
      await server.close();
      const keyFile = path.join(dataDir, TOKEN_KEY_FILE);
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      const key = fs.readFileSync(keyFile, 'utf8').trim();
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      for (const file of fs.readdirSync(dataDir).filter((f) => f !== TOKEN_KEY_FILE)) expect(fs.readFileSync(path.join(dataDir, file), 'utf8')).not.toContain(key);

      server = await startLocalServer({ port: 0, dataDir, taskRunner: runner });
      sfn = client(server.url);
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
      expect(await until(sfn, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
    } finally {
      sfn.destroy();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
