/**
 * RedriveExecution reaching a DISTRIBUTED Map: the Map Run is redriven
 * (MapRunRedriven, its own count), each unsuccessful child execution is
 * redriven as an execution (ExecutionRedriven in its own history, its own
 * count), and a Map Run that failed on States.Runtime starts a new one.
 */
import { compileStateMachine } from '../../lib/asl/compile';
import { FramePhase, FrameStatus, progressWith, type Frame } from '../../lib/engine/frame';
import { step } from '../../lib/engine/step';
import { executionInfo, T0 } from './execution-info';

const EXECUTION = executionInfo({ redriveCount: 1 });
const machine = compileStateMachine({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      Label: 'Each',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'E' } } },
      End: true,
    },
  },
});
const MAP_RUN = 'arn:aws:states:us-east-1:123456789012:mapRun:M/Each:';
const viaJson = (frame: Frame): Frame => JSON.parse(JSON.stringify(frame)) as Frame;

/** The root frame failed in its Map state after `started` iterations, its Map Run redriven `redrives` times before. */
function failedRoot(error: string, started: number, redrives?: number): Frame {
  return {
    id: 'root',
    scope: '',
    version: 7,
    status: FrameStatus.FAILED,
    phase: FramePhase.DONE,
    state: 'Fan',
    entry: 0,
    input: [1, 2],
    enteredAt: T0,
    vars: {},
    retries: [],
    children: progressWith({ run: 0, total: 2, started, succeeded: 1, failed: 1, maxConcurrency: 0, toleratedFailures: 0, items: [1, 2], effectiveInput: [1, 2], ...(redrives !== undefined ? { mapRunRedrives: redrives, mapRunRedrivenAt: T0 } : {}) }),
    error,
    cause: 'why',
  };
}

