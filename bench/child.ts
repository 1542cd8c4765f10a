/**
 * One engine × one workload in its own process, so peak RSS belongs to that
 * pair alone. Prints one JSON line: the median milliseconds per execution,
 * the transitions per execution (Switchyard's count), the output and peak RSS.
 *
 * `node child.js ENGINE WORKLOAD [MIN_SAMPLES]`
 * `node child.js ENGINE WORKLOAD once`: load the engine, prepare, run ONE
 * execution and exit, so the parent can time the whole process (start-up
 * included) from outside.
 */
import type { JsonValue } from '../lib/asl/json';
import { engine, type EngineName } from './engines';
import { mapOfSize, WORKLOADS, type Workload } from './workloads';

export interface ChildReport {
  engine: string;
  workload: string;
  ok: boolean;
  error?: string;
  msPerExecution?: number;
  samples?: number;
  transitions?: number;
  output?: JsonValue;
  peakRssMb: number;
}

/** Long enough to see past timer noise, short enough to keep the whole run in minutes. */
const WARM_UP_MS = 500;
const MIN_SAMPLE_TIME_MS = 2000;
const MIN_SAMPLES = 5;
const MAX_SAMPLES = 400;

async function measure(engineName: EngineName, workload: Workload, minSamples = MIN_SAMPLES): Promise<ChildReport> {
  const base = { engine: engineName, workload: workload.name };
  try {
    const machine = await engine(engineName).prepare(workload.definition);
    const first = await machine.run(workload.input); // the output to compare
    // Warm up so the JIT has compiled the hot paths of every engine alike.
    for (const warm = Date.now(); Date.now() - warm < WARM_UP_MS; ) await machine.run(workload.input);
    const times: number[] = [];
    const started = Date.now();
    while (times.length < minSamples || (Date.now() - started < MIN_SAMPLE_TIME_MS && times.length < MAX_SAMPLES)) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < workload.executionsPerSample; i++) await machine.run(workload.input);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6 / workload.executionsPerSample);
      if (workload.executionsPerSample === 1 && times[0] > 10_000) break; // very slow: one sample is enough
    }
    times.sort((a, b) => a - b);
    return {
      ...base,
      ok: true,
      msPerExecution: times[Math.floor(times.length / 2)],
      samples: times.length,
      ...(first.transitions !== undefined ? { transitions: first.transitions } : {}),
      output: first.output,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } catch (err) {
    return { ...base, ok: false, error: (err as Error).message?.split('\n')[0] ?? String(err), peakRssMb: process.resourceUsage().maxRSS / 1024 };
  }
}

/** The whole-process mode: one execution, no warm-up; the parent times the process. */
async function runOnce(engineName: EngineName, workload: Workload): Promise<ChildReport> {
  const base = { engine: engineName, workload: workload.name };
  try {
    const machine = await engine(engineName).prepare(workload.definition);
    const result = await machine.run(workload.input);
    return { ...base, ok: true, ...(result.transitions !== undefined ? { transitions: result.transitions } : {}), output: result.output, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } catch (err) {
    return { ...base, ok: false, error: (err as Error).message?.split('\n')[0] ?? String(err), peakRssMb: process.resourceUsage().maxRSS / 1024 };
  }
}

async function main(): Promise<void> {
  const [engineName, workloadName, samples] = process.argv.slice(2) as [EngineName, string, string | undefined];
  const sized = /^map-(\d+)$/.exec(workloadName);
  const workload = WORKLOADS.find((w) => w.name === workloadName) ?? (sized ? mapOfSize(Number(sized[1])) : undefined);
  if (!workload) throw new Error(`Unknown workload ${workloadName}`);
  const report = samples === 'once' ? await runOnce(engineName, workload) : await measure(engineName, workload, samples === undefined ? undefined : Number(samples));
  process.stdout.write(JSON.stringify(report) + '\n');
  // Some peers keep timers alive; the report is written, so leave now.
  process.exit(0);
}

void main();
