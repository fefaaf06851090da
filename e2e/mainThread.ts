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
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { type?: string } };
}

export interface LongestTask {
  /** The most CPU time one task of a page's main thread took (ms). */
  cpu: number;
  /** The longest wall time of one such task (ms), waits for a core included. */
  wall: number;
  /** Main-thread tasks traced. */
  tasks: number;
}

/**
 * Starts recording the browser's tasks (one recording per browser at a time);
 * with `marks`, also which task dispatched a click and which painted a frame.
 */
export async function traceTasks(browser: Browser, page: Page, marks = false): Promise<void> {
  await browser.startTracing(page, { categories: marks ? ['toplevel', 'devtools.timeline'] : ['toplevel'] });
}

/**
 * The main thread's CPU time from each click to the end of the first frame
 * painted after it (the click's task, the tasks between, and that frame's):
 * what showing the click's outcome cost, whatever else the machine runs.
 */
export function clickToPaintCpu(tasks: TracedTask[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < tasks.length; i++) {
    if (!tasks[i].click) continue;
    let cpu = 0;
    let j = i;
    for (; j < tasks.length; j++) {
      cpu += tasks[j].cpu;
      if (j > i && tasks[j].paint) break;
    }
    if (j < tasks.length) out.push(cpu);
  }
  return out;
}

/** One main-thread task of the app: its CPU time (the thread's clock) and its wall time, in ms. */
export interface TracedTask {
  cpu: number;
  wall: number;
  /** When it started (µs, the trace's clock). */
  start: number;
  /** It dispatched a click (traced with the devtools.timeline category). */
  click: boolean;
  /** It painted a frame (traced with the devtools.timeline category). */
  paint: boolean;
}

/**
 * Stops the recording: every task of the app's main thread, in every
 * renderer process that runs the app (one that runs a dedicated worker, the
 * engine's): a host page embedding the app is the spec's, not measured.
 */
export async function tracedTasks(browser: Browser): Promise<TracedTask[]> {
  const taskEnds = new Map<TracedTask, { key: string; end: number }>();
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const threads = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  const app = new Set(threads.filter((e) => e.args?.name === 'DedicatedWorker thread').map((e) => e.pid));
  const main = new Set(
    threads.filter((e) => e.args?.name === 'CrRendererMain' && app.has(e.pid)).map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks: TracedTask[] = [];
  const marks: { ts: number; key: string; kind: 'click' | 'paint' }[] = [];
  for (const e of trace.traceEvents) {
    if (e.ph !== 'X' || !main.has(`${e.pid}:${e.tid}`)) continue;
    const key = `${e.pid}:${e.tid}`;
    // "ThreadControllerImpl::RunTask" in Chromium 156's toplevel category, "RunTask" in others.
    if (/(^|::)RunTask$/.test(e.name)) {
      tasks.push({ cpu: (e.tdur ?? 0) / 1000, wall: (e.dur ?? 0) / 1000, start: e.ts, click: false, paint: false });
      taskEnds.set(tasks[tasks.length - 1], { key, end: e.ts + (e.dur ?? 0) });
    } else if (e.name === 'EventDispatch' && e.args?.data?.type === 'click') marks.push({ ts: e.ts, key, kind: 'click' });
    else if (e.name === 'Paint') marks.push({ ts: e.ts, key, kind: 'paint' });
  }
  tasks.sort((a, b) => a.start - b.start);
  // Each mark belongs to the task of its thread that was running at its time.
  for (const m of marks) {
    const t = tasks.findLast((x) => x.start <= m.ts && taskEnds.get(x)!.key === m.key);
    if (t && m.ts <= taskEnds.get(t)!.end) t[m.kind] = true;
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
