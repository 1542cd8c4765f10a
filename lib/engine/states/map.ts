/**
 * Map: "run a set of workflow steps for each item in a dataset". Iterations
 * are child frames started up to MaxConcurrency at a time ("0 ... places no
 * limit"); the output is "an array ... one element per item", in item order.
 */
import { StatesError, StatesErrorName } from '../../asl/errors';
import { isPromise, type Awaitable } from '../../asl/awaitable';
import type { JsonValue } from '../../asl/json';
import type { CompiledMap } from '../../asl/model';
import { FramePhase, progressWith, type Frame } from '../frame';
import { mapIterationEvent } from '../events';
import type { ChildCompletedMessage, Message } from '../messages';
import { toStatesError, type Transition } from '../transition';
import { abortChildren, childId, collect, cutShort, markCompleted, progressAfter, newChild, nextRun, redriven, receiveWithChildren, restartedChild, resumeFailure } from './children';
import { maxConcurrencyOf, nonNegative, toleratedCountOf, toleratedPercentageOf } from './map-limits';
import { childExecutionArn, childRecords, exportObjects, mapRunArn, transform } from './result-writer';
import type { StateHandler } from './handler';
import { freeSlots, holdRedrives, releaseRedrives } from './held-redrives';
import { rerunChild } from '../map-run-redrive';

async function batch(t: Transition, state: CompiledMap, items: JsonValue[], effective: JsonValue): Promise<JsonValue[]> {
  const batcher = state.itemBatcher;
  if (!batcher) return items;
  const maxItems = (await nonNegative(batcher.maxItemsPerBatch, effective, t)) ?? Number.MAX_SAFE_INTEGER;
  const maxBytes = (await nonNegative(batcher.maxInputBytesPerBatch, effective, t)) ?? 256 * 1024;
  const batchInput = batcher.batchInput ? await batcher.batchInput.evaluate(effective, t.env()) : undefined;
  const batches: JsonValue[] = [];
  let current: JsonValue[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item));
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      batches.push(batchInput === undefined ? { Items: current } : { BatchInput: batchInput, Items: current });
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(batchInput === undefined ? { Items: current } : { BatchInput: batchInput, Items: current });
  return batches;
}

/** Starts iterations while MaxConcurrency (and the driver's childWindow) allows; synchronous unless an ItemSelector is JSONata. */
function launch(t: Transition, state: CompiledMap): Awaitable<void> {
  const progress = t.frame.children!;
  const items = progress.items!;
  const running = progress.started - progress.succeeded - progress.failed;
  let limit = progress.maxConcurrency === 0 ? progress.total : Math.min(progress.total, progress.started + progress.maxConcurrency - running);
  // Within the driver's window past the first iteration not yet done: each completion that moves it on starts more.
  if (t.childWindow !== undefined && state.mode !== 'DISTRIBUTED') limit = Math.min(limit, (progress.doneBelow ?? 0) + t.childWindow);
  if (limit <= progress.started) return;
  const frames: Frame[] = [];
  const started = (index: number, input: JsonValue): void => {
    frames.push(startIteration(t, state, progress.run, index, input));
  };
  const done = (): void => {
    t.frame.children = progressWith(progress, { started: limit });
    t.effect({ type: 'StartFrames', frames });
  };
  for (let index = progress.started; index < limit; index++) {
    const item = items[index];
    const input = state.itemInput(progress.effectiveInput, item, index, t.env({ mapItem: { index, value: item } }));
    if (isPromise(input)) return finishAsync(index, input);
    started(index, input);
  }
  done();

  async function finishAsync(from: number, first: Promise<JsonValue>): Promise<void> {
    started(from, await first);
    for (let index = from + 1; index < limit; index++) {
      const item = items[index];
      started(index, await state.itemInput(progress.effectiveInput, item, index, t.env({ mapItem: { index, value: item } })));
    }
    done();
  }
}

/**
 * An iteration's frame and, INLINE, its MapIterationStarted. A DISTRIBUTED
 * Map's iteration is a child execution of the Map Run with a history of its
 * own; the parent's history holds the Map Run's events, not one per item.
 */
function startIteration(t: Transition, state: CompiledMap, run: number, index: number, input: JsonValue): Frame {
  if (state.mode !== 'DISTRIBUTED') {
    t.emit(mapIterationEvent('MapIterationStarted', state.name, index, t.frame.id, t.now));
    return newChild(t, state.processor, run, index, input);
  }
  const runArn = mapRunArn(t, state, run);
  return newChild(t, state.processor, run, index, input, { arn: childExecutionArn(t, state, runArn, index), mapRunArn: runArn });
}

