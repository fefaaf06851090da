// Raw IPv4 sockets (net/ipv4/raw.c): the socket ping opens with
// socket(AF_INET, SOCK_RAW, IPPROTO_ICMP). It sends the ICMP messages the
// program builds (raw_sendmsg), gets a clone of every packet of its protocol
// that arrives for it (raw_local_deliver, raw_rcv), and, with IP_RECVERR, the
// ICMP errors about what it sent (raw_err, through ip_icmp_error).
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { RawSock, Sock } from '../../include/sock.ts';
import {
  ICMP_FILTER,
  IP_PMTUDISC_DO,
  IP_PMTUDISC_OMIT,
  IP_PMTUDISC_PROBE,
  IP_PMTUDISC_WANT,
  IPPROTO_ICMP,
  MSG_ERRQUEUE,
  MSG_TRUNC,
  SOL_RAW,
  TCP_CLOSE,
} from '../../include/sock.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { skbLen } from '../../include/skbuff.ts';
import { RT_SCOPE_UNIVERSE, RTCF_BROADCAST, RTN_BROADCAST, RTN_LOCAL, RTN_MULTICAST } from '../../include/route.ts';
import { EACCES, EADDRNOTAVAIL, EDESTADDRREQ, EINVAL, EMSGSIZE, EOPNOTSUPP } from '../../include/errno.ts';
import { kfn, functionIds } from '../../trace/functions.ts';
import { ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, ICMP_REDIRECT, icmp_err_errno } from './icmp.ts';
import { SKB_DEQUEUE_SOCKET, SKB_QUEUE_SOCKET } from '../../trace/skblog.ts';
import { countedSince, enter, leave, ret } from '../../kernel/call.ts';
import { consume_skb, get32, kfree_skb_reason, skb_clone } from '../core/skbuff.ts';
import { dst_mtu, ip_route_output_flow, ipv4_sk_redirect, ipv4_sk_update_pmtu } from './route.ts';
import { ip_make_skb, ip_push_pending_frames } from './ip_output.ts';
import type { Msghdr } from '../core/sock.ts';
import { proto_register, sk_data_ready, sk_dst_reset, sk_error_report, sock_error, sockNoteName } from '../core/sock.ts';
import { netByUid } from '../core/net_namespace.ts';
import { inet_addr_type_dev_table } from './fib_frontend.ts';
import { __ip4_datagram_connect } from './datagram.ts';
import { udp_disconnect } from './udp.ts';
import { do_ip_setsockopt, ip_icmp_error, ip_local_error, ip_recv_error } from './ip_sockglue.ts';

const F_raw_sendmsg = kfn(
  'raw_sendmsg',
  'net/ipv4/raw.c',
  "sendto() on a raw socket (ping's echo request): route the destination (honouring a bound device), then build and send the IP packet around the program's ICMP message. Returns the bytes sent.",
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
  "Queues the clone on the raw socket's receive queue (after its ICMP filter) and wakes whoever waits on the socket (sk_data_ready): ping, in poll().",
);
const F_raw_icmp_error = kfn(
  'raw_icmp_error',
  'net/ipv4/raw.c',
  'An ICMP error about a packet of this protocol: every raw socket whose bindings match the quoted packet is told (raw_err).',
);
const F_raw_err = kfn(
  'raw_err',
  'net/ipv4/raw.c',
  'One raw socket learns of an ICMP error about what it sent: a "fragmentation needed" updates the path MTU; with IP_RECVERR (ping sets it) the error goes on the socket\'s error queue (ip_icmp_error) and becomes its pending error (sk_err), and the process waiting on it is woken (sk_error_report), where ping reads "Destination Host Unreachable".',
);
const F_raw_recvmsg = kfn(
  'raw_recvmsg',
  'net/ipv4/raw.c',
  "recvmsg() on a raw socket: with MSG_ERRQUEUE, the oldest queued error (ip_recv_error); else a pending error, or the first packet off the socket's receive queue (skb_recv_datagram), copied to the program whole, IP header included, then freed (skb_free_datagram, inlined: the kernel reports raw_recvmsg). Returns the bytes copied.",
  'errno',
);

/** raw_sk_init: an ICMP raw socket starts with no types filtered out. */
function raw_sk_init(_w: World, sk: Sock): void {
  (sk as RawSock).icmpFilter = 0;
}

/** raw_hash_sk: the socket joins its namespace's raw table (inet_create: a raw socket is numbered by its protocol from the start). */
function raw_hash_sk(w: World, sk: Sock): void {
  netByUid(w, sk.netUid).rawSockets.push(sk as RawSock);
}

