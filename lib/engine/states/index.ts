import { choiceHandler } from './choice';
import { STATE_TYPES, stateTypeIndex, type CompiledState } from '../../asl/model';
import type { StateHandler, StateHandlers } from './handler';
import { mapHandler } from './map';
import { parallelHandler } from './parallel';
import { failHandler, passHandler, succeedHandler } from './simple';
import { taskHandler } from './task';
import { waitHandler } from './wait';

/** One handler per state type; the mapped type makes this table exhaustive. */
export const HANDLERS: StateHandlers = {
  Pass: passHandler,
  Task: taskHandler,
  Choice: choiceHandler,
  Wait: waitHandler,
  Succeed: succeedHandler,
  Fail: failHandler,
  Parallel: parallelHandler,
  Map: mapHandler,
};

/** The handlers in STATE_TYPES order, for {@link handlerFor}. */
const BY_INDEX = STATE_TYPES.map((type) => HANDLERS[type]);

/** The handler of a state's type (by index, not `HANDLERS[type]`: this runs for every state entered). */
export function handlerFor<S extends CompiledState>(state: S): StateHandler<S> {
  return BY_INDEX[stateTypeIndex(state.type)] as unknown as StateHandler<S>;
}

export type { StateHandler, StateHandlers } from './handler';
export { classifyResource } from './task';
