/**
 * The lines `switchyard serve` prints per API call and per execution start
 * and end: exact wording, ARNs without their common head, never a task token.
 */
import { allObservers, callLine, callTarget, executionLineLog, restAction, shortArn } from '../../lib/local/request-log';
import type { ExecutionObserver, ExecutionRecord } from '../../lib/service/ports';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:hello-world:first';

function record(over: Partial<ExecutionRecord>): ExecutionRecord {
  return {
    info: { executionArn: EXECUTION, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:hello-world', name: 'first', startTime: 1_000, input: {} },
    revisionId: 'r1',
    status: 'RUNNING',
    ...over,
  } as ExecutionRecord;
}

describe('the request log', () => {
  it('names a call by its action, target, status and whole milliseconds', () => {
    expect(callLine({ action: 'StartExecution', target: 'stateMachine:hello-world', status: 200, ms: 3.4 })).toBe('StartExecution stateMachine:hello-world 200 3 ms');
    expect(callLine({ action: 'ListStateMachines', status: 200, ms: 0.2 })).toBe('ListStateMachines 200 0 ms');
  });

  it.each([
    ['{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:hello-world","input":"{}"}', 'stateMachine:hello-world'],
    [`{"executionArn":"${EXECUTION}","stateMachineArn":"x"}`, 'execution:hello-world:first'],
    ['{"name":"orders","definition":"{}"}', 'orders'],
    ['{"taskToken":"secret","output":"{}"}', undefined],
    ['not json', undefined],
    ['[1]', undefined],
  ])('takes the target of %s', (body, target) => {
    expect(callTarget(body)).toBe(target);
  });

  it('shows REST requests by method and path, a task token as …', () => {
    expect(restAction('GET', '/tasks/c2VjcmV0/approve?approver=ada')).toBe('GET /tasks/…/approve');
    expect(restAction('GET', `/executions/${encodeURIComponent(EXECUTION)}/history`)).toBe(`GET /executions/${EXECUTION}/history`);
    expect(shortArn('arn:aws:states:eu-west-1:111122223333:activity:a')).toBe('activity:a');
  });

  it('prints each execution start and end, with the error of one that failed', () => {
    const lines: string[] = [];
    const observer = executionLineLog((l) => lines.push(l));
    void observer.started!(record({}));
    void observer.finished!(record({ status: 'SUCCEEDED', stopDate: 1_250 }));
    void observer.finished!(record({ status: 'FAILED', stopDate: 2_000, error: 'OrderNotApproved' }));
    expect(lines).toEqual([
      'execution started execution:hello-world:first',
      'execution SUCCEEDED execution:hello-world:first after 250 ms',
      'execution FAILED execution:hello-world:first after 1000 ms (OrderNotApproved)',
    ]);
  });

  it('tells every observer of a combined one, in order', async () => {
    const told: string[] = [];
    const a: ExecutionObserver = { started: () => void told.push('a started'), transitioned: () => void told.push('a transitioned') };
    const b: ExecutionObserver = { started: () => void told.push('b started'), finished: () => void told.push('b finished') };
    const both = allObservers([a, b])!;
    await both.started!(record({}));
    await both.transitioned!(record({}), []);
    await both.finished!(record({}));
    expect(told).toEqual(['a started', 'b started', 'a transitioned', 'b finished']);
    expect(allObservers([a])).toBe(a);
    expect(allObservers([])).toBeUndefined();
  });
});
