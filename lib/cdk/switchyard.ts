/**
 * The Switchyard construct: everything the orchestrator needs in one
 * account — the execution table, the transition queue and its dead-letter
 * queue, the payload bucket, the transition, API, schedule and registration
 * functions, the IAM-secured API Gateway front door, metrics, a dashboard
 * and alarms. State machines are added with {@link Switchyard.addStateMachine}.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_EVENT_SOURCE, DEFAULT_EXECUTION_RETENTION_DAYS, DEFAULT_METRICS_NAMESPACE, DEFAULT_TRANSITION_MEMORY_MB } from './defaults';
import { FUNCTION_BUNDLING } from './bundling';
import { functionCode } from './entries';
import { monitor } from './monitoring';
import { allowLogsToUse, grantFunctionCalls } from './access';
import { functionRole, nagResourceName } from './roles';
import { YardStateMachine, type YardStateMachineProps } from './state-machine';
import { invokeStatement, TaskRoles } from './task-roles';

/** Throttling of the front door (API Gateway stage defaults). */
export interface ApiThrottling {
  /** Steady-state requests per second. @default 100 */
  readonly rateLimit?: number;
  /** Burst of requests. @default 200 */
  readonly burstLimit?: number;
}

export interface SwitchyardProps {
  /**
   * How long a finished execution stays readable (DescribeExecution,
   * GetExecutionHistory) before DynamoDB's TTL removes it. Step Functions
   * keeps closed executions for 90 days.
   * @default Duration.days(90)
   */
  readonly executionRetention?: Duration;
  /**
   * Point-in-time recovery of the execution table (cdk-nag's AwsSolutions-DDB3
   * asks for it). It bills per GB-month of table size — with the default
   * retention about $0.19 per million transitions of the 20-Pass workload
   * and $0.97 of the 5-Lambda-task one (`npm run bench:cloud`); turn it off
   * when executions are not worth restoring.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Memory of the transition function in MiB. It runs the engine and calls
   * the task functions synchronously; 256 MiB is what the cost model assumes.
   * @default 256
   */
  readonly transitionMemorySize?: number;
  /**
   * Timeout of the transition function. A synchronous Lambda task runs
   * inside it, so it must cover the longest task function.
   * @default Duration.minutes(15)
   */
  readonly transitionTimeout?: Duration;
  /** Memory of the API function in MiB. @default 512 */
  readonly apiMemorySize?: number;
  /** Reserved concurrency of the transition function. @default none (the account's unreserved pool) */
  readonly transitionReservedConcurrency?: number;
  /** Messages per transition invocation (SQS batch size, 1–10). @default 10 */
  readonly batchSize?: number;
  /** Receives of one message before it is moved to the dead-letter queue. @default 10 */
  readonly maxReceiveCount?: number;
  /**
   * Authorizer for the front door. Without one every method requires AWS_IAM
   * (SigV4) authorization — what the official SDK and CLI sign with.
   * @default AWS_IAM on every method
   */
  readonly authorizer?: apigateway.IAuthorizer;
  /**
   * Serves `GET /tasks/{token}/approve|reject` without authorization, so an
   * approval link in an e-mail works in a browser: the task token (random,
   * 100+ characters) is the credential. Everything else keeps its authorization.
   * @default false
   */
  readonly publicCallbackLinks?: boolean;
  /**
   * IAM policies per caller, enforced by the API function for every action
   * (docs/SECURITY.md): principal ARNs (wildcards allowed, e.g.
   * `arn:aws:sts::123456789012:assumed-role/Orders/*`) mapped to one policy
   * document or `{ Policies: [...] }`, in Step Functions' vocabulary
   * (`states:StartExecution` on `arn:aws:states:…:stateMachine:orders`).
   * They are compiled into the function's environment (at most 4 KB with
   * the other variables) and checked at its cold start: a malformed document
   * fails every request rather than allowing one. Needs AWS_IAM
   * authorization (no `authorizer`): the caller is the SigV4 signer.
   * @default none: every caller API Gateway authorizes may call every action
   */
  readonly callerPolicies?: Readonly<Record<string, unknown>>;
  /**
   * Requests larger than this are refused with 413 ValidationException.
   * API Gateway takes at most 10 MB and Lambda 6 MB whatever this says.
   * @default no limit of Switchyard's own
   */
  readonly maxRequestBytes?: number;
  /**
   * Keep Step Functions' quotas instead of Switchyard's larger ones: state
   * inputs and outputs of at most 256 KiB (States.DataLimitExceeded), and the
   * API's limits on definitions (1 MiB), execution input and task output
   * (256 KiB), error and cause — so that a workflow that passes here passes
   * on Step Functions.
   * @default false
   */
  readonly awsLimits?: boolean;
  /** Throttling of the front door. @default 100 requests/s, bursts of 200 */
  readonly apiThrottling?: ApiThrottling;
  /** Retention of the functions' and the API's logs. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Emit EventBridge "Step Functions Execution Status Change" events (source
   * `switchyard`) on this bus when executions start and end. EventBridge
   * bills custom events ($1 per million), so it is opt-in.
   * @default none: no events
   */
  readonly statusChangeEventBus?: events.IEventBus;
  /** CloudWatch namespace of the metrics. @default 'Switchyard' */
  readonly metricsNamespace?: string;
  /** What happens to the table and the bucket when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Create a CloudWatch dashboard. @default true */
  readonly dashboard?: boolean;
  /** Where the payload bucket's server access logs go. @default no access logs */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * What every alarm the construct makes does when it fires (the Switchyard's
   * and each state machine's), e.g. `new SnsAction(topic)` from
   * aws-cdk-lib/aws-cloudwatch-actions. Without one the alarms only change state.
   * @default no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /**
   * A customer-managed KMS key for everything at rest: the table, both
   * queues, the payload bucket, the log groups and the token key's secret.
   * The functions are granted kms:Decrypt and kms:GenerateDataKey on it; a
   * key made in the same stack is also opened to CloudWatch Logs for the log
   * groups (an imported key's policy must allow `logs.<region>.amazonaws.com`).
   * @default AWS-managed encryption (DynamoDB, SQS-SSE, SSE-S3, CloudWatch Logs, Secrets Manager's aws/secretsmanager key)
   */
  readonly encryptionKey?: kms.IKey;
}

/** The orchestrator in one account and region. */
export class Switchyard extends Construct {
  /** Executions, frames, history, definitions, activities. */
  readonly table: dynamodb.Table;
  /** One message per state transition. */
  readonly queue: sqs.Queue;
  /** Messages that failed `maxReceiveCount` times, with the reason logged. */
  readonly deadLetterQueue: sqs.Queue;
  /** Values too large for an item or a message. */
  readonly bucket: s3.Bucket;
  /**
   * The key task tokens are signed with (HMAC-SHA256): generated by Secrets
   * Manager at deploy time, so it is in neither the code nor the template,
   * and readable by the transition and API functions only.
   */
  readonly tokenKeySecret: secretsmanager.Secret;
  readonly transitionFunction: nodejs.NodejsFunction;
  readonly apiFunction: nodejs.NodejsFunction;
  /** Started by EventBridge schedules and rules; starts executions. */
  readonly scheduleFunction: nodejs.NodejsFunction;
  /** The custom resource that registers state machines at deploy time. */
  readonly registerFunction: nodejs.NodejsFunction;
  /** The front door: Step Functions' JSON protocol at `POST /`, the REST surface beside it. */
  readonly api: apigateway.RestApi;
  /** Alarms on failed executions, the dead-letter queue, handler errors and throttles. */
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly metricsNamespace: string;
  /** What every alarm of the construct does when it fires (props.alarmAction). */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /** The customer-managed key of the table, queues, bucket, logs and secret, when given one. */
  readonly encryptionKey?: kms.IKey;
  /** How long finished executions are kept; a state machine may keep its own for less. */
  readonly executionRetention: Duration;
  private taskPolicy?: iam.Policy;
  private scheduler?: iam.Role;
  /** Each state machine's own role, assumed by the transition function to run its tasks. */
  private readonly taskRoles: TaskRoles;

