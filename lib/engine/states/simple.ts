/** Pass, Succeed and Fail: states that finish in the transition that enters them. */
import type { JsonValue } from '../../asl/json';
import type { CompiledFail, CompiledPass, CompiledSucceed } from '../../asl/model';
import type { StateHandler } from './handler';

/** Pass: "passes its input to its output, performing no work" — with Result/Parameters/Output applied. */
export const passHandler: StateHandler<CompiledPass> = {
  async enter(t, state) {
    try {
      const env = t.env();
      const effective = await state.flow.effectiveInput(t.frame.input, env);
      t.leave(await state.flow.finish(t.frame.input, effective, effective, env));
    } catch (err) {
      await t.raise(err);
    }
  },
};

/** Succeed: "terminates a state machine successfully" with its (filtered) input as output. */
export const succeedHandler: StateHandler<CompiledSucceed> = {
  async enter(t, state) {
    try {
      const env = t.env();
      const effective = await state.flow.effectiveInput(t.frame.input, env);
      t.leave(await state.flow.finish(t.frame.input, effective, effective, env), undefined);
    } catch (err) {
      await t.raise(err);
    }
  },
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
