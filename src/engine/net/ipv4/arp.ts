// ARP (net/ipv4/arp.c): asking who has an address, answering for our own,
// and learning neighbours from what we hear.
import type { World } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { IFF_NOARP } from '../../include/netdevice.ts';
import type { Neighbour } from '../../include/neighbour.ts';
import { NUD_REACHABLE, NUD_STALE } from '../../include/neighbour.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { ETH_P_ARP, ETH_P_IP, PACKET_HOST, PACKET_LOOPBACK, PACKET_OTHERHOST, skbLen } from '../../include/skbuff.ts';
import { RTN_LOCAL, RTN_UNICAST, RT_SCOPE_HOST, RT_SCOPE_LINK } from '../../include/route.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import {
  alloc_skb,
  consume_skb,
  get16,
  get32,
  kfree_skb_reason,
  LL_RESERVED_SPACE,
  put16,
  put32,
  skb_put,
} from '../core/skbuff.ts';
import { eth_header } from '../ethernet/eth.ts';
import { dev_queue_xmit } from '../core/dev.ts';
import { dev_add_pack } from '../core/ptype.ts';
import {
  devProxyDelay,
  neigh_ifdown,
  neigh_lookup,
  neigh_lookup_or_create,
  neigh_update,
  NEIGH_UPDATE_F_OVERRIDE,
  pneigh_enqueue,
} from '../core/neighbour.ts';
import { inet_addr_type_dev_table } from './fib_frontend.ts';
import { inet_select_addr, scopeValue } from './devinet.ts';
import { ip_route_input_noref } from './route.ts';
import { ipv4_link_failure } from './route.ts';
import { inPrefix, isLoopbackAddr, isMulticast } from './addr.ts';

export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;

const F_arp_solicit = kfn(
  'arp_solicit',
  'net/ipv4/arp.c',
  'Builds the ARP request for an unresolved neighbour: picks our source address (arp_announce) and broadcasts "who-has", or unicasts it when re-probing a known MAC.',
);
const F_arp_send_dst = kfn('arp_send_dst', 'net/ipv4/arp.c', 'Creates an ARP packet (arp_create) and transmits it (arp_xmit).');
const F_arp_create = kfn(
  'arp_create',
  'net/ipv4/arp.c',
  'Allocates an skb and writes the Ethernet header and the 28-byte ARP message: hardware and protocol types, opcode, sender and target addresses.',
  'skb',
);
const F_arp_xmit = kfn(
  'arp_xmit',
  'net/ipv4/arp.c',
  'Sends the ARP packet through the ARP_OUT netfilter hook to dev_queue_xmit.',
);
const F_arp_rcv = kfn(
  'arp_rcv',
  'net/ipv4/arp.c',
  'The ARP protocol handler: checks the packet is a sane ARP message meant for this host, then passes it to arp_process.',
);
const F_arp_process = kfn(
  'arp_process',
  'net/ipv4/arp.c',
  'Handles a request or reply: a request for one of our addresses (by route lookup) is answered and its sender cached as STALE; a reply updates the entry that asked for it to REACHABLE.',
);
const F_arp_error_report = kfn(
  'arp_error_report',
  'net/ipv4/arp.c',
  "ARP gave up on a neighbour: the waiting packet's route reports a link failure (an ICMP host unreachable to its sender) and the packet is dropped.",
);
const F_arp_ignore = kfn(
  'arp_ignore',
  'net/ipv4/arp.c',
  'Applies arp_ignore: whether to answer a request for a local address depending on which interface carries it.',
  'int',
);

export function arp_solicit(w: World, n: Neighbour, skb: SkBuff | null): void {
  enter(w, F_arp_solicit, skb, n.dev);
  try {
    const dev = n.dev;
    const target = n.primaryKey;
    const conf = dev.inDev.conf;
    const announce = Math.max(dev.net.ipv4.devconfAll.arp_announce, conf.arp_announce);
    let saddr = 0;
    const skbSaddr = skb && skb.networkHeader >= 0 ? get32(skb.head, skb.networkHeader + 12) : 0;
    if (announce === 0 || announce > 2) {
      if (skb && inet_addr_type_dev_table(w, dev.net, dev, skbSaddr) === RTN_LOCAL) saddr = skbSaddr;
    } else if (announce === 1) {
      if (skb) {
        saddr = skbSaddr;
        if (!(
          inet_addr_type_dev_table(w, dev.net, dev, saddr) === RTN_LOCAL &&
          dev.inDev.addrs.some((a) => inPrefix(target, a.local, a.prefixlen) && inPrefix(saddr, a.local, a.prefixlen))
        ))
          saddr = 0;
      }
    }
    if (!saddr) saddr = inet_select_addr(dev, target, RT_SCOPE_LINK);
    let probes = n.probes - n.parms.ucastProbes;
    let dstHw: Uint8Array | null = null;
    if (probes < 0) {
      dstHw = n.ha.slice();
    } else {
      probes -= n.parms.appProbes;
      if (probes < 0) return; // neigh_app_ns: userspace (arpd) would be asked
    }
    arp_send_dst(w, ARPOP_REQUEST, target, dev, saddr, dstHw, dev.addr, null);
  } finally {
    leave(w);
  }
}

