/**
 * Map Runs: a DISTRIBUTED Map's run and its child executions, as
 * ListMapRuns, DescribeMapRun, UpdateMapRun, and DescribeExecution,
 * GetExecutionHistory and ListExecutions (`mapRunArn`) on the children see
 * them. Nothing is kept beyond what the frames already hold but one small
 * record per Map Run and per child execution, naming the execution and the
 * frame it runs in (written when the outbox starts them, so an ARN alone
 * finds them), and UpdateMapRun's overrides.
 */
import type { ExecutionInfo } from '../engine/execution';
import { FramePhase, FrameStatus, type Frame } from '../engine/frame';
import type { StartFramesEffect } from '../engine/effects';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { childId } from '../engine/states/children';
import { pageAt, pageOffset, scanPage, type ListingPage } from './map-run-pages';
import { childRedrives, childStatus } from './map-run-redrive';
import { endedCounts, runningCounts, type MapRunCounts } from './map-run-counts';
import { readTally } from './map-run-tally';
import type { PayloadCodec } from './payload-codec';
import type { ExecutionRecord, ExecutionStatus, ExecutionStore, FrameVersion } from './ports';
import type { MessageSender } from './sender';

/** The value key of the records below (under the Map Run's or the child's ARN). */
const RECORD = 'map-run';
const OVERRIDES = 'map-run-overrides';

/** Where a Map Run runs. */
interface MapRunRecord {
  executionArn: string;
  frameId: string;
  entry: number;
  run: number;
  startDate: number;
  /** Its items (child executions), so a page of them is read alone; absent in records written before it was kept. */
  total?: number;
}

/** Where a child execution runs, and what it started with. */
interface ChildRecord {
  executionArn: string;
  mapRunArn: string;
  frameId: string;
  startDate: number;
  input: Frame['input'];
}

/** The value keys of an execution's Map Runs, under its ARN: `map-runs#<start, 15 digits>#<Map Run ARN>`, so they list in the order they started. */
const LISTING = 'map-runs#';
function listingKey(startDate: number, mapRunArn: string): string {
  return `${LISTING}${String(startDate).padStart(15, '0')}#${mapRunArn}`;
}

/** UpdateMapRun's values, which replace the Map's own. */
export interface MapRunOverrides {
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

export type { MapRunCounts } from './map-run-counts';

/** A Map Run as DescribeMapRun describes it. */
export interface MapRunDescription {
  mapRunArn: string;
  executionArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  counts: MapRunCounts;
  redriveCount: number;
  /** When the Map Run was last redriven; absent when it never was. */
  redriveDate?: number;
}

/** A Map Run as ListMapRuns lists it. */
export interface MapRunListItem {
  mapRunArn: string;
  executionArn: string;
  stateMachineArn: string;
  startDate: number;
  stopDate?: number;
}

/** A Map Run's child execution as ListExecutions lists it. */
export interface ChildListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  redriveCount: number;
  redriveDate?: number;
}

/** ListExecutions' filters and page size for a Map Run's children. */
export interface ChildQuery {
  limit: number;
  status?: ExecutionStatus;
  /** Only children redriven (true) or never redriven (false). */
  redriven?: boolean;
}

/**
 * Versions of a Map frame read past its run's tally for the run's end: the
 * tally is written as the run collects (then ChildrenCollected, and with a
 * ResultWriter ResultsWritten, end it) or is cut short (then ChildrenAborted).
 */
const END_WINDOW = 4;

/** The Map frame's phases while its Map Run runs (ABORTING: cutting its children short before it fails). */
const RUNNING_PHASES: ReadonlySet<string> = new Set([FramePhase.CHILDREN, FramePhase.COLLECTING, FramePhase.WRITING_RESULTS, FramePhase.ABORTING]);

const ENDS = { MapRunSucceeded: 'SUCCEEDED', MapRunFailed: 'FAILED', MapRunAborted: 'ABORTED' } as const;

export interface MapRunsOptions {
  store: ExecutionStore;
  codec: PayloadCodec;
  sender: MessageSender;
  describeExecution: (executionArn: string) => Promise<ExecutionRecord>;
  now: () => number;
}

export class MapRuns {
  constructor(private readonly deps: MapRunsOptions) {}

