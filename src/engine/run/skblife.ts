// The life of each skb in a run: where it was allocated or cloned, the queues
// it waited in (and a socket's queues it left), the devices it crossed, the
// connections it opened on a listener, and how it ended (consumed, or dropped
// with the kernel's drop reason), each with the step to jump to. Built once
// per run from the recorder's skb log and the skb tracepoints, as a compact
// index (one offsets array over the skb ids, one array of record references).
import type { Run } from './run.ts';
import { KERNEL_FUNCTIONS } from '../trace/functions.ts';
import {
  EV_ARGS,
  EV_CONSUME_SKB,
  EV_KFREE_SKB,
  EV_NET_DEV_QUEUE,
  EV_NET_DEV_XMIT,
  EV_NETIF_RECEIVE_SKB,
  EV_NETIF_RX,
} from '../trace/eventlog.ts';
import {
  SKB_ACCEPT_QUEUE,
  SKB_ALLOC,
  SKB_CLONE,
  SKB_COALESCE,
  SKB_DEQUEUE_RTX,
  SKB_DEQUEUE_SOCKET,
  SKB_FREE,
  SKB_QUEUE_BACKLOG,
  SKB_QUEUE_NEIGH,
  SKB_QUEUE_PROCESS,
  SKB_QUEUE_REASM,
  SKB_QUEUE_RTX,
  SKB_QUEUE_SOCKET,
  SKB_QUEUE_SOCKET_ERROR,
  SKB_QUEUE_WRITE,
  SKB_REQUEST,
} from '../trace/skblog.ts';
import { ipStr } from '../net/ipv4/addr.ts';

export type SkbLifeKind =
  'alloc' | 'clone' | 'cloned' | 'queue' | 'dequeue' | 'merge' | 'connect' | 'xmit' | 'receive' | 'drop' | 'consume';

export interface SkbLifeEntry {
  /**
   * The step to jump to: for a tracepoint the step it is listed at in Events,
   * for a free the freeing call's entry, else the first step that shows it done.
   */
  step: number;
  /** The kernel function that did it (for a tracepoint, the one that emitted it). */
  fn: string;
  kind: SkbLifeKind;
  /** What happened, in words (no step number, no function name). */
  text: string;
}

/** The skb events that make a packet's life (net_dev_start_xmit would repeat net_dev_xmit). */
const LIFE_EVENTS = new Set([EV_NET_DEV_QUEUE, EV_NET_DEV_XMIT, EV_NETIF_RX, EV_NETIF_RECEIVE_SKB, EV_KFREE_SKB, EV_CONSUME_SKB]);

interface LifeIndex {
  /** Records of skb id s are refs[offsets[s] .. offsets[s + 1]). */
  offsets: Uint32Array;
  /** A record reference: an event index i as 2i, a skb log index j as 2j + 1; in step order. */
  refs: Int32Array;
}

const indexes = new WeakMap<Run, LifeIndex>();

function buildIndex(run: Run): LifeIndex {
  const ev = run.rec.events;
  const log = run.rec.skbLog;
  let maxId = 0;
  for (let j = 0; j < log.length; j++) maxId = Math.max(maxId, log.skb[j]);
  for (let i = 0; i < ev.length; i++) maxId = Math.max(maxId, ev.skbId[i]);
  // Merge the two logs in step order (an skb log record at step k happened
  // during call k, as did the events whose recorder index is k - 1).
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  const nextEvent = () => {
    while (i < ev.length && !(ev.skbId[i] > 0 && LIFE_EVENTS.has(ev.kind[i]))) i++;
  };
  nextEvent();
  while (i < ev.length || j < log.length) {
    if (j >= log.length || (i < ev.length && ev.step[i] + 1 < log.step[j])) {
      merged.push(2 * i);
      i++;
      nextEvent();
    } else {
      merged.push(2 * j + 1);
      j++;
    }
  }
  const owners = (ref: number, f: (id: number) => void) => {
    if (ref % 2 === 0) f(ev.skbId[ref / 2]);
    else {
      const k = (ref - 1) / 2;
      f(log.skb[k]);
      if (log.kind[k] === SKB_CLONE) f(log.arg[k]);
    }
  };
  const counts = new Uint32Array(maxId + 2);
  for (const ref of merged) owners(ref, (id) => counts[id + 1]++);
  const offsets = new Uint32Array(maxId + 2);
  for (let s = 1; s < offsets.length; s++) offsets[s] = offsets[s - 1] + counts[s];
  const fill = offsets.slice(0, maxId + 1);
  const refs = new Int32Array(offsets[maxId + 1]);
  for (const ref of merged) owners(ref, (id) => (refs[fill[id]++] = ref));
  return { offsets, refs };
}

function indexOf(run: Run): LifeIndex {
  let idx = indexes.get(run);
  if (!idx) {
    idx = buildIndex(run);
    indexes.set(run, idx);
  }
  return idx;
}

/**
 * The step that entered the function running at depth `depth` when call
 * `step` was the latest one entered: the nearest step back at that depth
 * (calls in between are deeper, already returned). 0 when none.
 */
function runningCall(run: Run, step: number, depth: number): number {
  const rec = run.rec;
  if (depth < 0) return 0;
  for (let s = Math.min(step, rec.count); s >= 1; s--) if (rec.depth[s - 1] === depth) return s;
  return 0;
}

function fnAt(run: Run, step: number): string {
  if (step < 1 || step > run.rec.count) return '';
  return KERNEL_FUNCTIONS[run.rec.fn[step - 1]]?.name ?? '';
}

