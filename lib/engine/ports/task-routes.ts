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

/** Runs each task on the first runner that handles it, or on `fallback`. */
export function routedTaskRunner(runners: readonly ResourceRunner[], fallback: TaskRunner): TaskRunner {
  return {
    run(invocation: TaskInvocation, signal: AbortSignal): Promise<TaskOutcome> {
      return (runners.find((r) => r.handles(invocation)) ?? fallback).run(invocation, signal);
    },
  };
}
