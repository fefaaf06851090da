// The tracepoint events of a run, kept in typed columns: a flood ping emits
// hundreds of thousands of them, and an object plus a formatted string each
// would dominate the engine's time in garbage collection. Text is made only
// when asked for (trace.txt, the Events panel).
import { ipStr } from '../net/ipv4/addr.ts';
import { TCP_STATE_NAMES } from '../include/tcp.ts';
import { mib, nextCapacity, RunLimitReached } from './limit.ts';

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
export const EV_INET_SOCK_SET_STATE = 12;
export const EV_TCP_SEND_RESET = 13;
export const EV_TCP_RECEIVE_RESET = 14;
export const EV_TCP_RETRANSMIT_SKB = 15;

export const EVENT_NAMES = [
  'net_dev_queue',
  'net_dev_start_xmit',
  'net_dev_xmit',
  'netif_rx',
  'netif_receive_skb',
  'napi_poll',
  'kfree_skb',
  'consume_skb',
  'neigh_create',
  'neigh_update',
  'fib_table_lookup',
  'softirq_raise',
  'inet_sock_set_state',
  'tcp_send_reset',
  'tcp_receive_reset',
  'tcp_retransmit_skb',
];

/** Integer arguments per event; strings are stored as ids into `strings`. */
export const EV_ARGS = 8;
/** Bytes one event takes in the log's columns. */
export const EVENT_BYTES = 1 + 1 + 4 + 4 + 4 + 4 + 4 + 4 * EV_ARGS;

const NUD_TRACE_NAMES: [number, string][] = [
  [0x01, 'incomplete'],
  [0x02, 'reachable'],
  [0x04, 'stale'],
  [0x08, 'delay'],
  [0x10, 'probe'],
  [0x20, 'failed'],
  [0x40, 'noarp'],
  [0x80, 'permanent'],
];

