// What happens to each skb that no tracepoint records: its allocation, its
// clones, and its queueing (the CPU's backlog, a neighbour's queue waiting
// for ARP, a socket's receive queue). Kept in typed columns like the event
// log; together with the skb tracepoints it gives each packet's life.

export const SKB_ALLOC = 0;
/** arg: the id of the skb it was cloned from. */
export const SKB_CLONE = 1;
/** arg: the CPU. */
export const SKB_QUEUE_BACKLOG = 2;
/** arg: the CPU. */
export const SKB_QUEUE_PROCESS = 3;
/** arg: the neighbour's IPv4 key; str: its device's name. */
export const SKB_QUEUE_NEIGH = 4;
/** arg: the socket's id. */
export const SKB_QUEUE_SOCKET = 5;
/** arg: the socket's id. */
export const SKB_QUEUE_SOCKET_ERROR = 6;
/** A fragment waiting for its datagram's other pieces; str: the device's name. */
export const SKB_QUEUE_REASM = 7;

export class SkbLog {
  length = 0;
  kind = new Uint8Array(1024);
  skb = new Int32Array(1024);
  /** The recorder's step count when it happened: the call `step` (a view step) was running. */
  step = new Int32Array(1024);
  /** Call depth of the function that did it (-1: outside any call). */
  depth = new Int32Array(1024);
  arg = new Int32Array(1024);
  /** Interned string argument, -1 for none. */
  str = new Int32Array(1024);
  strings: string[] = [];
  private ids = new Map<string, number>();

  push(kind: number, skb: number, step: number, depth: number, arg: number, str?: string): void {
    const i = this.length++;
    if (i >= this.kind.length) this.grow();
    this.kind[i] = kind;
    this.skb[i] = skb;
    this.step[i] = step;
    this.depth[i] = depth;
    this.arg[i] = arg;
    this.str[i] = str === undefined ? -1 : this.intern(str);
  }

  private intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  private grow(): void {
    const n = this.kind.length * 4;
    const g = <T extends Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.kind = g(this.kind);
    this.skb = g(this.skb);
    this.step = g(this.step);
    this.depth = g(this.depth);
    this.arg = g(this.arg);
    this.str = g(this.str);
  }
}
