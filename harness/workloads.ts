/**
 * The mixed workload the fault harness runs: Pass, Choice, Map (and one of
 * 1,000 items now and then), Parallel, Retry, Catch, Wait (short and longer
 * than SQS's 15-minute delay), task tokens, an activity, StopExecution,
 * HeartbeatSeconds and TimeoutSeconds expiring, and retries that do not
 * cover States.TaskFailed (so a lost or doubled task cannot hide behind a
 * retry), with deterministic task functions so every execution has one
 * right answer, computed by the in-process driver.
 *
 * No outcome may depend on how long processing takes: a timer that races
 * work is hours longer than the work, a timeout fires on a task that never
 * answers, and an execution is stopped only once it is parked on tokens
 * nobody answers.
 */
import type { JsonValue } from '../lib/asl/json';
import type { TaskInvocation, TaskOutcome } from '../lib/engine/ports/task-runner';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

/**
 * Tasks in concurrent Maps also retry a lost worker (a crash between claim and result), as a real workflow
 * would retry States.TaskFailed — a failure there would race the other iterations; the rest fail on one.
 */
const LOST_WORKER_RETRY = { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 8, BackoffRate: 1 };

export interface HarnessWorkload {
  name: string;
  definition: Record<string, unknown>;
  input(i: number): JsonValue;
  /** Its executions fail until the Fragile function is mended, and are then redriven (RedriveExecution). */
  redrive?: true;
  /** Its executions are stopped (StopExecution) once this many tasks nobody takes are scheduled (see `hold`). */
  stopWhenParked?: number;
  /**
   * The reference's time scale: 0 (virtual time) unless a task hangs until its
   * deadline, which virtual time never reaches while the task runs.
   */
  referenceTimeScale?: number;
}

/** The activity the harness's worker polls (GetActivityTask) and answers. */
export const ACTIVITY_NAME = 'harness-activity';
export const ACTIVITY_WORKER = 'harness-worker';
const ACTIVITY_ARN = `arn:aws:states:us-east-1:123456789012:activity:${ACTIVITY_NAME}`;
/** How StopExecution is called on the stop workload, on both drivers. */
export const STOP_ERROR = 'Harness.Stopped';
export const STOP_CAUSE = 'Stopped while parked on tokens';

/** The activity nobody polls: its tasks wait until a timer or a stop ends them. */
export const IDLE_ACTIVITY_NAME = 'harness-idle';
const IDLE_ARN = `arn:aws:states:us-east-1:123456789012:activity:${IDLE_ACTIVITY_NAME}`;

/**
 * A task that waits for ever: an activity task nobody takes. (Not a callback token: its worker could die
 * between invoking and recording the wait, and fail the attempt as a lost worker — at once in the reference,
 * only after the lost-worker wait in the cloud, racing whatever runs beside it.)
 */
const hold = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ Type: 'Task', Resource: IDLE_ARN, ...extra });

/** The items of the large inline Map, which execution 50 of every 2,000 runs (it costs as much as some 300 others). */
export const BIG_MAP_ITEMS = 1000;

/** Which workload execution `i` runs: the mix in turn, and the 1,000-item Map as execution 50 of every 2,000. */
export function workloadFor(i: number): HarnessWorkload {
  if (i % 2000 === 50) return BIG_MAP;
  return HARNESS_WORKLOADS[i % HARNESS_WORKLOADS.length];
}

const BIG_MAP: HarnessWorkload = {
  name: 'map-1000',
  input: (i) => ({ items: Array.from({ length: BIG_MAP_ITEMS }, (_, k) => k + i) }),
  definition: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 40,
        ItemProcessor: {
          StartAt: 'Shape',
          States: {
            Shape: { Type: 'Pass', Parameters: { 'v.$': '$' }, Next: 'Odd' },
            Odd: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericGreaterThan: 990, Next: 'Double' }], Default: 'Keep' },
            Keep: { Type: 'Pass', End: true },
            // A lost worker here would fail the Map while other iterations run: retried.
            Double: { Type: 'Task', Resource: `${FN}Double`, Parameters: { 'value.$': '$.v' }, Retry: [LOST_WORKER_RETRY], End: true },
          },
        },
        ResultSelector: { 'count.$': 'States.ArrayLength($)' },
        End: true,
      },
    },
  },
};

