/**
 * The children of a Map's or Parallel's run as the store holds them: their
 * outputs collected, the unsuccessful ones redriven, every running
 * descendant aborted. A child's outputs stay on its own last version, so
 * the parent never holds them while it counts completions.
 */
import type { JsonValue } from '../asl/json';
import type { CompiledStateMachine } from '../asl/model';
import { abortedEvents, abortOrder } from '../engine/aborted';
import type { EventDraft } from '../engine/events';
import type { AbortChildrenEffect, CollectChildrenEffect, RedriveChildrenEffect } from '../engine/effects';
import { FrameStatus, type ChildProgress, type Frame } from '../engine/frame';
import type { ChildrenCollectedMessage, ChildrenRedrivenMessage, RedriveMessage, RerunChild } from '../engine/messages';
import { childDetail, childId, childOutput } from '../engine/states/children';
import type { PayloadCodec } from './payload-codec';
import type { ExecutionStore, FrameVersion } from './ports';
import { RetryLaterError } from './retry-later';
import type { StoredState } from './stored-state';
import { storeEvents } from './history';
import { ITEMS_PER_TURN, turnOver } from './turn-over';
import { isChildExecution, putTally, tallyChildren } from './map-run-tally';

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

/** The ABORTED version of running frame `v`, holding `drafts` (the events it records as it ends: aborted.ts), at Lamport clock `lc`. */
function abortedVersion(drafts: readonly EventDraft[], v: FrameVersion, lc: number, at: number): FrameVersion {
  const frame: Frame = { ...v.frame, status: FrameStatus.ABORTED, phase: 'DONE', version: v.frame.version + 1 };
  return { frame, lc, at, events: storeEvents(drafts, v.frame, frame) };
}

