/**
 * The children of a Map's or Parallel's run as the store holds them: their
 * outputs collected, the unsuccessful ones redriven, every running
 * descendant aborted. A child's outputs stay on its own last version, so
 * the parent never holds them while it counts completions.
 */
import type { JsonValue } from '../asl/json';
import type { AbortChildrenEffect, CollectChildrenEffect, RedriveChildrenEffect } from '../engine/effects';
import { FrameStatus, type Frame } from '../engine/frame';
import type { ChildrenCollectedMessage, ChildrenRedrivenMessage, RedriveMessage } from '../engine/messages';
import { childDetail, childId, childOutput } from '../engine/states/children';
import type { PayloadCodec } from './payload-codec';
import type { ExecutionStore, FrameVersion } from './ports';
import { RetryLaterError } from './retry-later';
import type { StoredState } from './stored-state';

/** The first version of a child that was aborted before its first transition: its Enter finds it ended. */
function abortedFirstVersion(id: string, at: number): Frame {
  const slash = id.lastIndexOf('/');
  const [entry, run, index] = id.slice(slash + 1).split('.').map(Number);
  return {
    id,
    parentId: id.slice(0, slash),
    index,
    parentEntry: entry,
    parentRun: run,
    scope: '',
    version: 1,
    status: FrameStatus.ABORTED,
    phase: 'DONE',
    state: '',
    entry: 0,
    input: null,
    enteredAt: at,
    vars: {},
    retries: [],
  };
}

export interface ChildFramesOptions {
  store: ExecutionStore;
  codec: PayloadCodec;
  stored: StoredState;
  /** Conditional-write conflicts retried before giving the message back to the queue. */
  maxConflicts: number;
  /** Stops the job an aborted frame's `.sync` task waits for (its child execution). */
  cancelJob?: (job: string) => Promise<void>;
}

/** Collects, redrives and aborts child frames in the store. */
export class ChildFrames {
  constructor(private readonly deps: ChildFramesOptions) {}

  /** CollectChildren's reply: each child's last version holds its output, found by one query over the run's children. */
  async collect(executionArn: string, effect: CollectChildrenEffect, at: number): Promise<ChildrenCollectedMessage> {
    const children = await this.runChildren(executionArn, effect.frameId, effect.entry, effect.run);
    const outputs: JsonValue[] = effect.childIds.map((id) => childOutput(children.get(id)));
    const details = effect.details ? effect.childIds.map((id) => childDetail(children.get(id), at)) : undefined;
    return { type: 'ChildrenCollected', frameId: effect.frameId, entry: effect.entry, run: effect.run, outputs, ...(details ? { details } : {}) };
  }

  /**
   * RedriveChildren: succeeded children keep their outputs; the others that
   * ran are redriven (`redrives`, one message to each — or, `limited`, named
   * in the reply for the Map to redrive); those aborted before they ran are
   * named in the reply, and their state starts them again.
   */
  async redrive(executionArn: string, effect: RedriveChildrenEffect): Promise<{ redrives: RedriveMessage[]; reply: ChildrenRedrivenMessage }> {
    const children = await this.runChildren(executionArn, effect.frameId, effect.entry, effect.run);
    const succeeded: number[] = [];
    const restart: number[] = [];
    const redrive: number[] = [];
    const redrives: RedriveMessage[] = [];
    for (let i = 0; i < effect.started; i++) {
      const child = children.get(childId({ id: effect.frameId, entry: effect.entry }, effect.run, i));
      if (child?.status === FrameStatus.SUCCEEDED) succeeded.push(i);
      else if (child === undefined || child.state === '') restart.push(i);
      else if (child.status !== FrameStatus.RUNNING) {
        redrive.push(i);
        redrives.push({ type: 'Redrive', frameId: child.id, redriveCount: effect.redriveCount });
      }
    }
    const reply: ChildrenRedrivenMessage = { type: 'ChildrenRedriven', frameId: effect.frameId, entry: effect.entry, run: effect.run, redriveCount: effect.redriveCount, succeeded, restart };
    // A Map with a MaxConcurrency redrives them itself, as many at a time as the limit allows.
    if (effect.limited === true) return { redrives: [], reply: { ...reply, redrive } };
    return { redrives, reply };
  }

  /**
   * Ends every running descendant of a frame: each stored one gets an
   * ABORTED version (re-read and tried again when it moves at the same
   * time), and a started child that has not committed its first transition
   * yet gets an ABORTED first version, so when its Enter arrives it finds
   * itself ended. Nested children are found through each frame's progress.
   */
  async abortDescendants(executionArn: string, effect: AbortChildrenEffect, cause: FrameVersion): Promise<void> {
    const stored = new Map((await this.deps.store.framesUnder(executionArn, `${effect.frameId}/`)).map((v) => [v.frame.id, v]));
    const pending = [...(effect.childIds ?? []), ...stored.keys()];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      let latest = stored.has(id) ? await this.deps.codec.decode(executionArn, stored.get(id)!) : undefined;
      for (let attempt = 0; latest === undefined || latest.frame.status === FrameStatus.RUNNING; attempt++) {
        if (attempt >= this.deps.maxConflicts) throw new RetryLaterError(`Could not abort ${id} of ${executionArn}: it keeps moving`);
        const aborted: FrameVersion = latest
          ? { frame: { ...latest.frame, status: FrameStatus.ABORTED, phase: 'DONE', version: latest.frame.version + 1 }, lc: Math.max(latest.lc, cause.lc) + 1, at: cause.at, events: [] }
          : { frame: abortedFirstVersion(id, cause.at), lc: cause.lc + 1, at: cause.at, events: [] };
        if (await this.deps.stored.save(executionArn, aborted)) {
          const job = latest?.frame.task?.job;
          if (job !== undefined) await this.deps.cancelJob?.(job);
          latest = aborted;
          break;
        }
        latest = await this.deps.stored.load(executionArn, id);
      }
      const progress = latest?.frame.children;
      if (latest && progress) for (let i = 0; i < progress.started; i++) pending.push(childId(latest.frame, progress.run, i));
    }
  }

  /** The latest version of each direct child of a Map's or Parallel's run, by frame id. */
  private async runChildren(executionArn: string, frameId: string, entry: number, run: number): Promise<Map<string, Frame>> {
    const prefix = `${frameId}/${entry}.${run}.`;
    const children = new Map<string, Frame>();
    for (const v of await this.deps.store.framesUnder(executionArn, prefix)) {
      if (!v.frame.id.slice(prefix.length).includes('/')) children.set(v.frame.id, (await this.deps.codec.decode(executionArn, v)).frame);
    }
    return children;
  }
}
