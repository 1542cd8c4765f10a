/**
 * The States error model.
 *
 * "States can encounter runtime errors ... Errors are identified by
 * case-sensitive strings, called error names" (Amazon States Language,
 * Errors). Every failure that a Retry or Catch can see is a {@link StatesError}
 * carrying its error name and cause; it serialises as `{ Error, Cause }`
 * because it crosses queues and Lambda boundaries.
 */

/** The predefined error names of the States Language and Step Functions. */
export const StatesErrorName = {
  ALL: 'States.ALL',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ItemReaderFailed: 'States.ItemReaderFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  ParameterPathFailure: 'States.ParameterPathFailure',
  Permissions: 'States.Permissions',
  QueryEvaluationError: 'States.QueryEvaluationError',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ResultWriterFailed: 'States.ResultWriterFailed',
  Runtime: 'States.Runtime',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
  BranchFailed: 'States.BranchFailed',
} as const;
export type StatesErrorName = (typeof StatesErrorName)[keyof typeof StatesErrorName];

/** The serialised form of an error as it appears in state output and history. */
export interface ErrorOutput {
  Error: string;
  Cause?: string;
}

/**
 * A runtime error a state raised, with its States error name and cause.
 * Subclasses only fix the name; anything can be caught by name.
 */
export class StatesError extends Error {
  /** The States error name, e.g. `States.Timeout` or a task's own error type. */
  readonly error: string;
  /** The human-readable cause, as Step Functions reports it. */
  readonly causeText: string | undefined;

  constructor(error: string, cause?: string) {
    super(cause === undefined ? error : `${error}: ${cause}`);
    this.name = 'StatesError';
    this.error = error;
    this.causeText = cause;
  }

  /** `{ Error, Cause }`, the shape Catch writes into the state output. */
  toErrorOutput(): ErrorOutput {
    return this.causeText === undefined ? { Error: this.error } : { Error: this.error, Cause: this.causeText };
  }

  /** Rebuilds an error that crossed a boundary as `{ Error, Cause }`. */
  static fromErrorOutput(output: ErrorOutput): StatesError {
    return new StatesError(output.Error, output.Cause);
  }
}

/**
 * An error raised while the engine itself evaluated a state's paths,
 * templates, intrinsics or JSONata (as opposed to an error a task reported).
 * Step Functions prefixes their causes with the state and the event id at
 * which it was entered: "An error occurred while executing the state 'X'
 * (entered at the event id #2). ...".
 */
export class StateEvaluationError extends StatesError {
  constructor(error: string, cause: string) {
    super(error, cause);
    this.name = 'StateEvaluationError';
  }
}

/** `States.Runtime`: a failure that no Retry or Catch on `States.ALL` handles. */
export class StatesRuntimeError extends StateEvaluationError {
  constructor(cause: string) {
    super(StatesErrorName.Runtime, cause);
    this.name = 'StatesRuntimeError';
  }
}

/** `States.IntrinsicFailure`: an intrinsic function failed at run time. */
export class IntrinsicFailure extends StateEvaluationError {
  constructor(cause: string) {
    super(StatesErrorName.IntrinsicFailure, cause);
    this.name = 'IntrinsicFailure';
  }
}

/** `States.ParameterPathFailure`: a `.$` path in a payload template matched nothing. */
export class ParameterPathFailure extends StateEvaluationError {
  constructor(cause: string) {
    super(StatesErrorName.ParameterPathFailure, cause);
    this.name = 'ParameterPathFailure';
  }
}

/** `States.ResultPathMatchFailure`: ResultPath cannot be applied to the input. */
export class ResultPathMatchFailure extends StateEvaluationError {
  constructor(cause: string) {
    super(StatesErrorName.ResultPathMatchFailure, cause);
    this.name = 'ResultPathMatchFailure';
  }
}

/** `States.QueryEvaluationError`: a JSONata expression failed or produced an invalid value. */
export class QueryEvaluationError extends StateEvaluationError {
  /**
   * @param location the field of the state whose expression failed
   *   (`Output/v`, `Arguments/MessageBody`, `Items`), as the history's
   *   EvaluationFailed event names it
   */
  constructor(
    cause: string,
    readonly location?: string,
  ) {
    super(StatesErrorName.QueryEvaluationError, cause);
    this.name = 'QueryEvaluationError';
  }
}

/**
 * True when a Retrier's or Catcher's ErrorEquals matches an error name.
 *
 * "The reserved name States.ALL ... matches any Error Name" (States
 * Language, Errors), but Step Functions never lets it catch the terminal
 * `States.Runtime` and `States.DataLimitExceeded`. "States.TaskFailed ...
 * acts as a wildcard that matches any known error except for States.Timeout"
 * (Step Functions developer guide, Error names).
 */
export function matchesErrorEquals(errorEquals: readonly string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === StatesErrorName.ALL || name === StatesErrorName.TaskFailed) {
      if (isTerminalError(error)) continue;
      if (name === StatesErrorName.TaskFailed && error === StatesErrorName.Timeout) continue;
      return true;
    }
  }
  return false;
}

/** Errors that no wildcard catches: they always fail the execution unless named explicitly. */
export function isTerminalError(error: string): boolean {
  return error === StatesErrorName.Runtime || error === StatesErrorName.DataLimitExceeded;
}
