/** JSONata fields, with examples from the developer guide ("Transforming data with JSONata"). */
import { DefinitionSyntaxError } from '../../../lib/asl/diagnostics';
import { QueryEvaluationError } from '../../../lib/asl/errors';
import type { JsonValue } from '../../../lib/asl/json';
import { compileJsonata, isJsonataExpression } from '../../../lib/asl/jsonata';
import { testEnv } from '../jsonpath/env';

const env = testEnv({ total: 5, customer: { name: 'Ada' } });

describe('compileJsonata', () => {
  it('evaluates expressions nested in a JSON value against $states', async () => {
    const value = { sum: '{% $sum($states.input.values) %}', fixed: 'text', list: ['{% $states.input.values[0] %}', 2] };
    expect(await compileJsonata(value).evaluate({ input: { values: [1, 2, 3] } }, env)).toEqual({ sum: 6, fixed: 'text', list: [1, 2] });
  });

  it('binds $states.result, $states.errorOutput and $states.context', async () => {
    const value = { r: '{% $states.result.x %}', e: '{% $states.errorOutput.Error %}', n: '{% $states.context.Execution.Name %}' };
    expect(await compileJsonata(value).evaluate({ input: {}, result: { x: 1 }, errorOutput: { Error: 'E' } }, env)).toEqual({ r: 1, e: 'E', n: 'e1' });
  });

  it('reads variables as $name', async () => {
    expect(await compileJsonata('{% $total * 2 & " for " & $customer.name %}').evaluate({ input: {} }, env)).toBe('10 for Ada');
  });

  it('returns a literal value unchanged and a string with {% inside as a literal', async () => {
    const value = { a: [1, { b: 'x {% y' }] };
    expect(await compileJsonata(value).evaluate({ input: {} }, env)).toBe(value);
    expect(isJsonataExpression('{% 1 %}')).toBe(true);
    expect(isJsonataExpression('a {% 1 %}')).toBe(false);
  });

  it('provides Step Functions functions $partition, $range, $hash, $parse, $random and $uuid', async () => {
    const run = (e: string) => compileJsonata(`{% ${e} %}`).evaluate({ input: {} }, env);
    expect(await run('$partition([1,2,3,4,5], 2)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(await run('$range(0, 10, 5)')).toEqual([0, 5, 10]);
    expect(await run("$hash('input data', 'SHA-1')")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(await run('$parse(\'{"a":[1]}\')')).toEqual({ a: [1] });
    const r = (await run('$random()')) as number;
    expect(r >= 0 && r < 1).toBe(true);
    expect(await run('$random(7)')).toBe(await run('$random(7)'));
    expect(await run('$uuid()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('turns JSONata sequences into plain arrays', async () => {
    const out = await compileJsonata('{% $states.input.items.id %}').evaluate({ input: { items: [{ id: 1 }, { id: 2 }] } }, env);
    expect(out).toEqual([1, 2]);
    expect(Object.keys(out as object)).toEqual(['0', '1']);
  });

  it('keeps a field whose expression returns null', async () => {
    expect(await compileJsonata({ a: '{% $states.input.none %}', b: 1 }).evaluate({ input: { none: null } }, env)).toEqual({ a: null, b: 1 });
  });
});

describe('errors', () => {
  it.each([
    [{ Input: { pushLocation: '{% $states.input.pushLocation %}' } }, 'Arguments', 'Arguments/Input/pushLocation'],
    [{ a: { b: [1, '{% $states.input.absent %}'] } }, 'Output', 'Output/a/b[1]'],
    [{ x: '{% $states.input.absent %}' }, 'Assign', 'Assign/x'],
  ])('an expression nested in %j that returns nothing fails, named by its place', async (value, field, place) => {
    const expression = JSON.stringify(value).match(/\{% (.*?) %\}/)![1];
    await expect(compileJsonata(value, field).evaluate({ input: {} }, env)).rejects.toThrow(
      `The JSONata expression '${expression}' specified for the field '${place}' returned nothing (undefined).`,
    );
  });

  async function failure(value: JsonValue, field?: string): Promise<QueryEvaluationError> {
    try {
      await compileJsonata(value, field).evaluate({ input: { s: 'text' } }, env);
    } catch (err) {
      if (err instanceof QueryEvaluationError) return err;
      throw err;
    }
    throw new Error('no failure');
  }

  it('fails with States.QueryEvaluationError when a whole field evaluates to nothing', async () => {
    const err = await failure('{% $states.input.missing %}', 'Output');
    expect(err.error).toBe('States.QueryEvaluationError');
    expect(err.causeText).toBe("The JSONata expression '$states.input.missing' specified for the field 'Output' returned nothing (undefined).");
  });

  it('reports JSONata run-time errors with their code', async () => {
    const err = await failure('{% $states.input.s + 1 %}', 'Arguments');
    expect(err.causeText).toBe(
      "An error occurred while evaluating the JSONata expression '$states.input.s + 1' specified for the field 'Arguments': T2001: The left side of the \"+\" operator must evaluate to a number",
    );
  });

  it('rejects an expression that does not parse, at compile time', () => {
    expect(() => compileJsonata('{% $sum( %}', 'Output')).toThrow(DefinitionSyntaxError);
    expect(() => compileJsonata('{% $sum( %}', 'Output')).toThrow("The JSONata expression '$sum(' specified for the field 'Output' is invalid");
  });

  it('reports bad arguments to Step Functions functions', async () => {
    const err = await failure("{% $hash('a', 'SHA-3') %}");
    expect(err.causeText).toContain("$hash's algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was 'SHA-3'");
  });
});
