/** Choice: "adds branching logic to a state machine". */
import { StatesError, StatesErrorName } from '../../asl/errors';
import type { CompiledChoice } from '../../asl/model';
import type { StateHandler } from './handler';

export const choiceHandler: StateHandler<CompiledChoice> = {
  async enter(t, state) {
    try {
      const env = t.env();
      const raw = t.frame.input;
      const effective = await state.flow.effectiveInput(raw, env);
      // "the interpreter ... consider[s] the Choice Rules in array order ... and transitions to the first match".
      for (const rule of state.choices) {
        if (await rule.condition.evaluate(effective, env)) {
          t.leave(await (rule.flow ?? state.flow).finish(raw, effective, effective, env), rule.next);
          return;
        }
      }
      if (state.default !== undefined) {
        t.leave(await state.flow.finish(raw, effective, effective, env), state.default);
        return;
      }
      // "If no Choice Rule matches and no Default ... the interpreter raises a States.NoChoiceMatched error".
      throw new StatesError(StatesErrorName.NoChoiceMatched, `No Matches!`);
    } catch (err) {
      await t.raise(err);
    }
  },
};
