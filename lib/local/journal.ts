/**
 * Durability on one machine for `switchyard serve --data DIR`: every change
 * to the in-memory store and queue is appended to `DIR/journal.jsonl` as it
 * happens, and replayed into fresh ones at start. Definitions, executions
 * and history survive a restart, and running executions resume: their
 * messages are back in the queue (all visible again, which at-least-once
 * delivery allows). Each time the journal has doubled since it was last
 * compacted — at start-up after the replay, or while serving — it is
 * rewritten as the live state alone (journal-compaction.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { MemoryQueue, MemoryStore, STORE_RESTORES } from '../service/memory';
import type { Outgoing } from '../service/ports';
import { compactJournal, QUEUE_RESTORES, removeUnfinishedCompaction, worthCompacting, type Compaction } from './journal-compaction';
import { PoisonMarks, type MarkOp } from './poison-marks';

/** Store methods that change state, and whether they report success (only then is the change recorded). */
const STORE_CHANGES: Record<string, 'always' | 'ifTrue'> = {
  putStateMachine: 'always',
  deleteStateMachine: 'always',
  createExecution: 'ifTrue',
  finishExecution: 'always',
  reopenExecution: 'ifTrue',
  putFrameVersion: 'ifTrue',
  markOutboxDone: 'always',
  putValue: 'always',
  putChildCompletion: 'always',
  putActivity: 'always',
  deleteActivity: 'always',
  enqueueActivityTask: 'always',
  takeActivityTask: 'always',
  claimTask: 'ifTrue',
  recordTaskResult: 'always',
};

interface Entry {
  /** `s` store, `q` queue, `w` the poison watch's marks (poison-marks.ts). */
  t: 's' | 'q' | 'w';
  op: string;
  args: unknown[];
}

/** The watch's marks. */
const MARKS: ReadonlySet<string> = new Set<MarkOp>(['open', 'begin', 'end']);

/** True for a record this journal writes: a store or queue change with its arguments. */
function isEntry(value: unknown): value is Entry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { t, op, args } = value as Record<string, unknown>;
  if (!Array.isArray(args) || typeof op !== 'string') return false;
  if (t === 'w') return MARKS.has(op) && args.every((a) => typeof a === 'string');
  if (t === 's') return Object.prototype.hasOwnProperty.call(STORE_CHANGES, op) || (STORE_RESTORES as readonly string[]).includes(op);
  return t === 'q' && (QUEUE_CHANGES.has(op) || (QUEUE_RESTORES as readonly string[]).includes(op));
}

/** Records only a compaction writes (the live state it began with). */
const RESTORES: ReadonlySet<string> = new Set<string>([...STORE_RESTORES, ...QUEUE_RESTORES]);

export interface Journaled {
  store: MemoryStore;
  queue: MemoryQueue;
  /** The poison watch: the driver's TransitionWatch. */
  marks: PoisonMarks;
  /** Entries replayed at start. */
  replayed: number;
  /** The compaction done at start, if the journal was worth compacting. */
  compaction?: Compaction;
  close(): void;
}

/** Queue methods recorded in the journal. */
const QUEUE_CHANGES: ReadonlySet<string> = new Set(['enqueueAt', 'delete']);

/** Reports a journal record that was skipped at start-up, and a compaction. */
export type JournalLog = (entry: Record<string, unknown>) => void;

/** When the journal is compacted at start-up (journal-compaction.ts). */
export type CompactionPolicy = 'auto' | 'always' | 'never';

/**
 * Opens (or creates) the journal in `dir`, replays it, and returns a store and a queue that append to it.
 * A damaged or unrecognised record is reported through `log` with its line number and skipped.
 */
