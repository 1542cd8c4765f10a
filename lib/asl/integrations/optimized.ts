/**
 * The optimized integrations Step Functions offers, as data: each service's
 * actions, the patterns each supports (developer guide, "Integrating
 * optimized services with Step Functions", the Standard Workflows table),
 * how its errors are named, and whether Switchyard runs it yet. Adding an
 * integration is one entry here; validation, the SDK runner and (later) the
 * CDK grants read this table.
 */
import { asArn, clusterTasks, connectionSecret, named, queueFromUrl, taskDefinition, type IntegrationGrant } from './grant-arns';
import { apiGatewayInvokeResources } from './apigateway';
import { IntegrationPattern as P, type IntegrationPattern } from './resource';

/** Who runs an action in Switchyard today. */
export const IntegrationRunner = {
  /** The SDK task runner (lib/aws/integrations): the API call, request-response or with a task token. */
  Sdk: 'sdk',
  /** The Lambda task runners (cloud and local handlers). */
  Lambda: 'lambda',
  /** Switchyard's own executions, started by the driver that runs the task (nested workflows). */
  Nested: 'nested',
  /** The HTTP Task runner (lib/service/http-task-runner.ts), with the connection's credentials. */
  Http: 'http',
  /** The API Gateway runner (lib/service/apigateway-task-runner.ts): the API's URL, SigV4-signed for IAM_ROLE. */
  ApiGateway: 'apigateway',
  /** Known to validation, not run yet: the task fails with States.Runtime naming the resource. */
  NotYet: 'not-yet',
} as const;
export type IntegrationRunner = (typeof IntegrationRunner)[keyof typeof IntegrationRunner];

export interface OptimizedAction {
  /** The patterns Step Functions supports for this action. */
  readonly patterns: readonly IntegrationPattern[];
  readonly runner: IntegrationRunner;
  /**
   * Parameters Step Functions sends as JSON text when the definition gives
   * them as JSON values (`MessageBody`, `Entries[].Detail`).
   */
  readonly jsonText?: readonly string[];
  /** Members of the request Step Functions copies into the result, first (glue:startJobRun's `JobName`). @default none */
  readonly echoInput?: readonly string[];
  /** The result carries `SdkHttpMetadata` and `SdkResponseMetadata`, as Step Functions' Java client reports them. */
  readonly httpMetadata?: boolean;
  /**
   * What the state machine's role must be allowed for the call, each scoped
   * to the resource a parameter names (the deployment grants these).
   * @default none granted
   */
  readonly grants?: readonly IntegrationGrant[];
}

export interface OptimizedService {
  /** The AWS SDK client package is `@aws-sdk/client-<client>`; absent for integrations that are no AWS API (http). */
  readonly client?: string;
  /** Errors are `<errorPrefix>.<ExceptionName>`, e.g. `DynamoDB.ConditionalCheckFailedException`. */
  readonly errorPrefix: string;
  /** The service in a cause text: `(Service: AmazonDynamoDBv2; Status Code: 400; …)`. */
  readonly causeService: string;
  readonly actions: Readonly<Record<string, OptimizedAction>>;
}

const RR = [P.RequestResponse] as const;
const RR_TOKEN = [P.RequestResponse, P.WaitForTaskToken] as const;

/** A DynamoDB item action on the table TableName names (a name or a table ARN). */
const table = (action: string): readonly IntegrationGrant[] => [{ actions: [action], parameter: 'TableName', arn: named('dynamodb', 'table/') }];

