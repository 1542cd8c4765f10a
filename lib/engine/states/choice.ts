/** Choice: "adds branching logic to a state machine". */
import { chain, isPromise, rethrow, type Awaitable } from '../../asl/awaitable';
import type { EvalEnv } from '../../asl/env';
import { StatesError, StatesErrorName } from '../../asl/errors';
import type { JsonValue } from '../../asl/json';
import type { CompiledChoice, StateDataFlow } from '../../asl/model';
import type { StateHandler } from './handler';

interface Branch {
  next: string;
  flow: StateDataFlow;
}

/**
 * "the interpreter ... consider[s] the Choice Rules in array order ... and
 * transitions to the first match"; "If no Choice Rule matches and no
 * Default ... the interpreter raises a States.NoChoiceMatched error".
 * Rules are evaluated synchronously until one returns a promise.
 */
function pick(state: CompiledChoice, from: number, effective: JsonValue, env: EvalEnv): Awaitable<Branch> {
  for (let i = from; i < state.choices.length; i++) {
    const rule = state.choices[i];
    const matched = rule.condition.evaluate(effective, env);
    if (isPromise(matched)) {
      return matched.then((yes) => (yes ? { next: rule.next, flow: rule.flow ?? state.flow } : pick(state, i + 1, effective, env)));
    }
    if (matched) return { next: rule.next, flow: rule.flow ?? state.flow };
  }
  if (state.default !== undefined) return { next: state.default, flow: state.flow };
  throw new StatesError(StatesErrorName.NoChoiceMatched, 'No Matches!');
}

export const choiceHandler: StateHandler<CompiledChoice> = {
  enter(t, state) {
    const env = t.env();
    const raw = t.frame.input;
    return chain(
      () =>
        chain(
          () => state.flow.effectiveInput(raw, env),
          (effective) =>
            chain(
              () => pick(state, 0, effective, env),
              (branch) => chain(() => branch.flow.finish(raw, effective, effective, env), (outcome) => ({ outcome, next: branch.next }), rethrow),
              rethrow,
            ),
          rethrow,
        ),
      ({ outcome, next }) => t.leave(outcome, next),
      (err) => t.raise(err),
    );
  },
};
