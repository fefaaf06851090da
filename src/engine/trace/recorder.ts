// Records a run: one step per kernel function call, and the tracepoint events
// the calls emit. Steps live in growable typed arrays so that a run of millions
// of calls stays small; everything a view needs beyond this is recomputed by
// replaying from a checkpoint (see run/replay.ts).
import type { SkBuff } from '../include/skbuff.ts';
import type { NetDevice } from '../include/netdevice.ts';
import { EventLog } from './eventlog.ts';

export type Ctx = 'task' | 'softirq';

/** Hooks used while replaying to capture a view at a given step. */
export interface StepObserver {
  onStep(step: number, fn: number, skb: SkBuff | null, dev: NetDevice | null): void;
}

function grow<T extends Uint8Array | Uint16Array | Int32Array | Float64Array | Uint32Array>(a: T, ctor: new (n: number) => T): T {
  const b = new ctor(a.length * 4);
  b.set(a);
  return b;
}

export class Recorder {
  count = 0;
  fn = new Uint16Array(1024);
  depth = new Uint16Array(1024);
  /** bit 0: softirq context; bits 1..: cpu */
  ctxCpu = new Uint8Array(1024);
  skb = new Int32Array(1024);
  time = new Float64Array(1024);
  /** Index of the first event emitted at or after this step. */
  eventStart = new Uint32Array(1024);
  events = new EventLog();
  /** When false, steps are counted but nothing is stored (replay). */
  storing = true;
  observer: StepObserver | null = null;
  /** Current call depth. */
  depth_ = 0;
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
    if (this.observer) {
      this.stack.push(fn);
      this.frameSkb.push(skb);
      this.frameDev.push(dev);
    }
    if (this.storing) {
      if (i >= this.fn.length) {
        this.fn = grow(this.fn, Uint16Array);
        this.depth = grow(this.depth, Uint16Array);
        this.ctxCpu = grow(this.ctxCpu, Uint8Array);
        this.skb = grow(this.skb, Int32Array);
        this.time = grow(this.time, Float64Array);
        this.eventStart = grow(this.eventStart, Uint32Array);
      }
      this.fn[i] = fn;
      this.depth[i] = d;
      this.ctxCpu[i] = (ctx === 'softirq' ? 1 : 0) | (cpu << 1);
      this.skb[i] = skb ? skb.id : 0;
      this.time[i] = now;
      this.eventStart[i] = this.events.length;
    }
    if (this.observer) this.observer.onStep(i, fn, skb, dev);
    if (i + 1 >= this.limit) throw new StepLimitReached(this.limit);
  }

  exit(): void {
    this.depth_--;
    if (this.observer) {
      this.stack.pop();
      this.frameSkb.pop();
      this.frameDev.pop();
    }
  }

  /** Starts an event at the current step; returns the offset of its arguments, or -1 when not storing. */
  event(kind: number, ctx: Ctx, cpu: number, skb: number, netUid: number): number {
    if (!this.storing) return -1;
    return this.events.push(kind, ctx === 'softirq', cpu, skb, this.count - 1, netUid);
  }

  /** Unwinds the live stack to `depth` (after an exception escaped a frame). */
  unwindTo(depth: number): void {
    while (this.depth_ > depth) this.exit();
  }
}

export class StepLimitReached extends Error {
  constructor(public readonly limit: number) {
    super(`the run stopped after ${limit} kernel calls (the step limit)`);
  }
}
