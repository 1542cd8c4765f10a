/** How long a run of a state machine can last, from its definition: the basis of its items' expiry while it runs. */
import { compileStateMachine } from '../../lib/asl/compile';
import { LAMBDA_ATTEMPT_SECONDS, runBoundSeconds } from '../../lib/service/run-bound';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';
const bound = (definition: object): number | undefined => runBoundSeconds(compileStateMachine(definition));
const chain = (states: Record<string, unknown>[]): object => ({
  StartAt: 'S0',
  States: Object.fromEntries(states.map((s, i) => [`S${i}`, { ...s, ...(i + 1 < states.length ? { Next: `S${i + 1}` } : { End: true }) }])),
});

describe('runBoundSeconds', () => {
  it('bounds a chain of Lambda tasks by an attempt each, and a Pass and a static Wait by nothing and their seconds', () => {
    expect(bound(chain([{ Type: 'Task', Resource: FN }, { Type: 'Pass' }, { Type: 'Wait', Seconds: 30 }, { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: FN } }]))).toBe(2 * LAMBDA_ATTEMPT_SECONDS + 30);
  });

  it("counts a task's TimeoutSeconds when shorter, and every retrier's attempts with their longest waits", () => {
    const task = { Type: 'Task', Resource: FN, TimeoutSeconds: 10, Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }, { ErrorEquals: ['States.ALL'], MaxAttempts: 1 }] };
    // 1 + 3 + 1 attempts of 10 s; waits 2 + 4 + 8, and 1 (the default interval).
    expect(bound(chain([task]))).toBe(50 + 14 + 1);
  });

  it('takes the longest way through a Choice and a catcher, and the definition’s TimeoutSeconds when that is shorter', () => {
    const definition = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'T' }], Default: 'Done' },
        T: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Later' }], End: true },
        Later: { Type: 'Wait', Seconds: 600, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    expect(bound(definition)).toBe(LAMBDA_ATTEMPT_SECONDS + 600);
    expect(bound({ ...definition, TimeoutSeconds: 60 })).toBe(60);
  });

  it('leaves unbounded a loop, a callback task, a Wait on a path, and a Map — unless the definition has a TimeoutSeconds', () => {
    const loop = { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, Next: 'C' }, C: { Type: 'Choice', Choices: [{ Variable: '$.again', BooleanEquals: true, Next: 'T' }], Default: 'D' }, D: { Type: 'Succeed' } } };
    expect(bound(loop)).toBeUndefined();
    expect(bound(chain([{ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: FN, 'Token.$': '$$.Task.Token' } }]))).toBeUndefined();
    expect(bound(chain([{ Type: 'Wait', SecondsPath: '$.s' }]))).toBeUndefined();
    expect(bound(chain([{ Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }]))).toBeUndefined();
    expect(bound({ ...loop, TimeoutSeconds: 3_600 })).toBe(3_600);
  });
});
