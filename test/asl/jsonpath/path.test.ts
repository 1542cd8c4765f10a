import fc from 'fast-check';
import { DefinitionSyntaxError } from '../../../lib/asl/diagnostics';
import { compilePath } from '../../../lib/asl/jsonpath';
import { testEnv } from './env';

const env = testEnv({ order: { id: 'o-1', lines: [{ sku: 'a' }, { sku: 'b' }] } });

describe('compilePath', () => {
  // States Language spec, Paths: input { "foo": 123, "bar": ["a","b","c"], "car": { "cdr": true } }
  const specInput = { foo: 123, bar: ['a', 'b', 'c'], car: { cdr: true } };

  it.each([
    ['$.foo', 123],
    ['$.bar', ['a', 'b', 'c']],
    ['$.car.cdr', true],
    ['$', specInput],
    ["$['car']['cdr']", true],
    ['$.bar[1]', 'b'],
  ])('selects %s as in the spec example', (source, expected) => {
    expect(compilePath(source).select(specInput, env)).toEqual(expected);
  });

  it('returns undefined for a missing field, an index out of range, or a key on a scalar', () => {
    expect(compilePath('$.nope').select(specInput, env)).toBeUndefined();
    expect(compilePath('$.bar[7]').select(specInput, env)).toBeUndefined();
    expect(compilePath('$.foo.x').select(specInput, env)).toBeUndefined();
    expect(compilePath('$.bar.length').select(specInput, env)).toBeUndefined();
  });

  it('keeps null and false as values', () => {
    expect(compilePath('$.a').select({ a: null }, env)).toBeNull();
    expect(compilePath('$.a').select({ a: false }, env)).toBe(false);
  });

  it('reads the context object through $$', () => {
    expect(compilePath('$$.Execution.Name').select({}, env)).toBe('e1');
    expect(compilePath('$$.State.RetryCount').select({}, env)).toBe(0);
  });

  it('reads variables through $name', () => {
    expect(compilePath('$order.id').select({}, env)).toBe('o-1');
    expect(compilePath('$order.lines[1].sku').select({}, env)).toBe('b');
    expect(compilePath('$missing').select({}, env)).toBeUndefined();
  });

  it('returns the matches of wildcards, slices and filters as an array', () => {
    const input = { items: [{ n: 1 }, { n: 5 }, { n: 9 }] };
    expect(compilePath('$.items[*].n').select(input, env)).toEqual([1, 5, 9]);
    expect(compilePath('$.items[1:].n').select(input, env)).toEqual([5, 9]);
    expect(compilePath('$.items[?(@.n > 4)].n').select(input, env)).toEqual([5, 9]);
    expect(compilePath('$..n').select(input, env)).toEqual([1, 5, 9]);
    expect(compilePath('$order.lines[*].sku').select({}, env)).toEqual(['a', 'b']);
  });

  it('marks reference paths and rejects operators where a reference path is required', () => {
    expect(compilePath('$.a.b[0]').isReferencePath).toBe(true);
    expect(compilePath('$.a[*]').isReferencePath).toBe(false);
    expect(() => compilePath('$.a[*]', { reference: true })).toThrow(DefinitionSyntaxError);
    expect(() => compilePath('$..a', { reference: true })).toThrow(DefinitionSyntaxError);
  });

  it.each(['', 'foo', '$.', '$.a[', '$.a]', "$['a"])('rejects %j as a path', (source) => {
    expect(() => compilePath(source)).toThrow(DefinitionSyntaxError);
  });

  it('selects any nested field by its dot path (property)', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 5 }), fc.jsonValue(), (keys, leaf) => {
        const input = keys.reduceRight<unknown>((acc, k) => ({ [k]: acc }), leaf);
        expect(compilePath('$.' + keys.join('.')).select(input as never, env)).toEqual(leaf);
      }),
    );
  });
});
