// Timers on the virtual clock. A timer is data (kind + owner + generation), so
// the whole queue survives structuredClone; stale ones are skipped on expiry.
import type { Timer, TimerKind, World } from './world.ts';

export function addTimer(w: World, at: number, kind: TimerKind, ref: number, gen: number): void {
  const t: Timer = { at, seq: w.timerSeq++, kind, ref, gen };
  // Keep the queue sorted by (at, seq): binary search for the insertion point.
  const q = w.timers;
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (q[mid].at < at || (q[mid].at === at && q[mid].seq < t.seq)) lo = mid + 1;
    else hi = mid;
  }
  q.splice(lo, 0, t);
}

export function nextTimer(w: World): Timer | undefined {
  return w.timers[0];
}

export function popTimer(w: World): Timer | undefined {
  return w.timers.shift();
}