/** raw_unhash_sk */
function raw_unhash_sk(w: World, sk: Sock): void {
  const net = netByUid(w, sk.netUid);
  net.rawSockets = net.rawSockets.filter((s) => s !== sk);
}

/**
 * raw_close -> sk_common_release: unhashed, orphaned, and (inet_sock_destruct)
 * every packet still queued on it is dequeued and freed.
 */
function raw_close(w: World, sk: Sock): void {
  raw_unhash_sk(w, sk);
  sk.dead = true;
  sk.wq = [];
  for (const q of [sk.receiveQueue, sk.errorQueue]) {
    while (q.length) kfree_skb_reason(w, q.shift()!, 'SOCKET_CLOSE', 'inet_sock_destruct');
  }
}

/** raw_bind: a local, broadcast or multicast address of the namespace (checked in table local), or any; 0 or -errno. */
function raw_bind(w: World, sk: Sock, addr: number): number {
  if (sk.state !== TCP_CLOSE) return -EINVAL;
  const type = inet_addr_type_dev_table(w, netByUid(w, sk.netUid), null, addr);
  if (addr && type !== RTN_LOCAL && type !== RTN_MULTICAST && type !== RTN_BROADCAST) return -EADDRNOTAVAIL;
  sk.rcvSaddr = sk.saddr = addr;
  // A broadcast or multicast bind leaves the source to the route.
  if (type === RTN_MULTICAST || type === RTN_BROADCAST) sk.saddr = 0;
  sk_dst_reset(sk);
  return 0;
}

/** raw_setsockopt: ICMP_FILTER at SOL_RAW (ICMP sockets only), else the IP level's options. */
function raw_setsockopt(_w: World, sk: Sock, level: number, optname: number, value: number): number {
  if (level !== SOL_RAW) return do_ip_setsockopt(sk, optname, value);
  if (optname !== ICMP_FILTER || sk.protocol !== IPPROTO_ICMP) return -EOPNOTSUPP;
  (sk as RawSock).icmpFilter = value >>> 0;
  return 0;
}

/**
 * raw_recvmsg: the bytes copied into msg.data (the whole IP packet, at most
 * msg.size), or -errno (-EAGAIN with nothing queued: the programs here never
 * block in recvmsg, they wait in poll()).
 */
export function raw_recvmsg(w: World, sk: Sock, msg: Msghdr, flags: number): number {
  const errQueue = (flags & MSG_ERRQUEUE) !== 0;
  enter(w, F_raw_recvmsg, errQueue ? null : (sk.receiveQueue[0] ?? null), null);
  try {
    if (errQueue) return ret(w, ip_recv_error(w, sk, msg));
    // skb_recv_datagram: a pending error is reported before any packet.
    const err = sock_error(sk);
    if (err) return ret(w, err);
    const skb = sk.receiveQueue.shift();
    if (!skb) return ret(w, -11);
    w.rec.skbNote(SKB_DEQUEUE_SOCKET, skb.id, sk.id, sockNoteName(sk));
    const len = skbLen(skb);
    const copied = Math.min(len, msg.size);
    msg.data = skb.head.slice(skb.data, skb.data + copied);
    msg.flags = copied < len ? MSG_TRUNC : 0;
    msg.name = { addr: get32(skb.head, skb.networkHeader + 12), port: 0 };
    consume_skb(w, skb, 'raw_recvmsg');
    return ret(w, copied);
  } finally {
    leave(w);
  }
}

/** raw_sendmsg: the bytes sent, or -errno. */
export function raw_sendmsg(w: World, sk: Sock, msg: Msghdr): number {
  enter(w, F_raw_sendmsg);
  try {
    const net = netByUid(w, sk.netUid);
    let daddr: number;
    if (msg.name) daddr = msg.name.addr;
    else if (sk.daddr) daddr = sk.daddr;
    else return ret(w, -EDESTADDRREQ);
    const fl = { oif: sk.boundDevIf, iif: 1, proto: sk.protocol, saddr: sk.saddr, daddr, scope: RT_SCOPE_UNIVERSE };
    const r = ip_route_output_flow(w, net, fl);
    if ('err' in r) return ret(w, r.err);
    if (r.rt.flags & RTCF_BROADCAST && !sk.broadcast) return ret(w, -EACCES);
    const len = msg.data.length + 20;
    // __ip_append_data: the path MTU unless the socket probes (then the
    // device's); a socket that must not fragment refuses a bigger packet and
    // keeps the error for itself (ip_local_error).
    const mtu = sk.pmtudisc < IP_PMTUDISC_PROBE ? dst_mtu(w, r.rt) : r.rt.dev.mtu;
    const mustNotFragment = sk.pmtudisc >= IP_PMTUDISC_DO && sk.pmtudisc !== IP_PMTUDISC_OMIT;
    if (mustNotFragment && len > mtu) {
      ip_local_error(w, sk, EMSGSIZE, daddr, mtu);
      return ret(w, -EMSGSIZE);
    }
    const skb = ip_make_skb(w, net, {
      saddr: fl.saddr,
      daddr,
      protocol: sk.protocol,
      ttl: sk.ttl >= 0 ? sk.ttl : net.ipv4.sysctl.ip_default_ttl,
      tos: 0,
      // __ip_make_skb: DF always for DO and PROBE; for WANT when the packet fits the route's (path) MTU.
      df:
        sk.pmtudisc === IP_PMTUDISC_DO ||
        sk.pmtudisc === IP_PMTUDISC_PROBE ||
        (sk.pmtudisc === IP_PMTUDISC_WANT && len <= dst_mtu(w, r.rt)),
      payload: msg.data,
    });
    skb.sk = sk.id;
    return ret(w, ip_push_pending_frames(w, skb, r.rt) < 0 ? -105 : msg.data.length);
  } finally {
    leave(w);
  }
}

