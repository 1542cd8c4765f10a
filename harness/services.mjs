// Starts the real-API local services the integration tests and `npm run bench:cloud` talk to, on 127.0.0.1:
// dynalite (DynamoDB, in memory) and fauxqs (SQS and S3; ESM-only, hence this separate process).
// Prints one JSON line with their endpoints, then runs until its parent closes stdin or sends SIGTERM.
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';

const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
await new Promise((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
const fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });

process.stdout.write(JSON.stringify({ dynamodb: `http://127.0.0.1:${dynamo.address().port}`, sqs: fauxqs.address, s3: fauxqs.address }) + '\n');

const stop = async () => {
  dynamo.close();
  await fauxqs.stop();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
