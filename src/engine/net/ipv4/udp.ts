// UDP (net/ipv4/udp.c): sending a datagram (udp_sendmsg -> ip_make_skb ->
// udp_send_skb -> ip_send_skb), receiving one (udp_rcv -> __udp4_lib_rcv ->
// the socket lookup -> __udp_enqueue_schedule_skb -> the reader is woken),
// the ICMP port unreachable for a port nobody has bound, and ICMP errors
// back to the socket that sent the datagram (__udp4_lib_err).
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { Sock } from '../../include/sock.ts';
import {
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  EPOLLRDHUP,
  EPOLLRDNORM,
  EPOLLWRBAND,
  EPOLLWRNORM,
  IPPROTO_UDP,
  MSG_PEEK,
  RCV_SHUTDOWN,
  SEND_SHUTDOWN,
  SHUTDOWN_MASK,
  SOCK_BINDADDR_LOCK,
  SOCK_BINDPORT_LOCK,
  TCP_CLOSE,
  TCP_ESTABLISHED,
} from '../../include/sock.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { CHECKSUM_PARTIAL, __skb_queue_tail, skbLen } from '../../include/skbuff.ts';
import { RTCF_BROADCAST, RTCF_MULTICAST, RT_SCOPE_UNIVERSE } from '../../include/route.ts';
import { EACCES, EAGAIN, EDESTADDRREQ, EINVAL, EMSGSIZE, EPIPE } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { randomU32 } from '../../kernel/world.ts';
import { SKB_DEQUEUE_SOCKET, SKB_QUEUE_SOCKET } from '../../trace/skblog.ts';
import { __consume_stateless_skb, get16, get32, kfree_skb_reason, put16, skb_clone } from '../core/skbuff.ts';
import { netByUid } from '../core/net_namespace.ts';
import type { Msghdr } from '../core/sock.ts';
import {
  proto_register,
  sk_data_ready,
  sk_dst_check,
  sk_dst_reset,
  sk_dst_set,
  sk_error_report,
  sock_error,
  sock_writeable,
  skbTruesize,
} from '../core/sock.ts';
import { inet_add_protocol } from './protocol.ts';
import { dst_mtu, ip_route_output_flow, ipv4_sk_redirect, ipv4_sk_update_pmtu } from './route.ts';
import { ip_make_skb, ip_send_skb, IPHDR_LEN } from './ip_output.ts';
import { __icmp_send, icmp_err_errno, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, ICMP_PORT_UNREACH, ICMP_REDIRECT } from './icmp.ts';
import { __ip4_datagram_connect } from './datagram.ts';
import { inet_get_local_port_range } from './af_inet.ts';
import { inet_diag_register, inetDiagMsg } from './inet_diag.ts';

export const UDP_HLEN = 8;

