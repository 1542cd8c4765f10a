/** The in-process driver: run state machines on one machine with no AWS. */
import type { LocalServer, LocalServerOptions } from './server';

export { LocalRuntime, runDefinition, validate, unresolvedTaskRunner, type LocalRuntimeOptions } from './runtime';
export type { ExecutionHandle, ExecutionResult, ExecutionStatus, HistoryEvent, LocalRuntimeApi, PendingTask, RunOptions } from './api';
export { localItemReader, parseItems, type ItemReaderPort } from './item-reader';
export * from './tasks';
export type { LocalServer, LocalServerOptions };
export { parseTriggers, nextFireTime, matchesPattern, TriggersError, type TriggersFile, type ScheduleSpec, type RuleSpec } from './triggers';

/**
 * Starts the local server (see server.ts). The server and the service under
 * it are loaded on the first call, so importing the package costs only the
 * in-process runtime.
 */
export function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  return (require('./server') as typeof import('./server')).startLocalServer(options);
}
