/**
 * aws-sdk:s3 tasks against s3rver (a second, independent local S3), run by
 * LocalRuntime with the SDK task runner: objects put and read back, and a
 * missing key named S3.NoSuchKeyException with S3's message and status.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SdkTaskRunner } from '../../../lib/aws/integrations';
import { LocalRuntime } from '../../../lib/local/runtime';

// s3rver ships no types: the part of it used here.
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;

jest.setTimeout(30_000);

let server: S3rverInstance;
let dir: string;
let runner: SdkTaskRunner;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-s3rver-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'archive' }] });
  const { port } = await server.run();
  runner = new SdkTaskRunner({ region: 'us-east-1', endpoints: { s3: `http://127.0.0.1:${port}` }, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
});
afterAll(async () => {
  runner?.destroy();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('puts and gets an object and catches a missing key as S3.NoSuchKeyException', async () => {
  const definition = {
    StartAt: 'Put',
    States: {
      Put: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:putObject', Parameters: { Bucket: 'archive', Key: 'report.json', 'Body.$': 'States.JsonToString($)' }, ResultSelector: { 'ETag.$': '$.ETag' }, ResultPath: '$.put', Next: 'Get' },
      Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { Bucket: 'archive', Key: 'report.json' }, ResultSelector: { 'Body.$': 'States.StringToJson($.Body)', 'ContentLength.$': '$.ContentLength' }, ResultPath: '$.got', Next: 'Missing' },
      Missing: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
        Parameters: { Bucket: 'archive', Key: 'absent.json' },
        Catch: [{ ErrorEquals: ['S3.NoSuchKeyException'], ResultPath: '$.missing', Next: 'Done' }],
        End: true,
      },
      Done: { Type: 'Pass', End: true },
    },
  };
  const result = await new LocalRuntime({ taskRunner: runner, timeScale: 0 }).startExecution(definition, { input: { month: '2026-11' } }).result;
  expect(result.status).toBe('SUCCEEDED');
  const output = result.output as { put: { ETag: string }; got: unknown; missing: { Error: string; Cause: string } };
  expect(output.put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  expect(output.got).toEqual({ Body: { month: '2026-11' }, ContentLength: 19 });
  expect(output.missing.Error).toBe('S3.NoSuchKeyException');
  expect(output.missing.Cause).toMatch(/^The specified key does not exist\. \(Service: S3, Status Code: 404, Request ID: \S+\)$/);
});
