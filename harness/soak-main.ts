/**
 * `npm run test:soak`: the soak (soak.ts) at full size against the built CLI.
 * Usage: node dist/harness/soak-main.js [--executions N] [--restarts R] [--clients C] [--per-client K]
 * Ends with `soak: executions=N restarts=R anomalies=A p50_ms=X p99_ms=Y`; exits 1 on any anomaly.
 */
import * as path from 'node:path';
import { formatSoak, runSoak } from './soak';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number): number => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
  };
  const started = Date.now();
  const report = await runSoak({
    executions: option('executions', 10_000),
    restarts: option('restarts', 5),
    clients: option('clients', 6),
    perClient: option('per-client', 12),
    cli: path.join(__dirname, '..', 'bin', 'switchyard.js'),
    progress: (line) => process.stderr.write(line + '\n'),
  });
  for (const a of report.anomalies.slice(0, 50)) process.stderr.write(`anomaly: ${a}\n`);
  process.stderr.write(`wall_time=${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  process.stdout.write(formatSoak(report) + '\n');
  process.exitCode = report.anomalies.length === 0 ? 0 : 1;
}

void main();
