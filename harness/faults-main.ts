/**
 * `npm run test:faults`: the fault-injection harness at full size, on the
 * real adapters (DynamoStore on dynalite, SqsQueue on fauxqs) unless told
 * `--adapters memory`.
 * Usage: node dist/harness/faults-main.js [--executions N] [--seed S] [--adapters aws|memory] [--drivers N] [--concurrency N] [--invoker-concurrency N] [--clock-scale X]
 * Exits 1 when any anomaly was found.
 */
import { formatReport, runFaultHarness } from './faults';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string): string => {
    // The last one wins: `npm run test:faults -- --executions 300` overrides the script's own.
    const i = args.lastIndexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const executions = Number(option('executions', '2000'));
  const seed = option('seed', 'switchyard');
  const adapters = option('adapters', 'aws') === 'memory' ? 'memory' : 'aws';
  const started = Date.now();
  const report = await runFaultHarness({
    seed,
    executions,
    adapters,
    drivers: Number(option('drivers', '3')),
    concurrency: Number(option('concurrency', adapters === 'aws' ? '8' : '4')),
    invokerConcurrency: Number(option('invoker-concurrency', adapters === 'aws' ? '4' : '2')),
    ...(args.includes('--clock-scale') ? { clockScale: Number(option('clock-scale', '')) } : {}),
  });
  process.stdout.write(`seed=${seed} wall_time=${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  process.stdout.write(formatReport(report) + '\n');
  const anomalies = Object.values(report.anomalies).reduce((a, b) => a + b, 0);
  process.exitCode = anomalies === 0 ? 0 : 1;
}

void main();
