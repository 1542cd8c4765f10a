/**
 * Fuzzing: generated definitions (wrong types in every field, unicode and
 * control characters in names, duplicate keys, huge strings, deep nesting)
 * and inputs. Each gives a validation error — InvalidDefinitionError, or the
 * service's InvalidDefinition — or a run that ends SUCCEEDED or FAILED with a
 * States error; never another exception, a hang or a stack trace. Bounded
 * runs, so the whole file stays well under 30 seconds.
 */
import fc from 'fast-check';
import { parseDefinitionText } from '../../lib/asl/compile';
import { InvalidDefinitionError } from '../../lib/asl/diagnostics';
import type { JsonValue } from '../../lib/asl/json';
import { routeRequest } from '../../lib/service/api';
import { LocalRuntime } from '../../lib/local/runtime';
import { setup } from '../service/memory-cloud';

jest.setTimeout(60_000);

/** Names: any code points, control characters and lone surrogates included, sometimes empty or long. */
const name = fc.oneof(fc.constantFrom('A', 'B', 'C'), fc.string({ unit: 'binary', maxLength: 12 }), fc.constant('\u0000\u001f\u202e名前🚂'), fc.constant('x'.repeat(300)));
const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
const hugeString = fc.constant('z'.repeat(300_000));
/** A field's value: usually plausible, often of the wrong type. */
const field = (plausible: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) });
const path = fc.constantFrom('$', '$.a', '$.a.b', '$[0]', '$..a', '$.__proto__.x', 'a', '$.', '$[?(@.x)]', 'States.Format($)');

function stateOf(names: string[], nested: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const next = fc.oneof(fc.constantFrom(...names), name);
  const flow = fc.oneof(fc.record({ Next: field(next) }), fc.record({ End: field(fc.constant(true)) }));
  const common = fc.record({ InputPath: field(path), OutputPath: field(path), ResultPath: field(path), Comment: field(name) }, { requiredKeys: [] });
  const type = fc.oneof(
    fc.record({ Type: fc.constant('Pass'), Result: field(fc.oneof(json, hugeString)), Parameters: field(fc.dictionary(fc.oneof(name, fc.constant('x.$')), fc.oneof(json, path))) }, { requiredKeys: ['Type'] }),
    fc.record({ Type: fc.constant('Wait'), Seconds: field(fc.integer({ min: -5, max: 10 ** 9 })), Timestamp: field(fc.constantFrom('2026-01-01T00:00:00Z', 'not a date')) }, { requiredKeys: ['Type'] }),
    fc.record({ Type: fc.constant('Fail'), Error: field(name), Cause: field(name) }, { requiredKeys: ['Type'] }),
    fc.record({ Type: fc.constant('Succeed') }),
    fc.record({ Type: fc.constant('Choice'), Choices: field(fc.array(fc.record({ Variable: field(path), StringEquals: field(name), IsPresent: field(fc.boolean()), Next: field(next) }, { requiredKeys: [] }), { maxLength: 3 })), Default: field(next) }, { requiredKeys: ['Type'] }),
    fc.record({ Type: fc.constant('Task'), Resource: field(fc.constantFrom('arn:aws:states:::lambda:invoke', 'arn:aws:lambda:us-east-1:123456789012:function:F', 'nonsense')), Retry: field(fc.array(fc.record({ ErrorEquals: field(fc.array(name, { maxLength: 2 })), MaxAttempts: field(fc.integer({ min: -1, max: 3 })) }), { maxLength: 2 })) }, { requiredKeys: ['Type'] }),
    fc.record({ Type: fc.constant('Parallel'), Branches: field(fc.array(nested, { maxLength: 2 })) }, { requiredKeys: ['Type'] }),
    fc.record({ Type: fc.constant('Map'), ItemsPath: field(path), ItemProcessor: field(nested), MaxConcurrency: field(fc.integer({ min: -1, max: 3 })) }, { requiredKeys: ['Type'] }),
    fc.record({ Type: field(name) }),
  );
  return fc.tuple(type, flow, common).map(([t, f, c]) => ({ ...c, ...t, ...f }));
}

/** A state machine: a few states whose Next mostly names one another. */
const machine: fc.Arbitrary<unknown> = fc.letrec<{ sm: unknown }>((tie) => ({
  sm: fc
    .uniqueArray(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('A', 'B', 'C', 'D') }, { weight: 1, arbitrary: name }), { minLength: 1, maxLength: 4 })
    .chain((names) =>
      fc.record(
        {
          StartAt: field(fc.oneof(fc.constantFrom(...names), name)),
          States: field(fc.tuple(...names.map(() => stateOf(names, fc.oneof({ depthSize: 'small', maxDepth: 2 }, fc.constant({ StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }), tie('sm'))))).map((states) => Object.fromEntries(states.map((s, i) => [names[i], s])))),
          QueryLanguage: field(fc.constantFrom('JSONPath', 'JSONata')),
          TimeoutSeconds: field(fc.integer({ min: -1, max: 100 })),
        },
        { requiredKeys: ['States'] },
      ),
    ),
})).sm;

