/**
 * The state machines of the isolation bench (bench/isolation.ts): one short
 * workflow the other callers start, and one runaway per kind of abuse, each
 * with the input that sets it off.
 */
import type { JsonValue } from '../lib/asl/json';

/** The kinds of runaway execution the bench runs beside the others. */
export const RUNAWAY_KINDS = ['choice-loop', 'jsonata-burn', 'huge-map', 'big-payload'] as const;
export type RunawayKind = (typeof RUNAWAY_KINDS)[number];

/** What the other callers start: three Pass states. */
export const SHORT: JsonValue = {
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, Next: 'B' },
    B: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'C' },
    C: { Type: 'Pass', Result: 'done', ResultPath: '$.kind', End: true },
  },
};

/** A runaway's definition and its input. */
export interface Runaway {
  definition: JsonValue;
  input: JsonValue;
}

/** One JSONata evaluation whose time grows with `$states.input.n` (the bench calibrates n on the server). */
const BURN = '{% {"n": $states.input.n, "count": $count([1..$states.input.n][$ % 3 = 0])} %}';

/** One burning Pass state, to time on the server: the calibration of jsonata-burn. */
export const BURN_ONCE: JsonValue = { QueryLanguage: 'JSONata', StartAt: 'Burn', States: { Burn: { Type: 'Pass', Output: BURN, End: true } } };

/**
 * Each kind's runaway. `burnItems` sizes the JSONata expression of
 * jsonata-burn (calibrated so that one evaluation takes most of its 1 s budget).
 */
export function runaway(kind: RunawayKind, burnItems: number): Runaway {
  switch (kind) {
    case 'choice-loop':
      // Loops to itself until the history cap (1,000,000 events) fails it.
      return {
        definition: { StartAt: 'Loop', States: { Loop: { Type: 'Choice', Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'Loop' }], Default: 'Done' }, Done: { Type: 'Succeed' } } },
        input: { go: true },
      };
    case 'jsonata-burn':
      return {
        definition: {
          QueryLanguage: 'JSONata',
          StartAt: 'Burn',
          States: {
            Burn: { Type: 'Pass', Output: BURN, Next: 'Again' },
            Again: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n > 0 %}', Next: 'Burn' }], Default: 'Done' },
            Done: { Type: 'Succeed' },
          },
        },
        input: { n: burnItems },
      };
    case 'huge-map':
      return {
        definition: {
          StartAt: 'Each',
          States: { Each: { Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 0, ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } }, End: true } },
        },
        input: { items: Array.from({ length: 100_000 }, (_, i) => i) },
      };
    case 'big-payload':
      // 10 MiB carried from state to state, for ever.
      return {
        definition: {
          StartAt: 'Carry',
          States: {
            Carry: { Type: 'Pass', Parameters: { 'blob.$': '$.blob', 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Again' },
            Again: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 0, Next: 'Carry' }], Default: 'Done' },
            Done: { Type: 'Succeed' },
          },
        },
        input: { blob: 'x'.repeat(10 * 1024 * 1024), i: 0 },
      };
  }
}

/** State machine names, by kind. */
export const machineName = (kind: RunawayKind): string => `IsoRunaway-${kind}`;