/**
 * An INLINE Map's iteration event (a DISTRIBUTED Map's iterations are child
 * executions: see startIteration); `follows`: the iteration frame whose last event it follows.
 */
function iterationEvent(t: Transition, state: CompiledMap, type: 'MapIterationSucceeded' | 'MapIterationFailed' | 'MapIterationAborted', index: number, follows?: string): void {
  if (state.mode !== 'DISTRIBUTED') t.emit(mapIterationEvent(type, state.name, index, t.frame.id, t.now, follows));
}

/**
 * The iterations an iteration's end let start follow its last event, as its
 * MapIterationSucceeded does: Step Functions links MapIterationStarted of
 * the next item to the previous iteration's last state event.
 */
function followEnded(t: Transition, from: number, ended: string): void {
  for (let i = from; i < t.events.length; i++) {
    const e = t.events[i];
    if (e.type === 'MapIterationStarted') e.follows = ended;
  }
}

async function startWithItems(t: Transition, state: CompiledMap, effective: JsonValue, rawItems: JsonValue[]): Promise<void> {
  const maxConcurrency = await maxConcurrencyOf(state.maxConcurrency, effective, t);
  const items = await batch(t, state, rawItems, effective);
  let toleratedFailures = 0;
  if (state.mode === 'DISTRIBUTED') {
    const count = await toleratedCountOf(state.toleratedFailureCount, effective, t);
    const percent = await toleratedPercentageOf(state.toleratedFailurePercentage, effective, t);
    const fromPercent = percent === undefined ? 0 : Math.floor((items.length * percent) / 100);
    toleratedFailures = Math.max(count ?? 0, fromPercent);
  }
  t.record('MapStateStarted', { length: items.length });
  // Items read by an ItemReader start the run begun before reading; a retry starts a run of its own (new child frames).
  const run = t.frame.phase === FramePhase.READING_ITEMS && t.frame.children ? t.frame.children.run : nextRun(t);
  if (state.mode === 'DISTRIBUTED') t.record('MapRunStarted', { mapRunArn: mapRunArn(t, state, run) });
  t.frame.phase = FramePhase.CHILDREN;
  t.frame.children = progressWith({
    run,
    total: items.length,
    started: 0,
    succeeded: 0,
    failed: 0,
    maxConcurrency,
    toleratedFailures,
    items,
    effectiveInput: effective,
  });
  if (items.length === 0) collect(t, state.resultWriter !== undefined);
  else await launch(t, state);
}

async function start(t: Transition, state: CompiledMap): Promise<void> {
  try {
    const env = t.env();
    const effective = await state.flow.effectiveInput(t.frame.input, env);
    if (state.itemReader) {
      const reader = await state.itemReader.evaluate(effective, env);
      t.frame.phase = FramePhase.READING_ITEMS;
      t.frame.children = progressWith({ run: nextRun(t), total: 0, started: 0, succeeded: 0, failed: 0, maxConcurrency: 0, toleratedFailures: 0, effectiveInput: effective });
      t.effect({ type: 'ReadItems', frameId: t.frame.id, entry: t.frame.entry, reader });
      return;
    }
    await startWithItems(t, state, effective, await state.items.read(effective, t.frame.input, env));
  } catch (err) {
    // A Map whose own evaluation fails (Items not an array) records MapStateFailed, as Step Functions does
    // (test_map_state_items_eval_jsonata_fail); a States.Runtime error fails the execution at once, without it.
    await t.raise(err, state, () => {
      if (toStatesError(err).error !== StatesErrorName.Runtime) t.record('MapStateFailed');
    });
  }
}

/** The Map fails with `error`; iterations still running are cut short first (ABORTING), and it fails once they are. */
async function fail(t: Transition, state: CompiledMap, error: StatesError): Promise<void> {
  if (!cutShort(t, error.error, error.causeText)) await failNow(t, state, error);
}

async function failNow(t: Transition, state: CompiledMap, error: StatesError): Promise<void> {
  // The iterations still running are stopped with the state.
  const progress = t.frame.children;
  if (progress && t.frame.phase === FramePhase.CHILDREN) {
    const above = new Set(progress.doneAbove ?? []);
    for (let index = progress.doneBelow ?? 0; index < progress.started; index++) {
      if (!above.has(index)) iterationEvent(t, state, 'MapIterationAborted', index);
    }
  }
  // As Step Functions records it: the Map Run ends before the Map state.
  if (state.mode === 'DISTRIBUTED') t.record('MapRunFailed', { error: error.error, ...(error.causeText ? { cause: error.causeText } : {}) });
  abortChildren(t);
  // A Map its Retry runs again records no MapStateFailed: MapIterationFailed, then MapStateStarted (test_map_state_retry).
  await t.raise(error, state, () => t.record('MapStateFailed'));
}

