// Timers on the virtual clock, in a binary min-heap ordered by (at, seq). A
// timer is data (kind + owner + generation), so the whole queue survives
// structuredClone; stale ones are recognised and skipped when they expire.
import type { Timer, TimerKind, World } from './world.ts';

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export function addTimer(w: World, at: number, kind: TimerKind, ref: number, gen: number): void {
  const q = w.timers;
  const t: Timer = { at, seq: w.timerSeq++, kind, ref, gen };
  let i = q.length;
  q.push(t);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(t, q[parent])) break;
    q[i] = q[parent];
    i = parent;
  }
  q[i] = t;
}

export function popTimer(w: World): Timer | undefined {
  const q = w.timers;
  if (!q.length) return undefined;
  const top = q[0];
  const last = q.pop()!;
  if (q.length) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= q.length) break;
      const r = l + 1;
      const c = r < q.length && before(q[r], q[l]) ? r : l;
      if (!before(q[c], last)) break;
      q[i] = q[c];
      i = c;
    }
    q[i] = last;
  }
  return top;
}
