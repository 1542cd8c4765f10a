import { formatReport, runFaultHarness } from '../../harness/faults';

describe('fault-injection harness (short seeded run; npm run test:faults runs 2,000 on the real adapters)', () => {
  it('brings 270 executions of the mixed workload to their reference outcome through crashes, throttles, duplicates, delays and reordering', async () => {
    const report = await runFaultHarness({ seed: 'jest', executions: 270 });
    expect(report.executions).toBe(270);
    expect(report.faults.crash_before_io).toBeGreaterThan(0);
    expect(report.faults.crash_after_io).toBeGreaterThan(0);
    expect(report.faults.throttle).toBeGreaterThan(0);
    expect(report.faults.duplicate).toBeGreaterThan(0);
    expect(report.faults.delay).toBeGreaterThan(0);
    expect(report.faults.reorder).toBeGreaterThan(0);
    expect(report.details).toEqual([]);
    expect(report.anomalies).toEqual({});
    expect(formatReport(report).split('\n').pop()).toMatch(/^faults: executions=270 faults=\d+ anomalies=0 store=memory queue=memory history=(exact|same-events)$/);
  }, 120_000);

  it('runs without faults to the same outcomes', async () => {
    const report = await runFaultHarness({
      seed: 'calm',
      executions: 20,
      rates: { crashBefore: 0, crashAfter: 0, throttle: 0, lostResponse: 0, duplicate: 0, delay: 0, reorder: 0, restart: 0 },
    });
    expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBe(0);
    expect(report.anomalies).toEqual({});
    // 20 executions, two of each of the ten workloads: their StateEntered events
    // (choice loops 13+13, Map 7+7, Parallel 5+5, retry 2+2, catch 3+3, long wait 2+2,
    // failing Parallel 5+5, DISTRIBUTED Map 1+1 (its iterations are child executions with
    // histories of their own, as Step Functions records them), callback 1+1, and the redriven one 8+8:
    // Fan, Each and the two iterations that ran before its redrive; the failed iteration,
    // the one never started, the aborted Pause and Echo after).
    expect(report.transitions).toBe(94);
  });

  it('brings 40 executions on DynamoStore (dynalite) and SqsQueue (fauxqs) to the in-process outcome and history through the same faults', async () => {
    const report = await runFaultHarness({ seed: 'jest-aws', executions: 40, adapters: 'aws', concurrency: 8 });
    expect(report.details).toEqual([]);
    expect(report.anomalies).toEqual({});
    expect(report.histories.identical + report.histories.interleaved).toBe(36);
    expect(formatReport(report).split('\n').pop()).toMatch(/^faults: executions=40 faults=\d+ anomalies=0 store=dynamodb queue=sqs history=(exact|same-events)$/);
  }, 120_000);
});
