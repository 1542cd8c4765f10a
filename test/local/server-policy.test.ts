/** The authorization matrix against `switchyard serve --policy`, through the official SDK, callers named by their access key. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SFNClient, SFNServiceException, CreateStateMachineCommand, UpdateStateMachineCommand, ListStateMachinesCommand, SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { CliIo } from '../../lib/cli/io';
import { serveCommand } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/server';
import { ACCOUNT, expectedAnswer, fixtures, MATRIX, POLICIES, type Answer, type Fixtures } from '../service/api/authorization/matrix';

const io = (): CliIo => ({ cwd: os.tmpdir(), stdout: () => {}, stderr: () => {} });
const keyOf = (caller: string) => `AKIA${caller.toUpperCase()}`;
const COMMANDS = { StartExecution: StartExecutionCommand, StopExecution: StopExecutionCommand, SendTaskSuccess: SendTaskSuccessCommand, ListStateMachines: ListStateMachinesCommand, CreateStateMachine: CreateStateMachineCommand, UpdateStateMachine: UpdateStateMachineCommand } as const;

describe('switchyard serve --policy', () => {
  let server: LocalServer;
  let fx: Fixtures;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
  beforeAll(async () => {
    const file = path.join(dir, 'policy.json');
    fs.writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(POLICIES).map(([c, s]) => [keyOf(c), { Version: '2012-10-17', Statement: s }]))));
    server = await serveCommand({ port: '0', policy: file, examples: path.join(dir, 'none') }, io());
    fx = await fixtures(server.driver);
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const client = (caller: string) => new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: keyOf(caller), secretAccessKey: 'not-checked' }, maxAttempts: 1 });
  const send = async (caller: string, action: keyof typeof COMMANDS, body: Record<string, unknown>): Promise<Answer> => {
    try {
      await client(caller).send(new (COMMANDS[action] as new (input: unknown) => Parameters<SFNClient['send']>[0])(body));
      return { status: 200 };
    } catch (err) {
      if (!(err instanceof SFNServiceException)) throw err;
      return { status: err.$metadata.httpStatusCode ?? 0, type: err.name, ...(err.name === 'AccessDeniedException' ? { message: err.message } : {}) };
    }
  };

  it.each(MATRIX.map((row) => [row.caller, row.action, row.outcome, row] as const))('%s %s: %s', async (caller, action, _outcome, row) => {
    const body = await row.body(fx);
    const arn = `arn:aws:iam::${ACCOUNT}:user/${keyOf(caller)}`;
    expect(await send(caller, action as keyof typeof COMMANDS, body)).toEqual(expectedAnswer(row, arn, row.resource(fx)));
  });

  it('denies an unsigned request as anonymous', async () => {
    const r = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListActivities' }, body: '{}' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      __type: 'AccessDeniedException',
      message: `User: anonymous is not authorized to perform: states:ListActivities on resource: arn:aws:states:us-east-1:${ACCOUNT}:activity:* because no identity-based policy allows the states:ListActivities action`,
    });
  });

  it('refuses a policy file it cannot read, naming every problem', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ AKIA1: { Statement: [{ Effect: 'Permit', Action: 'states:*', Resource: '*' }] } }));
    await expect(serveCommand({ port: '0', policy: bad }, io())).rejects.toThrow('the policy file ' + bad + ': AKIA1.Statement[0].Effect must be "Allow" or "Deny". Received: "Permit"');
  });
});
