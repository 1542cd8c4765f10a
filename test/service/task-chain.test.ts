/** A task invoker chains its frame's next synchronous task only when the task can end before the invocation must. */
import type { InvokeTaskEffect } from '../../lib/engine/effects';
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import { CHAIN_MARGIN_MS, TaskChain, UNTIMED_TASK_ALLOWANCE_MS, chainableTask } from '../../lib/service/task-chain';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e1';

function task(frameId: string, extra: Partial<InvokeTaskEffect> = {}, timeoutSeconds?: number): InvokeTaskEffect {
  return {
    type: 'InvokeTask',
    frameId,
    entry: 1,
    attempt: 0,
    waitForToken: false,
    invocation: { resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', parameters: {}, executionArn: ARN, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M', stateName: 'T', attempt: 0, attemptId: `${frameId}#1#0`, ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) },
    ...extra,
  };
}

const frame: Frame = { id: 'root', scope: '', version: 2, status: FrameStatus.RUNNING, phase: FramePhase.TASK, state: 'T', entry: 1, input: {}, enteredAt: 0, vars: {}, retries: [] };

describe('chainableTask', () => {
  it("is the one synchronous task of the frame's own, and none for a callback task, an activity, another frame's task or two tasks", () => {
    const own = task('root');
    expect(chainableTask([{ type: 'Deliver', message: { type: 'Enter', frameId: 'root/0.0.0', entry: 0 }, delayMs: 0 }, own], 'root')).toBe(own);
    expect(chainableTask([task('root', { waitForToken: true })], 'root')).toBeUndefined();
    expect(chainableTask([task('root', { activityArn: 'arn:aws:states:us-east-1:123456789012:activity:a' })], 'root')).toBeUndefined();
    expect(chainableTask([task('root/0.0.0')], 'root')).toBeUndefined();
    expect(chainableTask([task('root'), task('root')], 'root')).toBeUndefined();
  });
});

describe('TaskChain', () => {
  it('fits an untimed task while its allowance and the margin remain before the end, and not a millisecond later', () => {
    let clock = 1_000;
    const chain = new TaskChain(1_000 + UNTIMED_TASK_ALLOWANCE_MS + CHAIN_MARGIN_MS, () => clock);
    expect(chain.fits(task('root'), frame)).toBe(true);
    clock += 1;
    expect(chain.fits(task('root'), frame)).toBe(false);
  });

  it("fits a timed task by its TimeoutSeconds, or its frame's HeartbeatSeconds when shorter", () => {
    const chain = new TaskChain(0 + 30_000 + CHAIN_MARGIN_MS, () => 0);
    expect(chain.fits(task('root', {}, 30), frame)).toBe(true);
    expect(chain.fits(task('root', {}, 31), frame)).toBe(false);
    expect(chain.fits(task('root', {}, 3_600), { ...frame, task: { attempt: 0, heartbeats: 0, heartbeatSeconds: 30 } })).toBe(true);
  });
});
