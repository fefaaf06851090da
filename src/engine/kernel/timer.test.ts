import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addTimer, calc_wheel_index, mod_timer, popTimer } from './timer.ts';
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

describe('timer wheel', () => {
  it('puts a timer in the level its distance selects and rounds its expiry up to that level', () => {
    // Level 0 (under 63 jiffies): the next jiffy after the expiry.
    expect(calc_wheel_index(1010, 1000)).toEqual({ lvl: 0, bucketExpiry: 1011 });
    // Level 1 (63 to 503 jiffies): a multiple of 8 strictly after it.
    expect(calc_wheel_index(1250, 1000)).toEqual({ lvl: 1, bucketExpiry: 1256 });
    expect(calc_wheel_index(1256, 1000)).toEqual({ lvl: 1, bucketExpiry: 1264 });
    // Level 2 (504 to 4031): a multiple of 64.
    expect(calc_wheel_index(2250, 1000)).toEqual({ lvl: 2, bucketExpiry: 2304 });
    // Already due: the bucket being run now.
    expect(calc_wheel_index(990, 1000)).toEqual({ lvl: 0, bucketExpiry: 1000 });
  });

  it('runs the timers of one bucket newest first, after the coarser levels', () => {
    const w = { timers: [], timerSeq: 0, now: 0, timerSoftirqRunning: false } as unknown as World;
    // Both due about a second on, armed 0.5 ms apart: one bucket of level 1.
    mod_timer(w, 1_000_000_000, 'neigh', 1, 0);
    w.now = 500_000;
    mod_timer(w, 1_000_500_000, 'tcp_retransmit', 2, 0);
    // Due one jiffy before that bucket, 15 jiffies away: level 0, run at the same jiffy.
    w.now = 960_000_000;
    mod_timer(w, 1_020_000_000, 'tcp_delack', 3, 0);
    const out: [number, number][] = [];
    for (let t = popTimer(w); t; t = popTimer(w)) out.push([t.ref, t.at]);
    expect(out).toEqual([
      [2, 1_024_000_000],
      [1, 1_024_000_000],
      [3, 1_024_000_000],
    ]);
  });
});
