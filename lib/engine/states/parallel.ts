/**
 * Parallel: "causes parallel execution of branches". "The Parallel state
 * ... output is an array with one element for each branch containing the
 * output from that branch"; "If any branch fails ... the entire Parallel
 * state fails and all the branches that are still running are stopped".
 */
import type { Awaitable } from '../../asl/awaitable';
import { StatesError, StatesErrorName } from '../../asl/errors';
import type { CompiledParallel } from '../../asl/model';
import { FramePhase, progressWith } from '../frame';
import type { ChildCompletedMessage, Message } from '../messages';
import type { Transition } from '../transition';
import { abortChildren, collect, cutShort, markCompleted, progressAfter, newChild, nextRun, redriven, receiveWithChildren, restartedChild, resumeFailure } from './children';
import type { StateHandler } from './handler';

async function start(t: Transition, state: CompiledParallel): Promise<void> {
  let input;
  try {
    input = await state.flow.effectiveInput(t.frame.input, t.env());
  } catch (err) {
    await t.raise(err, state);
    return;
  }
  const run = nextRun(t);
  t.record('ParallelStateStarted');
  t.frame.phase = FramePhase.CHILDREN;
  t.frame.children = progressWith({
    run,
    total: state.branches.length,
    started: state.branches.length,
    succeeded: 0,
    failed: 0,
    maxConcurrency: 0,
    toleratedFailures: 0,
    effectiveInput: input,
  });
  t.effect({ type: 'StartFrames', frames: state.branches.map((scope, i) => newChild(t, scope, run, i, input)) });
}

/** A branch ended: count it, then collect, or fail the Parallel. Synchronous unless failing. */
function childCompleted(t: Transition, state: CompiledParallel, message: ChildCompletedMessage): Awaitable<void> {
  const progress = t.frame.children;
  if (!progress || message.run !== progress.run || t.frame.phase !== FramePhase.CHILDREN) return;
  const done = markCompleted(progress, message.index);
  if (!done) return;
  t.countCompletion(message);
  if (message.status === 'FAILED') {
    t.frame.children = progressAfter(progress, done, 'FAILED');
    // A branch's Fail state with no Error fails the Parallel with none, as an iteration's fails a Map (map.ts).
    const error = message.error as string;
    // "all the branches that are still running are stopped" first: the Parallel fails once they are
    // (a States.Runtime error fails the execution at once, as it does in Step Functions).
    if (error !== StatesErrorName.Runtime && cutShort(t, error, message.cause)) return;
    return fail(t, state, error, message.cause);
  }
  t.frame.children = progressAfter(progress, done, 'SUCCEEDED');
  if (progress.succeeded + 1 === progress.total) collect(t);
}

export const parallelHandler: StateHandler<CompiledParallel> = {
  enter: start,
  receive: receiveWithChildren(childCompleted, receiveOther),
};

/** A branch failed and none still runs: the Parallel fails with its error. */
function fail(t: Transition, state: CompiledParallel, error: string, cause: string | undefined): Promise<void> {
  // A States.Runtime error fails the execution at once: the service records no ParallelStateFailed for it.
  if (error !== StatesErrorName.Runtime) t.record('ParallelStateFailed');
  abortChildren(t);
  return t.raise(new StatesError(error, cause), state);
}

async function receiveOther(t: Transition, state: CompiledParallel, message: Message): Promise<void> {
  const failure = resumeFailure(t, message);
  if (failure) return fail(t, state, failure.error, failure.cause);
  const progress = t.frame.children;
  if (message.type === 'Timer') {
    if (message.timer === 'Retry' && t.frame.phase === FramePhase.RETRY_WAIT) await start(t, state);
    return;
  }
  if (message.type === 'ChildrenRedriven') {
    const restart = redriven(t, message);
    if (!restart) return;
    const now = t.frame.children!;
    if (restart.length > 0) t.effect({ type: 'StartFrames', frames: restart.map((i) => restartedChild(newChild(t, state.branches[i], now.run, i, now.effectiveInput))) });
    if (now.succeeded === now.total) collect(t);
    return;
  }
  if (!progress || message.type !== 'ChildrenCollected' || message.run !== progress.run || t.frame.phase !== FramePhase.COLLECTING) return;
  t.record('ParallelStateSucceeded');
  try {
    t.leave(await state.flow.finish(t.frame.input, progress.effectiveInput, message.outputs, t.env()));
  } catch (err) {
    await t.raise(err, state);
  }
}
