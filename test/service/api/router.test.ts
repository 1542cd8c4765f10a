/**
 * routeRequest, and the two front doors that use it — the API function
 * behind API Gateway (lambda/api.ts) and `switchyard serve` — answering
 * every request alike.
 */
import { createApiHandler } from '../../../lambda/api';
import { startLocalServer, type LocalServer } from '../../../lib/local/server';
import { routeRequest } from '../../../lib/service/api';
import { setup } from '../memory-cloud';

const JSON_1_0 = 'application/x-amz-json-1.0';
const NOT_SERVED = { __type: 'UnknownOperationException', message: 'Send Step Functions API requests as POST / with X-Amz-Target: AWSStepFunctions.<Action>' };

describe('routeRequest', () => {
  it('serves POST / as the JSON protocol, reading X-Amz-Target in any case', async () => {
    const { driver } = setup();
    const r = await routeRequest(driver, { method: 'POST', path: '/', headers: { 'X-Amz-TARGET': 'AWSStepFunctions.ListStateMachines' }, body: '{}' });
    expect(r).toEqual({ statusCode: 200, headers: { 'Content-Type': JSON_1_0 }, body: '{"stateMachines":[]}' });
  });

  it('takes an empty path as / and the first of a repeated header', async () => {
    const { driver } = setup();
    const r = await routeRequest(driver, { method: 'POST', path: '', headers: { 'x-amz-target': ['AWSStepFunctions.ListActivities', 'AWSStepFunctions.Nope'] }, body: '' });
    expect(r).toEqual({ statusCode: 200, headers: { 'Content-Type': JSON_1_0 }, body: '{"activities":[]}' });
  });

  it('answers another method on / with 405 UnknownOperationException and Allow: POST', async () => {
    const { driver } = setup();
    const r = await routeRequest(driver, { method: 'GET', path: '/', headers: {}, body: '' });
    expect(r).toEqual({ statusCode: 405, headers: { 'Content-Type': JSON_1_0, Allow: 'POST' }, body: JSON.stringify(NOT_SERVED) });
  });

  it('answers a path neither the protocol nor the REST surface serves with 404 UnknownOperationException', async () => {
    const { driver } = setup();
    const r = await routeRequest(driver, { method: 'POST', path: '/nope?x=1', headers: { 'x-amz-target': 'AWSStepFunctions.ListStateMachines' }, body: '{}' });
    expect(r).toEqual({ statusCode: 404, headers: { 'Content-Type': JSON_1_0 }, body: JSON.stringify(NOT_SERVED) });
  });

  it('serves the REST surface beside the protocol', async () => {
    const { driver } = setup();
    const r = await routeRequest(driver, { method: 'GET', path: '/executions/arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3Aexecution%3Ax%3Ay', headers: {}, body: '' });
    expect(r.statusCode).toBe(404);
    expect(JSON.parse(r.body)).toEqual({ error: 'ExecutionDoesNotExist', message: "Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:x:y'" });
  });

  it('answers a failure of the REST surface itself with 500 InternalServerError, not a rejection', async () => {
    const { driver } = setup();
    jest.spyOn(driver, 'describeExecution').mockRejectedValueOnce(new Error('disk on fire'));
    const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
    const r = await routeRequest(driver, { method: 'GET', path: '/executions/x', headers: {}, body: '' });
    expect(r).toEqual({ statusCode: 500, headers: { 'Content-Type': 'application/json' }, body: '{"error":"InternalServerError","message":"An internal error occurred"}' });
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});

describe('the two front doors', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ port: 0 });
  });
  afterAll(async () => server?.close());

  it('serve GET / as the console page, which the API function (no console) answers with 405', async () => {
    const lambda = await createApiHandler({ driver: setup().driver })({ httpMethod: 'GET', path: '/', headers: {}, body: null });
    const res = await fetch(`${server.url}/`);

    expect({ statusCode: res.status, contentType: res.headers.get('content-type') }).toEqual({ statusCode: 200, contentType: 'text/html; charset=utf-8' });
    expect(await res.text()).toContain('<title>Switchyard console</title>');
    expect({ statusCode: lambda.statusCode, allow: lambda.headers.Allow, body: lambda.body }).toEqual({ statusCode: 405, allow: 'POST', body: JSON.stringify(NOT_SERVED) });
  });

  const requests = [
    { method: 'DELETE', path: '/' },
    { method: 'GET', path: '/nope' },
    { method: 'POST', path: '/state-machines' },
  ];

  it.each(requests)('answer $method $path identically: UnknownOperationException', async ({ method, path }) => {
    const lambda = await createApiHandler({ driver: setup().driver })({ httpMethod: method, path, headers: {}, body: null });
    const res = await fetch(`${server.url}${path}`, { method });
    const served = { statusCode: res.status, contentType: res.headers.get('content-type'), allow: res.headers.get('allow'), body: await res.text() };

    const expected = path === '/' ? { statusCode: 405, allow: 'POST' } : { statusCode: 404, allow: null };
    expect(served).toEqual({ ...expected, contentType: JSON_1_0, body: JSON.stringify(NOT_SERVED) });
    expect({ statusCode: lambda.statusCode, contentType: lambda.headers['Content-Type'], allow: lambda.headers.Allow ?? null, body: lambda.body }).toEqual(served);
  });
});
