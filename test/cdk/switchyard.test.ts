import * as path from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Switchyard, type SwitchyardProps } from '../../lib/cdk';
import { DemoStack } from '../../lib/cdk/demo-stack';

// Bundling is exercised by test/cdk/app.test.ts; here it is skipped to keep the assertions fast.
const app = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const env = { account: '123456789012', region: 'us-east-1' };

function yardStack(props: SwitchyardProps = {}) {
  const stack = new Stack(app(), 'Test', { env });
  const yard = new Switchyard(stack, 'Yard', props);
  return { stack, yard };
}

const fnArn = (stack: Stack, id: string) => new lambda.Function(stack, id, { code: lambda.Code.fromInline('exports.handler = async () => ({})'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });

const pass = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

describe('Switchyard construct', () => {
  const { stack, yard } = yardStack();
  const work = fnArn(stack, 'Work');
  yard.addStateMachine('orders', {
    definition: { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: '${ChargeArn}', End: true } } },
    definitionSubstitutions: { ChargeArn: work.functionArn },
    schedules: [{ expression: 'cron(0 12 * * ? *)', input: { report: 'daily' }, timeZone: 'Europe/Paris' }],
    eventPatterns: [{ source: ['shop'], detailType: ['OrderPlaced'] }],
    tags: { team: 'shop' },
  });
  const t = Template.fromStack(stack);

  it('keeps executions in an on-demand, encrypted table with point-in-time recovery, TTL and the listing index', () => {
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ex', Enabled: true },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byMachine', KeySchema: [{ AttributeName: 'g1pk', KeyType: 'HASH' }, { AttributeName: 'g1sk', KeyType: 'RANGE' }] })],
    });
    t.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('drives transitions from an encrypted queue with a dead-letter redrive and batch item failures', () => {
    const queues = t.findResources('AWS::SQS::Queue');
    const logical = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    const main = queues[logical(yard.queue)]!;
    const dlq = queues[logical(yard.deadLetterQueue)]!;
    expect(Object.keys(queues)).toHaveLength(5);
    expect(main.Properties).toMatchObject({ SqsManagedSseEnabled: true, VisibilityTimeout: 960, RedrivePolicy: { maxReceiveCount: 10, deadLetterTargetArn: { 'Fn::GetAtt': [logical(yard.deadLetterQueue), 'Arn'] } } });
    expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    t.resourceCountIs('AWS::SQS::QueuePolicy', 5);
    t.hasResourceProperties('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] } });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], EventSourceArn: { 'Fn::GetAtt': [logical(yard.queue), 'Arn'] } });
  });

  it('hands task attempts to the task invoker on its own encrypted queue, with its own dead-letter redrive and batch item failures', () => {
    const queues = t.findResources('AWS::SQS::Queue');
    const logical = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    expect(queues[logical(yard.invokerQueue)]!.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 960,
      RedrivePolicy: { maxReceiveCount: 10, deadLetterTargetArn: { 'Fn::GetAtt': [logical(yard.invokerDeadLetterQueue), 'Arn'] } },
    });
    expect(queues[logical(yard.invokerDeadLetterQueue)]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    const mapping = Object.values(t.findResources('AWS::Lambda::EventSourceMapping')).find((m) => JSON.stringify(m.Properties.EventSourceArn).includes(logical(yard.invokerQueue)))!;
    expect(mapping.Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], FunctionName: { Ref: logical(yard.invokerFunction) } });
    expect(mapping.Properties.ScalingConfig).toBeUndefined();
    expect(t.findResources('AWS::Lambda::Function')[logical(yard.invokerFunction)]!.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('keeps payloads in an encrypted, TLS-only, private bucket with a lifecycle', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 + 366, Status: 'Enabled' })] },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] } });
  });

  it('runs its six functions on Node.js 22 arm64 with their own log groups and the table, queues and bucket in the environment', () => {
    const entries = Object.entries(t.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { SWITCHYARD_TABLE: Match.anyValue() } } } }));
    const fns = entries.map(([, f]) => f);
    expect(fns).toHaveLength(6);
    const common = ['POWERTOOLS_LOG_LEVEL', 'SWITCHYARD_ACCOUNT', 'SWITCHYARD_BUCKET', 'SWITCHYARD_DLQ_URL', 'SWITCHYARD_INVOKER_QUEUE_URL', 'SWITCHYARD_METRICS_NAMESPACE', 'SWITCHYARD_QUEUE_URL', 'SWITCHYARD_RETENTION_SECONDS', 'SWITCHYARD_TABLE'];
    for (const [id, f] of entries) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/^Yard[A-Z][a-z]+Logs/) } } });
      // The Express function checks the token of the `.sync` task an Express child completes.
      const tokens = /^Yard(Transition|Invoker|Api|Express)Function/.test(id) ? ['SWITCHYARD_TOKEN_KEY_SECRET_ARN'] : [];
      // The task invoker, the API function (TestState, EXPRESS executions) and the Express function run tasks with their state machines' roles.
      const roles = /^Yard(Invoker|Api|Express)Function/.test(id) ? ['SWITCHYARD_TASK_ROLES'] : [];
      // The functions that start executions start asynchronous EXPRESS ones on the Express function.
      const express = /^Yard(Api|Schedule|Transition|Invoker)Function/.test(id) ? ['SWITCHYARD_EXPRESS_FUNCTION'] : [];
      expect({ id, variables: Object.keys(f.Properties.Environment.Variables).sort() }).toEqual({ id, variables: [...common, ...tokens, ...roles, ...express].sort() });
      expect(f.Properties.Environment.Variables.SWITCHYARD_RETENTION_SECONDS).toBe(String(90 * 86_400));
    }
    expect(fns.map((f) => [f.Properties.MemorySize, f.Properties.Timeout]).sort()).toEqual([[128, 900], [256, 120], [256, 30], [256, 360], [256, 900], [512, 29]]);
    t.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 7);
  });

  it('requires AWS_IAM on every method of the front door, throttles it and logs access', () => {
    const methods = Object.values(t.findResources('AWS::ApiGateway::Method'));
    expect(methods.length).toBe(2);
    for (const m of methods) expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, LoggingLevel: 'ERROR' })],
    });
    t.hasOutput('*', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }), Description: Match.stringLikeRegexp('endpoint-url') });
  });

  it('grants its functions exactly the table, queue and object calls they make, and no wildcard action', () => {
    const policies = Object.values(t.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const actions = new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    expect([...actions].filter((a) => a.endsWith('*'))).toEqual([]);
    expect(statements.some((s) => s.Resource === '*')).toBe(false);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'] })]) },
    });
    // No managed policies, except API Gateway's account-level logging role, which requires its own.
    const managed = Object.entries(t.findResources('AWS::IAM::Role')).filter(([id, r]) => id.startsWith('Yard') && r.Properties.ManagedPolicyArns);
    expect(managed.map(([id]) => id)).toEqual([expect.stringMatching(/^YardApiCloudWatchRole/)]);
  });

  it('keeps the task token key in a generated secret that only the transition, invoker, API and Express functions may read', () => {
    const secrets = Object.entries(t.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    const [secretId, secret] = secrets[0];
    expect(secret.Properties).toEqual({
      Description: 'Switchyard: the key task tokens are signed with',
      GenerateSecretString: { ExcludePunctuation: true, IncludeSpace: false, PasswordLength: 64 },
    });
    expect(secret.DeletionPolicy).toBe('Retain');
    // Who may read it: the roles whose policies name the secret.
    const readers = Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.PolicyDocument.Statement as { Resource: unknown }[]).some((st) => JSON.stringify(st.Resource).includes(secretId)))
      .flatMap((p) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    expect(readers.map((r) => r.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['YardApiRole', 'YardExpressRole', 'YardInvokerRole', 'YardTransitionRole']);
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]);
    expect(statements.filter((st) => JSON.stringify(st.Resource).includes(secretId))).toEqual([
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } },
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } },
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } },
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } },
    ]);
    // Its ARN, never its value, is in the environment of exactly those functions.
    const named = Object.entries(t.findResources('AWS::Lambda::Function'))
      .filter(([, f]) => f.Properties.Environment?.Variables?.SWITCHYARD_TOKEN_KEY_SECRET_ARN !== undefined)
      .map(([id, f]) => [id.replace(/[0-9A-F]{8}$/, ''), f.Properties.Environment.Variables.SWITCHYARD_TOKEN_KEY_SECRET_ARN]);
    expect(named.sort()).toEqual([['YardApiFunction', { Ref: secretId }], ['YardExpressFunction', { Ref: secretId }], ['YardInvokerFunction', { Ref: secretId }], ['YardTransitionFunction', { Ref: secretId }]]);
  });

  it('grants invoke on the functions a definition names to the API function (TestState); the transition function invokes with the state machine role', () => {
    const invoke = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('YardTaskInvokePolicy'))!;
    expect(invoke[1].Properties.PolicyDocument.Statement).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: [{ 'Fn::GetAtt': [stack.getLogicalId(work.node.defaultChild as never), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(work.node.defaultChild as never), 'Arn'] }, ':*']] }] },
    ]);
    expect(invoke[1].Properties.Roles).toEqual([{ Ref: stack.getLogicalId(yard.apiFunction.role!.node.defaultChild as never) }]);
  });

  it('registers the state machine with its substituted definition and tags', () => {
    const reg = Object.values(t.findResources('Custom::SwitchyardStateMachine'))[0]!;
    expect(reg.Properties).toMatchObject({ Name: 'orders', Type: 'STANDARD', Tags: { team: 'shop' } });
    const parts = reg.Properties.Definition['Fn::Join'][1];
    expect(parts[0]).toBe('{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"');
    expect(parts[1]).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(work.node.defaultChild as never), 'Arn'] });
  });

  it('starts executions on a schedule with a fixed input named by the scheduler execution id, and on matching events', () => {
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 12 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: {
        Input: { 'Fn::Join': ['', ['{"stateMachineArn":"arn:', { Ref: 'AWS::Partition' }, ':states:us-east-1:123456789012:stateMachine:orders","input":{"report":"daily"},"name":"<aws.scheduler.execution-id>"}']] },
      },
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['shop'], 'detail-type': ['OrderPlaced'] },
      Targets: [
        Match.objectLike({
          InputTransformer: {
            InputPathsMap: { f1: '$', id: '$.id' },
            InputTemplate: { 'Fn::Join': ['', ['{"stateMachineArn":"arn:', { Ref: 'AWS::Partition' }, ':states:us-east-1:123456789012:stateMachine:orders","input":<f1>,"name":<id>}']] },
          },
        }),
      ],
    });
  });

  it('alarms on failed executions, the three dead-letter queues, handler errors and throttles, and draws a dashboard', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    const names = alarms.map((a) => a.Properties.MetricName ?? a.Properties.Metrics?.[0]?.Expression ?? '').sort();
    expect(names).toEqual([
      'ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesVisible',
      'Errors', 'Errors', 'Errors', 'Errors', 'Errors',
      'ExecutionsFailed',
      "SUM(SEARCH('{Switchyard,StateMachineArn} MetricName=\"ExecutionsFailed\"', 'Sum', 300))",
      'Throttles', 'Throttles', 'Throttles', 'Throttles', 'Throttles',
    ]);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed', Namespace: 'Switchyard', Dimensions: [{ Name: 'StateMachineArn', Value: Match.anyValue() }] });
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('starts asynchronous EXPRESS executions by an asynchronous invoke of the Express function from every function that starts executions: invoke on it alone, two retries, an on-failure queue with an alarm', () => {
    const logical = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    const express = logical(yard.expressFunction);
    const queue = logical(yard.expressDeadLetterQueue);
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: express },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21_600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    expect(t.findResources('AWS::SQS::Queue')[queue]!.Properties).toMatchObject({ MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true });
    // Who may invoke the Express function: the API, schedule, transition and invoker functions, on the function's own ARN (no versions, no aliases).
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).map((st) => ({ roles: p.Properties.Roles as unknown, st })),
    );
    const invokes = statements.filter(({ st }) => JSON.stringify(st.Resource).includes(express) && JSON.stringify(st.Action).includes('lambda:'));
    const starters = [yard.apiFunction, yard.scheduleFunction, yard.transitionFunction, yard.invokerFunction];
    const invoke = { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [express, 'Arn'] } };
    expect(invokes.sort((a, b) => JSON.stringify(a.roles).localeCompare(JSON.stringify(b.roles)))).toEqual(
      starters.map((f) => ({ roles: [{ Ref: logical(f.role!) }], st: invoke })).sort((a, b) => JSON.stringify(a.roles).localeCompare(JSON.stringify(b.roles))),
    );
    for (const f of starters) expect(t.findResources('AWS::Lambda::Function')[logical(f)]!.Properties.Environment.Variables.SWITCHYARD_EXPRESS_FUNCTION).toEqual({ Ref: express });
    // The schedule function stays a short starter: the execution runs in the Express function, not in its 30 seconds.
    expect(t.findResources('AWS::Lambda::Function')[logical(yard.scheduleFunction)]!.Properties).toMatchObject({ Timeout: 30, MemorySize: 256 });
    // The Express function sends its failed events to that queue alone, and may not send to the transition dead-letter queue.
    const sends = statements.filter(({ st }) => st.Action === 'sqs:SendMessage' && JSON.stringify(st.Resource).includes(queue));
    expect(sends).toEqual([{ roles: [{ Ref: logical(yard.expressFunction.role!) }], st: { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [queue, 'Arn'] } } }]);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }], Threshold: 1 });
    // No reserved concurrency unless asked for.
    expect(t.findResources('AWS::Lambda::Function')[express]!.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('Switchyard options', () => {
  it('reserves invokerConcurrency for the task invoker and caps its event source at it, with the memory and timeout given', () => {
    const { stack, yard } = yardStack({ invokerConcurrency: 50, invokerMemorySize: 256, invokerTimeout: Duration.minutes(5) });
    const t = Template.fromStack(stack);
    const logical = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    expect(t.findResources('AWS::Lambda::Function')[logical(yard.invokerFunction)]!.Properties).toMatchObject({ ReservedConcurrentExecutions: 50, MemorySize: 256, Timeout: 300 });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: logical(yard.invokerFunction) }, ScalingConfig: { MaximumConcurrency: 50 } });
    expect(t.findResources('AWS::SQS::Queue')[logical(yard.invokerQueue)]!.Properties.VisibilityTimeout).toBe(360);
  });

  it('reserves expressReservedConcurrency for the Express function, with the memory given, and refuses either out of range', () => {
    const { stack, yard } = yardStack({ expressReservedConcurrency: 20, expressMemorySize: 512 });
    const t = Template.fromStack(stack);
    expect(t.findResources('AWS::Lambda::Function')[stack.getLogicalId(yard.expressFunction.node.defaultChild as never)]!.Properties).toMatchObject({ ReservedConcurrentExecutions: 20, MemorySize: 512, Timeout: 360 });
    expect(() => yardStack({ expressReservedConcurrency: 0 })).toThrow('expressReservedConcurrency must be an integer from 1 to 100000, got 0');
    expect(() => yardStack({ expressMemorySize: 64 })).toThrow('expressMemorySize must be an integer from 128 to 10240, got 64');
  });

  it('refuses an invokerConcurrency, invokerMemorySize or invokerTimeout out of range, echoing the value', () => {
    expect(() => yardStack({ invokerConcurrency: 1 })).toThrow('invokerConcurrency must be an integer from 2 to 1000, got 1');
    expect(() => yardStack({ invokerMemorySize: 64 })).toThrow('invokerMemorySize must be an integer from 128 to 10240, got 64');
    expect(() => yardStack({ invokerTimeout: Duration.minutes(16) })).toThrow("invokerTimeout must be from 1 second to 15 minutes (Lambda's limit), got 960 seconds");
  });

  it('uses a given authorizer instead of IAM, and serves approval links without authorization when asked', () => {
    const { stack } = yardStack({ publicCallbackLinks: true, batchSize: 5, transitionMemorySize: 1024, executionRetention: Duration.days(30) });
    const t = Template.fromStack(stack);
    const methods = Object.values(t.findResources('AWS::ApiGateway::Method')).map((m) => [m.Properties.HttpMethod, m.Properties.AuthorizationType]);
    expect(methods.sort()).toEqual([['ANY', 'AWS_IAM'], ['GET', 'NONE'], ['GET', 'NONE'], ['POST', 'AWS_IAM']]);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 5 });
    t.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Environment: { Variables: Match.objectLike({ SWITCHYARD_RETENTION_SECONDS: String(30 * 86_400) }) } });
  });

  it('puts a Cognito authorizer on every method when given one, and passes a request size limit to the API function', () => {
    const stack = new Stack(app(), 'Cognito', { env });
    const pool = new cognito.UserPool(stack, 'Users');
    new Switchyard(stack, 'Yard', { authorizer: new apigateway.CognitoUserPoolsAuthorizer(stack, 'Auth', { cognitoUserPools: [pool] }), maxRequestBytes: 262_144 });
    const t = Template.fromStack(stack);
    const methods = Object.values(t.findResources('AWS::ApiGateway::Method'));
    expect(methods.map((m) => m.Properties.AuthorizationType)).toEqual(['COGNITO_USER_POOLS', 'COGNITO_USER_POOLS']);
    t.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512, Environment: { Variables: Match.objectLike({ SWITCHYARD_MAX_REQUEST_BYTES: '262144' }) } });
  });

  it('sets SWITCHYARD_AWS_LIMITS on every function with awsLimits, and not without', () => {
    const functions = (props: { awsLimits?: boolean }) => Object.values(Template.fromStack(yardStack(props).stack).findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.SWITCHYARD_TABLE !== undefined);
    const limited = functions({ awsLimits: true });
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.map((f) => f.Properties.Environment.Variables.SWITCHYARD_AWS_LIMITS)).toEqual(limited.map(() => 'true'));
    expect(functions({}).map((f) => f.Properties.Environment.Variables.SWITCHYARD_AWS_LIMITS).filter((v) => v !== undefined)).toEqual([]);
  });

  it('compiles callerPolicies into the API function environment, with the public links flag when both are set', () => {
    const policies = { 'arn:aws:iam::123456789012:user/ci': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: '*' }] } };
    const { stack } = yardStack({ callerPolicies: policies, publicCallbackLinks: true });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ SWITCHYARD_CALLER_POLICIES: JSON.stringify(policies), SWITCHYARD_PUBLIC_CALLBACK_LINKS: 'true' }) } });
  });

  it('refuses callerPolicies with a custom authorizer (the caller must be the SigV4 signer)', () => {
    const stack = new Stack(app(), 'Both', { env });
    const pool = new cognito.UserPool(stack, 'Users');
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(stack, 'Auth', { cognitoUserPools: [pool] });
    expect(() => new Switchyard(stack, 'Yard', { authorizer, callerPolicies: {} })).toThrow('callerPolicies need AWS_IAM authorization (the caller is the SigV4 signer): remove authorizer, or leave out callerPolicies');
  });

  it('emits status change events only when given a bus', () => {
    const { stack } = yardStack({ statusChangeEventBus: undefined });
    const { stack: withBus } = (() => {
      const s = new Stack(app(), 'Bus', { env });
      new Switchyard(s, 'Yard', { statusChangeEventBus: events.EventBus.fromEventBusName(s, 'Default', 'default') });
      return { stack: s };
    })();
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('SWITCHYARD_EVENT_BUS');
    Template.fromStack(withBus).hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ SWITCHYARD_EVENT_BUS: 'default', SWITCHYARD_EVENT_SOURCE: 'switchyard' }) } });
    Template.fromStack(withBus).hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents' })]) } });
  });

  it.each([
    [{ batchSize: 11 }, 'batchSize must be an integer from 1 to 10, got 11'],
    [{ maxRequestBytes: 10_000_000 }, 'maxRequestBytes must be an integer from 1 to 6291456, got 10000000'],
    [{ transitionMemorySize: 64 }, 'transitionMemorySize must be an integer from 128 to 10240, got 64'],
    [{ transitionTimeout: Duration.minutes(20) }, "transitionTimeout must be from 30 seconds to 15 minutes (Lambda's limit), got 1200 seconds"],
    [{ executionRetention: Duration.hours(2) }, 'executionRetention must be at least 1 day, got 7200 seconds'],
    [{ metricsNamespace: 'AWS/States' }, "metricsNamespace must be 1-255 of letters, digits and . _ - / # : and not start with AWS/, got 'AWS/States'"],
  ] as [SwitchyardProps, string][])('rejects %j at construction', (props, message) => {
    expect(() => yardStack(props)).toThrow(message);
  });
});

