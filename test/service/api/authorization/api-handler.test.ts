/** The authorization matrix against the API function, with API Gateway's proxy events as an AWS_IAM-authorized REST API sends them. */
import { apiOptionsFromEnvironment, createApiHandler, type ApiGatewayProxyEvent } from '../../../../lambda/api';
import { parseCallerPolicies } from '../../../../lib/service/api';
import { setup } from '../../memory-cloud';
import { ACCOUNT, expectedAnswer, fixtures, MATRIX, POLICIES, SM, type Answer } from './matrix';

const arnOf = (caller: string) => `arn:aws:iam::${ACCOUNT}:user/${caller}`;
const callerPolicies = parseCallerPolicies(Object.fromEntries(Object.entries(POLICIES).map(([c, s]) => [arnOf(c), { Version: '2012-10-17', Statement: s }])));

/** A proxy event of API Gateway's REST API for `POST /`, signed by `caller` (the parts a real one carries). */
function event(caller: string | undefined, action: string, body: unknown, path = '/', method = 'POST'): ApiGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${action}`, Host: 'abc123.execute-api.us-east-1.amazonaws.com' },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { identity: caller === undefined ? { userArn: null, caller: null } : { userArn: arnOf(caller), caller: `AIDA${caller.toUpperCase()}` } },
  };
}

const answerOf = (r: { statusCode: number; body: string }): Answer => {
  const b = JSON.parse(r.body) as { __type?: string; message?: string };
  return r.statusCode === 200 ? { status: 200 } : { status: r.statusCode, type: b.__type, ...(b.__type === 'AccessDeniedException' ? { message: b.message } : {}) };
};

describe('the API function authorizes every action for the principal API Gateway authenticated', () => {
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
    const r = await api({ ...event('starter', '', ''), path: '/state-machines/billing/executions', body: '{}' });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: 'AccessDeniedException', message: `User: ${arnOf('starter')} is not authorized to perform: states:StartExecution on resource: ${SM('billing')} because no identity-based policy allows the states:StartExecution action` });
    expect((await api({ ...event('starter', '', ''), path: '/state-machines/orders/executions', body: '{}' })).statusCode).toBe(201);
  });

  it('lets unauthenticated task links through only when they are public', async () => {
    const link = { ...event(undefined, '', ''), httpMethod: 'GET', path: '/tasks/not-a-token/approve', body: null };
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
