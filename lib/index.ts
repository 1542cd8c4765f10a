/**
 * Switchyard's public API: the in-process runtime, the compiler and
 * validator, the error model and the engine's pure step function.
 */
export * from './local';
export { compileStateMachine, parseDefinitionText } from './asl/compile';
export { validateDefinition } from './asl/validate';
export { DefinitionSyntaxError, InvalidDefinitionError, type Diagnostic } from './asl/diagnostics';
export {
  StatesError,
  StatesErrorName,
  StatesRuntimeError,
  IntrinsicFailure,
  ResultPathMatchFailure,
  QueryEvaluationError,
  matchesErrorEquals,
  type ErrorOutput,
} from './asl/errors';
export type { JsonValue, JsonObject, JsonArray } from './asl/json';
export type { CompiledStateMachine } from './asl/model';
export { ServiceError, ServiceErrorName } from './engine/service-errors';
export type { TaskRunner, TaskInvocation, TaskOutcome } from './engine/ports/task-runner';
