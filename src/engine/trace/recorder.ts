// Records a run: two steps per kernel function call (its entry and its return),
// and the tracepoint events the calls emit. Steps live in growable typed arrays so that a run of millions
// of calls stays small; everything a view needs beyond this is recomputed by
// replaying from a checkpoint (see run/replay.ts).
import type { SkBuff } from '../include/skbuff.ts';
import type { NetDevice } from '../include/netdevice.ts';
import { EventLog } from './eventlog.ts';
import { nextCapacity, RunLimitReached } from './limit.ts';
import { SkbLog } from './skblog.ts';

export type Ctx = 'task' | 'softirq';

/** What a step is: a call being entered, or a call returning (its effects done). */
export const STEP_ENTRY = 0;
export const STEP_RETURN = 1;

/** Hooks used while replaying to capture a view at a given step. */
export interface StepObserver {
  /**
   * Called at every step. At a return step the returning call is still the
   * top of `stack` (it is popped right after) and `retval` is what it returned
   * (undefined for a void function).
   */
  onStep(step: number, fn: number, skb: SkBuff | null, dev: NetDevice | null, kind: number, retval: unknown): void;
}

function grow<T extends Uint8Array | Uint16Array | Int32Array | Float64Array | Uint32Array>(
  a: T,
  ctor: new (n: number) => T,
  limit = Infinity,
): T {
  // Doubling keeps appends amortised O(1); stopping at the limit keeps a long
  // run from reserving far more than its steps can fill.
  const b = new ctor(nextCapacity(a.length, limit));
  b.set(a);
  return b;
}

export class Recorder {
  count = 0;
  /**
   * Ports the kernel picked (ephemeral ports): the kernel recorder finds
   * them in its raw trace and masks them as P1, P2, ... in terminal.txt.
   */
  pickedPorts: number[] = [];
  fn = new Uint16Array(1024);
  /** The call's depth (0 = outermost); a return step has its entry's depth. */
  depth = new Uint16Array(1024);
  /** STEP_ENTRY or STEP_RETURN. */
  kind = new Uint8Array(1024);
  /** bit 0: softirq context; bits 1..: cpu */
  ctxCpu = new Uint8Array(1024);
  /**
   * The share-link format since which the step is counted (0: by every
   * format): calls a newer engine makes on a path older links already
   * counted (see countedSince in kernel/call.ts, src/ui/share/stepNumbering.ts).
   */
  since = new Uint8Array(1024);
  skb = new Int32Array(1024);
  time = new Float64Array(1024);
  /** Index of the first event emitted at or after this step. */
  eventStart = new Uint32Array(1024);
  events = new EventLog();
  /** Allocations, clones and queueing of skbs (what no tracepoint records). */
  skbLog = new SkbLog();
  /** When false, steps are counted but nothing is stored (replay). */
  storing = true;
  /**
   * When false (and `storing`), events are stored but the step columns are not:
   * for runs whose steps are never looked at (the CLI), which need only events.
   */
  storingSteps = true;
  /** Kernel calls entered (the step limit counts calls, so a limit stops a run where it always did). */
  calls = 0;
  /**
   * The value the current call is returning (set by ret() just before it
   * returns); read only by an observer, so recording pays one store per return.
   */
  retval: unknown = undefined;
  /** Set once the limit is reached or an observer stops a replay: frames unwinding then record nothing. */
  halted = false;
  observer: StepObserver | null = null;
  /** Current call depth. */
  depth_ = 0;
  /** The format stamped on the steps now entered (0: counted by every format); see countedSince. */
  markSince = 0;
  /**
   * While marking: the functions of the older path whose calls (with
   * everything under them) older formats counted, and so stay unmarked.
   */
  markKeep: readonly number[] | null = null;
  /** The depth of a kept call while inside it (-1: none): marking resumes when it returns. */
  private keptDepth = -1;
  /** The format of the steps around the current marking scope: kept calls get it. */
  private markBase = 0;
  private keptSince = 0;
  /** The format of each live frame, by depth (its return step gets its entry's). */
  private frameSince = new Uint8Array(64);
  /** The function of each live frame, by depth (kept while recording too: a return step names its function). */
  private frameFn = new Uint16Array(64);
  /**
   * The live call stack (function ids, and each call's skb and device). Only
   * kept while replaying for a view: recording needs nothing but the depth.
   */
  stack: number[] = [];
  frameSkb: (SkBuff | null)[] = [];
  frameDev: (NetDevice | null)[] = [];
  limit = Infinity;
  /** When set, every live skb is tracked so tests can check that each one ends. */
  liveSkbs: Map<number, SkBuff> | null = null;

  enter(fn: number, ctx: Ctx, cpu: number, now: number, skb: SkBuff | null, dev: NetDevice | null): void {
    const i = this.count++;
    const d = this.depth_++;
    if (d >= this.frameFn.length) {
      this.frameFn = grow(this.frameFn, Uint16Array);
      this.frameSince = grow(this.frameSince, Uint8Array);
    }
    this.frameFn[d] = fn;
    let since = this.markSince;
    if (since !== 0) {
      if (this.markKeep !== null && this.markKeep.includes(fn)) {
        this.keptDepth = d;
        this.keptSince = since;
        this.markSince = since = this.markBase;
      }
    }
    this.frameSince[d] = since;
    if (this.observer) {
      this.stack.push(fn);
      this.frameSkb.push(skb);
      this.frameDev.push(dev);
    }
    if (this.storing && this.storingSteps)
      this.store(i, fn, d, STEP_ENTRY, (ctx === 'softirq' ? 1 : 0) | (cpu << 1), skb, now, since);
    if (this.observer) this.observe(i, fn, skb, dev, STEP_ENTRY, undefined);
    if (++this.calls >= this.limit) {
      this.halted = true;
      throw new StepLimitReached(this.limit);
    }
  }

