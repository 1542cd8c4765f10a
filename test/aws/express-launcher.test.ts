/** Asynchronous Express starts as asynchronous Lambda invokes: the payload, the 256 KiB limit, and Lambda's answer. */
import type { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ASYNC_INVOKE_MAX_BYTES, ExpressLaunchError, LambdaExpressLauncher } from '../../lib/aws/express-launcher';
import type { BlobStore, ExpressLaunch } from '../../lib/service/ports';

function launchOf(input: unknown): ExpressLaunch {
  return {
    v: 1,
    express: {
      info: { executionArn: 'arn:aws:states:us-east-1:123456789012:express:m:n:id', name: 'n', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', stateMachineName: 'm', roleArn: 'arn:aws:iam::123456789012:role/r', input: input as never, startTime: 0, redriveCount: 0 },
      revisionId: 'rev',
      status: 'RUNNING',
    },
  };
}

/** A Lambda client that answers every Invoke with `statusCode` and keeps what it was sent. */
function lambdaAnswering(statusCode: number) {
  const sent: { FunctionName?: string; InvocationType?: string; payload: string }[] = [];
  const client = {
    send: async (command: InvokeCommand) => {
      sent.push({ FunctionName: command.input.FunctionName, InvocationType: command.input.InvocationType, payload: Buffer.from(command.input.Payload as Uint8Array).toString('utf8') });
      return { StatusCode: statusCode };
    },
  } as unknown as LambdaClient;
  return { client, sent };
}

function memoryBlobs() {
  const objects = new Map<string, string>();
  const blobs: BlobStore = { put: async (key, body) => void objects.set(key, body), get: async (key) => objects.get(key)! };
  return { blobs, objects };
}

describe('LambdaExpressLauncher', () => {
  it('invokes the Express function with InvocationType Event and the launch as its payload', async () => {
    const { client, sent } = lambdaAnswering(202);
    const launch = launchOf({ n: 1 });
    await new LambdaExpressLauncher({ client, functionName: 'yard-express' }).launch(launch);
    expect(sent).toEqual([{ FunctionName: 'yard-express', InvocationType: 'Event', payload: JSON.stringify(launch) }]);
  });

  it('stores a launch larger than 256 KiB in the blob store and invokes with its key', async () => {
    const { client, sent } = lambdaAnswering(202);
    const { blobs, objects } = memoryBlobs();
    const launch = launchOf({ pad: 'x'.repeat(ASYNC_INVOKE_MAX_BYTES) });
    await new LambdaExpressLauncher({ client, functionName: 'yard-express', blobs }).launch(launch);
    expect([...objects.values()]).toEqual([JSON.stringify(launch)]);
    const [key] = [...objects.keys()];
    expect(key).toMatch(/^express-launches\/[0-9a-f-]{36}$/);
    expect(sent.map((s) => s.payload)).toEqual([JSON.stringify({ $blob: key })]);
  });

  it('keeps a launch of exactly the limit in the payload', async () => {
    const { client, sent } = lambdaAnswering(202);
    const { blobs, objects } = memoryBlobs();
    const bare = JSON.stringify(launchOf({ pad: '' })).length;
    const launch = launchOf({ pad: 'x'.repeat(ASYNC_INVOKE_MAX_BYTES - bare) });
    await new LambdaExpressLauncher({ client, functionName: 'f', blobs }).launch(launch);
    expect(objects.size).toBe(0);
    expect(Buffer.byteLength(sent[0]!.payload)).toBe(ASYNC_INVOKE_MAX_BYTES);
  });

  it('refuses a launch too large for the payload when there is no blob store', async () => {
    const { client, sent } = lambdaAnswering(202);
    const launch = launchOf({ pad: 'x'.repeat(ASYNC_INVOKE_MAX_BYTES) });
    const bytes = Buffer.byteLength(JSON.stringify(launch));
    await expect(new LambdaExpressLauncher({ client, functionName: 'f' }).launch(launch)).rejects.toThrow(`An Express launch of ${bytes} bytes is larger than an asynchronous invoke allows and no blob store is configured`);
    expect(sent).toEqual([]);
  });

  it('throws ExpressLaunchError when Lambda does not answer 202 (the event was not queued)', async () => {
    const { client } = lambdaAnswering(200);
    const launched = new LambdaExpressLauncher({ client, functionName: 'yard-express' }).launch(launchOf({}));
    await expect(launched).rejects.toBeInstanceOf(ExpressLaunchError);
    await expect(launched).rejects.toMatchObject({
      name: 'ExpressLaunchError',
      functionName: 'yard-express',
      statusCode: 200,
      message: 'Lambda did not accept the asynchronous invocation of yard-express (status 200)',
    });
  });
});
