/**
 * Run-time checks of dynamic fields, through the in-process driver, with the
 * error names and cause texts Step Functions records (LocalStack's snapshot
 * tests recorded on AWS, and causes quoted from real executions).
 */
import type { JsonValue } from '../../../lib/asl/json';
import { runDefinition } from '../../../lib/local/runtime';

const PREFIX = (state: string) => `An error occurred while executing the state '${state}' (entered at the event id #2). `;
const processor = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

async function failure(definition: object, input: JsonValue): Promise<{ error?: string; cause?: string }> {
  const result = await runDefinition(definition, { input, timeScale: 0 });
  expect(result.status).toBe('FAILED');
  return { error: result.error, cause: result.cause };
}

describe('MaxConcurrencyPath', () => {
  const map = (path: string) => ({ StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', MaxConcurrencyPath: path, ItemProcessor: processor, End: true } } });

  it.each([
    [{}, '{}'],
    ['NoNumber', 'NoNumber'],
    [1.5, '1.5'],
    [3000000000, '3000000000'],
  ])('fails with States.Runtime when the value %j is not an integer', async (value, shown) => {
    expect(await failure(map('$.max'), { max: value as JsonValue, items: [1] })).toEqual({
      error: 'States.Runtime',
      cause: `${PREFIX('M')}The MaxConcurrencyPath field refers to value "${shown}" which is not a valid integer: $.max`,
    });
  });

  it('fails on a negative value', async () => {
    expect(await failure(map('$.max'), { max: -1, items: [1] })).toEqual({ error: 'States.Runtime', cause: `${PREFIX('M')}Expected non-negative integer for MaxConcurrency, got '-1' instead.` });
  });

  it('accepts a variable holding a numeric string', async () => {
    const definition = { StartAt: 'Set', States: { Set: { Type: 'Pass', Assign: { max: '2' }, Next: 'M' }, M: { ...map('$max').States.M } } };
    const result = await runDefinition(definition, { input: { items: [1, 2, 3] }, timeScale: 0 });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([1, 2, 3]);
  });
});

describe('ToleratedFailureCountPath and ToleratedFailurePercentagePath', () => {
  const map = (fields: object) => ({
    StartAt: 'M',
    States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...processor }, ...fields, End: true } },
  });

  it.each([
    [{ ToleratedFailureCountPath: '$.n' }, 'x', 'The ToleratedFailureCountPath field refers to value "x" which is not a valid integer: $.n'],
    [{ ToleratedFailureCountPath: '$.n' }, 0.5, 'The ToleratedFailureCountPath field refers to value "0.5" which is not a valid integer: $.n'],
    [{ ToleratedFailureCountPath: '$.n' }, -1, 'ToleratedFailureCount cannot be negative.'],
    [{ ToleratedFailurePercentagePath: '$.n' }, [1], 'The ToleratedFailurePercentagePath field refers to value "[1]" which is not a valid float: $.n'],
    [{ ToleratedFailurePercentagePath: '$.n' }, 100.5, 'ToleratedFailurePercentage must be between 0 and 100.'],
    [{ ToleratedFailurePercentagePath: '$.n' }, -1, 'ToleratedFailurePercentage must be between 0 and 100.'],
  ])('%j with %j fails with States.Runtime', async (fields, value, cause) => {
    expect(await failure(map(fields), { n: value as JsonValue, items: [1] })).toEqual({ error: 'States.Runtime', cause: PREFIX('M') + cause });
  });

  it('accepts variables holding numeric strings', async () => {
    const definition = {
      StartAt: 'Set',
      States: { Set: { Type: 'Pass', Assign: { count: '1', percent: '12.5' }, Next: 'M' }, M: map({ ToleratedFailureCountPath: '$count', ToleratedFailurePercentagePath: '$percent' }).States.M },
    };
    const result = await runDefinition(definition, { input: { items: [1, 2] }, timeScale: 0 });
    expect(result.status).toBe('SUCCEEDED');
  });
});

describe('Wait SecondsPath', () => {
  const wait = { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.input.waitSeconds', End: true } } };

  it.each([
    [1.5, 'The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5'],
    [-1.5, 'The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == -1.5'],
    ['10', 'The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 10'],
    [-1, 'The SecondsPath parameter references a negative value: $.input.waitSeconds == -1'],
  ])('%j fails with States.Runtime', async (value, cause) => {
    expect(await failure(wait, { input: { waitSeconds: value } })).toEqual({ error: 'States.Runtime', cause: PREFIX('W') + cause });
  });

  it('waits 0 seconds', async () => {
    expect((await runDefinition(wait, { input: { input: { waitSeconds: 0 } }, timeScale: 0 })).status).toBe('SUCCEEDED');
  });
});

describe('JSONata fields that evaluate to nothing or to the wrong type', () => {
  const jsonata = (state: object) => ({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { ...state, End: true } } });

  it.each([
    [{ absent: 1 }, "'object' for value: {\"absent\":1}"],
    ['text', "'string' for value: \"text\""],
    [7, "'number' for value: 7"],
    [null, "'null' for value: null"],
  ])('a Map whose Items evaluate to %j fails with States.QueryEvaluationError', async (value, described) => {
    expect(await failure(jsonata({ Type: 'Map', Items: '{% $states.input.v %}', ItemProcessor: processor }), { v: value as JsonValue })).toEqual({
      error: 'States.QueryEvaluationError',
      cause: `${PREFIX('S')}The JSONata expression '$states.input.v' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was ${described}`,
    });
  });

  it.each([
    [{ Output: '{% $states.input.absent %}' }, 'Output'],
    [{ Output: { v: '{% $states.input.absent %}' } }, 'Output/v'],
    [{ Assign: { x: '{% $states.input.absent %}' } }, 'Assign/x'],
  ])('a Pass with %j fails with States.QueryEvaluationError naming %s', async (fields, place) => {
    expect(await failure(jsonata({ Type: 'Pass', ...fields }), {})).toEqual({
      error: 'States.QueryEvaluationError',
      cause: `${PREFIX('S')}The JSONata expression '$states.input.absent' specified for the field '${place}' returned nothing (undefined).`,
    });
  });
});

describe('Fail with intrinsic ErrorPath and CausePath', () => {
  it('fails with the error and cause the intrinsics build', async () => {
    const definition = { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: "States.Format('E{}', $.n)", CausePath: 'States.JsonToString($)' } } };
    expect(await failure(definition, { n: 1 })).toEqual({ error: 'E1', cause: '{"n":1}' });
  });
});

describe('paths', () => {
  it('reads the context object in InputPath and OutputPath', async () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$$.Execution.Input', Parameters: { 'name.$': '$$.State.Name', 'a.$': '$.a' }, OutputPath: '$$.State.Name', End: true } } };
    expect((await runDefinition(definition, { input: { a: 1 }, timeScale: 0 })).output).toBe('P');
  });
  it('reads bracket notation with escaped quotes', async () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'single.$': "$['it\\'s']", 'double.$': '$["say \\"hi\\""]' }, End: true } } };
    expect((await runDefinition(definition, { input: { "it's": 1, 'say "hi"': 2 }, timeScale: 0 })).output).toEqual({ single: 1, double: 2 });
  });
});
