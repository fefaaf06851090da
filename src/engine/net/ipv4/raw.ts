// Raw IPv4 sockets (net/ipv4/raw.c): how ping sends its echo requests and
// receives replies and errors.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { RawSock } from '../../include/sock.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { RT_SCOPE_UNIVERSE, RTCF_BROADCAST } from '../../include/route.ts';
import { EACCES } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED } from './icmp.ts';
import { SKB_DEQUEUE_SOCKET, SKB_QUEUE_SOCKET, SKB_QUEUE_SOCKET_ERROR } from '../../trace/skblog.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { consume_skb, get32, kfree_skb_reason, skb_clone } from '../core/skbuff.ts';
import { skbLen } from '../../include/skbuff.ts';
import { dst_mtu, ip_route_output_flow, ipv4_sk_update_pmtu } from './route.ts';
import { ip_make_skb, ip_push_pending_frames, IPPROTO_ICMP } from './ip_output.ts';
import { sk_data_ready } from '../core/sock.ts';

const F_raw_sendmsg = kfn(
  'raw_sendmsg',
  'net/ipv4/raw.c',
  "ping's sendto() on its raw ICMP socket: route the destination (honouring a bound device), then build and send the IP packet around ping's ICMP message.",
  'errno',
);
const F_raw_local_deliver = kfn(
  'raw_local_deliver',
  'net/ipv4/raw.c',
  'Before the protocol handler sees the packet, every raw socket of that protocol whose bindings match gets a clone of it.',
  'int',
);
const F_raw_rcv = kfn(
  'raw_rcv',
  'net/ipv4/raw.c',
  "Queues the clone on the raw socket's receive queue (after its ICMP filter) and wakes the process waiting on it: ping.",
);
const F_raw_icmp_error = kfn(
  'raw_icmp_error',
  'net/ipv4/raw.c',
  'An ICMP error about a packet a raw socket sent: it is queued on that socket\'s error queue, where ping reads "Destination Host Unreachable".',
);

const F_raw_recvmsg = kfn(
  'raw_recvmsg',
  'net/ipv4/raw.c',
  "ping's recvmsg() on its raw socket: takes the first packet off the socket's receive queue (skb_recv_datagram), copies it to the program and frees the skb (skb_free_datagram, inlined: the kernel reports raw_recvmsg). Returns the bytes copied.",
  'errno',
);
const F_inet_release = kfn(
  'inet_release',
  'net/ipv4/af_inet.c',
  "close() of the socket: it leaves the protocol's socket list, and the packets still queued on it are purged (inet_sock_destruct).",
);

/**
 * recvmsg on a raw socket: dequeues one packet and hands it to `copyToUser`
 * (the program's buffer) before freeing it. Returns the length copied, or -1
 * with nothing queued (the caller checks first, as ping's poll() does).
 */
export function raw_recvmsg(w: World, sk: RawSock, copyToUser: (skb: SkBuff) => void): number {
  enter(w, F_raw_recvmsg, sk.receiveQueue[0] ?? null, null);
  try {
    const skb = sk.receiveQueue.shift();
    if (!skb) return ret(w, -11);
    w.rec.skbNote(SKB_DEQUEUE_SOCKET, skb.id, sk.id, 'raw');
    const len = skbLen(skb);
    copyToUser(skb);
    consume_skb(w, skb, 'raw_recvmsg');
    return ret(w, len);
  } finally {
    leave(w);
  }
}

/** close() of a raw socket: unhashed from the namespace, its queues purged (each packet dequeued, then freed). */
export function inet_release(w: World, net: Net, sk: RawSock): void {
  enter(w, F_inet_release);
  try {
    net.rawSockets = net.rawSockets.filter((s) => s !== sk);
    for (const q of [sk.receiveQueue, sk.errorQueue]) {
      while (q.length) kfree_skb_reason(w, q.shift()!, 'SOCKET_CLOSE', 'inet_sock_destruct');
    }
  } finally {
    leave(w);
  }
}

export interface SendResult {
  err: number;
}

