/**
 * Errors of the service API (not of a workflow): each carries the exception
 * name the Step Functions API uses, so the HTTP front door can return it as
 * `__type` and the SDK raises its typed exception.
 */
export class ServiceError extends Error {
  /** HTTP status the API returns with it. */
  readonly statusCode: number;
  constructor(name: string, message: string, statusCode = 400) {
    super(message);
    this.name = name;
    this.statusCode = statusCode;
  }
}

export const ServiceErrorName = {
  TaskDoesNotExist: 'TaskDoesNotExist',
  InvalidToken: 'InvalidToken',
  TaskTimedOut: 'TaskTimedOut',
  ExecutionDoesNotExist: 'ExecutionDoesNotExist',
  StateMachineDoesNotExist: 'StateMachineDoesNotExist',
  StateMachineAlreadyExists: 'StateMachineAlreadyExists',
  StateMachineTypeNotSupported: 'StateMachineTypeNotSupported',
  ResourceNotFound: 'ResourceNotFound',
  TooManyTags: 'TooManyTags',
  ConflictException: 'ConflictException',
  ExecutionNotRedrivable: 'ExecutionNotRedrivable',
  ValidationException: 'ValidationException',
  ExecutionAlreadyExists: 'ExecutionAlreadyExists',
  ActivityDoesNotExist: 'ActivityDoesNotExist',
  InvalidDefinition: 'InvalidDefinition',
  InvalidExecutionInput: 'InvalidExecutionInput',
  InvalidName: 'InvalidName',
  InvalidArn: 'InvalidArn',
} as const;