  /** Records the Map Runs and the child executions a committed version starts (idempotent: a replay overwrites them). */
  async recordStarts(executionArn: string, version: FrameVersion, effect: StartFramesEffect): Promise<void> {
    const writes: Promise<void>[] = [];
    const frame = version.frame;
    for (const e of version.events) {
      const arn = e.type === 'MapRunStarted' ? (e.details as { mapRunArn?: string } | undefined)?.mapRunArn : undefined;
      if (arn === undefined || !frame.children) continue;
      const record: MapRunRecord = { executionArn, frameId: frame.id, entry: frame.entry, run: frame.children.run, startDate: e.timestamp, total: frame.children.total };
      writes.push(this.deps.store.putValue(arn, RECORD, JSON.stringify(record)));
      writes.push(this.deps.store.putValue(executionArn, listingKey(e.timestamp, arn), JSON.stringify({ arn, at: e.timestamp })));
    }
    for (const child of effect.frames) {
      const execution = child.execution;
      if (execution?.frameId !== child.id) continue;
      const record: ChildRecord = { executionArn, mapRunArn: execution.mapRunArn, frameId: child.id, startDate: child.startedAt ?? version.at, input: child.input };
      writes.push(this.deps.store.putValue(execution.arn, RECORD, JSON.stringify(record)));
    }
    await Promise.all(writes);
  }

  private async record<T>(arn: string): Promise<T | undefined> {
    try {
      return JSON.parse(await this.deps.store.getValue(arn, RECORD)) as T;
    } catch {
      return undefined;
    }
  }

  private async mapRun(mapRunArn: string): Promise<MapRunRecord> {
    const record = await this.record<MapRunRecord>(mapRunArn);
    if (!record) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${mapRunArn}'`);
    return record;
  }