export function raw_sendmsg(w: World, net: Net, sk: RawSock, daddr: number, icmp: Uint8Array, ttl: number): number {
  enter(w, F_raw_sendmsg);
  try {
    const fl = { oif: sk.boundDevIfindex, iif: 1, proto: IPPROTO_ICMP, saddr: sk.rcvSaddr, daddr, scope: RT_SCOPE_UNIVERSE };
    const r = ip_route_output_flow(w, net, fl);
    if ('err' in r) return ret(w, r.err);
    if (r.rt.flags & RTCF_BROADCAST && !sk.broadcast) return ret(w, -EACCES);
    const skb = ip_make_skb(w, net, {
      saddr: fl.saddr,
      daddr,
      protocol: IPPROTO_ICMP,
      ttl,
      tos: 0,
      // IP_PMTUDISC_WANT: DF when the packet fits the route's (path) MTU.
      df: icmp.length + 20 <= dst_mtu(w, r.rt),
      payload: icmp,
    });
    skb.sk = sk.id;
    return ret(w, ip_push_pending_frames(w, skb, r.rt) < 0 ? -105 : 0);
  } finally {
    leave(w);
  }
}

/** raw_v4_match: protocol, bound local address and bound device (raw sockets here never connect()). */
function rawMatch(sk: RawSock, net: Net, protocol: number, laddr: number, dif: number): boolean {
  if (sk.closed || sk.netUid !== net.uid || sk.protocol !== protocol) return false;
  if (sk.rcvSaddr && sk.rcvSaddr !== laddr) return false;
  return !sk.boundDevIfindex || sk.boundDevIfindex === dif;
}

/** inet_iif: a looped-back packet's route remembers the FIB device. */
function inetIif(skb: SkBuff): number {
  const rt = skb.dst;
  if (rt && !rt.isInput && rt.fibDev) return rt.fibDev.ifindex;
  return skb.skbIif;
}

/** Returns whether any raw socket took the packet. */
export function raw_local_deliver(w: World, skb: SkBuff, protocol: number): boolean {
  const net = skb.dev!.net;
  if (!net.rawSockets.length) return false;
  enter(w, F_raw_local_deliver, skb, skb.dev);
  try {
    const ih = skb.networkHeader;
    const daddr = get32(skb.head, ih + 16);
    const dif = inetIif(skb);
    let delivered = false;
    for (const sk of net.rawSockets) {
      if (!rawMatch(sk, net, protocol, daddr, dif)) continue;
      delivered = true;
      // icmp_filter(): types the socket filtered out are never cloned to it.
      const type = skb.head[skb.transportHeader];
      if (protocol === IPPROTO_ICMP && type < 32 && sk.icmpFilter & (1 << type)) continue;
      const clone = skb_clone(w, skb);
      raw_rcv(w, sk, clone);
    }
    return ret(w, delivered);
  } finally {
    leave(w);
  }
}

function raw_rcv(w: World, sk: RawSock, skb: SkBuff): void {
  enter(w, F_raw_rcv, skb, skb.dev);
  try {
    // Give the socket the whole IP packet back.
    skb.data = skb.networkHeader;
    sk.receiveQueue.push(skb);
    w.rec.skbNote(SKB_QUEUE_SOCKET, skb.id, sk.id, 'raw');
    sk_data_ready(w, sk);
  } finally {
    leave(w);
  }
}

/**
 * raw_icmp_error: `inner` is the offset of the quoted IP header; `info` the
 * MTU a "fragmentation needed" carries (raw_err learns it first).
 */
export function raw_icmp_error(w: World, skb: SkBuff, protocol: number, inner: number, info: number): void {
  const net = skb.dev!.net;
  if (!net.rawSockets.length) return;
  enter(w, F_raw_icmp_error, skb, skb.dev);
  try {
    const dif = skb.dev!.ifindex;
    const isrc = get32(skb.head, inner + 12);
    for (const sk of net.rawSockets) {
      if (!rawMatch(sk, net, protocol, isrc, dif)) continue;
      const icmp = skb.data;
      if (skb.head[icmp] === ICMP_DEST_UNREACH && skb.head[icmp + 1] === ICMP_FRAG_NEEDED)
        ipv4_sk_update_pmtu(w, net, sk, isrc, get32(skb.head, inner + 16), info);
      const copy = skb_clone(w, skb);
      copy.data = skb.networkHeader;
      sk.errorQueue.push(copy);
      w.rec.skbNote(SKB_QUEUE_SOCKET_ERROR, copy.id, sk.id, 'raw');
      sk_data_ready(w, sk);
    }
  } finally {
    leave(w);
  }
}
