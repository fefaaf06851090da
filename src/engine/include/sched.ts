// What the kernel knows of a process (a sliver of `struct task_struct`): its
// pid, its network namespace, the program it runs, its open files and its
// wake-up timer. The program's own state extends this; the kernel never
// looks inside it.
import type { Socket } from './sock.ts';

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
  /** Its exit status, once done. */
  exitCode: number;
  /** The file descriptor table (files_struct): sockets by fd; null for a closed or non-socket fd. */
  files?: (Socket | null)[];
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
  /** Pid of the program being waited for, -1 while sleeping, -2 in `wait` (all background jobs), 0 when free. */
  waitingFor: number;
  /** The programs it started that have not finished (foreground and background). */
  jobs: ShellJob[];
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

/**
 * A program the shell started. A traced one runs inside the recorder's
 * wrapper: tracing is on while it runs and for `tailNs` after it exits, and
 * a `buffered` one's output reaches the terminal only then.
 */
export interface ShellJob {
  pid: number;
  background: boolean;
  traced: boolean;
  buffered: boolean;
  /** `> /dev/null`: the buffered output is dropped when the job ends. */
  stdoutNull: boolean;
  tailNs: number;
  /** Set when the program has exited: its output (if buffered) and status, until the wrapper ends. */
  exited: { out: string; status: number } | null;
}

export function initialShell(): ShellState {
  return { pc: 0, waitingFor: 0, jobs: [], done: false, line: 0, captures: 0, gen: 0, lastStatus: 0, tailUntil: -1 };
}
