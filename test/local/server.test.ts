/**
 * `switchyard serve` driven by the official @aws-sdk/client-sfn: the example
 * state machines registered, executions through the cloud driver's code on
 * in-memory ports, with real time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetExecutionHistoryCommand, ListStateMachinesCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, CreateStateMachineCommand, type SFNClientConfig } from '@aws-sdk/client-sfn';
import { client, until } from './sfn-client';
import { signingFront } from './signing-front';
import { serveCommand } from '../../lib/cli/serve';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { LambdaHandlersRunner } from '../../lib/local/tasks';

jest.setTimeout(30_000);
const ROOT = path.join(__dirname, '..', '..');



describe('switchyard serve', () => {
  let server: LocalServer;
  let out = '';
  beforeAll(async () => {
    server = await serveCommand({ port: '0' }, { stdout: (t) => (out += t), stderr: () => {}, cwd: ROOT });
  });
  afterAll(async () => server?.close());

  it('registers the examples and says how to call it', () => {
    expect(out).toContain(`Switchyard is serving the Step Functions API at ${server.url}`);
    expect(out).toContain('arn:aws:states:us-east-1:123456789012:stateMachine:hello-world');
    expect(out).toContain(`aws stepfunctions --endpoint-url ${server.url} start-execution`);
  });

  it('prints AWS CLI lines that carry a dummy region and credentials, and the host prefix fix', () => {
    const lines = out.split('\n').filter((l) => l.includes('aws stepfunctions'));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^ {2}AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 aws stepfunctions --endpoint-url /);
    expect(out).toContain("start-sync-execution and test-state: the AWS CLI puts 'sync-' before the endpoint's host unless AWS_DISABLE_HOST_PREFIX_INJECTION=true is set too.\n");
    expect(out).toContain(`new SFNClient({ endpoint: '${server.url}', region: 'us-east-1', disableHostPrefix: true })`);
  });

  it('answers GET /health with 200', async () => {
    const r = await fetch(`${server.url}/health`);
    expect({ status: r.status, body: await r.json() }).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('runs hello-world with its Lambda handler to the expected output', async () => {
    const sfn = client(server.url);
    const input = fs.readFileSync(path.join(ROOT, 'examples/hello-world/input.json'), 'utf8');
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:hello-world', input }));
    const done = await until(sfn, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/hello-world/expected-output.json'), 'utf8')));
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events![0].type).toBe('ExecutionStarted');
    expect(history.events!.at(-1)!.type).toBe('ExecutionSucceeded');
    sfn.destroy();
  });

  it.each([
    ['?approver=ada%40example.com', 'ada@example.com'],
    ['', 'approval link'],
  ])('completes human-approval when its approve link%s is opened', async (query, approver) => {
    const sfn = client(server.url);
    const input = fs.readFileSync(path.join(ROOT, 'examples/human-approval/input.json'), 'utf8');
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:human-approval', input }));
    let token: string | undefined;
    while (token === undefined) {
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      const scheduled = events!.find((e) => e.type === 'TaskScheduled');
      if (scheduled) token = (JSON.parse(scheduled.taskScheduledEventDetails!.parameters!) as { Payload: { token: string } }).Payload.token;
      else await new Promise((r) => setTimeout(r, 20));
    }
    const link = await fetch(`${server.url}/tasks/${encodeURIComponent(token)}/approve${query}`);
    expect({ status: link.status, body: await link.json() }).toEqual({ status: 200, body: { result: 'approved' } });
    const done = await until(sfn, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    const expected = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/human-approval/expected-output.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.parse(done.output!)).toEqual({ ...expected, approver });
    sfn.destroy();
  });
});

describe('the request log of switchyard serve', () => {
  it.each([
    [false, true],
    [true, false],
  ])('with --quiet %s prints a line per API call and per execution start and end: %s', async (quiet, printed) => {
    let out = '';
    const server = await serveCommand({ port: '0', quiet }, { stdout: (t) => (out += t), stderr: () => {}, cwd: ROOT });
    const sfn = client(server.url);
    try {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:hello-world', name: 'logged', input: '{"name":"Ada"}' }));
      await until(sfn, executionArn!);
      await fetch(`${server.url}/health`);
      const lines = out.split('\n');
      const logged = [
        lines.some((l) => /^StartExecution stateMachine:hello-world 200 \d+ ms$/.test(l)),
        lines.includes('execution started execution:hello-world:logged'),
        lines.some((l) => /^execution SUCCEEDED execution:hello-world:logged after \d+ ms$/.test(l)),
        lines.some((l) => /^DescribeExecution execution:hello-world:logged 200 \d+ ms$/.test(l)),
      ];
      expect(logged).toEqual([printed, printed, printed, printed]);
      expect(lines.filter((l) => l.includes('health'))).toEqual([expect.stringContaining('Health check')]); // the banner's line only: /health is not logged
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});

describe('execution logs in switchyard serve', () => {
  it('writes the events a state machine logs to DIR/<log group>.log, in the format CloudWatch Logs gets', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-logs-'));
    let out = '';
    const server = await serveCommand({ port: '0', examples: path.join(dir, 'none'), logs: dir }, { stdout: (t) => (out += t), stderr: () => {}, cwd: ROOT });
    const sfn = client(server.url);
    try {
      expect(out).toContain(`Execution logs of state machines with a loggingConfiguration go to ${dir}/<log group>.log.`);
      const loggingConfiguration = { level: 'ERROR' as const, includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/orders:*' } }] };
      const definition = JSON.stringify({ StartAt: 'Check', States: { Check: { Type: 'Pass', Next: 'Stop' }, Stop: { Type: 'Fail', Error: 'Order.Invalid', Cause: 'no items' } } });
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'orders', definition, roleArn: 'arn:aws:iam::123456789012:role/r', loggingConfiguration }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"items":[]}' }));
      expect((await until(sfn, executionArn!)).status).toBe('FAILED');
      const lines = fs.readFileSync(path.join(dir, 'aws_vendedlogs_states_orders.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.type, l.execution_arn, l.details])).toEqual([
        ['FailStateEntered', executionArn, { name: 'Stop', input: '{"items":[]}', inputDetails: { truncated: false } }],
        ['ExecutionFailed', executionArn, { error: 'Order.Invalid', cause: 'no items' }],
      ]);
    } finally {
      sfn.destroy();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('startLocalServer', () => {
  it('waits in real time and completes a callback task with SendTaskSuccess', async () => {
    const tokens: string[] = [];
    const server = await startLocalServer({
      port: 0,
      taskRunner: new LambdaHandlersRunner(new Map([['Ask', async (event: unknown) => void tokens.push((event as { token: string }).token)]])),
    });
    const sfn = client(server.url);
    try {
      const definition = {
        StartAt: 'Pause',
        States: {
          Pause: { Type: 'Wait', Seconds: 1, Next: 'Ask' },
          Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'Ask', Payload: { 'token.$': '$$.Task.Token' } }, End: true },
        },
      };
      const sm = await sfn.send(new CreateStateMachineCommand({ name: 'ask', definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/r' }));
      const started = Date.now();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn }));
      while (tokens.length === 0) await new Promise((r) => setTimeout(r, 20));
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      await sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{"ok":true}' }));
      const done = await until(sfn, executionArn!);
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});

describe('startLocalServer with a data folder', () => {
  it('keeps definitions, executions and history across a restart, and resumes a running execution', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-data-'));
    let server = await startLocalServer({ port: 0, dataDir });
    let sfn = client(server.url);
    const definition = JSON.stringify({ StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Done' }, Done: { Type: 'Pass', Result: 'resumed', End: true } } });
    const sm = await sfn.send(new CreateStateMachineCommand({ name: 'durable', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, name: 'kept' }));
    await new Promise((r) => setTimeout(r, 200)); // the execution now waits
    sfn.destroy();
    await server.close();

    server = await startLocalServer({ port: 0, dataDir });
    sfn = client(server.url);
    try {
      const done = await until(sfn, executionArn!);
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"resumed"', name: 'kept' });
      const types = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map((e) => e.type);
      expect(types).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    } finally {
      sfn.destroy();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the REST surface', () => {
  it('starts an execution with a JSON body, reads it, and completes its approval with the approve and reject links', async () => {
    const tokens: string[] = [];
    const server = await startLocalServer({
      port: 0,
      taskRunner: new LambdaHandlersRunner(new Map([['Ask', async (event: unknown) => void tokens.push((event as { token: string }).token)]])),
    });
    try {
      const definition = {
        StartAt: 'Ask',
        States: {
          Ask: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'Ask', Payload: { 'token.$': '$$.Task.Token' } },
            ResultPath: '$.decision',
            End: true,
          },
        },
      };
      await server.driver.createStateMachine('approval', JSON.stringify(definition), 'arn:aws:iam::123456789012:role/r');
      const get = async (p: string) => {
        const r = await fetch(`${server.url}${p}`);
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      };
      const start = async (body: string) => {
        const r = await fetch(`${server.url}/state-machines/approval/executions`, { method: 'POST', body });
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      };
      const waitFor = async (arn: string) => {
        for (;;) {
          const r = await get(`/executions/${encodeURIComponent(arn)}`);
          if (r.body.status !== 'RUNNING') return r.body;
          await new Promise((res) => setTimeout(res, 20));
        }
      };

      const first = await start('{"order":1}');
      expect(first.status).toBe(201);
      while (tokens.length < 1) await new Promise((r) => setTimeout(r, 20));
      expect((await get(`/executions/${encodeURIComponent(first.body.executionArn as string)}`)).body).toMatchObject({ status: 'RUNNING', input: { order: 1 } });
      expect(await get(`/tasks/${tokens[0]}/approve`)).toEqual({ status: 200, body: { result: 'approved' } });
      expect(await waitFor(first.body.executionArn as string)).toMatchObject({ status: 'SUCCEEDED', output: { order: 1, decision: { approved: true } } });
      const history = await get(`/executions/${encodeURIComponent(first.body.executionArn as string)}/history`);
      expect((history.body.events as { type: string }[]).at(-1)!.type).toBe('ExecutionSucceeded');

      const second = await start('{"order":2}');
      while (tokens.length < 2) await new Promise((r) => setTimeout(r, 20));
      await get(`/tasks/${tokens[1]}/reject`);
      expect(await waitFor(second.body.executionArn as string)).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'Rejected by the approver' });

      expect((await get(`/tasks/${tokens[1]}/approve`)).status).toBe(404); // that task is over: TaskDoesNotExist
      expect(await start('{oops')).toEqual({ status: 400, body: { error: 'InvalidExecutionInput', message: 'The request body is not valid JSON' } });
      expect((await get('/executions/arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3Aexecution%3Aapproval%3Anone')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('EXPRESS state machines', () => {
  it('runs StartSyncExecution to the end and answers with the output; a STANDARD machine refuses it', async () => {
    const sdk = await import('@aws-sdk/client-sfn');
    const server = await startLocalServer({ port: 0 });
    // StartSyncExecution's endpoint carries a `sync-` host prefix in the service; locally it is turned off.
    const sfn = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, disableHostPrefix: true });
    try {
      const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } } });
      const express = await sfn.send(new CreateStateMachineCommand({ name: 'adder', type: 'EXPRESS', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }));
      const out = await sfn.send(new sdk.StartSyncExecutionCommand({ stateMachineArn: express.stateMachineArn, input: '{"a":2,"b":3}' }));
      expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"sum":5}', input: '{"a":2,"b":3}' });
      expect(out.billingDetails!.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
      expect((await sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: express.stateMachineArn }))).type).toBe('EXPRESS');
      const standard = await sfn.send(new CreateStateMachineCommand({ name: 'std', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }));
      await expect(sfn.send(new sdk.StartSyncExecutionCommand({ stateMachineArn: standard.stateMachineArn }))).rejects.toBeInstanceOf(sdk.StateMachineTypeNotSupported);
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});

describe('mock configurations in switchyard serve', () => {
  it("runs StartExecution on ARN#TestCase with that test case's mocked responses, as Step Functions Local does", async () => {
    let out = '';
    const server = await serveCommand({ port: '0', 'mock-config': 'examples/human-approval/MockConfigFile.json' }, { stdout: (t) => (out += t), stderr: () => {}, cwd: ROOT });
    const sfn = client(server.url);
    try {
      const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:human-approval';
      const input = fs.readFileSync(path.join(ROOT, 'examples/human-approval/input.json'), 'utf8');
      const approved = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Approved`, input }));
      expect(approved.executionArn).toMatch(/:execution:human-approval:/);
      const done = await until(sfn, approved.executionArn!);
      expect(JSON.parse(done.output!)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/human-approval/expected-output.json'), 'utf8')));
      const rejected = await until(sfn, (await sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Rejected`, input }))).executionArn!);
      // The same as `switchyard run --mock-config … --test-case Rejected`: the Fail state ends it.
      expect(rejected).toMatchObject({ status: 'FAILED', error: 'OrderNotApproved', cause: 'The order was not approved' });
      await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Nope`, input }))).rejects.toMatchObject({ name: 'ValidationException' });
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});

describe('schedules and event rules in switchyard serve', () => {
  it('starts an execution when an at() schedule comes due, and one per matching event POSTed to /events', async () => {
    const sdk = await import('@aws-sdk/client-sfn');
    const soon = new Date(Math.ceil((Date.now() + 1200) / 1000) * 1000).toISOString().slice(0, 19);
    const server = await startLocalServer({
      port: 0,
      triggers: {
        schedules: [{ name: 'soon', stateMachine: 'echo', expression: `at(${soon})`, input: { from: 'schedule' } }],
        rules: [{ name: 'orders', stateMachine: 'echo', eventPattern: { source: ['shop'], 'detail-type': ['OrderPlaced'] } }],
      },
    });
    const sfn = client(server.url);
    try {
      const sm = await server.driver.createStateMachine('echo', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', 'arn:aws:iam::123456789012:role/r');
      const post = async (body: unknown) => (await (await fetch(`${server.url}/events`, { method: 'POST', body: JSON.stringify(body) })).json()) as { started: { rule: string; executionArn: string }[] };
      const matched = await post({ Entries: [{ Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"order":7}' }, { Source: 'shop', DetailType: 'OrderCancelled', Detail: '{}' }] });
      expect(matched.started).toHaveLength(1);
      expect(matched.started[0].rule).toBe('orders');
      const fromEvent = await until(sfn, matched.started[0].executionArn);
      expect(JSON.parse(fromEvent.output!)).toMatchObject({ source: 'shop', 'detail-type': 'OrderPlaced', detail: { order: 7 } });
      for (let i = 0; i < 150; i++) {
        const list = await sfn.send(new sdk.ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn }));
        if (list.executions!.length === 2) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const list = await sfn.send(new sdk.ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn }));
      const scheduled = list.executions!.find((e) => e.executionArn !== matched.started[0].executionArn)!;
      expect(JSON.parse((await until(sfn, scheduled.executionArn!)).output!)).toEqual({ from: 'schedule' });
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});

describe('TestState', () => {
  it('runs one state on its own: output and next state, a caught error, a retriable one, a failure', async () => {
    const sdk = await import('@aws-sdk/client-sfn');
    const server = await startLocalServer({
      port: 0,
      taskRunner: new LambdaHandlersRunner(
        new Map([
          ['Price', async (event: unknown) => ({ total: (event as { qty: number }).qty * 3 })],
          ['Broken', async () => {
            throw Object.assign(new Error('down'), { name: 'ServiceDown' });
          }],
        ]),
      ),
    });
    // TestState, like StartSyncExecution, carries a `sync-` host prefix in the service.
    const sfn = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, disableHostPrefix: true });
    const test = (definition: object, input: object, extra: object = {}) =>
      sfn.send(new sdk.TestStateCommand({ definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/r', input: JSON.stringify(input), ...extra }));
    try {
      const priced = await test({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Price', ResultPath: '$.price', Next: 'Ship' }, { qty: 2 });
      expect(priced).toMatchObject({ status: 'SUCCEEDED', output: '{"qty":2,"price":{"total":6}}', nextState: 'Ship' });

      const choice = await test({ Type: 'Choice', Choices: [{ Variable: '$.qty', NumericGreaterThan: 5, Next: 'Bulk' }], Default: 'Retail' }, { qty: 9 });
      expect(choice).toMatchObject({ status: 'SUCCEEDED', nextState: 'Bulk', output: '{"qty":9}' });

      const broken = { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Broken', End: true };
      const caught = await test({ ...broken, Catch: [{ ErrorEquals: ['ServiceDown'], ResultPath: '$.error', Next: 'Apologise' }] }, { id: 1 });
      expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Apologise', error: 'ServiceDown' });
      expect(JSON.parse(caught.output!)).toMatchObject({ id: 1, error: { Error: 'ServiceDown' } });
      expect(await test({ ...broken, Retry: [{ ErrorEquals: ['States.ALL'] }] }, {})).toMatchObject({ status: 'RETRIABLE', error: 'ServiceDown' });
      expect(await test({ Type: 'Fail', Error: 'Nope', Cause: 'because' }, {})).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'because' });
      const debug = await test(
        {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Price',
          InputPath: '$.order',
          Parameters: { 'qty.$': '$.n' },
          ResultSelector: { 'sum.$': '$.total' },
          ResultPath: '$.priced',
          End: true,
        },
        { order: { n: 4 }, id: 'o-1' },
        { inspectionLevel: 'DEBUG' },
      );
      expect(debug.inspectionData).toEqual({
        input: '{"order":{"n":4},"id":"o-1"}',
        afterInputPath: '{"n":4}',
        afterParameters: '{"qty":4}',
        result: '{"total":12}',
        afterResultSelector: '{"sum":12}',
        afterResultPath: '{"order":{"n":4},"id":"o-1","priced":{"sum":12}}',
      });
      expect(debug.output).toBe('{"order":{"n":4},"id":"o-1","priced":{"sum":12}}');
      expect(await test({ Type: 'Pass', Parameters: { 'v.$': '$x' }, End: true }, {}, { variables: '{"x":1}' })).toMatchObject({ status: 'SUCCEEDED', output: '{"v":1}' });

      // Map and Parallel run their iterations and branches.
      const fan = await test({ Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } }, { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }], Next: 'Join' }, { x: 1 });
      expect(fan).toMatchObject({ status: 'SUCCEEDED', output: '["a",{"x":1}]', nextState: 'Join' });
      const priceEach = { Type: 'Map', ItemsPath: '$.lines', MaxConcurrency: 2, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Price', End: true } } }, ResultPath: '$.prices', End: true };
      const each = await test(priceEach, { lines: [{ qty: 1 }, { qty: 2 }] }, { inspectionLevel: 'DEBUG' });
      expect(each).toMatchObject({ status: 'SUCCEEDED', output: '{"lines":[{"qty":1},{"qty":2}],"prices":[{"total":3},{"total":6}]}' });
      expect(each.inspectionData).toEqual({ input: '{"lines":[{"qty":1},{"qty":2}]}', afterInputPath: '{"lines":[{"qty":1},{"qty":2}]}', afterItemsPath: '[{"qty":1},{"qty":2}]', maxConcurrency: 2 });

      // A mock stands for the invocation: a result, or an error that Retry and Catch see.
      expect(await test({ ...broken, ResultPath: '$.r' }, { id: 2 }, { mock: { result: '{"ok":true}' } })).toMatchObject({ status: 'SUCCEEDED', output: '{"id":2,"r":{"ok":true}}' });
      const mockedMap = await test(priceEach, { lines: [] }, { mock: { result: '[{"total":9}]' } });
      expect(mockedMap).toMatchObject({ status: 'SUCCEEDED', output: '{"lines":[],"prices":[{"total":9}]}' });
      const mockedFailure = { mock: { errorOutput: { error: 'Price.Unavailable', cause: 'no price list' } } };
      const caughtMock = await test({ ...priceEach, Catch: [{ ErrorEquals: ['Price.Unavailable'], Next: 'Later' }] }, { lines: [] }, mockedFailure);
      expect(caughtMock).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Later', error: 'Price.Unavailable', cause: 'no price list' });
      const retried = { ...broken, Retry: [{ ErrorEquals: ['Price.Unavailable'], MaxAttempts: 2 }] };
      expect(await test(retried, {}, { ...mockedFailure, stateConfiguration: { retrierRetryCount: 1 } })).toMatchObject({ status: 'RETRIABLE', error: 'Price.Unavailable' });
      expect(await test(retried, {}, { ...mockedFailure, stateConfiguration: { retrierRetryCount: 2 } })).toMatchObject({ status: 'FAILED', error: 'Price.Unavailable' });
      // The first matching retrier decides: a later one that would still retry does not.
      const exhaustedFirst = { ...broken, Retry: [{ ErrorEquals: ['Price.Unavailable'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'], MaxAttempts: 5 }] };
      expect(await test(exhaustedFirst, {}, mockedFailure)).toMatchObject({ status: 'FAILED', error: 'Price.Unavailable' });
      await expect(test({ Type: 'Pass', End: true }, {}, { mock: { result: '1' } })).rejects.toMatchObject({ name: 'ValidationException', message: 'A mock can only be specified for Task, Map, or Parallel states, not Pass' });
      const callback = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'MessageBody.$': '$$.Task.Token' }, End: true };
      await expect(test(callback, {})).rejects.toMatchObject({ name: 'ValidationException' });
      expect(await test(callback, {}, { mock: { result: '{"approved":true}' } })).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });

      // stateName picks a state of a whole state machine, at any depth; the machine's query language applies.
      const machine = {
        QueryLanguage: 'JSONata',
        StartAt: 'Fan',
        States: { Fan: { Type: 'Parallel', Branches: [{ StartAt: 'Quote', States: { Quote: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Price', Arguments: { qty: '{% $states.input.n * 2 %}' }, Assign: { quoted: '{% $states.result.total %}' }, Output: '{% $states.result %}', End: true } } }], End: true } },
      };
      const quoted = await test(machine, { n: 5 }, { stateName: 'Quote', inspectionLevel: 'DEBUG' });
      expect(quoted).toMatchObject({ status: 'SUCCEEDED', output: '{"total":30}' });
      expect(quoted.inspectionData).toEqual({ input: '{"n":5}', afterArguments: '{"qty":10}', result: '{"total":30}', variables: '{"quoted":30}' });
      await expect(test(machine, {}, { stateName: 'Nowhere' })).rejects.toMatchObject({ name: 'ValidationException', message: "State 'Nowhere' does not exist in the state machine definition" });
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});

describe('the official SDK configured for a deployed front door', () => {
  it("signs for API Gateway with signingName 'execute-api', as docs/DEPLOY.md shows", async () => {
    const server = await startLocalServer({ port: 0 });
    const front = await signingFront(server.url);
    const sfn = new SFNClient({ endpoint: front.url, region: 'eu-west-1', signingName: 'execute-api', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } } as SFNClientConfig);
    try {
      const out = await sfn.send(new ListStateMachinesCommand({}));
      expect(out.stateMachines).toEqual([]);
      expect(front.scopes).toEqual(['eu-west-1 execute-api']);
    } finally {
      sfn.destroy();
      front.close();
      await server.close();
    }
  });
});
