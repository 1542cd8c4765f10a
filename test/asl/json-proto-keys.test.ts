/**
 * `__proto__` is an ordinary key in JSON: every place that builds an object
 * from a user's key keeps it as data and pollutes no prototype.
 */
import { LocalRuntime } from '../../lib/local/runtime';

async function run(definition: unknown, input: unknown): Promise<string> {
  const result = await new LocalRuntime({ timeScale: 0 }).startExecution(definition, { input: input as never }).result;
  if (result.status !== 'SUCCEEDED') throw new Error(`${result.status}: ${result.error} ${result.cause}`);
  return JSON.stringify(result.output);
}

function pass(fields: Record<string, unknown>, queryLanguage?: string): unknown {
  return { ...(queryLanguage ? { QueryLanguage: queryLanguage } : {}), StartAt: 'P', States: { P: { Type: 'Pass', End: true, ...fields } } };
}

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  expect(({} as Record<string, unknown>).x).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
});

describe('__proto__ keys', () => {
  it('ResultPath $.__proto__.x places the result under a __proto__ key', async () => {
    const output = await run(pass({ Result: 1, ResultPath: '$.__proto__.x' }), { a: 1 });
    expect(output).toBe('{"a":1,"__proto__":{"x":1}}');
  });

  it('ResultPath $.__proto__ replaces an existing __proto__ key of the input', async () => {
    const output = await run(pass({ Result: { x: 2 }, ResultPath: '$.__proto__' }), JSON.parse('{"__proto__":{"x":1},"b":2}'));
    expect(output).toBe('{"__proto__":{"x":2},"b":2}');
  });

  it('a Parameters key "__proto__.$" is evaluated and kept', async () => {
    const output = await run(pass({ Parameters: { '__proto__.$': '$.v', y: 1 } }), { v: { x: 1 } });
    expect(output).toBe('{"__proto__":{"x":1},"y":1}');
  });

  it('a static __proto__ key beside a dynamic one is kept', async () => {
    const output = await run(pass({ Parameters: JSON.parse('{"__proto__":{"x":1},"v.$":"$.v"}') }), { v: 2 });
    expect(output).toBe('{"__proto__":{"x":1},"v":2}');
  });

  it('a Map ItemSelector key __proto__ is kept for every item', async () => {
    const definition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          End: true,
          ItemSelector: JSON.parse('{"__proto__":{"x.$":"$$.Map.Item.Value"}}'),
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
        },
      },
    };
    expect(await run(definition, [1, 2])).toBe('[{"__proto__":{"x":1}},{"__proto__":{"x":2}}]');
  });

  it('States.JsonMerge and States.StringToJson keep __proto__ keys', async () => {
    const output = await run(
      pass({
        Parameters: {
          'merged.$': 'States.JsonMerge($.a, $.b, false)',
          'parsed.$': 'States.StringToJson($.text)',
        },
      }),
      JSON.parse('{"a":{"__proto__":{"x":1}},"b":{"y":2},"text":"{\\"__proto__\\":{\\"x\\":3}}"}'),
    );
    expect(output).toBe('{"merged":{"__proto__":{"x":1},"y":2},"parsed":{"__proto__":{"x":3}}}');
  });

  it('a JSONata Output template key __proto__ is kept', async () => {
    const output = await run(pass({ Output: JSON.parse('{"__proto__":{"x":"{% $states.input.v %}"}}') }, 'JSONata'), { v: 1 });
    expect(output).toBe('{"__proto__":{"x":1}}');
  });

  it('a JSONata result holding a __proto__ key is kept', async () => {
    const output = await run(pass({ Output: '{% $states.input %}' }, 'JSONata'), JSON.parse('{"__proto__":{"x":1},"s":[1]}'));
    expect(output).toBe('{"__proto__":{"x":1},"s":[1]}');
  });
});
