// The IPv4 socket family (net/ipv4/af_inet.c): socket() for AF_INET picks
// the protocol by type from inetsw (inet_create), and the family's generic
// calls (bind, connect for datagram sockets, sendmsg, recvmsg, shutdown,
// release) check what every IPv4 protocol shares before handing over to the
// protocol (sk->sk_prot). Stream sockets register their own proto_ops
// (inet_stream_ops) with the same helpers.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { Sock, Socket } from '../../include/sock.ts';
import {
  AF_INET,
  AF_UNSPEC,
  IPPROTO_IP,
  IPPROTO_TCP,
  SOCK_RAW,
  IPPROTO_UDP,
  RCV_SHUTDOWN,
  SOCK_BINDADDR_LOCK,
  SOCK_BINDPORT_LOCK,
  SOCK_DGRAM,
  SOCK_STREAM,
  SS_CONNECTED,
  SS_CONNECTING,
  SS_DISCONNECTING,
  SS_UNCONNECTED,
  TCP_CLOSE,
  TCP_ESTABLISHED,
  TCP_LISTEN,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
} from '../../include/sock.ts';
import { RTN_BROADCAST, RTN_LOCAL, RTN_MULTICAST } from '../../include/route.ts';
import {
  EADDRINUSE,
  EADDRNOTAVAIL,
  EAGAIN,
  EALREADY,
  ECONNABORTED,
  EINPROGRESS,
  EINVAL,
  EISCONN,
  ENOTCONN,
  EPROTONOSUPPORT,
  ESOCKTNOSUPPORT,
} from '../../include/errno.ts';
import type { TcpSock } from '../../include/tcp.ts';
import { tcp_lock, tcp_poll, tcp_release } from './tcp.ts';
import { inet_csk_accept, inet_csk_listen_start } from './inet_connection_sock.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import type { Msghdr } from '../core/sock.ts';
import { sk_alloc, sk_dst_reset, sk_prot, sk_state_change, sock_error } from '../core/sock.ts';
import { register_proto_ops, sock_no_accept, sock_no_listen, sock_register, type SockaddrIn } from '../socket.ts';
import { inet_addr_type_dev_table } from './fib_frontend.ts';
import { udp_poll } from './udp.ts';
import { datagram_poll } from '../core/datagram.ts';

const F_inet_create = kfn(
  'inet_create',
  'net/ipv4/af_inet.c',
  "Makes an AF_INET socket: finds the protocol for the socket type in inetsw (SOCK_DGRAM: UDP, SOCK_STREAM: TCP), allocates its struct sock and sets the family's proto_ops.",
  'errno',
);
export const F_inet_release = kfn(
  'inet_release',
  'net/ipv4/af_inet.c',
  "close() of the socket: it is handed to its protocol's close (udp_lib_close, tcp_close), and the packets still queued on it are purged.",
);
const F_inet_bind = kfn(
  'inet_bind',
  'net/ipv4/af_inet.c',
  "bind(): the address must be one of this namespace's (checked in table local) or any; the protocol's get_port takes the port, or picks a free one for port 0.",
  'errno',
);
const F_inet_autobind = kfn(
  'inet_autobind',
  'net/ipv4/af_inet.c',
  'A socket that sends or connects before bind() gets a port now: get_port(0) picks a free ephemeral port (net.ipv4.ip_local_port_range, 32768-60999).',
  'errno',
);
const F_inet_dgram_connect = kfn(
  'inet_dgram_connect',
  'net/ipv4/af_inet.c',
  "connect() on a datagram socket: binds a port if it has none, then the protocol's connect routes to the peer and remembers it (no packet is sent).",
  'errno',
);
const F_inet_sendmsg = kfn(
  'inet_sendmsg',
  'net/ipv4/af_inet.c',
  "Binds a port first if the socket has none (inet_send_prepare), then the protocol's sendmsg.",
  'errno',
);
const F_inet_recvmsg = kfn('inet_recvmsg', 'net/ipv4/af_inet.c', "The protocol's recvmsg reads from the socket.", 'errno');
const F_inet_shutdown = kfn(
  'inet_shutdown',
  'net/ipv4/af_inet.c',
  'shutdown(): marks the directions shut (sk_shutdown) and lets the protocol act (TCP sends its FIN); sleepers are woken to see it.',
  'errno',
);

