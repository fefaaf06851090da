// Timers on the virtual clock, in a binary min-heap. A timer is data (kind +
// owner + generation), so the whole queue survives structuredClone; stale
// ones are recognised and skipped when they expire.
//
// Two kinds of timer, as in the kernel. A process's sleep or poll timeout is
// an hrtimer: it fires at its exact time (addTimer). A kernel timer_list (a
// neighbour's, TCP's) sits in the timer wheel (mod_timer): it fires on a
// jiffy, the first bucket boundary of its wheel level after its expiry, and
// the timers a bucket holds run together, in one run of the timer softirq.
import type { Timer, TimerKind, World } from './world.ts';

/** CONFIG_HZ of the recorded kernel: a jiffy is 4 ms. */
export const HZ = 250;
export const JIFFY_NS = 1e9 / HZ;

/** jiffies at virtual time `ns`. */
export function jiffiesAt(ns: number): number {
  return Math.floor(ns / JIFFY_NS);
}

// The wheel's geometry (kernel/time/timer.c): each level has 64 buckets and
// is 8 times coarser than the one below.
const LVL_CLK_SHIFT = 3;
const LVL_BITS = 6;
const LVL_SIZE = 1 << LVL_BITS;
const LVL_DEPTH = 9;
const LVL_SHIFT = (lvl: number): number => lvl * LVL_CLK_SHIFT;
/** The smallest delta (expiry minus the wheel's clock) that level `n` takes. */
const LVL_START = (n: number): number => (LVL_SIZE - 1) * 2 ** ((n - 1) * LVL_CLK_SHIFT);

/**
 * calc_wheel_index + calc_index: the level a timer due at jiffy `expires`
 * goes to, seen from the wheel's clock `clk`, and the jiffy its bucket runs
 * at: the next multiple of the level's granularity strictly after `expires`,
 * so that a timer never fires early (even level 0 rounds up one jiffy).
 */
export function calc_wheel_index(expires: number, clk: number): { lvl: number; bucketExpiry: number } {
  const delta = expires - clk;
  if (delta < 0) return { lvl: 0, bucketExpiry: clk };
  let lvl = 0;
  while (lvl < LVL_DEPTH - 1 && delta >= LVL_START(lvl + 1)) lvl++;
  const gran = 2 ** LVL_SHIFT(lvl);
  return { lvl, bucketExpiry: (Math.floor(expires / gran) + 1) * gran };
}

/**
 * Which of two timers runs first. By time; in one bucket (the same jiffy) the
 * timer softirq runs the coarser levels first (expire_timers from the highest
 * level down) and, within a bucket, the newest timer first (enqueue_timer adds
 * at the head of the bucket's list). hrtimers at one instant keep their order.
 */
function before(a: Timer, b: Timer): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.lvl !== b.lvl) return a.lvl > b.lvl;
  return a.lvl < 0 ? a.seq < b.seq : a.seq > b.seq;
}

function push(w: World, t: Timer): void {
  const q = w.timers;
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

/** An hrtimer (a process's sleep, poll or wake-up): it fires at `at` exactly. */
export function addTimer(w: World, at: number, kind: TimerKind, ref: number, gen: number): void {
  push(w, { at, seq: w.timerSeq++, lvl: -1, kind, ref, gen });
}

/**
 * mod_timer: a timer_list due at virtual time `expires` (the kernel's
 * `jiffies + delay`), queued in the timer wheel. While the timer softirq runs
 * the wheel's clock is one jiffy ahead (base->clk was advanced past the bucket
 * being run); otherwise forward_timer_base brings it to jiffies.
 */
export function mod_timer(w: World, expires: number, kind: TimerKind, ref: number, gen: number): void {
  const clk = jiffiesAt(w.now) + (w.timerSoftirqRunning ? 1 : 0);
  const { lvl, bucketExpiry } = calc_wheel_index(jiffiesAt(expires), clk);
  push(w, { at: bucketExpiry * JIFFY_NS, seq: w.timerSeq++, lvl, kind, ref, gen });
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
