// The neighbour layer (net/core/neighbour.c): the state machine that turns a
// next-hop IP address into a MAC, queueing packets while ARP resolves.
import type { World } from '../../kernel/world.ts';
import { newUid, randomU32 } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { IFF_LOOPBACK, IFF_NOARP, IFF_POINTOPOINT, IFF_UP } from '../../include/netdevice.ts';
import type { Neighbour } from '../../include/neighbour.ts';
import {
  NUD_CONNECTED,
  NUD_DELAY,
  NUD_FAILED,
  NUD_IN_TIMER,
  NUD_INCOMPLETE,
  NUD_NOARP,
  NUD_NONE,
  NUD_PERMANENT,
  NUD_PROBE,
  NUD_REACHABLE,
  NUD_STALE,
  NUD_VALID,
} from '../../include/neighbour.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { skbLen } from '../../include/skbuff.ts';
import { RTN_BROADCAST, RTN_MULTICAST } from '../../include/route.ts';
import { kfn } from '../../trace/functions.ts';
import { SKB_QUEUE_NEIGH } from '../../trace/skblog.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { trace_neigh_create, trace_neigh_update } from '../../trace/tracepoints.ts';
import { jiffiesAt, mod_timer } from '../../kernel/timer.ts';
import { consume_skb, kfree_skb_reason, skb_clone } from './skbuff.ts';
import { local_bh_disable, local_bh_enable, runInTimerSoftirq } from '../../kernel/softirq.ts';
import { timer_setup } from '../../kernel/sched.ts';
import { dev_queue_xmit } from './dev.ts';
import { eth_header } from '../ethernet/eth.ts';
import { arp_error_report, arp_solicit, parp_redo } from '../ipv4/arp.ts';
import { inet_addr_type_dev_table } from '../ipv4/fib_frontend.ts';
import type { NeighParms } from '../../include/sysctl.ts';
import { ctlDir, ctlIntFile, parseProcInt, type CtlDir, type CtlFile, type CtlNode } from '../../kernel/sysctl.ts';
import { EEXIST, EINVAL, ENODEV, ENOENT, EPERM } from '../../include/errno.ts';
import type { Net } from '../../include/net.ts';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, type NetlinkExtAck, type RtnlAnswer } from '../../include/netlink.ts';
import { devGetByIndex, neighRandReachTime } from './register.ts';

const F___neigh_create = kfn(
  '__neigh_create',
  'net/core/neighbour.c',
  'No neighbour entry exists for this next hop on this device yet: one is created (state NONE) and arp_constructor decides whether it needs ARP at all.',
  'neighbour',
);
const F_arp_constructor = kfn(
  'arp_constructor',
  'net/ipv4/arp.c',
  'Sets up a new ARP neighbour: on lo (and for broadcast) no resolution is needed (NOARP); otherwise the entry must be resolved with ARP.',
);
const F_neigh_resolve_output = kfn(
  'neigh_resolve_output',
  'net/core/neighbour.c',
  'Output through a neighbour that may not be resolved: neigh_event_send decides. If the MAC is known, the Ethernet header is built and the frame goes to dev_queue_xmit.',
  'net_xmit',
);
const F_neigh_hh_output = kfn(
  'neigh_hh_output',
  'include/net/neighbour.h',
  'Fast path: the neighbour is reachable and its Ethernet header is cached, so it is copied in front of the packet and sent.',
  'net_xmit',
);
const F___neigh_event_send = kfn(
  '__neigh_event_send',
  'net/core/neighbour.c',
  'The neighbour is not usable yet. A NONE entry becomes INCOMPLETE, the packet is parked on its arp_queue and a probe is sent at once; a STALE one becomes DELAY and the packet goes out.',
  'int',
);
const F_neigh_probe = kfn(
  'neigh_probe',
  'net/core/neighbour.c',
  'Sends one resolution probe (an ARP request) for the entry, using a clone of the newest queued packet for its source address.',
);
const F_neigh_update = kfn(
  '__neigh_update',
  'net/core/neighbour.c',
  "Changes a neighbour's state and MAC. When an unresolved entry becomes valid, the packets waiting on its arp_queue are sent now.",
  'errno',
);
const F_neigh_timer_handler = kfn(
  'neigh_timer_handler',
  'net/core/neighbour.c',
  "The neighbour's timer: retransmits ARP while INCOMPLETE/PROBE, ages REACHABLE to STALE, and after too many unanswered probes declares FAILED.",
);
const F_neigh_ifdown = kfn(
  'neigh_ifdown',
  'net/core/neighbour.c',
  'The device went down, lost its carrier or its last IPv4 address: its neighbour entries are flushed (static ones stay when only the carrier went), and packets still waiting on them are dropped.',
);
const F_neigh_add = kfn(
  'neigh_add',
  'net/core/neighbour.c',
  'RTM_NEWNEIGH (ip neigh add / change / replace): finds or creates the entry for the address on the device, refuses what the request flags forbid (add of an existing entry, change of a missing one), then sets its state and MAC as an administrator.',
  'errno',
);
const F_neigh_delete = kfn(
  'neigh_delete',
  'net/core/neighbour.c',
  'RTM_DELNEIGH (ip neigh del / flush): the entry is made FAILED (packets waiting on it are reported unreachable), marked dead and removed from the table.',
  'errno',
);
const F_neigh_invalidate = kfn(
  'neigh_invalidate',
  'net/core/neighbour.c',
  'Resolution failed: every packet waiting on the entry is reported unreachable (an ICMP error to its sender) and dropped.',
);

