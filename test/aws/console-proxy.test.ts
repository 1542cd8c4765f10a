/**
 * The console proxy's forwarder: Step Functions calls reach the front door
 * signed (the stand-in front door recomputes each signature), anything else
 * is refused before it is signed, and an unreachable or slow front door is
 * an error answer in words.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsoleForwarder, regionOfEndpoint } from '../../lib/aws/console-proxy';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { startSignedFrontDoor, type SignedFrontDoor } from '../../harness/signed-front-door';

const credentials = { accessKeyId: 'AKIDCONSOLETEST', secretAccessKey: 'console-test-secret', sessionToken: 'console-session' };
const region = 'eu-west-1';
let local: LocalServer;
let door: SignedFrontDoor;

beforeAll(async () => {
  local = await startLocalServer({ port: 0 });
  await local.driver.putStateMachine('hello', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }));
  door = await startSignedFrontDoor({ upstream: local.url, credentials, region });
});

afterAll(async () => {
  await door.close();
  await local.close();
});

it('signs a Step Functions call with the credentials for execute-api and returns the front door answer', async () => {
  const forward = createConsoleForwarder({ endpoint: door.url, region, credentials });
  const answer = await forward('AWSStepFunctions.ListStateMachines', '{}');
  expect(answer.statusCode).toBe(200);
  expect((JSON.parse(answer.body) as { stateMachines: { name: string }[] }).stateMachines.map((m) => m.name)).toEqual(['hello']);
  expect(door.requests.at(-1)).toEqual({ path: '/v1/', target: 'AWSStepFunctions.ListStateMachines', signed: true });
});

it('is refused by the front door when signed with another secret', async () => {
  const forward = createConsoleForwarder({ endpoint: door.url, region, credentials: { ...credentials, secretAccessKey: 'wrong' } });
  const answer = await forward('AWSStepFunctions.ListStateMachines', '{}');
  expect(answer.statusCode).toBe(403);
  expect(door.requests.at(-1)).toEqual({ path: '/v1/', target: 'AWSStepFunctions.ListStateMachines', signed: false });
});

it('passes the API errors through as the front door answered them', async () => {
  const forward = createConsoleForwarder({ endpoint: door.url, region, credentials });
  const answer = await forward('AWSStepFunctions.DescribeExecution', JSON.stringify({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:hello:gone' }));
  expect(answer.statusCode).toBe(400);
  expect((JSON.parse(answer.body) as { __type: string }).__type).toBe('ExecutionDoesNotExist');
});

it.each([['AWSStepFunctions.NoSuchAction'], ['DynamoDB_20120810.Scan'], [undefined]])('refuses the target %s without sending it', async (target) => {
  const before = door.requests.length;
  const answer = await createConsoleForwarder({ endpoint: door.url, region, credentials })(target, '{}');
  expect(answer.statusCode).toBe(400);
  expect(JSON.parse(answer.body)).toEqual({ __type: 'UnknownOperationException', message: `The console forwards Step Functions API actions only, not '${target ?? ''}'` });
  expect(door.requests.length).toBe(before);
});

it('says the front door could not be reached when nothing listens there', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const answer = await createConsoleForwarder({ endpoint: `http://127.0.0.1:${port}/v1/`, region, credentials })('AWSStepFunctions.ListStateMachines', '{}');
  expect(answer.statusCode).toBe(502);
  expect(JSON.parse(answer.body)).toEqual({ __type: 'InternalServerError', message: `The front door http://127.0.0.1:${port}/v1/ could not be reached (ECONNREFUSED).` });
});

it('says the front door is slow when it does not answer in time', async () => {
  const silent: Server = createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/`;
  const answer = await createConsoleForwarder({ endpoint: url, region, credentials, timeoutMs: 50 })('AWSStepFunctions.ListStateMachines', '{}');
  silent.closeAllConnections();
  await new Promise<void>((r) => silent.close(() => r()));
  expect(JSON.parse(answer.body)).toEqual({ __type: 'InternalServerError', message: `The front door ${url} did not answer within 0.05 s.` });
});

it('reads the region from an API Gateway host name', () => {
  expect(regionOfEndpoint('https://abc123.execute-api.eu-west-1.amazonaws.com/v1/')).toBe('eu-west-1');
  expect(regionOfEndpoint('https://yard.example.com/')).toBeUndefined();
});