/** The Map's result is ready: its events, then ResultSelector/ResultPath/OutputPath as for any result. */
async function finish(t: Transition, state: CompiledMap, result: JsonValue): Promise<void> {
  const progress = t.frame.children!;
  if (state.mode === 'DISTRIBUTED') t.record('MapRunSucceeded');
  t.record('MapStateSucceeded');
  try {
    t.leave(await state.flow.finish(t.frame.input, progress.effectiveInput, result, t.env()));
  } catch (err) {
    await t.raise(err, state);
  }
}

/**
 * An iteration ended: count it, then collect, launch more, or fail the Map.
 * Synchronous unless failing or a JSONata ItemSelector needs a promise — a
 * Map of 10,000 items receives this 10,000 times.
 */
function childCompleted(t: Transition, state: CompiledMap, message: ChildCompletedMessage): Awaitable<void> {
  const progress = t.frame.children;
  if (t.frame.phase !== FramePhase.CHILDREN || !progress || message.run !== progress.run) return;
  const done = markCompleted(progress, message.index);
  if (!done) return;
  t.countCompletion(message);
  // "MapIterationSucceeded … previousEventId": the iteration's last event (LocalStack's recordings of Step Functions).
  const ended = childId(t.frame, progress.run, message.index);
  if (message.status === 'SUCCEEDED') {
    iterationEvent(t, state, 'MapIterationSucceeded', message.index, ended);
    t.frame.children = progressAfter(progress, done, 'SUCCEEDED');
  } else {
    iterationEvent(t, state, 'MapIterationFailed', message.index, ended);
    t.frame.children = progressAfter(progress, done, 'FAILED');
    if (progress.failed + 1 > progress.toleratedFailures) {
      const error =
        state.mode === 'DISTRIBUTED'
          ? new StatesError(StatesErrorName.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded')
          : // An iteration's Fail state with no Error fails the Map with none, as Step Functions records
            // it (ExecutionFailed with empty details; LocalStack's test_map_state_catch_empty_fail).
            new StatesError(message.error as string, message.cause);
      return fail(t, state, error);
    }
  }
  const now = t.frame.children;
  if (now.succeeded + now.failed === now.total) return collect(t, state.resultWriter !== undefined);
  releaseRedrives(t);
  const from = t.events.length;
  try {
    const rerun = releaseReruns(t, state);
    const launched = isPromise(rerun) ? rerun.then(() => launch(t, state)) : launch(t, state);
    if (isPromise(launched)) return launched.then(() => followEnded(t, from, ended)).catch((err: unknown) => fail(t, state, toStatesError(err)));
  } catch (err) {
    return fail(t, state, toStatesError(err));
  }
  followEnded(t, from, ended);
}

/**
 * Starts held EXPRESS children again while MaxConcurrency allows, each as a
 * new execution from its first state (map-run-redrive.ts rerunChild), before
 * any item that never started. Synchronous unless an ItemSelector is JSONata.
 */
function releaseReruns(t: Transition, state: CompiledMap): Awaitable<void> {
  const progress = t.frame.children;
  const pending = progress?.pendingReruns;
  if (!progress || pending === undefined || pending.length === 0) return;
  const slots = freeSlots(progress, pending.length);
  if (slots === 0) return;
  const rest = pending.slice(slots);
  t.frame.children = progressWith(progress, { pendingReruns: rest.length > 0 ? rest : undefined });
  const frames: Frame[] = [];
  const inputs = pending.slice(0, slots).map((at) => {
    const item = progress.items?.[at.index] ?? null;
    return state.itemInput(progress.effectiveInput, item, at.index, t.env({ mapItem: { index: at.index, value: item } }));
  });
  const started = (values: readonly JsonValue[]): void => {
    values.forEach((input, i) => frames.push(rerunChild(startIteration(t, state, progress.run, pending[i].index, input), pending[i])));
    t.effect({ type: 'StartFrames', frames });
  };
  if (inputs.some(isPromise)) return Promise.all(inputs).then(started);
  started(inputs as JsonValue[]);
}

export const mapHandler: StateHandler<CompiledMap> = {
  enter: start,
  receive: receiveWithChildren(childCompleted, receiveOther),
};

async function receiveOther(t: Transition, state: CompiledMap, message: Message): Promise<void> {
  const progress = t.frame.children;
  switch (message.type) {
    case 'ChildrenAborted': {
      const failure = resumeFailure(t, message);
      if (failure) await failNow(t, state, new StatesError(failure.error, failure.cause));
      return;
    }
    case 'Timer':
      if (message.timer === 'Retry' && t.frame.phase === FramePhase.RETRY_WAIT) await start(t, state);
      return;
    case 'ItemsRead':
      if (t.frame.phase !== FramePhase.READING_ITEMS || !progress) return;
      try {
        if (message.items === undefined) throw new StatesError(message.error ?? StatesErrorName.ItemReaderFailed, message.cause);
        await startWithItems(t, state, progress.effectiveInput, message.items);
      } catch (err) {
        await t.raise(err, state);
      }
      return;
    case 'ChildrenRedriven': {
      const restart = redriven(t, message);
      if (!restart) return;
      holdRedrives(t, message.redrive);
      const now = t.frame.children!;
      try {
        if (restart.length > 0) {
          const frames: Frame[] = [];
          for (const index of restart) {
            const item = now.items?.[index] ?? null;
            const input = await state.itemInput(now.effectiveInput, item, index, t.env({ mapItem: { index, value: item } }));
            frames.push(restartedChild(startIteration(t, state, now.run, index, input)));
          }
          t.effect({ type: 'StartFrames', frames });
        }
        if (message.rerun !== undefined && message.rerun.length > 0) {
          t.frame.children = progressWith(now, { pendingReruns: [...message.rerun] });
          await releaseReruns(t, state);
        }
        if (now.succeeded + now.failed === now.total) collect(t, state.resultWriter !== undefined);
        else await launch(t, state);
      } catch (err) {
        await fail(t, state, toStatesError(err));
      }
      return;
    }
    case 'ChildrenCollected': {
      if (t.frame.phase !== FramePhase.COLLECTING || !progress || message.run !== progress.run) return;
      if (!state.resultWriter) return finish(t, state, message.outputs);
      try {
        const config = await state.resultWriter.evaluate(progress.effectiveInput, t.env());
        const runArn = mapRunArn(t, state, progress.run);
        const details = message.details ?? [];
        const items = progress.items ?? [];
        const inputs: JsonValue[] = [];
        for (let i = 0; i < message.outputs.length; i++) {
          inputs.push(await state.itemInput(progress.effectiveInput, items[i] ?? null, i, t.env({ mapItem: { index: i, value: items[i] ?? null } })));
        }
        const records = childRecords(t, state, runArn, inputs, message.outputs, details);
        const results = transform(records, message.outputs, details, config.transformation);
        if (config.bucket === undefined) return finish(t, state, results);
        t.frame.phase = FramePhase.WRITING_RESULTS;
        t.effect({ type: 'WriteResults', frameId: t.frame.id, entry: t.frame.entry, objects: exportObjects(config, runArn, records, results, details).objects });
      } catch (err) {
        await fail(t, state, toStatesError(err));
      }
      return;
    }
    case 'MapRunUpdated': {
      // UpdateMapRun: the new limits hold from now on; a higher MaxConcurrency starts more iterations at once.
      if (t.frame.phase !== FramePhase.CHILDREN || !progress || message.run !== progress.run) return;
      t.frame.children = progressWith(progress, {
        ...(message.maxConcurrency !== undefined ? { maxConcurrency: message.maxConcurrency } : {}),
        ...(message.toleratedFailures !== undefined ? { toleratedFailures: message.toleratedFailures } : {}),
      });
      releaseRedrives(t);
      try {
        await releaseReruns(t, state);
        await launch(t, state);
      } catch (err) {
        await fail(t, state, toStatesError(err));
      }
      return;
    }
    case 'ResultsWritten': {
      if (t.frame.phase !== FramePhase.WRITING_RESULTS || !progress || !state.resultWriter) return;
      if (message.error !== undefined) return fail(t, state, new StatesError(message.error, message.cause));
      try {
        const config = await state.resultWriter.evaluate(progress.effectiveInput, t.env());
        const runArn = mapRunArn(t, state, progress.run);
        const runId = runArn.slice(runArn.lastIndexOf(':') + 1);
        const key = [config.prefix, runId, 'manifest.json'].filter((p) => p !== undefined && p !== '').join('/');
        await finish(t, state, { MapRunArn: runArn, ResultWriterDetails: { Bucket: config.bucket!, Key: key } });
      } catch (err) {
        await fail(t, state, toStatesError(err));
      }
      return;
    }
    default:
      return;
  }
}
