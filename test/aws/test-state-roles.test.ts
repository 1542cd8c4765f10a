/**
 * TestState in the cloud runs its task with the role it is given: the API
 * function's cloud (cloudFromConfig with task roles assumed, as the
 * construct sets SWITCHYARD_TASK_ROLES=assume on it) assumes `roleArn`
 * through STS (the STS stand-in hands out the keys) and invokes with those
 * keys (the Lambda stand-in records the key id each Invoke is signed with);
 * a role that may not invoke fails the test as Step Functions reports a
 * denied invoke.
 */
import { routeRequest } from '../../lib/service/api';
import { cloudFromConfig, type Cloud } from '../../lib/aws/environment';
import { startLambdaEndpoint, type LambdaEndpoint } from '../../harness/lambda-endpoint';
import { startStsEndpoint, type StsEndpoint } from '../../harness/sts-endpoint';

const ACCOUNT = '123456789012';
const ORDERS = `arn:aws:iam::${ACCOUNT}:role/orders`;
const REPORTS = `arn:aws:iam::${ACCOUNT}:role/reports`;
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:work`;
const OWN = { accessKeyId: 'AKIAAPIFUNCTION', secretAccessKey: 'x' };

let sts: StsEndpoint;
let lambda: LambdaEndpoint;
let cloud: Cloud;
beforeAll(async () => {
  sts = await startStsEndpoint();
  lambda = await startLambdaEndpoint(new Map([['work', async (event: unknown) => ({ worked: event })]]), 'us-east-1', ACCOUNT, (keyId) => {
    const issued = sts.keys.get(keyId);
    return issued?.roleArn === REPORTS ? issued.assumedRoleArn : undefined;
  });
  cloud = cloudFromConfig({ tableName: 'unused', queueUrl: 'unused', region: 'us-east-1', account: ACCOUNT, endpoints: { lambda: lambda.url, sts: sts.url, dynamodb: 'http://127.0.0.1:9' }, credentials: OWN, assumeTaskRoles: true });
});
afterAll(async () => {
  for (const c of Object.values(cloud.clients)) c.destroy();
  await lambda.close();
  await sts.close();
});
beforeEach(() => lambda.keyIds.splice(0));

const testState = async (roleArn?: string) => {
  const body = JSON.stringify({ definition: JSON.stringify({ Type: 'Task', Resource: FN, End: true }), input: '{"n":1}', ...(roleArn !== undefined ? { roleArn } : {}) });
  const response = await routeRequest(cloud.driver, { method: 'POST', path: '/', headers: { 'x-amz-target': 'AWSStepFunctions.TestState' }, body });
  return JSON.parse(response.body) as { status: string; output?: string; error?: string; cause?: string };
};

it('invokes with the keys of the role it is given, assumed through STS', async () => {
  expect(await testState(ORDERS)).toEqual({ status: 'SUCCEEDED', output: '{"worked":{"n":1}}' });
  const [key] = lambda.keyIds;
  expect(lambda.keyIds).toHaveLength(1);
  expect(sts.keys.get(key!)).toEqual({ roleArn: ORDERS, sessionName: 'switchyard', assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/orders/switchyard` });
});

it('invokes with the API function’s own credentials when it is given no role', async () => {
  const calls = sts.calls.length;
  expect(await testState()).toEqual({ status: 'SUCCEEDED', output: '{"worked":{"n":1}}' });
  expect(lambda.keyIds).toEqual(['AKIAAPIFUNCTION']);
  expect(sts.calls).toHaveLength(calls);
});

it('fails as a denied invoke when the role it is given may not invoke the function', async () => {
  const answer = await testState(REPORTS);
  expect([answer.status, answer.error]).toEqual(['FAILED', 'Lambda.AWSLambdaException']);
  expect(answer.cause).toMatch(
    new RegExp(`^User: arn:aws:sts::${ACCOUNT}:assumed-role/reports/switchyard is not authorized to perform: lambda:InvokeFunction on resource: ${FN} because no identity-based policy allows the lambda:InvokeFunction action \\(Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`),
  );
});
