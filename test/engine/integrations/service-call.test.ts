/** The API call an integration Task makes, from its Resource and parameters. */
import { serviceCall, withJsonText } from '../../../lib/engine/integrations/service-call';

describe('serviceCall', () => {
  it('maps events:putEvents to EventBridge PutEvents, each entry Detail given as JSON sent as JSON text', () => {
    const call = serviceCall('arn:aws:states:::events:putEvents', {
      Entries: [
        { Source: 'shop', DetailType: 'OrderPlaced', Detail: { id: 'o-1', total: 42 } },
        { Source: 'shop', DetailType: 'Raw', Detail: '{"already":"text"}' },
      ],
    });
    expect(call).toEqual({
      kind: 'optimized',
      service: 'events',
      action: 'putEvents',
      client: 'eventbridge',
      command: 'PutEventsCommand',
      input: {
        Entries: [
          { Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":"o-1","total":42}' },
          { Source: 'shop', DetailType: 'Raw', Detail: '{"already":"text"}' },
        ],
      },
      waitForTaskToken: false,
      errorPrefix: 'EventBridge',
      causeService: 'AmazonEventBridge',
      httpMetadata: false,
    });
  });

  it('sends an SQS MessageBody given as JSON as its text, and keeps a string body as it is', () => {
    expect(serviceCall('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { QueueUrl: 'q', MessageBody: { token: 't' } })).toEqual(
      expect.objectContaining({ command: 'SendMessageCommand', input: { QueueUrl: 'q', MessageBody: '{"token":"t"}' }, waitForTaskToken: true, httpMetadata: true }),
    );
    expect(serviceCall('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'q', MessageBody: 'plain' })).toEqual(expect.objectContaining({ input: { QueueUrl: 'q', MessageBody: 'plain' } }));
  });

  it('passes aws-sdk parameters as given, with the PascalCase command and the client package of the service', () => {
    expect(serviceCall('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k' })).toEqual({
      kind: 'aws-sdk',
      service: 's3',
      action: 'getObject',
      client: 's3',
      command: 'GetObjectCommand',
      input: { Bucket: 'b', Key: 'k' },
      waitForTaskToken: false,
      httpMetadata: false,
    });
    expect(serviceCall('arn:aws:states:::aws-sdk:secretsmanager:getSecretValue', {})).toEqual(expect.objectContaining({ client: 'secrets-manager', command: 'GetSecretValueCommand' }));
  });

  it('leaves Lambda tasks and activities to their runners', () => {
    expect(serviceCall('arn:aws:states:::lambda:invoke', { FunctionName: 'f' })).toBeUndefined();
    expect(serviceCall('arn:aws:lambda:us-east-1:123456789012:function:f', {})).toBeUndefined();
    expect(serviceCall('arn:aws:states:us-east-1:123456789012:activity:a', {})).toBeUndefined();
  });

  it('refuses a pattern the integration does not have', () => {
    expect(serviceCall('arn:aws:states:::sns:publish.sync', {})).toEqual({ unsupported: "The resource 'arn:aws:states:::sns:publish.sync' is not a Step Functions integration." });
  });

  it('marks a .sync call with the service whose job it waits for, and glue:startJobRun with the input its result echoes', () => {
    expect(serviceCall('arn:aws:states:::ecs:runTask.sync', { Cluster: 'c' })).toEqual({
      kind: 'optimized', service: 'ecs', action: 'runTask', client: 'ecs', command: 'RunTaskCommand', input: { Cluster: 'c' }, waitForTaskToken: false, sync: 'ecs', errorPrefix: 'ECS', causeService: 'AmazonECS', httpMetadata: true,
    });
    expect(serviceCall('arn:aws:states:::batch:submitJob.sync', {})).toMatchObject({ client: 'batch', command: 'SubmitJobCommand', sync: 'batch' });
    expect(serviceCall('arn:aws:states:::glue:startJobRun', { JobName: 'j' })).toMatchObject({ client: 'glue', command: 'StartJobRunCommand', echoInput: ['JobName'] });
    expect(serviceCall('arn:aws:states:::glue:startJobRun', { JobName: 'j' })).not.toHaveProperty('sync');
  });
});

describe('withJsonText', () => {
  it('leaves absent fields and non-object elements alone', () => {
    expect(withJsonText({ Entries: ['x', { Other: 1 }] }, ['Entries[].Detail', 'MessageBody'])).toEqual({ Entries: ['x', { Other: 1 }] });
  });
});
