// Connection-oriented sockets (net/ipv4/inet_connection_sock.c): listening,
// the accept queue, the routes of a request and its child, and cloning the
// child from the listener.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { Rtable } from '../../include/route.ts';
import { RT_SCOPE_UNIVERSE } from '../../include/route.ts';
import type { RequestSock, TcpSock } from '../../include/tcp.ts';
import { TCP_CLOSE, TCP_LISTEN, TCP_SYN_RECV } from '../../include/tcp.ts';
import { EADDRINUSE, EINVAL } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { ip_route_output_flow } from './route.ts';
import { tcp_set_state } from './tcp.ts';
import { netByUid } from '../core/net_namespace.ts';
import { randomU32 } from '../../kernel/world.ts';

const F_inet_csk_route_req = kfn(
  'inet_csk_route_req',
  'net/ipv4/inet_connection_sock.c',
  "The route back to the SYN's sender, from the address it connected to: the SYN-ACK goes out on it.",
  'route',
);
const F_inet_csk_route_child_sock = kfn(
  'inet_csk_route_child_sock',
  'net/ipv4/inet_connection_sock.c',
  "The new connection's own output route, cached in the child socket for everything it sends.",
  'route',
);
const F_inet_csk_clone_lock = kfn(
  'inet_csk_clone_lock',
  'net/ipv4/inet_connection_sock.c',
  "The child socket is a copy of the listener with the request's addresses and numbers, born in SYN_RECV.",
);
const F_inet_csk_listen_start = kfn(
  'inet_csk_listen_start',
  'net/ipv4/inet_connection_sock.c',
  'listen(): the socket takes its port (if free) and enters LISTEN, hashed where SYNs for that port will find it.',
  'errno',
);
const F_inet_csk_accept = kfn(
  'inet_csk_accept',
  'net/ipv4/inet_connection_sock.c',
  "accept(): takes the oldest child off the listener's accept queue; with none there, the caller sleeps until one arrives.",
);

function routeFor(w: World, net: Net, oif: number, saddr: number, daddr: number): Rtable | null {
  const r = ip_route_output_flow(w, net, { oif, iif: 1, proto: 6, saddr, daddr, scope: RT_SCOPE_UNIVERSE });
  ret(w, r);
  return 'rt' in r ? r.rt : null;
}

/** inet_csk_route_req */
export function inet_csk_route_req(w: World, net: Net, listener: TcpSock, req: RequestSock): Rtable | null {
  enter(w, F_inet_csk_route_req);
  try {
    return routeFor(w, net, listener.boundDevIf, req.laddr, req.raddr);
  } finally {
    leave(w);
  }
}

/** inet_csk_route_child_sock */
export function inet_csk_route_child_sock(w: World, net: Net, child: TcpSock, req: RequestSock): Rtable | null {
  enter(w, F_inet_csk_route_child_sock);
  try {
    return routeFor(w, net, child.boundDevIf, req.laddr, req.raddr);
  } finally {
    leave(w);
  }
}

/** inet_csk_clone_lock + tcp_create_openreq_child: `fresh` is a newly initialised socket to fill in. */
export function inet_csk_clone_lock(w: World, net: Net, listener: TcpSock, req: RequestSock, fresh: TcpSock): TcpSock {
  enter(w, F_inet_csk_clone_lock);
  try {
    void net;
    const child = fresh;
    child.saddr = child.rcvSaddr = req.laddr;
    child.num = req.lport;
    child.daddr = req.raddr;
    child.dport = req.rport;
    child.boundDevIf = req.iif;
    child.rcvbuf = listener.rcvbuf;
    child.sndbuf = listener.sndbuf;
    child.scalingRatio = listener.scalingRatio;
    child.state = TCP_LISTEN;
    child.parent = listener;
    tcp_set_state(w, child, TCP_SYN_RECV);
    child.rcvNxt = (req.rcvIsn + 1) >>> 0;
    child.rcvWup = child.rcvNxt;
    child.copiedSeq = child.rcvNxt;
    child.sndUna = child.sndNxt = child.sndSml = child.writeSeq = (req.sntIsn + 1) >>> 0;
    child.rcvWnd = req.rcvWnd;
    child.rcvSsthresh = req.rcvWnd;
    child.windowClamp = req.windowClamp;
    child.rxOpt = { ...req.opt, mssClamp: req.opt.mssClamp };
    child.tsOffset = req.tsOffset;
    child.tcpHeaderLen = 20 + (req.opt.tstampOk ? 12 : 0);
    return child;
  } finally {
    leave(w);
  }
}

