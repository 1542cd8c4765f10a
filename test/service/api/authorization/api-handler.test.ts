/**
 * The authorization matrix against the API function, with the events an
 * AWS_IAM-authorized REST API (payload format 1.0) and HTTP API (2.0) send.
 */
import { apiOptionsFromEnvironment, createApiHandler, type ApiEvent, type ApiGatewayProxyEvent, type HttpApiEvent } from '../../../../lambda/api';
import { parseCallerPolicies } from '../../../../lib/service/api';
import { setup } from '../../memory-cloud';
import { ACCOUNT, expectedAnswer, fixtures, MATRIX, POLICIES, SM, type Answer } from './matrix';

const arnOf = (caller: string) => `arn:aws:iam::${ACCOUNT}:user/${caller}`;
const callerPolicies = parseCallerPolicies(Object.fromEntries(Object.entries(POLICIES).map(([c, s]) => [arnOf(c), { Version: '2012-10-17', Statement: s }])));

/** What a request is made of, before a front door wraps it. */
type Request = { caller: string | undefined; action: string; body: unknown; path: string; method: string };
const request = (caller: string | undefined, action: string, body: unknown, path = '/', method = 'POST'): Request => ({ caller, action, body, path, method });

/** A proxy event of API Gateway's REST API, signed by `caller` (the parts a real one carries). */
function restEvent(r: Request): ApiGatewayProxyEvent {
  return {
    httpMethod: r.method,
    path: r.path,
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${r.action}`, Host: 'abc123.execute-api.us-east-1.amazonaws.com' },
    body: r.body === null ? null : JSON.stringify(r.body),
    isBase64Encoded: false,
    requestContext: { identity: r.caller === undefined ? { userArn: null, caller: null } : { userArn: arnOf(r.caller), caller: `AIDA${r.caller.toUpperCase()}` } },
  };
}

/** An HTTP API event (payload format 2.0): lower-cased headers, the IAM principal under `authorizer.iam`, no authorizer on a public route. */
function httpEvent(r: Request): HttpApiEvent {
  return {
    version: '2.0',
    rawPath: r.path,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${r.action}`, host: 'abc123.execute-api.us-east-1.amazonaws.com' },
    ...(r.body === null ? {} : { body: JSON.stringify(r.body) }),
    isBase64Encoded: false,
    requestContext: { http: { method: r.method }, ...(r.caller === undefined ? {} : { authorizer: { iam: { userArn: arnOf(r.caller) } } }) },
  };
}

const answerOf = (r: { statusCode: number; body: string }): Answer => {
  const b = JSON.parse(r.body) as { __type?: string; message?: string };
  return r.statusCode === 200 ? { status: 200 } : { status: r.statusCode, type: b.__type, ...(b.__type === 'AccessDeniedException' ? { message: b.message } : {}) };
};

describe.each([
  ['REST API', restEvent],
  ['HTTP API', httpEvent],
] as const)('the API function authorizes every action for the principal the %s authenticated', (_door, wrap: (r: Request) => ApiEvent) => {
  const event = (...args: Parameters<typeof request>): ApiEvent => wrap(request(...args));
  const { driver } = setup();
  const api = createApiHandler({ driver }, { callerPolicies });
  let fx: Awaited<ReturnType<typeof fixtures>>;
  beforeAll(async () => {
    fx = await fixtures(driver);
  });

  it.each(MATRIX.map((row) => [row.caller, row.action, row.outcome, row] as const))('%s %s: %s', async (caller, action, _outcome, row) => {
    const body = await row.body(fx);
    const answer = answerOf(await api(event(caller, action, body)));
    expect(answer).toEqual(expectedAnswer(row, arnOf(caller), row.resource(fx)));
  });

  it('denies an unauthenticated request as anonymous', async () => {
    const r = await api(event(undefined, 'ListStateMachines', {}));
    expect(answerOf(r)).toEqual({ status: 400, type: 'AccessDeniedException', message: `User: anonymous is not authorized to perform: states:ListStateMachines on resource: ${SM('*')} because no identity-based policy allows the states:ListStateMachines action` });
  });

  it('authorizes the REST surface as the actions it performs', async () => {
    const r = await api(event('starter', '', {}, '/state-machines/billing/executions'));
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: 'AccessDeniedException', message: `User: ${arnOf('starter')} is not authorized to perform: states:StartExecution on resource: ${SM('billing')} because no identity-based policy allows the states:StartExecution action` });
    expect((await api(event('starter', '', {}, '/state-machines/orders/executions'))).statusCode).toBe(201);
  });

  it('lets unauthenticated task links through only when they are public', async () => {
    const link = event(undefined, '', null, '/tasks/not-a-token/approve', 'GET');
    expect(JSON.parse((await api(link)).body).error).toBe('AccessDeniedException');
    const open = createApiHandler({ driver }, { callerPolicies, publicTaskLinks: true });
    expect(JSON.parse((await open(link)).body).error).toBe('InvalidToken');
  });

  it('allows every call when no caller policies are given', async () => {
    const r = await createApiHandler({ driver })(event(undefined, 'ListStateMachines', {}));
    expect(r.statusCode).toBe(200);
  });
});

describe('apiOptionsFromEnvironment', () => {
  it('reads the caller policies the construct compiled into the environment, and the public links flag', () => {
    const options = apiOptionsFromEnvironment({ SWITCHYARD_CALLER_POLICIES: JSON.stringify({ 'arn:aws:sts::123456789012:assumed-role/Orders/*': { Statement: { Effect: 'Allow', Action: 'states:*', Resource: '*' } } }), SWITCHYARD_PUBLIC_CALLBACK_LINKS: 'true' });
    expect(options.callerPolicies?.entries.map((e) => e.pattern)).toEqual(['arn:aws:sts::123456789012:assumed-role/Orders/*']);
    expect(options.publicTaskLinks).toBe(true);
    expect(apiOptionsFromEnvironment({})).toEqual({});
  });

  it('fails on a malformed policy rather than allowing every call', () => {
    expect(() => apiOptionsFromEnvironment({ SWITCHYARD_CALLER_POLICIES: JSON.stringify({ x: { Statement: { Effect: 'Allow', Resource: '*' } } }) })).toThrow('x.Statement[0] must have exactly one of Action and NotAction');
  });
});
