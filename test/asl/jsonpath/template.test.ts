import { DefinitionSyntaxError } from '../../../lib/asl/diagnostics';
import { compileTemplate } from '../../../lib/asl/jsonpath';
import { testEnv } from './env';

const env = testEnv({ greeting: 'hi' });

describe('compileTemplate', () => {
  // States Language spec, Payload Template example.
  it('evaluates .$ fields and strips the suffix, as in the spec example', () => {
    const template = { flagged: true, parts: { 'first.$': '$.vals[0]', 'last3.$': '$.vals[3:]' } };
    const input = { flagged: 7, vals: [0, 10, 20, 30, 40, 50] };
    expect(compileTemplate(template).evaluate(input, env)).toEqual({ flagged: true, parts: { first: 0, last3: [30, 40, 50] } });
  });

  it('reads the context object and variables', () => {
    const template = { 'name.$': '$$.Execution.Name', 'g.$': '$greeting', list: [{ 'x.$': '$.x' }, 3] };
    expect(compileTemplate(template).evaluate({ x: 'X' }, env)).toEqual({ name: 'e1', g: 'hi', list: [{ x: 'X' }, 3] });
  });

  it('returns a static template as is, without copying', () => {
    const template = { a: { b: [1, 2] } };
    expect(compileTemplate(template).evaluate({}, env)).toBe(template);
  });

  it('shares static subtrees of a dynamic template', () => {
    const fixed = { deep: [1, 2, 3] };
    const out = compileTemplate({ fixed, 'v.$': '$.v' }).evaluate({ v: 1 }, env) as Record<string, unknown>;
    expect(out.fixed).toBe(fixed);
  });

  it('fails with States.Runtime naming the path, field and input when a path matches nothing', () => {
    const template = compileTemplate({ 'missing.$': '$.nope.deep' });
    let error: unknown;
    try {
      template.evaluate({ other: 1 }, env);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({
      error: 'States.Runtime',
      causeText: "The JSONPath '$.nope.deep' specified for the field 'missing.$' could not be found in the input '{\"other\":1}'",
    });
  });

  it('rejects a .$ field whose value is not a path', () => {
    expect(() => compileTemplate({ 'a.$': 'ipsum' })).toThrow(DefinitionSyntaxError);
    expect(() => compileTemplate({ 'a.$': 3 })).toThrow(DefinitionSyntaxError);
  });
});
