/**
 * `npm run bench`: every workload on Switchyard and on each peer engine, one
 * child process per engine × workload (so peak RSS is that pair's alone),
 * all with the same Node flags. Prints a table, the whole-process table
 * (one child that starts, loads its engine, runs one execution and exits,
 * timed from outside), the 100,000-item Map's linearity check and one
 * `bench:` line per workload.
 *
 * `--write-readme` also replaces the table in README.md between the
 * `<!-- bench-table -->` markers. `--only NAME[,NAME]` limits the workloads.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildReport } from './child';
import { ENGINE_NAMES, type EngineName } from './engines';
import { WORKLOADS } from './workloads';

/** The same for every engine: a larger young generation suits all of them (allocation-heavy interpreters). */
const NODE_FLAGS = ['--max-semi-space-size=32'];
const CHILD_TIMEOUT_MS = 180_000;
const LINEARITY_SIZES = [25_000, 50_000, 100_000];
/** Medians of this many runs at each size: single large runs vary with when the collector happens to run. */
const LINEARITY_SAMPLES = 7;
/** Whole-process runs per engine × workload, interleaved across engines so drift in the machine's speed hits all alike. */
const WHOLE_PROCESS_RUNS = 7;

function runChild(engine: EngineName, workload: string, samples?: number): ChildReport {
  const child = path.join(__dirname, 'child.js');
  try {
    const out = execFileSync(process.execPath, [...NODE_FLAGS, child, engine, workload, ...(samples === undefined ? [] : [String(samples)])], {
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{"engine"'));
    if (!line) return { engine, workload, ok: false, error: 'no report', peakRssMb: 0 };
    return JSON.parse(line) as ChildReport;
  } catch (err) {
    const e = err as { signal?: string; stderr?: string; message: string };
    const reason = e.signal === 'SIGTERM' ? `timed out after ${CHILD_TIMEOUT_MS / 1000} s` : `crashed: ${(e.stderr ?? e.message).split('\n').find((l) => /Error/.test(l))?.trim() ?? 'unknown'}`;
    return { engine, workload, ok: false, error: reason, peakRssMb: 0 };
  }
}

/** Wall milliseconds of one whole child process (start, load the engine, prepare, one execution, exit); undefined if it failed. */
function wholeProcessMs(engine: EngineName, workload: string): number | undefined {
  const child = path.join(__dirname, 'child.js');
  const t0 = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...NODE_FLAGS, child, engine, workload, 'once'], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const line = run.stdout?.trim().split('\n').reverse().find((l) => l.startsWith('{"engine"'));
  return run.status === 0 && line !== undefined && (JSON.parse(line) as ChildReport).ok ? ms : undefined;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Each engine's median whole-process time on one workload: runs A B C A B C …, WHOLE_PROCESS_RUNS of each. */
function wholeProcess(row: Row): void {
  const engines = ['switchyard' as EngineName, ...row.peers.filter((p) => p.tps !== undefined).map((p) => p.engine as EngineName)];
  const times = new Map<EngineName, number[]>(engines.map((e) => [e, []]));
  for (let i = 0; i < WHOLE_PROCESS_RUNS; i++) {
    for (const engine of engines) {
      const ms = wholeProcessMs(engine, row.workload);
      if (ms !== undefined) times.get(engine)!.push(ms);
    }
  }
  // A peer that does not support the workload has no runs.
  const ms = (engine: EngineName): number | undefined => {
    const runs = times.get(engine);
    return runs && runs.length > 0 ? median(runs) : undefined;
  };
  row.wholeProcessMs = ms('switchyard');
  for (const peer of row.peers) {
    peer.wholeProcessMs = ms(peer.engine as EngineName);
    if (peer.wholeProcessMs !== undefined && (row.fastestPeerWholeProcess === undefined || peer.wholeProcessMs < row.fastestPeerWholeProcess.ms)) {
      row.fastestPeerWholeProcess = { engine: peer.engine, ms: peer.wholeProcessMs };
    }
  }
}

interface Row {
  workload: string;
  description: string;
  transitions: number;
  switchyard: ChildReport;
  peers: { engine: string; report: ChildReport; tps?: number; note?: string; wholeProcessMs?: number }[];
  tps: number;
  bestPeer?: { engine: string; tps: number };
  /** Median wall time of Switchyard's whole process (start-up included) for one execution. */
  wholeProcessMs?: number;
  fastestPeerWholeProcess?: { engine: string; ms: number };
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2));

function main(): void {
  const args = process.argv.slice(2);
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1].split(',')) : undefined;
  const rows: Row[] = [];
  process.stderr.write(`bench: node ${process.version} ${NODE_FLAGS.join(' ')}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`);

  for (const workload of WORKLOADS) {
    if (only && !only.has(workload.name)) continue;
    process.stderr.write(`bench: ${workload.name} …\n`);
    const ours = runChild('switchyard', workload.name);
    if (!ours.ok || ours.transitions === undefined || ours.msPerExecution === undefined) throw new Error(`Switchyard failed ${workload.name}: ${ours.error}`);
    const transitions = ours.transitions;
    const tps = (transitions / ours.msPerExecution) * 1000;
    const row: Row = { workload: workload.name, description: workload.description, transitions, switchyard: ours, peers: [], tps };
    if (workload.peers) {
      for (const engine of ENGINE_NAMES.filter((e) => e !== 'switchyard')) {
        const report = runChild(engine, workload.name);
        if (!report.ok) {
          row.peers.push({ engine, report, note: `unsupported (${report.error})` });
        } else if (JSON.stringify(report.output) !== JSON.stringify(ours.output) && !sameJson(report.output, ours.output)) {
          row.peers.push({ engine, report, note: 'wrong output, excluded' });
        } else {
          const peerTps = (transitions / report.msPerExecution!) * 1000;
          row.peers.push({ engine, report, tps: peerTps });
          if (!row.bestPeer || peerTps > row.bestPeer.tps) row.bestPeer = { engine, tps: peerTps };
        }
      }
    }
    if (workload.peers) {
      process.stderr.write(`bench: ${workload.name} whole process …\n`);
      wholeProcess(row);
    }
    rows.push(row);
  }

  const table = renderTable(rows);
  const wholeTable = renderWholeProcessTable(rows);
  process.stdout.write(`\n${table}\n`);
  process.stdout.write(`\n${wholeTable}\n`);
  for (const row of rows) {
    for (const peer of row.peers) if (peer.note) process.stdout.write(`note: ${row.workload}: ${peer.engine} ${peer.note}\n`);
  }

  if (!only || only.has('map-100000')) process.stdout.write(`\n${linearity()}\n`);

  process.stdout.write('\n');
  for (const row of rows) {
    const ratio = row.bestPeer ? (row.tps / row.bestPeer.tps).toFixed(1) : 'n/a';
    const whole = row.wholeProcessMs !== undefined ? ` whole_process_ms=${Math.round(row.wholeProcessMs)} whole_process_ratio_vs_best_peer=${wholeProcessRatio(row)}` : '';
    process.stdout.write(`bench: ${row.workload} transitions_per_second=${Math.round(row.tps)} peak_rss_mb=${row.switchyard.peakRssMb.toFixed(0)} ratio_vs_best_peer=${ratio}${whole}\n`);
  }
  if (args.includes('--write-readme')) writeReadme(`${table}\n\n${wholeTable}`);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function renderTable(rows: Row[]): string {
  const lines = [
    '| workload | transitions | Switchyard t/s | peak RSS MB | aws-local-stepfunctions t/s | @wmfs/statebox t/s | ratio vs faster peer |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const peer = (name: string) => {
      const p = row.peers.find((x) => x.engine === name);
      if (!p) return '—';
      return p.tps !== undefined ? fmt(p.tps) : p.note?.startsWith('wrong') ? 'wrong output' : 'unsupported';
    };
    const ratio = row.bestPeer ? `${(row.tps / row.bestPeer.tps).toFixed(1)}×` : 'n/a';
    lines.push(`| ${row.description} | ${fmt(row.transitions)} | ${fmt(row.tps)} | ${row.switchyard.peakRssMb.toFixed(0)} | ${peer('aws-local-stepfunctions')} | ${peer('@wmfs/statebox')} | ${ratio} |`);
  }
  return lines.join('\n');
}