export function arp_send_dst(
  w: World,
  type: number,
  destIp: number,
  dev: NetDevice,
  srcIp: number,
  destHw: Uint8Array | null,
  srcHw: Uint8Array,
  targetHw: Uint8Array | null,
): void {
  enter(w, F_arp_send_dst, null, dev);
  try {
    if (dev.flags & IFF_NOARP) return;
    const skb = arp_create(w, type, destIp, dev, srcIp, destHw, srcHw, targetHw);
    arp_xmit(w, skb);
  } finally {
    leave(w);
  }
}

function arp_create(
  w: World,
  type: number,
  destIp: number,
  dev: NetDevice,
  srcIp: number,
  destHw: Uint8Array | null,
  srcHw: Uint8Array,
  targetHw: Uint8Array | null,
): SkBuff {
  enter(w, F_arp_create, null, dev);
  try {
    const skb = alloc_skb(w, 28, LL_RESERVED_SPACE);
    skb.networkHeader = skb.data;
    skb.dev = dev;
    skb.protocol = ETH_P_ARP;
    const off = skb_put(skb, 28);
    const b = skb.head;
    eth_header(w, skb, dev, ETH_P_ARP, destHw ?? dev.broadcast, srcHw);
    put16(b, off, 1); // ARPHRD_ETHER
    put16(b, off + 2, ETH_P_IP);
    b[off + 4] = 6;
    b[off + 5] = 4;
    put16(b, off + 6, type);
    b.set(srcHw.subarray(0, 6), off + 8);
    put32(b, off + 14, srcIp);
    if (targetHw) b.set(targetHw.subarray(0, 6), off + 18);
    else b.fill(0, off + 18, off + 24);
    put32(b, off + 24, destIp);
    return ret(w, skb);
  } finally {
    leave(w);
  }
}

function arp_xmit(w: World, skb: SkBuff): void {
  enter(w, F_arp_xmit, skb, skb.dev);
  try {
    dev_queue_xmit(w, skb);
  } finally {
    leave(w);
  }
}

// arp_init
dev_add_pack({ type: ETH_P_ARP, name: 'arp_packet_type', funcName: 'arp_rcv', func: (w, skb, dev) => arp_rcv(w, skb, dev) });

export function arp_rcv(w: World, skb: SkBuff, dev: NetDevice): void {
  enter(w, F_arp_rcv, skb, dev);
  try {
    if (skbLen(skb) < 28) {
      kfree_skb_reason(w, skb, 'PKT_TOO_SMALL', 'arp_rcv');
      return;
    }
    const b = skb.head;
    const o = skb.data;
    if (b[o + 4] !== 6 || b[o + 5] !== 4) {
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'arp_rcv');
      return;
    }
    if (dev.flags & IFF_NOARP || skb.pktType === PACKET_OTHERHOST || skb.pktType === PACKET_LOOPBACK) {
      consume_skb(w, skb, 'arp_rcv');
      return;
    }
    arp_process(w, skb, dev);
  } finally {
    leave(w);
  }
}

/** arp_ignore(): nonzero means "do not reply". */
function arp_ignore(w: World, dev: NetDevice, sip: number, tip: number): boolean {
  const mode = Math.max(dev.net.ipv4.devconfAll.arp_ignore, dev.inDev.conf.arp_ignore);
  if (mode === 0 || (mode >= 4 && mode <= 7)) return false;
  enter(w, F_arp_ignore, null, dev);
  try {
    if (mode === 8) return ret(w, true);
    // inet_confirm_addr: is tip one of dev's addresses (within scope), and for mode 2 is sip on its subnet?
    const maxScope = mode === 3 ? RT_SCOPE_LINK : RT_SCOPE_HOST;
    const devs = mode === 3 ? dev.net.devices : [dev];
    for (const d of devs) {
      for (const a of d.inDev.addrs) {
        if (a.local !== tip || scopeValue(a.scope) > maxScope) continue;
        if (mode === 2 && !inPrefix(sip, a.local, a.prefixlen)) continue;
        return ret(w, false);
      }
    }
    return ret(w, true);
  } finally {
    leave(w);
  }
}

