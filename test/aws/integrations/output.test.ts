/**
 * Results of SDK calls as Task results: the optimized job integrations (ECS,
 * Batch, Glue) give the Java client's objects — members in alphabetical
 * order at every depth, timestamps as epoch milliseconds — while AWS SDK
 * integrations and the other optimized ones keep the SDK's order and write
 * dates as ISO 8601 text.
 */
import { inResultOrder, sdkOutput, sdkResult } from '../../../lib/aws/integrations/output';

const RUN = { $metadata: { httpStatusCode: 200 }, JobRun: { Id: 'jr_1', StartedOn: new Date(1_638_296_005_295), Attempt: 0, Arguments: { '--z': '1', '--a': '2' } } };

describe('sdkResult and inResultOrder', () => {
  it('writes an optimized Glue JobRun with epoch-millisecond timestamps and its members in alphabetical order', async () => {
    const result = inResultOrder('glue', true, await sdkResult('glue', RUN, true));

    expect(JSON.stringify(result)).toBe('{"JobRun":{"Arguments":{"--a":"2","--z":"1"},"Attempt":0,"Id":"jr_1","StartedOn":1638296005295}}');
  });

  it('writes an optimized ECS task in PascalCase, alphabetical, with epoch milliseconds', async () => {
    const output = { tasks: [{ taskArn: 'arn:t', startedAt: new Date(1_680_596_463_814), lastStatus: 'STOPPED' }], failures: [] };

    const result = inResultOrder('ecs', true, await sdkResult('ecs', output, true));

    expect(JSON.stringify(result)).toBe('{"Failures":[],"Tasks":[{"LastStatus":"STOPPED","StartedAt":1680596463814,"TaskArn":"arn:t"}]}');
  });

  it('keeps an AWS SDK integration’s order and writes its dates as ISO 8601 text', async () => {
    const result = inResultOrder('glue', false, await sdkResult('glue', RUN, false));

    expect(JSON.stringify(result)).toBe('{"JobRun":{"Id":"jr_1","StartedOn":"2021-11-30T18:13:25.295Z","Attempt":0,"Arguments":{"--z":"1","--a":"2"}}}');
  });

  it('keeps the order of other optimized integrations (SQS)', async () => {
    const result = inResultOrder('sqs', true, await sdkResult('sqs', { MessageId: 'm', MD5OfMessageBody: 'x' }, true));

    expect(Object.keys(result as object)).toEqual(['MessageId', 'MD5OfMessageBody']);
  });
});

describe('Batch’s user-keyed maps', () => {
  it('keeps the keys of parameters, tags and a log configuration’s options, while member names become PascalCase', () => {
    const output = sdkOutput('batch', { jobs: [{ jobId: 'j', parameters: { inputFile: 'a' }, tags: { team: 'data' }, container: { logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } } } }] });

    expect(output).toEqual({ Jobs: [{ JobId: 'j', Parameters: { inputFile: 'a' }, Tags: { team: 'data' }, Container: { LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': 'g' } } } }] });
  });
});
