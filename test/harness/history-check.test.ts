/** The fault harness's history comparison: the freedom it allows (the order iterations end in) and no more. */
import { compareHistories } from '../../harness/history-check';
import type { HistoryEvent, HistoryEventType } from '../../lib/engine/history';
import { detailsKeyOf } from '../../lib/engine/history-events';

/** A history from [type, previousEventId, index or state name] rows, numbered 1…n. */
function history(rows: readonly [HistoryEventType, number, number | string | undefined][]): HistoryEvent[] {
  return rows.map(([type, previousEventId, x], i) => {
    const e: HistoryEvent = { timestamp: 0, type, id: i + 1, previousEventId };
    const key = detailsKeyOf(type);
    if (key !== undefined && x !== undefined) e[key] = typeof x === 'number' ? { name: 'M', index: x } : { name: x };
    return e;
  });
}

/** A Map at MaxConcurrency 1 of two Pass iterations: the second starts in the commit that counts the first's end. */
const reference = history([
  ['MapStateStarted', 0, undefined],
  ['MapIterationStarted', 1, 0],
  ['PassStateEntered', 2, 'P0'],
  ['MapIterationSucceeded', 2, 0],
  ['MapIterationStarted', 4, 1],
  ['MapIterationSucceeded', 5, 1],
  ['PassStateEntered', 5, 'P1'],
]);

describe('compareHistories', () => {
  it('finds a history whose iteration follows another event of the commit that started it different', () => {
    const linkedToCommitEnd = history([
      ['MapStateStarted', 0, undefined],
      ['MapIterationStarted', 1, 0],
      ['PassStateEntered', 2, 'P0'],
      ['MapIterationSucceeded', 2, 0],
      ['MapIterationStarted', 4, 1],
      ['MapIterationSucceeded', 5, 1],
      ['PassStateEntered', 6, 'P1'],
    ]);

    expect(compareHistories(linkedToCommitEnd, reference)).toBe('different');
    expect(compareHistories(reference, reference)).toBe('identical');
  });

  it('allows the frames’ events to interleave in another order', () => {
    const interleaved = history([
      ['MapStateStarted', 0, undefined],
      ['MapIterationStarted', 1, 0],
      ['PassStateEntered', 2, 'P0'],
      ['MapIterationSucceeded', 2, 0],
      ['MapIterationStarted', 4, 1],
      ['PassStateEntered', 5, 'P1'],
      ['MapIterationSucceeded', 5, 1],
    ]);

    expect(compareHistories(interleaved, reference)).toBe('per_frame');
  });
});
