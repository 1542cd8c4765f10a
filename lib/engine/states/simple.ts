/** Pass, Succeed and Fail: states that finish in the transition that enters them. */
import type { JsonValue } from '../../asl/json';
import type { CompiledFail, CompiledPass, CompiledSucceed } from '../../asl/model';
import { isPromise, type Awaitable } from '../../asl/awaitable';
import type { Transition } from '../transition';
import type { StateHandler } from './handler';

/** Runs a state's processing on its input and leaves to `next` — synchronously unless the processing is asynchronous (JSONata). */
function passThrough(t: Transition, state: CompiledPass | CompiledSucceed, next: string | undefined): Awaitable<void> {
  const env = t.env();
  const raw = t.frame.input;
  const flow = state.flow;
  try {
    const effective = flow.effectiveInput(raw, env);
    if (isPromise(effective)) {
      return effective.then((e) => flow.finish(raw, e, e, env)).then((o) => t.leave(o, next)).catch((err: unknown) => t.raise(err));
    }
    const outcome = flow.finish(raw, effective, effective, env);
    if (isPromise(outcome)) return outcome.then((o) => t.leave(o, next)).catch((err: unknown) => t.raise(err));
    t.leave(outcome, next);
  } catch (err) {
    return t.raise(err);
  }
}

/** Pass: "passes its input to its output, performing no work" — with Result/Parameters/Output applied. */
export const passHandler: StateHandler<CompiledPass> = {
  enter: (t, state) => passThrough(t, state, state.next),
};

/** Succeed: "terminates a state machine successfully" with its (filtered) input as output. */
export const succeedHandler: StateHandler<CompiledSucceed> = {
  enter: (t, state) => passThrough(t, state, undefined),
};

function asOptionalString(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Fail: "stops the execution of the state machine and marks it as a failure" with Error and Cause. */
export const failHandler: StateHandler<CompiledFail> = {
  async enter(t, state) {
    try {
      const env = t.env();
      const input = t.frame.input;
      const states = { input };
      const error = state.error ? await state.error.evaluate(input, env, states) : undefined;
      const cause = state.cause ? await state.cause.evaluate(input, env, states) : undefined;
      t.failFrame(asOptionalString(error) as string, asOptionalString(cause));
    } catch (err) {
      await t.raise(err);
    }
  },
};