/**
 * arp_fwd_proxy: a request for an address routed out of another device is
 * answered by proxy when proxy_arp is on (all or this device); medium_id,
 * not modelled, is 0, which allows it.
 */
function arp_fwd_proxy(w: World, dev: NetDevice, rtDev: NetDevice | null): boolean {
  if (rtDev === dev) return false;
  return Math.max(dev.net.ipv4.devconfAll.proxy_arp, dev.inDev.conf.proxy_arp) > 0;
}

/** parp_redo: a request the proxy queue held is processed again, now answered at once. */
export function parp_redo(w: World, skb: SkBuff): void {
  arp_process(w, skb, skb.dev!, true);
}

/** `locallyEnqueued`: the request comes back from the proxy queue (NEIGH_CB's LOCALLY_ENQUEUED). */
function arp_process(w: World, skb: SkBuff, dev: NetDevice, locallyEnqueued = false): void {
  enter(w, F_arp_process, skb, dev);
  try {
    const b = skb.head;
    const o = skb.data;
    const op = get16(b, o + 6);
    if (get16(b, o) !== 1 || get16(b, o + 2) !== ETH_P_IP || (op !== ARPOP_REQUEST && op !== ARPOP_REPLY)) {
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'arp_process');
      return;
    }
    const sha = b.slice(o + 8, o + 14);
    const sip = get32(b, o + 14);
    const tip = get32(b, o + 24);
    if (isMulticast(tip) || isLoopbackAddr(tip)) {
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'arp_process');
      return;
    }
    const net = dev.net;
    if (sip === 0) {
      if (op === ARPOP_REQUEST && inet_addr_type_dev_table(w, net, dev, tip) === RTN_LOCAL && !arp_ignore(w, dev, sip, tip)) {
        arp_send_dst(w, ARPOP_REPLY, sip, dev, tip, sha, dev.addr, sha);
      }
      consume_skb(w, skb, 'arp_process');
      return;
    }
    if (op === ARPOP_REQUEST && ip_route_input_noref(w, skb, tip, sip, dev) === null) {
      const rt = skb.dst!;
      if (rt.type === RTN_LOCAL) {
        if (!arp_ignore(w, dev, sip, tip)) {
          const n = neigh_event_ns(w, sha, sip, dev);
          if (n) arp_send_dst(w, ARPOP_REPLY, sip, dev, tip, sha, dev.addr, sha);
        }
        consume_skb(w, skb, 'arp_process');
        return;
      }
      if (Math.max(net.ipv4.devconfAll.forwarding, dev.inDev.conf.forwarding)) {
        // A request for another host is answered only by proxy, with this
        // device's MAC: at once when it came back from the proxy queue or
        // was sent to us, after a random delay below proxy_delay otherwise.
        if (rt.type === RTN_UNICAST && arp_fwd_proxy(w, dev, rt.dev)) {
          neigh_event_ns(w, sha, sip, dev);
          if (locallyEnqueued || skb.pktType === PACKET_HOST || !devProxyDelay(dev)) {
            arp_send_dst(w, ARPOP_REPLY, sip, dev, tip, sha, dev.addr, sha);
          } else {
            pneigh_enqueue(w, dev, skb);
            return;
          }
        }
        consume_skb(w, skb, 'arp_process');
        return;
      }
    }
    const n = neigh_lookup(dev, sip);
    if (n) {
      let state = NUD_REACHABLE;
      const override = w.now > n.updated + n.parms.locktime;
      if (op !== ARPOP_REPLY || skb.pktType !== PACKET_HOST) state = NUD_STALE;
      neigh_update(w, n, sha, state, override ? NEIGH_UPDATE_F_OVERRIDE : 0);
    }
    consume_skb(w, skb, 'arp_process');
  } finally {
    leave(w);
  }
}

/** arp_ifdown: the device's ARP entries are flushed, static ones too (fib_disable_ip). */
export function arp_ifdown(w: World, dev: NetDevice): void {
  neigh_ifdown(w, dev);
}

/** neigh_event_ns: someone asked for us, so remember them as STALE. */
function neigh_event_ns(w: World, lladdr: Uint8Array, saddr: number, dev: NetDevice): Neighbour {
  const n = neigh_lookup_or_create(w, dev, saddr);
  neigh_update(w, n, lladdr, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
  return n;
}

export function arp_error_report(w: World, n: Neighbour, skb: SkBuff): void {
  enter(w, F_arp_error_report, skb, n.dev);
  try {
    ipv4_link_failure(w, skb);
    kfree_skb_reason(w, skb, 'NEIGH_FAILED', 'neigh_invalidate');
  } finally {
    leave(w);
  }
}
