import fc from 'fast-check';
import { DefinitionSyntaxError } from '../../../lib/asl/diagnostics';
import { ResultPathMatchFailure } from '../../../lib/asl/errors';
import type { JsonValue } from '../../../lib/asl/json';
import { compileResultPath } from '../../../lib/asl/jsonpath';

describe('compileResultPath', () => {
  // Developer guide, "Specifying state output using ResultPath" examples.
  it('places the result under a new field, keeping the input', () => {
    const out = compileResultPath('$.taskresult').apply({ comment: 'x', details: 'y' }, 'Hello, Step Functions!');
    expect(out).toEqual({ comment: 'x', details: 'y', taskresult: 'Hello, Step Functions!' });
  });

  it('replaces the input with $ and discards the result with null', () => {
    expect(compileResultPath('$').apply({ a: 1 }, { b: 2 })).toEqual({ b: 2 });
    expect(compileResultPath(null).apply({ a: 1 }, { b: 2 })).toEqual({ a: 1 });
  });

  it('creates missing intermediate objects and overwrites an existing field', () => {
    expect(compileResultPath('$.a.b.c').apply({ a: { x: 1 } }, 7)).toEqual({ a: { x: 1, b: { c: 7 } } });
    expect(compileResultPath('$.a').apply({ a: { x: 1 } }, 7)).toEqual({ a: 7 });
  });

  it('writes into an existing array element', () => {
    expect(compileResultPath('$.list[1].v').apply({ list: [{}, { w: 1 }] }, 2)).toEqual({ list: [{}, { w: 1, v: 2 }] });
  });

  it('fails with States.ResultPathMatchFailure when the input cannot hold the path', () => {
    const apply = () => compileResultPath('$.a.b').apply({ a: 'text' }, 1);
    expect(apply).toThrow(ResultPathMatchFailure);
    expect(apply).toThrow('Unable to apply ReferencePath $.a.b to input "{\\"a\\":\\"text\\"}"');
    expect(() => compileResultPath('$.x').apply('hello', 1)).toThrow(ResultPathMatchFailure);
  });

  it('rejects paths that are not reference paths into the input', () => {
    expect(() => compileResultPath('$.a[*]')).toThrow(DefinitionSyntaxError);
    expect(() => compileResultPath('$$.Execution')).toThrow(DefinitionSyntaxError);
    expect(() => compileResultPath('$var.a')).toThrow(DefinitionSyntaxError);
  });

  it('never mutates the input and shares untouched subtrees (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), fc.jsonValue()), fc.jsonValue(), (input, result) => {
        const before = JSON.stringify(input);
        const out = compileResultPath('$.zz_result').apply(input as JsonValue, result as JsonValue) as Record<string, unknown>;
        expect(JSON.stringify(input)).toBe(before);
        expect(out.zz_result).toEqual(result);
        for (const key of Object.keys(input)) expect(out[key]).toBe(input[key]);
      }),
    );
  });
});