describe('addStateMachine definitions', () => {
  it('reads a definition file and an aws-stepfunctions chain, granting what the chain asks for', () => {
    const { stack, yard } = yardStack();
    const fn = fnArn(stack, 'Quote');
    yard.addStateMachine('hello', {
      definition: sfn.DefinitionBody.fromFile(path.join(__dirname, '..', '..', 'examples', 'hello-world', 'definition.asl.json')),
    });
    const chain = new tasks.LambdaInvoke(stack, 'GetQuote', { lambdaFunction: fn, outputPath: '$.Payload' }).next(new sfn.Succeed(stack, 'Done'));
    const sm = yard.addStateMachine('quotes', { definition: sfn.DefinitionBody.fromChainable(chain), stateMachineType: 'EXPRESS' });
    expect(stack.resolve(sm.stateMachineArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:us-east-1:123456789012:stateMachine:quotes']] });
    const t = Template.fromStack(stack);
    const regs = Object.values(t.findResources('Custom::SwitchyardStateMachine')).map((r) => r.Properties);
    expect(regs.map((r) => [r.Name, r.Type])).toEqual([['hello', 'STANDARD'], ['quotes', 'EXPRESS']]);
    expect(JSON.stringify(regs[0].Definition)).toContain('arn:aws:lambda:us-east-1:123456789012:function:HelloFunction');
    expect(JSON.stringify(regs[1].Definition)).toContain(':states:::lambda:invoke');
    const invoke = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('YardTaskInvokePolicy'))![1];
    const resources = JSON.stringify(invoke.Properties.PolicyDocument.Statement);
    expect(resources).toContain('function:HelloFunction');
    expect(resources).toContain(stack.getLogicalId(fn.node.defaultChild as never));
  });

  it('logs to a log group at the chosen level, granting the functions that run executions to write it, and keeps executions for their own retention', () => {
    const { stack, yard } = yardStack();
    const group = new logs.LogGroup(stack, 'OrderLogs');
    yard.addStateMachine('logged', { definition: pass, logs: { destination: group, level: sfn.LogLevel.ALL, includeExecutionData: true }, executionRetention: Duration.days(7) });
    yard.addStateMachine('quiet', { definition: pass, logs: { destination: group } });
    const t = Template.fromStack(stack);
    const groupArn = { 'Fn::GetAtt': [stack.getLogicalId(group.node.defaultChild as never), 'Arn'] };
    const regs = Object.values(t.findResources('Custom::SwitchyardStateMachine')).map((r) => r.Properties);
    expect(regs.map((r) => [r.Name, r.Logging, r.RetentionSeconds])).toEqual([
      ['logged', { Level: 'ALL', IncludeExecutionData: true, LogGroupArn: groupArn }, 604800],
      ['quiet', { Level: 'ERROR', IncludeExecutionData: false, LogGroupArn: groupArn }, undefined],
    ]);
    const writers = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).some((st) => JSON.stringify(st.Action) === '["logs:CreateLogStream","logs:PutLogEvents"]' && JSON.stringify(st.Resource) === JSON.stringify(groupArn)),
    );
    const roleOf = (fn: lambda.IFunction) => ({ Ref: stack.getLogicalId(fn.role!.node.defaultChild as never) });
    expect(writers.map((p) => p.Properties.Roles[0])).toEqual([roleOf(yard.transitionFunction), roleOf(yard.invokerFunction), roleOf(yard.apiFunction), roleOf(yard.expressFunction), roleOf(yard.scheduleFunction)]);
  });

  const bad: [string, object, string][] = [
    ['an unknown Next target', { definition: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } } }, "State machine 'broken' (Test/Yard/broken): the definition is invalid:\n  MISSING_TRANSITION_TARGET at /States/A/Next:"],
    ['an unknown substitution key', { definition: pass, definitionSubstitutions: { Unused: 'x' } }, "State machine 'broken' (Test/Yard/broken): unknown substitution keys 'Unused': no ${key} in the definition uses them. Remove them or reference them in the definition."],
    ['a placeholder without a value', { definition: { StartAt: 'T', States: { T: { Type: 'Task', Resource: '${Missing}', End: true } } } }, "State machine 'broken' (Test/Yard/broken): the definition uses substitutions that have no value: ${Missing} at /States/T/Resource. Add them to definitionSubstitutions."],
    ['a bad schedule', { definition: pass, schedules: [{ expression: 'rate(1 minutes)' }] }, "State machine 'broken' (Test/Yard/broken): schedules[0].expression 'rate(1 minutes)' is invalid: write rate(1 minute): the unit is singular for 1"],
    ['a name outside the rules', { definition: pass, stateMachineName: 'has space' }, "State machine 'has space' (Test/Yard/broken): invalid stateMachineName 'has space'"],
    ['a log level that does not exist', { definition: pass, logs: { destination: { logGroupArn: 'arn', grantWrite: () => undefined }, level: 'DEBUG' } }, "State machine 'broken' (Test/Yard/broken): logs.level must be one of ALL, ERROR, FATAL, OFF, got 'DEBUG'"],
    ['a retention beyond the Switchyard\'s', { definition: pass, executionRetention: Duration.days(91) }, "State machine 'broken' (Test/Yard/broken): executionRetention must be from 1 day to the Switchyard's executionRetention (7776000 seconds), got 7862400 seconds; raise the Switchyard's executionRetention to keep these executions longer"],
    ['a file that is not JSON', { definition: sfn.DefinitionBody.fromFile(__filename) }, "State machine 'broken' (Test/Yard/broken): " + __filename + ' is not valid JSON'],
  ];
  it.each(bad)('fails synthesis on %s, naming the state machine, the location and the fix', (_what, props, message) => {
    const { yard } = yardStack();
    expect(() => yard.addStateMachine('broken', props as never)).toThrow(message);
  });
});

