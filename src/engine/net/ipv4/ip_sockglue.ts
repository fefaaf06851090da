// IP-level socket glue (net/ipv4/ip_sockglue.c): how an ICMP error about a
// packet a socket sent is kept for it, on its error queue, and read from
// there (recvmsg with MSG_ERRQUEUE); and the SOL_IP socket options.
import type { World } from '../../kernel/world.ts';
import type { Sock } from '../../include/sock.ts';
import {
  IP_MTU_DISCOVER,
  IP_PMTUDISC_OMIT,
  IP_RECVERR,
  IP_TTL,
  MSG_ERRQUEUE,
  MSG_TRUNC,
  SO_EE_ORIGIN_ICMP,
  SO_EE_ORIGIN_LOCAL,
} from '../../include/sock.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { skbLen } from '../../include/skbuff.ts';
import { EAGAIN, EINVAL, ENOPROTOOPT } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { alloc_skb, consume_skb, get32, put32, skb_clone, skb_put } from '../core/skbuff.ts';
import type { Msghdr } from '../core/sock.ts';
import { sk_error_report, sockNoteName } from '../core/sock.ts';
import { SKB_QUEUE_SOCKET_ERROR } from '../../trace/skblog.ts';

const F_ip_icmp_error = kfn(
  'ip_icmp_error',
  'net/ipv4/ip_sockglue.c',
  "Keeps an ICMP error for the socket whose packet it quotes: a clone of the ICMP packet goes on the socket's error queue (sock_queue_err_skb) with the errno it means, and whoever waits on the socket is woken; poll() now reports EPOLLERR until the queue is read or the socket is closed.",
);
const F_ip_recv_error = kfn(
  'ip_recv_error',
  'net/ipv4/ip_sockglue.c',
  "recvmsg(MSG_ERRQUEUE): takes the oldest error off the socket's error queue, copies out the packet it quotes and tells what happened (sock_extended_err: the errno, the ICMP type and code, who sent it), then frees it. The next queued error, if any, becomes the pending one (sk_err).",
  'errno',
);

/**
 * ip_icmp_error: the caller decides whether the socket wants it (UDP and raw
 * sockets ask for IP_RECVERR; TCP queues an error about its SYN whatever the
 * option). `err` is the errno the error means and `info` what the ICMP
 * header carries (a "fragmentation needed"'s MTU); `payload`, when given, is
 * where the quoted packet's payload starts: the queued clone begins there,
 * as recvmsg(MSG_ERRQUEUE) returns it.
 */
export function ip_icmp_error(w: World, sk: Sock, skb: SkBuff, err = 0, info = 0, payload = -1): void {
  enter(w, F_ip_icmp_error, skb, skb.dev);
  try {
    const copy = skb_clone(w, skb);
    const icmp = skb.transportHeader;
    copy.serr = {
      errno: err,
      origin: SO_EE_ORIGIN_ICMP,
      type: skb.head[icmp],
      code: skb.head[icmp + 1],
      info,
      offender: get32(skb.head, skb.networkHeader + 12),
    };
    if (payload >= 0) copy.data = payload;
    sock_queue_err_skb(w, sk, copy);
  } finally {
    leave(w);
  }
}

/** sock_queue_err_skb: the error goes on the socket's error queue, and whoever waits on the socket is woken. */
function sock_queue_err_skb(w: World, sk: Sock, skb: SkBuff): void {
  sk.errorQueue.push(skb);
  w.rec.skbNote(SKB_QUEUE_SOCKET_ERROR, skb.id, sk.id, sockNoteName(sk));
  if (!sk.dead) sk_error_report(w, sk);
}

const F_ip_local_error = kfn(
  'ip_local_error',
  'net/ipv4/ip_sockglue.c',
  'Keeps an error this host found itself (a packet too big for the path MTU with DF required) for a socket that asked for IP_RECVERR: a small skb holding only an IP header with the destination goes on its error queue, with the errno and, for EMSGSIZE, the MTU; recvmsg(MSG_ERRQUEUE) reads it as a local error.',
);

/** ip_local_error: queues a local error about a packet for `daddr` (with IP_RECVERR only). */
export function ip_local_error(w: World, sk: Sock, err: number, daddr: number, info: number): void {
  if (!sk.recverr) return;
  enter(w, F_ip_local_error);
  try {
    const skb = alloc_skb(w, 20, 0);
    const iph = skb_put(skb, 20);
    skb.networkHeader = iph;
    put32(skb.head, iph + 16, daddr);
    // The queued skb carries no payload: its data starts past the header.
    skb.data = skb.tail;
    skb.serr = { errno: err, origin: SO_EE_ORIGIN_LOCAL, type: 0, code: 0, info, offender: 0 };
    sock_queue_err_skb(w, sk, skb);
  } finally {
    leave(w);
  }
}

/**
 * ip_recv_error: the bytes copied from the oldest queued error (at most
 * msg.size), or -EAGAIN when none is queued; msg.ee tells what it was and
 * msg.name the destination of the packet it quotes.
 */
export function ip_recv_error(w: World, sk: Sock, msg: Msghdr): number {
  enter(w, F_ip_recv_error, sk.errorQueue[0] ?? null, null);
  try {
    const skb = sk.errorQueue.shift();
    if (!skb) return ret(w, -EAGAIN);
    const len = skbLen(skb);
    const copied = Math.min(len, msg.size);
    msg.data = skb.head.slice(skb.data, skb.data + copied);
    msg.flags = MSG_ERRQUEUE | (copied < len ? MSG_TRUNC : 0);
    // serr->addr_offset: the quoted header's destination, or a local error's own header's.
    const iph = skb.serr?.origin === SO_EE_ORIGIN_LOCAL ? skb.networkHeader : skb.transportHeader + 8;
    msg.name = { addr: get32(skb.head, iph + 16), port: 0 };
    if (skb.serr) msg.ee = { ...skb.serr };
    // sock_dequeue_err_skb: the next queued error becomes the pending one.
    sk.err = sk.errorQueue[0]?.serr?.errno ?? 0;
    consume_skb(w, skb, 'ip_recv_error');
    return ret(w, copied);
  } finally {
    leave(w);
  }
}

/** do_ip_setsockopt: the SOL_IP options modelled here; 0 or -errno. */
export function do_ip_setsockopt(sk: Sock, optname: number, value: number): number {
  switch (optname) {
    case IP_TTL:
      if (value !== -1 && (value < 1 || value > 255)) return -EINVAL;
      sk.ttl = value;
      return 0;
    case IP_RECVERR:
      sk.recverr = value !== 0;
      return 0;
    case IP_MTU_DISCOVER:
      if (value < 0 || value > IP_PMTUDISC_OMIT) return -EINVAL;
      sk.pmtudisc = value;
      return 0;
    default:
      return -ENOPROTOOPT;
  }
}