const F_udp_sendmsg = kfn(
  'udp_sendmsg',
  'net/ipv4/udp.c',
  "sendto()/write() on a UDP socket: the destination is the address given or the connected peer; a connected socket reuses its route, otherwise the destination is routed now. ip_make_skb builds the IP packet (cut into fragments if it is bigger than the route's MTU) and udp_send_skb sends it.",
  'errno',
);
const F_udp_send_skb = kfn(
  'udp_send_skb',
  'net/ipv4/udp.c',
  'Writes the UDP header (ports, length, checksum over the pseudo-header and data) and sends the packet with ip_send_skb.',
  'errno',
);
const F_udp_recvmsg = kfn(
  'udp_recvmsg',
  'net/ipv4/udp.c',
  "Takes the first datagram off the socket's receive queue (or with MSG_PEEK only looks at it), copies its data and the sender's address to the program, and frees it without a tracepoint (skb_consume_udp). A pending error (ICMP port unreachable) is returned instead, once.",
  'errno',
);
const F_udp_rcv = kfn('udp_rcv', 'net/ipv4/udp.c', 'The UDP protocol handler that inet_protos[IPPROTO_UDP] names.', 'int');
const F___udp4_lib_rcv = kfn(
  '__udp4_lib_rcv',
  'net/ipv4/udp.c',
  "Checks the UDP header's length, then looks up the socket bound to the destination port (the best match of address, peer and device). Found: the datagram is queued on it. None: ICMP port unreachable goes back to the sender and the datagram is dropped (NO_SOCKET).",
  'int',
);
const F___udp4_lib_lookup = kfn(
  '__udp4_lib_lookup',
  'net/ipv4/udp.c',
  'Finds the socket for a datagram: among the sockets bound to its port, first those bound to its destination address, then those bound to any; a connected socket matches only its peer. The best score wins (compute_score).',
);
const F_udp_queue_rcv_one_skb = kfn(
  'udp_queue_rcv_one_skb',
  'net/ipv4/udp.c',
  "Charges the datagram to the socket (udp_unicast_rcv_skb -> udp_queue_rcv_skb -> here), dropping it if the socket's receive buffer is full.",
  'int',
);
const F___udp_enqueue_schedule_skb = kfn(
  '__udp_enqueue_schedule_skb',
  'net/ipv4/udp.c',
  "Queues the datagram on the socket's receive queue (sk_rmem_alloc grows by its truesize) and calls sk_data_ready, which wakes the reader.",
  'errno',
);
const F___udp4_lib_mcast_deliver = kfn(
  '__udp4_lib_mcast_deliver',
  'net/ipv4/udp.c',
  'A broadcast (or multicast) datagram goes to every socket bound to its port that would take it: each but the first gets a clone.',
  'int',
);
const F_udp_err = kfn(
  '__udp4_lib_err',
  'net/ipv4/udp.c',
  'An ICMP error quotes a datagram this host sent: the socket that sent it is looked up from the quoted headers. A hard error (port unreachable: ECONNREFUSED) on a connected socket becomes its sk_err, and the program learns of it at its next call or poll.',
  'int',
);
const F_udp_lib_get_port = kfn(
  'udp_lib_get_port',
  'net/ipv4/udp.c',
  'Takes a local port for the socket and hashes it into udp_table. Port 0 means any free one: it starts at a random port in the ephemeral range and takes the first free one from there.',
  'errno',
);
const F_udp_lib_close = kfn(
  'udp_lib_close',
  'net/ipv4/udp.c',
  'The last close of a UDP socket (sk_common_release): it leaves udp_table, and datagrams still queued are freed.',
);
const F_udp_disconnect = kfn(
  'udp_disconnect',
  'net/ipv4/udp.c',
  'connect(AF_UNSPEC): the socket forgets its peer and its route; an address or port it did not bind itself is given back.',
  'errno',
);

