/** `--endpoint-url SERVICE=URL`: parsed, repeatable, and documented in --help; `--connections FILE` for HTTP Tasks. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { RUN, SERVE } from '../../lib/cli/commands';
import { commandHelp } from '../../lib/cli/args';
import { parseEndpointUrls } from '../../lib/cli/integrations';
import { main } from '../../lib/cli/main';

describe('--endpoint-url', () => {
  it('maps each SERVICE=URL given to its service', () => {
    expect(parseEndpointUrls(['dynamodb=http://127.0.0.1:8000', 'sqs=https://sqs.local:4566/'])).toEqual({ dynamodb: 'http://127.0.0.1:8000', sqs: 'https://sqs.local:4566/' });
  });

  it('is a usage error (exit 2) when a value is not SERVICE=URL', async () => {
    let stderr = '';
    const code = await main(['run', 'examples/hello-world/definition.asl.json', '--endpoint-url', 'dynamodb'], { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: process.cwd() });
    expect(code).toBe(2);
    expect(stderr).toContain("--endpoint-url takes SERVICE=URL (e.g. dynamodb=http://127.0.0.1:8000), got 'dynamodb'");
  });

  it.each([RUN, SERVE])('is listed, repeatable, in switchyard $name --help', (spec) => {
    expect(commandHelp(spec)).toMatch(/--endpoint-url SERVICE=URL +call SERVICE \(dynamodb, sqs, s3, …\) at URL in integration tasks; AWS_ENDPOINT_URL_<SERVICE> works too \(repeatable\)/);
  });
});

describe('--connections', () => {
  const ARN = 'arn:aws:events:us-east-1:123456789012:connection/keyed/1';

  it('gives switchyard run the connection of an HTTP Task, whose API key is sent', async () => {
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers['x-api-key'] as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-http-'));
    fs.writeFileSync(path.join(dir, 'call.asl.json'), JSON.stringify({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: { ApiEndpoint: `http://127.0.0.1:${port}/ping`, Method: 'GET', Authentication: { ConnectionArn: ARN } }, OutputPath: '$.ResponseBody', End: true } } }));
    fs.writeFileSync(path.join(dir, 'connections.json'), JSON.stringify({ [ARN]: { authorizationType: 'API_KEY', authParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k-1' } } } }));
    let stdout = '';
    const code = await main(['run', 'call.asl.json', '--connections', 'connections.json', '--json'], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: dir });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { output: unknown }).output).toEqual({ ok: true });
    expect(seen).toEqual(['k-1']);
  });

  it('is a usage error (exit 2) naming the file’s problem', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-http-'));
    fs.writeFileSync(path.join(dir, 'connections.json'), JSON.stringify({ [ARN]: { authorizationType: 'BASIC', authParameters: {} } }));
    let stderr = '';
    const code = await main(['run', path.resolve('examples/hello-world/definition.asl.json'), '--connections', 'connections.json'], { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: dir });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(stderr).toContain(`has invalid connections:\n  ${ARN}: authParameters.BasicAuthParameters must have the strings Username, Password`);
  });
});
