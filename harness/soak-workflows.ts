/**
 * The soak's workflows (npm run test:soak): Pass chains, Lambda tasks, Waits,
 * Map, Parallel and task tokens, each Lambda state retried on
 * States.TaskFailed (an attempt in flight when the server is killed fails as
 * a lost worker, by design, and the retry runs it again). Their outputs
 * depend on the input only, so the in-process driver's output is the
 * expected one whatever the server went through.
 */
import type { JsonValue } from '../lib/asl/json';

/** The Lambda function every task calls (the handlers file maps it to {@link HANDLER_SOURCE}). */
export const FUNCTION = 'SoakWork';

/**
 * The handler module. `handler` (the served one) appends
 * `executionArn state retryCount` to $SOAK_INVOCATIONS as it starts and the
 * same line to $SOAK_DONE as it returns, after a short sleep so attempts are
 * in flight when the server is killed; `pure` (the in-process one) only
 * computes the result, which depends on the payload's `n` alone.
 */
export const HANDLER_SOURCE = `
const fs = require('node:fs');
const pure = async (event) => ({ n: event.n, doubled: event.n * 2, tag: 'w' + (event.n % 7) });
exports.pure = pure;
exports.handler = async (event) => {
  const line = event.arn + ' ' + event.state + (event.index === undefined ? '' : '[' + event.index + ']') + ' ' + event.retry + '\\n';
  fs.appendFileSync(process.env.SOAK_INVOCATIONS, line);
  await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 180)));
  const result = await pure(event);
  fs.appendFileSync(process.env.SOAK_DONE, line);
  return result;
};
`;

const RETRY = [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 10, BackoffRate: 1 }];

/** A Lambda task state calling {@link FUNCTION} with `n` taken from `nPath`; `index` names a Map iteration. */
function lambda(next: string | undefined, nPath: string, options: { token?: boolean; index?: string; resultPath?: string } = {}): Record<string, JsonValue> {
  const payload: Record<string, JsonValue> = { 'n.$': nPath, 'arn.$': '$$.Execution.Id', 'state.$': '$$.State.Name', 'retry.$': '$$.State.RetryCount' };
  if (options.index !== undefined) payload['index.$'] = options.index;
  if (options.token) payload['token.$'] = '$$.Task.Token';
  return {
    Type: 'Task',
    Resource: options.token ? 'arn:aws:states:::lambda:invoke.waitForTaskToken' : 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: FUNCTION, Payload: payload },
    ...(options.token ? {} : { ResultSelector: { 'value.$': '$.Payload' } }),
    ResultPath: options.resultPath ?? '$.result',
    Retry: RETRY,
    ...(next === undefined ? { End: true } : { Next: next }),
  };
}

/** The workflows by state machine name. */
export const WORKFLOWS: Readonly<Record<string, JsonValue>> = {
  SoakPassChain: {
    StartAt: 'P1',
    States: {
      P1: { Type: 'Pass', Parameters: { 'n.$': '$.n', 'steps.$': 'States.Array($.n)' }, Next: 'P2' },
      P2: { Type: 'Pass', Parameters: { 'n.$': '$.n', 'sum.$': 'States.MathAdd($.n, 10)' }, Next: 'P3' },
      P3: { Type: 'Pass', Result: 'chain', ResultPath: '$.kind', Next: 'P4' },
      P4: { Type: 'Pass', Parameters: { 'text.$': "States.Format('{} {}', $.kind, $.sum)", 'n.$': '$.n' }, End: true },
    },
  },
  SoakLambda: {
    StartAt: 'Work',
    States: {
      Work: lambda('Again', '$.n'),
      Again: lambda('Shape', '$.result.value.doubled', { resultPath: '$.again' }),
      Shape: { Type: 'Pass', Parameters: { 'first.$': '$.result.value', 'second.$': '$.again.value' }, End: true },
    },
  },
  SoakWait: {
    StartAt: 'Pause',
    States: {
      Pause: { Type: 'Wait', Seconds: 2, Next: 'Work' },
      Work: lambda('Done', '$.n'),
      Done: { Type: 'Pass', Parameters: { 'waited.$': '$.result.value' }, End: true },
    },
  },
  SoakMap: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 3,
        ItemSelector: { 'n.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Item', States: { Item: lambda(undefined, '$.n', { index: '$.index' }) } },
        End: true,
      },
    },
  },
  SoakParallel: {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Left', States: { Left: lambda(undefined, '$.n') } },
          { StartAt: 'Rest', States: { Rest: { Type: 'Wait', Seconds: 1, Next: 'Right' }, Right: { Type: 'Pass', Parameters: { 'right.$': '$.n' }, End: true } } },
        ],
        End: true,
      },
    },
  },
  // Stopped by the clients at once, while it waits (the other workflows' executions are stopped too,
  // some about to end, some mid-task, some already ended: soak.ts stopPlan). The long wait outlasts a
  // restart, so some stops reach a server that replayed the execution from its journal.
  SoakStop: {
    StartAt: 'Hold',
    States: {
      Hold: { Type: 'Wait', Seconds: 60, Next: 'Work' },
      Work: lambda(undefined, '$.n'),
    },
  },
  SoakToken: {
    StartAt: 'Ask',
    States: {
      Ask: lambda('Answered', '$.n', { token: true }),
      Answered: { Type: 'Pass', Parameters: { 'answer.$': '$.result' }, End: true },
    },
  },
};

/** The names of the workflows, in the order executions cycle through them. */
export const WORKFLOW_NAMES = Object.keys(WORKFLOWS);

/** What a client answers a task token of a SoakToken execution with: it depends on the input only. */
export function tokenAnswer(input: { n: number }): JsonValue {
  return { answered: input.n * 3 };
}

/** The input of the `i`th execution: a few distinct values, so the expected outputs are computed once each. */
export function inputOf(i: number): { n: number; items: number[] } {
  const n = i % 11;
  return { n, items: [n, n + 1, n + 2, n + 3] };
}