/** The optimized integrations by service, as they appear in `arn:aws:states:::<service>:<action>`. */
export const OPTIMIZED_INTEGRATIONS: Readonly<Record<string, OptimizedService>> = {
  lambda: { client: 'lambda', errorPrefix: 'Lambda', causeService: 'AWSLambda', actions: { invoke: { patterns: RR_TOKEN, runner: 'lambda' } } },
  sqs: {
    client: 'sqs',
    errorPrefix: 'SQS',
    causeService: 'AmazonSQS',
    actions: {
      sendMessage: { patterns: RR_TOKEN, runner: 'sdk', jsonText: ['MessageBody'], httpMetadata: true, grants: [{ actions: ['sqs:SendMessage'], parameter: 'QueueUrl', arn: queueFromUrl }] },
    },
  },
  sns: {
    client: 'sns',
    errorPrefix: 'SNS',
    causeService: 'AmazonSNS',
    actions: { publish: { patterns: RR_TOKEN, runner: 'sdk', jsonText: ['Message'], httpMetadata: true, grants: [{ actions: ['sns:Publish'], parameter: 'TopicArn', arn: asArn }] } },
  },
  dynamodb: {
    client: 'dynamodb',
    errorPrefix: 'DynamoDB',
    causeService: 'AmazonDynamoDBv2',
    // "Only GetItem, PutItem, UpdateItem, and DeleteItem API actions are available through optimized integration."
    actions: {
      getItem: { patterns: RR, runner: 'sdk', httpMetadata: true, grants: table('dynamodb:GetItem') },
      putItem: { patterns: RR, runner: 'sdk', httpMetadata: true, grants: table('dynamodb:PutItem') },
      updateItem: { patterns: RR, runner: 'sdk', httpMetadata: true, grants: table('dynamodb:UpdateItem') },
      deleteItem: { patterns: RR, runner: 'sdk', httpMetadata: true, grants: table('dynamodb:DeleteItem') },
    },
  },
  events: {
    client: 'eventbridge',
    errorPrefix: 'EventBridge',
    causeService: 'AmazonEventBridge',
    actions: {
      // "If you don't specify an event bus, the default event bus is used."
      putEvents: { patterns: RR_TOKEN, runner: 'sdk', jsonText: ['Entries[].Detail'], grants: [{ actions: ['events:PutEvents'], parameter: 'Entries[].EventBusName', absent: 'default', arn: named('events', 'event-bus/') }] },
    },
  },
  states: {
    client: 'sfn',
    errorPrefix: 'StepFunctions',
    causeService: 'AWSStepFunctions',
    actions: { startExecution: { patterns: [P.RequestResponse, P.Sync, P.Sync2, P.WaitForTaskToken], runner: 'nested', httpMetadata: true } },
  },
  ecs: {
    client: 'ecs',
    errorPrefix: 'ECS',
    causeService: 'AmazonECS',
    actions: {
      // `.sync` waits for the task to stop (lib/asl/integrations/sync-jobs.ts): the task is described when it has, and stopped with the state.
      runTask: {
        patterns: [P.RequestResponse, P.Sync, P.WaitForTaskToken],
        runner: 'sdk',
        httpMetadata: true,
        grants: [
          { actions: ['ecs:RunTask'], parameter: 'TaskDefinition', arn: taskDefinition },
          // The task definition's task and execution roles are not in the state machine's definition.
          { actions: ['iam:PassRole'], conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } },
          { actions: ['ecs:StopTask', 'ecs:DescribeTasks'], parameter: 'Cluster', absent: 'default', arn: clusterTasks, patterns: [P.Sync] },
        ],
      },
    },
  },
  batch: {
    client: 'batch',
    errorPrefix: 'Batch',
    causeService: 'AWSBatch',
    actions: {
      submitJob: {
        patterns: [P.RequestResponse, P.Sync, P.WaitForTaskToken],
        runner: 'sdk',
        httpMetadata: true,
        grants: [
          { actions: ['batch:SubmitJob'], parameter: 'JobDefinition', arn: named('batch', 'job-definition/') },
          { actions: ['batch:SubmitJob'], parameter: 'JobQueue', arn: named('batch', 'job-queue/') },
          // "AWS Batch has partial support for resource-level access control": DescribeJobs has none; a job's id is known only once it is submitted.
          { actions: ['batch:DescribeJobs'], patterns: [P.Sync] },
          { actions: ['batch:TerminateJob'], arn: () => ({ service: 'batch', resource: 'job/*' }), patterns: [P.Sync] },
        ],
      },
    },
  },
  glue: {
    client: 'glue',
    errorPrefix: 'Glue',
    causeService: 'AWSGlue',
    actions: {
      // "The JobName field is extracted from the request and inserted into the response, which normally only contains JobRunID."
      startJobRun: {
        patterns: [P.RequestResponse, P.Sync, P.WaitForTaskToken],
        runner: 'sdk',
        echoInput: ['JobName'],
        httpMetadata: true,
        grants: [
          { actions: ['glue:StartJobRun'], parameter: 'JobName', arn: named('glue', 'job/') },
          { actions: ['glue:GetJobRun', 'glue:BatchStopJobRun'], parameter: 'JobName', arn: named('glue', 'job/'), patterns: [P.Sync] },
        ],
      },
    },
  },
  apigateway: {
    errorPrefix: 'ApiGateway',
    causeService: 'AmazonApiGateway',
    actions: {
      // "apigateway:invoke: has no equivalent in the AWS SDK service integration": the API's own URL, signed for IAM_ROLE.
      invoke: { patterns: RR_TOKEN, runner: 'apigateway', grants: [{ actions: ['execute-api:Invoke'], resources: apiGatewayInvokeResources }] },
    },
  },
  http: {
    errorPrefix: 'States.Http',
    causeService: 'HTTP',
    actions: {
      // The connection's credentials are read from the secret EventBridge keeps them in (lib/aws/integrations/connections.ts).
      invoke: {
        patterns: RR,
        runner: 'http',
        grants: [
          { actions: ['events:DescribeConnection'], parameter: 'Authentication.ConnectionArn', arn: asArn },
          { actions: ['secretsmanager:GetSecretValue'], parameter: 'Authentication.ConnectionArn', arn: connectionSecret },
        ],
      },
    },
  },
};

/** "AWS SDK integrations: Request Response … Wait for Callback" — never `.sync`. */
export const AWS_SDK_PATTERNS: readonly IntegrationPattern[] = RR_TOKEN;

/** The optimized action a resource names, with its service; undefined when Step Functions has no such integration. */
export function optimizedAction(service: string, action: string): { service: OptimizedService; action: OptimizedAction } | undefined {
  const entry = Object.prototype.hasOwnProperty.call(OPTIMIZED_INTEGRATIONS, service) ? OPTIMIZED_INTEGRATIONS[service] : undefined;
  const act = entry && Object.prototype.hasOwnProperty.call(entry.actions, action) ? entry.actions[action] : undefined;
  return entry && act ? { service: entry, action: act } : undefined;
}
