// The tracepoint events of a run, kept in typed columns: a flood ping emits
// hundreds of thousands of them, and an object plus a formatted string each
// would dominate the engine's time in garbage collection. Text is made only
// when asked for (trace.txt, the Events panel).
import { TCP_STATE_NAMES } from '../include/tcp.ts';
import { TextWriter, utf8Bytes } from './textwriter.ts';
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

/** How a TCP event's port is written (trace.txt names the ones the kernel picked P1, P2, ...). */
export type PortText = (port: number) => string;

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
  /** Events held; event i of the run is at index i - dropped. */
  length = 0;
  /**
   * Events discarded (see discard()); 0 unless the run is read as it goes.
   * Indices into the log are the run's own while it is 0, which is all the
   * views and searches ever see.
   */
  dropped = 0;
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
  /** Each string's UTF-8 bytes, made when first written. */
  private stringBytes: Uint8Array[] = [];
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

  /** Events recorded in the run so far, discarded ones included. */
  get total(): number {
    return this.dropped + this.length;
  }

  /**
   * Forgets the events held, keeping the columns' memory for the next ones:
   * for a run whose events are read as they come (the CLI writes trace.txt
   * after each slice). Its later events keep their place in the run (total,
   * trace windows); the step columns, views and searches must not be used.
   */
  discard(): void {
    this.dropped += this.length;
    this.length = 0;
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
    // The arguments an event does not use are 0 (not a discarded event's):
    // trace.txt knows repeated events by their arguments (TraceText).
    const o = i * EV_ARGS;
    const args = this.args;
    for (let j = o; j < o + EV_ARGS; j++) args[j] = 0;
    return o;
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
    const w = new TextWriter(64);
    this.writeFields(i, w);
    return w.toString();
  }

  /** The whole line as trace.txt prints it, with the engine's own skb id. */
  text(i: number, skbLabel: number = this.skb[i]): string {
    const w = new TextWriter(96);
    this.writeText(i, skbLabel, w);
    return w.toString();
  }

  /**
   * Writes the line as trace.txt prints it (without its newline): `CTX EVENT
   * [skb=N ]FIELDS`; `portText`, if given, writes TCP's ports (the recorder
   * names the ones the kernel picked).
   */
  writeText(i: number, skbLabel: number, w: TextWriter, portText?: PortText): void {
    this.writeLineStart(i, skbLabel, w);
    this.writeFields(i, w, portText);
  }

  /** The line up to its fields: `CTX EVENT [skb=N ]`. */
  writeLineStart(i: number, skbLabel: number, w: TextWriter): void {
    w.raw(LINE_PREFIX[(this.ctxCpu[i] & 1) * EVENT_NAMES.length + this.kind[i]]);
    if (this.skb[i]) {
      w.raw(SKB_KEY);
      w.int(skbLabel);
      w.byte(0x20);
    }
  }

  /** Writes string `id` (an interned device name, function or reason). */
  private writeString(id: number, w: TextWriter): void {
    w.raw((this.stringBytes[id] ??= utf8Bytes(this.strings[id])));
  }

  /** Writes the event's key=value fields, as its tracepoint prints them. */
  writeFields(i: number, w: TextWriter, portText?: PortText): void {
    const a = this.args;
    const o = i * EV_ARGS;
    switch (this.kind[i]) {
      case EV_NET_DEV_QUEUE:
      case EV_NETIF_RX:
      case EV_NETIF_RECEIVE_SKB:
        w.raw(K_DEV);
        this.writeString(a[o], w);
        w.raw(K_LEN);
        w.int(a[o + 1]);
        return;
      case EV_NET_DEV_START_XMIT:
        w.raw(K_DEV);
        this.writeString(a[o], w);
        w.raw(K_PROTOCOL_HEX);
        w.hex(a[o + 1], 4);
        w.raw(K_LEN);
        w.int(a[o + 2]);
        return;
      case EV_NET_DEV_XMIT:
        w.raw(K_DEV);
        this.writeString(a[o], w);
        w.raw(K_LEN);
        w.int(a[o + 1]);
        w.raw(K_RC);
        w.int(a[o + 2]);
        return;
      case EV_NAPI_POLL:
        w.raw(K_DEV);
        this.writeString(a[o], w);
        w.raw(K_WORK);
        w.int(a[o + 1]);
        w.raw(K_BUDGET);
        w.int(a[o + 2]);
        return;
      case EV_KFREE_SKB:
        w.raw(K_LOCATION);
        this.writeString(a[o], w);
        w.raw(K_REASON);
        this.writeString(a[o + 1], w);
        return;
      case EV_CONSUME_SKB:
        w.raw(K_LOCATION);
        this.writeString(a[o], w);
        return;
      case EV_NEIGH_CREATE:
        w.raw(K_DEV);
        this.writeString(a[o], w);
        w.raw(K_KEY);
        w.ip(a[o + 1] >>> 0);
        return;
      case EV_NEIGH_UPDATE:
        w.raw(K_DEV);
        this.writeString(a[o], w);
        w.raw(K_KEY);
        w.ip(a[o + 1] >>> 0);
        w.raw(K_STATE);
        w.str(nudTraceName(a[o + 2]));
        w.raw(K_ARROW);
        w.str(nudTraceName(a[o + 3]));
        return;
      case EV_FIB_TABLE_LOOKUP:
        w.raw(K_TABLE);
        w.int(a[o]);
        w.raw(K_OIF);
        w.int(a[o + 1]);
        w.raw(K_IIF);
        w.int(a[o + 2]);
        w.raw(K_PROTO);
        w.int(a[o + 3]);
        w.raw(K_SRC);
        w.ip(a[o + 4] >>> 0);
        w.raw(K_DST);
        w.ip(a[o + 5] >>> 0);
        w.raw(K_RESULT);
        this.writeString(a[o + 6], w);
        w.raw(K_ERR);
        w.int(a[o + 7]);
        return;
      case EV_SOFTIRQ_RAISE:
        w.raw(K_VEC);
        this.writeString(a[o], w);
        return;
      case EV_INET_SOCK_SET_STATE:
        w.raw(K_PROTO_TCP);
        this.writeEndpoints(o, w, portText);
        w.raw(K_STATE);
        w.str(TCP_STATE_NAMES[a[o + 4]]);
        w.raw(K_ARROW);
        w.str(TCP_STATE_NAMES[a[o + 5]]);
        return;
      case EV_TCP_SEND_RESET:
      case EV_TCP_RETRANSMIT_SKB:
        this.writeEndpoints(o, w, portText);
        w.raw(K_STATE);
        w.str(a[o + 4] ? TCP_STATE_NAMES[a[o + 4]] : 'UNKNOWN');
        return;
      case EV_TCP_RECEIVE_RESET:
        this.writeEndpoints(o, w, portText);
        return;
    }
  }

  /** A TCP event's socket (or reset's) addresses, host order, and ports: [src, sport, dst, dport]; null for other events. */
  endpoints(i: number): [number, number, number, number] | null {
    const kind = this.kind[i];
    if (!isTcpEvent(kind)) return null;
    const o = i * EV_ARGS;
    const a = this.args;
    return [a[o] >>> 0, a[o + 1], a[o + 2] >>> 0, a[o + 3]];
  }

  /** `src=ADDR:PORT dst=ADDR:PORT` from four arguments at `o`. */
  private writeEndpoints(o: number, w: TextWriter, portText?: PortText): void {
    const a = this.args;
    w.raw(K_SRC_FIRST);
    w.ip(a[o] >>> 0);
    w.byte(0x3a);
    if (portText) w.str(portText(a[o + 1]));
    else w.int(a[o + 1]);
    w.raw(K_DST);
    w.ip(a[o + 2] >>> 0);
    w.byte(0x3a);
    if (portText) w.str(portText(a[o + 3]));
    else w.int(a[o + 3]);
  }
}

