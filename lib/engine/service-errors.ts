/**
 * Errors of the service API (not of a workflow): each carries the exception
 * name the Step Functions API uses, so the HTTP front door can return it as
 * `__type` and the SDK raises its typed exception.
 */

/** The exception names Step Functions' API answers with (its API model's error shapes, and the protocol's own). */
export const ServiceErrorName = {
  /** The caller's policies do not allow the action on the resource (lib/service/api/authorization). */
  AccessDeniedException: 'AccessDeniedException',
  ActivityDoesNotExist: 'ActivityDoesNotExist',
  ConflictException: 'ConflictException',
  ExecutionAlreadyExists: 'ExecutionAlreadyExists',
  ExecutionDoesNotExist: 'ExecutionDoesNotExist',
  ExecutionNotRedrivable: 'ExecutionNotRedrivable',
  /** The protocol's answer to a failure of Switchyard itself (status 500). */
  InternalServerError: 'InternalServerError',
  InvalidArn: 'InvalidArn',
  InvalidDefinition: 'InvalidDefinition',
  InvalidEncryptionConfiguration: 'InvalidEncryptionConfiguration',
  InvalidExecutionInput: 'InvalidExecutionInput',
  InvalidLoggingConfiguration: 'InvalidLoggingConfiguration',
  InvalidName: 'InvalidName',
  InvalidOutput: 'InvalidOutput',
  InvalidToken: 'InvalidToken',
  MissingRequiredParameter: 'MissingRequiredParameter',
  ResourceNotFound: 'ResourceNotFound',
  SerializationException: 'SerializationException',
  StateMachineAlreadyExists: 'StateMachineAlreadyExists',
  StateMachineDoesNotExist: 'StateMachineDoesNotExist',
  StateMachineTypeNotSupported: 'StateMachineTypeNotSupported',
  TaskDoesNotExist: 'TaskDoesNotExist',
  TaskTimedOut: 'TaskTimedOut',
  TooManyTags: 'TooManyTags',
  UnknownOperationException: 'UnknownOperationException',
  ValidationException: 'ValidationException',
} as const;

/** One of the exception names in {@link ServiceErrorName}: a misspelt name does not compile. */
export type ServiceErrorName = (typeof ServiceErrorName)[keyof typeof ServiceErrorName];

export class ServiceError extends Error {
  declare readonly name: ServiceErrorName;
  /** HTTP status the API returns with it. */
  readonly statusCode: number;
  /** `cause`: the error that led to it, when there is one (kept, not shown to the caller). */
  constructor(name: ServiceErrorName, message: string, statusCode = 400, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
    this.statusCode = statusCode;
  }
}
