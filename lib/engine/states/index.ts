import { choiceHandler } from './choice';
import type { CompiledState, StateType } from '../../asl/model';
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

/**
 * The handler of a state type. A switch rather than `HANDLERS[type]`: a
 * lookup keyed by eight different names is megamorphic, and this runs for
 * every state entered.
 */
export function handlerFor<S extends CompiledState>(state: S): StateHandler<S> {
  let handler: StateHandlers[StateType];
  switch (state.type) {
    case 'Pass':
      handler = HANDLERS.Pass;
      break;
    case 'Task':
      handler = HANDLERS.Task;
      break;
    case 'Choice':
      handler = HANDLERS.Choice;
      break;
    case 'Wait':
      handler = HANDLERS.Wait;
      break;
    case 'Succeed':
      handler = HANDLERS.Succeed;
      break;
    case 'Fail':
      handler = HANDLERS.Fail;
      break;
    case 'Parallel':
      handler = HANDLERS.Parallel;
      break;
    case 'Map':
      handler = HANDLERS.Map;
      break;
  }
  return handler as unknown as StateHandler<S>;
}

export type { StateHandler, StateHandlers } from './handler';
export { classifyResource } from './task';
