/** The SDK task runner over a stand-in client package: outcomes, error names, causes and output shapes. */
import { pascalServiceName } from '../../../lib/aws/integrations';
import { SdkTaskRunner } from '../../../lib/aws/integrations/sdk-runner';
import type { TaskInvocation } from '../../../lib/engine/ports/task-runner';

const invocation = (resource: string, parameters: object = {}): TaskInvocation => ({
  resource,
  parameters: parameters as never,
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
  stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
  stateName: 'T',
  attempt: 0,
  attemptId: 'a',
});

class ServiceError extends Error {
  constructor(name: string, message: string, readonly $metadata: { httpStatusCode: number; requestId: string }) {
    super(message);
    this.name = name;
  }
}

/** A client package with one client class; `send` answers from `answer`. */
function fakePackage(serviceId: string, answer: (command: { input: unknown; name: string }) => unknown) {
  const sent: { name: string; input: unknown; config: Record<string, unknown> }[] = [];
  class FakeClient {
    readonly config: { serviceId: string };
    constructor(readonly options: Record<string, unknown>) {
      this.config = { serviceId };
    }
    async send(command: { input: unknown; name: string }) {
      sent.push({ name: command.name, input: command.input, config: this.options });
      return answer(command);
    }
    destroy() {}
  }
  const command = (name: string) =>
    class {
      readonly name = name;
      readonly middlewareStack = { add: () => undefined };
      constructor(readonly input: unknown) {}
    };
  return { sent, module: { FakeClient, PutItemCommand: command('PutItem'), GetObjectCommand: command('GetObject'), SendMessageCommand: command('SendMessage'), PublishCommand: command('Publish'), RunTaskCommand: command('RunTask'), SubmitJobCommand: command('SubmitJob'), StartJobRunCommand: command('StartJobRun') } };
}

