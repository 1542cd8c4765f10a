/**
 * The mixed workload the fault harness runs: Pass, Choice, Map, Parallel,
 * Retry, Catch, Wait (short and longer than SQS's 15-minute delay) and a
 * task token, with deterministic task functions so every execution has one
 * right answer, computed by the in-process driver.
 */
import type { JsonValue } from '../lib/asl/json';
import type { TaskInvocation, TaskOutcome } from '../lib/engine/ports/task-runner';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

/** Every task also retries a lost worker (a crash between claim and result), as a real workflow would retry States.TaskFailed. */
const LOST_WORKER_RETRY = { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 8, BackoffRate: 1 };

export interface HarnessWorkload {
  name: string;
  definition: Record<string, unknown>;
  input(i: number): JsonValue;
  /** Its executions fail until the Fragile function is mended, and are then redriven (RedriveExecution). */
  redrive?: true;
}

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
          Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }, LOST_WORKER_RETRY],
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
          // States.TaskFailed matches every error but States.Timeout, so Boom is first told not to retry.
          Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 0 }, LOST_WORKER_RETRY],
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
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 3600, Next: 'Late' }, Late: { Type: 'Task', Resource: `${FN}Double`, Retry: [LOST_WORKER_RETRY], End: true } } },
            { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 600, Next: 'Bad' }, Bad: { Type: 'Task', Resource: `${FN}Boom`, Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 0 }, LOST_WORKER_RETRY], End: true } } },
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
    // must rerun that iteration alone, keep the others' results and run the aborted wait again.
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
              StartAt: 'Each',
              States: {
                Each: {
                  Type: 'Map',
                  ItemsPath: '$.items',
                  MaxConcurrency: 2,
                  ItemProcessor: {
                    StartAt: 'Mend',
                    States: { Mend: { Type: 'Task', Resource: `${FN}Fragile`, Retry: [{ ErrorEquals: ['Fragile.Broken'], MaxAttempts: 0 }, LOST_WORKER_RETRY], End: true } },
                  },
                  End: true,
                },
              },
            },
            { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 30, Next: 'Echo' }, Echo: { Type: 'Pass', Result: 'waited', End: true } } },
          ],
          End: true,
        },
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

/**
 * The task functions, deterministic in their input and attempt number (and,
 * for Fragile, whether it was mended). Callback tasks return `pending`: the
 * caller answers their token.
 */
export function runHarnessTask(invocation: TaskInvocation, mended = false): TaskOutcome {
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
    case 'Fragile':
      return (input as { fail?: boolean }).fail && !mended
        ? { kind: 'failed', error: 'Fragile.Broken', cause: 'not mended yet' }
        : { kind: 'succeeded', output: { value: (input.value ?? 0) * 3 } };
    default:
      return { kind: 'failed', error: 'States.TaskFailed', cause: `Unknown function ${name}` };
  }
}
