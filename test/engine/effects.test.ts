/** The effect-interpreter contract every driver implements, and what both drivers reply for children and items. */
import { EffectNotSupportedError, performEffect, type Effect, type EffectHandlers } from '../../lib/engine/effects';
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import { childOutput } from '../../lib/engine/states/children';
import { itemsReadFailed } from '../../lib/engine/integrations/items';

/** Handlers that name the effect they were given, so dispatch is observable. */
const naming: EffectHandlers<string, string> = {
  Deliver: (e, c) => `${c}:${e.type}:${e.message.frameId}`,
  InvokeTask: (e, c) => `${c}:${e.type}:${e.attempt}`,
  CancelTask: (e, c) => `${c}:${e.type}:${e.attempt}`,
  StartFrames: (e, c) => `${c}:${e.type}:${e.frames.length}`,
  AbortChildren: (e, c) => `${c}:${e.type}:${e.frameId}`,
  RedriveChildren: (e, c) => `${c}:${e.type}:${e.redriveCount}`,
  CollectChildren: (e, c) => `${c}:${e.type}:${e.childIds.length}`,
  ReadItems: (e, c) => `${c}:${e.type}:${e.entry}`,
  WriteResults: (e, c) => `${c}:${e.type}:${e.objects.length}`,
  ExecutionFinished: (e, c) => `${c}:${e.type}:${e.status}`,
};

function child(status: Frame['status'], fields: Partial<Frame> = {}): Frame {
  return { id: 'root/1.0.0', scope: '', version: 3, status, phase: FramePhase.DONE, state: 'S', entry: 1, input: null, enteredAt: 0, vars: {}, retries: [], ...fields };
}

describe('performEffect', () => {
  it('calls the handler its type names, with the effect and the context', () => {
    const effects: Effect[] = [
      { type: 'Deliver', message: { type: 'Enter', frameId: 'root/1.0.2', entry: 0 }, delayMs: 0 },
      { type: 'CancelTask', frameId: 'root', attempt: 2 },
      { type: 'ExecutionFinished', status: 'ABORTED' },
    ];
    expect(effects.map((e) => performEffect(naming, e, 'ctx'))).toEqual(['ctx:Deliver:root/1.0.2', 'ctx:CancelTask:2', 'ctx:ExecutionFinished:ABORTED']);
  });
});

describe('EffectNotSupportedError', () => {
  it('names the effect and the reason', () => {
    const err = new EffectNotSupportedError('RedriveChildren', 'an in-process run is never redriven');
    expect([err.name, err.effectType, err.message]).toEqual([
      'EffectNotSupportedError',
      'RedriveChildren',
      'The effect RedriveChildren is not supported here: an in-process run is never redriven',
    ]);
  });
});

describe('childOutput', () => {
  it('is a succeeded child’s output', () => {
    expect(childOutput(child(FrameStatus.SUCCEEDED, { output: { n: 0 } }))).toEqual({ n: 0 });
  });

  it('keeps a succeeded child’s falsy output', () => {
    expect(childOutput(child(FrameStatus.SUCCEEDED, { output: false }))).toBe(false);
  });

  it('is the error and cause of a failed child', () => {
    expect(childOutput(child(FrameStatus.FAILED, { error: 'E', cause: 'why' }))).toEqual({ Error: 'E', Cause: 'why' });
  });

  it('is null error and cause for a child never stored', () => {
    expect(childOutput(undefined)).toEqual({ Error: null, Cause: null });
  });
});

describe('itemsReadFailed', () => {
  const effect = { frameId: 'root', entry: 4 };

  it('keeps the reader’s States error and cause', () => {
    expect(itemsReadFailed(effect, { error: 'States.ItemReaderFailed', cause: 'no such key' })).toEqual({
      type: 'ItemsRead',
      frameId: 'root',
      entry: 4,
      error: 'States.ItemReaderFailed',
      cause: 'no such key',
    });
  });

  it('is States.ItemReaderFailed with the message of a plain error', () => {
    expect(itemsReadFailed(effect, new Error('socket hang up'))).toEqual({ type: 'ItemsRead', frameId: 'root', entry: 4, error: 'States.ItemReaderFailed', cause: 'socket hang up' });
  });

  it('is States.ItemReaderFailed with the text of a thrown non-object', () => {
    expect(itemsReadFailed(effect, 'boom')).toEqual({ type: 'ItemsRead', frameId: 'root', entry: 4, error: 'States.ItemReaderFailed', cause: 'boom' });
  });
});
