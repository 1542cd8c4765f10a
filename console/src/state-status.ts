/**
 * What an execution's history says about each state: entered, exited, failed.
 * Pure (no DOM), so the jest suite checks it on real histories.
 *
 * An event belongs to the state whose `…StateEntered` it follows through
 * `previousEventId` links; events arrive with every previous id before their
 * own, so one pass assigns them all.
 */
import type { HistoryEvent } from './wire';

/** How a state's latest run ended (or that it has not). */
export type StateStatus = 'running' | 'succeeded' | 'failed' | 'caught' | 'cancelled';

/** One entry into a state. */
export interface StateRun {
  name: string;
  enteredEventId: number;
  input?: string;
  output?: string;
  exited: boolean;
  /** The failure still standing: cleared when a retry schedules the task again. */
  failure?: { error?: string; cause?: string; eventType: string };
}

/** One state's runs and its colour. */
export interface StateSummary {
  name: string;
  status: StateStatus;
  runs: StateRun[];
  /** The run the console shows details of: the failed one if any, else the latest. */
  shown: StateRun;
}

export interface HistorySummary {
  states: Map<string, StateSummary>;
  /** Each event's state name, for the history table (absent: an execution-level event). */
  stateOfEvent: Map<number, string>;
}

/** The details object of an event: its one `…EventDetails` field. */
export function eventDetails(event: HistoryEvent): Record<string, unknown> | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  }
  return undefined;
}

function isFailure(type: string): boolean {
  return /(Failed|TimedOut)$/.test(type) && type !== 'ExecutionTimedOut' && type !== 'MapIterationFailed';
}

/** Summarises a history; `running` says whether the execution is still RUNNING. */
export function summarizeHistory(events: readonly HistoryEvent[], running: boolean): HistorySummary {
  const runOf = new Map<number, StateRun>();
  const runs = new Map<string, StateRun[]>();
  const stateOfEvent = new Map<number, string>();
  for (const event of events) {
    const details = eventDetails(event);
    let run = event.previousEventId === undefined ? undefined : runOf.get(event.previousEventId);
    if (event.type.endsWith('StateEntered') && typeof details?.name === 'string') {
      run = { name: details.name, enteredEventId: event.id, exited: false, ...(typeof details.input === 'string' ? { input: details.input } : {}) };
      // A Fail state fails where it stands, in a branch too (where no ExecutionFailed follows).
      if (event.type === 'FailStateEntered') run.failure = { eventType: event.type };
      runs.set(run.name, [...(runs.get(run.name) ?? []), run]);
    }
    // Past a state's exit nothing is the state's (ExecutionSucceeded follows the last exit).
    if (!run || (run.exited && !event.type.endsWith('StateEntered'))) continue;
    runOf.set(event.id, run);
    stateOfEvent.set(event.id, run.name);
    if (event.type.endsWith('StateExited')) {
      run.exited = true;
      if (typeof details?.output === 'string') run.output = details.output;
    } else if (isFailure(event.type)) {
      run.failure = { eventType: event.type, ...(typeof details?.error === 'string' ? { error: details.error } : {}), ...(typeof details?.cause === 'string' ? { cause: details.cause } : {}) };
    } else if (event.type.endsWith('Scheduled') && run.failure) {
      delete run.failure; // a retry: the earlier attempt's failure no longer decides
    }
  }
  const states = new Map<string, StateSummary>();
  for (const [name, list] of runs) {
    const statuses = list.map((r) => runStatus(r, running));
    const failed = statuses.lastIndexOf('failed');
    const status = failed >= 0 ? 'failed' : statuses.includes('running') ? 'running' : statuses[statuses.length - 1];
    states.set(name, { name, status, runs: list, shown: list[failed >= 0 ? failed : list.length - 1] });
  }
  return { states, stateOfEvent };
}

function runStatus(run: StateRun, running: boolean): StateStatus {
  if (run.exited) return run.failure ? 'caught' : 'succeeded';
  if (run.failure) return 'failed';
  return running ? 'running' : 'cancelled';
}

/** Each state's status alone, for colouring the graph. */
export function statusByState(summary: HistorySummary): Map<string, StateStatus> {
  return new Map([...summary.states].map(([name, s]) => [name, s.status]));
}