export const HARNESS_WORKLOADS: readonly HarnessWorkload[] = [
  {
    name: 'choice-loop',
    input: (i) => ({ n: i % 3 }),
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Parameters: { 'n.$': '$.n', steps: 0 }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThanEquals: 5, Next: 'Done' }], Default: 'Add' },
        Add: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)', 'steps.$': 'States.MathAdd($.steps, 1)' }, Next: 'Check' },
        Done: { Type: 'Succeed' },
      },
    },
  },
  {
    name: 'map-tasks',
    input: (i) => ({ items: [1, 2, 3, 4, 5, 6].map((x) => x + i) }),
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 3,
          ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
          ItemProcessor: {
            StartAt: 'Double',
            States: { Double: { Type: 'Task', Resource: `${FN}Double`, Retry: [LOST_WORKER_RETRY], End: true } },
          },
          ResultPath: '$.doubled',
          End: true,
        },
      },
    },
  },
  {
    name: 'parallel',
    input: (i) => ({ value: i }),
    definition: {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'PD', States: { PD: { Type: 'Task', Resource: `${FN}Double`, Retry: [LOST_WORKER_RETRY], End: true } } },
            { StartAt: 'PP', States: { PP: { Type: 'Pass', Result: 'second', End: true } } },
            { StartAt: 'PW', States: { PW: { Type: 'Wait', Seconds: 5, Next: 'PA' }, PA: { Type: 'Pass', InputPath: '$.value', End: true } } },
          ],
          ResultSelector: { 'first.$': '$[0].value', 'second.$': '$[1]', 'third.$': '$[2]' },
          End: true,
        },
      },
    },
  },
  {
    name: 'retry',
    input: (i) => ({ value: i }),
    definition: {
      StartAt: 'Flaky',
      States: {
        Flaky: {
          Type: 'Task',
          Resource: `${FN}Flaky`,
          // Flaky alone: a lost attempt fails the execution, a doubled one is counted.
          Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
          ResultPath: '$.flaky',
          Next: 'After',
        },
        After: { Type: 'Pass', End: true },
      },
    },
  },
  {
    name: 'catch',
    input: (i) => ({ fail: i % 2 === 0 }),
    definition: {
      StartAt: 'Boom',
      States: {
        Boom: {
          Type: 'Task',
          Resource: `${FN}Boom`,
          Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.error', Next: 'Decide' }],
          End: true,
        },
        Decide: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Failed' }], Default: 'Recovered' },
        Recovered: { Type: 'Pass', Parameters: { 'error.$': '$.error.Error' }, End: true },
        Failed: { Type: 'Fail', Error: 'Workflow.Failed', Cause: 'The input asked to fail' },
      },
    },
  },
  {
    name: 'long-wait',
    input: (i) => ({ value: i }),
    definition: {
      StartAt: 'Wait20m',
      States: {
        Wait20m: { Type: 'Wait', Seconds: 1200, Next: 'Done' },
        Done: { Type: 'Pass', Parameters: { 'waited.$': '$.value' }, End: true },
      },
    },
  },
  {
    // The failing branch fails ten minutes in, when the other has surely entered its wait, and
    // long before that wait ends (however the faults delay messages): the waiting branch must be
    // aborted where it waits, as in the reference run.
    name: 'parallel-fails',
    input: (i) => ({ value: i }),
    definition: {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 3600, Next: 'Late' }, Late: { Type: 'Task', Resource: `${FN}Double`, End: true } } },
            { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 600, Next: 'Bad' }, Bad: { Type: 'Task', Resource: `${FN}Boom`, End: true } } },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', Parameters: { 'error.$': '$.caught.Error', 'value.$': '$.value' }, End: true },
      },
    },
  },
  {
    name: 'distributed-tolerated',
    input: (i) => ({ items: [1, 2, 3, 4].map((x) => ({ value: x + i, fail: x === 2 })) }),
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 2,
          ToleratedFailureCount: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Check',
            States: {
              Check: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Fail' }], Default: 'Double' },
              Fail: { Type: 'Fail', Error: 'Item.Failed', Cause: 'asked to' },
              // A lost worker here would race its sibling iterations to the tolerated count: retried.
              Double: { Type: 'Task', Resource: `${FN}Double`, Retry: [LOST_WORKER_RETRY], End: true },
            },
          },
          ResultWriter: { WriterConfig: { Transformation: 'COMPACT', OutputType: 'JSON' } },
          ResultSelector: { 'count.$': 'States.ArrayLength($)' },
          End: true,
        },
      },
    },
  },
  {
    // Fails in one Map iteration inside a Parallel branch while the other branch waits: the redrive
    // must rerun that iteration alone, keep the others' results and run the aborted wait again. One
    // iteration at a time, so the first run always fails at the same point. (Its lost workers are retried:
    // the reference of its end runs mended from the start, and cannot lose the same attempts.)
    name: 'redrive',
    redrive: true,
    input: (i) => ({ items: [0, 1, 2].map((x) => ({ value: x + i, fail: x === 1 })) }),
    definition: {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            {
              // Ten minutes first: the other branch has surely entered its wait when this one fails.
              StartAt: 'Settle',
              States: {
                Settle: { Type: 'Wait', Seconds: 600, Next: 'Each' },
                Each: {
                  Type: 'Map',
                  ItemsPath: '$.items',
                  MaxConcurrency: 1,
                  ItemProcessor: {
                    StartAt: 'Mend',
                    States: { Mend: { Type: 'Task', Resource: `${FN}Fragile`, Retry: [{ ErrorEquals: ['Fragile.Broken'], MaxAttempts: 0 }, LOST_WORKER_RETRY], End: true } },
                  },
                  End: true,
                },
              },
            },
            // Hours longer than the failing iteration takes: it is always aborted where it waits.
            { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 3600, Next: 'Echo' }, Echo: { Type: 'Pass', Result: 'waited', End: true } } },
          ],
          End: true,
        },
      },
    },
  },
  {
    // Parked on four tasks nobody takes (one in a branch, three in Map iterations), then stopped:
    // the stop aborts every child where it waits, at the same point as in the reference.
    name: 'stop',
    stopWhenParked: 4,
    input: (i) => ({ value: i, items: [1, 2, 3] }),
    definition: {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'HoldA', States: { HoldA: hold({ End: true }) } },
            {
              StartAt: 'First',
              States: {
                First: { Type: 'Task', Resource: `${FN}Double`, ResultPath: '$.first', Next: 'Each' },
                Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'HoldB', States: { HoldB: hold({ End: true }) } }, End: true },
              },
            },
          ],
          End: true,
        },
      },
    },
  },
  {
    // A worker polls GetActivityTask and answers: success, or (for every third value) a failure the state catches.
    name: 'activity',
    input: (i) => ({ value: i }),
    definition: {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: ACTIVITY_ARN,
          Parameters: { 'value.$': '$.value' },
          TimeoutSeconds: 3600,
          ResultPath: '$.worked',
          Catch: [{ ErrorEquals: ['Activity.Refused'], ResultPath: '$.refused', Next: 'Refused' }],
          End: true,
        },
        Refused: { Type: 'Pass', Parameters: { 'error.$': '$.refused.Error' }, End: true },
      },
    },
  },
  {
    // Tasks nobody takes: one's HeartbeatSeconds expires, the other's TimeoutSeconds.
    name: 'heartbeat',
    input: (i) => ({ value: i }),
    definition: {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Beat',
              States: {
                Beat: hold({ HeartbeatSeconds: 60, TimeoutSeconds: 3600, Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.error', Next: 'NoBeat' }], End: true }),
                NoBeat: { Type: 'Pass', Parameters: { 'error.$': '$.error.Error' }, End: true },
              },
            },
            {
              StartAt: 'Late',
              States: {
                Late: hold({ TimeoutSeconds: 120, Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TooLate' }], End: true }),
                TooLate: { Type: 'Pass', Parameters: { 'error.$': '$.error.Error' }, End: true },
              },
            },
          ],
          End: true,
        },
      },
    },
  },
  {
    // A synchronous Lambda task that runs past its TimeoutSeconds, retried once on States.Timeout and then caught.
    name: 'timeout',
    referenceTimeScale: 0.001,
    input: (i) => ({ value: i }),
    definition: {
      StartAt: 'Slow',
      States: {
        Slow: {
          Type: 'Task',
          Resource: `${FN}Slow`,
          TimeoutSeconds: 5,
          Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Gave up' }],
          End: true,
        },
        'Gave up': { Type: 'Pass', Parameters: { 'error.$': '$.error.Error', 'value.$': '$.value' }, End: true },
      },
    },
  },
  {
    name: 'callback',
    input: (i) => ({ value: i }),
    definition: {
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'Notify', Payload: { 'token.$': '$$.Task.Token', 'value.$': '$.value' } },
          TimeoutSeconds: 3600,
          Retry: [LOST_WORKER_RETRY],
          ResultPath: '$.approval',
          End: true,
        },
      },
    },
  },
];

