/**
 * lambda/api.ts with real API Gateway proxy events, driven by the official
 * @aws-sdk/client-sfn through a small HTTP shim that turns each request into
 * the proxy event API Gateway would send — over the cloud runtime on
 * dynalite and fauxqs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidLoggingConfiguration,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { startCloud, type CloudFixture } from '../../harness/fixture';
import { createApiHandler, type ApiGatewayProxyEvent } from '../../lambda/api';

jest.setTimeout(60_000);

let fx: CloudFixture;
let server: Server;
let sfn: SFNClient;
let api: ReturnType<typeof createApiHandler>;

beforeAll(async () => {
  fx = await startCloud(new Map());
  api = createApiHandler(fx.cloud);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // As the REST API sends it: the path without its query string, which comes parsed beside it.
      const url = new URL(req.url ?? '/', 'http://localhost');
      const query = [...url.searchParams.keys()];
      const event: ApiGatewayProxyEvent = {
        httpMethod: req.method ?? 'GET',
        path: url.pathname,
        queryStringParameters: query.length > 0 ? Object.fromEntries(query.map((k) => [k, url.searchParams.getAll(k).at(-1)])) : null,
        multiValueQueryStringParameters: query.length > 0 ? Object.fromEntries(query.map((k) => [k, url.searchParams.getAll(k)])) : null,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
        body: Buffer.concat(chunks).toString('base64'),
        isBase64Encoded: true,
      };
      void api(event).then((r) => {
        res.writeHead(r.statusCode, r.headers);
        res.end(r.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sfn?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  await fx?.stop();
});

const definition = JSON.stringify({
  StartAt: 'Greet',
  States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, Next: 'Done' }, Done: { Type: 'Succeed' } },
});

async function until(arn: string): Promise<import('@aws-sdk/client-sfn').DescribeExecutionCommandOutput> {
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    if (out.status !== 'RUNNING') return out;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('lambda/api.ts with @aws-sdk/client-sfn', () => {
  let stateMachineArn: string;

  it('creates a state machine, starts an execution and describes it', async () => {
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'hello', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }));
    stateMachineArn = created.stateMachineArn!;
    expect(stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:hello');
    expect(created.creationDate).toBeInstanceOf(Date);
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'first', input: '{"name":"Ada"}' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:hello:first');
    const done = await until(started.executionArn!);
    expect(done).toMatchObject({ status: 'SUCCEEDED', name: 'first', stateMachineArn, input: '{"name":"Ada"}', output: '{"greeting":"Hello, Ada!"}' });
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(done.startDate!.getTime());
  });

  it('is idempotent by name for the same input and refuses a different one', async () => {
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'twice', input: '{"name":"B"}' }));
    await until(again.executionArn!);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'twice', input: '{"name":"C"}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('pages through the history with nextToken, in either order', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:hello:first';
    const types: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      expect(page.events!.length).toBeLessThanOrEqual(2);
      types.push(...page.events!.map((e) => e.type!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(types).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, includeExecutionData: false }));
    expect(reversed.events!.map((e) => e.id)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(reversed.events![0].executionSucceededEventDetails).toEqual({ outputDetails: { truncated: false } });
    const full = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    expect(full.events![2].stateExitedEventDetails).toEqual({ name: 'Greet', output: '{"greeting":"Hello, Ada!"}', outputDetails: { truncated: false } });
    expect(full.events![0].timestamp).toBeInstanceOf(Date);
  });

  it("lists a state machine's executions newest first, filtered by status, a page at a time", async () => {
    const { ListExecutionsCommand } = await import('@aws-sdk/client-sfn');
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(all.executions!.map((e) => e.name).sort()).toEqual(['first', 'twice']);
    expect(all.executions!.every((e) => e.status === 'SUCCEEDED' && e.stopDate instanceof Date)).toBe(true);
    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }));
    expect(first.executions).toHaveLength(1);
    const second = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1, nextToken: first.nextToken }));
    expect(second.executions).toHaveLength(1);
    expect(second.nextToken).toBeUndefined();
    expect(new Set([first.executions![0].name, second.executions![0].name])).toEqual(new Set(['first', 'twice']));
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }))).executions).toEqual([]);
  });

  it("serves the REST surface's ?name= from the query string the REST API hands over parsed", async () => {
    const started = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/state-machines/hello/executions?name=named`, { method: 'POST', body: '{"name":"Cy"}' });
    expect(started.status).toBe(201);
    expect(await started.json()).toMatchObject({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:hello:named' });
  });

  it('stops a running execution', async () => {
    const waits = await sfn.send(new CreateStateMachineCommand({ name: 'waits', definition: '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}', roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: waits.stateMachineArn }));
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'by test' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(await until(executionArn!)).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by test' });
  });

  it('raises the service exceptions the SDK knows', async () => {
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:hello:nope' }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }))).rejects.toBeInstanceOf(InvalidArn);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:absent' }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{not json' }))).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
    const { InvalidName } = await import('@aws-sdk/client-sfn');
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'has space' }))).rejects.toBeInstanceOf(InvalidName);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'x'.repeat(81) }))).rejects.toBeInstanceOf(InvalidName);
    const dotted = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'order.7+retry', input: '{"name":"Dot"}' }));
    expect(dotted.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:hello:order.7+retry');
    const bad = sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: '{"StartAt":"X","States":{}}', roleArn: 'arn:aws:iam::123456789012:role/r' }));
    await expect(bad).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(bad).rejects.toThrow(/MISSING_TRANSITION_TARGET|X/);
  });

  it('answers a non-POST request and a malformed body with the protocol errors, not a stack trace', async () => {
    const get = await api({ httpMethod: 'GET', path: '/', headers: {}, body: null });
    expect(get.statusCode).toBe(405);
    const malformed = await api({ httpMethod: 'POST', path: '/', headers: { 'X-Amz-Target': 'AWSStepFunctions.StartExecution' }, body: '{oops' });
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(malformed.body)).toEqual({ __type: 'SerializationException', message: 'The request body is not valid JSON' });
    const unknown = await api({ httpMethod: 'POST', path: '/', headers: { 'x-amz-target': 'AWSStepFunctions.Nope' }, body: '{}' });
    expect(JSON.parse(unknown.body).__type).toBe('UnknownOperationException');
  });

  it('refuses a request over the configured size with 413 ValidationException and stores nothing', async () => {
    const limited = createApiHandler(fx.cloud, { maxRequestBytes: 1024 });
    const body = JSON.stringify({ name: 'too-big', definition: JSON.stringify({ Comment: 'x'.repeat(2000), StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), roleArn: 'arn:aws:iam::123456789012:role/r' });
    const refused = await limited({ httpMethod: 'POST', path: '/', headers: { 'X-Amz-Target': 'AWSStepFunctions.CreateStateMachine' }, body });
    expect(refused).toEqual({ statusCode: 413, headers: { 'Content-Type': 'application/x-amz-json-1.0' }, body: '{"__type":"ValidationException","message":"The request is larger than 1024 bytes"}' });
    expect((await fx.cloud.driver.listStateMachines()).map((m) => m.name)).not.toContain('too-big');
  });
});

describe('activities through the API', () => {
  it('hands a scheduled activity task to one worker, takes heartbeats and completes it with SendTaskSuccess', async () => {
    const { CreateActivityCommand, GetActivityTaskCommand, SendTaskHeartbeatCommand, DescribeActivityCommand, ActivityDoesNotExist } = await import('@aws-sdk/client-sfn');
    const activity = await sfn.send(new CreateActivityCommand({ name: 'review' }));
    expect(activity.activityArn).toBe('arn:aws:states:us-east-1:123456789012:activity:review');
    const machine = await sfn.send(
      new CreateStateMachineCommand({
        name: 'reviewed',
        definition: JSON.stringify({ StartAt: 'Review', States: { Review: { Type: 'Task', Resource: activity.activityArn, HeartbeatSeconds: 60, ResultPath: '$.review', End: true } } }),
        roleArn: 'arn:aws:iam::123456789012:role/r',
      }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: '{"doc":42}' }));
    const task = await sfn.send(new GetActivityTaskCommand({ activityArn: activity.activityArn, workerName: 'w1' }));
    expect(JSON.parse(task.input!)).toEqual({ doc: 42 });
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"ok":true}' }));
    expect(await until(executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"doc":42,"review":{"ok":true}}' });
    const types = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    const started = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events![3];
    expect(started.activityStartedEventDetails).toEqual({ workerName: 'w1' });
    expect((await sfn.send(new DescribeActivityCommand({ activityArn: activity.activityArn }))).name).toBe('review');
    await expect(sfn.send(new DescribeActivityCommand({ activityArn: 'arn:aws:states:us-east-1:123456789012:activity:none' }))).rejects.toBeInstanceOf(ActivityDoesNotExist);
  });
});

describe('state machine lifecycle, validation and tags through the API', () => {
  it('updates a state machine to a new revision while a running execution keeps its own, lists and deletes it', async () => {
    const sdk = await import('@aws-sdk/client-sfn');
    const v1 = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    const v2 = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'lifecycle', definition: v1, roleArn: 'arn:aws:iam::123456789012:role/r', tags: [{ key: 'team', value: 'core' }] }));
    // The same request again is answered with the same state machine; a different one is refused.
    expect((await sfn.send(new CreateStateMachineCommand({ name: 'lifecycle', definition: v1, roleArn: 'arn:aws:iam::123456789012:role/r' }))).stateMachineArn).toBe(created.stateMachineArn);
    await expect(sfn.send(new CreateStateMachineCommand({ name: 'lifecycle', definition: v2, roleArn: 'arn:aws:iam::123456789012:role/r' }))).rejects.toBeInstanceOf(sdk.StateMachineAlreadyExists);

    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: created.stateMachineArn }));
    const before = await sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    const updated = await sfn.send(new sdk.UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: v2 }));
    expect(updated.revisionId).not.toBe(before.revisionId);
    expect((await sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }))).definition).toBe(v2);
    const forExecution = await sfn.send(new sdk.DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(forExecution).toMatchObject({ definition: v1, revisionId: before.revisionId });

    const listed = await sfn.send(new sdk.ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((m) => m.name)).toContain('lifecycle');
    expect((await sfn.send(new sdk.ListTagsForResourceCommand({ resourceArn: created.stateMachineArn }))).tags).toEqual([{ key: 'team', value: 'core' }]);
    await sfn.send(new sdk.TagResourceCommand({ resourceArn: created.stateMachineArn, tags: [{ key: 'env', value: 'test' }] }));
    await sfn.send(new sdk.UntagResourceCommand({ resourceArn: created.stateMachineArn, tagKeys: ['team'] }));
    expect((await sfn.send(new sdk.ListTagsForResourceCommand({ resourceArn: created.stateMachineArn }))).tags).toEqual([{ key: 'env', value: 'test' }]);

    await sfn.send(new StopExecutionCommand({ executionArn }));
    await sfn.send(new sdk.DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    await expect(sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }))).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
  });

  it('keeps a logging configuration, describes it, refuses a bad one with InvalidLoggingConfiguration, and changes it without a new revision', async () => {
    const logGroupArn = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/logged:*';
    const plain = await sfn.send(new CreateStateMachineCommand({ name: 'unlogged', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const unlogged = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: plain.stateMachineArn }));
    expect([unlogged.loggingConfiguration, unlogged.tracingConfiguration]).toEqual([{ level: 'OFF', includeExecutionData: false }, { enabled: false }]);
    const loggingConfiguration = { level: 'ERROR' as const, includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'logged', definition, roleArn: 'arn:aws:iam::123456789012:role/r', loggingConfiguration }));
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.loggingConfiguration).toEqual(loggingConfiguration);
    const bad = sfn.send(new CreateStateMachineCommand({ name: 'bad-logs', definition, roleArn: 'arn:aws:iam::123456789012:role/r', loggingConfiguration: { level: 'ALL' } }));
    await expect(bad).rejects.toThrow(InvalidLoggingConfiguration);
    await expect(bad).rejects.toThrow('Invalid Logging Configuration: Must specify exactly one Log Destination.');
    const noStar = { level: 'ALL' as const, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: logGroupArn.slice(0, -2) } }] };
    await expect(sfn.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: noStar }))).rejects.toThrow("Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.");
    const off = { level: 'OFF' as const, includeExecutionData: false };
    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: off }));
    expect(updated.revisionId).toBe(described.revisionId);
    expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).loggingConfiguration).toEqual(off);
    await expect(sfn.send(new UpdateStateMachineCommand({ stateMachineArn }))).rejects.toThrow('Either the definition, the roleArn, the loggingConfiguration, the tracingConfiguration or the encryptionConfiguration must be specified');
  });

  it('validates a definition like ValidateStateMachineDefinition, every problem with its code and location', async () => {
    const sdk = await import('@aws-sdk/client-sfn');
    const ok = await sfn.send(new sdk.ValidateStateMachineDefinitionCommand({ definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' }));
    expect(ok).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
    const bad = await sfn.send(new sdk.ValidateStateMachineDefinitionCommand({ definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"Nowhere"}}}' }));
    expect(bad.result).toBe('FAIL');
    expect(bad.diagnostics).toContainEqual(expect.objectContaining({ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', location: '/States/P/Next' }));
  });
});

describe('versions and aliases through the API', () => {
  it('publishes versions, routes an alias to one and runs executions through it', async () => {
    const sdk = await import('@aws-sdk/client-sfn');
    const def = (result: string) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'versioned', definition: def('one'), roleArn: 'arn:aws:iam::123456789012:role/r', publish: true, versionDescription: 'first' }));
    const base = created.stateMachineArn!;
    expect(created.stateMachineVersionArn).toBe(`${base}:1`);
    const updated = await sfn.send(new sdk.UpdateStateMachineCommand({ stateMachineArn: base, definition: def('two'), publish: true }));
    expect(updated.stateMachineVersionArn).toBe(`${base}:2`);
    // Publishing an unchanged revision again answers with the latest version.
    expect((await sfn.send(new sdk.PublishStateMachineVersionCommand({ stateMachineArn: base }))).stateMachineVersionArn).toBe(`${base}:2`);
    const versions = await sfn.send(new sdk.ListStateMachineVersionsCommand({ stateMachineArn: base }));
    expect(versions.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${base}:2`, `${base}:1`]);
    expect(await sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: `${base}:1` }))).toMatchObject({ stateMachineArn: `${base}:1`, definition: def('one'), description: 'first' });

    const alias = await sfn.send(new sdk.CreateStateMachineAliasCommand({ name: 'prod', routingConfiguration: [{ stateMachineVersionArn: `${base}:1`, weight: 100 }] }));
    expect(alias.stateMachineAliasArn).toBe(`${base}:prod`);
    const viaAlias = await sfn.send(new StartExecutionCommand({ stateMachineArn: alias.stateMachineAliasArn }));
    expect(await until(viaAlias.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"one"', stateMachineAliasArn: `${base}:prod`, stateMachineVersionArn: `${base}:1` });
    await sfn.send(new sdk.UpdateStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: `${base}:2`, weight: 100 }] }));
    const viaAlias2 = await sfn.send(new StartExecutionCommand({ stateMachineArn: alias.stateMachineAliasArn }));
    expect(await until(viaAlias2.executionArn!)).toMatchObject({ output: '"two"', stateMachineVersionArn: `${base}:2` });
    const viaVersion = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${base}:1` }));
    expect(await until(viaVersion.executionArn!)).toMatchObject({ output: '"one"', stateMachineVersionArn: `${base}:1` });
    expect((await sfn.send(new sdk.DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }))).routingConfiguration).toEqual([{ stateMachineVersionArn: `${base}:2`, weight: 100 }]);
    // A version or alias ARN lists the executions started through it, each naming both.
    const listed = async (stateMachineArn: string) => (await sfn.send(new sdk.ListExecutionsCommand({ stateMachineArn }))).executions!.map((e) => [e.executionArn, e.stateMachineVersionArn, e.stateMachineAliasArn]);
    expect(await listed(`${base}:1`)).toEqual([
      [viaVersion.executionArn, `${base}:1`, undefined],
      [viaAlias.executionArn, `${base}:1`, `${base}:prod`],
    ]);
    expect(await listed(alias.stateMachineAliasArn!)).toEqual([
      [viaAlias2.executionArn, `${base}:2`, `${base}:prod`],
      [viaAlias.executionArn, `${base}:1`, `${base}:prod`],
    ]);
    expect(await listed(base)).toHaveLength(3);

    await expect(sfn.send(new sdk.DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${base}:2` }))).rejects.toBeInstanceOf(sdk.ConflictException);
    await expect(sfn.send(new sdk.CreateStateMachineAliasCommand({ name: 'bad', routingConfiguration: [{ stateMachineVersionArn: `${base}:9`, weight: 100 }] }))).rejects.toBeInstanceOf(sdk.ResourceNotFound);
    await sfn.send(new sdk.DeleteStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }));
    await sfn.send(new sdk.DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${base}:2` }));
    expect((await sfn.send(new sdk.ListStateMachineVersionsCommand({ stateMachineArn: base }))).stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${base}:1`]);
    expect((await sfn.send(new sdk.ListStateMachineAliasesCommand({ stateMachineArn: base }))).stateMachineAliases).toEqual([]);
  });
});

describe('RedriveExecution through the API', () => {
  it('continues a failed execution from the state that failed, with the same input, and counts the redrive', async () => {
    const sdk = await import('@aws-sdk/client-sfn');
    // Flaky fails on the first run (index 1 of [0]) and succeeds after one redrive (index 1 of [0, 1]).
    const definition = JSON.stringify({
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Result: 'done once', ResultPath: '$.first', Next: 'Flaky' },
        Flaky: {
          Type: 'Pass',
          Parameters: { 'first.$': '$.first', 'pick.$': 'States.ArrayGetItem(States.ArrayRange(0, $$.Execution.RedriveCount, 1), 1)', 'count.$': '$$.Execution.RedriveCount' },
          End: true,
        },
      },
    });
    const sm = await sfn.send(new CreateStateMachineCommand({ name: 'redrivable', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{"order":5}' }));
    const failed = await until(executionArn!);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.IntrinsicFailure', redriveStatus: 'REDRIVABLE', redriveCount: 0 });
    const redriven = await sfn.send(new sdk.RedriveExecutionCommand({ executionArn }));
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    const done = await until(executionArn!);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"first":"done once","pick":1,"count":1}',
      redriveCount: 1,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    });
    const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect(history.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'ExecutionFailed',
      'ExecutionRedriven', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    expect(history[5].executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    await expect(sfn.send(new sdk.RedriveExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(sdk.ExecutionNotRedrivable);
    const other = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{"order":5}' }));
    await until(other.executionArn!);
    const byRedrive = async (redriveFilter: 'REDRIVEN' | 'NOT_REDRIVEN') =>
      (await sfn.send(new sdk.ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn, redriveFilter }))).executions!.map((e) => [e.executionArn, e.redriveCount, e.redriveDate !== undefined]);
    expect(await byRedrive('REDRIVEN')).toEqual([[executionArn, 1, true]]);
    expect(await byRedrive('NOT_REDRIVEN')).toEqual([[other.executionArn, 0, false]]);
  });
});
