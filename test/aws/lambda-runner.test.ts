import { lambdaServiceError } from '../../lib/aws/lambda-runner';

// Error paths of the Lambda API, as the SDK raises them (no service needed to shape these).
describe('lambdaServiceError', () => {
  it('names a modelled Lambda exception Lambda.<Name>', () => {
    const err = Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429, requestId: 'r-1' } });
    expect(lambdaServiceError(err)).toEqual({
      error: 'Lambda.TooManyRequestsException',
      cause: 'Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: r-1, Error Code: TooManyRequestsException)',
    });
  });

  it('calls an unnamed 5xx Lambda.ServiceException', () => {
    const err = Object.assign(new Error('Internal failure'), { $metadata: { httpStatusCode: 503 } });
    expect(lambdaServiceError(err).error).toBe('Lambda.ServiceException');
  });

  it('calls anything else (no HTTP response: a network error) Lambda.Unknown', () => {
    expect(lambdaServiceError(new Error('socket hang up'))).toEqual({
      error: 'Lambda.Unknown',
      cause: 'socket hang up (Service: Lambda, Status Code: 0, Request ID: null, Error Code: Unknown)',
    });
  });
});
