/**
 * The benchmark workloads: each a definition, an input and the number of
 * state transitions one execution makes (the same for every engine, so
 * transitions per second compare like with like).
 */
import type { JsonValue } from '../lib/asl/json';

export interface Workload {
  /** Short name used in the table and the final `bench:` lines. */
  readonly name: string;
  readonly description: string;
  readonly definition: Record<string, unknown>;
  readonly input: JsonValue;
  /** Executions per timed sample; larger workloads run once. */
  readonly executionsPerSample: number;
  /** Whether peers are run too (not for the linearity check's smaller Maps). */
  readonly peers: boolean;
}

function passChain(count: number, withParameters: boolean): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const next = i + 1 < count ? { Next: `P${i + 1}` } : { End: true };
    states[`P${i}`] = withParameters ? { Type: 'Pass', Parameters: { 'n.$': '$.n', step: i }, ResultPath: '$.last', ...next } : { Type: 'Pass', ...next };
  }
  return { StartAt: 'P0', States: states };
}

function inlineMap(name: string): Record<string, unknown> {
  return {
    StartAt: name,
    States: {
      [name]: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: `${name}Item`,
          States: { [`${name}Item`]: { Type: 'Pass', Parameters: { 'v.$': '$.value' }, End: true } },
        },
        ResultSelector: { 'count.$': 'States.ArrayLength($)' },
        End: true,
      },
    },
  };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function parallel(branches: number, depth: number): Record<string, unknown> {
  return {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Parallel',
        // State names are unique across branches: one peer requires it.
        Branches: range(branches).map((b) => {
          const states: Record<string, unknown> = {};
          for (let i = 0; i < depth; i++) states[`B${b}S${i}`] = { Type: 'Pass', ...(i + 1 < depth ? { Next: `B${b}S${i + 1}` } : { End: true }) };
          return { StartAt: `B${b}S0`, States: states };
        }),
        End: true,
      },
    },
  };
}

/** A payload of about `bytes` bytes of JSON. */
function payload(bytes: number): JsonValue {
  const row = { id: 'x'.repeat(16), text: 'lorem ipsum dolor sit amet '.repeat(3), n: 12345 };
  const rowSize = JSON.stringify(row).length + 1;
  return { rows: range(Math.ceil(bytes / rowSize)).map((i) => ({ ...row, n: i })) };
}

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'pass-chain-1000',
    description: '1,000 Pass states with Parameters and ResultPath',
    definition: passChain(1000, true),
    input: { n: 7 },
    executionsPerSample: 5,
    peers: true,
  },
  {
    name: 'choice-loop-10000',
    description: 'Choice loop of 10,000 iterations with States.MathAdd',
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Parameters: { i: 0 }, Next: 'Loop' },
        Loop: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: 10000, Next: 'Increment' }], Default: 'Done' },
        Increment: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Loop' },
        Done: { Type: 'Succeed' },
      },
    },
    input: {},
    executionsPerSample: 1,
    peers: true,
  },
  {
    name: 'map-inline-10000',
    description: 'inline Map over 10,000 items with ItemSelector',
    definition: inlineMap('Each'),
    input: { items: range(10000) },
    executionsPerSample: 1,
    peers: true,
  },
  {
    name: 'parallel-50x20',
    description: 'Parallel of 50 branches × 20 Pass states',
    definition: parallel(50, 20),
    input: { seed: 1 },
    executionsPerSample: 5,
    peers: true,
  },
  {
    name: 'payload-200k-200-pass',
    description: '200 KiB payload through 200 Pass states',
    definition: passChain(200, false),
    input: payload(200 * 1024),
    executionsPerSample: 5,
    peers: true,
  },
  {
    name: 'intrinsics-loop-2000',
    description: 'loop of 2,000 iterations, each calling 8 intrinsic functions',
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Parameters: { i: 0, tags: 'a,b,c,d' }, Next: 'Loop' },
        Loop: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: 2000, Next: 'Work' }], Default: 'Done' },
        Work: {
          Type: 'Pass',
          Parameters: {
            'i.$': 'States.MathAdd($.i, 1)',
            'tags.$': '$.tags',
            'label.$': "States.Format('item {} of {}', $.i, 2000)",
            'parts.$': "States.ArrayLength(States.StringSplit($.tags, ','))",
            'digest.$': "States.Hash($.tags, 'SHA-1')",
            'encoded.$': 'States.Base64Encode($.tags)',
            'has.$': "States.ArrayContains(States.Array('a', 'b'), 'b')",
            'json.$': 'States.JsonToString(States.Array($.i, $.i))',
          },
          Next: 'Loop',
        },
        Done: { Type: 'Pass', Parameters: { 'i.$': '$.i', 'label.$': '$.label' }, End: true },
      },
    },
    input: {},
    executionsPerSample: 1,
    peers: true,
  },
  {
    name: 'map-100000',
    description: 'inline Map over 100,000 items',
    definition: inlineMap('Big'),
    input: { items: range(100000) },
    executionsPerSample: 1,
    peers: true,
  },
];

/** The 100,000-item Map at smaller sizes, to check time grows linearly with items. */
export function mapOfSize(items: number): Workload {
  return { name: `map-${items}`, description: `inline Map over ${items} items`, definition: inlineMap('Big'), input: { items: range(items) }, executionsPerSample: 1, peers: false };
}
