/** Choice Rules, with the States Language specification's examples. */
import fc from 'fast-check';
import { compileCondition } from '../../../lib/asl/choice';
import { DefinitionSyntaxError } from '../../../lib/asl/diagnostics';
import type { JsonValue } from '../../../lib/asl/json';
import { testEnv } from '../jsonpath/env';

const env = testEnv({ limit: 10 });
const test = (rule: JsonValue, input: JsonValue) => compileCondition(rule, 'JSONPath').evaluate(input, env);

describe('comparison operators', () => {
  it.each([
    [{ Variable: '$.s', StringEquals: 'abc' }, { s: 'abc' }, true],
    [{ Variable: '$.s', StringLessThan: 'abd' }, { s: 'abc' }, true],
    [{ Variable: '$.s', StringGreaterThanEquals: 'abc' }, { s: 'abc' }, true],
    [{ Variable: '$.n', NumericEquals: 3 }, { n: 3.0 }, true],
    [{ Variable: '$.n', NumericGreaterThan: 3 }, { n: 3 }, false],
    [{ Variable: '$.n', NumericLessThanEquals: 3 }, { n: 3 }, true],
    [{ Variable: '$.b', BooleanEquals: false }, { b: false }, true],
    [{ Variable: '$.t', TimestampEquals: '2016-03-14T01:59:00Z' }, { t: '2016-03-14T02:59:00+01:00' }, true],
    [{ Variable: '$.t', TimestampLessThan: '2016-03-14T01:59:00Z' }, { t: '2016-03-14T01:58:59.999Z' }, true],
    [{ Variable: '$.t', TimestampGreaterThan: '2016-03-14T01:59:00Z' }, { t: 'not a time' }, false],
    [{ Variable: '$.n', StringEquals: '3' }, { n: 3 }, false],
    [{ Variable: '$.a', NumericGreaterThanPath: '$.b' }, { a: 2, b: 1 }, true],
    [{ Variable: '$.a', StringEqualsPath: '$.b' }, { a: 'x', b: 'x' }, true],
    [{ Variable: '$.n', NumericLessThanPath: '$limit' }, { n: 3 }, true],
    [{ Variable: '$$.Execution.Name', StringEquals: 'e1' }, {}, true],
  ])('%j on %j is %s', (rule, input, expected) => {
    expect(test(rule as JsonValue, input as JsonValue)).toBe(expected);
  });

  it('StringMatches supports * and escapes (developer guide, Choice state)', () => {
    expect(test({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'log-2024.txt' })).toBe(true);
    expect(test({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'log-2024.csv' })).toBe(false);
    expect(test({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'a*b' })).toBe(true);
    expect(test({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'axxb' })).toBe(false);
    expect(test({ Variable: '$.f', StringMatches: 'a\\\\b*' }, { f: 'a\\bc' })).toBe(true);
  });

  it('a pattern without * matches exactly its own text (property)', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z.?+()\[\]]{0,12}$/), fc.stringMatching(/^[a-z.]{0,12}$/), (p, s) => {
      expect(test({ Variable: '$.s', StringMatches: p }, { s })).toBe(p === s);
    }));
  });
});

describe('type tests', () => {
  it.each([
    ['IsNull', null, true],
    ['IsNull', 0, false],
    ['IsNumeric', 1.5, true],
    ['IsString', '1', true],
    ['IsBoolean', false, true],
    ['IsTimestamp', '2016-08-18T17:33:00Z', true],
    ['IsTimestamp', '2016-08-18', false],
  ])('%s on %j is %s', (op, value, expected) => {
    expect(test({ Variable: '$.v', [op]: true }, { v: value as JsonValue })).toBe(expected);
    expect(test({ Variable: '$.v', [op]: false }, { v: value as JsonValue })).toBe(!expected);
  });

  it('IsPresent tells a missing field from a present one', () => {
    expect(test({ Variable: '$.v', IsPresent: true }, {})).toBe(false);
    expect(test({ Variable: '$.v', IsPresent: false }, {})).toBe(true);
    expect(test({ Variable: '$.v', IsPresent: true }, { v: null })).toBe(true);
  });
});

describe('boolean combinations', () => {
  // States Language spec, Choice State example.
  const rule: JsonValue = { And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }] };
  it('And, Or and Not combine rules as in the spec example', () => {
    expect(test(rule, { value: 25 })).toBe(true);
    expect(test(rule, { value: 30 })).toBe(false);
    expect(test({ Not: { Variable: '$.type', StringEquals: 'Private' } }, { type: 'Public' })).toBe(true);
    expect(test({ Or: [{ Variable: '$.a', IsPresent: true }, { Variable: '$.b', BooleanEquals: true }] }, { b: true })).toBe(true);
  });
});

describe('errors', () => {
  it('raises States.Runtime when the Variable matches nothing', () => {
    expect(() => test({ Variable: '$.missing', StringEquals: 'x' }, {})).toThrow(
      "Invalid path '$.missing': The choice state's condition path references an invalid value.",
    );
  });
  it.each([
    [{ Variable: '$.a', Unknown: 1 }, "'Unknown' is not a Choice Rule operator"],
    [{ Variable: '$.a', NumericEquals: 'x' }, "The value of 'NumericEquals' must be a number"],
    [{ Variable: '$.a', TimestampEquals: '2020-01-01' }, "The value of 'TimestampEquals' must be an RFC 3339 timestamp string"],
    [{ Variable: '$.a', StringEquals: 'x', NumericEquals: 1 }, 'A Choice Rule must have exactly one comparison operator, but has StringEquals, NumericEquals'],
    [{ StringEquals: 'x' }, "The Choice Rule with 'StringEquals' must have a Variable that is a path"],
    [{ And: [] }, "The value of 'And' must be a non-empty array of Choice Rules"],
    [{ Variable: '$.a[*]', IsPresent: true }, 'is not a valid reference path'],
  ])('rejects %j', (rule, message) => {
    expect(() => compileCondition(rule as JsonValue, 'JSONPath')).toThrow(DefinitionSyntaxError);
    expect(() => compileCondition(rule as JsonValue, 'JSONPath')).toThrow(message);
  });
});