/** The fastest peer's whole-process time over Switchyard's (above 1: Switchyard is faster), as the throughput ratio reads. */
function wholeProcessRatio(row: Row): string {
  return row.wholeProcessMs !== undefined && row.fastestPeerWholeProcess ? (row.fastestPeerWholeProcess.ms / row.wholeProcessMs).toFixed(2) : 'n/a';
}

/** One execution in a fresh process each: start-up, loading the engine, preparing the definition and the cold first run. */
function renderWholeProcessTable(rows: Row[]): string {
  const lines = [
    `Whole process, one execution (median of ${WHOLE_PROCESS_RUNS} interleaved runs, ms):`,
    '| workload | Switchyard ms | aws-local-stepfunctions ms | @wmfs/statebox ms | ratio vs fastest peer |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    if (row.wholeProcessMs === undefined) continue;
    const peer = (name: string) => {
      const p = row.peers.find((x) => x.engine === name);
      return p?.wholeProcessMs !== undefined ? fmt(p.wholeProcessMs) : '—';
    };
    const ratio = wholeProcessRatio(row);
    lines.push(`| ${row.description} | ${fmt(row.wholeProcessMs)} | ${peer('aws-local-stepfunctions')} | ${peer('@wmfs/statebox')} | ${ratio === 'n/a' ? ratio : `${ratio}×`} |`);
  }
  return lines.join('\n');
}

