/**
 * `switchyard serve` against hostile or damaged input: definitions nested past
 * the limits, malformed `/events` bodies, and a damaged journal at start-up.
 * Each is answered or reported; none stops the server or loses good work.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, StartExecutionCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { client, until } from './sfn-client';
import { startLocalServer } from '../../lib/local/server';

jest.setTimeout(30_000);



/** 3,000 Parallel states nested in one another, as text. */
function deepParallelText(): string {
  let text = '{"StartAt":"P0","States":{"P0":{"Type":"Pass","End":true}}}';
  for (let i = 1; i <= 3000; i++) text = `{"StartAt":"P${i}","States":{"P${i}":{"Type":"Parallel","End":true,"Branches":[${text}]}}}`;
  return text;
}
const DEEP_LOCATION = Array.from({ length: 101 }, (_, i) => `/States/P${3000 - i}/Branches/0`).join('');
const DEEP_MESSAGE = 'The definition nests Parallel and Map states more than 100 levels deep';
const ROLE = 'arn:aws:iam::123456789012:role/r';

/** The error a request fails with (the test fails if it succeeds). */
async function failure(request: Promise<unknown>): Promise<Error> {
  return request.then(
    () => {
      throw new Error('the request succeeded');
    },
    (e: Error) => e,
  );
}

