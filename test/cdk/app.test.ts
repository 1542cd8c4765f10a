/**
 * The deployable app synthesized end to end, bundling included: the
 * functions are bundled by the locally installed esbuild (no Docker), and
 * each bundle loads and exports its handler.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoStore } from '../../lib/aws/dynamodb-store';
import { startServices } from '../../harness/fixture';
import { DemoStack } from '../../lib/cdk/demo-stack';

jest.setTimeout(120_000);

describe('bin/app.ts', () => {
  const bundles = new Map<string, string>();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-synth-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes with every function bundled, and each bundle loads and exports its handler', () => {
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    new DemoStack(app, 'Switchyard', { env: { account: '123456789012', region: 'us-east-1' } });
    const assembly = app.synth();
    const template = assembly.getStackByName('Switchyard').template as { Resources: Record<string, { Type: string; Properties: Record<string, any>; Metadata?: Record<string, string> }> };
    const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(12);
    const bundled = functions.filter(([id]) => /^Yard(Transition|Invoker|Api|Express|Schedule|Register)Function/.test(id));
    expect(bundled).toHaveLength(6);
    for (const [id, f] of functions) {
      const asset = path.join(outdir, f.Metadata!['aws:asset:path']!);
      expect(fs.existsSync(asset)).toBe(true);
      const [file, exported] = f.Properties.Handler.split('.') as [string, string];
      const entry = path.join(asset, `${file}.js`);
      expect({ id, exists: fs.existsSync(entry) }).toEqual({ id, exists: true });
      // A fresh Node process, as Lambda's: the bundle must carry everything it needs (jsonata, the SDK, Powertools).
      const out = execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(entry)})[${JSON.stringify(exported)}])`], { cwd: os.tmpdir() }).toString();
      expect({ id, out }).toEqual({ id, out: 'function' });
    }
    for (const [id, f] of bundled) {
      expect(fs.readdirSync(path.join(outdir, f.Metadata!['aws:asset:path']!))).toEqual(['index.js']);
      bundles.set(id.replace(/^Yard|Function.*$/g, '').toLowerCase(), path.join(outdir, f.Metadata!['aws:asset:path']!, 'index.js'));
    }
  });

  it('runs an execution with the bundled API and transition functions against DynamoDB, SQS and S3 on loopback', async () => {
    expect([...bundles.keys()].sort()).toEqual(['api', 'express', 'invoker', 'register', 'schedule', 'transition']);
    const services = await startServices();
    try {
      const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
      const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: services.dynamodb, credentials });
      const sqs = new SQSClient({ region: 'us-east-1', endpoint: services.sqs, credentials });
      const s3 = new S3Client({ region: 'us-east-1', endpoint: services.s3, credentials, forcePathStyle: true });
      await DynamoStore.createTable(dynamodb, 'yard');
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'yard' }))).QueueUrl!;
      await s3.send(new CreateBucketCommand({ Bucket: 'yard' }));
      for (const c of [dynamodb, sqs, s3]) c.destroy();
      // The environment the construct gives the functions, with the SDK's own endpoint variables pointing at loopback.
      const env = {
        ...process.env,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: services.dynamodb,
        AWS_ENDPOINT_URL_SQS: services.sqs,
        AWS_ENDPOINT_URL_S3: services.s3,
        SWITCHYARD_TABLE: 'yard',
        SWITCHYARD_QUEUE_URL: queueUrl,
        SWITCHYARD_BUCKET: 'yard',
        SWITCHYARD_ACCOUNT: '123456789012',
        SWITCHYARD_RETENTION_SECONDS: '86400',
        POWERTOOLS_METRICS_DISABLED: 'true',
      };
      const out = execFileSync(process.execPath, [path.join(__dirname, 'drive-bundles.js'), bundles.get('api')!, bundles.get('transition')!, queueUrl], { env, cwd: path.join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] }).toString();
      const result = JSON.parse(out.split('\n').find((l) => l.startsWith('RESULT '))!.slice(7));
      expect(result.created.status).toBe(200);
      expect(result.described).toMatchObject({ status: 'SUCCEEDED', output: '{"doubled":42}' });
      expect(result.history).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
      expect(result.records).toBeGreaterThanOrEqual(1); // the Wait's timer came back through the queue to the transition function
    } finally {
      await services.stop();
    }
  });
});
