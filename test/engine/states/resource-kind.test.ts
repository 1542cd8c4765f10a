import { classifyResource } from '../../../lib/engine/states/task';

describe('classifyResource', () => {
  it.each([
    ['arn:aws:states:::lambda:invoke', 'lambda', 'invoke'],
    ['arn:aws:states:::lambda:invoke.waitForTaskToken', 'lambda', 'invoke.waitForTaskToken'],
    ['arn:aws:states:::ecs:runTask.sync', 'ecs', 'runTask.sync'],
    ['arn:aws:states:::states:startExecution.sync:2', 'states', 'startExecution.sync:2'],
    ['arn:aws:states:::aws-sdk:s3:getObject', 'aws-sdk:s3', 'getObject'],
    ['arn:aws:states:::http:invoke', 'http', 'invoke'],
  ])('names %s resourceType %s and resource %s as Step Functions history does', (arn, resourceType, resource) => {
    expect(classifyResource(arn)).toEqual({ kind: 'service', resourceType, resource });
  });

  it('tells Lambda functions and activities by their ARNs', () => {
    expect(classifyResource('arn:aws:lambda:us-east-1:123456789012:function:f')).toEqual({ kind: 'lambdaFunction' });
    expect(classifyResource('arn:aws:states:us-east-1:123456789012:activity:a')).toEqual({ kind: 'activity' });
  });
});
