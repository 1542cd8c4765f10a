/** The grants a definition's integration tasks need, from the catalog, scoped to the resources their parameters name. */
import { definitionGrants, taskGrants } from '../../../lib/asl/integrations';

const task = (Resource: string, Parameters?: unknown) => ({ Type: 'Task', Resource, ...(Parameters === undefined ? {} : { Parameters }), End: true });

describe('optimized integrations', () => {
  it('scopes dynamodb:putItem to the table TableName names, by name or by ARN', () => {
    expect(taskGrants('Save', 'arn:aws:states:::dynamodb:putItem', { TableName: 'orders', Item: {} })).toEqual([
      { state: 'Save', actions: ['dynamodb:PutItem'], resource: { service: 'dynamodb', resource: 'table/orders' } },
    ]);
    expect(taskGrants('Get', 'arn:aws:states:::dynamodb:getItem', { TableName: 'arn:aws:dynamodb:eu-west-1:111122223333:table/t' })).toEqual([
      { state: 'Get', actions: ['dynamodb:GetItem'], resource: { arn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/t' } },
    ]);
  });

  it('scopes sqs:sendMessage to the queue of the QueueUrl, with the URL’s region and account', () => {
    expect(taskGrants('Send', 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs.fifo', MessageBody: {} })).toEqual([
      { state: 'Send', actions: ['sqs:SendMessage'], resource: { service: 'sqs', resource: 'jobs.fifo', region: 'eu-west-1', account: '111122223333' } },
    ]);
    expect(taskGrants('Send', 'arn:aws:states:::sqs:sendMessage', { QueueUrl: '${Token[TOKEN.1]}' })[0]!.resource).toEqual({ queueUrl: '${Token[TOKEN.1]}' });
  });

  it('scopes sns:publish to TopicArn, and events:putEvents to each entry’s bus, the default bus when an entry names none', () => {
    expect(taskGrants('Tell', 'arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:news', Message: 'hi' })).toEqual([
      { state: 'Tell', actions: ['sns:Publish'], resource: { arn: 'arn:aws:sns:us-east-1:123456789012:news' } },
    ]);
    expect(taskGrants('Emit', 'arn:aws:states:::events:putEvents', { Entries: [{ EventBusName: 'orders', Detail: {} }, { Detail: {} }] }).map((g) => g.resource)).toEqual([
      { service: 'events', resource: 'event-bus/orders' },
      { service: 'events', resource: 'event-bus/default' },
    ]);
  });

  it('grants http:invoke the connection and its secret', () => {
    const connection = 'arn:aws:events:us-east-1:123456789012:connection/stripe/0bd5cd33-aaaa-bbbb-cccc-000000000000';
    expect(taskGrants('Call', 'arn:aws:states:::http:invoke', { ApiEndpoint: 'https://api.example.com', Method: 'GET', Authentication: { ConnectionArn: connection } })).toEqual([
      { state: 'Call', actions: ['events:DescribeConnection'], resource: { arn: connection } },
      { state: 'Call', actions: ['secretsmanager:GetSecretValue'], resource: { arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/stripe/*' } },
    ]);
  });

  it('grants ecs:runTask on the task definition (every revision of a family) and iam:PassRole to ECS tasks only', () => {
    expect(taskGrants('Run', 'arn:aws:states:::ecs:runTask', { Cluster: 'c', TaskDefinition: 'job' })).toEqual([
      { state: 'Run', actions: ['ecs:RunTask'], resource: { service: 'ecs', resource: 'task-definition/job:*' } },
      { state: 'Run', actions: ['iam:PassRole'], resource: { any: 'the action names no resource' }, conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } },
    ]);
    expect(taskGrants('Run', 'arn:aws:states:::ecs:runTask', { TaskDefinition: 'job:7' })[0]!.resource).toEqual({ service: 'ecs', resource: 'task-definition/job:7' });
  });

  it('grants `*` with the reason when the resource is chosen at run time (a path or JSONata) or not named', () => {
    expect(taskGrants('Save', 'arn:aws:states:::dynamodb:putItem', { 'TableName.$': '$.table' })[0]!.resource).toEqual({ any: 'TableName is chosen at run time ($.table)' });
    expect(taskGrants('Save', 'arn:aws:states:::dynamodb:putItem', { TableName: '{% $table %}' })[0]!.resource).toEqual({ any: 'TableName is chosen at run time ({% $table %})' });
    expect(taskGrants('Save', 'arn:aws:states:::dynamodb:putItem', '{% $states.input %}')[0]!.resource).toEqual({ any: 'TableName is chosen at run time ({% $states.input %})' });
    expect(taskGrants('Text', 'arn:aws:states:::sns:publish', { PhoneNumber: '+15555550100', Message: 'hi' })[0]!.resource).toEqual({ any: 'the task gives no TopicArn' });
  });

  it('grants nothing for a function, an activity or lambda:invoke (granted as functions)', () => {
    expect(taskGrants('F', 'arn:aws:lambda:us-east-1:123456789012:function:f', {})).toEqual([]);
    expect(taskGrants('A', 'arn:aws:states:us-east-1:123456789012:activity:a', {})).toEqual([]);
    expect(taskGrants('L', 'arn:aws:states:::lambda:invoke', { FunctionName: 'f' })).toEqual([]);
  });
});

describe('AWS SDK integrations', () => {
  it('grants <service>:<Action> on the resource its known parameter names', () => {
    expect(taskGrants('Q', 'arn:aws:states:::aws-sdk:dynamodb:query', { TableName: 'orders' })).toEqual([{ state: 'Q', actions: ['dynamodb:Query'], resource: { service: 'dynamodb', resource: 'table/orders' } }]);
    expect(taskGrants('Get', 'arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'docs', Key: 'a/b.json' })[0]!.resource).toEqual({ service: 's3', resource: 'docs/a/b.json', region: '', account: '' });
    expect(taskGrants('Get', 'arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'docs', 'Key.$': '$.key' })[0]!.resource).toEqual({ service: 's3', resource: 'docs/*', region: '', account: '' });
    expect(taskGrants('List', 'arn:aws:states:::aws-sdk:s3:listBuckets', {})[0]!.resource).toEqual({ any: 'the task gives no Bucket' });
  });

  it('uses IAM’s prefix where it differs from the SDK’s service name, and a static ARN parameter when the service has no known one', () => {
    expect(taskGrants('Start', 'arn:aws:states:::aws-sdk:sfn:startExecution', { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child' })).toEqual([
      { state: 'Start', actions: ['states:StartExecution'], resource: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child' } },
    ]);
    expect(taskGrants('Tag', 'arn:aws:states:::aws-sdk:kms:describeKey', { KeyId: 'alias/x', GrantArn: 'arn:aws:kms:us-east-1:123456789012:key/k' })[0]!.resource).toEqual({ arn: 'arn:aws:kms:us-east-1:123456789012:key/k' });
    expect(taskGrants('Who', 'arn:aws:states:::aws-sdk:sts:getCallerIdentity', {})).toEqual([{ state: 'Who', actions: ['sts:GetCallerIdentity'], resource: { any: 'the action names no resource' } }]);
  });
});

describe('definitionGrants', () => {
  it('collects the grants of tasks in Parallel branches and Maps, naming each state by its path', () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'Save', States: { Save: task('arn:aws:states:::dynamodb:putItem', { TableName: 't' }) } }], Next: 'M' },
        M: { Type: 'Map', ItemProcessor: { StartAt: 'Tell', States: { Tell: task('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:n' }) } }, End: true },
      },
    };
    expect(definitionGrants(definition).map((g) => [g.state, g.actions])).toEqual([['P/Save', ['dynamodb:PutItem']], ['M/Tell', ['sns:Publish']]]);
  });
});
