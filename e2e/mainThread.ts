// The main thread's tasks while a spec works, from Chromium's own trace: each
// task's CPU time (the thread's clock) and wall time. The CPU time is what a
// task costs on any machine; the wall time also counts the moments the thread
// waited for a core, several-fold on a loaded shared machine, so specs bound
// the CPU time and only report the wall time.
import type { Browser, Page } from '@playwright/test';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface LongestTask {
  /** The most CPU time one task of a page's main thread took (ms). */
  cpu: number;
  /** The longest wall time of one such task (ms), waits for a core included. */
  wall: number;
  /** Main-thread tasks traced. */
  tasks: number;
}

/** Starts recording the browser's tasks (one recording per browser at a time). */
export async function traceTasks(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: ['toplevel'] });
}

/** One main-thread task of the app: its CPU time (the thread's clock) and its wall time, in ms. */
export interface TracedTask {
  cpu: number;
  wall: number;
}

/**
 * Stops the recording: every task of the app's main thread, in every
 * renderer process that runs the app (one that runs a dedicated worker, the
 * engine's): a host page embedding the app is the spec's, not measured.
 */
export async function tracedTasks(browser: Browser): Promise<TracedTask[]> {
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const threads = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  const app = new Set(threads.filter((e) => e.args?.name === 'DedicatedWorker thread').map((e) => e.pid));
  const main = new Set(
    threads.filter((e) => e.args?.name === 'CrRendererMain' && app.has(e.pid)).map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks: TracedTask[] = [];
  for (const e of trace.traceEvents) {
    // "ThreadControllerImpl::RunTask" in Chromium 156's toplevel category, "RunTask" in others.
    if (!/(^|::)RunTask$/.test(e.name) || e.ph !== 'X' || !main.has(`${e.pid}:${e.tid}`)) continue;
    tasks.push({ cpu: (e.tdur ?? 0) / 1000, wall: (e.dur ?? 0) / 1000 });
  }
  if (tasks.length === 0) throw new Error('the trace holds no main-thread task: nothing was measured');
  return tasks;
}

/** Stops the recording: the longest task of the app's main thread (see tracedTasks). */
export async function longestTraced(browser: Browser): Promise<LongestTask> {
  const tasks = await tracedTasks(browser);
  return {
    cpu: Math.max(...tasks.map((t) => t.cpu)),
    wall: Math.max(...tasks.map((t) => t.wall)),
    tasks: tasks.length,
  };
}
