import type { JsonValue } from '../../lib/asl/json';
import { ExecutionLogWriter } from '../../lib/aws/execution-log';
import { isLogged, loggingConfigurationProblem, MAX_LOGGED_PAYLOAD_BYTES } from '../../lib/service/execution-log';
import type { HistoryEventType } from '../../lib/engine/history-events';
import type { LogLevel } from '../../lib/service/ports';
import { startLogsFront, type LogsFront } from './logs-front';
import { setup } from '../service/memory-cloud';

const GROUP = '/aws/vendedlogs/states/orders';
const GROUP_ARN = `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}:*`;

let front: LogsFront;
beforeAll(async () => {
  front = await startLogsFront([GROUP]);
});
afterAll(() => front.close());
beforeEach(() => {
  front.streams.clear();
  front.calls.length = 0;
  front.batchBytes.length = 0;
});

/** Runs `definition` once with the given logging on the in-memory cloud; the log events the writer delivered. */
let runs = 0;
async function logged(definition: object, input: JsonValue, level: LogLevel, includeExecutionData: boolean) {
  const stream = `states/run-${++runs}`;
  const writer = new ExecutionLogWriter({ client: front.client, streamName: stream });
  const { driver, drain } = setup({ observer: { transitioned: (record, events) => writer.add(record, events) } });
  await driver.createStateMachine('orders', JSON.stringify(definition), 'arn:aws:iam::123456789012:role/r', {
    type: 'STANDARD',
    loggingConfiguration: { level, includeExecutionData, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }] },
  });
  const { executionArn } = await driver.startExecution('arn:aws:states:us-east-1:123456789012:stateMachine:orders', { name: 'o-1', input });
  await drain();
  await writer.flush();
  const events = (front.streams.get(`${GROUP}/${stream}`) ?? []).map((e) => ({ timestamp: e.timestamp, ...JSON.parse(e.message) }));
  return { executionArn, events };
}

const FAILING = { StartAt: 'Check', States: { Check: { Type: 'Pass', Next: 'Stop' }, Stop: { Type: 'Fail', Error: 'Order.Invalid', Cause: 'no items' } } };

describe('execution logs', () => {
  it('logs the …Aborted events of the branches a failing Parallel cuts short at ERROR, in history order', async () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Soon', States: { Soon: { Type: 'Wait', Seconds: 1, Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Boom' } } },
            { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 100, End: true } } },
          ],
        },
      },
    };
    const { events } = await logged(definition, {}, 'ERROR', false);
    expect(events.map((e) => e.type)).toEqual(['FailStateEntered', 'WaitStateAborted', 'ParallelStateFailed', 'ExecutionFailed']);
  });

  it('logs every event at ALL in the service format, data included', async () => {
    const { executionArn, events } = await logged({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: true }, End: true } } }, { id: 7 }, 'ALL', true);
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    const t = Date.UTC(2026, 10, 1);
    expect(events[0]).toEqual({
      timestamp: t,
      type: 'ExecutionStarted',
      details: {
        input: '{"id":7}',
        inputDetails: { truncated: false },
        roleArn: 'arn:aws:iam::123456789012:role/r',
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
      },
      event_timestamp: String(t),
      execution_arn: executionArn,
      redrive_count: '0',
    });
    expect(events[2].details).toEqual({ name: 'P', output: '{"ok":true}', outputDetails: { truncated: false } });
    expect(events[3].details).toEqual({ output: '{"ok":true}', outputDetails: { truncated: false } });
    expect(front.calls).toEqual(['CreateLogStream', 'PutLogEvents']);
  });

  it('leaves inputs and outputs out without includeExecutionData', async () => {
    const { events } = await logged({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, { secret: 'x' }, 'ALL', false);
    expect(events.map((e) => e.details)).toEqual([
      { inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::123456789012:role/r', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders' },
      { name: 'P', inputDetails: { truncated: false } },
      { name: 'P', outputDetails: { truncated: false } },
      { outputDetails: { truncated: false } },
    ]);
  });

  it('logs only failures at ERROR and only the execution failure at FATAL', async () => {
    const error = await logged(FAILING, {}, 'ERROR', true);
    expect(error.events.map((e) => e.type)).toEqual(['FailStateEntered', 'ExecutionFailed']);
    expect(error.events[1].details).toEqual({ error: 'Order.Invalid', cause: 'no items' });
    const fatal = await logged(FAILING, {}, 'FATAL', true);
    expect(fatal.events.map((e) => e.type)).toEqual(['ExecutionFailed']);
    const off = await logged(FAILING, {}, 'OFF', true);
    expect(off.events).toEqual([]);
    expect(front.calls).toEqual(['CreateLogStream', 'PutLogEvents', 'CreateLogStream', 'PutLogEvents']);
  });

  it('follows a change of the logging configuration in running executions too', async () => {
    const writer = new ExecutionLogWriter({ client: front.client, streamName: 'states/changed' });
    const { driver, drain } = setup({ observer: { transitioned: (record, events) => writer.add(record, events) } });
    const logging = { level: 'ALL' as const, includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }] };
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'W' }, W: { Type: 'Wait', Seconds: 10, Next: 'Q' }, Q: { Type: 'Pass', End: true } } };
    const sm = await driver.createStateMachine('changing', JSON.stringify(definition), 'arn:aws:iam::123456789012:role/r', { type: 'STANDARD', loggingConfiguration: logging });
    await driver.startExecution(sm.stateMachineArn, {});
    await drain(true); // up to the Wait
    await driver.updateStateMachine(sm.stateMachineArn, { loggingConfiguration: { ...logging, level: 'FATAL' } });
    await drain();
    await writer.flush();
    expect(front.streams.get(`${GROUP}/states/changed`)!.map((e) => JSON.parse(e.message).type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'WaitStateEntered']);
  });

  it('truncates a payload over 248 KiB and says so, as the service does', async () => {
    const big = { blob: 'x'.repeat(300 * 1024) };
    const { events } = await logged({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'small', End: true } } }, big, 'ALL', true);
    expect(Buffer.byteLength(events[0].details.input)).toBe(MAX_LOGGED_PAYLOAD_BYTES);
    expect(events[0].details.input.startsWith('{"blob":"xxx')).toBe(true);
    expect(events[0].details.inputDetails).toEqual({ truncated: true });
    expect(events[2].details).toEqual({ name: 'P', output: '"small"', outputDetails: { truncated: false } });
  });
});

