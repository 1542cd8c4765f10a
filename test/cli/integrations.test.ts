/** `--endpoint-url SERVICE=URL`: parsed, repeatable, and documented in --help. */
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
