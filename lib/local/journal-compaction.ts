/**
 * Compaction of the `--data` journal (journal.ts): the journal records every
 * change as it happens, so it only grows (about 14–21 KB per small
 * execution, most of it queue messages, step marks and outboxes that no
 * longer matter once their step is over). Compacting writes a fresh journal
 * holding only the live state — the store as records that rebuild it
 * (MemoryStore.snapshot: ended executions as their record, frames and
 * events, not the messages that built them), the messages still queued
 * under their ids, and the poison marks of executions still running — to
 * `journal.jsonl.compacting`, flushes it to disk, and renames it over the
 * journal. A rename is atomic: a crash before it leaves the old journal
 * whole (the leftover file is removed at the next start), a crash after it
 * the new one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MemoryQueue, MemoryStore } from '../service/memory';
import type { PoisonMarks } from './poison-marks';

/** The file a compaction writes before it renames it over the journal. */
export const COMPACTING_SUFFIX = '.compacting';

/** Queue methods only a compacted journal names. */
export const QUEUE_RESTORES = ['restore', 'continueIdsFrom'] as const;

/** Below this, a journal is not worth compacting at start-up. */
export const MIN_COMPACTION_BYTES = 1 << 20;

/** What a compaction wrote. */
export interface Compaction {
  bytesBefore: number;
  bytesAfter: number;
  records: number;
}

/** The live state a compaction writes. */
export interface LiveState {
  store: MemoryStore;
  queue: MemoryQueue;
  marks: PoisonMarks;
}

/**
 * True when the journal should be compacted at start-up: the records
 * appended since its last compaction (`grownBytes`) outweigh the compacted
 * state it began with (`restoredBytes`), and it is at least
 * {@link MIN_COMPACTION_BYTES}. So a journal is rewritten once it has about
 * doubled, and the rewriting costs a bounded share of the appending.
 */
export function worthCompacting(grownBytes: number, restoredBytes: number): boolean {
  return grownBytes + restoredBytes >= MIN_COMPACTION_BYTES && grownBytes > restoredBytes;
}

/** Writes `state` as a fresh journal and renames it over `file`. Synchronous, so no change can slip in between. */
export function compactJournal(file: string, state: LiveState): Compaction {
  const bytesBefore = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const temporary = file + COMPACTING_SUFFIX;
  const fd = fs.openSync(temporary, 'w');
  let chunk: string[] = [];
  let chunkLength = 0;
  let bytesAfter = 0;
  let records = 0;
  const flush = (): void => {
    const buffer = Buffer.from(chunk.join(''), 'utf8');
    fs.writeSync(fd, buffer);
    bytesAfter += buffer.length;
    chunk = [];
    chunkLength = 0;
  };
  const write = (t: 's' | 'q' | 'w', op: string, args: unknown[]): void => {
    const line = JSON.stringify({ t, op, args }) + '\n';
    chunk.push(line);
    chunkLength += line.length;
    records++;
    if (chunkLength >= 1 << 20) flush();
  };
  try {
    const running = new Set<string>();
    for (const record of state.store.snapshot()) {
      if (record.op === 'restoreExecution') {
        const execution = record.args[0] as { info: { executionArn: string }; status: string };
        if (execution.status === 'RUNNING') running.add(execution.info.executionArn);
      }
      write('s', record.op, record.args);
    }
    const queued = state.queue.snapshot();
    for (const m of queued.messages) write('q', 'restore', [m.id, m.body, m.visibleAt]);
    write('q', 'continueIdsFrom', [queued.nextId]);
    for (const mark of state.marks.compacted((arn) => running.has(arn))) write('w', mark.op, mark.args);
    flush();
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  syncFolder(path.dirname(file));
  return { bytesBefore, bytesAfter, records };
}

/** Removes what a compaction cut off before its rename left behind: the journal beside it is whole. */
export function removeUnfinishedCompaction(file: string): void {
  fs.rmSync(file + COMPACTING_SUFFIX, { force: true });
}

/** Makes the rename itself durable (where the platform allows a folder to be flushed). */
function syncFolder(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every platform can open a folder for flushing; the rename still happened.
  }
}
