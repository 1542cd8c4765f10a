/** Choice: "adds branching logic to a state machine". */
import { isPromise, type Awaitable } from '../../asl/awaitable';
import type { EvalEnv } from '../../asl/env';
import { StatesError, StatesErrorName } from '../../asl/errors';
import type { JsonValue } from '../../asl/json';
import type { CompiledChoice } from '../../asl/model';
import type { Transition } from '../transition';
import type { StateHandler } from './handler';

/** The default branch, when {@link pick} found no matching rule. */
const DEFAULT = -1;

/**
 * "the interpreter ... consider[s] the Choice Rules in array order ... and
 * transitions to the first match"; "If no Choice Rule matches and no
 * Default ... the interpreter raises a States.NoChoiceMatched error".
 * Returns the index of the matching rule, or DEFAULT. Rules are evaluated
 * synchronously until one returns a promise.
 */
function pick(state: CompiledChoice, from: number, effective: JsonValue, env: EvalEnv): Awaitable<number> {
  for (let i = from; i < state.choices.length; i++) {
    const matched = state.choices[i].condition.evaluate(effective, env);
    if (isPromise(matched)) return matched.then((yes) => (yes ? i : pick(state, i + 1, effective, env)));
    if (matched) return i;
  }
  if (state.default !== undefined) return DEFAULT;
  throw new StatesError(StatesErrorName.NoChoiceMatched, 'No Matches!');
}

/** Leaves by the chosen branch: its rule's Output/Assign (JSONata) or the state's, then its Next. */
function leaveBy(t: Transition, state: CompiledChoice, chosen: number, raw: JsonValue, effective: JsonValue, env: EvalEnv): Awaitable<void> {
  const rule = chosen === DEFAULT ? undefined : state.choices[chosen];
  const next = rule ? rule.next : state.default!;
  const outcome = (rule?.flow ?? state.flow).finish(raw, effective, effective, env);
  if (isPromise(outcome)) return outcome.then((o) => t.leave(o, next));
  t.leave(outcome, next);
}

function choose(t: Transition, state: CompiledChoice, raw: JsonValue, effective: JsonValue, env: EvalEnv): Awaitable<void> {
  const chosen = pick(state, 0, effective, env);
  if (isPromise(chosen)) return chosen.then((c) => leaveBy(t, state, c, raw, effective, env));
  return leaveBy(t, state, chosen, raw, effective, env);
}

// Plain control flow rather than nested callbacks: a Choice loop runs this once per iteration.
export const choiceHandler: StateHandler<CompiledChoice> = {
  enter(t, state) {
    const env = t.env();
    const raw = t.frame.input;
    try {
      const effective = state.flow.effectiveInput(raw, env);
      const done = isPromise(effective) ? effective.then((e) => choose(t, state, raw, e, env)) : choose(t, state, raw, effective, env);
      if (isPromise(done)) return done.catch((err: unknown) => t.raise(err));
    } catch (err) {
      return t.raise(err);
    }
  },
};
