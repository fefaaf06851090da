// What happens to each skb that no tracepoint records: its allocation, its
// clones, its queueing (the CPU's backlog, a neighbour's queue waiting for
// ARP, a socket's receive, write and retransmit queues) and leaving a
// socket's queues, the connections a TCP segment opens on a listener, and a
// free that fires no tracepoint. Kept in typed columns like the event log;
// together with the skb tracepoints it gives each packet's life.

export const SKB_ALLOC = 0;
/** arg: the id of the skb it was cloned from. */
export const SKB_CLONE = 1;
/** arg: the CPU. */
export const SKB_QUEUE_BACKLOG = 2;
/** arg: the CPU. */
export const SKB_QUEUE_PROCESS = 3;
/** arg: the neighbour's IPv4 key; str: its device's name. */
export const SKB_QUEUE_NEIGH = 4;
/** arg: the socket's id; str: its protocol ('UDP', 'TCP', 'raw'), for this and the socket notes below. */
export const SKB_QUEUE_SOCKET = 5;
/** arg: the socket's id. */
export const SKB_QUEUE_SOCKET_ERROR = 6;
/** A fragment waiting for its datagram's other pieces; str: the device's name. */
export const SKB_QUEUE_REASM = 7;
/** Taken off a socket's receive queue by the program's read; arg: the socket's id. */
export const SKB_DEQUEUE_SOCKET = 8;
/** Put on a TCP socket's write queue (written, not yet sent); arg: the socket's id. */
export const SKB_QUEUE_WRITE = 9;
/** Put on a TCP socket's retransmit queue (sent, kept until acknowledged); arg: the socket's id. */
export const SKB_QUEUE_RTX = 10;
/** Taken off a TCP socket's retransmit queue, acknowledged; arg: the socket's id. */
export const SKB_DEQUEUE_RTX = 11;
/** A SYN made a request sock on a listener; arg: the request's id; str: the listener's id. */
export const SKB_REQUEST = 12;
/** The handshake's ACK made a child socket, queued on its listener's accept queue; arg: the child's id; str: the listener's id. */
export const SKB_ACCEPT_QUEUE = 13;
/** Its data merged into the last skb of a TCP receive queue; arg: that skb's id. */
export const SKB_COALESCE = 14;
/** Freed by a call that fires no tracepoint (__kfree_skb, __consume_stateless_skb, kfree_skb_partial); str: where. */
export const SKB_FREE = 15;

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
