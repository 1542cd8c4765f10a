/**
 * The faults the harness injects around one I/O call, drawn from a seeded
 * random: a throttling error (the call never happens), a crash of the
 * handler before or after the call, and a lost response (the call took
 * effect but the caller sees an error and carries on). Every error it throws
 * is remembered, so a client that retries (as the harness's own callers do)
 * can tell an injected fault from a real failure.
 */
import { seededRandom } from '../lib/asl/random';

/** A simulated crash of the handler: the invocation ends, nothing after it happens. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = 'SimulatedCrash';
  }
}

/** A simulated throttling error, as DynamoDB and SQS return under load (the in-memory ports' stand-in for the SDK's). */
export class SimulatedThrottle extends Error {
  constructor(call: string) {
    super(`Rate exceeded (${call})`);
    this.name = 'ThrottlingException';
  }
}

/** The call took effect, but its response never reached the caller (a socket timeout, as the SDK reports it). */
export class SimulatedLostResponse extends Error {
  constructor(call: string) {
    super(`Connection timed out after the request was sent (${call})`);
    this.name = 'TimeoutError';
  }
}

export interface FaultRates {
  /** Per I/O call: the handler dies before the call. */
  crashBefore: number;
  /** Per I/O call: the call takes effect, then the handler dies. */
  crashAfter: number;
  /** Per I/O call: the call is throttled and fails. */
  throttle: number;
  /** Per I/O call: the call takes effect, then the caller sees an error (and goes on). */
  lostResponse: number;
  /** Per message sent: it is delivered twice. */
  duplicate: number;
  /** Per message sent: it is delayed by 1–10 extra seconds. */
  delay: number;
  /** Per receive: the queue's order is shuffled. */
  reorder: number;
  /** Per handler invocation: its container is replaced by a new one, with cold caches. */
  restart: number;
}

export const DEFAULT_RATES: FaultRates = {
  crashBefore: 0.01,
  crashAfter: 0.01,
  throttle: 0.02,
  lostResponse: 0.005,
  duplicate: 0.05,
  delay: 0.05,
  reorder: 0.2,
  restart: 0.02,
};

/** The fault counters, by kind, as the report prints them. */
export type FaultCounts = Record<'crash_before_io' | 'crash_after_io' | 'throttle' | 'lost_response' | 'duplicate' | 'delay' | 'reorder' | 'restart', number>;

/** Which faults one call may suffer. */
export interface CallFaults {
  /** @default true */
  throttles?: boolean;
  /** @default true */
  losesResponse?: boolean;
}

/** Draws faults from one seeded random and counts them. */
export class FaultInjector {
  readonly random: () => number;
  readonly counts: FaultCounts = { crash_before_io: 0, crash_after_io: 0, throttle: 0, lost_response: 0, duplicate: 0, delay: 0, reorder: 0, restart: 0 };
  /** Off while the harness reads its results. */
  enabled = true;
  private readonly injected = new WeakSet<object>();

  constructor(
    seed: string,
    readonly rates: FaultRates,
    /** The throttling error of the service behind `call`, as its client raises it. */
    private readonly throttleError: (call: string) => Error = (call) => new SimulatedThrottle(call),
  ) {
    this.random = seededRandom(seed);
  }

  /** True with probability `rate` while faults are on; counts the fault under `kind`. */
  draw(rate: number, kind: keyof FaultCounts): boolean {
    if (!this.enabled || !(this.random() < rate)) return false;
    this.counts[kind]++;
    return true;
  }

  /** Whether `err` is one this injector threw. */
  isInjected(err: unknown): boolean {
    return typeof err === 'object' && err !== null && this.injected.has(err);
  }

  private fail(err: Error): never {
    this.injected.add(err);
    throw err;
  }

  /** Runs one I/O call with the faults it may suffer. */
  async around<T>(call: string, run: () => Promise<T>, faults: CallFaults = {}): Promise<T> {
    if ((faults.throttles ?? true) && this.draw(this.rates.throttle, 'throttle')) this.fail(this.throttleError(call));
    if (this.draw(this.rates.crashBefore, 'crash_before_io')) this.fail(new SimulatedCrash(`before ${call}`));
    const result = await run();
    if (this.draw(this.rates.crashAfter, 'crash_after_io')) this.fail(new SimulatedCrash(`after ${call}`));
    if ((faults.losesResponse ?? true) && this.draw(this.rates.lostResponse, 'lost_response')) this.fail(new SimulatedLostResponse(call));
    return result;
  }
}
