// The kernel-trace recorder turns tracepoints on only while a ping runs; the
// trace.txt projection keeps the same windows.
import type { World } from '../kernel/world.ts';

export function openTraceWindow(w: World): void {
  if (w.out.muted) return;
  w.out.traceWindows.push({ startStep: w.rec.count, endStep: -1, startEvent: w.rec.events.total, endEvent: -1 });
}

export function closeTraceWindow(w: World): void {
  if (w.out.muted) return;
  const win = w.out.traceWindows[w.out.traceWindows.length - 1];
  if (win && win.endStep < 0) {
    win.endStep = w.rec.count;
    win.endEvent = w.rec.events.total;
  }
}
