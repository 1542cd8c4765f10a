/** Integration resources: the Resource grammar, and validation against Step Functions' optimized integrations. */
import type { Diagnostic } from '../../../lib/asl/diagnostics';
import { IntegrationPattern, parseServiceResource } from '../../../lib/asl/integrations';
import { validateDefinition } from '../../../lib/asl/validate';

const task = (Resource: string) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource, End: true } } });
const errors = (definition: unknown): Pick<Diagnostic, 'code' | 'location' | 'message'>[] =>
  validateDefinition(definition).map(({ code, location, message }) => ({ code, location, message }));

describe('parseServiceResource', () => {
  it('reads an optimized integration with its pattern', () => {
    expect(parseServiceResource('arn:aws:states:::sqs:sendMessage.waitForTaskToken')).toEqual({ kind: 'optimized', service: 'sqs', action: 'sendMessage', pattern: IntegrationPattern.WaitForTaskToken });
    expect(parseServiceResource('arn:aws:states:::states:startExecution.sync:2')).toEqual({ kind: 'optimized', service: 'states', action: 'startExecution', pattern: IntegrationPattern.Sync2 });
  });

  it('reads an AWS SDK integration', () => {
    expect(parseServiceResource('arn:aws:states:::aws-sdk:s3:getObject')).toEqual({ kind: 'aws-sdk', service: 's3', action: 'getObject', pattern: IntegrationPattern.RequestResponse });
  });

  it('is undefined for a Lambda function ARN and an activity ARN', () => {
    expect(parseServiceResource('arn:aws:lambda:us-east-1:123456789012:function:Charge')).toBeUndefined();
    expect(parseServiceResource('arn:aws:states:us-east-1:123456789012:activity:Review')).toBeUndefined();
  });
});

describe('validateDefinition of integration resources', () => {
  it.each([
    'arn:aws:states:::lambda:invoke',
    'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
    'arn:aws:states:::sns:publish',
    'arn:aws:states:::dynamodb:updateItem',
    'arn:aws:states:::events:putEvents',
    'arn:aws:states:::states:startExecution.sync:2',
    'arn:aws:states:::ecs:runTask.sync',
    'arn:aws:states:::batch:submitJob.sync',
    'arn:aws:states:::glue:startJobRun.sync',
    'arn:aws:states:::apigateway:invoke.waitForTaskToken',
    'arn:aws:states:::http:invoke',
    'arn:aws:states:::aws-sdk:acmpca:deleteCertificateAuthority',
    'arn:aws:states:::aws-sdk:s3:getObject.waitForTaskToken',
  ])('accepts %s', (resource) => {
    expect(errors(task(resource))).toEqual([]);
  });

  it('refuses a pattern the integration does not support, at the Resource', () => {
    expect(errors(task('arn:aws:states:::sns:publish.sync'))).toEqual([
      {
        code: 'INVALID_RESOURCE',
        location: '/States/T/Resource',
        message: "The resource provided arn:aws:states:::sns:publish.sync is not recognized. sns:publish does not support the '.sync' pattern; it supports (request-response), .waitForTaskToken.",
      },
    ]);
  });

  it('refuses .sync on an AWS SDK integration', () => {
    expect(errors(task('arn:aws:states:::aws-sdk:s3:getObject.sync'))).toEqual([
      { code: 'INVALID_RESOURCE', location: '/States/T/Resource', message: "The resource provided arn:aws:states:::aws-sdk:s3:getObject.sync is not recognized. AWS SDK integrations do not support the '.sync' pattern." },
    ]);
  });

  it('refuses an optimized service Step Functions does not have, and points to aws-sdk', () => {
    expect(errors(task('arn:aws:states:::s3:getObject'))).toEqual([
      {
        code: 'INVALID_RESOURCE',
        location: '/States/T/Resource',
        message: "The resource provided arn:aws:states:::s3:getObject is not recognized. 's3' is not an optimized integration; call its API with arn:aws:states:::aws-sdk:s3:getObject.",
      },
    ]);
  });

  it('refuses an action the optimized service does not have, listing the ones it has', () => {
    expect(errors(task('arn:aws:states:::dynamodb:query'))).toEqual([
      {
        code: 'INVALID_RESOURCE',
        location: '/States/T/Resource',
        message: 'The resource provided arn:aws:states:::dynamodb:query is not recognized. The optimized dynamodb integration has the actions getItem, putItem, updateItem, deleteItem; call others with arn:aws:states:::aws-sdk:dynamodb:query.',
      },
    ]);
  });

  it('refuses an unknown pattern suffix and a PascalCase action', () => {
    expect(errors(task('arn:aws:states:::sqs:sendMessage.async')).map((d) => d.message)).toEqual([
      "The resource provided arn:aws:states:::sqs:sendMessage.async is not recognized. '.async' is not a service integration pattern (.sync, .sync:2 or .waitForTaskToken).",
    ]);
    expect(errors(task('arn:aws:states:::aws-sdk:s3:GetObject')).map((d) => d.message)).toEqual([
      "The resource provided arn:aws:states:::aws-sdk:s3:GetObject is not recognized. The action 'GetObject' must be written in camelCase.",
    ]);
  });

  it('checks Task resources inside a Map processor with their location', () => {
    const definition = { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: task('arn:aws:states:::sqs:sendMessage.sync'), End: true } } };
    expect(errors(definition).map((d) => d.location)).toEqual(['/States/M/ItemProcessor/States/T/Resource']);
  });
});
