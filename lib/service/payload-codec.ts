/**
 * The stored form of frame versions and execution records. Large values —
 * a state's input and output, a Map run's items, an execution's input and
 * output — are stored once under the hash of their content and referenced,
 * so a transition that does not change 100 KiB of state does not write it
 * again; payloads in an outbox that are the frame's input are references to it,
 * and a task invocation's execution ARN and attempt id (which repeats the ARN)
 * are markers for what the execution and the effect already say: about 80
 * bytes less per task version, after compression.
 */
import { createHash } from 'node:crypto';
import { setJsonField, type JsonValue } from '../asl/json';
import type { ExecutionRecord, ExecutionStore, FrameVersion } from './ports';

/** Values at least this large (as JSON) are stored once by content hash. */
export const LARGE_VALUE_BYTES = 2048;
/** The key of a reference to a stored value: `{ "$switchyard.sha256": hash }`. */
export const VALUE_REF = '$switchyard.sha256';

/** How an outbox refers to the frame's input instead of repeating it. */
const INPUT_REF = { $frameInput: true } as const;

/** What a stored invocation holds in place of its execution's ARN, and of the attempt id that execution and effect make. */
const EXECUTION_ARN_MARK = '$x';
const ATTEMPT_ID_MARK = '$a';

/** An outbox effect as stored and read back: only a task's invocation differs. */
interface StoredEffect {
  type?: unknown;
  frameId?: string;
  entry?: number;
  invocation?: { executionArn: string; attemptId: string; attempt: number };
}

/** The attempt id the engine gives an invocation (lib/engine/states/task.ts). */
function attemptIdOf(executionArn: string, effect: StoredEffect): string | undefined {
  return effect.invocation && `${executionArn}#${effect.frameId}#${effect.entry}#${effect.invocation.attempt}`;
}

/**
 * The effects with each InvokeTask's execution ARN and attempt id as markers where they are what they must be
 * (the keys stay, in their order, so {@link unmarkInvocations} gives back the same object).
 */
function markInvocations(effects: unknown[], executionArn: string): unknown[] {
  return effects.map((e) => {
    const effect = e as StoredEffect;
    const inv = effect.invocation;
    if (effect.type !== 'InvokeTask' || !inv) return e;
    const marked = { ...inv };
    if (inv.executionArn === executionArn) marked.executionArn = EXECUTION_ARN_MARK;
    if (inv.attemptId === attemptIdOf(executionArn, effect)) marked.attemptId = ATTEMPT_ID_MARK;
    return { ...effect, invocation: marked };
  });
}

/** Puts back what {@link markInvocations} marked. */
function unmarkInvocations(effects: unknown[], executionArn: string): unknown[] {
  return effects.map((e) => {
    const effect = e as StoredEffect;
    const inv = effect.invocation;
    if (effect.type !== 'InvokeTask' || !inv || (inv.executionArn !== EXECUTION_ARN_MARK && inv.attemptId !== ATTEMPT_ID_MARK)) return e;
    const restored = { ...inv };
    if (inv.executionArn === EXECUTION_ARN_MARK) restored.executionArn = executionArn;
    if (inv.attemptId === ATTEMPT_ID_MARK) restored.attemptId = attemptIdOf(executionArn, effect)!;
    return { ...effect, invocation: restored };
  });
}

/** Large values cached per container, at most this many. */
const MAX_CACHED_VALUES = 256;

/**
 * `value` with every occurrence of the object `target` replaced by `by` (by
 * identity): what holds none is returned as it is, not copied, so a caller
 * can tell by identity whether anything was replaced.
 */
export function replaceValue(value: unknown, target: unknown, by: unknown): unknown {
  if (target === null || typeof target !== 'object') return value;
  return mapObjects(value, (v) => (v === target ? by : undefined));
}

/** Puts the frame's input back where {@link replaceValue} left a reference to it (what holds none is returned as it is). */
export function restoreValue(value: unknown, input: unknown): unknown {
  return mapObjects(value, (v) => ((v as { $frameInput?: unknown }).$frameInput === true && Object.keys(v as object).length === 1 ? input : undefined));
}

/**
 * `value` with each object for which `swap` answers a value replaced by it,
 * copying only the arrays and objects along the way to a replacement (an
 * outbox of a thousand child starts that refer to nothing is not copied).
 */
function mapObjects(value: unknown, swap: (v: object) => unknown): unknown {
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const swapped = swap(v);
    if (swapped !== undefined) return swapped;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = walk(v[i]);
        if (x !== v[i]) (out ??= v.slice())[i] = x;
      }
      return out ?? v;
    }
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const y = walk(x);
      if (y === x) continue;
      if (!out) {
        out = {};
        for (const [k2, x2] of Object.entries(v)) setJsonField(out, k2, x2);
      }
      setJsonField(out, k, y);
    }
    return out ?? v;
  };
  return walk(value);
}

/** Encodes and decodes stored state, keeping large values by content hash in the store's value table. */
export class PayloadCodec {
  /** Large values by `executionArn|hash`. */
  private readonly values = new Map<string, JsonValue>();
  /** The hash of each value object seen (values are never mutated). */
  private readonly valueHashes = new WeakMap<object, string>();
  /** Objects found smaller than {@link LARGE_VALUE_BYTES}, so they are not serialised again to learn it. */
  private readonly smallValues = new WeakSet<object>();

