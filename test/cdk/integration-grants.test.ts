/** A state machine's role is granted exactly the service actions its integration tasks call, on the resources they name. */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Switchyard } from '../../lib/cdk';

const env = { account: '123456789012', region: 'us-east-1' };
interface Statement { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown }
const task = (Resource: string, Parameters: unknown, Next?: string) => ({ Type: 'Task', Resource, Parameters, ...(Next ? { Next } : { End: true }) });
const partition = { Ref: 'AWS::Partition' };

function build(app = new App({ context: { 'aws:cdk:bundling-stacks': [] } })) {
  const stack = new Stack(app, 'Grants', { env });
  const yard = new Switchyard(stack, 'Yard');
  const table = new dynamodb.TableV2(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const queue = new sqs.Queue(stack, 'Jobs', { enforceSSL: true });
  const orders = yard.addStateMachine('orders', {
    definition: {
      StartAt: 'Save',
      States: {
        Save: task('arn:aws:states:::dynamodb:putItem', { TableName: table.tableName, Item: { id: { 'S.$': '$.id' } } }, 'Again'),
        Again: task('arn:aws:states:::dynamodb:putItem', { TableName: 'archive', Item: { id: { 'S.$': '$.id' } } }, 'Queue'),
        Queue: task('arn:aws:states:::sqs:sendMessage', { QueueUrl: queue.queueUrl, 'MessageBody.$': '$' }, 'Static'),
        Static: task('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/other', MessageBody: 'x' }, 'Tell'),
        Tell: task('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:news', Message: 'done' }, 'Emit'),
        Emit: task('arn:aws:states:::events:putEvents', { Entries: [{ Source: 'shop', DetailType: 'placed', Detail: {} }] }, 'Pick'),
        Pick: task('arn:aws:states:::dynamodb:getItem', { 'TableName.$': '$.table', Key: { id: { S: 'x' } } }, 'Run'),
        Run: task('arn:aws:states:::ecs:runTask', { Cluster: 'jobs', TaskDefinition: 'report', LaunchType: 'FARGATE' }),
      },
    },
  });
  const t = Template.fromStack(stack);
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  const statementsOf = (roleId: string): Statement[] =>
    Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  return { stack, yard, t, id, statementsOf, table, queue, orders };
}

describe('integration grants', () => {
  const { id, statementsOf, table, queue, orders, yard } = build();
  const queueArn = { 'Fn::Join': ['', ['arn:', partition, ':sqs:us-east-1:', { 'Fn::Select': [3, { 'Fn::Split': ['/', { Ref: id(queue) }] }] }, ':', { 'Fn::Select': [4, { 'Fn::Split': ['/', { Ref: id(queue) }] }] }]] };
  const expected = [
    {
      Action: 'dynamodb:PutItem',
      Effect: 'Allow',
      Resource: [
        { 'Fn::Join': ['', ['arn:', partition, ':dynamodb:us-east-1:123456789012:table/', { Ref: id(table) }]] },
        { 'Fn::Join': ['', ['arn:', partition, ':dynamodb:us-east-1:123456789012:table/archive']] },
      ],
    },
    { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: [queueArn, { 'Fn::Join': ['', ['arn:', partition, ':sqs:eu-west-1:111122223333:other']] }] },
    { Action: 'sns:Publish', Effect: 'Allow', Resource: 'arn:aws:sns:us-east-1:123456789012:news' },
    { Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', partition, ':events:us-east-1:123456789012:event-bus/default']] } },
    { Action: 'dynamodb:GetItem', Effect: 'Allow', Resource: '*' },
    { Action: 'ecs:RunTask', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', partition, ':ecs:us-east-1:123456789012:task-definition/report:*']] } },
    { Action: 'iam:PassRole', Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }, Effect: 'Allow', Resource: '*' },
  ];

  it('grants each action on the resources the tasks name: a table by token or name, a queue by its URL, a topic, the default bus, a task definition’s revisions; `*` where the table is chosen at run time, and for iam:PassRole to ECS tasks only', () => {
    expect(statementsOf(id(orders.role))).toEqual(expected);
  });

  it('grants the API function (TestState) the same', () => {
    const api = statementsOf(id(yard.apiFunction.role as never));
    for (const statement of expected) expect(api).toContainEqual(statement);
  });

  it('keeps cdk-nag clean, each wildcard acknowledged with the state it is for', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const { stack } = build(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
    const reasons = JSON.stringify(stack.node.findAll().flatMap((c) => c.node.metadata.map((m) => m.data)));
    expect(reasons).toContain("dynamodb:GetItem for state 'Pick': TableName is chosen at run time ($.table)");
  });
});
