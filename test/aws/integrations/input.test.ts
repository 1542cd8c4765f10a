/**
 * A task's parameters as the SDK command takes them: ECS's and Batch's
 * members in camelCase, except the keys of Batch's user-keyed maps, which
 * are data; DynamoDB's binary attribute values as bytes.
 */
import { sdkInput } from '../../../lib/aws/integrations/input';

it('makes Batch’s members camelCase and keeps the keys of its parameters and tags as the user wrote them', () => {
  const input = sdkInput('batch', { JobName: 'n', Parameters: { InputFile: 'a' }, Tags: { Team: 'data' }, ContainerOverrides: { Command: ['x'], Environment: [{ Name: 'A', Value: '1' }] } });

  expect(input).toEqual({ jobName: 'n', parameters: { InputFile: 'a' }, tags: { Team: 'data' }, containerOverrides: { command: ['x'], environment: [{ name: 'A', value: '1' }] } });
});

it('makes ECS’s tags camelCase too: they are a list of key and value, no map', () => {
  expect(sdkInput('ecs', { Cluster: 'c', Tags: [{ Key: 'team', Value: 'data' }] })).toEqual({ cluster: 'c', tags: [{ key: 'team', value: 'data' }] });
});

it('takes DynamoDB’s binary values as base64 and passes them as bytes', () => {
  const input = sdkInput('dynamodb', { Item: { b: { B: 'aGk=' } } }) as { Item: { b: { B: Uint8Array } } };

  expect(Buffer.from(input.Item.b.B).toString('utf8')).toBe('hi');
});
