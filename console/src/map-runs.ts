/**
 * A history's Map runs, each listed by iteration with its status, from the
 * MapIteration* events, and each iteration's own events. Pure (no DOM).
 *
 * Which events are an iteration's: an iteration's first state is entered
 * after the run's MapIterationStarted events (its previousEventId names a
 * run-level event, not necessarily its own iteration's), so the k-th such
 * entry is iteration k-th started; every later event whose previousEventId
 * is one of the iteration's events is the iteration's too while it runs
 * (the Map's own end links to the last iteration's last event, as Step
 * Functions records it).
 */
import { eventDetails } from './state-status';
import type { HistoryEvent } from './wire';

export type IterationStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface MapIteration {
  index: number;
  status: IterationStatus;
  /** Its MapIteration* events and the events of its states, in history order. */
  eventIds: number[];
}

export interface MapRun {
  /** The map state's name and its MapStateStarted event. */
  state: string;
  startedEventId: number;
  iterations: MapIteration[];
}

const ITERATION = /^MapIteration(Started|Succeeded|Failed|Aborted)$/;

/**
 * Every Map run in `events` (inline Map states), in the order they started.
 * Once the execution has stopped (`running` false), an iteration that never
 * ended was cut short: aborted.
 */
export function mapRuns(events: readonly HistoryEvent[], running = true): MapRun[] {
  const runs: MapRun[] = [];
  const nameOfEntered = new Map<number, string>();
  /** Run-level events (MapStateStarted, MapIteration*) → their run. */
  const runOf = new Map<number, { run: MapRun; byIndex: Map<number, MapIteration>; unentered: MapIteration[] }>();
  /** Each run's member events → their iteration, per run (a nested run's events are also the outer iteration's). */
  const members = new Map<number, Map<number, MapIteration>>();
  const latestOpen = new Map<string, NonNullable<ReturnType<typeof runOf.get>>>();
  for (const event of events) {
    const details = eventDetails(event);
    const previous = event.previousEventId ?? 0;
    if (event.type === 'MapStateEntered' && typeof details?.name === 'string') nameOfEntered.set(event.id, details.name);
    let level: NonNullable<ReturnType<typeof runOf.get>> | undefined;
    if (event.type === 'MapStateStarted') {
      const run: MapRun = { state: nameOfEntered.get(previous) ?? '', startedEventId: event.id, iterations: [] };
      runs.push(run);
      level = { run, byIndex: new Map(), unentered: [] };
      members.set(event.id, new Map());
      latestOpen.set(run.state, level);
      runOf.set(event.id, level);
    } else if (ITERATION.test(event.type) && typeof details?.index === 'number') {
      level = runOf.get(previous) ?? latestOpen.get(String(details.name ?? ''));
      if (level) {
        runOf.set(event.id, level);
        let iteration = level.byIndex.get(details.index);
        if (!iteration) {
          iteration = { index: details.index, status: 'running', eventIds: [] };
          level.byIndex.set(details.index, iteration);
          level.run.iterations.push(iteration);
          level.unentered.push(iteration);
        }
        const ended = /^MapIteration(\w+)$/.exec(event.type)?.[1];
        if (ended !== 'Started') iteration.status = ended === 'Succeeded' ? 'succeeded' : ended === 'Failed' ? 'failed' : 'aborted';
      }
    }
    for (const [startedId, of] of members) {
      const level2 = runOf.get(startedId);
      if (!level2) continue;
      let iteration: MapIteration | undefined;
      if (runOf.get(event.id) === level2) iteration = ITERATION.test(event.type) ? level2.byIndex.get(Number(details?.index)) : undefined;
      else if (runOf.get(previous) === level2) iteration = event.type.endsWith('StateEntered') ? level2.unentered.shift() : undefined;
      // An ended iteration has no more events: what links to its last one (MapStateFailed, the Map's own end) is the run's.
      else iteration = of.get(previous);
      if (iteration === undefined || (iteration.status !== 'running' && !ITERATION.test(event.type))) continue;
      of.set(event.id, iteration);
      iteration.eventIds.push(event.id);
    }
  }
  for (const run of runs) {
    run.iterations.sort((a, b) => a.index - b.index);
    if (!running) for (const i of run.iterations) if (i.status === 'running') i.status = 'aborted';
  }
  // A DISTRIBUTED Map's iterations are child executions, not in this history: see distributedMapRuns.
  const distributed = new Set(distributedMapRuns(events).map((d) => d.startedEventId));
  return runs.filter((run) => !distributed.has(run.startedEventId));
}

/** A DISTRIBUTED Map's run: its iterations are child executions, which ListExecutions lists by `mapRunArn`. */
export interface DistributedMapRun {
  /** The map state's name, its MapStateStarted event, and the Map Run's ARN (from MapRunStarted). */
  state: string;
  startedEventId: number;
  mapRunArn: string;
}

/** Every DISTRIBUTED Map's run in `events`, from its MapRunStarted event, in the order they started. */
export function distributedMapRuns(events: readonly HistoryEvent[]): DistributedMapRun[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const runs: DistributedMapRun[] = [];
  for (const event of events) {
    const arn = event.type === 'MapRunStarted' ? eventDetails(event)?.mapRunArn : undefined;
    if (typeof arn !== 'string') continue;
    // MapStateEntered → MapStateStarted → MapRunStarted.
    const started = byId.get(event.previousEventId ?? 0);
    const entered = started ? byId.get(started.previousEventId ?? 0) : undefined;
    const name = entered ? eventDetails(entered)?.name : undefined;
    runs.push({ state: typeof name === 'string' ? name : '', startedEventId: started?.id ?? 0, mapRunArn: arn });
  }
  return runs;
}
