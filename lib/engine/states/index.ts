import { choiceHandler } from './choice';
import type { StateHandlers } from './handler';
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

export type { StateHandler, StateHandlers } from './handler';
export { classifyResource } from './task';
