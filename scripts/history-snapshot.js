#!/usr/bin/env node
/**
 * Prints the whole history of every bench workload and example, run
 * in-process (LocalRuntime) and through `switchyard serve` (the durable
 * service over in-memory ports), one JSON line per execution, timestamps,
 * task tokens and request ids left out (the served history is compared as a sorted list of events
 * without ids: which frame's message goes first may change between runs). Run it on two builds and diff the outputs: a refactor that
 * keeps behaviour prints the same bytes.
 *
 *   node scripts/history-snapshot.js [DIST] > after.jsonl
 *
 * DIST is a build's output folder (default ./dist). Only the package's
 * public entry (DIST/lib/index.js) and the bench workloads are used, so an
 * older build and a newer one are driven the same way.
 */
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const dist = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist'));
const api = require(path.join(dist, 'lib', 'index.js'));
const { WORKLOADS } = require(path.join(dist, 'bench', 'workloads.js'));
const examples = path.join(__dirname, '..', 'examples');
const read = (...p) => JSON.parse(fs.readFileSync(path.join(examples, ...p), 'utf8'));
const handlers = new api.LambdaHandlersRunner(api.loadHandlersFile(path.join(examples, 'handlers.json')));

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A handler error's stack trace (at any depth of JSON in JSON) names the build's files: left out. */
const TRACE = /,(\\*)"trace\1":\[[^\]]*\]/g;
/**
 * A task token (base64url of `[1|2,"arn:aws:states:…`, and a version 2 token's
 * MAC): signed with a key drawn per runtime, so it differs from run to run.
 */
const TOKEN = /Wz[EI]sImFybjphd3M6c3RhdGVz[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]{43})?/g;
/** What must not change: everything but the clock, request ids, task tokens and stack traces. */
function normal(history) {
  return history.map(({ timestamp: _t, ...rest }) => JSON.parse(scrub(JSON.stringify(rest))));
}
function scrub(text) {
  return text === undefined ? undefined : text.replace(TRACE, '').replace(UUID, 'UUID').replace(TOKEN, 'TOKEN');
}

const cases = [
  ...WORKLOADS.map((w) => ({ name: w.name, definition: w.definition, input: w.input, served: !/100000/.test(w.name) })),
  { name: 'hello-world', definition: read('hello-world', 'definition.asl.json'), input: read('hello-world', 'input.json'), served: true },
  { name: 'order-fulfilment', definition: read('order-fulfilment', 'definition.asl.json'), input: read('order-fulfilment', 'input.json'), served: true },
  { name: 'order-declined', definition: read('order-fulfilment', 'definition.asl.json'), input: read('order-fulfilment', 'input-declined.json'), served: true },
  { name: 'jsonata-variables', definition: read('jsonata-variables', 'definition.asl.json'), input: read('jsonata-variables', 'input.json'), served: true },
  { name: 'human-approval', definition: read('human-approval', 'definition.asl.json'), input: read('human-approval', 'input.json'), served: true, approve: true },
];

async function inProcess(c) {
  const runtime = new api.LocalRuntime({ taskRunner: handlers, timeScale: 0 });
  if (c.approve) runtime.onPendingTask((t) => setImmediate(() => runtime.sendTaskSuccess(t.taskToken, { approved: true, approver: 'ada@example.com' })));
  const r = await runtime.startExecution(c.definition, { input: c.input, name: 'snapshot', stateMachineName: c.name }).result;
  return { status: r.status, output: r.output, error: r.error, cause: scrub(r.cause), transitions: r.transitions, history: normal(r.history) };
}

async function call(url, action, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${action}` }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${action}: ${JSON.stringify(json)}`);
  return json;
}

async function served(server, c) {
  const name = c.name;
  const { stateMachineArn } = await call(server.url, 'CreateStateMachine', { name, definition: JSON.stringify(c.definition), roleArn: 'arn:aws:iam::123456789012:role/r' });
  const { executionArn } = await call(server.url, 'StartExecution', { stateMachineArn, name: 'snapshot', input: JSON.stringify(c.input) });
  for (;;) {
    const d = await call(server.url, 'DescribeExecution', { executionArn });
    if (d.status === 'RUNNING') {
      if (c.approve) {
        const h = await call(server.url, 'GetExecutionHistory', { executionArn, maxResults: 1000 });
        const sched = h.events.find((e) => e.taskScheduledEventDetails && /waitForTaskToken/.test(e.taskScheduledEventDetails.resource));
        const token = sched && JSON.parse(sched.taskScheduledEventDetails.parameters).Payload?.token;
        if (token) await call(server.url, 'SendTaskSuccess', { taskToken: token, output: JSON.stringify({ approved: true, approver: 'ada@example.com' }) }).catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    const events = [];
    let nextToken;
    do {
      const page = await call(server.url, 'GetExecutionHistory', { executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    // Messages to different frames may be taken in another order from run to run, and the served history
    // interleaves frames by commit: the events are compared as a sorted list, without their ids.
    const history = normal(events).map(({ id: _i, previousEventId: _p, ...e }) => JSON.stringify(e)).sort();
    return { status: d.status, output: d.output, error: d.error, cause: scrub(d.cause), events: events.length, history };
  }
}

async function main() {
  for (const c of cases) process.stdout.write(JSON.stringify({ case: c.name, driver: 'in-process', ...(await inProcess(c)) }) + '\n');
  const server = await api.startLocalServer({ port: 0, taskRunner: handlers, concurrency: 1 });
  try {
    for (const c of cases) if (c.served) process.stdout.write(JSON.stringify({ case: c.name, driver: 'served', ...(await served(server, c)) }) + '\n');
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
