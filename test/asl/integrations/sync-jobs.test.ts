/** Which definitions wait for ECS, Batch and Glue jobs, and the grants only `.sync` tasks get. */
import { checkServiceResource, taskGrants } from '../../../lib/asl/integrations';
import { syncJobServices } from '../../../lib/asl/integrations/sync-jobs';

const task = (Resource: string) => ({ Type: 'Task', Resource, End: true });

describe('syncJobServices', () => {
  it('finds the .sync jobs of Task states in branches and Map processors, in table order, and no other pattern', () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'G', States: { G: task('arn:aws:states:::glue:startJobRun.sync') } }], Next: 'M' },
        M: { Type: 'Map', ItemProcessor: { StartAt: 'E', States: { E: task('arn:aws:states:::ecs:runTask.sync') } }, Next: 'B' },
        B: task('arn:aws:states:::batch:submitJob'),
      },
    };
    expect(syncJobServices(definition)).toEqual(['ecs', 'glue']);
    expect(syncJobServices({ StartAt: 'S', States: { S: task('arn:aws:states:::states:startExecution.sync') } })).toEqual([]);
  });
});

describe('.sync grants', () => {
  it('adds StopTask and DescribeTasks on the cluster’s tasks to .sync only; a cluster ARN keeps its region and account; none named is default', () => {
    expect(taskGrants('R', 'arn:aws:states:::ecs:runTask', { TaskDefinition: 'report' }).map((g) => g.actions)).toEqual([['ecs:RunTask'], ['iam:PassRole']]);
    expect(taskGrants('R', 'arn:aws:states:::ecs:runTask.sync', { TaskDefinition: 'report' })[2]).toEqual({ state: 'R', actions: ['ecs:StopTask', 'ecs:DescribeTasks'], resource: { service: 'ecs', resource: 'task/default/*' } });
    expect(taskGrants('R', 'arn:aws:states:::ecs:runTask.sync', { Cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/c', TaskDefinition: 'report' })[2]!.resource).toEqual({ arn: 'arn:aws:ecs:eu-west-1:111122223333:task/c/*' });
  });

  it('scopes glue to the job JobName names, and Batch’s TerminateJob to its jobs', () => {
    expect(taskGrants('G', 'arn:aws:states:::glue:startJobRun.sync', { JobName: 'etl' })).toEqual([
      { state: 'G', actions: ['glue:StartJobRun'], resource: { service: 'glue', resource: 'job/etl' } },
      { state: 'G', actions: ['glue:GetJobRun', 'glue:BatchStopJobRun'], resource: { service: 'glue', resource: 'job/etl' } },
    ]);
    expect(taskGrants('B', 'arn:aws:states:::batch:submitJob.sync', { 'JobName.$': '$.n', JobQueue: 'q', JobDefinition: 'd' }).map((g) => [g.actions, g.resource])).toEqual([
      [['batch:SubmitJob'], { service: 'batch', resource: 'job-definition/d' }],
      [['batch:SubmitJob'], { service: 'batch', resource: 'job-queue/q' }],
      [['batch:DescribeJobs'], { any: 'the action names no resource' }],
      [['batch:TerminateJob'], { service: 'batch', resource: 'job/*' }],
    ]);
  });
});

describe('validation', () => {
  it('accepts the patterns Step Functions has for Batch and Glue, and refuses .sync:2', () => {
    expect(checkServiceResource('arn:aws:states:::batch:submitJob.waitForTaskToken')).toBeUndefined();
    expect(checkServiceResource('arn:aws:states:::glue:startJobRun.sync')).toBeUndefined();
    expect(checkServiceResource('arn:aws:states:::glue:startJobRun.sync:2')).toBe(
      "The resource provided arn:aws:states:::glue:startJobRun.sync:2 is not recognized. glue:startJobRun does not support the '.sync:2' pattern; it supports (request-response), .sync, .waitForTaskToken.",
    );
  });
});