/** Time per item at 25k, 50k and 100k items: linear when it stays flat. */
function linearity(): string {
  const points = LINEARITY_SIZES.map((n) => {
    const r = runChild('switchyard', `map-${n}`, LINEARITY_SAMPLES);
    if (!r.ok) throw new Error(`map-${n}: ${r.error}`);
    return { n, ms: r.msPerExecution!, rss: r.peakRssMb, usPerItem: (r.msPerExecution! * 1000) / n };
  });
  const spread = Math.max(...points.map((p) => p.usPerItem)) / Math.min(...points.map((p) => p.usPerItem));
  const lines = points.map((p) => `  ${p.n.toLocaleString('en-US').padStart(7)} items: ${p.ms.toFixed(0).padStart(6)} ms, ${p.usPerItem.toFixed(2)} µs/item, peak RSS ${p.rss.toFixed(0)} MB`);
  const verdict = spread <= 1.5 ? 'linear' : 'NOT linear';
  const rss = points[points.length - 1].rss;
  return [`Map linearity (time per item should stay flat):`, ...lines, `  ${verdict}: per-item time varies ${spread.toFixed(2)}×; 100,000 items peak RSS ${rss.toFixed(0)} MB (${rss < 1024 ? 'under' : 'OVER'} 1 GB)`].join('\n');
}

function writeReadme(table: string): void {
  const file = path.resolve(__dirname, '../../README.md');
  const text = fs.readFileSync(file, 'utf8');
  const marker = '<!-- bench-table -->';
  const start = text.indexOf(marker);
  const end = text.indexOf(marker, start + marker.length);
  if (start < 0) throw new Error('README.md has no <!-- bench-table --> marker');
  const stamp = `Measured on ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`;
  const block = `${marker}\n${table}\n\n${stamp}\n${marker}`;
  fs.writeFileSync(file, text.slice(0, start) + block + (end >= 0 ? text.slice(end + marker.length) : text.slice(start + marker.length)));
}

main();
