/**
 * `switchyard run`'s status line on a terminal: once an execution has run
 * for a second, one line rewritten in place — how long it has run, its
 * transitions, the state it is in and what that state waits for — and
 * cleared when the execution ends, so the summary prints as without it.
 * Nothing is written with --json or when stderr is not a terminal.
 */
import { FramePhase, type Frame } from '../engine/frame';

/** What the line reads from the running execution. */
export interface ProgressSource {
  /** The execution's root frame as it is now (undefined once it ended). */
  root(): Frame | undefined;
  transitions(): number;
}

/** After how long the line appears, and how often it is redrawn. */
export const PROGRESS_AFTER_MS = 1000;
const REDRAW_MS = 250;

/** The line for `source` after `elapsedMs`. */
export function progressLine(source: ProgressSource, elapsedMs: number): string {
  const root = source.root();
  const count = source.transitions();
  const parts = [`${(elapsedMs / 1000).toFixed(1)} s`, `${count} transition${count === 1 ? '' : 's'}`];
  if (root !== undefined && root.state !== '') parts.push(`in '${root.state}'${waitingFor(root)}`);
  return `switchyard run: ${parts.join(', ')}`;
}

function waitingFor(frame: Frame): string {
  switch (frame.phase) {
    case FramePhase.TASK:
      return ' (a task runs)';
    case FramePhase.RETRY_WAIT:
      return ' (waiting to retry)';
    case FramePhase.WAITING:
      return frame.waitUntil !== undefined ? ` (waiting until ${new Date(frame.waitUntil).toISOString().slice(11, 19)}Z)` : ' (waiting)';
    case FramePhase.CHILDREN:
      return frame.children !== undefined ? ` (${frame.children.succeeded + frame.children.failed} of ${frame.children.total} done)` : '';
    default:
      return '';
  }
}

/** Draws the line on `write` (a terminal) until the returned function is called, which clears it. */
export function showProgress(source: ProgressSource, write: (text: string) => void, now: () => number = Date.now): () => void {
  const started = now();
  let shown = false;
  const timer = setInterval(() => {
    const elapsed = now() - started;
    if (elapsed < PROGRESS_AFTER_MS) return;
    // Carriage return, the line, then erase to its end: the line is redrawn in place.
    write(`\r${progressLine(source, elapsed)}\x1b[K`);
    shown = true;
  }, REDRAW_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (shown) write('\r\x1b[K');
  };
}