  constructor(private readonly store: Pick<ExecutionStore, 'putValue' | 'getValue'>) {}

  /** The stored form of a frame version. */
  async encode(executionArn: string, version: FrameVersion): Promise<FrameVersion> {
    const f = version.frame;
    const frame = { ...f, input: await this.refer(executionArn, f.input) };
    if (f.output !== undefined) frame.output = await this.refer(executionArn, f.output);
    if (f.children) {
      frame.children = { ...f.children, effectiveInput: await this.refer(executionArn, f.children.effectiveInput) };
      if (f.children.items) frame.children.items = (await this.refer(executionArn, f.children.items, 0)) as JsonValue[];
    }
    let outbox = version.outbox;
    if (outbox) {
      const replaced = replaceValue(outbox.effects, f.input, INPUT_REF) as unknown[];
      const effects = markInvocations(replaced, executionArn);
      // Marked when nothing refers to the input, so each read of the version need not look (a Map's child starts).
      outbox = replaced === outbox.effects ? { ...outbox, effects, inputRefs: false } : { ...outbox, effects };
    }
    return { ...version, frame, ...(outbox ? { outbox } : {}) };
  }

  /** A frame version as {@link encode} stored it, with its values back in place. */
  async decode(executionArn: string, stored: FrameVersion): Promise<FrameVersion> {
    const f = stored.frame;
    const frame = { ...f, input: await this.resolve(executionArn, f.input) };
    if (f.output !== undefined) frame.output = await this.resolve(executionArn, f.output);
    if (f.children) {
      frame.children = { ...f.children, effectiveInput: await this.resolve(executionArn, f.children.effectiveInput) };
      if (f.children.items) frame.children.items = (await this.resolve(executionArn, f.children.items)) as JsonValue[];
    }
    let outbox = stored.outbox;
    if (outbox) {
      const effects = unmarkInvocations(outbox.effects, executionArn);
      outbox = { ...outbox, effects: outbox.inputRefs === false ? effects : (restoreValue(effects, frame.input) as unknown[]) };
    }
    return { ...stored, frame, ...(outbox ? { outbox } : {}) };
  }

  /** The execution record as stored: a large input or output is a reference, like a frame's. */
  async encodeRecord(record: ExecutionRecord): Promise<ExecutionRecord> {
    const arn = record.info.executionArn;
    return {
      ...record,
      info: { ...record.info, input: await this.refer(arn, record.info.input) },
      ...(record.output !== undefined ? { output: await this.refer(arn, record.output) } : {}),
    };
  }

  /** An execution record as {@link encodeRecord} stored it, with its values back in place. */
  async decodeRecord(executionArn: string, stored: ExecutionRecord): Promise<ExecutionRecord> {
    return {
      ...stored,
      info: { ...stored.info, input: await this.resolve(executionArn, stored.info.input) },
      ...(stored.output !== undefined ? { output: await this.resolve(executionArn, stored.output) } : {}),
    };
  }

  /**
   * A large value as a reference to its content, stored once (per container,
   * known hashes are not written again); a smaller one as it is.
   */
  async refer(executionArn: string, value: JsonValue, minBytes = LARGE_VALUE_BYTES): Promise<JsonValue> {
    if (value === null || typeof value !== 'object') return value;
    if (minBytes === LARGE_VALUE_BYTES && this.smallValues.has(value)) return value;
    const known = this.valueHashes.get(value);
    if (known !== undefined && this.values.has(`${executionArn}|${known}`)) return { [VALUE_REF]: known };
    const text = JSON.stringify(value);
    if (text.length < minBytes) {
      // Values are never mutated: an object found small stays small, and is not serialised again to learn it.
      this.smallValues.add(value);
      return value;
    }
    const hash = createHash('sha256').update(text).digest('base64url');
    const cacheKey = `${executionArn}|${hash}`;
    if (!this.values.has(cacheKey)) {
      await this.store.putValue(executionArn, hash, text);
      this.remember(cacheKey, value);
    }
    this.valueHashes.set(value, hash);
    return { [VALUE_REF]: hash };
  }

  /** The value a reference made by {@link refer} stands for; any other value as it is. */
  async resolve(executionArn: string, value: JsonValue): Promise<JsonValue> {
    const hash = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, JsonValue>)[VALUE_REF] : undefined;
    if (typeof hash !== 'string') return value;
    const cacheKey = `${executionArn}|${hash}`;
    let resolved = this.values.get(cacheKey);
    if (resolved === undefined) {
      resolved = JSON.parse(await this.store.getValue(executionArn, hash)) as JsonValue;
      this.remember(cacheKey, resolved);
      if (resolved !== null && typeof resolved === 'object') this.valueHashes.set(resolved, hash);
    }
    return resolved;
  }

  private remember(key: string, value: JsonValue): void {
    if (this.values.size >= MAX_CACHED_VALUES) this.values.delete(this.values.keys().next().value!);
    this.values.set(key, value);
  }
}