/** Sum of 16-bit words (one's complement, unfolded) over b[off, off+len). */
function sum16(b: Uint8Array, off: number, len: number, acc = 0): number {
  let s = acc;
  let i = off;
  for (; i + 1 < off + len; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < off + len) s += b[i] << 8;
  return s;
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** The UDP checksum over the pseudo-header (addresses, protocol, length `ulen`) and `len` bytes of the datagram. */
export function udpChecksum(b: Uint8Array, off: number, len: number, saddr: number, daddr: number, ulen = len): number {
  let s = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + IPPROTO_UDP + ulen;
  s = sum16(b, off, len, s);
  return ~fold(s) & 0xffff;
}

function netOf(w: World, sk: Sock): Net {
  return netByUid(w, sk.netUid);
}

/** inet_rcv_saddr_equal with wildcards: the same address, or either bound to any. */
function rcvSaddrOverlap(a: Sock, b: Sock): boolean {
  return !a.rcvSaddr || !b.rcvSaddr || a.rcvSaddr === b.rcvSaddr;
}

/** udp_lib_lport_inuse: would `sk` on port `snum` clash with a socket already bound there? */
function lportInuse(net: Net, sk: Sock, snum: number): boolean {
  return net.udp.some(
    (sk2) =>
      sk2 !== sk &&
      sk2.num === snum &&
      (!sk2.reuse || !sk.reuse) &&
      !(sk2.reuseport && sk.reuseport) &&
      (!sk2.boundDevIf || !sk.boundDevIf || sk2.boundDevIf === sk.boundDevIf) &&
      rcvSaddrOverlap(sk, sk2),
  );
}

/**
 * udp_lib_get_port (udp_v4_get_port). With udp_table's 65536 slots (a
 * machine of a few GB) the kernel's search for port 0 starts at a random
 * port of the range and goes up one port at a time; 0 on success, 1 if
 * no port could be had.
 */
export function udp_lib_get_port(w: World, sk: Sock, snum: number): number {
  enter(w, F_udp_lib_get_port);
  try {
    const net = netOf(w, sk);
    if (!snum) {
      const [low, high] = inet_get_local_port_range();
      const remaining = high - low + 1;
      const first = low + Math.floor((randomU32(w) * remaining) / 2 ** 32);
      let found = 0;
      for (let i = 0; i < 65536 && !found; i++) {
        const port = (first + i) & 0xffff;
        if (port >= low && port <= high && !lportInuse(net, sk, port)) found = port;
      }
      if (!found) return ret(w, 1);
      snum = found;
      w.rec.pickedPorts.push(found);
    } else if (lportInuse(net, sk, snum)) return ret(w, 1);
    sk.num = snum;
    // sk_add_node_rcu: a new socket goes first on its port's chain.
    net.udp.unshift(sk);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/** udp_lib_unhash */
export function udp_lib_unhash(w: World, sk: Sock): void {
  const net = netOf(w, sk);
  const i = net.udp.indexOf(sk);
  if (i >= 0) {
    net.udp.splice(i, 1);
    sk.num = 0;
  }
}

/** udp_lib_close -> sk_common_release: unhashed, orphaned, its queue purged. */
export function udp_lib_close(w: World, sk: Sock): void {
  enter(w, F_udp_lib_close);
  try {
    udp_lib_unhash(w, sk);
    sk.dead = true;
    sk.wq = [];
    // udp_destruct_common: what the program never read is freed.
    while (sk.receiveQueue.length) {
      const skb = sk.receiveQueue.shift()!;
      sk.rmemAlloc -= skbTruesize(skb);
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'udp_destruct_common');
    }
    sk_dst_reset(sk);
  } finally {
    leave(w);
  }
}

/** udp_disconnect (__udp_disconnect) */
export function udp_disconnect(w: World, sk: Sock): number {
  enter(w, F_udp_disconnect);
  try {
    sk.state = TCP_CLOSE;
    sk.daddr = 0;
    sk.dport = 0;
    sk.boundDevIf = 0;
    if (!(sk.userlocks & SOCK_BINDADDR_LOCK)) sk.rcvSaddr = sk.saddr = 0;
    if (!(sk.userlocks & SOCK_BINDPORT_LOCK)) udp_lib_unhash(w, sk);
    sk_dst_reset(sk);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/** udp_sendmsg: the bytes sent, or -errno. */
export function udp_sendmsg(w: World, sk: Sock, msg: Msghdr): number {
  enter(w, F_udp_sendmsg);
  try {
    const len = msg.data.length;
    if (len > 0xffff - UDP_HLEN - IPHDR_LEN) return ret(w, -EMSGSIZE);
    // A pending error (ICMP port unreachable, say) fails the next send.
    if (sk.err) return ret(w, sock_error(sk));
    if (sk.shutdown & SEND_SHUTDOWN) return ret(w, -EPIPE);
    let daddr: number;
    let dport: number;
    let connected = false;
    if (msg.name) {
      daddr = msg.name.addr;
      dport = msg.name.port;
      if (!dport) return ret(w, -EINVAL);
    } else {
      if (sk.state !== TCP_ESTABLISHED) return ret(w, -EDESTADDRREQ);
      daddr = sk.daddr;
      dport = sk.dport;
      connected = true;
    }
    const net = netOf(w, sk);
    let rt = connected ? sk_dst_check(sk) : null;
    let saddr = sk.saddr;
    if (!rt) {
      const fl = { oif: sk.boundDevIf, iif: 1, proto: IPPROTO_UDP, saddr: sk.saddr, daddr, scope: RT_SCOPE_UNIVERSE };
      const r = ip_route_output_flow(w, net, fl);
      if ('err' in r) return ret(w, r.err);
      if (r.rt.flags & RTCF_BROADCAST && !sk.broadcast) return ret(w, -EACCES);
      rt = r.rt;
      saddr = fl.saddr;
      if (connected) sk_dst_set(sk, rt);
    }
    const ulen = UDP_HLEN + len;
    const payload = new Uint8Array(ulen);
    payload.set(msg.data, UDP_HLEN);
    // IP_PMTUDISC_WANT: DF when the datagram fits the route's (path) MTU.
    const df = ulen + IPHDR_LEN <= dst_mtu(w, rt);
    // ip_select_ident: under DF a connected socket numbers its own packets, an unconnected one sends 0.
    let id: number | undefined;
    if (df) {
      if (sk.daddr) {
        id = (sk.proto.inetId as number) & 0xffff;
        sk.proto.inetId = (id + 1) & 0xffff;
      } else id = 0;
    }
    const skb = ip_make_skb(w, net, {
      saddr,
      daddr,
      protocol: IPPROTO_UDP,
      ttl: sk.ttl >= 0 ? sk.ttl : net.ipv4.sysctl.ip_default_ttl,
      tos: 0,
      df,
      payload,
      id,
    });
    skb.sk = sk.id;
    skb.dst = rt;
    // ip_append_data: a datagram that fits the MTU leaves its checksum to the
    // device (veth, lo and bridges offload it); one cut into fragments gets
    // it computed now, over all its data.
    if (df || ulen + IPHDR_LEN <= dst_mtu(w, rt)) skb.ipSummed = CHECKSUM_PARTIAL;
    const err = udp_send_skb(w, skb, saddr, daddr, sk.num, dport);
    return ret(w, err < 0 ? err : len);
  } finally {
    leave(w);
  }
}

function udp_send_skb(w: World, skb: SkBuff, saddr: number, daddr: number, sport: number, dport: number): number {
  enter(w, F_udp_send_skb, skb, skb.dst?.dev ?? null);
  try {
    const h = skb.head;
    const o = skb.transportHeader;
    const ulen = skb.tail - o;
    put16(h, o, sport);
    put16(h, o + 2, dport);
    put16(h, o + 4, ulen);
    put16(h, o + 6, 0);
    if (skb.ipSummed === CHECKSUM_PARTIAL) {
      // udp4_hwcsum: the field holds the pseudo-header's sum; the device finishes it.
      put16(h, o + 6, ~udpChecksum(h, o, 0, saddr, daddr, ulen) & 0xffff);
    } else {
      // A computed checksum of 0 is sent as all ones (0 means "none").
      put16(h, o + 6, udpChecksum(h, o, ulen, saddr, daddr) || 0xffff);
    }
    const rc = ip_send_skb(w, skb);
    // net_xmit_errno: congestion notifications are not errors for the sender.
    return ret(w, rc > 0 ? 0 : rc);
  } finally {
    leave(w);
  }
}

/** udp_recvmsg: the bytes copied (msg.data, msg.name set), or -errno (-EAGAIN: nothing queued). */
export function udp_recvmsg(w: World, sk: Sock, msg: Msghdr, flags: number): number {
  enter(w, F_udp_recvmsg, sk.receiveQueue[0] ?? null);
  try {
    const skb = sk.receiveQueue[0];
    if (!skb) {
      const err = sock_error(sk);
      if (err) return ret(w, err);
      if (sk.shutdown & RCV_SHUTDOWN) return ret(w, 0);
      return ret(w, -EAGAIN);
    }
    const peek = (flags & MSG_PEEK) !== 0;
    const uh = skb.transportHeader;
    const data = skb.head.subarray(uh + UDP_HLEN, skb.tail);
    const copied = Math.min(msg.size, data.length);
    msg.data = data.slice(0, copied);
    msg.name = { addr: get32(skb.head, skb.networkHeader + 12), port: get16(skb.head, uh) };
    if (!peek) {
      sk.receiveQueue.shift();
      w.rec.skbNote(SKB_DEQUEUE_SOCKET, skb.id, sk.id, sk.prot);
      sk.rmemAlloc -= skbTruesize(skb);
      // skb_consume_udp
      __consume_stateless_skb(w, skb, 'skb_consume_udp');
    }
    return ret(w, copied);
  } finally {
    leave(w);
  }
}

/** udp_poll: datagram_poll's mask for a UDP socket. */
export function udp_poll(_w: World, sk: Sock): number {
  let mask = 0;
  if (sk.err) mask |= EPOLLERR;
  if (sk.shutdown & RCV_SHUTDOWN) mask |= EPOLLRDHUP | EPOLLIN | EPOLLRDNORM;
  if (sk.shutdown === SHUTDOWN_MASK) mask |= EPOLLHUP;
  if (sk.receiveQueue.length) mask |= EPOLLIN | EPOLLRDNORM;
  if (sock_writeable(sk)) mask |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
  return mask;
}

/** inet_iif: a packet looped back through lo is matched by the device its route was for. */
function inetIif(skb: SkBuff): number {
  const rt = skb.dst;
  if (rt && !rt.isInput && rt.fibDev) return rt.fibDev.ifindex;
  return skb.skbIif;
}

/** compute_score: -1 when the socket cannot take the datagram, else higher is a better match. */
function compute_score(sk: Sock, saddr: number, sport: number, daddr: number, hnum: number, dif: number): number {
  if (sk.num !== hnum || sk.rcvSaddr !== daddr) return -1;
  let score = 2;
  if (sk.daddr) {
    if (sk.daddr !== saddr) return -1;
    score += 4;
  }
  if (sk.dport) {
    if (sk.dport !== sport) return -1;
    score += 4;
  }
  if (sk.boundDevIf) {
    if (sk.boundDevIf !== dif) return -1;
    score += 4;
  }
  return score;
}

/** __udp4_lib_lookup: the bound address first, then the wildcard. */
export function __udp4_lib_lookup(
  w: World,
  net: Net,
  saddr: number,
  sport: number,
  daddr: number,
  dport: number,
  dif: number,
): Sock | null {
  enter(w, F___udp4_lib_lookup);
  try {
    for (const laddr of daddr ? [daddr, 0] : [0]) {
      let best: Sock | null = null;
      let bestScore = -1;
      for (const sk of net.udp) {
        const score = compute_score(sk, saddr, sport, laddr, dport, dif);
        if (score > bestScore) {
          best = sk;
          bestScore = score;
        }
      }
      if (best) return ret(w, best);
    }
    return ret(w, null);
  } finally {
    leave(w);
  }
}

export function udp_rcv(w: World, skb: SkBuff): number {
  enter(w, F_udp_rcv, skb, skb.dev);
  try {
    return ret(w, __udp4_lib_rcv(w, skb));
  } finally {
    leave(w);
  }
}

function __udp4_lib_rcv(w: World, skb: SkBuff): number {
  enter(w, F___udp4_lib_rcv, skb, skb.dev);
  try {
    const h = skb.head;
    const uh = skb.transportHeader;
    if (skbLen(skb) < UDP_HLEN) {
      kfree_skb_reason(w, skb, 'PKT_TOO_SMALL', '__udp4_lib_rcv');
      return ret(w, 0);
    }
    const ulen = get16(h, uh + 4);
    if (ulen > skbLen(skb) || ulen < UDP_HLEN) {
      kfree_skb_reason(w, skb, 'PKT_TOO_SMALL', '__udp4_lib_rcv');
      return ret(w, 0);
    }
    skb.tail = uh + ulen; // pskb_trim_rcsum
    const ih = skb.networkHeader;
    const saddr = get32(h, ih + 12);
    const daddr = get32(h, ih + 16);
    const sport = get16(h, uh);
    const dport = get16(h, uh + 2);
    const csum = get16(h, uh + 6);
    // A checksum left to offload (CHECKSUM_PARTIAL, from a host's own veth or lo) is trusted.
    const csumBad = csum !== 0 && skb.ipSummed !== CHECKSUM_PARTIAL && udpChecksum(h, uh, ulen, saddr, daddr) !== 0;
    if (csumBad) {
      kfree_skb_reason(w, skb, 'UDP_CSUM', '__udp4_lib_rcv');
      return ret(w, 0);
    }
    const net = skb.dev!.net;
    if (skb.dst!.flags & (RTCF_BROADCAST | RTCF_MULTICAST))
      return ret(w, __udp4_lib_mcast_deliver(w, net, skb, saddr, sport, daddr, dport));
    const sk = __udp4_lib_lookup(w, net, saddr, sport, daddr, dport, inetIif(skb));
    if (sk) {
      udp_queue_rcv_one_skb(w, sk, skb);
      return ret(w, 0);
    }
    __icmp_send(w, skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
    kfree_skb_reason(w, skb, 'NO_SOCKET', '__udp4_lib_rcv');
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/** Every socket on the port that would take this broadcast gets it; none: dropped. */
function __udp4_lib_mcast_deliver(
  w: World,
  net: Net,
  skb: SkBuff,
  saddr: number,
  sport: number,
  daddr: number,
  dport: number,
): number {
  enter(w, F___udp4_lib_mcast_deliver, skb, skb.dev);
  try {
    const dif = skb.dev!.ifindex;
    const takers = net.udp.filter(
      (sk) =>
        sk.num === dport &&
        (!sk.rcvSaddr || sk.rcvSaddr === daddr) &&
        (!sk.daddr || sk.daddr === saddr) &&
        (!sk.dport || sk.dport === sport) &&
        (!sk.boundDevIf || sk.boundDevIf === dif),
    );
    if (!takers.length) {
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', '__udp4_lib_mcast_deliver');
      return ret(w, 0);
    }
    for (const sk of takers.slice(1)) udp_queue_rcv_one_skb(w, sk, skb_clone(w, skb));
    udp_queue_rcv_one_skb(w, takers[0], skb);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

function udp_queue_rcv_one_skb(w: World, sk: Sock, skb: SkBuff): number {
  enter(w, F_udp_queue_rcv_one_skb, skb, skb.dev);
  try {
    const rc = __udp_enqueue_schedule_skb(w, sk, skb);
    if (rc < 0) {
      kfree_skb_reason(w, skb, 'SOCKET_RCVBUFF', 'udp_queue_rcv_one_skb');
      return ret(w, -1);
    }
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

function __udp_enqueue_schedule_skb(w: World, sk: Sock, skb: SkBuff): number {
  enter(w, F___udp_enqueue_schedule_skb, skb, skb.dev);
  try {
    if (sk.rmemAlloc > sk.rcvbuf) return ret(w, -105);
    sk.rmemAlloc += skbTruesize(skb);
    __skb_queue_tail(w, sk.receiveQueue, skb);
    w.rec.skbNote(SKB_QUEUE_SOCKET, skb.id, sk.id, sk.prot);
    if (!sk.dead) sk_data_ready(w, sk);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/**
 * udp_err -> __udp4_lib_err: `inner` is the offset of the quoted IP header
 * in the ICMP message `skb`; `info` its extra word (an MTU).
 */
export function udp_err(w: World, skb: SkBuff, inner: number, info: number): number {
  enter(w, F_udp_err, skb, skb.dev);
  try {
    const h = skb.head;
    const icmp = skb.data;
    const type = h[icmp];
    const code = h[icmp + 1];
    const iuh = inner + (h[inner] & 0xf) * 4;
    if (skb.tail < iuh + 4) return ret(w, 0);
    const net = skb.dev!.net;
    // The quoted datagram went from us (its source) to the peer (its destination).
    const sk = __udp4_lib_lookup(
      w,
      net,
      get32(h, inner + 16),
      get16(h, iuh + 2),
      get32(h, inner + 12),
      get16(h, iuh),
      skb.dev!.ifindex,
    );
    if (!sk) return ret(w, -2);
    if (type === ICMP_REDIRECT) {
      // The socket's flow learns the new gateway; nothing is reported.
      ipv4_sk_redirect(w, net, { boundDevIfindex: sk.boundDevIf, protocol: sk.protocol }, skb, inner);
      return ret(w, 0);
    }
    const meaning = icmp_err_errno(type, code);
    if (!meaning) return ret(w, 0);
    const [err, harderr] = meaning;
    if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) {
      // Path MTU discovery: the socket's route learns the MTU (and the
      // datagram that did not fit is the hard EMSGSIZE).
      const rt = ipv4_sk_update_pmtu(
        w,
        net,
        { boundDevIfindex: sk.boundDevIf, protocol: sk.protocol, dst: sk.dst, saddr: sk.saddr, daddr: sk.daddr },
        get32(h, inner + 12),
        get32(h, inner + 16),
        info,
      );
      if (rt) sk_dst_set(sk, rt);
    }
    // RFC 1122: without IP_RECVERR only hard errors on connected sockets reach the program.
    if (!sk.recverr && (!harderr || sk.state !== TCP_ESTABLISHED)) return ret(w, 0);
    sk.err = err;
    sk_error_report(w, sk);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

proto_register({
  name: 'UDP',
  close: (w, sk) => udp_lib_close(w, sk),
  connect: (w, sk, daddr, dport) => __ip4_datagram_connect(w, sk, daddr, dport),
  disconnect: (w, sk) => udp_disconnect(w, sk),
  sendmsg: udp_sendmsg,
  recvmsg: udp_recvmsg,
  get_port: udp_lib_get_port,
  unhash: udp_lib_unhash,
  sockets: (net) => udpTableOrder(net),
});

/**
 * udp_table's order, as a walk of its slots sees it: a socket's slot is
 * its port plus the namespace's hash mix (net_hash_mix, random per
 * namespace), modulo the table's 65536 slots; the newest first within one.
 */
function udpTableOrder(net: Net): Sock[] {
  const mix = net.hashMix;
  return [...net.udp].sort((a, b) => ((a.num + mix) & 0xffff) - ((b.num + mix) & 0xffff));
}

// udp_diag: ss -u lists the namespace's UDP sockets; Recv-Q is the memory its queued datagrams take.
inet_diag_register(IPPROTO_UDP, {
  dump: (_w, net) => udpTableOrder(net).map((sk) => inetDiagMsg(sk, sk.rmemAlloc, 0)),
});

// inet_init: UDP is IP protocol 17.
inet_add_protocol(
  { handler: (w, skb) => void udp_rcv(w, skb), err_handler: (w, skb, inner, info) => void udp_err(w, skb, inner, info) },
  IPPROTO_UDP,
);
