/** The in-process message queue: first in, first out, whatever the mix of pushes and shifts. */
import fc from 'fast-check';
import { Fifo } from '../../../lib/service/in-process/fifo';

describe('Fifo', () => {
  it('returns items in the order pushed, across chunks, for any mix of pushes and shifts', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('shift' as const), fc.integer({ min: 1, max: 3000 })), { maxLength: 60 }), (ops) => {
        const fifo = new Fifo<number>();
        const model: number[] = [];
        let next = 0;
        for (const op of ops) {
          if (op === 'shift') {
            expect(fifo.peek()).toBe(model[0]);
            expect(fifo.shift()).toBe(model.shift());
          } else {
            for (let i = 0; i < op; i++) {
              fifo.push(next);
              model.push(next++);
            }
          }
          expect(fifo.length).toBe(model.length);
        }
        while (model.length > 0) expect(fifo.shift()).toBe(model.shift());
        expect(fifo.shift()).toBeUndefined();
        expect(fifo.peek()).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
