// Processes and timers (kernel/sched/core.c, kernel/time/timer.c). A timer is
// data (kind, owner, generation) so the queue survives structuredClone; what
// a kind does when it fires is registered by the code that owns it, the way
// a timer_list carries its callback. The kernel wakes a process by pid and
// runs whatever program it is running: it never knows which one.
import type { Timer, World } from './world.ts';
import type { Task, WaitQueue } from '../include/sched.ts';
import { addTimer } from './timer.ts';

export type TimerCallback = (w: World, t: Timer) => void;

const timerCallbacks = new Map<string, TimerCallback>();

/** timer_setup: what a timer of this kind does when it expires. */
export function timer_setup(kind: string, fn: TimerCallback): void {
  timerCallbacks.set(kind, fn);
}

/** __run_timers for one expired timer. */
export function run_timer(w: World, t: Timer): void {
  const fn = timerCallbacks.get(t.kind);
  if (!fn) throw new Error(`no callback for timers of kind "${t.kind}"`);
  fn(w, t);
}

/** A program: what runs in process context when its task is scheduled. */
export interface Program {
  run(w: World, task: Task): void;
}

const programs = new Map<string, Program>();

/** Userspace registers each program it can exec (by its comm). */
export function register_program(comm: string, program: Program): void {
  programs.set(comm, program);
}

/** Scheduler latency between a wake-up (data queued in softirq) and the process running. */
export const WAKEUP_NS = 2_000;

export function find_task_by_pid(w: World, pid: number): Task | undefined {
  return w.procs.find((p) => p.pid === pid);
}

/**
 * Schedules `task` to run at `at` (schedule_timeout's timer, or a wake-up):
 * the earliest pending one wins; later ones are dropped.
 */
export function schedule_task_at(w: World, task: Task, at: number): void {
  if (task.done || at >= task.nextWakeAt) return;
  task.nextWakeAt = at;
  task.gen++;
  addTimer(w, at, 'task', task.pid, task.gen);
}

/** wake_up_process */
export function wake_up_process(w: World, pid: number): void {
  const task = find_task_by_pid(w, pid);
  if (task) schedule_task_at(w, task, w.now + WAKEUP_NS);
}

/** __wake_up on a wait queue: every task sleeping on it. */
export function wake_up_interruptible(w: World, wq: WaitQueue): void {
  for (const pid of wq) wake_up_process(w, pid);
}

/** The scheduler switches to the task: its program runs in process context. */
function schedule_task(w: World, t: Timer): void {
  const task = find_task_by_pid(w, t.ref);
  if (!task || task.done || task.gen !== t.gen) return;
  task.nextWakeAt = Infinity;
  run_program(w, task);
}

function run_program(w: World, task: Task): void {
  const program = programs.get(task.comm);
  if (!program) throw new Error(`no program "${task.comm}" for pid ${task.pid}`);
  const saved = w.currentNet;
  w.currentNet = task.netUid;
  try {
    program.run(w, task);
  } finally {
    w.currentNet = saved;
  }
  if (task.done) for (const fn of exitNotifiers) fn(w, task);
}

/**
 * Moves a program makes in one turn before it hands the CPU back to the
 * event loop (cut_turn), which at once gives it back (continue_turn): a
 * program that never sleeps (nc writing a megabyte) otherwise makes one turn
 * that no checkpoint can split, and every view of it replays the whole turn.
 * Simulated time and the order of everything are the same either way.
 */
export const STEPS_PER_TURN = 1000;

/** The program stops between two moves; its task keeps the CPU (w.turnOf) until continue_turn. */
export function cut_turn(w: World, task: Task): void {
  w.turnOf = task.pid;
}

/** Gives the CPU back to a task whose turn was cut; false when there is none. */
export function continue_turn(w: World): boolean {
  if (!w.turnOf) return false;
  const task = find_task_by_pid(w, w.turnOf);
  w.turnOf = 0;
  if (task && !task.done) run_program(w, task);
  return true;
}

timer_setup('task', schedule_task);

type ExitNotifier = (w: World, task: Task) => void;
const exitNotifiers: ExitNotifier[] = [];

/** A parent (the shell) learns of a child's exit: do_exit's notification. */
export function register_exit_notifier(fn: ExitNotifier): void {
  exitNotifiers.push(fn);
}