/** The hash key: loopback and point-to-point devices have one entry for all. */
function primaryKeyFor(dev: NetDevice, key: number): number {
  return dev.flags & (IFF_LOOPBACK | IFF_POINTOPOINT) ? 0 : key;
}

/**
 * __ipv4_neigh_lookup_noref: the output path's lookup, where a loopback or
 * point-to-point device's one entry answers for every next hop.
 */
export function __ipv4_neigh_lookup_noref(dev: NetDevice, key: number): Neighbour | undefined {
  return neigh_lookup(dev, primaryKeyFor(dev, key));
}

/** neigh_lookup: the table's entry for exactly this key on this device (netlink's lookup: no key folding). */
export function neigh_lookup(dev: NetDevice, key: number): Neighbour | undefined {
  for (const n of dev.net.neighbours) if (n.dev === dev && n.primaryKey === key && !n.dead) return n;
  return undefined;
}

export function __neigh_create(w: World, dev: NetDevice, key: number): Neighbour {
  enter(w, F___neigh_create, null, dev);
  try {
    trace_neigh_create(w, dev, key);
    const parms = dev.neighParms;
    const n: Neighbour = {
      uid: newUid(w),
      dev,
      key,
      primaryKey: key,
      nudState: NUD_NONE,
      ha: new Uint8Array(6),
      type: 0,
      probes: 0,
      updated: w.now,
      confirmed: w.now - 2 * parms.baseReachableTime,
      used: w.now,
      hhValid: false,
      arpQueue: [],
      arpQueueLen: 0,
      parms,
      timerAt: -1,
      dead: false,
    };
    arp_constructor(w, n);
    // The constructor may fold the key (0 on loopback): an entry already
    // hashed under the folded key is the one the caller gets.
    const existing = neigh_lookup(dev, n.primaryKey);
    if (existing) return ret(w, existing);
    dev.net.neighbours.push(n);
    return ret(w, n);
  } finally {
    leave(w);
  }
}

function arp_constructor(w: World, n: Neighbour): void {
  enter(w, F_arp_constructor, null, n.dev);
  try {
    const dev = n.dev;
    if (dev.flags & (IFF_LOOPBACK | IFF_POINTOPOINT)) n.primaryKey = 0;
    n.type = inet_addr_type_dev_table(w, dev.net, dev, n.primaryKey);
    if (n.type === RTN_MULTICAST) {
      n.nudState = NUD_NOARP;
    } else if (dev.flags & (IFF_NOARP | IFF_LOOPBACK)) {
      n.nudState = NUD_NOARP;
      n.ha = dev.addr.slice();
    } else if (n.type === RTN_BROADCAST || dev.flags & IFF_POINTOPOINT) {
      n.nudState = NUD_NOARP;
      n.ha = dev.broadcast.slice();
    }
  } finally {
    leave(w);
  }
}

/** __neigh_lookup(..., creat=1) / neigh_event_ns's lookup-or-create. */
export function neigh_lookup_or_create(w: World, dev: NetDevice, key: number): Neighbour {
  return neigh_lookup(dev, key) ?? __neigh_create(w, dev, key);
}

// The neighbour's timer runs neigh_timer_handler in the timer softirq, unless
// it was modified (or deleted) since it was armed.
timer_setup('neigh', (w, t) => {
  const n = neighByUid(w, t.ref);
  if (n && n.timerAt === t.gen) runInTimerSoftirq(w, () => neigh_timer_handler(w, n));
});

function neighModTimer(w: World, n: Neighbour, at: number): void {
  n.timerAt = at;
  mod_timer(w, at, 'neigh', n.uid, at);
}

function neighDelTimer(n: Neighbour): void {
  n.timerAt = -1;
}

