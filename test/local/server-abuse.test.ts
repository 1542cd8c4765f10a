/**
 * `switchyard serve` against hostile or damaged input: definitions nested past
 * the limits and malformed `/events` bodies.
 * Each is answered or reported; none stops the server or loses good work.
 */
import { CreateStateMachineCommand, SFNClient, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { startLocalServer } from '../../lib/local/server';

jest.setTimeout(30_000);

function client(url: string): SFNClient {
  return new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

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
