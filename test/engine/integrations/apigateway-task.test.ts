/** The API Gateway task as data: its parameters checked, the request they make, and the outcome a response gives. */
import { apiGatewayOutcome, apiGatewayRequest, apiGatewayTask, isApiGatewayFailure, isApiGatewayInvoke, waitsForToken, type ApiGatewayTask } from '../../../lib/engine/integrations/apigateway-task';

const ENDPOINT = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com';
const task = (parameters: Record<string, unknown>): ApiGatewayTask => {
  const t = apiGatewayTask({ ApiEndpoint: ENDPOINT, Method: 'GET', ...parameters } as never);
  if (isApiGatewayFailure(t)) throw new Error(t.cause);
  return t;
};

it('recognises the resource, with and without a task token', () => {
  expect([isApiGatewayInvoke('arn:aws:states:::apigateway:invoke'), waitsForToken('arn:aws:states:::apigateway:invoke')]).toEqual([true, false]);
  expect([isApiGatewayInvoke('arn:aws:states:::apigateway:invoke.waitForTaskToken'), waitsForToken('arn:aws:states:::apigateway:invoke.waitForTaskToken')]).toEqual([true, true]);
  expect(isApiGatewayInvoke('arn:aws:states:::apigateway:invoke.sync')).toBe(false);
});

it('builds https://<ApiEndpoint>/<Stage>/<Path> with every listed query value and header values joined', () => {
  expect(apiGatewayRequest(task({ Stage: 'prod', Path: '/bills/', QueryParameters: { id: ['1', '2'], q: 'x' }, Headers: { Key: ['a', 'b'] } }))).toEqual({
    url: `https://${ENDPOINT}/prod/bills?id=1&id=2&q=x`,
    method: 'GET',
    headers: { key: 'a,b' },
  });
  // An HTTP API's $default stage: no Stage, no Path.
  expect(apiGatewayRequest(task({}), 'http://127.0.0.1:9').url).toBe('http://127.0.0.1:9/');
});

it('sends a JSON body as JSON text and a string body as it is', () => {
  expect(apiGatewayRequest(task({ Method: 'PUT', RequestBody: { a: [1, null], b: null } }))).toMatchObject({ headers: { 'content-type': 'application/json' }, body: '{"a":[1,null]}' });
  expect(apiGatewayRequest(task({ Method: 'POST', RequestBody: 'raw' }))).toEqual({ url: `https://${ENDPOINT}/`, method: 'POST', headers: {}, body: 'raw' });
});

it('refuses a forbidden header and an unknown AuthType at run time with States.Runtime', () => {
  expect(apiGatewayTask({ ApiEndpoint: ENDPOINT, Method: 'GET', Headers: { 'X-Amzn-Trace-Id': ['t'] } })).toEqual({ error: 'States.Runtime', cause: "The API Gateway task may not set the header 'X-Amzn-Trace-Id'." });
  expect(apiGatewayTask({ ApiEndpoint: ENDPOINT, Method: 'GET', AuthType: 'IAM_AUTH' })).toEqual({ error: 'States.Runtime', cause: 'The API Gateway task\'s AuthType must be one of NO_AUTH, IAM_ROLE, RESOURCE_POLICY, got "IAM_AUTH".' });
});

it('shapes a 2xx answer with multi-valued Headers and a numeric StatusCode, any other as ApiGateway.<status> with the body as cause', () => {
  expect(apiGatewayOutcome({ status: 204, statusText: 'No Content', headers: [['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']], body: '' })).toEqual({
    kind: 'succeeded',
    output: { ResponseBody: '', Headers: { 'set-cookie': ['a=1', 'b=2'] }, StatusCode: 204, StatusText: 'No Content' },
  });
  expect(apiGatewayOutcome({ status: 502, statusText: 'Bad Gateway', headers: [], body: '{"message": "Internal server error"}' })).toEqual({ kind: 'failed', error: 'ApiGateway.502', cause: '{"message": "Internal server error"}' });
});