describe('definitions nested past the limits, served', () => {
  it('ValidateStateMachineDefinition answers FAIL with the diagnostic', async () => {
    const server = await startLocalServer({ port: 0 });
    const sfn = client(server.url);
    try {
      const out = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: deepParallelText() }));
      expect({ result: out.result, diagnostics: out.diagnostics, truncated: out.truncated }).toEqual({
        result: 'FAIL',
        diagnostics: [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: DEEP_LOCATION, message: DEEP_MESSAGE }],
        truncated: false,
      });
    } finally {
      sfn.destroy();
      await server.close();
    }
  });

  it('CreateStateMachine answers InvalidDefinition, for nested states and for 100,000 nested arrays', async () => {
    const server = await startLocalServer({ port: 0 });
    const sfn = client(server.url);
    try {
      const deep = await failure(sfn.send(new CreateStateMachineCommand({ name: 'deep', definition: deepParallelText(), roleArn: ROLE })));
      expect([deep.name, deep.message]).toEqual(['InvalidDefinition', `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ${DEEP_MESSAGE}' at ${DEEP_LOCATION}`]);
      const arrays = '['.repeat(100_000) + ']'.repeat(100_000);
      const nested = await failure(sfn.send(new CreateStateMachineCommand({ name: 'arrays', definition: arrays, roleArn: ROLE })));
      expect(nested.name).toBe('InvalidDefinition');
      expect(nested.message).toBe(`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The definition nests JSON objects and arrays more than 1000 levels deep' at ${'/0'.repeat(1000)}`);
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});

describe('POST /events errors', () => {
  const rules = [{ name: 'orders', stateMachine: 'echo', eventPattern: { source: ['shop'] } }];
  const cases: [string, string, number, Record<string, string>][] = [
    ['malformed JSON', '{"Entries": [', 400, { __type: 'ValidationException', message: 'The request body is not valid JSON' }],
    ['a body that is not an object', 'null', 400, { __type: 'ValidationException', message: 'The request body must be a JSON object: a PutEvents request or one event' }],
    ['Entries that is not an array', '{"Entries":{}}', 400, { __type: 'ValidationException', message: "'Entries' must be an array of events" }],
    ['an entry that is not an object', '{"Entries":[7]}', 400, { __type: 'ValidationException', message: 'Entries[0] must be an object' }],
    ['a Source that is not a string', '{"Entries":[{"Source":1}]}', 400, { __type: 'ValidationException', message: 'Entries[0].Source must be a string' }],
    ['a Detail that is not JSON', '{"Entries":[{"Source":"shop","Detail":"{"}]}', 400, { __type: 'ValidationException', message: 'Entries[0].Detail is malformed: it must be a JSON object' }],
    ['Resources that are not strings', '{"Entries":[{"Resources":[1]}]}', 400, { __type: 'ValidationException', message: 'Entries[0].Resources must be an array of strings' }],
    ['an event id that is not a string', '{"id":{},"source":"shop"}', 400, { __type: 'ValidationException', message: "The event's 'id' must be a string" }],
    [
      'a rule naming a state machine that does not exist',
      '{"Entries":[{"Source":"shop"}]}',
      400,
      { __type: 'StateMachineDoesNotExist', message: "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:echo'" },
    ],
  ];
  it.each(cases)('answers %s as {__type, message}', async (_name, body, status, expected) => {
    const server = await startLocalServer({ port: 0, triggers: { schedules: [], rules } });
    try {
      const res = await fetch(`${server.url}/events`, { method: 'POST', body });
      expect([res.status, await res.json()]).toEqual([status, expected]);
    } finally {
      await server.close();
    }
  });
});

describe('a damaged journal at start-up', () => {
  it('skips a null line, an unknown op and a truncated last line with their line numbers, and keeps every good execution', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-journal-'));
    const journal = path.join(dataDir, 'journal.jsonl');
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    let server = await startLocalServer({ port: 0, dataDir });
    let sfn = client(server.url);
    const arns: string[] = [];
    try {
      const sm = await sfn.send(new CreateStateMachineCommand({ name: 'echo', definition, roleArn: ROLE }));
      for (const n of [1, 2]) {
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, name: `run-${n}`, input: `{"n":${n}}` }));
        expect((await until(sfn, executionArn!)).status).toBe('SUCCEEDED');
        arns.push(executionArn!);
      }
    } finally {
      sfn.destroy();
      await server.close();
    }

    const lines = fs.readFileSync(journal, 'utf8').trimEnd().split('\n');
    const damaged = [lines[0], 'null', ...lines.slice(1), '{"t":"s","op":"dropEverything","args":[]}', '{"t":"s","op":"putStateMa'];
    fs.writeFileSync(journal, damaged.join('\n'));
    const logged: Record<string, unknown>[] = [];
    server = await startLocalServer({ port: 0, dataDir, log: (e) => logged.push(e) });
    sfn = client(server.url);
    try {
      expect(logged).toEqual([
        { level: 'WARN', message: 'journal record skipped', file: journal, line: 2, reason: 'not a journal record: expected {"t":"s"|"q"|"w","op":<a recorded operation>,"args":[...]}' },
        { level: 'WARN', message: 'journal record skipped', file: journal, line: lines.length + 2, reason: 'not a journal record: expected {"t":"s"|"q"|"w","op":<a recorded operation>,"args":[...]}' },
        {
          level: 'WARN',
          message: 'journal record skipped',
          file: journal,
          line: lines.length + 3,
          reason: 'not valid JSON (a line cut short by a crash mid-write: the change it describes never completed)',
        },
      ]);
      for (const [i, arn] of arns.entries()) expect(await until(sfn, arn)).toMatchObject({ status: 'SUCCEEDED', output: `{"n":${i + 1}}` });
      // A record written after the cut-short line starts on a line of its own, so it survives the next restart.
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:echo', name: 'run-3', input: '{"n":3}' }));
      expect((await until(sfn, executionArn!)).status).toBe('SUCCEEDED');
      arns.push(executionArn!);
    } finally {
      sfn.destroy();
      await server.close();
    }

    logged.length = 0;
    server = await startLocalServer({ port: 0, dataDir, log: (e) => logged.push(e) });
    sfn = client(server.url);
    try {
      expect(logged.map((e) => e.line)).toEqual([2, lines.length + 2, lines.length + 3]);
      for (const [i, arn] of arns.entries()) expect(await until(sfn, arn)).toMatchObject({ status: 'SUCCEEDED', output: `{"n":${i + 1}}` });
    } finally {
      sfn.destroy();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
