import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register, respond, type CustomResourceEvent } from '../../lambda/register';
import type { Cloud } from '../../lib/aws/environment';
import { setup } from '../service/memory-cloud';

const definition = (result: string) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
const event = (type: CustomResourceEvent['RequestType'], def: string, extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent => ({
  RequestType: type,
  ResponseURL: 'unused',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Switchyard/1',
  RequestId: 'r-1',
  LogicalResourceId: 'OrdersRegistration',
  ResourceProperties: { Name: 'orders', Type: 'STANDARD', Definition: def, Tags: { team: 'shop' } },
  ...extra,
});

describe('registration custom resource', () => {
  it('registers on Create, makes a new revision on Update that running executions do not see, and deletes on Delete', async () => {
    const { driver, drain } = setup();
    const cloud = { driver } as unknown as Cloud;
    const created = await register(cloud, event('Create', definition('v1')));
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn, Data: { StateMachineArn: arn }, LogicalResourceId: 'OrdersRegistration', RequestId: 'r-1' });
    expect(await driver.listTags(arn)).toEqual({ team: 'shop' });
    const { executionArn } = await driver.startExecution(arn, {});
    const updated = await register(cloud, event('Update', definition('v2'), { PhysicalResourceId: arn }));
    expect(updated.Data!.RevisionId).not.toBe(created.Data!.RevisionId);
    await drain();
    expect((await driver.describeExecution(executionArn)).output).toBe('v1');
    const second = await driver.startExecution(arn, {});
    await drain();
    expect((await driver.describeExecution(second.executionArn)).output).toBe('v2');
    expect(await register(cloud, event('Delete', definition('v2'), { PhysicalResourceId: arn }))).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
    await expect(driver.describeStateMachine(arn)).rejects.toThrow(`State Machine Does Not Exist: '${arn}'`);
  });

  it('registers the state machine with the role the construct made for it', async () => {
    const { driver } = setup();
    const cloud = { driver } as unknown as Cloud;
    const role = 'arn:aws:iam::123456789012:role/Test-YardordersRole1234';
    const base = event('Create', definition('v1'));
    await register(cloud, { ...base, ResourceProperties: { ...base.ResourceProperties, RoleArn: role } });
    expect((await driver.describeStateMachine('arn:aws:states:us-east-1:123456789012:stateMachine:orders')).roleArn).toBe(role);
  });

  it('fails an invalid definition with the validation errors as the reason, and deleting it after is a no-op', async () => {
    const { driver } = setup();
    const cloud = { driver } as unknown as Cloud;
    const bad = JSON.stringify({ StartAt: 'Nope', States: { P: { Type: 'Pass', End: true } } });
    const failed = await register(cloud, event('Create', bad));
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toContain('MISSING_TRANSITION_TARGET');
    expect(failed.PhysicalResourceId).toBe('failed-r-1');
    expect(await register(cloud, event('Delete', bad, { PhysicalResourceId: 'failed-r-1' }))).toMatchObject({ Status: 'SUCCESS' });
  });

  it('registers logging and retention from the properties CloudFormation passes as strings, and fails a log group ARN without its qualifier', async () => {
    const { driver } = setup();
    const cloud = { driver } as unknown as Cloud;
    const logGroupArn = 'arn:aws:logs:us-east-1:123456789012:log-group:orders-logs:*';
    const props = { Name: 'orders', Definition: definition('v1'), Logging: { Level: 'ALL' as const, IncludeExecutionData: 'true', LogGroupArn: logGroupArn }, RetentionSeconds: '604800' };
    expect(await register(cloud, event('Create', '', { ResourceProperties: props }))).toMatchObject({ Status: 'SUCCESS' });
    const sm = await driver.describeStateMachine('arn:aws:states:us-east-1:123456789012:stateMachine:orders');
    expect(sm.loggingConfiguration).toEqual({ level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] });
    expect(sm.retentionSeconds).toBe(604_800);
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, {});
    expect((await driver.describeExecution(executionArn)).retentionSeconds).toBe(604_800);
    const bad = await register(cloud, event('Update', '', { ResourceProperties: { ...props, Logging: { ...props.Logging, LogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:orders-logs' } } }));
    expect(bad).toMatchObject({ Status: 'FAILED', Reason: "Error: Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier." });
  });

  it("PUTs the response to CloudFormation's URL with an empty content type", async () => {
    const received: { method?: string; type?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ method: req.method, type: req.headers['content-type'], body });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned?X-Amz-Signature=abc`;
      await respond(url, { Status: 'SUCCESS', PhysicalResourceId: 'p', StackId: 's', RequestId: 'r', LogicalResourceId: 'l' });
      expect(received).toEqual([{ method: 'PUT', type: '', body: '{"Status":"SUCCESS","PhysicalResourceId":"p","StackId":"s","RequestId":"r","LogicalResourceId":"l"}' }]);
    } finally {
      server.close();
    }
  });
});
