import { Metrics } from '@aws-lambda-powertools/metrics';
import type { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { executionObserver, observabilityFromEnv, statusChangeEntry, STATUS_CHANGE_DETAIL_TYPE } from '../../lib/aws/observability';
import type { JsonValue } from '../../lib/asl/json';
import type { ExecutionRecord } from '../../lib/service/ports';
import { batchLog } from '../../lambda/transition';
import { setup } from '../service/memory-cloud';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';

/** Runs `definition` once on the in-memory cloud with a real Powertools Metrics and a recording EventBridge port. */
async function observe(definition: object, input: JsonValue) {
  const lines: Record<string, any>[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line));
    return true;
  });
  const sent: PutEventsCommand[] = [];
  const events = { client: { send: async (c: any) => (sent.push(c), { FailedEntryCount: 0 }) } as any, busName: 'default', source: 'switchyard' };
  const observer = executionObserver({ metrics: new Metrics({ namespace: 'Switchyard', serviceName: 'test' }), events });
  const { driver, drain } = setup({ observer });
  try {
    const sm = await driver.putStateMachine('orders', JSON.stringify(definition));
    const { executionArn } = await driver.startExecution(sm.stateMachineArn, { name: 'o-1', input });
    await drain();
    // A replayed start of the same execution is not a second start.
    await driver.startExecution(sm.stateMachineArn, { name: 'o-1', input }).catch(() => undefined);
    return { executionArn, lines, details: sent.map((c) => ({ ...c.input.Entries![0], Detail: JSON.parse(c.input.Entries![0].Detail!) })) };
  } finally {
    write.mockRestore();
  }
}

const metricNames = (lines: Record<string, any>[]) =>
  lines.map((l) => ({ name: l._aws.CloudWatchMetrics[0].Metrics[0].Name, dimension: l.StateMachineArn, value: l[l._aws.CloudWatchMetrics[0].Metrics[0].Name] }));

describe('execution observer', () => {
  it('counts a succeeded execution once under Step Functions metric names, with ExecutionTime', async () => {
    const { lines, details, executionArn } = await observe({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3, End: true } } }, { id: 7 });
    const metrics = metricNames(lines);
    expect(metrics.map((m) => m.name)).toEqual(['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionTime']);
    expect(metrics.every((m) => m.dimension === ARN)).toBe(true);
    expect(metrics[0].value).toBe(1);
    expect(metrics[2].value).toBeGreaterThanOrEqual(3000);
    expect(lines[0]._aws.CloudWatchMetrics[0].Namespace).toBe('Switchyard');
    expect(details.map((d) => [d.DetailType, d.Source, d.Detail.status])).toEqual([
      [STATUS_CHANGE_DETAIL_TYPE, 'switchyard', 'RUNNING'],
      [STATUS_CHANGE_DETAIL_TYPE, 'switchyard', 'SUCCEEDED'],
    ]);
    expect(details[1].Resources).toEqual([executionArn]);
    expect(details[1].Detail).toMatchObject({ executionArn, stateMachineArn: ARN, name: 'o-1', input: '{"id":7}', output: '{"id":7}', error: null, cause: null, inputDetails: { included: true } });
  });

  it('reports a failed execution with its error and cause and no output', async () => {
    const { lines, details } = await observe({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'it broke' } } }, {});
    expect(metricNames(lines).map((m) => m.name)).toEqual(['ExecutionsStarted', 'ExecutionsFailed', 'ExecutionTime']);
    expect(details[1].Detail).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'it broke', output: null });
  });

  it('leaves out an input too large for an event and says so', () => {
    const record: ExecutionRecord = {
      info: { executionArn: `${ARN}:x`.replace(':stateMachine:', ':execution:'), name: 'x', stateMachineArn: ARN, stateMachineName: 'orders', roleArn: 'r', input: { big: 'z'.repeat(250_000) }, startTime: 1, redriveCount: 0 },
      revisionId: 'r1',
      status: 'RUNNING',
    };
    const detail = JSON.parse(statusChangeEntry(record, 'switchyard', 'default').Detail!);
    expect(detail).toMatchObject({ input: null, inputDetails: { included: false }, stopDate: null, status: 'RUNNING' });
  });
});

describe('transition function log', () => {
  it('counts a transition that throttling kept from committing as ExecutionThrottled, and nothing else', () => {
    const warned: string[] = [];
    const metrics = new Metrics({ namespace: 'Switchyard', serviceName: 'test' });
    const log = batchLog({ logger: { warn: (m: string) => warned.push(m) } as never, metrics });
    log({ level: 'WARN', message: 'message will be redelivered', messageId: 'm1', error: 'ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded' });
    log({ level: 'WARN', message: 'message will be redelivered', messageId: 'm2', error: 'ThrottlingException: Rate exceeded' });
    log({ level: 'WARN', message: 'message will be redelivered', messageId: 'm3', error: 'Error: socket hang up' });
    expect(warned).toEqual(['message will be redelivered', 'message will be redelivered', 'message will be redelivered']);
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (lines.push(String(chunk)), true));
    try {
      metrics.publishStoredMetrics();
    } finally {
      write.mockRestore();
    }
    const emf = JSON.parse(lines.join('').trim());
    expect(emf.ExecutionThrottled).toEqual([1, 1]); // two values of one metric: CloudWatch's Sum is 2
  });
});

describe('observabilityFromEnv', () => {
  it('flushes an invocation that recorded nothing without a word, and one that did as one EMF line', async () => {
    const obs = observabilityFromEnv('switchyard-test', { SWITCHYARD_METRICS_NAMESPACE: 'Switchyard' });
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (out.push(String(chunk)), true));
    const warn = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (out.push(String(chunk)), true));
    try {
      await obs.flush();
      expect(out).toEqual([]);
      obs.metrics.addMetric('StateTransitions', 'Count', 3);
      await obs.flush();
    } finally {
      write.mockRestore();
      warn.mockRestore();
    }
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]).StateTransitions).toBe(3);
  });
});
