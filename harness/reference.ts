/**
 * The right answer for one harness execution: the same workload and input
 * run on the in-process driver, with the same task functions, the same
 * workers (Notify's tokens answered, the activity polled and answered, the
 * idle activity never), stopped at the same point (once parked on its tokens), and
 * with the attempts that were lost in the cloud run failed as lost workers
 * there too. It also counts the task attempts it invoked, which the cloud
 * run must have invoked once each.
 */
import type { JsonValue } from '../lib/asl/json';
import type { HistoryEvent } from '../lib/engine/history';
import type { TaskRunner } from '../lib/engine/ports/task-runner';
import { LocalRuntime } from '../lib/local/runtime';
import { LOST_WORKER_CAUSE, LOST_WORKER_ERROR } from '../lib/service/task-attempts';
import type { TaskTokenKey } from '../lib/service/task-tokens';
import { rootAttemptId } from './history-check';
import { ACTIVITY_NAME, ACTIVITY_WORKER, IDLE_ACTIVITY_NAME, activityAnswer, answersCallback, callbackAnswer, runHarnessTask, STOP_CAUSE, STOP_ERROR, type HarnessWorkload } from './workloads';

export interface Reference {
  status: string;
  output?: JsonValue;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  /** The attempt ids (history-check.ts rootAttemptId) it invoked its task functions for (lost ones excepted). */
  invoked: Set<string>;
  /** Those of them with a TimeoutSeconds: their timer ends them, so the cloud may end them without invoking them at all. */
  deadlined: Set<string>;
}

/** The run's settings beside the workload: the token key (so tokens equal the cloud's), lost attempts, and whether Fragile is mended. */
export interface ReferenceRun {
  tokenKey: TaskTokenKey;
  lost: ReadonlySet<string>;
  mended?: boolean;
}

/** Runs one workload input on the in-process driver: the right answer. */
export async function reference(workload: HarnessWorkload, input: JsonValue, name: string, run: ReferenceRun): Promise<Reference> {
  const runtime = new LocalRuntime({ timeScale: workload.referenceTimeScale ?? 0, tokenKey: run.tokenKey });
  const activityArn = runtime.createActivity(ACTIVITY_NAME);
  const idleArn = runtime.createActivity(IDLE_ACTIVITY_NAME);
  const invoked = new Set<string>();
  const deadlined = new Set<string>();
  let parked = 0;
  runtime.onPendingTask((task) => {
    setImmediate(() => {
      void answer(task).catch(() => {
        // TaskDoesNotExist: the attempt ended already (lost, stopped); nothing to answer.
      });
    });
  });
  const answer = async (task: { taskToken: string; executionArn: string; resource: string; input: JsonValue }): Promise<void> => {
    if (task.resource === activityArn) {
      const got = await runtime.getActivityTask(activityArn, ACTIVITY_WORKER);
      if (!got) return;
      const reply = activityAnswer(got.input);
      if ('output' in reply) runtime.sendTaskSuccess(got.taskToken, reply.output);
      else runtime.sendTaskFailure(got.taskToken, reply.error, reply.cause);
      return;
    }
    if (task.resource === idleArn) {
      if (workload.stopWhenParked !== undefined && ++parked === workload.stopWhenParked) runtime.stopExecution(task.executionArn, STOP_ERROR, STOP_CAUSE);
      return;
    }
    if (answersCallback(task.input)) runtime.sendTaskSuccess(task.taskToken, callbackAnswer((task.input as { Payload: JsonValue }).Payload));
  };
  // This runtime runs one root execution: every attempt is its own or one of its child executions'.
  const rootArn = `arn:aws:states:us-east-1:123456789012:execution:${workload.name}:${name}`;
  const runner: TaskRunner = {
    run: async (invocation, signal) => {
      const id = rootAttemptId(invocation.attemptId, () => rootArn);
      if (run.lost.has(id)) return { kind: 'failed', error: LOST_WORKER_ERROR, cause: LOST_WORKER_CAUSE };
      invoked.add(id);
      if (invocation.timeoutSeconds !== undefined) deadlined.add(id);
      return runHarnessTask(invocation, signal, run.mended === true);
    },
  };
  const result = await runtime.startExecution(workload.definition, { input, name, stateMachineName: workload.name, taskRunner: runner }).result;
  return {
    status: result.status,
    ...(result.output !== undefined ? { output: result.output } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    history: result.history,
    invoked,
    deadlined,
  };
}
