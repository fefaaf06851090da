// The simulated machine: every namespace, device, queue, timer and process, as
// plain data. A World can be cloned with structuredClone() at any quiet moment
// (no kernel call on the stack), which is how runs are checkpointed.
import type { Net } from '../include/net.ts';
import { deepClone, type CloneSize } from './clone.ts';
import type { SoftnetData } from '../include/softnet.ts';
import type { NetCoreSysctl } from '../include/sysctl.ts';
import { defaultNetCoreSysctl } from '../include/sysctl.ts';
import type { Recorder, Ctx } from '../trace/recorder.ts';
import type { Output } from '../run/output.ts';
import type { Task } from '../include/sched.ts';
import type { SkBuff } from '../include/skbuff.ts';
import { initialShell, type ShellState } from '../include/sched.ts';

/** Which callback runs when the timer expires (see kernel/sched.ts timer_setup). */
export type TimerKind = string;

export interface Timer {
  at: number;
  seq: number;
  /** The timer wheel's level of a timer_list (mod_timer), or -1 for an hrtimer (addTimer). */
  lvl: number;
  kind: TimerKind;
  /** Whose timer it is: a neighbour's uid, a task's pid, ... */
  ref: number;
  /** Timer generation: a timer whose gen no longer matches its owner's is stale. */
  gen: number;
}

export interface Limits {
  maxSteps: number;
  maxDevices: number;
  maxNamespaces: number;
  maxScriptBytes: number;
  maxVirtualSeconds: number;
  /** Bytes of frames all captures together keep; past it each capture stops, with a message. */
  maxCaptureBytes: number;
  /** Bytes the tracepoint event log may take; past it the run stops, with a message. */
  maxEventLogBytes: number;
  /** Estimated bytes of all checkpoints; past it every other one is dropped (views replay further). */
  maxCheckpointBytes: number;
}

/**
 * Sized for a browser tab (the app): with 5 million steps (~105 MB of step
 * columns) and these budgets a run stays under about 500 MB.
 */
export const DEFAULT_LIMITS: Limits = {
  maxSteps: 5_000_000,
  maxDevices: 2000,
  maxNamespaces: 500,
  maxScriptBytes: 256 * 1024,
  maxVirtualSeconds: 24 * 3600,
  maxCaptureBytes: 64 * 2 ** 20,
  maxEventLogBytes: 128 * 2 ** 20,
  maxCheckpointBytes: 128 * 2 ** 20,
};

/** The CLI writes files instead of showing steps: larger capture and event budgets, no checkpoints kept. */
export const CLI_LIMITS: Limits = {
  ...DEFAULT_LIMITS,
  maxCaptureBytes: 1024 * 2 ** 20,
  maxEventLogBytes: 1024 * 2 ** 20,
};

export interface World {
  /** Virtual time, ns. */
  now: number;
  rng: number;
  nets: Net[];
  cpus: SoftnetData[];
  /** The CPU the current code runs on. */
  cpu: number;
  ctx: Ctx;
  timers: Timer[];
  timerSeq: number;
  /** The timer softirq is running the timer wheel's expired bucket. */
  timerSoftirqRunning: boolean;
  nextUid: number;
  nextSkbId: number;
  /** Next fresh skb struct address (SkBuff.addr). */
  nextSkbAddr: number;
  /** Per CPU: freed skb struct addresses, most recent last (the slab's freelist). */
  skbSlab: number[][];
  /** Per CPU: freed fclone pairs' addresses, most recent last (skbuff_fclone_cache's freelist). */
  skbFcloneSlab: number[][];
  core: NetCoreSysctl;
  /**
   * arp_tbl.proxy_queue: ARP requests a proxying device answers after a
   * random delay (pneigh_enqueue), each with the virtual time it is due;
   * the table's proxy_timer is due at `neighProxyTimerAt` (-1: not armed).
   */
  neighProxyQueue: { skb: SkBuff; schedNext: number }[];
  neighProxyTimerAt: number;
  procs: Task[];
  /**
   * current->nsproxy->net_ns: the uid of the network namespace of the process
   * whose code runs (a task's program or the shell's command), 0 when none.
   * The kernel's calls take their namespace from the socket or device they
   * work on; this only tells the diagram where a process's not-yet-owned skb is.
   */
  currentNet: number;
  /**
   * The pid of a task whose turn on the CPU was cut short between two of its
   * moves (0: none), so the run could checkpoint there: the event loop gives
   * it the CPU back before anything else happens (see continue_turn).
   */
  turnOf: number;
  shell: ShellState;
  limits: Limits;
  /** Recorder and output sinks: not part of the cloned state. */
  rec: Recorder;
  out: Output;
}

export function newUid(w: World): number {
  return w.nextUid++;
}

/** mulberry32: a small, fast seeded PRNG; the engine never uses Math.random. */
export function randomU32(w: World): number {
  let t = (w.rng = (w.rng + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

export function createSoftnet(cpu: number): SoftnetData {
  return {
    cpu,
    inputPktQueue: [],
    processQueue: [],
    pollList: [],
    backlogState: 0,
    inNetRxAction: false,
    softirqPending: 0,
    bhDisableCount: 0,
    budgetUsed: 0,
    processed: 0,
    dropped: 0,
    timeSqueeze: 0,
  };
}

export function baseWorld(seed: number, rec: Recorder, out: Output, limits: Limits = DEFAULT_LIMITS): World {
  return {
    now: 0,
    rng: seed | 0,
    nets: [],
    cpus: [createSoftnet(0), createSoftnet(1)],
    cpu: 0,
    ctx: 'task',
    timers: [],
    timerSeq: 0,
    timerSoftirqRunning: false,
    nextUid: 1,
    nextSkbId: 1,
    nextSkbAddr: 1,
    skbSlab: [[], []],
    skbFcloneSlab: [[], []],
    core: defaultNetCoreSysctl(),
    neighProxyQueue: [],
    neighProxyTimerAt: -1,
    procs: [],
    currentNet: 0,
    turnOf: 0,
    shell: initialShell(),
    limits,
    rec,
    out,
  };
}

/** Checkpoint: a deep copy of everything but the recorder and outputs. */
export function cloneWorld(w: World, size?: CloneSize): World {
  const { rec, out, ...state } = w;
  const copy = deepClone(state, size);
  return { ...copy, rec, out } as World;
}
