/**
 * Tasks invoke with their state machine's role: the Lambda task runner signs
 * each Invoke with the role's assumed credentials (an STS stand-in hands them
 * out; a Lambda stand-in records the key id each Invoke is signed with), and a
 * role without lambda:InvokeFunction fails the task as Step Functions reports it.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { configFromEnv } from '../../lib/aws/environment';
import { LambdaTaskRunner } from '../../lib/aws/lambda-runner';
import { perRole, roleCredentials } from '../../lib/aws/role-credentials';
import { startLambdaEndpoint, type LambdaEndpoint } from '../../harness/lambda-endpoint';
import { startStsEndpoint, type StsEndpoint } from '../../harness/sts-endpoint';
import { setup } from '../service/memory-cloud';

const ACCOUNT = '123456789012';
const ALLOWED = `arn:aws:iam::${ACCOUNT}:role/orders`;
const DENIED = `arn:aws:iam::${ACCOUNT}:role/reports`;
const UNTRUSTED = `arn:aws:iam::${ACCOUNT}:role/stranger`;
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:work`;
const OWN = { accessKeyId: 'AKIATRANSITION', secretAccessKey: 'x' };

describe('the Lambda task runner with state machine roles', () => {
  let sts: StsEndpoint;
  let lambda: LambdaEndpoint;
  let runner: LambdaTaskRunner;
  beforeAll(async () => {
    sts = await startStsEndpoint({ untrusted: new Set([UNTRUSTED]) });
    // The reports role's sessions may not invoke: Lambda refuses them as IAM does.
    lambda = await startLambdaEndpoint(new Map([['work', async (event: unknown) => ({ worked: event })]]), 'us-east-1', ACCOUNT, (keyId) => {
      const issued = sts.keys.get(keyId);
      return issued?.roleArn === DENIED ? issued.assumedRoleArn : undefined;
    });
    const credentialsFor = roleCredentials({ region: 'us-east-1', endpoint: sts.url, credentials: OWN });
    const config = { region: 'us-east-1', endpoint: lambda.url, maxAttempts: 1 };
    runner = new LambdaTaskRunner({
      client: new LambdaClient({ ...config, credentials: OWN }),
      clientFor: perRole((roleArn) => new LambdaClient({ ...config, credentials: credentialsFor(roleArn) })),
      region: 'us-east-1',
      account: ACCOUNT,
    });
  });
  afterAll(async () => {
    await lambda.close();
    await sts.close();
  });
  beforeEach(() => lambda.keyIds.splice(0));

  const machine = (roleArn: string) => {
    const cloud = setup({ tasks: runner });
    const definition = JSON.stringify({
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }], End: true },
        Handled: { Type: 'Pass', End: true },
      },
    });
    return { ...cloud, ready: cloud.driver.putStateMachine('m', definition, roleArn) };
  };

  it('signs the Invoke with the key of the assumed role, assumed once for every task of that role', async () => {
    const { driver, drain, ready } = machine(ALLOWED);
    const { stateMachineArn } = await ready;
    const a = await driver.startExecution(stateMachineArn, { name: 'a', input: { n: 1 } });
    const b = await driver.startExecution(stateMachineArn, { name: 'b', input: { n: 2 } });
    await drain();
    expect((await driver.describeExecution(a.executionArn)).output).toEqual({ worked: { n: 1 } });
    expect((await driver.describeExecution(b.executionArn)).output).toEqual({ worked: { n: 2 } });
    const [key] = lambda.keyIds;
    expect(lambda.keyIds).toEqual([key, key]);
    expect(sts.keys.get(key)).toEqual({ roleArn: ALLOWED, sessionName: 'switchyard', assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/orders/switchyard` });
  });

  it('uses the function’s own credentials for a task that carries no role', async () => {
    const outcome = await runner.run({ resource: FN, parameters: {}, executionArn: 'e', stateMachineArn: 's', stateName: 'T', attempt: 0, attemptId: 'x' }, new AbortController().signal);
    expect(outcome).toEqual({ kind: 'succeeded', output: { worked: {} } });
    expect(lambda.keyIds).toEqual(['AKIATRANSITION']);
  });

  it('fails a denied Invoke with Lambda.AWSLambdaException and the AccessDeniedException cause, which Catch catches', async () => {
    const { driver, drain, ready } = machine(DENIED);
    const { stateMachineArn } = await ready;
    const { executionArn } = await driver.startExecution(stateMachineArn, { name: 'denied', input: {} });
    await drain();
    // A function ARN as Resource: the failure is a LambdaFunctionFailed event, as Step Functions records it.
    const failed = (await driver.getExecutionHistory(executionArn)).find((e) => e.type === 'LambdaFunctionFailed');
    const details = (failed as { lambdaFunctionFailedEventDetails?: { error: string; cause: string } }).lambdaFunctionFailedEventDetails!;
    expect(details.error).toBe('Lambda.AWSLambdaException');
    expect(details.cause).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${ACCOUNT}:assumed-role/reports/switchyard is not authorized to perform: lambda:InvokeFunction on resource: ${FN} because no identity-based policy allows the lambda:InvokeFunction action \\(Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`,
      ),
    );
    const done = await driver.describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ error: { Error: 'Lambda.AWSLambdaException', Cause: details.cause } });
  });

  it('fails the task with States.TaskFailed, invoking nothing, when the role cannot be assumed', async () => {
    const outcome = await runner.run({ resource: FN, parameters: {}, executionArn: 'e', stateMachineArn: 's', stateName: 'T', roleArn: UNTRUSTED, attempt: 0, attemptId: 'x' }, new AbortController().signal);
    expect(outcome).toEqual({
      kind: 'failed',
      error: 'States.TaskFailed',
      cause: `Switchyard could not assume the state machine's role ${UNTRUSTED}: AccessDenied: User: arn:aws:iam::${ACCOUNT}:user/caller is not authorized to perform: sts:AssumeRole on resource: ${UNTRUSTED}`,
    });
    expect(lambda.keyIds).toEqual([]);
  });
});

describe('configFromEnv', () => {
  const base = { SWITCHYARD_TABLE: 't', SWITCHYARD_QUEUE_URL: 'q' };
  it('runs tasks with their state machine roles when the construct says so, and with the function’s role otherwise', () => {
    expect(configFromEnv({ ...base, SWITCHYARD_TASK_ROLES: 'assume', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' })).toMatchObject({ assumeTaskRoles: true, endpoints: { sts: 'http://127.0.0.1:1' } });
    expect(configFromEnv(base).assumeTaskRoles).toBeUndefined();
  });
});
