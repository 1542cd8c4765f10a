/** Each state machine's own role: trusted by the transition function's role alone, granted exactly the functions its definition invokes. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Switchyard } from '../../lib/cdk';

const env = { account: '123456789012', region: 'us-east-1' };
interface Statement { Action: string | string[]; Resource: unknown; Effect: string; Principal?: unknown }

function build(extra: (stack: Stack, yard: Switchyard) => void = () => undefined) {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', { env });
  const yard = new Switchyard(stack, 'Yard');
  const fn = (id: string) => new lambda.Function(stack, id, { code: lambda.Code.fromInline('exports.handler = async () => ({})'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
  const work = fn('Work');
  const orders = yard.addStateMachine('orders', {
    definition: {
      StartAt: 'Charge',
      States: {
        Charge: { Type: 'Task', Resource: '${WorkArn}', Next: 'Bill' },
        Bill: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'billing', 'Payload.$': '$' }, End: true },
      },
    },
    definitionSubstitutions: { WorkArn: work.functionArn },
  });
  const quiet = yard.addStateMachine('quiet', { definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } });
  extra(stack, yard);
  const t = Template.fromStack(stack);
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  const arnOf = (c: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [id(c), 'Arn'] });
  /** The statements of every policy attached to `roleId`. */
  const statementsOf = (roleId: string): Statement[] =>
    Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  return { stack, yard, t, id, arnOf, statementsOf, work, orders, quiet, fn };
}

const billing = (suffix = '') => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:lambda:us-east-1:123456789012:function:billing${suffix}`]] });
const qualified = (arn: unknown) => ({ 'Fn::Join': ['', [arn, ':*']] });

describe('state machine roles', () => {
  const { t, id, arnOf, statementsOf, yard, work, orders, quiet } = build();

  it('makes one role per state machine, trusted by the task invoker’s, the API function’s and the Express function’s roles alone (TestState and EXPRESS executions run their tasks with it)', () => {
    for (const sm of [orders, quiet]) {
      const role = t.findResources('AWS::IAM::Role')[id(sm.role)]!;
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: arnOf(yard.invokerFunction.role as never) } },
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: arnOf(yard.apiFunction.role as never) } },
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: arnOf(yard.expressFunction.role as never) } },
      ]);
    }
  });

  it('grants a role exactly the functions its definition invokes, each with its versions and aliases, and nothing to a definition without tasks', () => {
    expect(statementsOf(id(orders.role))).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: [arnOf(work), qualified(arnOf(work)), billing(), billing(':*')] },
    ]);
    expect(statementsOf(id(quiet.role))).toEqual([]);
  });

  it('lets the task invoker, the API function and the Express function assume exactly those roles, and the invoker invoke no task with its own', () => {
    for (const fn of [yard.invokerFunction, yard.apiFunction, yard.expressFunction]) {
      expect(statementsOf(id(fn.role as never)).filter((s) => s.Action === 'sts:AssumeRole')).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: arnOf(orders.role) },
        { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: arnOf(quiet.role) },
      ]);
    }
    // Its one invoke with its own role is of the Express function (an EXPRESS child's start), never of a task.
    expect(statementsOf(id(yard.invokerFunction.role as never)).filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'))).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(yard.expressFunction), 'Arn'] } },
    ]);
    for (const fn of [yard.transitionFunction, yard.scheduleFunction, yard.registerFunction]) {
      expect(statementsOf(id(fn.role as never)).flatMap((s) => [s.Action].flat())).not.toContain('sts:AssumeRole');
    }
  });

  it('registers each state machine with its role as roleArn, and runs the task invoker with the roles switched on', () => {
    const regs = Object.values(t.findResources('Custom::SwitchyardStateMachine')).map((r) => [r.Properties.Name, r.Properties.RoleArn]);
    expect(regs).toEqual([['orders', arnOf(orders.role)], ['quiet', arnOf(quiet.role)]]);
    const invoker = t.findResources('AWS::Lambda::Function')[id(yard.invokerFunction)]!;
    expect(invoker.Properties.Environment.Variables.SWITCHYARD_TASK_ROLES).toBe('assume');
    const transition = t.findResources('AWS::Lambda::Function')[id(yard.transitionFunction)]!;
    expect(transition.Properties.Environment.Variables.SWITCHYARD_TASK_ROLES).toBeUndefined();
  });
});

describe('grants beyond a definition', () => {
  it('grantTaskInvoke lets every state machine’s role invoke the function, those added before and after', () => {
    let late: { role: { node: { defaultChild?: unknown } } } | undefined;
    let dynamic: lambda.IFunction | undefined;
    const { id, arnOf, statementsOf, orders, quiet } = build((stack, yard) => {
      dynamic = new lambda.Function(stack, 'Dynamic', { code: lambda.Code.fromInline('exports.handler = async () => ({})'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
      yard.grantTaskInvoke(dynamic);
      late = yard.addStateMachine('late', { definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } });
    });
    const grant = { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: [arnOf(dynamic as never), qualified(arnOf(dynamic as never))] };
    for (const sm of [orders, quiet, late!]) expect(statementsOf(id(sm.role as never))).toContainEqual(grant);
  });

  it('gives a chain’s own task grants to its state machine’s role only', () => {
    let chained: { role: { node: { defaultChild?: unknown } } } | undefined;
    let quote: lambda.IFunction | undefined;
    const { id, statementsOf, orders } = build((stack, yard) => {
      quote = new lambda.Function(stack, 'Quote', { code: lambda.Code.fromInline('exports.handler = async () => ({})'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
      const chain = new tasks.LambdaInvoke(stack, 'GetQuote', { lambdaFunction: quote }).next(new sfn.Succeed(stack, 'Done'));
      chained = yard.addStateMachine('quotes', { definition: sfn.DefinitionBody.fromChainable(chain) });
    });
    const invokes = (roleId: string) => JSON.stringify(statementsOf(roleId).filter((s) => [s.Action].flat().includes('lambda:InvokeFunction')));
    expect(invokes(id(chained!.role as never))).toContain(id(quote as never));
    expect(invokes(id(orders.role))).not.toContain(id(quote as never));
  });
});