/** A well-formed chain of states (Pass, Wait, Choice, Map, Parallel, Fail), names and data generated: most of these run. */
const wellFormed: fc.Arbitrary<unknown> = fc.uniqueArray(name.filter((n) => n.length > 0 && n.length <= 80), { minLength: 1, maxLength: 4 }).chain((names) => {
  const leaf = { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } };
  const flow = (i: number) => (i + 1 < names.length ? { Next: names[i + 1] } : { End: true });
  const state = (i: number): fc.Arbitrary<unknown> =>
    fc.oneof(
      fc.record({ Type: fc.constant('Pass'), Result: fc.oneof(json, hugeString), ResultPath: fc.constantFrom('$', '$.r', '$.__proto__.x', null) }).map((st) => ({ ...st, ...flow(i) })),
      fc.record({ Type: fc.constant('Wait'), Seconds: fc.integer({ min: 0, max: 10 ** 6 }) }).map((st) => ({ ...st, ...flow(i) })),
      fc.constant({ Type: 'Parallel', Branches: [leaf, leaf], ...flow(i) }),
      fc.constant({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: leaf, ...flow(i) }),
      fc.record({ Type: fc.constant('Fail'), Error: name, Cause: name }),
      fc.constant({ Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: names[i + 1] ?? names[0] }], Default: names[0] }),
    );
  return fc.tuple(...names.map((_, i) => state(i))).map((states) => ({ StartAt: names[0], States: Object.fromEntries(states.map((st, i) => [names[i], st])) }));
});

/** Input: JSON of every shape, sometimes deeply nested or holding a huge string. */
const input: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 4, arbitrary: json },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((depth) => { let v: JsonValue = 'leaf'; for (let i = 0; i < depth; i++) v = { a: v }; return v; }) },
  { weight: 1, arbitrary: hugeString.map((s) => ({ a: s })) },
);

/** Resolves with the run's outcome, or rejects past `ms` (a hang). */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no end within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

describe('generated definitions and inputs', () => {
  it('in-process: a validation error with a code and a location, or a run that ends with a States outcome', async () => {
    const ran = { valid: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof(machine, wellFormed), input, async (definition, data) => {
        const runtime = new LocalRuntime({ timeScale: 0, maxHistoryEvents: 2_000 });
        let handle;
        try {
          handle = runtime.startExecution(definition, { input: data });
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidDefinitionError);
          for (const d of (err as InvalidDefinitionError).diagnostics) expect([typeof d.code, typeof d.location]).toEqual(['string', 'string']);
          ran.invalid++;
          return;
        }
        ran.valid++;
        const result = await within(10_000, handle.result);
        expect(['SUCCEEDED', 'FAILED']).toContain(result.status);
        if (result.status === 'FAILED') expect(typeof result.error).toBe('string');
        expect(`${result.cause ?? ''}`).not.toMatch(/\n\s+at /); // no stack trace in a cause
      }),
      { numRuns: 150, seed: 18 },
    );
    // Both kinds are exercised: runs, not only refusals.
    expect(ran.valid).toBeGreaterThanOrEqual(15);
    expect(ran.invalid).toBeGreaterThanOrEqual(15);
  });

  it('served: CreateStateMachine refuses with InvalidDefinition or the execution ends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(machine, wellFormed), input, async (definition, data) => {
        const cloud = setup({ maxHistoryEvents: 2_000 });
        const created = await routeRequest(cloud.driver, {
          method: 'POST',
          path: '/',
          headers: { 'x-amz-target': 'AWSStepFunctions.CreateStateMachine', 'content-type': 'application/x-amz-json-1.0' },
          body: JSON.stringify({ name: 'Fuzzed', roleArn: 'arn:aws:iam::123456789012:role/r', definition: JSON.stringify(definition) }),
        });
        if (created.statusCode !== 200) {
          expect({ status: created.statusCode, type: (JSON.parse(created.body) as { __type: string }).__type }).toEqual({ status: 400, type: 'InvalidDefinition' });
          return;
        }
        const { executionArn } = await cloud.driver.startExecution(cloud.driver.stateMachineArn('Fuzzed'), { input: data });
        await within(10_000, cloud.drain());
        const described = await cloud.driver.describeExecution(executionArn);
        expect(['SUCCEEDED', 'FAILED']).toContain(described.status);
        expect(`${described.cause ?? ''}`).not.toMatch(/\n\s+at /);
      }),
      { numRuns: 60, seed: 18 },
    );
  });

  it('definition text with duplicate keys, control characters and deep nesting parses to a definition or an InvalidDefinitionError', () => {
    const text = fc.oneof(
      fc.constant('{"StartAt":"A","StartAt":"B","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Fail"}}}'),
      fc.integer({ min: 1, max: 20_000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
      fc.integer({ min: 1, max: 20_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `{"StartAt":${JSON.stringify(s)},"States":{${JSON.stringify(s)}:{"Type":"Succeed"}}}`),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          const parsed = parseDefinitionText(t);
          new LocalRuntime().compile(parsed);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidDefinitionError);
        }
      }),
      { numRuns: 300, seed: 18 },
    );
  });
});