/** What a callback worker answers for a token task's payload. */
export function callbackAnswer(payload: JsonValue): JsonValue {
  const value = (payload as { value?: number }).value ?? 0;
  return { approved: value % 2 === 0, value };
}

/** Whether the harness's callback worker answers a token task with these parameters (Notify's). */
export function answersCallback(parameters: JsonValue): boolean {
  return (parameters as { FunctionName?: unknown }).FunctionName === 'Notify';
}

/** What the activity worker answers for an activity task's input: a result, or Activity.Refused for every third value. */
export function activityAnswer(input: string): { output: JsonValue } | { error: string; cause: string } {
  const value = (JSON.parse(input) as { value?: number }).value ?? 0;
  return value % 3 === 0 ? { error: 'Activity.Refused', cause: `value ${value}` } : { output: { value: value * 5 } };
}

/** The longest a harness task hangs when nothing aborts it (its deadline always comes sooner). */
const HANG_MS = 10_000;

/**
 * The task functions, deterministic in their input and attempt number (and,
 * for Fragile, whether it was mended). Callback tasks return `pending`: the
 * caller answers their token (Notify's). Slow runs
 * until its deadline aborts it.
 */
export async function runHarnessTask(invocation: TaskInvocation, signal: AbortSignal, mended = false): Promise<TaskOutcome> {
  const name = invocation.resource.startsWith(FN) ? invocation.resource.slice(FN.length) : String((invocation.parameters as { FunctionName?: string }).FunctionName);
  const input = invocation.parameters as { value?: number };
  switch (name) {
    case 'Double':
      return { kind: 'succeeded', output: { value: (input.value ?? 0) * 2 } };
    case 'Flaky':
      return invocation.attempt < 2
        ? { kind: 'failed', error: 'Flaky', cause: `attempt ${invocation.attempt} failed` }
        : { kind: 'succeeded', output: { recovered: true } };
    case 'Boom':
      return { kind: 'failed', error: 'Boom', cause: 'It always fails' };
    case 'Notify':
      return { kind: 'pending' };
    case 'Slow':
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, HANG_MS);
        timer.unref();
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return { kind: 'succeeded', output: { late: true } };
    case 'Fragile':
      return (input as { fail?: boolean }).fail && !mended
        ? { kind: 'failed', error: 'Fragile.Broken', cause: 'not mended yet' }
        : { kind: 'succeeded', output: { value: (input.value ?? 0) * 3 } };
    default:
      return { kind: 'failed', error: 'States.TaskFailed', cause: `Unknown function ${name}` };
  }
}