  /**
   * ListMapRuns: one page of the execution's Map Runs, in the order they
   * started, from its listing entries (one value per Map Run, written as it
   * starts) and one DescribeMapRun per Map Run on the page.
   */
  async listMapRuns(executionArn: string, limit: number, nextToken?: string): Promise<ListingPage<MapRunListItem>> {
    await this.deps.describeExecution(executionArn);
    const offset = pageOffset('mr', executionArn, nextToken);
    const started = (await this.deps.store.valuesUnder(executionArn, LISTING)).map((v) => JSON.parse(v.json) as { arn: string; at: number });
    const page = pageAt('mr', executionArn, started, offset, limit);
    const items = await Promise.all(
      page.items.map(async ({ arn }) => {
        const d = await this.describeMapRun(arn);
        return { mapRunArn: arn, executionArn, stateMachineArn: childStateMachineArn(arn), startDate: d.startDate, ...(d.stopDate !== undefined ? { stopDate: d.stopDate } : {}) };
      }),
    );
    return { items, ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}) };
  }

  /**
   * DescribeMapRun in a few reads, however many children the run has: its
   * record, its Map frame's latest version, its tally, its overrides and its
   * execution (map-run-counts.ts says where each count comes from).
   */
  async describeMapRun(mapRunArn: string): Promise<MapRunDescription> {
    const r = await this.mapRun(mapRunArn);
    const [latest, tally, execution, overrides] = await Promise.all([
      this.deps.store.latestFrame(r.executionArn, r.frameId),
      readTally(this.deps.store, r.executionArn, r),
      this.deps.describeExecution(r.executionArn),
      this.overrides(mapRunArn),
    ]);
    const frame = latest?.frame;
    const own = frame !== undefined && frame.entry === r.entry && frame.children?.run === r.run ? frame : undefined;
    let end: { status: MapRunDescription['status']; at: number } | undefined;
    let counts: MapRunCounts;
    if (own !== undefined && own.status === FrameStatus.RUNNING && RUNNING_PHASES.has(own.phase)) {
      counts = runningCounts(own, tally, this.deps.now());
    } else {
      // The run's end event is on the version its tally follows or a few after (the aborted Map's own version, or its failure or success).
      const anchor = tally?.version ?? own?.version;
      if (anchor !== undefined) end = await this.endOf(r, anchor);
      // (A Map aborted with its Parallel branch, or in a stopped execution, may record no MapRunAborted.)
      if (end === undefined && own?.status === FrameStatus.ABORTED) end = { status: 'ABORTED', at: latest!.at };
      if (end === undefined && execution.status !== 'RUNNING') end = { status: 'ABORTED', at: execution.stopDate ?? r.startDate };
      const total = r.total ?? tally?.progress.total ?? own?.children?.total ?? 0;
      counts = end !== undefined ? endedCounts(tally, end.status as 'SUCCEEDED' | 'FAILED' | 'ABORTED', total, this.deps.now()) : own !== undefined ? runningCounts(own, undefined, this.deps.now()) : endedCounts(undefined, 'ABORTED', total, 0);
    }
    const settings = own?.children ?? tally?.progress;
    const redrivenAt = settings?.mapRunRedrivenAt;
    return {
      mapRunArn,
      executionArn: r.executionArn,
      status: end?.status ?? 'RUNNING',
      startDate: r.startDate,
      ...(end !== undefined ? { stopDate: end.at } : {}),
      maxConcurrency: settings?.maxConcurrency ?? 0,
      toleratedFailurePercentage: overrides.toleratedFailurePercentage ?? 0,
      toleratedFailureCount: overrides.toleratedFailureCount ?? settings?.toleratedFailures ?? 0,
      counts,
      redriveCount: settings?.mapRunRedrives ?? 0,
      ...(redrivenAt !== undefined ? { redriveDate: redrivenAt } : {}),
    };
  }

  /** How the run ended, from the Map frame's versions from `anchor` on (a redrive reopens it: its next end is the one that counts). */
  private async endOf(r: MapRunRecord, anchor: number): Promise<{ status: MapRunDescription['status']; at: number } | undefined> {
    let end: { status: MapRunDescription['status']; at: number } | undefined;
    for (const v of await this.deps.store.frameVersions(r.executionArn, r.frameId, anchor, END_WINDOW)) {
      // (The version that ends the Map may already be in the next state: its events still count.)
      for (const e of v.events) {
        if (e.type === 'MapRunRedriven') end = undefined;
        else if (end === undefined && e.type in ENDS) end = { status: ENDS[e.type as keyof typeof ENDS], at: v.at };
      }
      if (v.frame.entry !== r.entry) break;
    }
    return end;
  }

  /** The latest version of each iteration frame of the run that has committed one. */
  private async childFrames(r: MapRunRecord): Promise<Frame[]> {
    const prefix = `${r.frameId}/${r.entry}.${r.run}.`;
    const versions = await this.deps.store.framesUnder(r.executionArn, prefix);
    return versions.map((v) => v.frame).filter((f) => !f.id.slice(prefix.length).includes('/'));
  }

  private async overrides(mapRunArn: string): Promise<MapRunOverrides> {
    try {
      return JSON.parse(await this.deps.store.getValue(mapRunArn, OVERRIDES)) as MapRunOverrides;
    } catch {
      return {};
    }
  }

  /**
   * UpdateMapRun: the running Map takes the new MaxConcurrency and tolerated
   * failures at once (a MapRunUpdated message to its frame); the values not
   * given stay as they were.
   */
  async updateMapRun(mapRunArn: string, update: MapRunOverrides): Promise<void> {
    const r = await this.mapRun(mapRunArn);
    const described = await this.describeMapRun(mapRunArn);
    if (described.status !== 'RUNNING') throw new ServiceError(ServiceErrorName.ValidationException, `Map Run is ${described.status} and cannot be updated`);
    const merged: MapRunOverrides = { ...(await this.overrides(mapRunArn)), ...update };
    await this.deps.store.putValue(mapRunArn, OVERRIDES, JSON.stringify(merged));
    const total = described.counts.total;
    const given = merged.toleratedFailureCount !== undefined || merged.toleratedFailurePercentage !== undefined;
    const tolerated = given ? Math.max(merged.toleratedFailureCount ?? 0, Math.floor((total * (merged.toleratedFailurePercentage ?? 0)) / 100)) : undefined;
    const message = {
      type: 'MapRunUpdated' as const,
      frameId: r.frameId,
      entry: r.entry,
      run: r.run,
      ...(update.maxConcurrency !== undefined ? { maxConcurrency: update.maxConcurrency } : {}),
      ...(tolerated !== undefined ? { toleratedFailures: tolerated } : {}),
    };
    await this.deps.sender.send([{ message, delayMs: 0 }], r.executionArn, 0);
  }

  /** A child execution's record (DescribeExecution on its ARN), or undefined when the ARN names none. */
  async describeChild(executionArn: string): Promise<ExecutionRecord | undefined> {
    const child = await this.record<ChildRecord>(executionArn);
    if (!child) return undefined;
    const parent = await this.deps.describeExecution(child.executionArn);
    const latest = await this.deps.store.latestFrame(child.executionArn, child.frameId);
    const frame = latest ? (await this.deps.codec.decode(child.executionArn, latest)).frame : undefined;
    const name = executionArn.slice(executionArn.lastIndexOf(':') + 1);
    const { redriveCount, redriveDate } = childRedrives(frame);
    const info: ExecutionInfo = {
      executionArn,
      name,
      stateMachineArn: childStateMachineArn(executionArn),
      stateMachineName: parent.info.stateMachineName,
      roleArn: parent.info.roleArn,
      input: child.input,
      startTime: child.startDate,
      redriveCount,
    };
    const { status, stopDate } = childStatus(frame, parent, child.startDate);
    return {
      info,
      revisionId: parent.revisionId,
      mapRunArn: child.mapRunArn,
      status,
      ...(stopDate !== undefined ? { stopDate } : {}),
      ...(redriveDate !== undefined ? { redriveDate } : {}),
      ...(frame?.status === FrameStatus.SUCCEEDED && frame.phase === FramePhase.DONE ? { output: frame.output } : {}),
      ...(frame?.error !== undefined ? { error: frame.error } : {}),
      ...(frame?.cause !== undefined ? { cause: frame.cause } : {}),
    };
  }

  /**
   * The definition a child execution runs: its Map's ItemProcessor as a state
   * machine of its own (the processor's scope is a JSON pointer into the
   * parent's definition), or undefined when the ARN names no child execution.
   */
  async childDefinition(childExecutionArn: string, parentDefinition: (executionArn: string) => Promise<string>): Promise<string | undefined> {
    const child = await this.record<ChildRecord>(childExecutionArn);
    if (!child) return undefined;
    const frame = (await this.deps.store.latestFrame(child.executionArn, child.frameId))?.frame;
    const scope = frame?.scope ?? '';
    let node: unknown = JSON.parse(await parentDefinition(child.executionArn));
    for (const part of scope.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === null || typeof node !== 'object') return undefined;
    const { ProcessorConfig: _config, ...processor } = node as Record<string, unknown>;
    return JSON.stringify(processor);
  }

  /** Where a child execution runs: its parent execution's ARN. */
  async parentOf(childExecutionArn: string): Promise<string | undefined> {
    return (await this.record<ChildRecord>(childExecutionArn))?.executionArn;
  }

  /**
   * ListExecutions with a mapRunArn: one page of the Map Run's child
   * executions, in item order, read from their frames — only the frames the
   * page scans, so listing 100,000 children a page at a time reads each about
   * once; `nextToken` is bound to the Map Run and the filters.
   */
  async listChildren(mapRunArn: string, query: ChildQuery, nextToken?: string): Promise<ListingPage<ChildListItem>> {
    const scope = `${mapRunArn}|${query.status ?? ''}|${String(query.redriven ?? '')}`;
    const from = pageOffset('mc', scope, nextToken);
    const r = await this.mapRun(mapRunArn);
    const parent = await this.deps.describeExecution(r.executionArn);
    // (A record written before it kept the total: the children's frames say how many there are.)
    const total = r.total ?? Math.max(0, ...(await this.childFrames(r)).map((f) => (f.index ?? 0) + 1));
    const read = (indices: number[]): Promise<(ChildListItem | undefined)[]> =>
      Promise.all(
        indices.map(async (index) => {
          const f = (await this.deps.store.latestFrame(r.executionArn, childId({ id: r.frameId, entry: r.entry }, r.run, index)))?.frame;
          return f && childListItem(f, r, parent, query);
        }),
      );
    return scanPage('mc', scope, from, total, query.limit, read);
  }
}

/** A child execution's frame as ListExecutions lists it, or undefined when `query` leaves it out (or it is no child execution). */
function childListItem(f: Frame, r: MapRunRecord, parent: ExecutionRecord, query: ChildQuery): ChildListItem | undefined {
  if (f.execution === undefined) return undefined;
  const arn = f.execution.arn;
  const startDate = f.startedAt ?? r.startDate;
  const redrives = childRedrives(f);
  const ended = childStatus(f, parent, startDate);
  if (query.redriven !== undefined && query.redriven !== redrives.redriveCount > 0) return undefined;
  if (query.status !== undefined && query.status !== ended.status) return undefined;
  return { executionArn: arn, stateMachineArn: childStateMachineArn(arn), name: arn.slice(arn.lastIndexOf(':') + 1), startDate, ...ended, ...redrives };
}

/** The state machine a Map Run's child executions run: `stateMachine:MACHINE/LABEL`. */
export function childStateMachineArn(arn: string): string {
  return arn.slice(0, arn.lastIndexOf(':')).replace(/:(execution|mapRun):/, ':stateMachine:');
}