describe('cdk-nag AwsSolutions', () => {
  const nag = (build: (stack: Stack) => void) => {
    const a = app();
    build(new Stack(a, 'Nag', { env }));
    Validations.of(a).addPlugins(new AwsSolutionsChecks(a));
    return () => a.synth();
  };

  it('finds nothing unacknowledged with point-in-time recovery turned off, and the table has none', () => {
    let stack: Stack | undefined;
    const synth = nag((s) => {
      stack = s;
      new Switchyard(s, 'Yard', { pointInTimeRecovery: false });
    });
    expect(synth).not.toThrow();
    Template.fromStack(stack!).hasResourceProperties('AWS::DynamoDB::Table', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } });
  });

  it('finds nothing unacknowledged in the demo app', () => {
    const a = app();
    new DemoStack(a, 'Demo', { env });
    Validations.of(a).addPlugins(new AwsSolutionsChecks(a));
    expect(() => a.synth()).not.toThrow();
  });

  it('finds nothing unacknowledged with every security option: a customer-managed key, an alarm topic, a status bus, access logs', () => {
    const synth = nag((stack) => {
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const topic = new sns.Topic(stack, 'Oncall', { masterKey: key, enforceSSL: true });
      const accessLogs = new s3.Bucket(stack, 'AccessLogs', { enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
      Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'The access log bucket of the test does not log itself.' });
      const yard = new Switchyard(stack, 'Yard', {
        encryptionKey: key,
        alarmAction: new actions.SnsAction(topic),
        statusChangeEventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'default'),
        accessLogsBucket: accessLogs,
        publicCallbackLinks: true,
      });
      yard.addStateMachine('orders', { definition: pass, schedules: [{ expression: 'rate(1 hour)' }], eventPatterns: [{ source: ['shop'] }] });
    });
    expect(synth).not.toThrow();
  });

  it('would report a finding the construct does not acknowledge', () => {
    const synth = nag((stack) => {
      new Switchyard(stack, 'Yard');
      new s3.Bucket(stack, 'Unlogged');
    });
    expect(synth).toThrow(/AwsSolutions-S1/);
  });
});

