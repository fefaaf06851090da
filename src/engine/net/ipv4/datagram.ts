// connect() for IPv4 datagram sockets (net/ipv4/datagram.c): no packet is
// sent; the socket routes to the peer once, keeps that route, and from now
// on sends there by default and takes datagrams only from there.
import type { World } from '../../kernel/world.ts';
import type { Sock } from '../../include/sock.ts';
import { TCP_ESTABLISHED } from '../../include/sock.ts';
import { EACCES, ENETUNREACH } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { randomU32 } from '../../kernel/world.ts';
import { netByUid } from '../core/net_namespace.ts';
import { sk_dst_reset, sk_dst_set } from '../core/sock.ts';
import { ip_route_connect } from './route.ts';

const F___ip4_datagram_connect = kfn(
  '__ip4_datagram_connect',
  'net/ipv4/datagram.c',
  'Routes to the peer (ip_route_connect: without a source address yet, once to pick one and again with it), takes that source if the socket has none, and keeps the peer and the route: the socket is now "connected" (TCP_ESTABLISHED), though no packet was sent.',
  'errno',
);

/** __ip4_datagram_connect: 0 or -errno. */
export function __ip4_datagram_connect(w: World, sk: Sock, daddr: number, dport: number): number {
  enter(w, F___ip4_datagram_connect);
  try {
    sk_dst_reset(sk);
    const net = netByUid(w, sk.netUid);
    const r = ip_route_connect(w, net, daddr, sk.saddr, sk.boundDevIf, sk.protocol, sk.broadcast);
    if ('err' in r) return ret(w, r.err === -EACCES ? -EACCES : r.err || -ENETUNREACH);
    if (!sk.saddr) sk.saddr = r.fl.saddr;
    if (!sk.rcvSaddr) sk.rcvSaddr = r.fl.saddr;
    sk.daddr = r.fl.daddr;
    sk.dport = dport;
    sk.state = TCP_ESTABLISHED;
    // inet_id: the IP ID its packets with DF set start from.
    sk.proto.inetId = randomU32(w) & 0xffff;
    sk_dst_set(sk, r.rt);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}