function eventEntry(run: Run, i: number): SkbLifeEntry {
  const ev = run.rec.events;
  // The step the Events panel lists it at (the latest step when it fired),
  // which keeps the life in step order: net_dev_xmit fires after the driver
  // returns, when the skb may already wait in the peer's backlog. Named after
  // the call that emitted it, which may be below the top of the stack there.
  const step = ev.step[i] + 1;
  const o = i * EV_ARGS;
  const str = (k: number) => ev.strings[ev.args[o + k]];
  const fn = fnAt(run, runningCall(run, step, ev.depth[i]) || step);
  switch (ev.kind[i]) {
    case EV_NET_DEV_QUEUE:
      return { step, fn, kind: 'xmit', text: `handed to ${str(0)} for transmit (net_dev_queue)` };
    case EV_NET_DEV_XMIT:
      return { step, fn, kind: 'xmit', text: `transmitted by ${str(0)}'s driver, rc ${ev.args[o + 2]} (net_dev_xmit)` };
    case EV_NETIF_RX:
      return { step, fn, kind: 'receive', text: `received on ${str(0)} (netif_rx)` };
    case EV_NETIF_RECEIVE_SKB:
      return { step, fn, kind: 'receive', text: `taken up the stack from ${str(0)} (netif_receive_skb)` };
    case EV_KFREE_SKB:
      return { step, fn, kind: 'drop', text: `dropped at ${str(0)}: reason ${str(1)} (kfree_skb)` };
    default:
      return { step, fn, kind: 'consume', text: `freed at ${str(0)}, not a drop (consume_skb)` };
  }
}

function logEntry(run: Run, j: number, id: number): SkbLifeEntry {
  const log = run.rec.skbLog;
  const at = log.step[j];
  const fn = fnAt(run, runningCall(run, at, log.depth[j]));
  const sock = () => `${str} socket ${arg}`;
  // What a call does to an skb (allocating, cloning, queueing it) shows from
  // the next step on: link there, naming the call that did it.
  const next = Math.min(run.rec.count, at + 1);
  const queued = (text: string): SkbLifeEntry => ({ step: next, fn, kind: 'queue', text });
  const arg = log.arg[j];
  const str = log.str[j] >= 0 ? log.strings[log.str[j]] : '';
  switch (log.kind[j]) {
    case SKB_ALLOC:
      return { step: next, fn, kind: 'alloc', text: 'allocated' };
    case SKB_CLONE:
      return log.skb[j] === id
        ? { step: next, fn, kind: 'clone', text: `cloned from skb #${arg}` }
        : { step: next, fn, kind: 'cloned', text: `cloned as skb #${log.skb[j]}` };
    case SKB_QUEUE_BACKLOG:
      return queued(`queued on cpu${arg} input_pkt_queue (the backlog)`);
    case SKB_QUEUE_PROCESS:
      return queued(`moved to cpu${arg} process_queue`);
    case SKB_QUEUE_NEIGH:
      return queued(`waits on neighbour ${ipStr(arg >>> 0)} (${str}) until ARP resolves it`);
    case SKB_QUEUE_SOCKET:
      return queued(`queued on ${sock()}'s receive queue`);
    case SKB_QUEUE_SOCKET_ERROR:
      return queued(`queued on ${sock()}'s error queue`);
    case SKB_QUEUE_REASM:
      return queued(`waits in a reassembly queue (${str}) for the datagram's other fragments`);
    case SKB_DEQUEUE_SOCKET:
      return { step: next, fn, kind: 'dequeue', text: `taken off ${sock()}'s receive queue, read by the program` };
    case SKB_QUEUE_WRITE:
      return queued(`queued on ${sock()}'s write queue (written, not yet sent)`);
    case SKB_QUEUE_RTX:
      return queued(`queued on ${sock()}'s retransmit queue (sent, kept until acknowledged)`);
    case SKB_DEQUEUE_RTX:
      return { step: next, fn, kind: 'dequeue', text: `acknowledged: taken off ${sock()}'s retransmit queue` };
    case SKB_REQUEST:
      return { step: next, fn, kind: 'connect', text: `made request socket ${arg} (SYN_RECV) on listening socket ${str}` };
    case SKB_ACCEPT_QUEUE:
      return {
        step: next,
        fn,
        kind: 'connect',
        text: `completed the handshake: child socket ${arg} queued on listening socket ${str}'s accept queue`,
      };
    case SKB_COALESCE:
      return { step: next, fn, kind: 'merge', text: `its data merged into skb #${arg} on the receive queue` };
    case SKB_FREE:
    default: {
      // A free no tracepoint sees. Linked to the freeing call, as a
      // consume_skb is; where is the location given, or else its caller.
      const where = str || fnAt(run, runningCall(run, at, log.depth[j] - 1)) || fn;
      return { step: at, fn, kind: 'consume', text: `freed at ${where} (no tracepoint fires)` };
    }
  }
}

/** The life of skb `id` over the whole run, in step order (empty for an id the run never had). */
export function skbLife(run: Run, id: number): SkbLifeEntry[] {
  const { offsets, refs } = indexOf(run);
  if (!Number.isInteger(id) || id < 1 || id + 1 >= offsets.length) return [];
  const out: SkbLifeEntry[] = [];
  for (let k = offsets[id]; k < offsets[id + 1]; k++) {
    const ref = refs[k];
    out.push(ref % 2 === 0 ? eventEntry(run, ref / 2) : logEntry(run, (ref - 1) / 2, id));
  }
  return out;
}