describe('alarm actions', () => {
  it('tells the alarmAction of every alarm the construct makes, the state machines\' included', () => {
    const stack = new Stack(app(), 'Alarmed', { env });
    const topic = new sns.Topic(stack, 'Oncall');
    const yard = new Switchyard(stack, 'Yard', { alarmAction: new actions.SnsAction(topic) });
    yard.addStateMachine('orders', { definition: pass });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(15);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as never) }]);
  });

  it('leaves the alarms without actions when given none', () => {
    const { stack, yard } = yardStack();
    yard.addStateMachine('orders', { definition: pass });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.AlarmActions)).toEqual(Array(12).fill(undefined));
  });
});

describe('encryption at rest', () => {
  const stack = new Stack(app(), 'Keyed', { env });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  new Switchyard(stack, 'Yard', { encryptionKey: key });
  const t = Template.fromStack(stack);
  const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as never), 'Arn'] };

  it('uses the customer-managed key for the table, every queue, the bucket, every log group and the token key secret', () => {
    t.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn } });
    const queues = Object.values(t.findResources('AWS::SQS::Queue')).map((q) => q.Properties);
    expect(queues.map((q) => [q.KmsMasterKeyId, q.SqsManagedSseEnabled])).toEqual(Array(5).fill([keyArn, undefined]));
    t.hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true }] } });
    const groups = Object.values(t.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.KmsKeyId);
    expect(groups).toEqual(Array(7).fill(keyArn));
    t.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArn });
  });

  it('lets CloudWatch Logs use a key made in the stack for the region\'s log groups', () => {
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.us-east-1.amazonaws.com' },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']] } } },
          }),
        ]),
      },
    });
  });

  it('keeps AWS-managed encryption without a key, and names no KMS key anywhere', () => {
    const plain = Template.fromStack(yardStack().stack);
    plain.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: true } });
    expect(JSON.stringify(plain.toJSON())).not.toMatch(/KmsKeyId|KMSMasterKeyId|KmsMasterKeyId|KMSMasterKeyID|"kms:/);
  });
});