describe('SdkTaskRunner', () => {
  it('returns the output without $metadata, dates as ISO text and bytes as base64, calling the endpoint given without retries', async () => {
    const pkg = fakePackage('S3', () => ({ $metadata: { httpStatusCode: 200 }, LastModified: new Date('2026-12-01T00:00:00Z'), Bytes: new Uint8Array([104, 105]), Body: { transformToString: async () => 'text' } }));
    const runner = new SdkTaskRunner({ region: 'eu-west-1', endpoints: { s3: 'http://127.0.0.1:9' }, load: () => pkg.module });
    const outcome = await runner.run(invocation('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k' }), new AbortController().signal);
    expect(outcome).toEqual({ kind: 'succeeded', output: { LastModified: '2026-12-01T00:00:00.000Z', Bytes: 'aGk=', Body: 'text' } });
    expect(pkg.sent).toEqual([{ name: 'GetObject', input: { Bucket: 'b', Key: 'k' }, config: { region: 'eu-west-1', maxAttempts: 1, endpoint: 'http://127.0.0.1:9', forcePathStyle: true } }]);
  });

  it('names an aws-sdk error <Service>.<Name>Exception with the Java SDK 2 cause', async () => {
    const pkg = fakePackage('S3', () => {
      throw new ServiceError('NoSuchKey', 'The specified key does not exist.', { httpStatusCode: 404, requestId: 'R1' });
    });
    const runner = new SdkTaskRunner({ load: () => pkg.module });
    expect(await runner.run(invocation('arn:aws:states:::aws-sdk:s3:getObject'), new AbortController().signal)).toEqual({
      kind: 'failed',
      error: 'S3.NoSuchKeyException',
      cause: 'The specified key does not exist. (Service: S3, Status Code: 404, Request ID: R1)',
    });
  });

  // The optimized prefixes are `SQS.` and `SNS.` and the exception with Java SDK 1's name, as histories recorded on
  // AWS show them (searched, no Step Functions page lists them): `SQS.QueueDoesNotExistException` caught in a
  // TestState walkthrough, and `{"error": "SNS.InvalidParameterException", "cause": "Invalid parameter: Topic Name
  // (Service: AmazonSNS; Status Code: 400; …)"}` from a failed sns:publish.
  it('names an optimized integration error with its own prefix and the Java SDK 1 cause', async () => {
    const pkg = fakePackage('SQS', () => {
      throw new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.', { httpStatusCode: 400, requestId: 'R2' });
    });
    const runner = new SdkTaskRunner({ load: () => pkg.module });
    expect(await runner.run(invocation('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'q', MessageBody: 'm' }), new AbortController().signal)).toEqual({
      kind: 'failed',
      error: 'SQS.QueueDoesNotExistException',
      cause: 'The specified queue does not exist. (Service: AmazonSQS; Status Code: 400; Error Code: QueueDoesNotExist; Request ID: R2; Proxy: null)',
    });
  });

  it('names an sns:publish error SNS.<Name>Exception with AmazonSNS in its cause', async () => {
    const pkg = fakePackage('SNS', () => {
      throw new ServiceError('InvalidParameterException', 'Invalid parameter: Topic Name', { httpStatusCode: 400, requestId: 'R3' });
    });
    const runner = new SdkTaskRunner({ load: () => pkg.module });
    expect(await runner.run(invocation('arn:aws:states:::sns:publish', { TopicArn: 't', Message: 'm' }), new AbortController().signal)).toEqual({
      kind: 'failed',
      error: 'SNS.InvalidParameterException',
      cause: 'Invalid parameter: Topic Name (Service: AmazonSNS; Status Code: 400; Error Code: InvalidParameterException; Request ID: R3; Proxy: null)',
    });
  });

  it('fails a call that never reached the service as States.TaskFailed, so Retry can try it again', async () => {
    const pkg = fakePackage('SQS', () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    });
    const runner = new SdkTaskRunner({ load: () => pkg.module });
    expect(await runner.run(invocation('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'q', MessageBody: 'm' }), new AbortController().signal)).toEqual({
      kind: 'failed',
      error: 'States.TaskFailed',
      cause: 'sqs:sendMessage failed: connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  it('leaves a .waitForTaskToken task pending once the call is made', async () => {
    const pkg = fakePackage('SQS', () => ({ MessageId: 'm-1' }));
    const runner = new SdkTaskRunner({ load: () => pkg.module });
    expect(await runner.run(invocation('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { QueueUrl: 'q', MessageBody: { token: 't' } }), new AbortController().signal)).toEqual({ kind: 'pending' });
    expect(pkg.sent.map((s) => s.input)).toEqual([{ QueueUrl: 'q', MessageBody: '{"token":"t"}' }]);
  });

  it('fails an action the package does not have, and a .sync task given no token, with States.Runtime', async () => {
    const pkg = fakePackage('S3', () => ({}));
    const runner = new SdkTaskRunner({ load: () => pkg.module });
    expect(await runner.run(invocation('arn:aws:states:::aws-sdk:s3:frobnicate'), new AbortController().signal)).toEqual({
      kind: 'failed',
      error: 'States.Runtime',
      cause: "The resource 'arn:aws:states:::aws-sdk:s3:frobnicate' is not recognized: @aws-sdk/client-s3 has no FrobnicateCommand.",
    });
    const batch = fakePackage('Batch', () => ({ jobArn: 'arn:aws:batch:us-east-1:123456789012:job/j-1', jobId: 'j-1', jobName: 'n' }));
    expect(await new SdkTaskRunner({ load: () => batch.module }).run(invocation('arn:aws:states:::batch:submitJob.sync'), new AbortController().signal)).toEqual({
      kind: 'failed',
      error: 'States.Runtime',
      cause: "The resource 'arn:aws:states:::batch:submitJob.sync' waits for its job, and the driver gave its attempt no token.",
    });
  });

  it('fails with States.Runtime naming the client package to install when it is missing', async () => {
    const runner = new SdkTaskRunner();
    expect(await runner.run(invocation('arn:aws:states:::aws-sdk:nosuchservice:doThing'), new AbortController().signal)).toEqual({
      kind: 'failed',
      error: 'States.Runtime',
      cause:
        "The resource 'arn:aws:states:::aws-sdk:nosuchservice:doThing' cannot run: The AWS SDK client @aws-sdk/client-nosuchservice is not installed; install it next to Switchyard (npm install @aws-sdk/client-nosuchservice) to call this service.",
    });
  });

  it('calls with the credentials of the invocation role when it has them', async () => {
    const pkg = fakePackage('DynamoDB', () => ({}));
    const provider = async () => ({ accessKeyId: 'role', secretAccessKey: 'secret' });
    const runner = new SdkTaskRunner({ load: () => pkg.module, credentialsFor: (role) => (role === 'arn:aws:iam::123456789012:role/r' ? provider : undefined) });
    await runner.run({ ...invocation('arn:aws:states:::aws-sdk:dynamodb:putItem'), roleArn: 'arn:aws:iam::123456789012:role/r' }, new AbortController().signal);
    expect(pkg.sent[0].config.credentials).toBe(provider);
  });
});

describe('ecs:runTask', () => {
  it('sends the PascalCase parameters in ECS’s camelCase and gives the result in PascalCase, with the SDK HTTP metadata', async () => {
    const pkg = fakePackage('ECS', () => ({
      $metadata: { httpStatusCode: 200, requestId: 'R7' },
      tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/c/t1', lastStatus: 'PROVISIONING', containers: [{ name: 'app', lastStatus: 'PENDING' }], tags: [{ key: 'k', value: 'v' }] }],
      failures: [],
    }));
    const runner = new SdkTaskRunner({ load: () => pkg.module });
    const parameters = {
      Cluster: 'c',
      TaskDefinition: 'job:3',
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'ENABLED' } },
      Overrides: { ContainerOverrides: [{ Name: 'app', Environment: [{ Name: 'MODE', Value: 'full' }] }] },
    };
    const outcome = await runner.run(invocation('arn:aws:states:::ecs:runTask', parameters), new AbortController().signal);
    expect(pkg.sent[0]!.input).toEqual({
      cluster: 'c',
      taskDefinition: 'job:3',
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'ENABLED' } },
      overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'MODE', value: 'full' }] }] },
    });
    expect(outcome).toEqual({
      kind: 'succeeded',
      output: {
        Tasks: [{ TaskArn: 'arn:aws:ecs:us-east-1:123456789012:task/c/t1', LastStatus: 'PROVISIONING', Containers: [{ Name: 'app', LastStatus: 'PENDING' }], Tags: [{ Key: 'k', Value: 'v' }] }],
        Failures: [],
        SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 },
        SdkResponseMetadata: { RequestId: 'R7' },
      },
    });
  });

  it('names ECS’s errors ECS.<Name> with the Java SDK 1 cause', async () => {
    const pkg = fakePackage('ECS', () => {
      throw new ServiceError('ClusterNotFoundException', 'Cluster not found.', { httpStatusCode: 400, requestId: 'R8' });
    });
    const runner = new SdkTaskRunner({ load: () => pkg.module });
    expect(await runner.run(invocation('arn:aws:states:::ecs:runTask', { Cluster: 'gone', TaskDefinition: 'job' }), new AbortController().signal)).toEqual({
      kind: 'failed',
      error: 'ECS.ClusterNotFoundException',
      cause: 'Cluster not found. (Service: AmazonECS; Status Code: 400; Error Code: ClusterNotFoundException; Request ID: R8; Proxy: null)',
    });
  });

  it('fails .sync and .waitForTaskToken with AmazonECS.Unknown when RunTask answers with Failures, and request-response not', async () => {
    const failures = [{ arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/i', reason: 'RESOURCE:MEMORY' }];
    const pkg = fakePackage('ECS', () => ({ $metadata: { httpStatusCode: 200 }, tasks: [], failures }));
    const runner = new SdkTaskRunner({ load: () => pkg.module });
    const refused = { kind: 'failed', error: 'AmazonECS.Unknown', cause: '[{"Arn":"arn:aws:ecs:us-east-1:123456789012:container-instance/i","Reason":"RESOURCE:MEMORY"}]' };
    expect(await runner.run({ ...invocation('arn:aws:states:::ecs:runTask.sync', {}), taskToken: 't' }, new AbortController().signal)).toEqual(refused);
    expect(await runner.run({ ...invocation('arn:aws:states:::ecs:runTask.waitForTaskToken', {}), taskToken: 't' }, new AbortController().signal)).toEqual(refused);
    expect(await runner.run(invocation('arn:aws:states:::ecs:runTask', {}), new AbortController().signal)).toMatchObject({ kind: 'succeeded', output: { Tasks: [], Failures: [{ Reason: 'RESOURCE:MEMORY' }] } });
  });
});

describe('pascalServiceName', () => {
  it.each([
    ['DynamoDB', 'DynamoDb'],
    ['SQS', 'Sqs'],
    ['SFN', 'Sfn'],
    ['S3', 'S3'],
    ['ACM PCA', 'AcmPca'],
    ['EventBridge', 'EventBridge'],
    ['Secrets Manager', 'SecretsManager'],
  ])('%s → %s', (serviceId, name) => {
    expect(pascalServiceName(serviceId)).toBe(name);
  });
});