/** The ids of the children `frame`'s current run started. */
function startedChildren(frame: Frame): string[] {
  const progress = frame.children;
  return progress ? Array.from({ length: progress.started }, (_, i) => childId(frame, progress.run, i)) : [];
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

  /**
   * CollectChildren's reply: each child's last version holds its output, found by one query over the run's children.
   * A DISTRIBUTED Map's run (`map`: its frame's collecting version) is tallied on the way (map-run-tally.ts).
   */
  async collect(executionArn: string, effect: CollectChildrenEffect, at: number, map?: Frame): Promise<ChildrenCollectedMessage> {
    const children = await this.runChildren(executionArn, effect.frameId, effect.entry, effect.run);
    const outputs: JsonValue[] = effect.childIds.map((id) => childOutput(children.get(id)));
    const details = effect.details ? effect.childIds.map((id) => childDetail(children.get(id), at)) : undefined;
    if (map !== undefined && isChildExecution(children.get(effect.childIds[0]))) {
      const tally = tallyChildren(effect.childIds.length, (i) => children.get(effect.childIds[i]), { version: map.version, progress: map.children }, at);
      await putTally(this.deps.store, executionArn, effect, tally);
    }
    return { type: 'ChildrenCollected', frameId: effect.frameId, entry: effect.entry, run: effect.run, outputs, ...(details ? { details } : {}) };
  }

  /**
   * RedriveChildren: succeeded children keep their outputs; the others that
   * ran are redriven (`redrives`, one message to each — or, `limited`, named
   * in the reply for the Map to redrive; EXPRESS children, `rerun`, named in
   * the reply with where each stood, for the Map to start again); those
   * aborted before they ran are named in the reply, and their state starts
   * them again.
   */
  async redrive(executionArn: string, effect: RedriveChildrenEffect): Promise<{ redrives: RedriveMessage[]; reply: ChildrenRedrivenMessage }> {
    const children = await this.runChildren(executionArn, effect.frameId, effect.entry, effect.run);
    const succeeded: number[] = [];
    const restart: number[] = [];
    const redrive: number[] = [];
    const redrives: RedriveMessage[] = [];
    const rerun: RerunChild[] = [];
    for (let i = 0; i < effect.started; i++) {
      const child = children.get(childId({ id: effect.frameId, entry: effect.entry }, effect.run, i));
      if (child?.status === FrameStatus.SUCCEEDED) succeeded.push(i);
      else if (child === undefined || child.state === '') restart.push(i);
      else if (child.status !== FrameStatus.RUNNING && effect.rerun === true) rerun.push({ index: i, version: child.version, entry: child.entry });
      else if (child.status !== FrameStatus.RUNNING) {
        redrive.push(i);
        redrives.push({ type: 'Redrive', frameId: child.id, redriveCount: effect.redriveCount });
      }
    }
    const reply: ChildrenRedrivenMessage = { type: 'ChildrenRedriven', frameId: effect.frameId, entry: effect.entry, run: effect.run, redriveCount: effect.redriveCount, succeeded, restart };
    // EXPRESS children are started again by their Map, as new executions.
    if (effect.rerun === true) return { redrives: [], reply: { ...reply, rerun } };
    // A Map with a MaxConcurrency redrives them itself, as many at a time as the limit allows.
    if (effect.limited === true) return { redrives: [], reply: { ...reply, redrive } };
    return { redrives, reply };
  }

  /**
   * Ends every running descendant of a frame, innermost first (abortOrder):
   * each stored one gets an ABORTED version holding the events it records
   * (aborted.ts; re-read and tried again when it moves at the same time),
   * and a started child that has not committed its first transition yet gets
   * an ABORTED first version, so when its Enter arrives it finds itself
   * ended. Nested children are found through each frame's progress. Returns
   * the events recorded and the Lamport clock of the last of them, which a
   * reply must follow.
   */
  async abortDescendants(executionArn: string, machine: CompiledStateMachine | undefined, effect: AbortChildrenEffect, cause: FrameVersion): Promise<{ lc: number; events: EventDraft[] }> {
    const latest = new Map<string, FrameVersion>();
    for (const v of await this.deps.store.framesUnder(executionArn, `${effect.frameId}/`)) latest.set(v.frame.id, await this.deps.codec.decode(executionArn, v));
    const ids = new Set([...(effect.childIds ?? []), ...latest.keys()]);
    for (const v of latest.values()) for (const id of startedChildren(v.frame)) ids.add(id);
    const ordered = [...ids].sort(abortOrder);
    let lc = cause.lc;
    const recorded: EventDraft[] = [];
    for (let i = 0; i < ordered.length; i++) {
      const id = ordered[i];
      let current = latest.get(id);
      for (let attempt = 0; current === undefined || current.frame.status === FrameStatus.RUNNING; attempt++) {
        if (attempt >= this.deps.maxConflicts) throw new RetryLaterError(`Could not abort ${id} of ${executionArn}: it keeps moving`);
        const at = Math.max(current?.lc ?? 0, lc) + 1;
        const drafts = current && machine ? abortedEvents(machine, effect, cause.frame, current.frame, cause.at) : [];
        const aborted: FrameVersion = current ? abortedVersion(drafts, current, at, cause.at) : { frame: abortedFirstVersion(id, cause.at), lc: at, at: cause.at, events: [] };
        if (await this.deps.stored.save(executionArn, aborted)) {
          recorded.push(...drafts);
          const job = current?.frame.task?.job;
          if (job !== undefined) await this.deps.cancelJob?.(job);
          current = aborted;
          break;
        }
        current = await this.deps.stored.load(executionArn, id);
      }
      lc = Math.max(lc, current.lc);
      latest.set(id, current);
      // Children it started since the frames were read are ended too.
      for (const child of startedChildren(current.frame)) {
        if (ids.has(child)) continue;
        ids.add(child);
        ordered.push(child);
      }
    }
    await this.tallyMapRuns(executionArn, latest, cause);
    return { lc, events: recorded };
  }

  /**
   * Tallies each DISTRIBUTED Map run that ends with this abort (the Map that
   * cut its children short or failed, or one inside what was aborted), from
   * `latest`, its children's frames as the abort left them. A run is named
   * by its children (parent, entry, run): the Map that failed with none
   * running may already have moved on to a Catch's state.
   */
  private async tallyMapRuns(executionArn: string, latest: ReadonlyMap<string, FrameVersion>, cause: FrameVersion): Promise<void> {
    const runs = new Map<string, { frameId: string; entry: number; run: number; started: number }>();
    for (const { frame: f } of latest.values()) {
      if (!isChildExecution(f) || f.parentId === undefined || f.parentEntry === undefined || f.parentRun === undefined) continue;
      const key = `${f.parentId}#${f.parentEntry}#${f.parentRun}`;
      const run = runs.get(key) ?? { frameId: f.parentId, entry: f.parentEntry, run: f.parentRun, started: 0 };
      run.started = Math.max(run.started, (f.index ?? 0) + 1);
      runs.set(key, run);
    }
    await Promise.all(
      [...runs.values()].map(async (key) => {
        const map = key.frameId === cause.frame.id ? cause.frame : latest.get(key.frameId)?.frame;
        if (map === undefined) return;
        const own = (f: Frame | undefined): ChildProgress | undefined => (f?.entry === key.entry && f.children?.run === key.run ? f.children : undefined);
        // A Map that failed with none running and moved on to its Catch's state: its version before says how it ran.
        const progress = own(map) ?? own((await this.deps.store.frameVersions(executionArn, map.id, map.version - 1, 1))[0]?.frame);
        // (Children it started that never committed are aborted ones past the highest stored index, or below it.)
        const started = Math.max(key.started, progress?.started ?? 0);
        const child = (i: number): Frame | undefined => latest.get(childId({ id: key.frameId, entry: key.entry }, key.run, i))?.frame;
        await putTally(this.deps.store, executionArn, key, tallyChildren(started, child, { version: map.version, progress }, cause.at));
      }),
    );
  }

  /** The latest version of each direct child of a Map's or Parallel's run, by frame id. */
  private async runChildren(executionArn: string, frameId: string, entry: number, run: number): Promise<Map<string, Frame>> {
    const prefix = `${frameId}/${entry}.${run}.`;
    const children = new Map<string, Frame>();
    for (const v of await this.deps.store.framesUnder(executionArn, prefix)) {
      if (!v.frame.id.slice(prefix.length).includes('/')) children.set(v.frame.id, (await this.deps.codec.decode(executionArn, v)).frame);
      if (children.size % ITEMS_PER_TURN === 0) await turnOver(); // decoding 100,000 children in memory: see turn-over.ts
    }
    return children;
  }
}
