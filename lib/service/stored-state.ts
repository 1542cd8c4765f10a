/**
 * Frame versions and execution records read and written through the
 * payload codec, so every other part of the service sees values in place
 * and the store sees references to large ones.
 */
import type { PayloadCodec } from './payload-codec';
import type { ExecutionRecord, ExecutionStore, FrameVersion } from './ports';

/** Parent frames whose latest version a container keeps, at most (the oldest is forgotten first). */
const MAX_KEPT_PARENTS = 256;

/** The store's frames and records, decoded. */
export class StoredState {
  /** The latest version this container committed of each parent frame still running children, by `executionArn|frameId`. */
  private readonly kept = new Map<string, FrameVersion>();

  constructor(
    private readonly store: ExecutionStore,
    private readonly codec: PayloadCodec,
  ) {}

  /**
   * {@link load}, answered from the version this container committed last
   * ({@link keep}) while the store has no later one — a probe that reads no
   * body. A parent wakes up once per few child completions, and each of its
   * versions holds the starts and events of hundreds of children: read and
   * decoded every time, they were most of a 100,000-item Map's time.
   */
  async loadLatest(executionArn: string, frameId: string): Promise<FrameVersion | undefined> {
    const key = `${executionArn}|${frameId}`;
    const known = this.kept.get(key);
    if (known && !(await this.store.hasFrameVersion(executionArn, frameId, known.frame.version + 1))) return known;
    this.kept.delete(key);
    return this.load(executionArn, frameId);
  }

  /** Keeps `version`, committed by this container with its outbox carried out, for {@link loadLatest}. */
  keep(executionArn: string, version: FrameVersion): void {
    const key = `${executionArn}|${version.frame.id}`;
    this.kept.delete(key);
    if (this.kept.size >= MAX_KEPT_PARENTS) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, version.outbox ? { ...version, outbox: { ...version.outbox, done: true } } : version);
  }

  /** Writes a version conditionally (exactly one writer wins), in its stored form. */
  async save(executionArn: string, version: FrameVersion): Promise<boolean> {
    return this.store.putFrameVersion(executionArn, await this.codec.encode(executionArn, version));
  }

  /** The latest version of a frame, decoded; undefined when it has none. */
  async load(executionArn: string, frameId: string): Promise<FrameVersion | undefined> {
    const stored = await this.store.latestFrame(executionArn, frameId);
    return stored && this.codec.decode(executionArn, stored);
  }

  /** The execution's record, decoded; undefined when there is none. */
  async readRecord(executionArn: string): Promise<ExecutionRecord | undefined> {
    const stored = await this.store.getExecution(executionArn);
    return stored && this.codec.decodeRecord(executionArn, stored);
  }
}
