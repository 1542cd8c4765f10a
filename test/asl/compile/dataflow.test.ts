/**
 * A state's data flow reports its stages to an observer given at compile
 * time (TestState's inspection), and a flow compiled without one computes
 * the same values.
 */
import { compileJsonataFlow, compileJsonPathFlow, type FlowStage } from '../../../lib/asl/compile/dataflow';
import type { EvalEnv } from '../../../lib/asl/env';
import type { JsonObject, JsonValue } from '../../../lib/asl/json';

const env: EvalEnv = {
  variables: {},
  random: () => 0,
  context: () => ({}) as never,
  contextMember: () => undefined,
} as unknown as EvalEnv;

const TASK = { parameters: true, result: true, producesResult: true };
const CHOICE = { parameters: false, result: false, producesResult: false };

function recorder(): { stages: [FlowStage, JsonValue][]; observe: (stage: FlowStage, value: JsonValue) => void } {
  const stages: [FlowStage, JsonValue][] = [];
  return { stages, observe: (stage, value) => stages.push([stage, value]) };
}

describe('the JSONPath data flow', () => {
  const task: JsonObject = { InputPath: '$.order', Parameters: { 'qty.$': '$.n' }, ResultSelector: { 'sum.$': '$.total' }, ResultPath: '$.priced' };
  const raw = { order: { n: 4 }, id: 'o-1' };

  it('reports each stage in order as it computes it', async () => {
    const { stages, observe } = recorder();
    const flow = compileJsonPathFlow(task, TASK, undefined, observe);
    const effective = await flow.effectiveInput(raw, env);
    const outcome = await flow.finish(raw, effective, { total: 12 }, env);
    expect(outcome.output).toEqual({ order: { n: 4 }, id: 'o-1', priced: { sum: 12 } });
    expect(stages).toEqual([
      ['afterInputPath', { n: 4 }],
      ['afterParameters', { qty: 4 }],
      ['result', { total: 12 }],
      ['afterResultSelector', { sum: 12 }],
      ['afterResultPath', { order: { n: 4 }, id: 'o-1', priced: { sum: 12 } }],
    ]);
  });

  it('computes the same values unobserved', async () => {
    const flow = compileJsonPathFlow(task, TASK);
    const effective = await flow.effectiveInput(raw, env);
    expect(effective).toEqual({ qty: 4 });
    expect((await flow.finish(raw, effective, { total: 12 }, env)).output).toEqual({ order: { n: 4 }, id: 'o-1', priced: { sum: 12 } });
  });

  it('reports the steps a state does not have with the value passing through, and no result stages without a result', async () => {
    const { stages, observe } = recorder();
    const flow = compileJsonPathFlow({}, CHOICE, undefined, observe);
    await flow.finish({ a: 1 }, await flow.effectiveInput({ a: 1 }, env), { a: 1 }, env);
    expect(stages).toEqual([
      ['afterInputPath', { a: 1 }],
      ['afterParameters', { a: 1 }],
    ]);
  });

  it('stops reporting where a step fails', async () => {
    const { stages, observe } = recorder();
    const flow = compileJsonPathFlow({ ResultSelector: { 'x.$': '$.missing' } }, TASK, undefined, observe);
    await expect(Promise.resolve().then(() => flow.finish({}, {}, { total: 1 }, env))).rejects.toMatchObject({ error: 'States.Runtime' });
    expect(stages).toEqual([['result', { total: 1 }]]);
  });
});

describe('the JSONata data flow', () => {
  it('reports the Arguments it made and the result it was given', async () => {
    const { stages, observe } = recorder();
    const flow = compileJsonataFlow({ Arguments: { qty: '{% $states.input.n * 2 %}' }, Output: '{% $states.result.total %}' }, TASK, undefined, observe);
    const effective = await flow.effectiveInput({ n: 5 }, env);
    const outcome = await flow.finish({ n: 5 }, effective, { total: 30 }, env);
    expect(outcome.output).toBe(30);
    expect(stages).toEqual([
      ['afterArguments', { qty: 10 }],
      ['result', { total: 30 }],
    ]);
  });

  it('reports the input as the Arguments, and the result as the output, of a task without them', async () => {
    const { stages, observe } = recorder();
    const flow = compileJsonataFlow({}, TASK, undefined, observe);
    const outcome = await flow.finish({ n: 5 }, await flow.effectiveInput({ n: 5 }, env), { total: 30 }, env);
    expect(outcome.output).toEqual({ total: 30 });
    expect(stages).toEqual([
      ['afterArguments', { n: 5 }],
      ['result', { total: 30 }],
    ]);
  });
});
