/**
 * Intrinsic functions, with the examples of the Step Functions developer
 * guide ("Intrinsic functions for JSONPath states") as expected values.
 */
import fc from 'fast-check';
import { DefinitionSyntaxError } from '../../../lib/asl/diagnostics';
import { IntrinsicFailure } from '../../../lib/asl/errors';
import { compileIntrinsic } from '../../../lib/asl/intrinsics';
import type { JsonValue } from '../../../lib/asl/json';
import { testEnv } from '../jsonpath/env';

const env = testEnv({ greeting: 'Hello' });
const run = (source: string, input: JsonValue = {}) => compileIntrinsic(source).evaluate(input, env);

function failure(source: string, input: JsonValue = {}): IntrinsicFailure {
  try {
    run(source, input);
  } catch (err) {
    if (err instanceof IntrinsicFailure) return err;
    throw err;
  }
  throw new Error(`${source} did not fail`);
}

describe('developer guide examples', () => {
  it('States.Format', () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' })).toBe('Hello, my name is Arnav.');
  });
  it('States.StringToJson and States.JsonToString', () => {
    expect(run('States.StringToJson($.escapedJsonString)', { escapedJsonString: '{"foo": "bar"}' })).toEqual({ foo: 'bar' });
    expect(run('States.JsonToString($.unescapedJson)', { unescapedJson: { foo: 'bar' } })).toBe('{"foo":"bar"}');
  });
  it('States.Array', () => {
    expect(run("States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: 'abcdefg' } })).toEqual(['Foo', 2020, { random: 'abcdefg' }, null]);
  });
  it('States.ArrayPartition', () => {
    expect(run('States.ArrayPartition($.inputArray,4)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  });
  it('States.ArrayContains', () => {
    expect(run('States.ArrayContains($.inputArray, $.lookingFor)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 })).toBe(true);
    expect(run("States.ArrayContains($.a, $.b)", { a: [{ x: [1] }], b: { x: [1] } })).toBe(true);
  });
  it('States.ArrayRange', () => {
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1]);
  });
  it('States.ArrayGetItem and States.ArrayLength', () => {
    expect(run('States.ArrayGetItem($.inputArray, $.index)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 })).toBe(6);
    expect(run('States.ArrayLength($.inputArray)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe(9);
  });
  it('States.ArrayUnique', () => {
    expect(run('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
  });
  it('States.Base64Encode and States.Base64Decode', () => {
    expect(run('States.Base64Encode($.input)', { input: 'Data to encode' })).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run('States.Base64Decode($.base64)', { base64: 'RGVjb2RlZCBkYXRh' })).toBe('Decoded data');
  });
  it('States.Hash', () => {
    expect(run('States.Hash($.Data, $.Algorithm)', { Data: 'input data', Algorithm: 'SHA-1' })).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
  });
  it('States.JsonMerge (shallow)', () => {
    const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };
    expect(run('States.JsonMerge($.json1, $.json2, false)', input)).toEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3 });
  });
  it('States.MathAdd', () => {
    expect(run('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 })).toBe(110);
  });
  it('States.StringSplit', () => {
    expect(run('States.StringSplit($.inputString, $.splitter)', { inputString: '1,2,3,4,5', splitter: ',' })).toEqual(['1', '2', '3', '4', '5']);
    expect(run('States.StringSplit($.inputString, $.splitter)', { inputString: 'This.is+a,test=string', splitter: '.+,=' })).toEqual(['This', 'is', 'a', 'test', 'string']);
  });
});

describe('evaluation', () => {
  it('nests invocations and reads the context object and variables', () => {
    expect(run("States.Format('{} from {}', $greeting, $$.Execution.Name)")).toBe('Hello from e1');
    expect(run("States.ArrayLength(States.Array(1, States.Array(2), 'x'))")).toBe(3);
  });
  it('honours escaped quotes and braces in string literals', () => {
    expect(run("States.Format('It\\'s \\{literal\\} and {}', 'x')")).toBe("It's {literal} and x");
    expect(run("States.Array('a\\{b')")).toEqual(['a{b']);
  });
  it('formats numbers, booleans and null as JSON text', () => {
    expect(run("States.Format('{} {} {}', 1.5, true, null)")).toBe('1.5 true null');
  });
  it('draws MathRandom and UUID from the deterministic random source', () => {
    const value = run('States.MathRandom(1, 10)') as number;
    expect(value).toBeGreaterThanOrEqual(1);
    expect(value).toBeLessThanOrEqual(10);
    expect(run('States.UUID()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run('States.UUID()')).toBe(run('States.UUID()'));
    expect(run('States.MathRandom(1, 1000, 7)')).toBe(run('States.MathRandom(1, 1000, 7)'));
  });
});

describe('what AWS accepts (values recorded on Step Functions)', () => {
  it.each([
    [1.49, 1.5, 3],
    [1.5, 1.51, 4],
    [-1.49, -1.5, -2],
    [-1.5, -1.51, -3],
    [0.5, 0, 1],
    [2.5, 0, 3],
    [-0.5, 0, 0],
    [-2.5, 0, -2],
    [-9, 3, -6],
  ])('States.MathAdd(%p, %p) rounds each argument half up: %p', (a, b, sum) => {
    expect(run('States.MathAdd($.a, $.b)', { a, b })).toBe(sum);
  });
  it('States.Format writes objects and arrays as Java prints them', () => {
    const value = { Arg1: 1, Arg2: [] };
    expect(run("States.Format('fst={} and snd={}.', $.v, $.v)", { v: value })).toBe('fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.');
    expect(run("States.Format('{}', $.v)", { v: [1, 'a', null, { b: true }] })).toBe('[1, a, null, {b=true}]');
  });
  it.each(['', ' ', '\n\t '])('States.StringToJson(%j) is null', (text) => {
    expect(run('States.StringToJson($.s)', { s: text })).toBeNull();
  });
});

describe('run-time failures (States.IntrinsicFailure)', () => {
  it('names the function, argument and type when an argument has the wrong type', () => {
    expect(failure('States.ArrayLength($.a)', { a: 'text' }).causeText).toBe('The argument 1 of States.ArrayLength must be an array, but was string: "text"');
    expect(failure('States.MathAdd($.a, 1)', { a: '1' }).causeText).toBe('The argument 1 of States.MathAdd must be a number, but was string: "1"');
  });
  it('fails on a path argument that matches nothing', () => {
    expect(failure('States.ArrayLength($.missing)', { a: 1 }).causeText).toBe("The JsonPath argument '$.missing' could not be found in the input '{\"a\":1}'");
  });
  it('enforces limits on values only known at run time', () => {
    expect(failure('States.ArrayRange(0, $.n, 1)', { n: 1000 }).causeText).toBe(
      'States.ArrayRange can generate at most 1000 items, but the arguments (0, 1000, 1) generate 1001',
    );
    expect(failure('States.ArrayGetItem($.a, 3)', { a: [1] }).causeText).toBe('The index argument of States.ArrayGetItem (3) is out of bounds for an array of length 1');
    expect(failure('States.Base64Encode($.s)', { s: 'x'.repeat(10_001) }).causeText).toBe('The input of States.Base64Encode must be at most 10000 characters, but had 10001');
    expect(failure('States.StringToJson($.s)', { s: '{bad' }).causeText).toBe('The argument of States.StringToJson is not valid JSON: "{bad"');
    expect(failure("States.Format($.t, 1)", { t: 'no placeholders' }).causeText).toBe("States.Format's template has 0 placeholders but 1 argument was given");
  });
});

describe('compile-time errors (DefinitionSyntaxError)', () => {
  it.each([
    ['States.Nope(1)', "unknown function 'States.Nope'"],
    ['States.ArrayLength()', 'States.ArrayLength expects 1 argument, found 0'],
    ['States.MathAdd(1, 2, 3)', 'States.MathAdd expects 2 arguments, found 3'],
    ["States.ArrayLength('x')", 'The argument 1 of States.ArrayLength must be an array, but was string: "x"'],
    ['States.ArrayRange(1, 1001, 1)', 'States.ArrayRange can generate at most 1000 items, but the arguments (1, 1001, 1) generate 1001'],
    ['States.ArrayRange(1, 5, 0)', 'The step argument of States.ArrayRange must not be 0'],
    ["States.Hash('a', 'SHA-3')", "The hashing algorithm of States.Hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was 'SHA-3'"],
    ['States.JsonMerge($.a, $.b, true)', 'States.JsonMerge supports only shallow merging: its third argument must be false'],
    ["States.Format('{} {}', 1)", "States.Format's template has 2 placeholders but 1 argument was given"],
    ["States.Format('x'", "expected ')'"],
    ["States.Array('open)", 'unterminated string literal'],
    ['States.Array(1) extra', 'unexpected text after the invocation'],
  ])('%s → %s', (source, message) => {
    expect(() => compileIntrinsic(source)).toThrow(DefinitionSyntaxError);
    expect(() => compileIntrinsic(source)).toThrow(message);
  });
});

describe('properties', () => {
  const str = fc.string({ maxLength: 200 });
  it('Base64Decode inverts Base64Encode', () => {
    fc.assert(fc.property(str, (s) => expect(run('States.Base64Decode(States.Base64Encode($.s))', { s })).toBe(s)));
  });
  it('StringToJson inverts JsonToString', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => expect(run('States.StringToJson(States.JsonToString($.v))', { v: v as JsonValue })).toEqual(JSON.parse(JSON.stringify(v)))));
  });
  it('the partitions of an array concatenate to the array', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 10 }), (a, n) => {
        const parts = run(`States.ArrayPartition($.a, ${n})`, { a }) as number[][];
        expect(parts.flat()).toEqual(a);
        expect(parts.every((p) => p.length <= n && p.length > 0)).toBe(true);
      }),
    );
  });
  it('ArrayRange has the length its bounds imply', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -100, max: 100 }), fc.integer({ min: 1, max: 7 }), (a, b, step) => {
        const out = run(`States.ArrayRange(${a}, ${b}, ${step})`) as number[];
        expect(out.length).toBe(Math.max(0, Math.floor((b - a) / step) + 1));
      }),
    );
  });
  it('Format without placeholders returns its template', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z ]{0,30}$/), (s) => expect(run(`States.Format('${s}')`)).toBe(s)));
  });
});
