/**
 * The events a frame records as it is ended from outside (aborted.ts), and
 * the order frames are aborted in.
 */
import { compileStateMachine } from '../../lib/asl/compile';
import { abortedEvents, abortOrder, mapRunAborted } from '../../lib/engine/aborted';
import type { AbortChildrenEffect } from '../../lib/engine/effects';
import { copyFrame, progressWith, type Frame } from '../../lib/engine/frame';

const machine = compileStateMachine({
  StartAt: 'P',
  States: {
    P: {
      Type: 'Parallel',
      End: true,
      Branches: [
        {
          StartAt: 'T',
          States: {
            T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:F', Next: 'W' },
            W: { Type: 'Wait', Seconds: 5, Next: 'I' },
            I: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }, Next: 'D' },
            D: {
              Type: 'Map',
              ItemsPath: '$.items',
              ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Y', States: { Y: { Type: 'Pass', End: true } } },
              Next: 'Q',
            },
            Q: { Type: 'Parallel', Branches: [{ StartAt: 'Z', States: { Z: { Type: 'Pass', End: true } } }], Next: 'S' },
            S: { Type: 'Pass', End: true },
          },
        },
      ],
    },
  },
});

const FAILING: AbortChildrenEffect = { type: 'AbortChildren', frameId: 'root', failing: { entry: 0 } };
const STOPPED: AbortChildrenEffect = { type: 'AbortChildren', frameId: 'root' };
const root = copyFrame({ id: 'root', scope: '', version: 3, status: 'RUNNING', phase: 'ABORTING', state: 'P', entry: 0, input: {}, enteredAt: 0, vars: {}, retries: [] }, 3);

/** The Parallel's branch, in `state` and `phase`. */
function branch(state: string, phase: Frame['phase'], extra: Partial<Frame> = {}): Frame {
  return { ...root, id: 'root/0.0.0', parentId: 'root', index: 0, parentEntry: 0, parentRun: 0, scope: '/States/P/Branches/0', state, phase, ...extra };
}

const progress = (started: number, doneBelow = 0) => progressWith({ run: 0, total: 3, started, succeeded: doneBelow, failed: 0, maxConcurrency: 0, toleratedFailures: 0, effectiveInput: {}, doneBelow });
const types = (frame: Frame, effect = FAILING) => abortedEvents(machine, effect, root, frame, 5).map((e) => e.type);

describe('abortedEvents', () => {
  it('records the …StateAborted event of the state a failing Map or Parallel cuts short', () => {
    expect(types(branch('T', 'TASK'))).toEqual(['TaskStateAborted']);
    expect(types(branch('T', 'RETRY_WAIT'))).toEqual(['TaskStateAborted']);
    expect(types(branch('W', 'WAITING'))).toEqual(['WaitStateAborted']);
    expect(types(branch('Q', 'CHILDREN', { children: progress(1) }))).toEqual(['ParallelStateAborted']);
  });

  it('records MapIterationAborted for each INLINE iteration still running, then MapStateAborted', () => {
    const events = abortedEvents(machine, FAILING, root, branch('I', 'CHILDREN', { children: progress(3, 1) }), 5);
    expect(events.map((e) => [e.type, e.details])).toEqual([
      ['MapIterationAborted', { name: 'I', index: 1 }],
      ['MapIterationAborted', { name: 'I', index: 2 }],
      ['MapStateAborted', undefined],
    ]);
  });

  it('records MapRunAborted before MapStateAborted for a DISTRIBUTED Map', () => {
    expect(types(branch('D', 'CHILDREN', { children: progress(1) }))).toEqual(['MapRunAborted', 'MapStateAborted']);
    expect(mapRunAborted(machine, branch('D', 'READING_ITEMS', { children: progress(0) }), 5)).toEqual([]);
  });

  it('records nothing for a state not entered yet, a frame that ended, or any state of a stopped execution', () => {
    expect(types(branch('S', 'ENTERING'))).toEqual([]);
    expect(types(branch('T', 'DONE', { status: 'SUCCEEDED' }))).toEqual([]);
    expect(types(branch('T', 'TASK'), STOPPED)).toEqual([]);
    expect(types(branch('D', 'CHILDREN', { children: progress(1) }), STOPPED)).toEqual([]);
  });

  it('ends a child execution as a stopped execution: its Map Run aborted, then ExecutionAborted, and no state event', () => {
    const execution = { arn: 'arn:aws:states:us-east-1:123456789012:execution:M/Each:c1', frameId: 'root/0.0.0', mapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:M/Each:r' };
    expect(types(branch('T', 'TASK', { execution }))).toEqual(['ExecutionAborted']);
    expect(types(branch('D', 'CHILDREN', { execution, children: progress(1) }), STOPPED)).toEqual(['MapRunAborted', 'ExecutionAborted']);
    expect(types(branch('T', 'ENTERING', { execution, version: 0 }))).toEqual([]);
  });
});

describe('abortOrder', () => {
  it('puts every frame after its descendants, and siblings in index order', () => {
    const ids = ['root/0.0.1', 'root/0.0.0', 'root/0.0.10', 'root/0.0.2', 'root/0.0.0/3.0.1', 'root/0.0.0/3.0.0'];
    expect(ids.sort(abortOrder)).toEqual(['root/0.0.0/3.0.0', 'root/0.0.0/3.0.1', 'root/0.0.0', 'root/0.0.1', 'root/0.0.2', 'root/0.0.10']);
  });
});
