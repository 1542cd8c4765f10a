/**
 * A CloudWatch Logs endpoint on 127.0.0.1 that speaks the service's JSON
 * protocol (`X-Amz-Target: Logs_20140328.*`) for the two calls execution
 * logging makes, CreateLogStream and PutLogEvents, with the service's errors
 * for a missing log group and an existing stream: enough for the real SDK
 * client to run against it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export interface LogsFront {
  client: CloudWatchLogsClient;
  /** Events per `group/stream`, as received. */
  streams: Map<string, { timestamp: number; message: string }[]>;
  /** Every call, by action name. */
  calls: string[];
  /** The size of each PutLogEvents batch as the service counts it (message bytes + 26 per event). */
  batchBytes: number[];
  close(): Promise<void>;
}

export async function startLogsFront(groups: string[]): Promise<LogsFront> {
  const streams = new Map<string, { timestamp: number; message: string }[]>();
  const calls: string[] = [];
  const batchBytes: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target']).split('.')[1];
      calls.push(action);
      const input = JSON.parse(body) as { logGroupName: string; logStreamName: string; logEvents?: { timestamp: number; message: string }[] };
      const reply = (status: number, out: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(out));
      };
      if (!groups.includes(input.logGroupName)) return reply(400, { __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
      const key = `${input.logGroupName}/${input.logStreamName}`;
      if (action === 'CreateLogStream') {
        if (streams.has(key)) return reply(400, { __type: 'ResourceAlreadyExistsException', message: 'The specified log stream already exists' });
        streams.set(key, []);
        return reply(200, {});
      }
      if (action === 'PutLogEvents') {
        const stream = streams.get(key);
        if (!stream) return reply(400, { __type: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' });
        stream.push(...input.logEvents!);
        batchBytes.push(input.logEvents!.reduce((n, e) => n + Buffer.byteLength(e.message) + 26, 0));
        return reply(200, {});
      }
      reply(400, { __type: 'UnknownOperationException', message: `${action} is not served here` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  return { client, streams, calls, batchBytes, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