/** inet_csk_reqsk_queue_add: the finished connection waits for accept(). */
export function inet_csk_reqsk_queue_add(listener: TcpSock, child: TcpSock): void {
  listener.acceptQueue.push(child);
  child.queued = true;
}

/** inet_csk_listen_start: LISTEN (stored without the tracepoint), the port taken, and hashed for SYNs. */
export function inet_csk_listen_start(w: World, sk: TcpSock, backlog: number): number {
  enter(w, F_inet_csk_listen_start);
  try {
    sk.maxAckBacklog = backlog;
    if (sk.state === TCP_LISTEN) return ret(w, 0);
    if (sk.state !== TCP_CLOSE) return ret(w, -EINVAL);
    const net = netByUid(w, sk.netUid);
    sk.state = TCP_LISTEN;
    if (inet_csk_get_port(w, sk, sk.num)) {
      sk.state = TCP_CLOSE;
      return ret(w, -EADDRINUSE);
    }
    net.tcp.listening.push(sk);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/** inet_csk_accept: the next child, or null when the queue is empty (the caller sleeps on the listener). */
export function inet_csk_accept(w: World, sk: TcpSock): TcpSock | null {
  enter(w, F_inet_csk_accept);
  try {
    if (sk.state !== TCP_LISTEN) return null;
    const child = sk.acceptQueue.shift() ?? null;
    if (child) {
      child.queued = false;
      child.parent = null;
    }
    return child;
  } finally {
    leave(w);
  }
}

const F_inet_csk_listen_stop = kfn(
  'inet_csk_listen_stop',
  'net/ipv4/inet_connection_sock.c',
  'The listener is closed: half-open requests are forgotten, and connections nobody accepted are aborted (a reset to each peer) and freed.',
);

/** inet_csk_listen_stop: `abort` is tcp_disconnect for each unaccepted child. */
export function inet_csk_listen_stop(w: World, net: Net, sk: TcpSock, abort: (w: World, child: TcpSock) => void): void {
  enter(w, F_inet_csk_listen_stop);
  try {
    for (const req of sk.synQueue.splice(0)) {
      net.tcp.established = net.tcp.established.filter((s) => s !== req);
      req.timerGen++;
    }
    for (const child of sk.acceptQueue.splice(0)) {
      child.queued = false;
      child.parent = null;
      abort(w, child);
    }
  } finally {
    leave(w);
  }
}

const F_inet_csk_get_port = kfn(
  'inet_csk_get_port',
  'net/ipv4/inet_connection_sock.c',
  'bind() or listen() takes a local port: refused (EADDRINUSE) when another TCP socket holds it on an overlapping address, unless both set SO_REUSEADDR and neither listens; port 0 picks a free one from ip_local_port_range.',
  'int',
);

function portClash(net: Net, sk: TcpSock, port: number): boolean {
  return net.tcp.bound.some(
    (o) =>
      o !== sk &&
      o.num === port &&
      (!o.rcvSaddr || !sk.rcvSaddr || o.rcvSaddr === sk.rcvSaddr) &&
      (!o.boundDevIf || !sk.boundDevIf || o.boundDevIf === sk.boundDevIf) &&
      !(o.reuse && sk.reuse && o.state !== TCP_LISTEN),
  );
}

/** inet_csk_get_port: 0, or 1 when the port is taken (or none is free). */
export function inet_csk_get_port(w: World, sk: TcpSock, snum: number): number {
  enter(w, F_inet_csk_get_port);
  try {
    const net = netByUid(w, sk.netUid);
    if (net.tcp.bound.includes(sk) && (!snum || snum === sk.num)) return ret(w, 0);
    if (!snum) {
      const low = net.tcpSysctl.portLow;
      const remaining = net.tcpSysctl.portHigh - low + 1;
      const first = randomU32(w) % remaining;
      for (let i = 0; i < remaining && !snum; i++) {
        const port = low + ((first + i) % remaining);
        if (!portClash(net, sk, port)) snum = port;
      }
      if (!snum) return ret(w, 1);
    } else if (portClash(net, sk, snum)) return ret(w, 1);
    sk.num = snum;
    net.tcp.bound.push(sk);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/** inet_put_port: the socket lets go of its local port. */
export function inet_put_port(net: Net, sk: TcpSock): void {
  net.tcp.bound = net.tcp.bound.filter((s) => s !== sk);
}
