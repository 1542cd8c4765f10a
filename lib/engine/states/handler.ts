import type { Awaitable } from '../../asl/awaitable';
import type { CompiledState, StateType } from '../../asl/model';
import type { Message } from '../messages';
import type { Transition } from '../transition';

/** How one state type behaves. `step` dispatches through a table of these, one per `Type`. */
export interface StateHandler<S extends CompiledState> {
  /** Runs the state right after its Entered event. */
  enter(t: Transition, state: S): Awaitable<void>;
  /** Handles any later message for this state entry (task results, timers, children). Messages it does not expect are ignored. */
  receive?(t: Transition, state: S, message: Message): Awaitable<void>;
}

/** The exhaustive handler table: adding a state type does not compile until it is handled here. */
export type StateHandlers = { [K in StateType]: StateHandler<Extract<CompiledState, { type: K }>> };
