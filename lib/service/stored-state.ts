/**
 * Frame versions and execution records read and written through the
 * payload codec, so every other part of the service sees values in place
 * and the store sees references to large ones.
 */
import type { PayloadCodec } from './payload-codec';
import type { ExecutionRecord, ExecutionStore, FrameVersion } from './ports';

/** The store's frames and records, decoded. */
export class StoredState {
  constructor(
    private readonly store: ExecutionStore,
    private readonly codec: PayloadCodec,
  ) {}

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
