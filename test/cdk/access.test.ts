import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Switchyard, type SwitchyardProps } from '../../lib/cdk';

const env = { account: '123456789012', region: 'us-east-1' };

interface Statement { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown }

/** Each function's statements (every policy attached to its role), with CloudFormation references resolved to logical ids. */
function rolePolicies(extra: (stack: Stack) => Partial<SwitchyardProps> = () => ({}), after: (yard: Switchyard) => void = () => undefined) {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', { env });
  const yard = new Switchyard(stack, 'Yard', extra(stack));
  after(yard);
  const t = Template.fromStack(stack);
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  const of = (fn: lambda.IFunction): Statement[] =>
    Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === id(fn.role as never)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  const actions = (fn: lambda.IFunction) => of(fn).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
  return { template: t, yard, id, of, actions };
}

describe('function roles', () => {
  const { yard, id, of, actions } = rolePolicies();
  const table = id(yard.table);
  const queue = { 'Fn::GetAtt': [id(yard.queue), 'Arn'] };
  const dlq = { 'Fn::GetAtt': [id(yard.deadLetterQueue), 'Arn'] };
  const invokerQueue = { 'Fn::GetAtt': [id(yard.invokerQueue), 'Arn'] };
  const own = (logs: string) => ({ 'Fn::GetAtt': [id(yard.node.findChild(logs) as never), 'Arn'] });
  const expressInvoke = { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(yard.expressFunction), 'Arn'] } };

  it('give the transition function its table calls, the queues it sends to, the payload objects, the token key, the Express function and its own log group', () => {
    expect(actions(yard.transitionFunction)).toEqual([
      'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
      'lambda:InvokeFunction', // the Express function (an EXPRESS child of a states:startExecution task it runs)
      'logs:CreateLogStream', 'logs:PutLogEvents',
      's3:GetObject', 's3:PutObject',
      'secretsmanager:GetSecretValue',
      'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', // the event source mapping's
      'sqs:SendMessage',
    ]);
    expect(of(yard.transitionFunction)).toContainEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: [queue, dlq, invokerQueue] });
    expect(of(yard.transitionFunction)).toContainEqual({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: own('TransitionLogs') });
    expect(of(yard.transitionFunction)).toContainEqual(expressInvoke);
  });

  it('give the API function every table call (DeleteItem for the Delete* actions and GetActivityTask), the queue, the objects, the token key and the Express function', () => {
    expect(actions(yard.apiFunction)).toEqual([
      'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
      'lambda:InvokeFunction', // the Express function, asynchronously (asynchronous EXPRESS starts)
      'logs:CreateLogStream', 'logs:PutLogEvents',
      's3:GetObject', 's3:PutObject',
      'secretsmanager:GetSecretValue',
      'sqs:SendMessage',
    ]);
    expect(of(yard.apiFunction)).toContainEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: [queue, invokerQueue] });
    expect(of(yard.apiFunction)).toContainEqual(expressInvoke);
  });

  it('give the Express function what running an execution calls (StartExecution for a states:startExecution task), its dead-letter queue, the token key (a `.sync` parent it completes), and no invoke of itself', () => {
    expect(actions(yard.expressFunction)).toEqual([
      'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
      'logs:CreateLogStream', 'logs:PutLogEvents',
      's3:GetObject', 's3:PutObject',
      'secretsmanager:GetSecretValue',
      'sqs:SendMessage', 'sqs:SendMessage',
    ]);
    expect(of(yard.expressFunction)).toContainEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: [queue, invokerQueue] });
    expect(of(yard.expressFunction)).toContainEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(yard.expressDeadLetterQueue), 'Arn'] } });
    expect(of(yard.expressFunction)).toContainEqual({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: own('ExpressLogs') });
  });

  it('give the schedule function what StartExecution calls (the Express function for an EXPRESS start): no DeleteItem, no dead letters, no token key', () => {
    expect(actions(yard.scheduleFunction)).toEqual([
      'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
      'lambda:InvokeFunction', // the Express function, asynchronously
      'logs:CreateLogStream', 'logs:PutLogEvents',
      's3:GetObject', 's3:PutObject',
      'sqs:SendMessage',
    ]);
    expect(of(yard.scheduleFunction)).toContainEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: [queue, invokerQueue] });
    expect(of(yard.scheduleFunction)).toContainEqual(expressInvoke);
  });

  it('give the task invoker what applying an outcome takes (a transition’s calls), its claim items and its own queue’s event source: no dead letters, no task of its own', () => {
    expect(actions(yard.invokerFunction)).toEqual([
      'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
      'lambda:InvokeFunction', // the Express function (an EXPRESS child of a states:startExecution task it runs)
      'logs:CreateLogStream', 'logs:PutLogEvents',
      's3:GetObject', 's3:PutObject',
      'secretsmanager:GetSecretValue',
      'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', // the event source mapping's
      'sqs:SendMessage',
    ]);
    expect(of(yard.invokerFunction)).toContainEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: [queue, invokerQueue] });
    expect(of(yard.invokerFunction)).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['sqs:ReceiveMessage']), Resource: invokerQueue }));
    expect(of(yard.invokerFunction)).toContainEqual({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: own('InvokerLogs') });
    expect(of(yard.invokerFunction)).toContainEqual(expressInvoke);
  });

  it('give the register function the state machine items and the objects only: no queue, no task, no token key', () => {
    expect(actions(yard.registerFunction)).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetObject', 's3:PutObject']);
    expect(of(yard.registerFunction)).toContainEqual({
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      Effect: 'Allow',
      Resource: [{ 'Fn::GetAtt': [table, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, '/index/byMachine']] }],
    });
  });

  it('let only the API function invoke tasks itself (TestState): the transition function invokes with the state machines’ roles', () => {
    const granted = rolePolicies(undefined, (y) => y.grantTaskInvokeArns(['arn:aws:lambda:us-east-1:123456789012:function:work']));
    const invokers = Object.values(granted.template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('lambda:us-east-1:123456789012:function:work'))
      .flatMap((p) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    expect(invokers).toEqual([granted.id(granted.yard.apiFunction.role as never)]);
    // Their one invoke, if any, is of the Express function alone.
    const express = { 'Fn::GetAtt': [granted.id(granted.yard.expressFunction), 'Arn'] };
    for (const fn of [granted.yard.transitionFunction, granted.yard.invokerFunction, granted.yard.expressFunction, granted.yard.scheduleFunction, granted.yard.registerFunction]) {
      expect(granted.of(fn).filter((s) => JSON.stringify(s.Action).includes('lambda:')).map((s) => s.Resource).filter((r) => JSON.stringify(r) !== JSON.stringify(express))).toEqual([]);
    }
    for (const fn of [granted.yard.expressFunction, granted.yard.registerFunction]) expect(granted.actions(fn)).not.toContain('lambda:InvokeFunction');
  });
});

describe('function roles with a bus and a key', () => {
  const { yard, id, of, actions } = rolePolicies((stack) => ({
    statusChangeEventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'default'),
    encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
  }));
  const keyArn = { 'Fn::GetAtt': [id(yard.encryptionKey as never), 'Arn'] };

  it('let the functions that start or end executions put status events (the invoker ends them too), and not the register function', () => {
    for (const fn of [yard.transitionFunction, yard.invokerFunction, yard.apiFunction, yard.scheduleFunction]) expect(actions(fn)).toContain('events:PutEvents');
    expect(actions(yard.registerFunction)).not.toContain('events:PutEvents');
  });

  it('give every function kms:Decrypt and kms:GenerateDataKey on the key and nothing more of KMS', () => {
    for (const fn of [yard.transitionFunction, yard.invokerFunction, yard.apiFunction, yard.scheduleFunction, yard.registerFunction]) {
      expect(of(fn)).toContainEqual({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: keyArn });
      expect(new Set(actions(fn).filter((a) => a.startsWith('kms:')))).toEqual(new Set(['kms:Decrypt', 'kms:GenerateDataKey']));
    }
  });
});
