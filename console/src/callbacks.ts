/**
 * The tasks of an execution that wait for a callback: a `.waitForTaskToken`
 * task scheduled and not yet answered, or an activity scheduled and not yet
 * done. Pure (no DOM). Where the token is: a callback task's TaskScheduled
 * event holds the resolved `parameters`, where the definition put
 * `$$.Task.Token` (`$states.context.Task.Token` in JSONata); an activity's
 * token goes to its worker by GetActivityTask only, never into the history.
 */
import { eventDetails } from './state-status';
import type { HistoryEvent } from './wire';

/** One task waiting for its callback. */
export interface WaitingTask {
  /** The TaskScheduled or ActivityScheduled event. */
  eventId: number;
  state: string;
  kind: 'task' | 'activity';
  resource: string;
  /** The token to answer with; absent for an activity, or when the parameters do not carry it. */
  token?: string;
}

/** Events that end a scheduled task's wait. */
const ENDS = /^(Task|Activity)(Succeeded|Failed|TimedOut|StartFailed|SubmitFailed|ScheduleFailed|Aborted)$|StateExited$/;

/** The paths (object keys, `.$` dropped) at which `template` puts the task token. */
export function tokenPaths(template: unknown, at: string[] = []): string[][] {
  if (typeof template === 'string') return /^\$\$\.Task\.Token$|\$states\.context\.Task\.Token/.test(template.trim()) ? [at] : [];
  if (Array.isArray(template)) return template.flatMap((v, i) => tokenPaths(v, [...at, String(i)]));
  if (template === null || typeof template !== 'object') return [];
  return Object.entries(template).flatMap(([k, v]) => tokenPaths(v, [...at, k.endsWith('.$') ? k.slice(0, -2) : k]));
}

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

/** Every state's template (Parameters or Arguments) by name, at any depth. */
export function stateTemplates(definition: unknown, into = new Map<string, unknown>()): Map<string, unknown> {
  const states = (definition as { States?: Record<string, Record<string, unknown>> } | null)?.States ?? {};
  for (const [name, state] of Object.entries(states)) {
    if (state === null || typeof state !== 'object') continue;
    if (state.Parameters !== undefined || state.Arguments !== undefined) into.set(name, state.Parameters ?? state.Arguments);
    for (const scope of [...((state.Branches as unknown[]) ?? []), state.ItemProcessor, state.Iterator]) if (scope) stateTemplates(scope, into);
  }
  return into;
}

/** The token in a TaskScheduled event's parameters: where the template put it, else a field named like a token. */
export function tokenInParameters(parameters: string | undefined, template: unknown): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(parameters ?? '');
  } catch {
    return undefined;
  }
  for (const path of tokenPaths(template)) {
    const token = at(value, path);
    if (typeof token === 'string') return token;
  }
  return undefined;
}

/** The tasks still waiting in `events` (none once the execution has stopped). */
export function waitingTasks(events: readonly HistoryEvent[], definition: unknown, running: boolean): WaitingTask[] {
  if (!running) return [];
  const templates = stateTemplates(definition);
  const open = new Map<number, WaitingTask>();
  // Each event's scheduled task, through previousEventId links (a task's events follow one another).
  const taskOf = new Map<number, number>();
  const stateOf = new Map<number, string>();
  for (const event of events) {
    const details = eventDetails(event);
    const previous = event.previousEventId ?? 0;
    const state = event.type.endsWith('StateEntered') && typeof details?.name === 'string' ? details.name : stateOf.get(previous);
    if (state !== undefined) stateOf.set(event.id, state);
    const resource = String(details?.resource ?? '');
    if (state !== undefined && event.type === 'TaskScheduled' && resource.endsWith('.waitForTaskToken')) {
      const token = tokenInParameters(details?.parameters as string | undefined, templates.get(state));
      open.set(event.id, { eventId: event.id, state, kind: 'task', resource: `${String(details?.resourceType ?? '')}:${resource}`, ...(token ? { token } : {}) });
      taskOf.set(event.id, event.id);
      continue;
    }
    if (state !== undefined && event.type === 'ActivityScheduled') {
      open.set(event.id, { eventId: event.id, state, kind: 'activity', resource });
      taskOf.set(event.id, event.id);
      continue;
    }
    const task = taskOf.get(previous);
    if (task === undefined) continue;
    if (ENDS.test(event.type)) open.delete(task);
    else taskOf.set(event.id, task);
  }
  return [...open.values()];
}
