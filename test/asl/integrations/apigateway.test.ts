/**
 * `arn:aws:states:::apigateway:invoke` as the language sees it: the static
 * parameters validation refuses (developer guide, "Call API Gateway with
 * Step Functions": ApiEndpoint `<API ID>.execute-api.<region>.amazonaws.com`,
 * Method one of seven, AuthType NO_AUTH / IAM_ROLE / RESOURCE_POLICY, the
 * headers "not currently permitted"), and the `execute-api:Invoke` grant an
 * IAM_ROLE task's role needs, on the method it calls.
 */
import type { Diagnostic } from '../../../lib/asl/diagnostics';
import { taskGrants } from '../../../lib/asl/integrations';
import { validateDefinition } from '../../../lib/asl/validate';

const ENDPOINT = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
const task = (Parameters: unknown, Resource = 'arn:aws:states:::apigateway:invoke') => ({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource, Parameters, End: true } } });
const errors = (definition: unknown): Pick<Diagnostic, 'code' | 'location' | 'message'>[] => validateDefinition(definition).map(({ code, location, message }) => ({ code, location, message }));

describe('validating apigateway:invoke parameters', () => {
  it('accepts the developer guide’s example, request-response and with a task token', () => {
    const parameters = { ApiEndpoint: ENDPOINT, Method: 'GET', Headers: { key: ['value1', 'value2'] }, Stage: 'prod', Path: 'bills', QueryParameters: { billId: ['123456'] }, RequestBody: {}, AuthType: 'NO_AUTH' };
    expect(errors(task(parameters))).toEqual([]);
    expect(errors(task({ ...parameters, Method: 'POST', Headers: { 'TaskToken.$': 'States.Array($$.Task.Token)' } }, 'arn:aws:states:::apigateway:invoke.waitForTaskToken'))).toEqual([]);
  });

  it('leaves values chosen at run time to the run', () => {
    expect(errors(task({ 'ApiEndpoint.$': '$.api', 'Method.$': '$.method', 'AuthType.$': '$.auth' }))).toEqual([]);
  });

  it('refuses a missing Method, an endpoint that is no API Gateway host, an unknown AuthType and a forbidden header, each at its field', () => {
    expect(errors(task({ ApiEndpoint: 'https://api.example.com/prod', AuthType: 'IAM_AUTH', Headers: { Authorization: ['Bearer x'], 'X-Amz-Date.$': '$.d' } }))).toEqual([
      {
        code: 'SCHEMA_VALIDATION_FAILED',
        location: '/States/Call/Parameters/ApiEndpoint',
        message: 'The API Gateway task\'s ApiEndpoint must be the host name of an API Gateway URL, <API ID>.execute-api.<region>.amazonaws.com, got "https://api.example.com/prod".',
      },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/Call/Parameters/Method', message: "The field 'Method' is required for arn:aws:states:::apigateway:invoke." },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/Call/Parameters/AuthType', message: 'The value for the field \'AuthType\' must be one of NO_AUTH, IAM_ROLE, RESOURCE_POLICY, got "IAM_AUTH".' },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/Call/Parameters/Headers', message: "The header 'Authorization' is not permitted in an API Gateway task." },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/Call/Parameters/Headers', message: "The header 'X-Amz-Date' is not permitted in an API Gateway task." },
    ]);
  });

  it('refuses a Method outside the seven', () => {
    expect(errors(task({ ApiEndpoint: ENDPOINT, Method: 'TRACE' }))).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/Call/Parameters/Method', message: 'The value for the field \'Method\' must be one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, got "TRACE".' },
    ]);
  });
});

describe('the grant of apigateway:invoke', () => {
  it('grants an IAM_ROLE task execute-api:Invoke on the stage, method and path it calls', () => {
    expect(taskGrants('Call', 'arn:aws:states:::apigateway:invoke', { ApiEndpoint: ENDPOINT, Method: 'POST', Stage: 'prod', Path: '/bills/add', AuthType: 'IAM_ROLE' })).toEqual([
      { state: 'Call', actions: ['execute-api:Invoke'], resource: { service: 'execute-api', region: 'eu-west-1', resource: 'a1b2c3d4e5/prod/POST/bills/add' } },
    ]);
  });

  it('widens the parts chosen at run time (or left out) to a wildcard', () => {
    expect(taskGrants('Call', 'arn:aws:states:::apigateway:invoke.waitForTaskToken', { ApiEndpoint: ENDPOINT, 'Method.$': '$.m', 'Path.$': '$.p', AuthType: 'IAM_ROLE' })).toEqual([
      { state: 'Call', actions: ['execute-api:Invoke'], resource: { service: 'execute-api', region: 'eu-west-1', resource: 'a1b2c3d4e5/*/*/*' } },
    ]);
    expect(taskGrants('Call', 'arn:aws:states:::apigateway:invoke', { 'ApiEndpoint.$': '$.api', Method: 'GET', AuthType: 'IAM_ROLE' })).toEqual([
      { state: 'Call', actions: ['execute-api:Invoke'], resource: { any: 'ApiEndpoint is chosen at run time' } },
    ]);
  });

  it('grants nothing for NO_AUTH (the default) and RESOURCE_POLICY: no signature of the role reaches the API', () => {
    expect(taskGrants('Call', 'arn:aws:states:::apigateway:invoke', { ApiEndpoint: ENDPOINT, Method: 'GET' })).toEqual([]);
    expect(taskGrants('Call', 'arn:aws:states:::apigateway:invoke', { ApiEndpoint: ENDPOINT, Method: 'GET', AuthType: 'RESOURCE_POLICY' })).toEqual([]);
  });
});