  /**
   * The current call returns: one more step, at which the call is still on the
   * stack and everything it did is done.
   */
  exit(ctx: Ctx, cpu: number, now: number): void {
    if (this.halted) {
      this.pop();
      return;
    }
    const i = this.count++;
    const d = this.depth_ - 1;
    const fn = this.frameFn[d];
    if (this.storing && this.storingSteps)
      this.store(i, fn, d, STEP_RETURN, (ctx === 'softirq' ? 1 : 0) | (cpu << 1), null, now, this.frameSince[d]);
    if (this.observer) {
      const top = this.frameSkb.length - 1;
      this.observe(i, fn, this.frameSkb[top], this.frameDev[top], STEP_RETURN, this.retval);
    }
    this.retval = undefined;
    this.pop();
  }

  private pop(): void {
    this.depth_--;
    if (this.depth_ === this.keptDepth) {
      // The kept call returned: what follows in the marked path is marked again.
      this.keptDepth = -1;
      this.markSince = this.keptSince;
    }
    if (this.observer) {
      this.stack.pop();
      this.frameSkb.pop();
      this.frameDev.pop();
    }
  }

  private observe(i: number, fn: number, skb: SkBuff | null, dev: NetDevice | null, kind: number, retval: unknown): void {
    try {
      this.observer!.onStep(i, fn, skb, dev, kind, retval);
    } catch (e) {
      // The observer ends a replay by throwing: the frames it unwinds record nothing more.
      this.halted = true;
      throw e;
    }
  }

  // A call is two steps (entry and return): the step columns hold at most twice the call limit.
  private store(
    i: number,
    fn: number,
    d: number,
    kind: number,
    ctxCpu: number,
    skb: SkBuff | null,
    now: number,
    since: number,
  ): void {
    if (i >= this.fn.length) {
      this.fn = grow(this.fn, Uint16Array, 2 * this.limit);
      this.depth = grow(this.depth, Uint16Array, 2 * this.limit);
      this.kind = grow(this.kind, Uint8Array, 2 * this.limit);
      this.ctxCpu = grow(this.ctxCpu, Uint8Array, 2 * this.limit);
      this.since = grow(this.since, Uint8Array, 2 * this.limit);
      this.skb = grow(this.skb, Int32Array, 2 * this.limit);
      this.time = grow(this.time, Float64Array, 2 * this.limit);
      this.eventStart = grow(this.eventStart, Uint32Array, 2 * this.limit);
    }
    this.fn[i] = fn;
    this.depth[i] = d;
    this.kind[i] = kind;
    this.ctxCpu[i] = ctxCpu;
    this.since[i] = since;
    this.skb[i] = skb ? skb.id : 0;
    this.time[i] = now;
    this.eventStart[i] = this.events.length;
  }

  /** Starts an event at the current step; returns the offset of its arguments, or -1 when not storing. */
  event(kind: number, ctx: Ctx, cpu: number, skb: number, netUid: number, skbId = 0): number {
    if (!this.storing) return -1;
    try {
      return this.events.push(kind, ctx === 'softirq', cpu, skb, this.count - 1, netUid, this.depth_ - 1, skbId);
    } catch (e) {
      // The event log's budget is full: the run ends, and the frames unwinding record nothing more.
      this.halted = true;
      throw e;
    }
  }

  /** Notes something that happened to an skb during the current call (see skblog.ts); kept with the steps it links to. */
  skbNote(kind: number, skb: number, arg = 0, str?: string): void {
    if (this.storing && this.storingSteps) this.skbLog.push(kind, skb, this.count, this.depth_ - 1, arg, str);
  }

  /**
   * Starts marking the steps entered from now on as counted since link
   * `format`, except the calls of `keep` (see countedSince); returns what
   * endMark restores.
   */
  beginMark(format: number, keep: readonly number[]): number[] {
    const saved = [this.markSince, this.keptDepth, this.keptSince, this.markBase];
    const savedKeep = this.markKeep;
    // Kept calls are counted as the steps around the scope are.
    this.markBase = this.markSince;
    this.markSince = Math.max(format, this.markSince);
    this.markKeep = keep;
    this.keptDepth = -1;
    this.marks.push(savedKeep);
    return saved;
  }

  endMark(saved: number[]): void {
    [this.markSince, this.keptDepth, this.keptSince, this.markBase] = saved;
    this.markKeep = this.marks.pop() ?? null;
  }

  private marks: (readonly number[] | null)[] = [];

  /** Unwinds the live stack to `depth` (after an exception escaped a frame). */
  unwindTo(depth: number): void {
    while (this.depth_ > depth) this.pop();
  }
}

export class StepLimitReached extends RunLimitReached {
  constructor(public readonly limit: number) {
    super(`skbwalk: the scenario reached the limit of ${limit} kernel calls; stopped there`);
  }
}