/** __print_flags(nud_state, "|", ...) as the neigh tracepoints print it. */
export function nudTraceName(state: number): string {
  if (state === 0) return '0x0';
  const parts: string[] = [];
  let rest = state;
  for (const [bit, name] of NUD_TRACE_NAMES) {
    if (state & bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest) parts.push('0x' + rest.toString(16));
  return parts.join('|');
}

export class EventLog {
  length = 0;
  kind = new Uint8Array(4096);
  /** bit 0: softirq context; bits 1..: cpu */
  ctxCpu = new Uint8Array(4096);
  skb = new Int32Array(4096);
  step = new Int32Array(4096);
  netUid = new Int32Array(4096);
  /** The engine's id of the event's skb (`skb` is its address, reused once freed), 0 for none. */
  skbId = new Int32Array(4096);
  /** Call depth of the function that emitted it (0 = the outermost call's body). */
  depth = new Int32Array(4096);
  args = new Int32Array(4096 * EV_ARGS);
  strings: string[] = [];
  private ids = new Map<string, number>();
  /** The log's budget in bytes (Limits.maxEventLogBytes); the run stops when it is full. */
  budgetBytes = Infinity;

  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** Appends an event; returns its index, whose args the caller fills in. */
  push(kind: number, softirq: boolean, cpu: number, skb: number, step: number, netUid: number, depth = 0, skbId = 0): number {
    const i = this.length;
    if (i >= this.kind.length) this.grow();
    this.length++;
    this.kind[i] = kind;
    this.ctxCpu[i] = (softirq ? 1 : 0) | (cpu << 1);
    this.skb[i] = skb;
    this.step[i] = step;
    this.netUid[i] = netUid;
    this.depth[i] = depth;
    this.skbId[i] = skbId;
    return i * EV_ARGS;
  }

  private grow(): void {
    const max = Math.floor(this.budgetBytes / EVENT_BYTES);
    if (this.kind.length >= max) {
      throw new RunLimitReached(
        `skbwalk: the event log stopped at ${this.length} events: the ${mib(this.budgetBytes)} event log budget is full; the run stopped there`,
      );
    }
    const n = nextCapacity(this.kind.length, max);
    const g = <T extends Uint8Array | Int32Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.kind = g(this.kind, n);
    this.ctxCpu = g(this.ctxCpu, n);
    this.skb = g(this.skb, n);
    this.step = g(this.step, n);
    this.netUid = g(this.netUid, n);
    this.depth = g(this.depth, n);
    this.skbId = g(this.skbId, n);
    this.args = g(this.args, n * EV_ARGS);
  }

  ctx(i: number): 'task' | 'softirq' {
    return this.ctxCpu[i] & 1 ? 'softirq' : 'task';
  }

  /** The drop reason of a kfree_skb event, '' for others. */
  reason(i: number): string {
    return this.kind[i] === EV_KFREE_SKB ? this.strings[this.args[i * EV_ARGS + 1]] : '';
  }

  /** The device named by the event (`dev=`), '' for events without one. */
  dev(i: number): string {
    switch (this.kind[i]) {
      case EV_KFREE_SKB:
      case EV_CONSUME_SKB:
      case EV_FIB_TABLE_LOOKUP:
      case EV_SOFTIRQ_RAISE:
      case EV_INET_SOCK_SET_STATE:
      case EV_TCP_SEND_RESET:
      case EV_TCP_RECEIVE_RESET:
      case EV_TCP_RETRANSMIT_SKB:
        return '';
      default:
        return this.strings[this.args[i * EV_ARGS]];
    }
  }

  /** The event's key=value text after `skb=N` (or all of it, for events without an skb). */
  fields(i: number): string {
    const a = this.args;
    const o = i * EV_ARGS;
    const s = this.strings;
    switch (this.kind[i]) {
      case EV_NET_DEV_QUEUE:
      case EV_NETIF_RX:
      case EV_NETIF_RECEIVE_SKB:
        return `dev=${s[a[o]]} len=${a[o + 1]}`;
      case EV_NET_DEV_START_XMIT:
        return `dev=${s[a[o]]} protocol=0x${a[o + 1].toString(16).padStart(4, '0')} len=${a[o + 2]}`;
      case EV_NET_DEV_XMIT:
        return `dev=${s[a[o]]} len=${a[o + 1]} rc=${a[o + 2]}`;
      case EV_NAPI_POLL:
        return `dev=${s[a[o]]} work=${a[o + 1]} budget=${a[o + 2]}`;
      case EV_KFREE_SKB:
        return `location=${s[a[o]]} reason=${s[a[o + 1]]}`;
      case EV_CONSUME_SKB:
        return `location=${s[a[o]]}`;
      case EV_NEIGH_CREATE:
        return `dev=${s[a[o]]} key=${ipStr(a[o + 1] >>> 0)}`;
      case EV_NEIGH_UPDATE:
        return `dev=${s[a[o]]} key=${ipStr(a[o + 1] >>> 0)} state=${nudTraceName(a[o + 2])}->${nudTraceName(a[o + 3])}`;
      case EV_FIB_TABLE_LOOKUP:
        return `table=${a[o]} oif=${a[o + 1]} iif=${a[o + 2]} proto=${a[o + 3]} src=${ipStr(a[o + 4] >>> 0)} dst=${ipStr(a[o + 5] >>> 0)} result=${s[a[o + 6]]} err=${a[o + 7]}`;
      case EV_SOFTIRQ_RAISE:
        return `vec=${s[a[o]]}`;
      case EV_INET_SOCK_SET_STATE:
        return `proto=TCP ${this.endpoints(o)} state=${TCP_STATE_NAMES[a[o + 4]]}->${TCP_STATE_NAMES[a[o + 5]]}`;
      case EV_TCP_SEND_RESET:
      case EV_TCP_RETRANSMIT_SKB:
        return `${this.endpoints(o)} state=${a[o + 4] ? TCP_STATE_NAMES[a[o + 4]] : 'UNKNOWN'}`;
      case EV_TCP_RECEIVE_RESET:
        return this.endpoints(o);
      default:
        return '';
    }
  }

  /** `src=ADDR:PORT dst=ADDR:PORT` from four arguments at `o`. */
  private endpoints(o: number): string {
    const a = this.args;
    return `src=${ipStr(a[o] >>> 0)}:${a[o + 1]} dst=${ipStr(a[o + 2] >>> 0)}:${a[o + 3]}`;
  }

  /** The whole line as trace.txt prints it, with the engine's own skb id. */
  text(i: number, skbLabel: number = this.skb[i]): string {
    return `${this.ctx(i)} ${EVENT_NAMES[this.kind[i]]}${this.skb[i] ? ` skb=${skbLabel}` : ''} ${this.fields(i)}`;
  }
}
