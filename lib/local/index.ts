/** The in-process driver: run state machines on one machine with no AWS. */
export { LocalRuntime, runDefinition, validate, unresolvedTaskRunner, type LocalRuntimeOptions } from './runtime';
export type { ExecutionHandle, ExecutionResult, ExecutionStatus, HistoryEvent, LocalRuntimeApi, PendingTask, RunOptions } from './api';
export { localItemReader, parseItems, type ItemReaderPort } from './item-reader';
export * from './tasks';
export { startLocalServer, type LocalServer, type LocalServerOptions } from './server';
export { parseTriggers, nextFireTime, matchesPattern, TriggersError, type TriggersFile, type ScheduleSpec, type RuleSpec } from './triggers';
