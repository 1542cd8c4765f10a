/**
 * `switchyard console`: on 127.0.0.1, the console's API calls forwarded to
 * the front door signed; nothing but the console, /health and POST / answered;
 * its flags checked.
 */
import { consoleCommand, type ConsoleServer } from '../../lib/cli/console';
import { startLocalServer, type LocalServer } from '../../lib/local/server';
import { startSignedFrontDoor, type SignedFrontDoor } from '../../harness/signed-front-door';

const credentials = { accessKeyId: 'AKIDCLI', secretAccessKey: 'cli-secret' };
const io = (out: string[] = []) => ({ stdout: (t: string) => void out.push(t), stderr: () => {}, cwd: process.cwd() });
let local: LocalServer;
let door: SignedFrontDoor;
let proxy: ConsoleServer;
const printed: string[] = [];

beforeAll(async () => {
  local = await startLocalServer({ port: 0 });
  await local.driver.putStateMachine('remote-one', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }));
  door = await startSignedFrontDoor({ upstream: local.url, credentials, region: 'eu-west-1' });
  proxy = await consoleCommand({ endpoint: door.url, region: 'eu-west-1', port: '0' }, io(printed), credentials);
});

afterAll(async () => {
  await proxy.close();
  await door.close();
  await local.close();
});

it('listens on 127.0.0.1 and says where its calls go', () => {
  expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(printed.join('')).toBe(`Console: ${proxy.url}/ (open it in a browser)\nIts API calls go to ${door.url}, signed for eu-west-1 with your default AWS credentials.\nOnly this machine can reach it. Stop with Ctrl-C.\n`);
});

it("forwards the console's POST / calls to the front door, signed", async () => {
  const answer = await fetch(`${proxy.url}/`, { method: 'POST', headers: { 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines', 'Content-Type': 'application/x-amz-json-1.0' }, body: '{}' });
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as { stateMachines: { name: string }[] }).stateMachines.map((m) => m.name)).toEqual(['remote-one']);
  expect(door.requests.at(-1)).toEqual({ path: '/v1/', target: 'AWSStepFunctions.ListStateMachines', signed: true });
});

it('answers nothing else', async () => {
  const before = door.requests.length;
  const events = await fetch(`${proxy.url}/events`, { method: 'POST', body: '{}' });
  expect(events.status).toBe(404);
  expect((await events.json()) as unknown).toEqual({ __type: 'UnknownOperationException', message: 'The console proxy answers the console and POST / only, not POST /events' });
  expect((await fetch(`${proxy.url}/task/x/success`)).status).toBe(404);
  expect((await fetch(`${proxy.url}/health`)).status).toBe(200);
  expect(door.requests.length).toBe(before);
});

it('refuses a request for another host name (DNS rebinding) before forwarding it', async () => {
  const before = door.requests.length;
  const { request } = await import('node:http');
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${proxy.url}/`, { method: 'POST', headers: { Host: 'evil.example:8084', 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end('{}');
  });
  expect(answer).toEqual({ status: 403, body: JSON.stringify({ __type: 'AccessDeniedException', message: "The console proxy answers requests for 127.0.0.1 or localhost only, not 'evil.example:8084'" }) });
  expect(door.requests.length).toBe(before);
});

it.each([
  [{}, "'console' needs --endpoint URL: the deployed front door (the stack's ApiUrl output)"],
  [{ endpoint: 'not a url' }, "--endpoint must be a URL, got 'not a url'"],
  [{ endpoint: 'ftp://x/' }, "--endpoint must be an http(s) URL, got 'ftp://x/'"],
  [{ endpoint: 'https://yard.example.com/', region: 'eu-west-1', port: 'x' }, "--port must be a port number, got 'x'"],
])('refuses %j', async (args, message) => {
  await expect(consoleCommand(args, io(), credentials)).rejects.toThrow(message);
});
