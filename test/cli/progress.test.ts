/**
 * `switchyard run`'s status line on a terminal: nothing for the first
 * second, then how long, how many transitions, the state and what it waits
 * for, redrawn in place; cleared at the end so the summary follows as usual.
 */
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import { PROGRESS_AFTER_MS, progressLine, showProgress } from '../../lib/cli/progress';
import { runCommand } from '../../lib/cli/run';
import * as path from 'node:path';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function root(phase: Frame['phase'], more: Partial<Frame> = {}): Frame {
  return { id: 'root', scope: '', version: 3, status: FrameStatus.RUNNING, phase, state: 'Pause', entry: 2, input: {}, enteredAt: T0, vars: {}, retries: [], ...more };
}

describe('progressLine', () => {
  it.each([
    [root(FramePhase.WAITING, { waitUntil: T0 + 65_000 }), "switchyard run: 2.5 s, 7 transitions, in 'Pause' (waiting until 12:01:05Z)"],
    [root(FramePhase.TASK, { state: 'Charge' }), "switchyard run: 2.5 s, 7 transitions, in 'Charge' (a task runs)"],
    [root(FramePhase.RETRY_WAIT, { state: 'Charge' }), "switchyard run: 2.5 s, 7 transitions, in 'Charge' (waiting to retry)"],
    [
      root(FramePhase.CHILDREN, { state: 'Each', children: { run: 0, total: 40, started: 20, succeeded: 11, failed: 1, maxConcurrency: 20, toleratedFailures: 0, effectiveInput: [] } }),
      "switchyard run: 2.5 s, 7 transitions, in 'Each' (12 of 40 done)",
    ],
    [undefined, 'switchyard run: 2.5 s, 7 transitions'],
  ])('%#: %s', (frame, line) => {
    expect(progressLine({ root: () => frame, transitions: () => 7 }, 2500)).toBe(line);
  });

  it('counts one transition in the singular', () => {
    expect(progressLine({ root: () => undefined, transitions: () => 1 }, 1000)).toBe('switchyard run: 1.0 s, 1 transition');
  });
});

describe('showProgress', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes nothing for the first second, then redraws the line in place, and clears it when stopped', () => {
    let clock = T0;
    const written: string[] = [];
    const stop = showProgress({ root: () => root(FramePhase.TASK), transitions: () => 3 }, (t) => written.push(t), () => clock);
    clock += PROGRESS_AFTER_MS - 1;
    jest.advanceTimersByTime(PROGRESS_AFTER_MS - 1);
    expect(written).toEqual([]);
    clock += 251;
    jest.advanceTimersByTime(1);
    expect(written).toEqual(["\rswitchyard run: 1.3 s, 3 transitions, in 'Pause' (a task runs)\x1b[K"]);
    stop();
    expect(written.at(-1)).toBe('\r\x1b[K');
    jest.advanceTimersByTime(10_000);
    expect(written).toHaveLength(2);
  });

  it('leaves the terminal untouched when the run ended within the second', () => {
    const written: string[] = [];
    const stop = showProgress({ root: () => undefined, transitions: () => 0 }, (t) => written.push(t), () => T0);
    jest.advanceTimersByTime(500);
    stop();
    expect(written).toEqual([]);
  });
});

describe('switchyard run and the status line', () => {
  it('never writes it with --json', async () => {
    const progress = jest.fn();
    let out = '';
    const definition = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } });
    const fs = await import('node:fs');
    const os = await import('node:os');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'progress-')), 'wait.asl.json');
    fs.writeFileSync(file, definition);
    // 1.2 s of real time: long enough for the line, were it allowed.
    const code = await runCommand({ definition: file, json: true, history: false, timeScale: '1.2' }, { stdout: (t) => (out += t), stderr: () => undefined, cwd: process.cwd(), progress });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ status: 'SUCCEEDED' });
    expect(progress).not.toHaveBeenCalled();
  });
});
