// What the kernel knows of a process (a sliver of `struct task_struct`): its
// pid, its network namespace, the program it runs, and its wake-up timer.
// The program's own state extends this; the kernel never looks inside it.
export interface Task {
  pid: number;
  /** The network namespace it runs in (its nsproxy's net). */
  netUid: number;
  /** The program (task->comm): which userspace code runs when it is woken. */
  comm: string;
  /** Generation of its wake-up timer: a timer whose gen no longer matches is stale. */
  gen: number;
  /** When it is next woken (Infinity: asleep until something wakes it). */
  nextWakeAt: number;
  done: boolean;
}

/** A wait queue (wait_queue_head_t): the pids of the tasks sleeping on it. */
export type WaitQueue = number[];

/**
 * The scenario's shell, its init process: which script line runs next and
 * what it waits for. Userspace's registers, kept in the machine so that a
 * checkpoint holds them; the kernel never reads them.
 */
export interface ShellState {
  /** Index of the next script line to run. */
  pc: number;
  /** Pid of the ping being waited for, -1 while sleeping, 0 when free. */
  waitingFor: number;
  done: boolean;
  /** Script line number (1-based) of the command running now. */
  line: number;
  /** tcpdump lines run so far. */
  captures: number;
  /** Generation of the shell's own timer (sleep). */
  gen: number;
  /** Once the script is done: when the recorder would stop its captures (-1 before). */
  tailUntil: number;
  lastStatus: number;
}

export function initialShell(): ShellState {
  return { pc: 0, waitingFor: 0, done: false, line: 0, captures: 0, gen: 0, lastStatus: 0, tailUntil: -1 };
}
