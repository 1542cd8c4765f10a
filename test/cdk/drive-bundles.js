// Drives the bundled API and transition functions as API Gateway and the SQS event source would:
// node drive-bundles.js API_BUNDLE TRANSITION_BUNDLE QUEUE_URL. Prints one line `RESULT {json}`.
const [apiBundle, transitionBundle, queueUrl] = process.argv.slice(2);
const { SQSClient, ReceiveMessageCommand, DeleteMessageBatchCommand } = require('@aws-sdk/client-sqs');

(async () => {
  const api = require(apiBundle).handler;
  const transition = require(transitionBundle).handler;
  const call = async (action, body) => {
    const r = await api({ httpMethod: 'POST', path: '/', headers: { 'X-Amz-Target': `AWSStepFunctions.${action}`, 'Content-Type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) });
    return { status: r.statusCode, body: JSON.parse(r.body) };
  };
  const definition = { QueryLanguage: 'JSONata', StartAt: 'Double', States: { Double: { Type: 'Pass', Output: { doubled: '{% $states.input.n * 2 %}' }, Next: 'Pause' }, Pause: { Type: 'Wait', Seconds: 1, End: true } } };
  const created = await call('CreateStateMachine', { name: 'double', definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/switchyard' });
  const started = await call('StartExecution', { stateMachineArn: created.body.stateMachineArn, input: '{"n":21}' });
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  let records = 0;
  let described;
  for (let round = 0; round < 50; round++) {
    described = (await call('DescribeExecution', { executionArn: started.body.executionArn })).body;
    if (described.status !== 'RUNNING') break;
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (Messages.length === 0) continue;
    records += Messages.length;
    const response = await transition({ Records: Messages.map((m) => ({ messageId: m.MessageId, body: m.Body, receiptHandle: m.ReceiptHandle })) });
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const done = Messages.filter((m) => !failed.has(m.MessageId));
    if (done.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  const history = (await call('GetExecutionHistory', { executionArn: started.body.executionArn })).body.events.map((e) => e.type);
  process.stdout.write(`\nRESULT ${JSON.stringify({ created, described, history, records })}\n`);
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
