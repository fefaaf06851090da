// `struct sk_buff` as plain data. The packet lives in `head`, between `data` and
// `tail`; headers are offsets into `head` (-1 when unset), as in the kernel.
import type { SockExtendedErr } from './sock.ts';
import type { NetDevice } from './netdevice.ts';
import type { Rtable } from './route.ts';
import type { TcpSkbCb } from './tcp.ts';
import type { World } from '../kernel/world.ts';
import { kfn } from '../trace/functions.ts';
import { enter, leave, ret } from '../kernel/call.ts';

export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export const PACKET_OUTGOING = 4;
export const PACKET_LOOPBACK = 5;

export const PKT_TYPE_NAMES = [
  'PACKET_HOST',
  'PACKET_BROADCAST',
  'PACKET_MULTICAST',
  'PACKET_OTHERHOST',
  'PACKET_OUTGOING',
  'PACKET_LOOPBACK',
];

export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_HLEN = 14;
/** The Ethernet MTU: what a device or a bridge with no ports starts with. */
export const ETH_DATA_LEN = 1500;
/** An 802.1Q tag. */
export const VLAN_HLEN = 4;

/** skb->ip_summed: the checksum is the stack's to compute or check ... */
export const CHECKSUM_NONE = 0;
/** ... was checked already ... */
export const CHECKSUM_UNNECESSARY = 1;
/** ... or is left to the device (offload): the field holds only the pseudo-header's sum. */
export const CHECKSUM_PARTIAL = 3;

export type SkbState = 'live' | 'consumed' | 'dropped';

/**
 * skb_shared_info: what clones share. The data is released (and the
 * frag_list of a reassembled datagram freed) when the last reference goes.
 */
export interface SkbSharedInfo {
  dataref: number;
  fragList: SkBuff[];
}

/**
 * struct sk_buff_fclones: two sk_buff structs side by side from
 * skbuff_fclone_cache, the original at `addr` and the companion its first
 * clone takes at `addr + 1`; the pair goes back to that cache when both are
 * freed (fclone_ref reaches 0).
 */
export interface SkbFclones {
  addr: number;
  ref: number;
}

export interface SkBuff {
  /** Engine-wide identity: never reused. Clones get their own id. */
  id: number;
  /** Id of the skb this one was cloned from, or 0. */
  cloneOf: number;
  /**
   * The struct's slab address, as the tracepoints see it (skbaddr): freed
   * structs are reused last-in first-out by the next allocation on that CPU,
   * so a buffer freed without a trace event can come back under the same one.
   */
  addr: number;
  head: Uint8Array;
  data: number;
  tail: number;
  /** skb->end: what the kernel's allocation (kmalloc-rounded) leaves for data, from head. */
  end: number;
  macHeader: number;
  networkHeader: number;
  transportHeader: number;
  dev: NetDevice | null;
  /** ifindex the packet arrived on (skb->skb_iif). */
  skbIif: number;
  protocol: number;
  pktType: number;
  /** Owning socket's id (skb->sk), 0 when none. */
  sk: number;
  /**
   * sk_buff_fclones: TCP allocates each skb it may send more than once with a
   * companion for its clone (alloc_skb_fclone); this is the clone last made
   * of it for transmission, while that may still be alive (skb_fclone_busy).
   */
  fclone: SkBuff | null;
  /** The fclone pair this struct is half of (null: from skbuff_cache, alone). */
  fclones: SkbFclones | null;
  dst: Rtable | null;
  /** ICMP/IP control block bits the engine needs (IPCB flags). */
  ipcbFlags: number;
  /** skb->ip_summed: who checks the transport checksum (CHECKSUM_*). */
  ipSummed: number;
  /** Virtual time the packet was created (used for rtt in ping). */
  tstamp: number;
  state: SkbState;
  /** Shared with clones; null until the skb is first cloned or gets a frag_list. */
  shinfo: SkbSharedInfo | null;
  /**
   * skb_shinfo(skb)->gso_size and gso_segs: a TCP skb holding several
   * segments' worth of data (GSO), and the segment size it is to be cut into
   * if a device cannot take it whole (veth, lo and bridges all can); 0 for one.
   */
  gsoSize: number;
  gsoSegs: number;
  /**
   * skb->truesize of an skb whose data lies in page fragments (TCP's stream
   * skbs: their head holds only headers); undefined for one whose data is in its
   * head, which its head's size accounts for.
   */
  truesize: number | undefined;
  /** TCP_SKB_CB: a TCP segment's place in the sequence space (TCP skbs only). */
  tcpCb: TcpSkbCb | undefined;
  /** SKB_EXT_ERR: what an skb on a socket's error queue reports (ip_icmp_error). */
  serr: SockExtendedErr | undefined;
  /** Where it ended: kernel function and drop reason (for drops). */
  endLocation: string;
  dropReason: string;
}

export function skbLen(skb: SkBuff): number {
  return skb.tail - skb.data;
}

/** skb_is_gso */
export function skb_is_gso(skb: SkBuff): boolean {
  return skb.gsoSize > 0;
}

// ---------- sk_buff_head helpers (include/linux/skbuff.h) ----------
// The kernel inlines these, so no tracer sees them; they are modelled as calls
// because each one changes what the diagram draws (an skb enters or leaves a
// queue), and the change should be seen at a step on which its call is on the
// stack. They emit no tracepoint: trace.txt is the same with or without them.

const F___skb_queue_tail = kfn(
  '__skb_queue_tail',
  'include/linux/skbuff.h',
  'Links the packet at the tail of a queue (the caller holds the lock): from now on the queue holds it.',
);
const F___skb_dequeue = kfn(
  '__skb_dequeue',
  'include/linux/skbuff.h',
  'Unlinks the packet at the head of a queue and returns it, or NULL when the queue is empty.',
  'skb',
);
const F_skb_queue_splice_tail_init = kfn(
  'skb_queue_splice_tail_init',
  'include/linux/skbuff.h',
  'Moves every packet of one queue to the tail of another in one go and leaves the first queue empty.',
);

/** __skb_queue_tail: `list` takes `skb` at its tail. */
export function __skb_queue_tail(w: World, list: SkBuff[], skb: SkBuff): void {
  enter(w, F___skb_queue_tail, skb, skb.dev);
  try {
    list.push(skb);
  } finally {
    leave(w);
  }
}

/** __skb_dequeue: the head of `list`, unlinked, or null when it is empty. */
export function __skb_dequeue(w: World, list: SkBuff[]): SkBuff | null {
  // The call works on the skb it unlinks: the diagram shows it leaving the queue.
  const head = list.length ? list[0] : null;
  enter(w, F___skb_dequeue, head, head?.dev ?? null);
  try {
    return ret(w, list.shift() ?? null);
  } finally {
    leave(w);
  }
}

/** skb_queue_splice_tail_init: every skb of `list` moves, in order, to the tail of `head`; `list` is left empty. */
export function skb_queue_splice_tail_init(w: World, list: SkBuff[], head: SkBuff[]): void {
  enter(w, F_skb_queue_splice_tail_init);
  try {
    // Moved one by one: no array in between (the backlog is spliced once or twice a packet).
    for (let i = 0; i < list.length; i++) head.push(list[i]);
    list.length = 0;
  } finally {
    leave(w);
  }
}
