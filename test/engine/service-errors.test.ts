import { ServiceError, ServiceErrorName } from '../../lib/engine/service-errors';

describe('ServiceError', () => {
  it('carries the API name, the message, status 400 by default, and the cause it was given', () => {
    const cause = new SyntaxError('Unexpected token');
    const err = new ServiceError(ServiceErrorName.InvalidExecutionInput, 'Invalid execution input', 400, { cause });
    expect({ name: err.name, message: err.message, statusCode: err.statusCode, cause: err.cause }).toEqual({ name: 'InvalidExecutionInput', message: 'Invalid execution input', statusCode: 400, cause });
    expect(new ServiceError('TaskTimedOut', 'late').statusCode).toBe(400);
  });

  it('names every exception by its own name', () => {
    for (const [key, value] of Object.entries(ServiceErrorName)) expect(value).toBe(key);
  });
});