/** TCP's events: their fields name a socket's addresses and ports (written through a PortText). */
export function isTcpEvent(kind: number): boolean {
  return kind >= EV_INET_SOCK_SET_STATE && kind <= EV_TCP_RETRANSMIT_SKB;
}

/** `task EVENT ` and `softirq EVENT `, by context and kind: the start of every line. */
const LINE_PREFIX = ['task', 'softirq'].flatMap((ctx) => EVENT_NAMES.map((name) => utf8Bytes(`${ctx} ${name} `)));
const SKB_KEY = utf8Bytes('skb=');
// The keys of the fields, encoded once.
const K_DEV = utf8Bytes('dev=');
const K_LEN = utf8Bytes(' len=');
const K_PROTOCOL_HEX = utf8Bytes(' protocol=0x');
const K_RC = utf8Bytes(' rc=');
const K_WORK = utf8Bytes(' work=');
const K_BUDGET = utf8Bytes(' budget=');
const K_LOCATION = utf8Bytes('location=');
const K_REASON = utf8Bytes(' reason=');
const K_KEY = utf8Bytes(' key=');
const K_STATE = utf8Bytes(' state=');
const K_ARROW = utf8Bytes('->');
const K_TABLE = utf8Bytes('table=');
const K_OIF = utf8Bytes(' oif=');
const K_IIF = utf8Bytes(' iif=');
const K_PROTO = utf8Bytes(' proto=');
const K_SRC = utf8Bytes(' src=');
const K_DST = utf8Bytes(' dst=');
const K_RESULT = utf8Bytes(' result=');
const K_ERR = utf8Bytes(' err=');
const K_VEC = utf8Bytes('vec=');
const K_PROTO_TCP = utf8Bytes('proto=TCP ');
const K_SRC_FIRST = utf8Bytes('src=');
