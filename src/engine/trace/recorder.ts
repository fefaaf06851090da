// Records a run: one step per kernel function call, and the tracepoint events
// the calls emit. Steps live in growable typed arrays so that a run of millions
// of calls stays small; everything a view needs beyond this is recomputed by
// replaying from a checkpoint (see run/replay.ts).
import type { SkBuff } from '../include/skbuff.ts';
import type { NetDevice } from '../include/netdevice.ts';

export type Ctx = 'task' | 'softirq';

export const EV_NET_DEV_QUEUE = 0;
export const EV_NET_DEV_START_XMIT = 1;
export const EV_NET_DEV_XMIT = 2;
export const EV_NETIF_RX = 3;
export const EV_NETIF_RECEIVE_SKB = 4;
export const EV_NAPI_POLL = 5;
export const EV_KFREE_SKB = 6;
export const EV_CONSUME_SKB = 7;
export const EV_NEIGH_CREATE = 8;
export const EV_NEIGH_UPDATE = 9;
export const EV_FIB_TABLE_LOOKUP = 10;
export const EV_SOFTIRQ_RAISE = 11;

export const EVENT_NAMES = [
  'net_dev_queue', 'net_dev_start_xmit', 'net_dev_xmit', 'netif_rx', 'netif_receive_skb', 'napi_poll',
  'kfree_skb', 'consume_skb', 'neigh_create', 'neigh_update', 'fib_table_lookup', 'softirq_raise',
];

/** A tracepoint hit. `skb` is the engine's skb id (0 for events without one);
 * `fields` is the event's key=value text after `skb=N` (or the whole text). */
export interface TraceEvent {
  step: number;
  ctx: Ctx;
  cpu: number;
  kind: number;
  skb: number;
  fields: string;
  /** Namespace uid the event happened in (for per-namespace filtering). */
  netUid: number;
}

/** Hooks used while replaying to capture a view at a given step. */
export interface StepObserver {
  onStep(step: number, fn: number, skb: SkBuff | null, dev: NetDevice | null): void;
}

function grow<T extends Uint8Array | Uint16Array | Int32Array | Float64Array | Uint32Array>(a: T, ctor: new (n: number) => T): T {
  const b = new ctor(a.length * 2);
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
  events: TraceEvent[] = [];
  /** When false, steps are counted but nothing is stored (replay). */
  storing = true;
  observer: StepObserver | null = null;
  stack: number[] = [];
  /** Frames of the live call stack: skb and device of each call (for views). */
  frameSkb: (SkBuff | null)[] = [];
  frameDev: (NetDevice | null)[] = [];
  limit = Infinity;
  /** When set, every live skb is tracked so tests can check that each one ends. */
  liveSkbs: Map<number, SkBuff> | null = null;

  enter(fn: number, ctx: Ctx, cpu: number, now: number, skb: SkBuff | null, dev: NetDevice | null): void {
    const i = this.count++;
    const d = this.stack.length;
    this.stack.push(fn);
    this.frameSkb.push(skb);
    this.frameDev.push(dev);
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
    this.stack.pop();
    this.frameSkb.pop();
    this.frameDev.pop();
  }

  event(ev: Omit<TraceEvent, 'step'>): void {
    if (!this.storing) return;
    (ev as TraceEvent).step = this.count - 1;
    this.events.push(ev as TraceEvent);
  }

  /** Unwinds the live stack to `depth` (after an exception escaped a frame). */
  unwindTo(depth: number): void {
    while (this.stack.length > depth) this.exit();
  }
}

export class StepLimitReached extends Error {
  constructor(public readonly limit: number) {
    super(`the run stopped after ${limit} kernel calls (the step limit)`);
  }
}