describe('ExecutionLogWriter', () => {
  const record = { info: { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:orders:e', redriveCount: 0 }, logging: { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }] } } as any;

  it('sends many events in time order within PutLogEvents limits, creating its stream once', async () => {
    const writer = new ExecutionLogWriter({ client: front.client, streamName: 's' });
    const events = Array.from({ length: 25_000 }, (_, i) => ({ type: 'PassStateEntered' as const, timestamp: 25_000 - i, frameId: 'root' }));
    writer.add(record, events);
    expect(writer.size).toBe(25_000);
    await writer.flush();
    expect(writer.size).toBe(0);
    // 25,000 events of about 200 bytes: five calls under PutLogEvents' 1 MiB.
    expect(front.calls).toEqual(['CreateLogStream', 'PutLogEvents', 'PutLogEvents', 'PutLogEvents', 'PutLogEvents', 'PutLogEvents']);
    expect(Math.max(...front.batchBytes)).toBeLessThanOrEqual(1_048_576);
    const got = front.streams.get(`${GROUP}/s`)!;
    expect(got.length).toBe(25_000);
    expect(got[0].timestamp).toBe(1);
    expect(got[24_999].timestamp).toBe(25_000);
    writer.add(record, [{ type: 'PassStateExited', timestamp: 30_000, frameId: 'root' }]);
    await writer.flush();
    expect(front.calls.filter((c) => c === 'CreateLogStream')).toHaveLength(1);
  });

  it('reports a missing log group and drops its events, never throws', async () => {
    const reports: string[] = [];
    const writer = new ExecutionLogWriter({ client: front.client, streamName: 's', report: (message, error) => reports.push(`${message}: ${(error as Error).name}`) });
    const elsewhere = { ...record, logging: { ...record.logging, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:gone:*' } }] } };
    writer.add(elsewhere, [{ type: 'ExecutionStarted', timestamp: 1, frameId: 'root' }]);
    await writer.flush();
    expect(reports).toEqual(['switchyard: 1 execution log events for the log group gone were not delivered: ResourceNotFoundException']);
    expect(writer.size).toBe(0);
  });
});

describe('log levels and configurations', () => {
  it('selects events by level as Step Functions does', () => {
    const types: HistoryEventType[] = ['ExecutionStarted', 'TaskFailed', 'MapIterationFailed', 'ExecutionTimedOut', 'PassStateExited'];
    expect(types.filter((t) => isLogged('ALL', t))).toEqual(types);
    expect(types.filter((t) => isLogged('ERROR', t))).toEqual(['TaskFailed', 'MapIterationFailed', 'ExecutionTimedOut']);
    expect(types.filter((t) => isLogged('FATAL', t))).toEqual(['ExecutionTimedOut']);
    expect(types.filter((t) => isLogged('OFF', t))).toEqual([]);
  });

  it("refuses configurations with the service's messages", () => {
    expect(loggingConfigurationProblem({ level: 'ALL', includeExecutionData: false })).toBe('Invalid Logging Configuration: Must specify exactly one Log Destination.');
    expect(loggingConfigurationProblem({ level: 'OFF', includeExecutionData: false })).toBeUndefined();
    const arn = (logGroupArn: string) => ({ level: 'ERROR' as const, includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] });
    expect(loggingConfigurationProblem(arn('arn:aws:logs:us-east-1:123456789012:log-group:g'))).toBe("Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.");
    expect(loggingConfigurationProblem(arn('arn:aws:logs:us-east-1:123456789012:log-group:g:*'))).toBeUndefined();
    expect(loggingConfigurationProblem(arn('not-an-arn:*'))).toBe('Invalid Logging Configuration: Invalid Log Group ARN: not-an-arn:*');
  });
});