/** An inetsw entry (struct inet_protosw): which protocol and proto_ops serve a socket type. */
export interface InetProtosw {
  type: number;
  protocol: number;
  /** The `struct proto`'s name (see net/core/sock.ts proto_register). */
  prot: string;
  /** The proto_ops table's name (see net/socket.ts register_proto_ops). */
  ops: string;
}

const inetsw: InetProtosw[] = [];

/** inet_register_protosw */
export function inet_register_protosw(p: InetProtosw): void {
  inetsw.push(p);
}

/** net.ipv4.ip_local_port_range's default: where ephemeral ports come from. */
export function inet_get_local_port_range(): [number, number] {
  return [32768, 60999];
}

function inet_create(w: World, net: Net, sock: Socket, protocol: number): number {
  enter(w, F_inet_create);
  try {
    let answer: InetProtosw | undefined;
    let sawType = false;
    for (const a of inetsw) {
      if (a.type !== sock.type) continue;
      sawType = true;
      if (protocol === a.protocol && protocol !== IPPROTO_IP) {
        answer = a;
        break;
      }
      if (protocol === IPPROTO_IP) {
        protocol = a.protocol;
        answer = a;
        break;
      }
      // An entry of protocol IPPROTO_IP (raw sockets') takes any protocol.
      if (a.protocol === IPPROTO_IP) {
        answer = a;
        break;
      }
    }
    if (!answer) return ret(w, sawType ? -EPROTONOSUPPORT : -ESOCKTNOSUPPORT);
    sock.ops = answer.ops;
    sock.state = SS_UNCONNECTED;
    const sk = (sock.sk = sk_alloc(w, net, AF_INET, sock.type, protocol, answer.prot));
    const prot = sk_prot(sk);
    // A raw socket is numbered by its protocol and hashed at once.
    if (sock.type === SOCK_RAW) sk.num = protocol;
    if (sk.num) prot.hash?.(w, sk);
    prot.init?.(w, sk);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

sock_register({ family: AF_INET, create: inet_create });

/** inet_release: the protocol closes the socket; the file no longer refers to it. */
export function inet_release(w: World, sock: Socket): number {
  enter(w, F_inet_release);
  try {
    const sk = sock.sk;
    sk_prot(sk).close(w, sk, 0);
    return 0;
  } finally {
    leave(w);
  }
}

/** inet_bind / __inet_bind */
export function inet_bind(w: World, sock: Socket, addr: SockaddrIn): number {
  enter(w, F_inet_bind);
  try {
    if (addr.family !== AF_INET) return ret(w, -EINVAL);
    const sk = sock.sk;
    const own = sk_prot(sk).bind;
    if (own) return ret(w, own(w, sk, addr.addr));
    const net = netOf(w, sk);
    const type = inet_addr_type_dev_table(w, net, null, addr.addr);
    if (type !== RTN_LOCAL && type !== RTN_MULTICAST && type !== RTN_BROADCAST) return ret(w, -EADDRNOTAVAIL);
    if (sk.state !== TCP_CLOSE || sk.num) return ret(w, -EINVAL);
    sk.rcvSaddr = sk.saddr = addr.addr;
    // A broadcast or multicast bind leaves the source to the device.
    if (type === RTN_MULTICAST || type === RTN_BROADCAST) sk.saddr = 0;
    if (sk_prot(sk).get_port(w, sk, addr.port)) {
      sk.saddr = sk.rcvSaddr = 0;
      return ret(w, -EADDRINUSE);
    }
    if (sk.rcvSaddr) sk.userlocks |= SOCK_BINDADDR_LOCK;
    if (addr.port) sk.userlocks |= SOCK_BINDPORT_LOCK;
    sk.daddr = 0;
    sk.dport = 0;
    sk_dst_reset(sk);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/** inet_autobind: an ephemeral port for a socket that has none. */
export function inet_autobind(w: World, sk: Sock): number {
  enter(w, F_inet_autobind);
  try {
    if (!sk.num && sk_prot(sk).get_port(w, sk, 0)) return ret(w, -EAGAIN);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

export function inet_dgram_connect(w: World, sock: Socket, addr: SockaddrIn): number {
  enter(w, F_inet_dgram_connect);
  try {
    const sk = sock.sk;
    const prot = sk_prot(sk);
    if (addr.family === AF_UNSPEC) return ret(w, prot.disconnect(w, sk, 0));
    if (!sk.num && inet_autobind(w, sk)) return ret(w, -EAGAIN);
    return ret(w, prot.connect(w, sk, addr.addr, addr.port));
  } finally {
    leave(w);
  }
}

/** inet_sendmsg (with inet_send_prepare's autobind). */
export function inet_sendmsg(w: World, sock: Socket, msg: Msghdr): number {
  enter(w, F_inet_sendmsg);
  try {
    const sk = sock.sk;
    if (!sk.num && inet_autobind(w, sk)) return ret(w, -EAGAIN);
    return ret(w, sk_prot(sk).sendmsg(w, sk, msg));
  } finally {
    leave(w);
  }
}

export function inet_recvmsg(w: World, sock: Socket, msg: Msghdr, flags: number): number {
  enter(w, F_inet_recvmsg);
  try {
    return ret(w, sk_prot(sock.sk).recvmsg(w, sock.sk, msg, flags));
  } finally {
    leave(w);
  }
}

/** inet_shutdown: `how` is SHUT_RD, SHUT_WR or SHUT_RDWR. */
export function inet_shutdown(w: World, sock: Socket, how: number): number {
  enter(w, F_inet_shutdown);
  try {
    const bits = how + 1; // SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both
    if (bits & ~3 || !bits) return ret(w, -EINVAL);
    const sk = sock.sk;
    const prot = sk_prot(sk);
    if (sock.state === SS_CONNECTING) {
      const early = sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV || sk.state === TCP_CLOSE;
      sock.state = early ? SS_DISCONNECTING : SS_CONNECTED;
    }
    let err = 0;
    switch (sk.state) {
      case TCP_LISTEN:
        if (bits & RCV_SHUTDOWN) {
          err = prot.disconnect(w, sk, 0);
          sock.state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
        }
        break;
      case TCP_SYN_SENT:
        err = prot.disconnect(w, sk, 0);
        sock.state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
        break;
      case TCP_CLOSE:
        // Not connected, but sleepers polling for EPOLLHUP are still woken.
        err = -ENOTCONN;
        sk.shutdown |= bits;
        prot.shutdown?.(w, sk, bits);
        break;
      default:
        sk.shutdown |= bits;
        prot.shutdown?.(w, sk, bits);
    }
    sk_state_change(w, sk);
    return ret(w, err);
  } finally {
    leave(w);
  }
}

/** inet_getname */
export function inet_getname(_w: World, sock: Socket, peer: boolean): SockaddrIn | number {
  const sk = sock.sk;
  if (peer) {
    if (!sk.dport) return -ENOTCONN;
    return { family: AF_INET, addr: sk.daddr, port: sk.dport };
  }
  return { family: AF_INET, addr: sk.rcvSaddr || sk.saddr, port: sk.num };
}

function netOf(w: World, sk: Sock): Net {
  const net = w.nets.find((n) => n.uid === sk.netUid);
  if (!net) throw new Error(`internal: socket ${sk.id} has no namespace`);
  return net;
}

register_proto_ops('inet_dgram_ops', {
  family: AF_INET,
  release: inet_release,
  bind: inet_bind,
  connect: (w, sock, addr) => inet_dgram_connect(w, sock, addr),
  listen: sock_no_listen,
  accept: sock_no_accept,
  shutdown: inet_shutdown,
  getname: inet_getname,
  poll: (w, sock) => udp_poll(w, sock.sk),
  sendmsg: (w, sock, msg) => inet_sendmsg(w, sock, msg),
  recvmsg: inet_recvmsg,
});

// inetsw_array: datagram sockets are UDP's.
inet_register_protosw({ type: SOCK_DGRAM, protocol: IPPROTO_UDP, prot: 'UDP', ops: 'inet_dgram_ops' });

register_proto_ops('inet_sockraw_ops', {
  family: AF_INET,
  release: inet_release,
  bind: inet_bind,
  connect: (w, sock, addr) => inet_dgram_connect(w, sock, addr),
  listen: sock_no_listen,
  accept: sock_no_accept,
  shutdown: inet_shutdown,
  getname: inet_getname,
  poll: (_w, sock) => datagram_poll(sock.sk),
  sendmsg: (w, sock, msg) => inet_sendmsg(w, sock, msg),
  recvmsg: inet_recvmsg,
});

// inetsw_array: raw sockets, of any protocol (IPPROTO_IP: the wildcard).
inet_register_protosw({ type: SOCK_RAW, protocol: IPPROTO_IP, prot: 'RAW', ops: 'inet_sockraw_ops' });

const F_inet_stream_connect = kfn(
  'inet_stream_connect',
  'net/ipv4/af_inet.c',
  'connect() on a stream socket: with the socket locked, TCP sends its SYN; a non-blocking caller gets EINPROGRESS and learns the outcome from poll() and SO_ERROR. Whatever arrived meanwhile (the SYN-ACK, a reset) is processed when the lock is released.',
  'errno',
);
const F_inet_listen = kfn(
  'inet_listen',
  'net/ipv4/af_inet.c',
  'listen(): a stream socket starts taking connections (inet_csk_listen_start), on the port it is bound to or on one picked for it.',
  'errno',
);
const F_inet_accept = kfn(
  'inet_accept',
  'net/ipv4/af_inet.c',
  "accept(): the next finished connection from the listener's accept queue (inet_csk_accept), or EAGAIN when none is waiting.",
  'errno',
);

/** __inet_stream_connect under the socket lock (inet_stream_connect). Programs here connect without blocking. */
export function inet_stream_connect(w: World, sock: Socket, addr: SockaddrIn): number {
  enter(w, F_inet_stream_connect);
  try {
    const sk = sock.sk as TcpSock;
    if (addr.family === AF_UNSPEC) return ret(w, sk_prot(sk).disconnect(w, sk, 0));
    tcp_lock(w, sk);
    let err: number;
    if (sock.state === SS_CONNECTED) err = -EISCONN;
    else if (sock.state === SS_CONNECTING) err = sk.state === TCP_CLOSE ? sock_error(sk) || -ECONNABORTED : -EALREADY;
    else if (sk.state !== TCP_CLOSE) err = -EISCONN;
    else {
      err = sk_prot(sk).connect(w, sk, addr.addr, addr.port);
      if (err === 0) {
        sock.state = SS_CONNECTING;
        err = -EINPROGRESS;
      }
    }
    tcp_release(w, sk);
    if (sock.state === SS_CONNECTING && sk.state === TCP_ESTABLISHED && err !== -EINPROGRESS) sock.state = SS_CONNECTED;
    return ret(w, err);
  } finally {
    leave(w);
  }
}

/** inet_listen */
export function inet_listen(w: World, sock: Socket, backlog: number): number {
  enter(w, F_inet_listen);
  try {
    const sk = sock.sk as TcpSock;
    if (sock.state !== SS_UNCONNECTED || sock.type !== SOCK_STREAM) return ret(w, -EINVAL);
    if (sk.state !== TCP_CLOSE && sk.state !== TCP_LISTEN) return ret(w, -EINVAL);
    tcp_lock(w, sk);
    const err = inet_csk_listen_start(w, sk, backlog);
    tcp_release(w, sk);
    return ret(w, err);
  } finally {
    leave(w);
  }
}

/** inet_accept: the child socket, or -errno (-EAGAIN when none is waiting). */
export function inet_accept(w: World, sock: Socket): Sock | number {
  enter(w, F_inet_accept);
  try {
    const sk = sock.sk as TcpSock;
    if (sk.state !== TCP_LISTEN) return ret(w, -EINVAL);
    tcp_lock(w, sk);
    const child = inet_csk_accept(w, sk);
    tcp_release(w, sk);
    return ret(w, child ?? -EAGAIN);
  } finally {
    leave(w);
  }
}

register_proto_ops('inet_stream_ops', {
  family: AF_INET,
  release: inet_release,
  bind: inet_bind,
  connect: (w, sock, addr) => inet_stream_connect(w, sock, addr),
  listen: inet_listen,
  accept: (w, sock) => inet_accept(w, sock),
  shutdown: inet_shutdown,
  getname: inet_getname,
  poll: (_w, sock) => tcp_poll(sock.sk as TcpSock),
  // TCP does not bind on send (no_autobind): an unconnected socket's sendmsg fails.
  sendmsg: (w, sock, msg) => sk_prot(sock.sk).sendmsg(w, sock.sk, msg),
  recvmsg: inet_recvmsg,
});

// inetsw_array: stream sockets are TCP's.
inet_register_protosw({ type: SOCK_STREAM, protocol: IPPROTO_TCP, prot: 'TCP', ops: 'inet_stream_ops' });
