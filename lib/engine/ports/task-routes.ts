/**
 * One task runner made of several, each for the resources it knows: the
 * first whose `handles` accepts a task runs it, the fallback the rest —
 * e.g. service integrations on the SDK runner and everything else on the
 * Lambda runner, in the cloud and on one machine alike.
 */
import type { TaskInvocation, TaskOutcome, TaskRunner } from './task-runner';

/** A runner that says which tasks it runs. */
export interface ResourceRunner extends TaskRunner {
  handles(invocation: TaskInvocation): boolean;
}

/** True when the runner says which tasks it runs. */
export function isResourceRunner(runner: TaskRunner): runner is ResourceRunner {
  return typeof (runner as Partial<ResourceRunner>).handles === 'function';
}

/**
 * Runs each task on the first runner that handles it, or on `fallback`. It
 * handles what its runners handle (and what `fallback` says it handles), so
 * it can be routed in turn.
 */
export function routedTaskRunner(runners: readonly ResourceRunner[], fallback: TaskRunner): ResourceRunner {
  return {
    handles: (invocation: TaskInvocation) => runners.some((r) => r.handles(invocation)) || (isResourceRunner(fallback) && fallback.handles(invocation)),
    run(invocation: TaskInvocation, signal: AbortSignal): Promise<TaskOutcome> {
      return (runners.find((r) => r.handles(invocation)) ?? fallback).run(invocation, signal);
    },
  };
}
