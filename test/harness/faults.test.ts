import { formatReport, runFaultHarness } from '../../harness/faults';

describe('fault-injection harness (short seeded runs; npm run test:faults runs 2,000 on the real adapters)', () => {
  it('brings 140 executions of the mixed workload to their reference outcome through crashes, throttles, duplicates, delays and reordering', async () => {
    const report = await runFaultHarness({ seed: 'jest', executions: 140 });
    expect(report.executions).toBe(140);
    expect(report.faults.crash_before_io).toBeGreaterThan(0);
    expect(report.faults.crash_after_io).toBeGreaterThan(0);
    expect(report.faults.throttle).toBeGreaterThan(0);
    expect(report.faults.duplicate).toBeGreaterThan(0);
    expect(report.faults.delay).toBeGreaterThan(0);
    expect(report.faults.reorder).toBeGreaterThan(0);
    expect(report.details).toEqual([]);
    expect(report.anomalies).toEqual({});
    // The hour-long and 20-minute waits go in 5-minute hops, duplicated and crashed on like any message.
    expect(report.hops.waits).toBeGreaterThan(0);
    expect(report.hops.sent).toBeGreaterThan(4 * report.hops.waits);
    expect(formatReport(report).split('\n').pop()).toMatch(/^faults: executions=140 faults=\d+ anomalies=0 store=memory queue=memory history=exact$/);
  }, 300_000);

  it('runs without faults to the same outcomes', async () => {
    const report = await runFaultHarness({
      seed: 'calm',
      executions: 28,
      rates: { crashBefore: 0, crashAfter: 0, throttle: 0, lostResponse: 0, duplicate: 0, delay: 0, reorder: 0, restart: 0 },
    });
    expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBe(0);
    expect(report.anomalies).toEqual({});
    // 28 executions, two of each of the fourteen workloads, entering 125 states between them (a DISTRIBUTED
    // Map's iterations are child executions with histories of their own, as Step Functions records them;
    // the redriven executions count their states before and after the redrive).
    expect(report.transitions).toBe(125);
    expect(report.histories.identical + report.histories.per_frame).toBe(28);
  });

  it('brings 28 executions on DynamoStore (dynalite) and SqsQueue (fauxqs) to the in-process outcome and history through the same faults', async () => {
    const report = await runFaultHarness({ seed: 'jest-aws', executions: 28, adapters: 'aws', concurrency: 8, invokerConcurrency: 4 });
    expect(report.details).toEqual([]);
    expect(report.anomalies).toEqual({});
    expect(report.histories.identical + report.histories.per_frame).toBe(28);
    expect(formatReport(report).split('\n').pop()).toMatch(/^faults: executions=28 faults=\d+ anomalies=0 store=dynamodb queue=sqs history=exact$/);
  }, 300_000);
});
