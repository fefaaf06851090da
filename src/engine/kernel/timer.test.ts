import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addTimer, popTimer } from './timer.ts';
import type { World } from './world.ts';

describe('timer queue', () => {
  it('pops timers by time, then in the order they were added', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const w = { timers: [], timerSeq: 0 } as unknown as World;
        times.forEach((at, i) => addTimer(w, at, 'ping', i, 0));
        const out: number[] = [];
        for (let t = popTimer(w); t; t = popTimer(w)) out.push(t.ref);
        const expected = times
          .map((at, i) => ({ at, i }))
          .sort((a, b) => a.at - b.at || a.i - b.i)
          .map((x) => x.i);
        expect(out).toEqual(expected);
      }),
    );
  });
});
