/** Wait: "delays the state machine from continuing for a specified time". */
import { StatesRuntimeError } from '../../asl/errors';
import type { JsonValue } from '../../asl/json';
import type { CompiledWait } from '../../asl/model';
import { FramePhase } from '../frame';
import type { StateHandler } from './handler';

// RFC 3339 as the States Language requires for Timestamp: "an uppercase T ... and an uppercase Z ... or a numeric offset".
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * SecondsPath's checks, in Step Functions' words: the value must parse as a
 * long ("The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5")
 * and must not be negative.
 */
function secondsFromPath(path: string, value: JsonValue | undefined): number {
  const assignment = `${path} == ${typeof value === 'string' ? value : JSON.stringify(value ?? null)}`;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new StatesRuntimeError(`The SecondsPath parameter cannot be parsed as a long value: ${assignment}`);
  }
  if (value < 0) throw new StatesRuntimeError(`The SecondsPath parameter references a negative value: ${assignment}`);
  return value;
}

function toUntil(state: CompiledWait, value: JsonValue | undefined, now: number): number {
  if (state.seconds?.path !== undefined) return now + secondsFromPath(state.seconds.path, value) * 1000;
  if (state.seconds) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new StatesRuntimeError(
        `The ${state.seconds.field} field must be a non-negative integer number of seconds. Received: ${JSON.stringify(value ?? null)}`,
      );
    }
    return now + value * 1000;
  }
  const field = state.timestamp!.field;
  if (typeof value !== 'string' || !RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw new StatesRuntimeError(`The ${field} field must be an RFC3339 timestamp. Received: ${JSON.stringify(value ?? null)}`);
  }
  return Date.parse(value);
}

export const waitHandler: StateHandler<CompiledWait> = {
  async enter(t, state) {
    try {
      const env = t.env();
      const raw = t.frame.input;
      const effective = await state.flow.effectiveInput(raw, env);
      const source = state.seconds ?? state.timestamp!;
      const value = await source.evaluate(effective, env, { input: raw });
      const until = toUntil(state, value, t.now);
      t.frame.phase = FramePhase.WAITING;
      t.frame.waitUntil = until;
      t.timer('Wait', until - t.now);
    } catch (err) {
      await t.raise(err);
    }
  },
  async receive(t, state, message) {
    if (message.type !== 'Timer' || message.timer !== 'Wait' || t.frame.phase !== FramePhase.WAITING) return;
    try {
      const env = t.env();
      const effective = await state.flow.effectiveInput(t.frame.input, env);
      t.leave(await state.flow.finish(t.frame.input, effective, effective, env));
    } catch (err) {
      await t.raise(err);
    }
  },
};
