/**
 * Poison messages on one machine (`switchyard serve --data`): the journal
 * marks each step as begun and ended, and each run of the process as
 * opened. A step begun and never ended when its run stopped was cut off by
 * the process dying — killed, or crashed by the step itself (a V8 fatal
 * error, an out-of-memory kill). A message cut off in {@link POISON_RUNS}
 * runs is poison: its execution fails with States.Runtime instead of the
 * server dying on it at every start.
 */
import type { TransitionWatch } from '../service/ports';

/** Runs a message's step may be cut off in before the message is poison. */
export const POISON_RUNS = 2;

/** A journal record of this watch: a run opened, a step begun or ended. */
export type MarkOp = 'open' | 'begin' | 'end';

/** The marks, kept as the journal is replayed and as the server runs. */
export class PoisonMarks implements TransitionWatch {
  /** Steps begun and not yet ended in the run being read (or the current run). */
  private readonly open = new Set<string>();
  /** Messages cut off, and in how many runs. */
  private readonly cutOff = new Map<string, number>();
  /** Appends a mark to the journal; none while replaying. */
  record: (op: MarkOp, args: string[]) => void = () => {};

  /** Applies a mark read from the journal. */
  replay(op: MarkOp, args: readonly string[]): void {
    if (op === 'open') return this.endRun();
    const id = markId(args[0], args[1]);
    if (op === 'begin') this.open.add(id);
    else {
      this.open.delete(id);
      this.cutOff.delete(id);
    }
  }

  /** The journal's end: the run it describes is over (it died, or closed with nothing begun). */
  endRun(): void {
    for (const id of this.open) this.cutOff.set(id, (this.cutOff.get(id) ?? 0) + 1);
    this.open.clear();
  }

  /** Messages cut off in one run or more, with their counts (kept when the journal is compacted). */
  cutOffMessages(): ReadonlyMap<string, number> {
    return this.cutOff;
  }

  /**
   * The marks a compacted journal holds instead of the ones read: for the
   * k-th run a message was cut off in, its begin and that run's end, so
   * replaying them counts the same runs; then the steps begun and not yet
   * ended in this run. Messages of executions `keep` refuses (ended ones,
   * whose messages are not pending) are left out.
   */
  compacted(keep: (executionArn: string) => boolean): { op: MarkOp; args: string[] }[] {
    const out: { op: MarkOp; args: string[] }[] = [];
    const kept = [...this.cutOff].map(([id, runs]) => [splitMarkId(id), runs] as const).filter(([[arn]]) => keep(arn));
    const most = Math.max(0, ...kept.map(([, runs]) => runs));
    for (let run = 1; run <= most; run++) {
      for (const [args, runs] of kept) if (runs >= run) out.push({ op: 'begin', args });
      out.push({ op: 'open', args: [] });
    }
    for (const id of this.open) out.push({ op: 'begin', args: splitMarkId(id) });
    return out;
  }

  begin(executionArn: string, key: string): void {
    this.open.add(markId(executionArn, key));
    this.record('begin', [executionArn, key]);
  }

  end(executionArn: string, key: string): void {
    const id = markId(executionArn, key);
    this.open.delete(id);
    this.cutOff.delete(id);
    this.record('end', [executionArn, key]);
  }

  poisoned(executionArn: string, key: string): string | undefined {
    const runs = this.cutOff.get(markId(executionArn, key)) ?? 0;
    if (runs < POISON_RUNS) return undefined;
    const [type, frameId] = key.split('|');
    return `The server stopped ${runs} times while applying the ${type} message to the frame '${frameId}' of this execution (killed, or crashed by the transition itself, e.g. out of memory); the message is poison and was not applied again, so the execution was failed.`;
  }
}

function markId(executionArn: string, key: string): string {
  return `${executionArn}\n${key}`;
}

function splitMarkId(id: string): [string, string] {
  const i = id.indexOf('\n');
  return [id.slice(0, i), id.slice(i + 1)];
}