export async function openJournal(dir: string, now: () => number, visibilityTimeoutMs: number, log: JournalLog = () => {}, compact: CompactionPolicy = 'auto'): Promise<Journaled> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'journal.jsonl');
  removeUnfinishedCompaction(file);
  const store = new MemoryStore();
  const queue = new MemoryQueue(now, visibilityTimeoutMs);
  const marks = new PoisonMarks();
  let replayed = 0;
  // Bytes of records a compaction wrote, and of those appended since.
  let restoredBytes = 0;
  let grownBytes = 0;
  if (fs.existsSync(file)) {
    // Read line by line: the journal grows without bound and may be larger than one string can hold.
    const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const skip = (reason: string): void => log({ level: 'WARN', message: 'journal record skipped', file, line: lineNumber, reason });
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        skip('not valid JSON (a line cut short by a crash mid-write: the change it describes never completed)');
        continue;
      }
      if (!isEntry(entry)) {
        skip('not a journal record: expected {"t":"s"|"q"|"w","op":<a recorded operation>,"args":[...]}');
        continue;
      }
      if (RESTORES.has(entry.op)) restoredBytes += line.length;
      else grownBytes += line.length;
      if (entry.t === 'w') {
        marks.replay(entry.op as MarkOp, entry.args as string[]);
        replayed++;
        continue;
      }
      const target = (entry.t === 's' ? store : queue) as unknown as Record<string, (...a: unknown[]) => unknown>;
      try {
        await target[entry.op](...entry.args);
      } catch (err) {
        skip(`replaying ${entry.op} failed: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      replayed++;
    }
    // A last line cut short has no newline: start the next record on a line of its own.
    const size = fs.statSync(file).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      const fd = fs.openSync(file, 'r');
      fs.readSync(fd, last, 0, 1, size - 1);
      fs.closeSync(fd);
      if (last[0] !== 0x0a) fs.appendFileSync(file, '\n');
    }
  }
  marks.endRun();
  let compaction: Compaction | undefined;
  const compactNow = (): Compaction => {
    const started = Date.now();
    const done = compactJournal(file, { store, queue, marks });
    log({ level: 'INFO', message: 'journal compacted', file, ...done, ms: Date.now() - started });
    restoredBytes = done.bytesAfter;
    grownBytes = 0;
    return done;
  };
  if (compact === 'always' || (compact === 'auto' && worthCompacting(grownBytes, restoredBytes))) compaction = compactNow();
  let fd = fs.openSync(file, 'a');
  let closed = false;
  let compactionDue = false;
  // While it serves, the journal is compacted again each time it doubles. From a macrotask: every store
  // change is then journaled (MemoryStore changes its maps before its first await, the record follows
  // within microtasks), so the snapshot and the journal agree.
  const compactLater = (): void => {
    compactionDue = true;
    setImmediate(() => {
      compactionDue = false;
      if (closed) return;
      fs.closeSync(fd);
      try {
        compactNow();
      } finally {
        fd = fs.openSync(file, 'a');
      }
    });
  };
  const append = (entry: Entry): void => {
    const line = JSON.stringify(entry) + '\n';
    fs.writeSync(fd, line);
    grownBytes += line.length;
    if (compact === 'auto' && !compactionDue && worthCompacting(grownBytes, restoredBytes)) compactLater();
  };
  // This run's marks start here: what it leaves begun and not ended was cut off by its end.
  append({ t: 'w', op: 'open', args: [] });
  marks.record = (op, args) => append({ t: 'w', op, args });

  const journaledStore = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      const mode = typeof prop === 'string' ? STORE_CHANGES[prop] : undefined;
      if (typeof value !== 'function' || !mode) return value;
      return async (...args: unknown[]) => {
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (mode === 'always' || result === true) append({ t: 's', op: prop as string, args });
        return result;
      };
    },
  });
  // Recorded with its absolute due time, so a replayed delay ends when it would have.
  const enqueue = (body: string, delayMs = 0): void => {
    const visibleAt = now() + Math.ceil(Math.max(0, delayMs) / 1000) * 1000;
    append({ t: 'q', op: 'enqueueAt', args: [body, visibleAt] });
    queue.enqueueAt(body, visibleAt);
  };
  const journaledQueue = new Proxy(queue, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'enqueue') return enqueue;
      if (prop === 'send') return async (messages: Outgoing[]) => messages.forEach((m) => enqueue(JSON.stringify(m.envelope), m.delayMs));
      if (prop === 'delete') {
        return (id: string) => {
          append({ t: 'q', op: 'delete', args: [id] });
          (value as (i: string) => void).call(target, id);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: journaledStore, queue: journaledQueue, marks, replayed, ...(compaction ? { compaction } : {}), close: () => void ((closed = true), fs.closeSync(fd)) };
}