function neighMaxProbes(n: Neighbour): number {
  const p = n.parms;
  return p.ucastProbes + p.appProbes + (n.nudState & NUD_PROBE ? p.mcastReprobes : p.mcastProbes);
}

/** neigh_output: the hh cache when connected, else neigh->output. */
export function neigh_output(w: World, n: Neighbour, skb: SkBuff): number {
  if (n.nudState & NUD_CONNECTED && n.hhValid) return neigh_hh_output(w, n, skb);
  return neigh_resolve_output(w, n, skb);
}

function neigh_hh_output(w: World, n: Neighbour, skb: SkBuff): number {
  enter(w, F_neigh_hh_output, skb, n.dev);
  try {
    buildHeader(w, n, skb);
    return ret(w, dev_queue_xmit(w, skb));
  } finally {
    leave(w);
  }
}

function buildHeader(w: World, n: Neighbour, skb: SkBuff): void {
  // __skb_pull(skb, skb_network_offset(skb)) then dev_hard_header.
  if (skb.networkHeader >= 0) skb.data = skb.networkHeader;
  eth_header(w, skb, n.dev, skb.protocol, n.ha, n.dev.addr);
}

export function neigh_resolve_output(w: World, n: Neighbour, skb: SkBuff): number {
  enter(w, F_neigh_resolve_output, skb, n.dev);
  try {
    if (neigh_event_send(w, n, skb) === 0) {
      if (!n.hhValid && n.nudState & NUD_VALID) n.hhValid = true; // neigh_hh_init
      buildHeader(w, n, skb);
      return ret(w, dev_queue_xmit(w, skb));
    }
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/** neigh_event_send: 0 when the packet may go now, 1 when it was queued or dropped. */
export function neigh_event_send(w: World, n: Neighbour, skb: SkBuff | null): number {
  n.used = w.now;
  if (!(n.nudState & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE))) return __neigh_event_send(w, n, skb);
  return 0;
}

function __neigh_event_send(w: World, n: Neighbour, skb: SkBuff | null): number {
  enter(w, F___neigh_event_send, skb, n.dev);
  try {
    local_bh_disable(w);
    let rc = 0;
    let immediateProbe = false;
    if (n.nudState & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) {
      local_bh_enable(w);
      return ret(w, 0);
    }
    if (n.dead) {
      if (!(n.nudState & NUD_STALE)) {
        local_bh_enable(w);
        if (skb) kfree_skb_reason(w, skb, 'NEIGH_DEAD', '__neigh_event_send');
        return ret(w, 1);
      }
    } else if (!(n.nudState & (NUD_STALE | NUD_INCOMPLETE))) {
      if (n.parms.mcastProbes + n.parms.appProbes) {
        n.probes = n.parms.ucastProbes;
        neighDelTimer(n);
        n.nudState = NUD_INCOMPLETE;
        n.updated = w.now;
        immediateProbe = true;
        neighModTimer(w, n, w.now + Math.max(n.parms.retransTime, 10_000_000));
      } else {
        n.nudState = NUD_FAILED;
        n.updated = w.now;
        local_bh_enable(w);
        if (skb) kfree_skb_reason(w, skb, 'NEIGH_FAILED', '__neigh_event_send');
        return ret(w, 1);
      }
    } else if (n.nudState & NUD_STALE) {
      neighDelTimer(n);
      n.nudState = NUD_DELAY;
      n.updated = w.now;
      neighModTimer(w, n, w.now + n.parms.delayProbeTime);
    }
    if (n.nudState === NUD_INCOMPLETE) {
      if (skb) {
        const truesize = skbTruesize(skb);
        while (n.arpQueueLen + truesize > n.parms.queueLenBytes && n.arpQueue.length) {
          const old = n.arpQueue.shift()!;
          n.arpQueueLen -= skbTruesize(old);
          kfree_skb_reason(w, old, 'NEIGH_QUEUEFULL', '__neigh_event_send');
        }
        n.arpQueue.push(skb);
        w.rec.skbNote(SKB_QUEUE_NEIGH, skb.id, n.key | 0, n.dev.name);
        n.arpQueueLen += truesize;
      }
      rc = 1;
    }
    if (immediateProbe) neigh_probe(w, n);
    local_bh_enable(w);
    return ret(w, rc);
  } finally {
    leave(w);
  }
}

function skbTruesize(skb: SkBuff): number {
  // SKB_TRUESIZE: the data rounded up plus struct sk_buff and skb_shared_info.
  return ((skbLen(skb) + 16 + 63) & ~63) + 576;
}

function neigh_probe(w: World, n: Neighbour): void {
  enter(w, F_neigh_probe, null, n.dev);
  try {
    const last = n.arpQueue[n.arpQueue.length - 1];
    const clone = last ? skb_clone(w, last) : null;
    arp_solicit(w, n, clone);
    n.probes++;
    // A probe counts as use: the kernel records (neigh-host-stale) show an
    // entry confirmed by its own unicast probe going to DELAY, not STALE,
    // when its reachable time runs out soon after.
    n.used = w.now;
    if (clone) consume_skb(w, clone, 'neigh_probe');
  } finally {
    leave(w);
  }
}

export const NEIGH_UPDATE_F_OVERRIDE = 1;
export const NEIGH_UPDATE_F_WEAK_OVERRIDE = 2;
export const NEIGH_UPDATE_F_ADMIN = 0x80000000;

/**
 * __neigh_update. `lladdr` null means "keep what we have"; a netlink request
 * passes its extack to hear why it was refused.
 */
export function neigh_update(
  w: World,
  n: Neighbour,
  lladdr: Uint8Array | null,
  newState: number,
  flags: number,
  extack: NetlinkExtAck | null = null,
): number {
  enter(w, F_neigh_update, null, n.dev);
  try {
    trace_neigh_update(w, n.dev, n.key, n.nudState, newState);
    const old = n.nudState;
    if (n.dead) {
      if (extack) extack.msg = 'Neighbor entry is now dead';
      return ret(w, -EPERM);
    }
    // Only an administrator (netlink) changes a static entry.
    if (!(flags & NEIGH_UPDATE_F_ADMIN) && old & (NUD_NOARP | NUD_PERMANENT)) return ret(w, -EPERM);
    if (!(newState & NUD_VALID)) {
      neighDelTimer(n);
      n.nudState = newState;
      if (old & (NUD_INCOMPLETE | NUD_PROBE) && newState & NUD_FAILED) neigh_invalidate(w, n);
      return ret(w, 0);
    }
    let addr: Uint8Array;
    let same: boolean;
    if (lladdr) {
      same = (old & NUD_VALID) !== 0 && macEqual(lladdr, n.ha);
      addr = same ? n.ha : lladdr;
    } else {
      if (!(old & NUD_VALID)) {
        if (extack) extack.msg = 'No link layer address given';
        return ret(w, -EINVAL);
      }
      addr = n.ha;
      same = true;
    }
    if (newState & NUD_CONNECTED) n.confirmed = w.now;
    if (old & NUD_VALID) {
      if (!same && !(flags & NEIGH_UPDATE_F_OVERRIDE)) {
        if (flags & NEIGH_UPDATE_F_WEAK_OVERRIDE && old & NUD_CONNECTED) {
          addr = n.ha;
          same = true;
          newState = NUD_STALE;
        } else return ret(w, 0);
      } else if (same && newState === NUD_STALE && !(flags & NEIGH_UPDATE_F_ADMIN)) {
        newState = old;
      }
    }
    if (newState !== old || !same) n.updated = w.now;
    if (newState !== old) {
      neighDelTimer(n);
      if (newState & NUD_PROBE) n.probes = 0;
      if (newState & NUD_IN_TIMER) neighModTimer(w, n, w.now + (newState & NUD_REACHABLE ? n.parms.reachableTime : 0));
      n.nudState = newState;
    }
    if (!same) {
      n.ha = addr.slice();
      n.hhValid = false;
      if (!(newState & NUD_CONNECTED)) n.confirmed = w.now - 2 * n.parms.baseReachableTime;
    }
    if (newState === old) return ret(w, 0);
    if (!(old & NUD_VALID)) {
      while (n.nudState & NUD_VALID && n.arpQueue.length) {
        const skb = n.arpQueue.shift()!;
        n.arpQueueLen -= skbTruesize(skb);
        neigh_output(w, n, skb);
      }
      n.arpQueue = [];
      n.arpQueueLen = 0;
    }
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

function macEqual(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

function neigh_invalidate(w: World, n: Neighbour): void {
  enter(w, F_neigh_invalidate, null, n.dev);
  try {
    n.updated = w.now;
    while (n.nudState === NUD_FAILED && n.arpQueue.length) {
      const skb = n.arpQueue.shift()!;
      arp_error_report(w, n, skb);
    }
    n.arpQueue = [];
    n.arpQueueLen = 0;
  } finally {
    leave(w);
  }
}

/** The neighbour timer fired (called in TIMER softirq context). */
export function neigh_timer_handler(w: World, n: Neighbour): void {
  enter(w, F_neigh_timer_handler, null, n.dev);
  try {
    n.timerAt = -1;
    const state = n.nudState;
    const now = w.now;
    let next = now + 1e9;
    if (!(state & NUD_IN_TIMER)) return;
    if (state & NUD_REACHABLE) {
      if (now <= n.confirmed + n.parms.reachableTime) {
        next = n.confirmed + n.parms.reachableTime;
      } else if (now <= n.used + n.parms.delayProbeTime) {
        n.nudState = NUD_DELAY;
        n.updated = now;
        next = now + n.parms.delayProbeTime;
      } else {
        n.nudState = NUD_STALE;
        n.updated = now;
      }
    } else if (state & NUD_DELAY) {
      if (now <= n.confirmed + n.parms.delayProbeTime) {
        n.nudState = NUD_REACHABLE;
        n.updated = now;
        next = n.confirmed + n.parms.reachableTime;
      } else {
        n.nudState = NUD_PROBE;
        n.updated = now;
        n.probes = 0;
        next = now + Math.max(n.parms.retransTime, 10_000_000);
      }
    } else {
      next = now + Math.max(n.parms.retransTime, 10_000_000);
    }
    if (n.nudState & (NUD_INCOMPLETE | NUD_PROBE) && n.probes >= neighMaxProbes(n)) {
      n.nudState = NUD_FAILED;
      neigh_invalidate(w, n);
      return;
    }
    if (n.nudState & NUD_IN_TIMER) neighModTimer(w, n, Math.max(next, now + 10_000_000));
    if (n.nudState & (NUD_INCOMPLETE | NUD_PROBE)) neigh_probe(w, n);
  } finally {
    leave(w);
  }
}

export function neighByUid(w: World, uid: number): Neighbour | undefined {
  for (const net of w.nets) for (const n of net.neighbours) if (n.uid === uid) return n;
  return undefined;
}

/**
 * __neigh_ifdown / neigh_flush_dev: the device's entries leave the table and
 * packets still waiting on them are dropped. Losing carrier keeps the static
 * (PERMANENT) ones; the device going down or losing its last address does not.
 */
function __neigh_ifdown(w: World, dev: NetDevice, skipPerm: boolean): void {
  const net = dev.net;
  const flushed = (n: Neighbour) => n.dev === dev && !(skipPerm && n.nudState & NUD_PERMANENT);
  if (!net.neighbours.some(flushed)) return;
  enter(w, F_neigh_ifdown, null, dev);
  try {
    for (const n of net.neighbours) if (flushed(n)) neighKill(w, n, 'neigh_flush_dev');
    net.neighbours = net.neighbours.filter((n) => !n.dead);
  } finally {
    leave(w);
  }
}

/**
 * pneigh_enqueue
 * (https://elixir.bootlin.com/linux/v6.18/source/net/core/neighbour.c): an
 * ARP request a device answers by proxy waits a random while, below the
 * device's proxy_delay, in the table's proxy queue (its route dropped); the
 * table's one proxy timer is due at the earliest of its packets.
 */
export function pneigh_enqueue(w: World, dev: NetDevice, skb: SkBuff): void {
  const extra = neighExtra(dev);
  const now = jiffiesAt(w.now);
  let schedNext = now + (extra.proxy_delay > 0 ? randomU32(w) % extra.proxy_delay : 0);
  const queued = w.neighProxyQueue.filter((q) => q.skb.dev === dev).length;
  if (queued > extra.proxy_qlen) {
    kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'pneigh_enqueue');
    return;
  }
  if (w.neighProxyTimerAt >= 0) schedNext = Math.min(schedNext, w.neighProxyTimerAt);
  skb.dst = null;
  w.neighProxyQueue.push({ skb, schedNext });
  neighProxyModTimer(w, schedNext);
}

function neighProxyModTimer(w: World, jiffies: number): void {
  w.neighProxyTimerAt = jiffies;
  mod_timer(w, jiffies * JIFFY_NS, 'neigh_proxy', 0, jiffies);
}

/**
 * neigh_proxy_process: the packets now due are answered (proxy_redo, ARP's
 * parp_redo, while their device is up; dropped otherwise); the timer is
 * armed again for the next one.
 */
function neigh_proxy_process(w: World): void {
  const now = jiffiesAt(w.now);
  let next = -1;
  for (const q of [...w.neighProxyQueue]) {
    if (q.schedNext <= now) {
      w.neighProxyQueue = w.neighProxyQueue.filter((x) => x !== q);
      const dev = q.skb.dev!;
      if (dev.flags & IFF_UP) parp_redo(w, q.skb);
      else kfree_skb_reason(w, q.skb, 'NOT_SPECIFIED', 'neigh_proxy_process');
    } else if (next < 0 || q.schedNext < next) next = q.schedNext;
  }
  w.neighProxyTimerAt = -1;
  if (next >= 0) neighProxyModTimer(w, next);
}

timer_setup('neigh_proxy', (w, t) => {
  if (w.neighProxyTimerAt === t.gen) runInTimerSoftirq(w, () => neigh_proxy_process(w));
});

/** neigh_ifdown (arp_ifdown): the device went down or lost its last address. */
export function neigh_ifdown(w: World, dev: NetDevice): void {
  __neigh_ifdown(w, dev, false);
}

/** neigh_carrier_down: the device lost its carrier; static entries stay. */
export function neigh_carrier_down(w: World, dev: NetDevice): void {
  __neigh_ifdown(w, dev, true);
}

/** An RTM_NEWNEIGH, RTM_DELNEIGH or RTM_GETNEIGH request: struct ndmsg and its attributes, as `ip neigh` fills them. */
export interface NeighRequest {
  /** ndm_ifindex; 0 when no device was named. */
  ifindex: number;
  /** ndm_state: the NUD state asked for (RTM_NEWNEIGH). */
  state: number;
  /** NDA_DST as sent (four bytes for an IPv4 address), or null when absent. */
  dst: Uint8Array | null;
  /** NDA_LLADDR as sent (any length), or null when absent. */
  lladdr: Uint8Array | null;
}

/** arp_tbl's key_len: an IPv4 address. */
const ARP_KEY_LEN = 4;

/** NDA_DST's first key_len bytes as the table's key. */
function dstKey(dst: Uint8Array): number {
  return ((dst[0] << 24) | (dst[1] << 16) | (dst[2] << 8) | dst[3]) >>> 0;
}

/** The request's device: `null` when none was named, `undefined` when the index names none. */
function requestDev(net: Net, req: NeighRequest): NetDevice | null | undefined {
  return req.ifindex ? devGetByIndex(net, req.ifindex) : null;
}

/**
 * neigh_add (RTM_NEWNEIGH, `ip neigh add|change|replace`): finds or creates
 * the entry, then __neigh_update sets it as an administrator would. An entry
 * that exists refuses `add` (NLM_F_EXCL); a missing one refuses `change`
 * (no NLM_F_CREATE); without NLM_F_REPLACE a valid entry keeps its address.
 * The entry is created before __neigh_update checks the address, so a
 * refused request can leave it behind in NUD_NONE, as the kernel does.
 */
export function neigh_add(w: World, net: Net, req: NeighRequest, nlflags: number): RtnlAnswer {
  enter(w, F_neigh_add, null, null);
  try {
    if (req.dst === null) return answered(w, -EINVAL, 'Network address not specified');
    const dev = requestDev(net, req);
    if (dev === undefined) return answered(w, -ENODEV);
    if (dev && req.lladdr && req.lladdr.length < dev.addr.length) return answered(w, -EINVAL, 'Invalid link address');
    if (req.dst.length < ARP_KEY_LEN) return answered(w, -EINVAL, 'Invalid network address');
    if (!dev) return answered(w, -EINVAL, 'Device not specified');
    const key = dstKey(req.dst);
    let flags = NEIGH_UPDATE_F_ADMIN | NEIGH_UPDATE_F_OVERRIDE;
    let n = neigh_lookup(dev, key);
    if (!n) {
      if (!(nlflags & NLM_F_CREATE)) return answered(w, -ENOENT);
      n = __neigh_create(w, dev, key);
    } else {
      if (nlflags & NLM_F_EXCL) return answered(w, -EEXIST);
      if (!(nlflags & NLM_F_REPLACE)) flags &= ~NEIGH_UPDATE_F_OVERRIDE;
    }
    // NDA_LLADDR longer than the device's address: the kernel copies addr_len bytes.
    const lladdr = req.lladdr ? req.lladdr.slice(0, dev.addr.length) : null;
    const extack: NetlinkExtAck = { msg: null };
    const err = neigh_update(w, n, lladdr, req.state, flags, extack);
    return answered(w, err, extack.msg);
  } finally {
    leave(w);
  }
}

/**
 * neigh_delete (RTM_DELNEIGH, `ip neigh del` and each entry `ip neigh flush`
 * lists): the entry is first made FAILED (packets waiting on it are reported
 * unreachable), then leaves the table.
 */
export function neigh_delete(w: World, net: Net, req: NeighRequest): RtnlAnswer {
  enter(w, F_neigh_delete, null, null);
  try {
    if (req.dst === null) return answered(w, -EINVAL, 'Network address not specified');
    const dev = requestDev(net, req);
    if (dev === undefined) return answered(w, -ENODEV);
    if (req.dst.length < ARP_KEY_LEN) return answered(w, -EINVAL, 'Invalid network address');
    if (!dev) return answered(w, -EINVAL);
    const n = neigh_lookup(dev, dstKey(req.dst));
    if (!n) return answered(w, -ENOENT);
    const extack: NetlinkExtAck = { msg: null };
    const err = neigh_update(w, n, null, NUD_FAILED, NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN, extack);
    neigh_remove_one(w, n);
    return answered(w, err, extack.msg);
  } finally {
    leave(w);
  }
}

/** neigh_remove_one: unhashes the entry and marks it dead (neigh_del, neigh_mark_dead). */
function neigh_remove_one(w: World, n: Neighbour): void {
  neighKill(w, n, 'neigh_destroy');
  n.dev.net.neighbours = n.dev.net.neighbours.filter((x) => x !== n);
}

/**
 * An entry leaving its table: marked dead, its timer stopped, and the packets
 * still waiting on it freed (__skb_queue_purge: each leaves the queue, then is
 * freed), reported at `location`.
 */
function neighKill(w: World, n: Neighbour, location: string): void {
  n.dead = true;
  neighDelTimer(n);
  while (n.arpQueue.length) kfree_skb_reason(w, n.arpQueue.shift()!, 'NOT_SPECIFIED', location);
  n.arpQueueLen = 0;
}

/** neigh_get (RTM_GETNEIGH, `ip neigh get`): the one entry for the address on the device, or why there is none. */
export function neigh_get(net: Net, req: NeighRequest): RtnlAnswer & { neigh: Neighbour | null } {
  // neigh_valid_get_req: an address of another length is refused before anything else.
  if (req.dst && req.dst.length !== ARP_KEY_LEN)
    return { ...answer(-EINVAL, 'Invalid network address in neighbor get request'), neigh: null };
  const dev = requestDev(net, req);
  if (dev === undefined) return { ...answer(-ENODEV, 'Unknown device ifindex'), neigh: null };
  if (req.dst === null) return { ...answer(-EINVAL, 'Network address not specified'), neigh: null };
  if (!dev) return { ...answer(-EINVAL, 'No device specified'), neigh: null };
  const n = neigh_lookup(dev, dstKey(req.dst));
  if (!n) return { ...answer(-ENOENT, 'Neighbour entry not found'), neigh: null };
  return { ...answer(0), neigh: n };
}

function answer(err: number, msg: string | null = null): RtnlAnswer {
  return { err, msg };
}

/** A netlink handler's return: the errno is the call's return value, the extack message goes with it. */
function answered(w: World, err: number, msg: string | null = null): RtnlAnswer {
  ret(w, err);
  return answer(err, msg);
}

// ---- net.ipv4.neigh.DEV (the device's ARP parameters) ------------------------------

/** The kernel's HZ on the recording machine: jiffies are 4 ms. */
const JIFFY_NS = 4_000_000;
const HZ = 250;
const USER_HZ = 100;
/** SKB_TRUESIZE(ETH_FRAME_LEN): unres_qlen counts packets of this size. */
const UNRES_TRUESIZE = 2090;

/** A device's ARP parameters (in_dev->arp_parms). */
export function devArpParms(dev: NetDevice): NeighParms {
  return dev.neighParms;
}

type NeighNsKey = 'baseReachableTime' | 'retransTime' | 'delayProbeTime' | 'gcStaleTime' | 'locktime';
type NeighCountKey = 'ucastProbes' | 'appProbes' | 'mcastProbes' | 'mcastReprobes' | 'queueLenBytes';

/** NEIGH_VAR(arp_parms, PROXY_DELAY): the device's proxy_delay, in jiffies. */
export function devProxyDelay(dev: NetDevice): number {
  return neighExtra(dev).proxy_delay;
}

function neighExtra(dev: NetDevice): Record<string, number> {
  const b = dev.net.ipv4.devconfState;
  const k = `neigh:${dev.uid}`;
  if (!b.extra[k]) b.extra[k] = { anycast_delay: 250, proxy_delay: 200, proxy_qlen: 64, interval_probe_time: 1250 };
  return b.extra[k];
}

/** net.ipv4.neigh.DEV: the device's ARP parameters and their proc handlers (neigh_sysctl_register). */
export function neigh_sysctl_table(w: World, dev: NetDevice): CtlDir {
  const p = () => devArpParms(dev);
  const jGet = (k: NeighNsKey) => Math.round(p()[k] / JIFFY_NS);
  const jPut = (k: NeighNsKey, j: number) => {
    p()[k] = j * JIFFY_NS;
  };
  const intOk = (v: number | null): v is number => v !== null;
  // Seconds (proc_dointvec_jiffies).
  const secs = (k: NeighNsKey): CtlFile =>
    ctlIntFile(
      () => Math.trunc(jGet(k) / HZ),
      (t) => {
        const v = parseProcInt(t);
        if (!intOk(v) || Math.abs(v) > Math.floor(2147483647 / HZ)) return EINVAL;
        jPut(k, v * HZ);
        return 0;
      },
    );
  // Milliseconds (proc_dointvec_ms_jiffies): no negative values.
  const msecs = (get: () => number, put: (j: number) => void, min = 0): CtlFile =>
    ctlIntFile(
      () => get() * (1000 / HZ),
      (t) => {
        const v = parseProcInt(t);
        if (!intOk(v) || v < min) return EINVAL;
        put(Math.ceil(v / (1000 / HZ)));
        return 0;
      },
    );
  // USER_HZ ticks (proc_dointvec_userhz_jiffies).
  const ticks = (get: () => number, put: (j: number) => void): CtlFile =>
    ctlIntFile(
      () => Math.trunc((get() * USER_HZ) / HZ),
      (t) => {
        const v = parseProcInt(t);
        if (!intOk(v)) return EINVAL;
        put(Math.trunc((v * HZ) / USER_HZ));
        return 0;
      },
    );
  const count = (k: NeighCountKey): CtlFile =>
    ctlIntFile(
      () => p()[k],
      (t) => {
        const v = parseProcInt(t);
        if (!intOk(v) || v < 0) return EINVAL;
        p()[k] = v;
        return 0;
      },
    );
  // neigh_proc_base_reachable_time: a new base draws a new reachable_time at once.
  const withNewReachableTime = (f: CtlFile): CtlFile => ({
    kind: 'file',
    read: f.read,
    write: (t) => {
      const err = f.write(t);
      if (!err) p().reachableTime = neighRandReachTime(w, p().baseReachableTime);
      return err;
    },
  });
  const extra = (k: string) => ({ get: () => neighExtra(dev)[k], put: (v: number) => (neighExtra(dev)[k] = v) });
  const entries: [string, () => CtlNode][] = [
    ['anycast_delay', () => ticks(extra('anycast_delay').get, extra('anycast_delay').put)],
    ['app_solicit', () => count('appProbes')],
    ['base_reachable_time', () => withNewReachableTime(secs('baseReachableTime'))],
    [
      'base_reachable_time_ms',
      () =>
        withNewReachableTime(
          msecs(
            () => jGet('baseReachableTime'),
            (j) => jPut('baseReachableTime', j),
          ),
        ),
    ],
    ['delay_first_probe_time', () => secs('delayProbeTime')],
    ['gc_stale_time', () => secs('gcStaleTime')],
    ['interval_probe_time_ms', () => msecs(extra('interval_probe_time').get, extra('interval_probe_time').put, 1)],
    [
      'locktime',
      () =>
        ticks(
          () => jGet('locktime'),
          (j) => jPut('locktime', j),
        ),
    ],
    ['mcast_resolicit', () => count('mcastReprobes')],
    ['mcast_solicit', () => count('mcastProbes')],
    ['proxy_delay', () => ticks(extra('proxy_delay').get, extra('proxy_delay').put)],
    [
      'proxy_qlen',
      () =>
        ctlIntFile(extra('proxy_qlen').get, (t) => {
          const v = parseProcInt(t);
          if (!intOk(v) || v < 0) return EINVAL;
          extra('proxy_qlen').put(v);
          return 0;
        }),
    ],
    [
      'retrans_time',
      () =>
        ticks(
          () => jGet('retransTime'),
          (j) => jPut('retransTime', j),
        ),
    ],
    [
      'retrans_time_ms',
      () =>
        msecs(
          () => jGet('retransTime'),
          (j) => jPut('retransTime', j),
        ),
    ],
    ['ucast_solicit', () => count('ucastProbes')],
    [
      'unres_qlen',
      () =>
        ctlIntFile(
          () => Math.floor(p().queueLenBytes / UNRES_TRUESIZE),
          (t) => {
            const v = parseProcInt(t);
            if (!intOk(v) || v < 0 || v > Math.floor(2147483647 / UNRES_TRUESIZE)) return EINVAL;
            p().queueLenBytes = v * UNRES_TRUESIZE;
            return 0;
          },
        ),
    ],
    ['unres_qlen_bytes', () => count('queueLenBytes')],
  ];
  return ctlDir(() => entries);
}