  constructor(scope: Construct, id: string, props: SwitchyardProps = {}) {
    super(scope, id);
    validateProps(props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const retention = props.executionRetention ?? Duration.days(DEFAULT_EXECUTION_RETENTION_DAYS);
    this.executionRetention = retention;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const transitionTimeout = props.transitionTimeout ?? Duration.minutes(15);
    this.metricsNamespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    if (props.alarmAction) this.alarmAction = props.alarmAction;
    const key = props.encryptionKey;
    if (key) this.encryptionKey = key;
    if (key) allowLogsToUse(key, Stack.of(this));

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? true },
      ...(key ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key } : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
      timeToLiveAttribute: 'ex',
      removalPolicy,
    });
    if (props.pointInTimeRecovery === false) {
      Validations.of(this.table).acknowledge({ id: 'AwsSolutions::AwsSolutions-DDB3', reason: 'Point-in-time recovery was turned off (pointInTimeRecovery: false): execution state is not worth restoring here.' });
    }
    this.table.addGlobalSecondaryIndex({
      indexName: 'byMachine',
      partitionKey: { name: 'g1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'g1sk', type: dynamodb.AttributeType.STRING },
    });

    const queueEncryption = key ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key } : { encryption: sqs.QueueEncryption.SQS_MANAGED };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...queueEncryption,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'TransitionQueue', {
      ...queueEncryption,
      enforceSSL: true,
      // A message whose invocation died comes back after this; it must outlast the function.
      visibilityTimeout: Duration.seconds(transitionTimeout.toSeconds() + 60),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 10 },
    });

    this.bucket = new s3.Bucket(this, 'PayloadBucket', {
      ...(key ? { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true } : { encryption: s3.BucketEncryption.S3_MANAGED }),
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Offloaded values live as long as the executions that refer to them (TTL allows a run of up to a year).
      lifecycleRules: [{ expiration: Duration.days(retention.toDays() + 366), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
      ...(props.accessLogsBucket ? { serverAccessLogsBucket: props.accessLogsBucket, serverAccessLogsPrefix: 'switchyard-payloads/' } : {}),
    });
    if (!props.accessLogsBucket) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions::AwsSolutions-S1',
        reason: 'Only the Switchyard functions read and write the payload bucket (TLS only, no public access); give accessLogsBucket to log requests.',
      });
    }

    const environment: Record<string, string> = {
      SWITCHYARD_TABLE: this.table.tableName,
      SWITCHYARD_QUEUE_URL: this.queue.queueUrl,
      SWITCHYARD_DLQ_URL: this.deadLetterQueue.queueUrl,
      SWITCHYARD_BUCKET: this.bucket.bucketName,
      SWITCHYARD_ACCOUNT: Stack.of(this).account,
      SWITCHYARD_RETENTION_SECONDS: String(retention.toSeconds()),
      SWITCHYARD_METRICS_NAMESPACE: this.metricsNamespace,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...(props.awsLimits === true ? { SWITCHYARD_AWS_LIMITS: 'true' } : {}),
      ...(props.statusChangeEventBus ? { SWITCHYARD_EVENT_BUS: props.statusChangeEventBus.eventBusName, SWITCHYARD_EVENT_SOURCE: DEFAULT_EVENT_SOURCE } : {}),
    };
    const fn = (name: string, memorySize: number, timeout: Duration, extra: Partial<nodejs.NodejsFunctionProps> = {}): nodejs.NodejsFunction => {
      const logGroup = new logs.LogGroup(this, `${capitalise(name)}Logs`, { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY, ...(key ? { encryptionKey: key } : {}) });
      const code = functionCode(name);
      return new nodejs.NodejsFunction(this, `${capitalise(name)}Function`, {
        ...(code.kind === 'source'
          ? { entry: code.entry, projectRoot: code.projectRoot, depsLockFilePath: code.depsLockFilePath, handler: 'handler' }
          : { code: lambda.Code.fromAsset(code.directory), handler: 'index.handler' }),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize,
        timeout,
        environment,
        logGroup,
        role: functionRole(this, `${capitalise(name)}Role`, logGroup),
        // The SDK versions are pinned (package.json); bundling them keeps the code and its tested SDK together.
        bundling: { ...FUNCTION_BUNDLING, externalModules: [], forceDockerBundling: false, logLevel: nodejs.LogLevel.ERROR },
        ...extra,
      });
    };
    this.transitionFunction = fn('transition', props.transitionMemorySize ?? DEFAULT_TRANSITION_MEMORY_MB, transitionTimeout, {
      ...(props.transitionReservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.transitionReservedConcurrency } : {}),
    });
    this.transitionFunction.addEventSource(new SqsEventSource(this.queue, { batchSize: props.batchSize ?? 10, reportBatchItemFailures: true }));
    this.apiFunction = fn('api', props.apiMemorySize ?? 512, Duration.seconds(29));
    if (props.maxRequestBytes !== undefined) this.apiFunction.addEnvironment('SWITCHYARD_MAX_REQUEST_BYTES', String(props.maxRequestBytes));
    if (props.callerPolicies !== undefined) {
      this.apiFunction.addEnvironment('SWITCHYARD_CALLER_POLICIES', JSON.stringify(props.callerPolicies));
      if (props.publicCallbackLinks) this.apiFunction.addEnvironment('SWITCHYARD_PUBLIC_CALLBACK_LINKS', 'true');
    }
    this.scheduleFunction = fn('schedule', 256, Duration.seconds(30));
    this.registerFunction = fn('register', 256, Duration.minutes(2));

    this.tokenKeySecret = this.tokenKey(removalPolicy, props.encryptionKey);
    const resources = { table: this.table, queue: this.queue, deadLetterQueue: this.deadLetterQueue, bucket: this.bucket, tokenKeySecret: this.tokenKeySecret, ...(props.statusChangeEventBus ? { statusChangeEventBus: props.statusChangeEventBus } : {}), ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}) };
    for (const [name, f] of [['transition', this.transitionFunction], ['api', this.apiFunction], ['schedule', this.scheduleFunction], ['register', this.registerFunction]] as const) {
      grantFunctionCalls(f, name, resources);
      Validations.of(f).acknowledge({ id: 'AwsSolutions::AwsSolutions-L1', reason: 'Node.js 22 is the runtime Switchyard is built and tested for (package.json engines, the bundling target).' });
      Validations.of(f.role!).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(this, this.bucket.arnForObjects('*'))}]`,
        reason: 'Payload objects are named at run time by the content hash of the value they hold; access is limited to objects of the payload bucket.',
      });
    }
    // Tasks run with their state machine's role (task-roles.ts): the transition function holds no grant on any task itself.
    this.taskRoles = new TaskRoles(this.transitionFunction.role!);
    this.transitionFunction.addEnvironment('SWITCHYARD_TASK_ROLES', 'assume');


    this.api = this.frontDoor(props, logRetention);
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'The Step Functions endpoint: aws stepfunctions --endpoint-url <this>' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
    monitor(this, props.dashboard ?? true);
  }

  /**
   * The task token key's secret: the transition function signs the tokens it
   * hands out, the API function checks the tokens it is sent (SendTask*,
   * approval links); the schedule and registration functions need neither.
   */
  private tokenKey(removalPolicy: RemovalPolicy, encryptionKey: kms.IKey | undefined): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'TokenKey', {
      ...(encryptionKey ? { encryptionKey } : {}),
      description: 'Switchyard: the key task tokens are signed with',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Kept with the executions: a retained table's waiting tasks keep their tokens.
      removalPolicy,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'Rotating the token key would void the token of every task waiting for one; rotate it by replacing the secret when no callback task waits.',
    });
    // Read by them only (FUNCTION_CALLS in access.ts).
    for (const f of [this.transitionFunction, this.apiFunction]) f.addEnvironment('SWITCHYARD_TOKEN_KEY_SECRET_ARN', secret.secretArn);
    return secret;
  }

  /** Adds a state machine, registered (as a new revision on update) when the stack deploys. */
  addStateMachine(id: string, props: YardStateMachineProps): YardStateMachine {
    return new YardStateMachine(this, id, { ...props, yard: this });
  }

  /**
   * Lets the state machines' Task states invoke `fn` (a function their
   * definitions do not name literally, e.g. one chosen at run time): every
   * state machine's role, and the API function (TestState).
   */
  grantTaskInvoke(fn: lambda.IFunction): void {
    this.taskRoles.grantInvoke(fn);
    fn.grantInvoke(this.apiFunction);
  }

  /**
   * The role of the state machine `scope`: it may invoke the functions its
   * definition names and what its chain's `statements` allow. The API
   * function (TestState) is granted the same.
   */
  stateMachineRole(scope: Construct, functions: readonly string[], statements: readonly iam.PolicyStatement[]): iam.Role {
    this.grantTaskInvokeArns(functions);
    for (const statement of statements) this.addTaskPolicy(statement);
    return this.taskRoles.roleFor(scope, functions, statements);
  }

  /** Grants the API function (TestState) invoke on function ARNs or names found in a definition (the ARN and its versions and aliases). */
  grantTaskInvokeArns(functions: readonly string[]): void {
    if (functions.length === 0) return; // (the policy is made with its first statement)
    const statement = invokeStatement(this, functions, this.taskInvokePolicy);
    if (statement) this.taskInvokePolicy.addStatements(statement);
  }

  /** The role EventBridge Scheduler assumes to invoke the schedule function; made with the first schedule. */
  get schedulerRole(): iam.Role {
    if (!this.scheduler) {
      this.scheduler = new iam.Role(this, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
      Validations.of(this.scheduler).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(this, `${this.scheduleFunction.functionArn}:*`)}]`,
        reason: "EventBridge Scheduler's Lambda target grants the schedule function's versions and aliases along with the function.",
      });
    }
    return this.scheduler;
  }

  /** What the API function may do to run tasks (TestState); made with its first statement (an empty policy is invalid). */
  private get taskInvokePolicy(): iam.Policy {
    this.taskPolicy ??= new iam.Policy(this, 'TaskInvokePolicy', { roles: [this.apiFunction.role!] });
    return this.taskPolicy;
  }

  /** Adds statements the API function needs to test a state machine's tasks (TestState; e.g. an aws-stepfunctions chain's). */
  addTaskPolicy(statement: iam.PolicyStatement): void {
    this.taskInvokePolicy.addStatements(statement);
  }

  /** A metric of one state machine (the dimension StateMachineArn), summed over 5 minutes. */
  metric(name: string, stateMachineArn: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: this.metricsNamespace, metricName: name, dimensionsMap: { StateMachineArn: stateMachineArn }, statistic: 'Sum', period: Duration.minutes(5), ...options });
  }

  private frontDoor(props: SwitchyardProps, retention: logs.RetentionDays): apigateway.RestApi {
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention, removalPolicy: RemovalPolicy.DESTROY, ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}) });
    const throttling = props.apiThrottling ?? {};
    const api = new apigateway.RestApi(this, 'Api', {
      description: 'Switchyard: the Step Functions API (JSON protocol at POST /) and the REST surface',
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        tracingEnabled: true,
        throttlingRateLimit: throttling.rateLimit ?? 100,
        throttlingBurstLimit: throttling.burstLimit ?? 200,
      },
      defaultMethodOptions: props.authorizer
        ? { authorizer: props.authorizer, authorizationType: props.authorizer.authorizationType ?? apigateway.AuthorizationType.CUSTOM }
        : { authorizationType: apigateway.AuthorizationType.IAM },
    });
    // Bodies are validated by the API function against Step Functions' API model (its own error shapes);
    // API Gateway checks the required parameters.
    const requestValidator = new apigateway.RequestValidator(this, 'ApiRequestValidator', { restApi: api, validateRequestParameters: true, validateRequestBody: false });
    Validations.of(api).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-COG4', reason: 'The front door speaks the Step Functions API: callers sign with SigV4 (AWS_IAM), as the official SDK and CLI do; a Cognito authorizer is optional (props.authorizer).' },
      { id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]', reason: "API Gateway's account-level CloudWatch role uses the managed policy AmazonAPIGatewayPushToCloudWatchLogs, as API Gateway documents." },
      { id: 'AwsSolutions::AwsSolutions-APIG2', reason: "Bodies are checked by the API function against Step Functions' API model, answering in the service's own error shapes (ValidationException, InvalidArn, ...) that the SDK parses; an API Gateway model would answer in API Gateway's." },
      { id: 'AwsSolutions::AwsSolutions-APIG3', reason: 'Every method is authorized (SigV4 by default), so unsigned traffic never reaches the function; associate a WAF web ACL with the stage when the API faces the internet at large.' },
    );
    const integration = new apigateway.LambdaIntegration(this.apiFunction);
    api.root.addMethod('POST', integration, { requestValidator });
    api.root.addResource('{proxy+}').addMethod('ANY', integration, { requestValidator });
    if (props.publicCallbackLinks) {
      const task = api.root.addResource('tasks').addResource('{taskToken}');
      for (const verb of ['approve', 'reject']) {
        const method = task.addResource(verb).addMethod('GET', integration, { authorizationType: apigateway.AuthorizationType.NONE, requestParameters: { 'method.request.path.taskToken': true }, requestValidator });
        Validations.of(method).acknowledge(
          { id: 'AwsSolutions::AwsSolutions-APIG4', reason: 'publicCallbackLinks: the task token in the path (random, single use) is the credential of an approval link.' },
          { id: 'AwsSolutions::AwsSolutions-COG4', reason: 'publicCallbackLinks: the task token in the path is the credential of an approval link.' },
        );
      }
    }
    return api;
  }
}