describe('redriving a DISTRIBUTED Map', () => {
  it('records ExecutionRedriven then MapRunRedriven with the Map Run’s first redrive, and asks which children to redrive', async () => {
    const r = await step(machine, EXECUTION, failedRoot('States.ExceedToleratedFailureThreshold', 2), { type: 'Redrive', frameId: 'root', redriveCount: 1 }, T0 + 5);
    expect(r.events.map((e) => [e.type, e.details])).toEqual([
      ['ExecutionRedriven', { redriveCount: 1 }],
      ['MapRunRedriven', { mapRunArn: expect.stringMatching(new RegExp(`^${MAP_RUN}[0-9a-f-]{36}$`)), redriveCount: 1 }],
    ]);
    expect(r.effects).toEqual([{ type: 'RedriveChildren', frameId: 'root', entry: 0, run: 0, started: 2, redriveCount: 1 }]);
    expect(viaJson(r.frame).children).toMatchObject({ run: 0, succeeded: 0, failed: 0, mapRunRedrives: 1, mapRunRedrivenAt: T0 + 5 });
    expect(viaJson(r.frame)).toMatchObject({ status: 'RUNNING', phase: 'CHILDREN', entry: 0 });
  });

  it('counts the Map Run’s own redrives, not the execution’s', async () => {
    const r = await step(machine, { ...EXECUTION, redriveCount: 4 }, failedRoot('States.ExceedToleratedFailureThreshold', 2, 2), { type: 'Redrive', frameId: 'root', redriveCount: 4 }, T0 + 5);
    expect(r.events.map((e) => [e.type, (e.details as { redriveCount?: number }).redriveCount])).toEqual([
      ['ExecutionRedriven', 4],
      ['MapRunRedriven', 3],
    ]);
  });

  // Developer guide, "Redriving Map Runs", redrive eligibility: "You haven't exceeded the hard limit of 1000
  // redrives of a given Map Run. If you've exceeded this limit, you'll receive the States.Runtime error."
  it('redrives a Map Run the 1,000th time', async () => {
    const r = await step(machine, { ...EXECUTION, redriveCount: 1000 }, failedRoot('States.ExceedToleratedFailureThreshold', 2, 999), { type: 'Redrive', frameId: 'root', redriveCount: 1000 }, T0 + 5);
    expect(r.events.map((e) => [e.type, (e.details as { redriveCount?: number }).redriveCount])).toEqual([
      ['ExecutionRedriven', 1000],
      ['MapRunRedriven', 1000],
    ]);
  });

  it('fails the execution with States.Runtime instead of a 1,001st redrive of its Map Run', async () => {
    const r = await step(machine, { ...EXECUTION, redriveCount: 1001 }, failedRoot('States.ExceedToleratedFailureThreshold', 2, 1000), { type: 'Redrive', frameId: 'root', redriveCount: 1001 }, T0 + 5);
    const cause = "The Map Run of the state 'Fan' has been redriven the maximum number of times (1000).";
    expect(r.events.map((e) => [e.type, e.details])).toEqual([
      ['ExecutionRedriven', { redriveCount: 1001 }],
      ['ExecutionFailed', { error: 'States.Runtime', cause }],
    ]);
    expect(r.effects).toEqual([{ type: 'ExecutionFinished', status: 'FAILED', error: 'States.Runtime', cause }]);
    expect(viaJson(r.frame)).toMatchObject({ status: 'FAILED', phase: 'DONE', error: 'States.Runtime', cause, children: { mapRunRedrives: 1000 } });
  });

  it('starts a new Map Run instead when the Map Run failed with States.Runtime', async () => {
    const r = await step(machine, EXECUTION, failedRoot('States.Runtime', 2), { type: 'Redrive', frameId: 'root', redriveCount: 1 }, T0 + 5);
    expect(r.events.map((e) => e.type)).toEqual(['ExecutionRedriven']);
    expect(r.effects).toEqual([{ type: 'Deliver', message: { type: 'Enter', frameId: 'root', entry: 1 }, delayMs: 0 }]);
  });

  it('redrives a failed child execution with ExecutionRedriven in its own history and its own count', async () => {
    const child: Frame = {
      id: 'root/0.0.1',
      parentId: 'root',
      index: 1,
      parentEntry: 0,
      parentRun: 0,
      scope: '/States/Fan/ItemProcessor',
      version: 2,
      status: FrameStatus.FAILED,
      phase: FramePhase.DONE,
      state: 'Bad',
      entry: 0,
      input: 2,
      enteredAt: T0,
      vars: {},
      retries: [],
      execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:M/Each:c1', frameId: 'root/0.0.1', mapRunArn: `${MAP_RUN}x`, redriveCount: 1, redriveDate: T0 },
      error: 'E',
    };
    const r = await step(machine, { ...EXECUTION, redriveCount: 3 }, child, { type: 'Redrive', frameId: 'root/0.0.1', redriveCount: 3 }, T0 + 9);
    expect(r.events.map((e) => [e.type, e.frameId, e.details])).toEqual([['ExecutionRedriven', 'root/0.0.1', { redriveCount: 2 }]]);
    expect(viaJson(r.frame)).toMatchObject({ status: 'RUNNING', phase: 'ENTERING', entry: 1, redrives: 3, execution: { redriveCount: 2, redriveDate: T0 + 9 } });
    expect(r.effects).toEqual([{ type: 'Deliver', message: { type: 'Enter', frameId: 'root/0.0.1', entry: 1 }, delayMs: 0 }]);
  });

  it('records ExecutionStarted for a child restarted in place of one aborted before it ran', async () => {
    const restarted: Frame = {
      id: 'root/0.0.1',
      parentId: 'root',
      index: 1,
      parentEntry: 0,
      parentRun: 0,
      scope: '/States/Fan/ItemProcessor',
      version: 1,
      status: FrameStatus.RUNNING,
      phase: FramePhase.ENTERING,
      state: 'Bad',
      entry: 0,
      input: 2,
      enteredAt: T0,
      vars: {},
      retries: [],
      execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:M/Each:c1', frameId: 'root/0.0.1', mapRunArn: `${MAP_RUN}x` },
    };
    const r = await step(machine, EXECUTION, restarted, { type: 'Enter', frameId: 'root/0.0.1', entry: 0 }, T0 + 9);
    expect(r.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });

  // "When you redrive a Map Run, the Express child workflows are rerun using the StartExecution API action"
  // (API reference, RedriveExecution); "If you've redriven a Map Run, and it has reached its concurrency limit,
  // the child workflow executions in that Map Run transition to the pending state" (developer guide).
  describe('EXPRESS children', () => {
    const express = compileStateMachine({
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          Label: 'Each',
          MaxConcurrency: 1,
          ItemSelector: { 'n.$': '$$.Map.Item.Value' },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'E' } } },
          End: true,
        },
      },
    });
    const root = (): Frame => ({
      ...failedRoot('States.ExceedToleratedFailureThreshold', 3),
      children: progressWith({ run: 0, total: 3, started: 3, succeeded: 1, failed: 2, maxConcurrency: 1, toleratedFailures: 1, items: [1, 2, 3], effectiveInput: [1, 2, 3] }),
    });

    it('asks the driver which children to run again instead of redriving them', async () => {
      const r = await step(express, EXECUTION, root(), { type: 'Redrive', frameId: 'root', redriveCount: 1 }, T0 + 5);
      expect(r.effects).toEqual([{ type: 'RedriveChildren', frameId: 'root', entry: 0, run: 0, started: 3, redriveCount: 1, limited: true, rerun: true }]);
    });

    it('starts them again one at a time within MaxConcurrency, each as a new execution from its first state past its last version and entry', async () => {
      const redriven = await step(express, EXECUTION, root(), { type: 'Redrive', frameId: 'root', redriveCount: 1 }, T0 + 5);
      const rerun = [
        { index: 1, version: 4, entry: 0 },
        { index: 2, version: 2, entry: 0 },
      ];
      const r = await step(express, EXECUTION, viaJson(redriven.frame), { type: 'ChildrenRedriven', frameId: 'root', entry: 0, run: 0, redriveCount: 1, succeeded: [0], restart: [], rerun }, T0 + 6);
      const starts = r.effects.filter((e) => e.type === 'StartFrames');
      expect(starts).toHaveLength(1);
      const [child] = (starts[0] as { frames: Frame[] }).frames;
      expect(viaJson(child)).toMatchObject({ id: 'root/0.0.1', version: 5, entry: 1, state: 'Bad', input: { n: 2 }, phase: 'ENTERING', execution: { startEntry: 1 } });
      expect(viaJson(child).execution?.redriveCount).toBeUndefined();
      expect(viaJson(r.frame).children?.pendingReruns).toEqual([{ index: 2, version: 2, entry: 0 }]);

      // Its first state records ExecutionStarted, as a new execution's does.
      const entered = await step(express, EXECUTION, viaJson(child), { type: 'Enter', frameId: 'root/0.0.1', entry: 1 }, T0 + 7);
      expect(entered.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);

      // Its end lets the next one go.
      const next = await step(express, EXECUTION, viaJson(r.frame), { type: 'ChildCompleted', frameId: 'root', entry: 0, run: 0, index: 1, status: 'SUCCEEDED' }, T0 + 8);
      const [again] = (next.effects.find((e) => e.type === 'StartFrames') as { frames: Frame[] }).frames;
      expect(viaJson(again)).toMatchObject({ id: 'root/0.0.2', version: 3, entry: 1, input: { n: 3 } });
      expect(viaJson(next.frame).children?.pendingReruns).toBeUndefined();
    });
  });
});