/** raw_v4_match: protocol, bound local address and bound device (raw sockets here never connect()). */
function rawMatch(sk: Sock, net: Net, protocol: number, laddr: number, dif: number): boolean {
  if (sk.dead || sk.netUid !== net.uid || sk.protocol !== protocol) return false;
  if (sk.rcvSaddr && sk.rcvSaddr !== laddr) return false;
  return !sk.boundDevIf || sk.boundDevIf === dif;
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
    w.rec.skbNote(SKB_QUEUE_SOCKET, skb.id, sk.id, sockNoteName(sk));
    sk_data_ready(w, sk);
  } finally {
    leave(w);
  }
}

/**
 * raw_icmp_error: `inner` is the offset of the quoted IP header; `info` what
 * the ICMP header carries (a "fragmentation needed"'s MTU).
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
      // Share links before format 4 counted raw_icmp_error's path MTU update,
      // clone and wake-up here, without raw_err between.
      countedSince(w, 4, rawErrKeep(), () => raw_err(w, sk, skb, inner, info));
    }
  } finally {
    leave(w);
  }
}

let rawErrKeepIds: number[] | null = null;
/** What raw_icmp_error's steps were before raw_err: the MTU update, the clone and the first wake-up. */
function rawErrKeep(): number[] {
  return (rawErrKeepIds ??= functionIds('ipv4_sk_update_pmtu', 'skb_clone', 'sock_def_error_report'));
}

/** raw_err, for the ICMP error `skb` quoting at `inner` a packet `sk` sent. */
function raw_err(w: World, sk: RawSock, skb: SkBuff, inner: number, info: number): void {
  enter(w, F_raw_err, skb, skb.dev);
  try {
    const icmp = skb.transportHeader;
    const type = skb.head[icmp];
    const code = skb.head[icmp + 1];
    const net = skb.dev!.net;
    if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED)
      // A raw socket keeps no route: the flow is rebuilt from the quoted header.
      ipv4_sk_update_pmtu(
        w,
        net,
        { boundDevIfindex: sk.boundDevIf, protocol: sk.protocol },
        get32(skb.head, inner + 12),
        get32(skb.head, inner + 16),
        info,
      );
    else if (type === ICMP_REDIRECT) {
      // Not an error for the socket: only its route learns the new gateway.
      ipv4_sk_redirect(w, net, { boundDevIfindex: sk.boundDevIf, protocol: sk.protocol }, skb, inner);
      return;
    }
    if (!sk.recverr) return;
    const meaning = icmp_err_errno(type, code);
    if (!meaning) return;
    const err = meaning[0];
    // The error starts at the quoted packet's payload (its ICMP header).
    ip_icmp_error(w, sk, skb, err, info, inner + (skb.head[inner] & 0xf) * 4);
    sk.err = err;
    // The second wake-up (sock_queue_err_skb woke the socket already) is newer than link format 4's predecessors.
    countedSince(w, 4, [], () => sk_error_report(w, sk));
  } finally {
    leave(w);
  }
}

proto_register({
  name: 'RAW',
  init: raw_sk_init,
  hash: raw_hash_sk,
  unhash: raw_unhash_sk,
  close: (w, sk) => raw_close(w, sk),
  bind: raw_bind,
  connect: __ip4_datagram_connect,
  disconnect: (w, sk) => udp_disconnect(w, sk),
  sendmsg: raw_sendmsg,
  recvmsg: raw_recvmsg,
  setsockopt: raw_setsockopt,
  // inet_create numbers a raw socket by its protocol: inet_autobind never asks for a port.
  get_port: () => 0,
  sockets: (net) => net.rawSockets,
});
