/**
 * API details through the official @aws-sdk/client-sfn against `switchyard
 * serve`: ARNs in the region the client signs for, includedData
 * METADATA_ONLY, variableReferences, ValidateStateMachineDefinition's
 * severity and maxResults, and encryptionConfiguration stored and described.
 */
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeActivityCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  InvalidEncryptionConfiguration,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { client, until } from './sfn-client';

jest.setTimeout(30_000);

const ROLE = 'arn:aws:iam::123456789012:role/r';
const VARIABLES = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Set',
  States: {
    Set: { Type: 'Pass', Assign: { total: 3, label: 'x' }, Next: 'Use' },
    Use: { Type: 'Pass', Output: '{% $total + $count($states.input.items) %}', Assign: { seen: '{% $label & "!" %}' }, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
});
const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: true }, End: true } } });

describe('API details through the SDK', () => {
  let server: LocalServer;
  let sfn: SFNClient;
  beforeAll(async () => {
    server = await startLocalServer({ port: 0 });
    sfn = client(server.url);
  });
  afterAll(async () => {
    sfn?.destroy();
    await server?.close();
  });

  it('mints state machine, execution and activity ARNs in the region the client signs for', async () => {
    const paris = new SFNClient({ endpoint: server.url, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const { stateMachineArn } = await paris.send(new CreateStateMachineCommand({ name: 'regional', definition: PASS, roleArn: ROLE }));
      expect(stateMachineArn).toBe('arn:aws:states:eu-west-3:123456789012:stateMachine:regional');
      const { executionArn } = await paris.send(new StartExecutionCommand({ stateMachineArn, name: 'e1' }));
      expect(executionArn).toBe('arn:aws:states:eu-west-3:123456789012:execution:regional:e1');
      expect((await until(paris, executionArn!)).status).toBe('SUCCEEDED');
      const { activityArn } = await paris.send(new CreateActivityCommand({ name: 'regional-work' }));
      expect(activityArn).toBe('arn:aws:states:eu-west-3:123456789012:activity:regional-work');
      const { stateMachineArn: home } = await sfn.send(new CreateStateMachineCommand({ name: 'regional', definition: PASS, roleArn: ROLE }));
      expect(home).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:regional');
    } finally {
      paris.destroy();
    }
  });

  it('leaves the definition out with METADATA_ONLY ({}), and lists the variables each state reads', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'variables', definition: VARIABLES, roleArn: ROLE }));
    const all = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(all.definition).toBe(VARIABLES);
    expect(all.variableReferences).toEqual({ Use: ['total', 'label'] });
    const metadata = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn, includedData: 'METADATA_ONLY' }));
    expect(metadata.definition).toBe('{}');
    expect(metadata.variableReferences).toBeUndefined();
    expect(metadata.name).toBe('variables');

    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"items":[1,2]}' }));
    await until(sfn, executionArn!);
    const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn, includedData: 'METADATA_ONLY' }));
    expect(forExecution.definition).toBe('{}');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn, includedData: 'METADATA_ONLY' }));
    expect({ input: described.input, output: described.output, inputDetails: described.inputDetails, outputDetails: described.outputDetails, status: described.status }).toEqual({
      input: undefined,
      output: undefined,
      inputDetails: { included: false },
      outputDetails: { included: false },
      status: 'SUCCEEDED',
    });
    const full = await sfn.send(new DescribeExecutionCommand({ executionArn, includedData: 'ALL_DATA' }));
    expect({ input: full.input, output: full.output }).toEqual({ input: '{"items":[1,2]}', output: '5' });
  });

  it('leaves the input and output out of StartSyncExecution\'s answer with METADATA_ONLY', async () => {
    const express = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
    try {
      const { stateMachineArn } = await express.send(new CreateStateMachineCommand({ name: 'express-pass', definition: PASS, roleArn: ROLE, type: 'EXPRESS' }));
      const sync = await express.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"a":1}', includedData: 'METADATA_ONLY' }));
      expect({ status: sync.status, input: sync.input, output: sync.output, inputDetails: sync.inputDetails }).toEqual({ status: 'SUCCEEDED', input: undefined, output: undefined, inputDetails: { included: false } });
    } finally {
      express.destroy();
    }
  });

  it('refuses an includedData outside its enum', async () => {
    const refused = sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:variables', includedData: 'SOME' as 'ALL_DATA' }));
    await expect(refused).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'SOME' at 'includedData' failed to satisfy constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]",
    });
  });

  it('returns at most maxResults diagnostics, says when it truncated, and checks severity and maxResults', async () => {
    // Three states whose Next names no state: three errors.
    const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'X' }, B: { Type: 'Pass', Next: 'Y' }, C: { Type: 'Pass', Next: 'Z' } } });
    const all = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition, severity: 'WARNING' }));
    const count = all.diagnostics!.length;
    expect({ result: all.result, truncated: all.truncated, atLeastThree: count >= 3 }).toEqual({ result: 'FAIL', truncated: false, atLeastThree: true });
    const two = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition, maxResults: 2 }));
    expect({ diagnostics: two.diagnostics, truncated: two.truncated }).toEqual({ diagnostics: all.diagnostics!.slice(0, 2), truncated: true });
    const zero = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition, maxResults: 0 }));
    expect(zero.diagnostics).toHaveLength(count);
    await expect(sfn.send(new ValidateStateMachineDefinitionCommand({ definition, maxResults: 101 }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    });
    await expect(sfn.send(new ValidateStateMachineDefinitionCommand({ definition, severity: 'INFO' as 'ERROR' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'INFO' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]",
    });
  });

  it('stores and describes a state machine\'s and an activity\'s encryptionConfiguration', async () => {
    const key = { type: 'CUSTOMER_MANAGED_KMS_KEY' as const, kmsKeyId: 'alias/orders', kmsDataKeyReusePeriodSeconds: 120 };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'encrypted', definition: PASS, roleArn: ROLE, encryptionConfiguration: key }));
    expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual(key);
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } }));
    expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual({ type: 'AWS_OWNED_KEY' });
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'encrypted-work', encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: 'k-1' } }));
    expect((await sfn.send(new DescribeActivityCommand({ activityArn }))).encryptionConfiguration).toEqual({ type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: 'k-1', kmsDataKeyReusePeriodSeconds: 300 });
  });

  it.each([
    [{ type: 'CUSTOMER_MANAGED_KMS_KEY' as const }, 'kmsKeyId is required when the type is CUSTOMER_MANAGED_KMS_KEY'],
    [{ type: 'CUSTOMER_MANAGED_KMS_KEY' as const, kmsKeyId: 'k', kmsDataKeyReusePeriodSeconds: 59 }, 'kmsDataKeyReusePeriodSeconds must be between 60 and 900 seconds. Received: 59'],
    [{ type: 'CUSTOMER_MANAGED_KMS_KEY' as const, kmsKeyId: 'k', kmsDataKeyReusePeriodSeconds: 901 }, 'kmsDataKeyReusePeriodSeconds must be between 60 and 900 seconds. Received: 901'],
    [{ type: 'AWS_OWNED_KEY' as const, kmsKeyId: 'k' }, 'kmsKeyId and kmsDataKeyReusePeriodSeconds apply only to the type CUSTOMER_MANAGED_KMS_KEY'],
  ])('refuses the encryption configuration %j with InvalidEncryptionConfiguration', async (encryptionConfiguration, message) => {
    const refused = await sfn.send(new CreateStateMachineCommand({ name: 'bad-key', definition: PASS, roleArn: ROLE, encryptionConfiguration })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidEncryptionConfiguration);
    expect((refused as Error).message).toBe(message);
  });

  it('refuses an encryption type outside its enum with ValidationException', async () => {
    const refused = sfn.send(new CreateActivityCommand({ name: 'bad-type', encryptionConfiguration: { type: 'MINE' as 'AWS_OWNED_KEY' } }));
    await expect(refused).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'MINE' at 'encryptionConfiguration.type' failed to satisfy constraint: Member must satisfy enum value set: [AWS_OWNED_KEY, CUSTOMER_MANAGED_KMS_KEY]",
    });
  });
});