const capitalise = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

/** Checks props at construction, echoing the bad value (aws-cdk-lib's idiom). */
function validateProps(props: SwitchyardProps): void {
  const inRange = (name: string, value: number | undefined, min: number, max: number): void => {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  };
  inRange('batchSize', props.batchSize, 1, 10);
  inRange('maxReceiveCount', props.maxReceiveCount, 1, 1000);
  inRange('transitionMemorySize', props.transitionMemorySize, 128, 10240);
  inRange('apiMemorySize', props.apiMemorySize, 128, 10240);
  inRange('maxRequestBytes', props.maxRequestBytes, 1, 6 * 1024 * 1024);
  inRange('transitionReservedConcurrency', props.transitionReservedConcurrency, 1, 100000);
  if (props.callerPolicies !== undefined) {
    if (props.authorizer) throw new Error('callerPolicies need AWS_IAM authorization (the caller is the SigV4 signer): remove authorizer, or leave out callerPolicies');
    const size = Buffer.byteLength(JSON.stringify(props.callerPolicies));
    if (size > 3500) throw new Error(`callerPolicies must fit in the function's environment (at most 3500 bytes as JSON), got ${size} bytes`);
  }
  const timeout = props.transitionTimeout?.toSeconds();
  if (timeout !== undefined && (timeout < 30 || timeout > 900)) throw new Error(`transitionTimeout must be from 30 seconds to 15 minutes (Lambda's limit), got ${timeout} seconds`);
  const retention = props.executionRetention?.toSeconds();
  if (retention !== undefined && retention < 86_400) throw new Error(`executionRetention must be at least 1 day, got ${retention} seconds`);
  const ns = props.metricsNamespace;
  if (ns !== undefined && (!/^[A-Za-z0-9._\-/#:]{1,255}$/.test(ns) || ns.startsWith('AWS/'))) throw new Error(`metricsNamespace must be 1-255 of letters, digits and . _ - / # : and not start with AWS/, got '${ns}'`);
}
