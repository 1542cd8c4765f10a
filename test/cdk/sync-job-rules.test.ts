/**
 * A state machine with `.sync` tasks on ECS, Batch and Glue: its role is
 * granted what Switchyard's design calls (RunTask, DescribeTasks, StopTask,
 * PassRole; SubmitJob, DescribeJobs, TerminateJob; StartJobRun, GetJobRun,
 * BatchStopJobRun) and none of the events:PutRule/PutTargets/DescribeRule
 * Step Functions' own policies list; the stack has one rule per service
 * routing ended jobs to the schedule function, and a state machine without
 * `.sync` adds none.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Switchyard } from '../../lib/cdk';

const env = { account: '123456789012', region: 'us-east-1' };
interface Statement { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown; Principal?: unknown }
const task = (Resource: string, Parameters: unknown, Next?: string) => ({ Type: 'Task', Resource, Parameters, ...(Next ? { Next } : { End: true }) });
const partition = { Ref: 'AWS::Partition' };
const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', partition, rest]] });

function build(withSync: boolean) {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Jobs', { env });
  const yard = new Switchyard(stack, 'Yard');
  const definition = withSync
    ? {
        StartAt: 'Container',
        States: {
          Container: task('arn:aws:states:::ecs:runTask.sync', { Cluster: 'jobs', TaskDefinition: 'report:3' }, 'Batch'),
          Batch: task('arn:aws:states:::batch:submitJob.sync', { JobName: 'nightly', JobQueue: 'queue', JobDefinition: 'def:1' }, 'Glue'),
          Glue: task('arn:aws:states:::glue:startJobRun.sync', { JobName: 'etl' }, 'Again'),
          Again: task('arn:aws:states:::ecs:runTask.sync', { Cluster: 'jobs', TaskDefinition: 'report:3' }),
        },
      }
    : { StartAt: 'Container', States: { Container: task('arn:aws:states:::ecs:runTask', { Cluster: 'jobs', TaskDefinition: 'report:3' }) } };
  const machine = yard.addStateMachine('reports', { definition });
  const t = Template.fromStack(stack);
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  const statementsOf = (roleId: string): Statement[] =>
    Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  return { t, id, statementsOf, machine, yard };
}

describe('.sync jobs in the construct', () => {
  const { t, id, statementsOf, machine, yard } = build(true);

  it('grants the state machine’s role the calls of each job: submit, describe, stop — and no events:* actions', () => {
    expect(statementsOf(id(machine.role))).toEqual([
      { Action: 'ecs:RunTask', Effect: 'Allow', Resource: arn(':ecs:us-east-1:123456789012:task-definition/report:3') },
      { Action: 'iam:PassRole', Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }, Effect: 'Allow', Resource: '*' },
      { Action: ['ecs:StopTask', 'ecs:DescribeTasks'], Effect: 'Allow', Resource: arn(':ecs:us-east-1:123456789012:task/jobs/*') },
      { Action: 'batch:SubmitJob', Effect: 'Allow', Resource: [arn(':batch:us-east-1:123456789012:job-definition/def:1'), arn(':batch:us-east-1:123456789012:job-queue/queue')] },
      { Action: 'batch:DescribeJobs', Effect: 'Allow', Resource: '*' },
      { Action: 'batch:TerminateJob', Effect: 'Allow', Resource: arn(':batch:us-east-1:123456789012:job/*') },
      { Action: 'glue:StartJobRun', Effect: 'Allow', Resource: arn(':glue:us-east-1:123456789012:job/etl') },
      { Action: ['glue:GetJobRun', 'glue:BatchStopJobRun'], Effect: 'Allow', Resource: arn(':glue:us-east-1:123456789012:job/etl') },
    ]);
  });

  it('routes each service’s ended jobs to the schedule function, wrapped as switchyardJobEvent', () => {
    const rules = Object.values(t.findResources('AWS::Events::Rule')).map((r) => r.Properties as { EventPattern: unknown; Targets: { Arn: unknown; InputTransformer: { InputPathsMap: unknown; InputTemplate: string } }[] });
    expect(rules.map((r) => r.EventPattern)).toEqual([
      { source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'], detail: { lastStatus: ['STOPPED'] } },
      { source: ['aws.batch'], 'detail-type': ['Batch Job State Change'], detail: { status: ['SUCCEEDED', 'FAILED'] } },
      { source: ['aws.glue'], 'detail-type': ['Glue Job State Change'], detail: { state: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'] } },
    ]);
    for (const rule of rules) {
      expect(rule.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [id(yard.scheduleFunction), 'Arn'] }, InputTransformer: { InputPathsMap: { f1: '$' }, InputTemplate: '{"switchyardJobEvent":<f1>}' } })]);
    }
  });

  it('lets the schedule, transition and api functions assume the role (to describe and stop its jobs), and the schedule function read the token key', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'sts:AssumeRole', Principal: { AWS: { 'Fn::GetAtt': [id(yard.scheduleFunction.role as never), 'Arn'] } } })]),
      },
    });
    const schedule = statementsOf(id(yard.scheduleFunction.role as never));
    expect(schedule).toEqual(expect.arrayContaining([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(machine.role), 'Arn'] } },
      { Action: 'dynamodb:DeleteItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(yard.table), 'Arn'] } },
      expect.objectContaining({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: id(yard.tokenKeySecret) } }),
    ]));
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ SWITCHYARD_TASK_ROLES: 'assume', SWITCHYARD_TOKEN_KEY_SECRET_ARN: { Ref: id(yard.tokenKeySecret) } }) } });
  });

  it('adds no rule, and no assume-role grant, for a state machine without .sync jobs', () => {
    const plain = build(false);
    expect(Object.keys(plain.t.findResources('AWS::Events::Rule'))).toEqual([]);
    expect(plain.statementsOf(plain.id(plain.yard.scheduleFunction.role as never)).filter((s) => s.Action === 'sts:AssumeRole')).toEqual([]);
  });
});
