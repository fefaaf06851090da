// Softirqs (kernel/softirq.c): raising NET_RX, and running pending softirqs
// when bottom halves are re-enabled in task context or when a timer fires.
import type { Timer, World } from './world.ts';
import { popTimer } from './timer.ts';
import { run_timer } from './sched.ts';
import { kfn } from '../trace/functions.ts';
import { enter, leave } from './call.ts';
import { NET_RX_SOFTIRQ, SOFTIRQ_NAMES } from '../include/softnet.ts';
import { trace_softirq_raise } from '../trace/tracepoints.ts';
import { net_rx_action } from '../net/core/dev.ts';

const F_raise_softirq_irqoff = kfn(
  'raise_softirq_irqoff',
  'kernel/softirq.c',
  'Marks a softirq vector pending on this CPU. Nothing runs yet: the work happens when bottom halves are next enabled or an interrupt returns.',
);
const F_local_bh_enable = kfn(
  '__local_bh_enable_ip',
  'kernel/softirq.c',
  "Re-enables bottom halves. In task context with softirqs pending, this is where they run: right here, on the sender's own stack.",
);
const F_handle_softirqs = kfn(
  'handle_softirqs',
  'kernel/softirq.c',
  'Runs every pending softirq vector in order (TIMER before NET_RX), restarting while new ones are raised.',
);

export function raise_softirq_irqoff(w: World, nr: number): void {
  enter(w, F_raise_softirq_irqoff);
  try {
    trace_softirq_raise(w, SOFTIRQ_NAMES[nr]);
    w.cpus[w.cpu].softirqPending |= 1 << nr;
  } finally {
    leave(w);
  }
}

export function local_bh_disable(w: World): void {
  w.cpus[w.cpu].bhDisableCount++;
}

/** local_bh_enable: in task context, runs pending softirqs on this stack. */
export function local_bh_enable(w: World): void {
  const sd = w.cpus[w.cpu];
  sd.bhDisableCount--;
  if (sd.bhDisableCount === 0 && w.ctx === 'task' && sd.softirqPending) {
    enter(w, F_local_bh_enable);
    try {
      do_softirq(w);
    } finally {
      leave(w);
    }
  }
}

/** Runs pending softirqs in softirq context until none is left. */
export function do_softirq(w: World): void {
  const sd = w.cpus[w.cpu];
  if (!sd.softirqPending) return;
  const savedCtx = w.ctx;
  w.ctx = 'softirq';
  sd.bhDisableCount++;
  enter(w, F_handle_softirqs);
  try {
    // The kernel restarts up to 10 times, then defers to ksoftirqd, which
    // runs the same handlers in the same context: we simply loop.
    while (sd.softirqPending) {
      const pending = sd.softirqPending;
      sd.softirqPending = 0;
      if (pending & (1 << NET_RX_SOFTIRQ)) net_rx_action(w);
    }
  } finally {
    leave(w);
    sd.bhDisableCount--;
    w.ctx = savedCtx;
  }
}

/**
 * Runs `fn` as a TIMER softirq handler, then the softirqs it raised. Inside
 * run_timer_softirq, `fn` is one of the bucket's timers: it just runs, and
 * what it raised waits until the bucket is done.
 */
export function runInTimerSoftirq(w: World, fn: () => void): void {
  if (w.timerSoftirqRunning) {
    fn();
    return;
  }
  const sd = w.cpus[w.cpu];
  const savedCtx = w.ctx;
  w.ctx = 'softirq';
  sd.bhDisableCount++;
  try {
    fn();
    sd.bhDisableCount--;
    do_softirq(w);
  } finally {
    w.ctx = savedCtx;
  }
}

/**
 * run_timer_softirq → __run_timers: the timer wheel's bucket that expired at
 * this jiffy, `first` and every other timer_list due with it, in one run of
 * the TIMER softirq; the softirqs they raised (NET_RX for what they sent) run
 * after the last of them, as __do_softirq takes the vectors in order.
 */
export function run_timer_softirq(w: World, first: Timer): void {
  const sd = w.cpus[w.cpu];
  const savedCtx = w.ctx;
  w.ctx = 'softirq';
  sd.bhDisableCount++;
  w.timerSoftirqRunning = true;
  try {
    run_timer(w, first);
    while (w.timers.length && w.timers[0].at === first.at && w.timers[0].lvl >= 0) run_timer(w, popTimer(w)!);
    w.timerSoftirqRunning = false;
    sd.bhDisableCount--;
    do_softirq(w);
  } finally {
    w.timerSoftirqRunning = false;
    w.ctx = savedCtx;
  }
}
