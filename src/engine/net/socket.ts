// The socket system calls (net/socket.c): what programs call to make, bind,
// connect, use and close sockets. A socket is a file: the calls find it by
// file descriptor in the task's table, then go through its family's
// proto_ops (inet_dgram_ops, inet_stream_ops) and from there to its
// protocol (sk->sk_prot: udp_prot, tcp_prot).
//
// Programs here never sleep inside a system call: like netcat, they wait in
// poll() (sock_poll with their task, which puts them on the socket's wait
// queue) and call again when woken. A call that would block returns -EAGAIN.
import type { World } from '../kernel/world.ts';
import type { Net } from '../include/net.ts';
import type { Task } from '../include/sched.ts';
import type { Sock, Socket } from '../include/sock.ts';
import {
  AF_INET,
  AF_UNSPEC,
  SO_BINDTODEVICE,
  SO_BROADCAST,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SOL_SOCKET,
  SS_CONNECTED,
  SS_UNCONNECTED,
} from '../include/sock.ts';
import { EAFNOSUPPORT, EBADF, EINVAL, EMFILE, ENODEV, ENOPROTOOPT, EOPNOTSUPP } from '../include/errno.ts';
import { kfn } from '../trace/functions.ts';
import { enter, leave, ret } from '../kernel/call.ts';
import type { Msghdr } from './core/sock.ts';
import { sk_dst_reset, sk_prot, sock_error } from './core/sock.ts';
import { devGetByName } from './core/register.ts';
import { netByUid } from './core/net_namespace.ts';

/** struct sockaddr_in (or AF_UNSPEC to dissolve a datagram socket's association). */
export interface SockaddrIn {
  family: number;
  addr: number;
  port: number;
}

/** `struct proto_ops`: a family's socket calls for one socket type. */
export interface ProtoOps {
  family: number;
  release(w: World, sock: Socket): number;
  bind(w: World, sock: Socket, addr: SockaddrIn): number;
  /** `nonblock`: the file has O_NONBLOCK (a stream connect then returns -EINPROGRESS). */
  connect(w: World, sock: Socket, addr: SockaddrIn, nonblock: boolean): number;
  listen(w: World, sock: Socket, backlog: number): number;
  /** The next connection on a listening socket, or -errno (-EAGAIN when none is waiting). */
  accept(w: World, sock: Socket, nonblock: boolean): Sock | number;
  shutdown(w: World, sock: Socket, how: number): number;
  /** The local (or with `peer`, the remote) address, or -errno. */
  getname(w: World, sock: Socket, peer: boolean): SockaddrIn | number;
  /** The poll mask (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP ...). */
  poll(w: World, sock: Socket): number;
  sendmsg(w: World, sock: Socket, msg: Msghdr, flags: number): number;
  recvmsg(w: World, sock: Socket, msg: Msghdr, flags: number): number;
}

/** `struct net_proto_family`: how a family makes its sockets. */
export interface NetProtoFamily {
  family: number;
  create(w: World, net: Net, sock: Socket, protocol: number): number;
}

const protoOps = new Map<string, ProtoOps>();
const families = new Map<number, NetProtoFamily>();

/** A family registers its proto_ops tables by name (inet_dgram_ops, inet_stream_ops). */
export function register_proto_ops(name: string, ops: ProtoOps): void {
  protoOps.set(name, ops);
}

/** sock_register */
export function sock_register(fam: NetProtoFamily): void {
  families.set(fam.family, fam);
}

/** sock->ops */
export function sock_ops(sock: Socket): ProtoOps {
  const ops = protoOps.get(sock.ops);
  if (!ops) throw new Error(`internal: no proto_ops "${sock.ops}" registered`);
  return ops;
}

/** sock_no_listen, sock_no_accept: what a socket type without connections answers. */
export function sock_no_listen(): number {
  return -EOPNOTSUPP;
}
export function sock_no_accept(): number {
  return -EOPNOTSUPP;
}

const F___sys_socket = kfn(
  '__sys_socket',
  'net/socket.c',
  "socket(): the family's create function makes the socket (for AF_INET, inet_create picks the protocol by type), and it gets the lowest free file descriptor.",
  'errno',
);
const F___sys_bind = kfn(
  '__sys_bind',
  'net/socket.c',
  'bind(): gives the socket a local address and port, through its proto_ops (inet_bind).',
  'errno',
);
const F___sys_connect = kfn(
  '__sys_connect',
  'net/socket.c',
  'connect(): for a datagram socket it only sets the peer (inet_dgram_connect); for a stream socket it starts the handshake (inet_stream_connect).',
  'errno',
);
const F___sys_listen = kfn(
  '__sys_listen',
  'net/socket.c',
  'listen(): the socket starts taking connections (inet_listen).',
  'errno',
);
const F___sys_accept4 = kfn(
  '__sys_accept4',
  'net/socket.c',
  'accept(): takes the next established connection off the listening socket and gives it a file descriptor of its own.',
  'errno',
);
const F___sys_sendto = kfn(
  '__sys_sendto',
  'net/socket.c',
  'sendto()/write(): the data goes to sock_sendmsg and the protocol (udp_sendmsg, tcp_sendmsg). Returns the bytes sent.',
  'errno',
);
const F___sys_recvfrom = kfn(
  '__sys_recvfrom',
  'net/socket.c',
  "recvfrom()/read(): sock_recvmsg takes data off the socket's receive queue (udp_recvmsg, tcp_recvmsg). Returns the bytes read.",
  'errno',
);
const F___sys_recvmsg = kfn(
  '__sys_recvmsg',
  'net/socket.c',
  "recvmsg(): sock_recvmsg takes a packet off the socket's receive queue (raw_recvmsg), or with MSG_ERRQUEUE an error off its error queue, with what the program asked to learn of it (the sender, the error). Returns the bytes read.",
  'errno',
);
const F___sys_shutdown = kfn(
  '__sys_shutdown',
  'net/socket.c',
  'shutdown(): closes one or both directions (inet_shutdown).',
  'errno',
);
const F___sys_setsockopt = kfn(
  '__sys_setsockopt',
  'net/socket.c',
  'setsockopt(): sets a socket option (SO_REUSEADDR, SO_BROADCAST, ...).',
  'errno',
);
const F_sock_close = kfn(
  'sock_close',
  'net/socket.c',
  "close() of a socket's last file descriptor: __sock_release calls the family's release (inet_release), which hands the socket to its protocol's close.",
);

function fdTable(task: Task): (Socket | null)[] {
  return (task.files ??= []);
}

/** sockfd_lookup: the socket behind `fd`, or -EBADF. */
export function sockfd_lookup(task: Task, fd: number): Socket | number {
  const s = task.files?.[fd];
  return s ?? -EBADF;
}

/** The lowest free descriptor; 0-2 are the program's standard input, output and error. */
function get_unused_fd(task: Task): number {
  const files = fdTable(task);
  for (let fd = 3; fd < 1024; fd++) if (!files[fd]) return fd;
  return -EMFILE;
}

/** __sys_socket: returns the new file descriptor or -errno. `nonblock` is SOCK_NONBLOCK. */
export function __sys_socket(
  w: World,
  task: Task,
  net: Net,
  family: number,
  type: number,
  protocol: number,
  nonblock = false,
): number {
  enter(w, F___sys_socket);
  try {
    const fam = families.get(family);
    if (!fam) return ret(w, -EAFNOSUPPORT);
    const fd = get_unused_fd(task);
    if (fd < 0) return ret(w, fd);
    const sock: Socket = { state: SS_UNCONNECTED, type, ops: '', sk: null as unknown as Sock, nonblock };
    const err = fam.create(w, net, sock, protocol);
    if (err < 0) return ret(w, err);
    fdTable(task)[fd] = sock;
    return ret(w, fd);
  } finally {
    leave(w);
  }
}

export function __sys_bind(w: World, task: Task, fd: number, addr: SockaddrIn): number {
  enter(w, F___sys_bind);
  try {
    const sock = sockfd_lookup(task, fd);
    if (typeof sock === 'number') return ret(w, sock);
    return ret(w, sock_ops(sock).bind(w, sock, addr));
  } finally {
    leave(w);
  }
}

export function __sys_connect(w: World, task: Task, fd: number, addr: SockaddrIn): number {
  enter(w, F___sys_connect);
  try {
    const sock = sockfd_lookup(task, fd);
    if (typeof sock === 'number') return ret(w, sock);
    if (addr.family !== AF_INET && addr.family !== AF_UNSPEC) return ret(w, -EAFNOSUPPORT);
    return ret(w, sock_ops(sock).connect(w, sock, addr, sock.nonblock));
  } finally {
    leave(w);
  }
}

export function __sys_listen(w: World, task: Task, fd: number, backlog: number): number {
  enter(w, F___sys_listen);
  try {
    const sock = sockfd_lookup(task, fd);
    if (typeof sock === 'number') return ret(w, sock);
    // net.core.somaxconn caps the backlog.
    return ret(w, sock_ops(sock).listen(w, sock, Math.min(backlog, 4096)));
  } finally {
    leave(w);
  }
}

/** __sys_accept4: the new connection's descriptor, or -errno. */
export function __sys_accept4(w: World, task: Task, fd: number, nonblock = false): number {
  enter(w, F___sys_accept4);
  try {
    const sock = sockfd_lookup(task, fd);
    if (typeof sock === 'number') return ret(w, sock);
    const newfd = get_unused_fd(task);
    if (newfd < 0) return ret(w, newfd);
    const sk = sock_ops(sock).accept(w, sock, sock.nonblock);
    if (typeof sk === 'number') return ret(w, sk);
    fdTable(task)[newfd] = { state: SS_CONNECTED, type: sock.type, ops: sock.ops, sk, nonblock };
    return ret(w, newfd);
  } finally {
    leave(w);
  }
}

/** __sys_sendto (write() on a socket is the same with no address). Returns the bytes sent or -errno. */
export function __sys_sendto(
  w: World,
  task: Task,
  fd: number,
  data: Uint8Array,
  flags = 0,
  to: SockaddrIn | null = null,
): number {
  enter(w, F___sys_sendto);
  try {
    const sock = sockfd_lookup(task, fd);
    if (typeof sock === 'number') return ret(w, sock);
    const msg: Msghdr = { name: to ? { addr: to.addr, port: to.port } : null, data, size: data.length };
    return ret(w, sock_ops(sock).sendmsg(w, sock, msg, flags));
  } finally {
    leave(w);
  }
}

export interface RecvResult {
  /** Bytes read, 0 at end of stream, or -errno. */
  ret: number;
  data: Uint8Array;
  /** The sender's address (datagram sockets), when the protocol gives one. */
  from: { addr: number; port: number } | null;
}

/** __sys_recvfrom (read() on a socket is the same without the address). */
export function __sys_recvfrom(w: World, task: Task, fd: number, size: number, flags = 0): RecvResult {
  enter(w, F___sys_recvfrom);
  try {
    const sock = sockfd_lookup(task, fd);
    if (typeof sock === 'number') return ret(w, { ret: sock, data: new Uint8Array(0), from: null });
    const msg: Msghdr = { name: null, data: new Uint8Array(0), size };
    const n = sock_ops(sock).recvmsg(w, sock, msg, flags);
    return ret(w, { ret: n, data: msg.data, from: msg.name });
  } finally {
    leave(w);
  }
}

/** __sys_recvmsg: `msg.size` is the program's buffer; the bytes read (msg.data), or -errno. */
export function __sys_recvmsg(w: World, task: Task, fd: number, msg: Msghdr, flags = 0): number {
  enter(w, F___sys_recvmsg);
  try {
    const sock = sockfd_lookup(task, fd);
    if (typeof sock === 'number') return ret(w, sock);
    return ret(w, sock_ops(sock).recvmsg(w, sock, msg, flags));
  } finally {
    leave(w);
  }
}

export function __sys_shutdown(w: World, task: Task, fd: number, how: number): number {
  enter(w, F___sys_shutdown);
  try {
    const sock = sockfd_lookup(task, fd);
    if (typeof sock === 'number') return ret(w, sock);
    return ret(w, sock_ops(sock).shutdown(w, sock, how));
  } finally {
    leave(w);
  }
}

/**
 * setsockopt: SOL_SOCKET's options here (sk_setsockopt), the others by the
 * socket's protocol (raw_setsockopt, ip_setsockopt). `value` is an int, or
 * for SO_BINDTODEVICE a device name.
 */
export function __sys_setsockopt(
  w: World,
  task: Task,
  fd: number,
  level: number,
  optname: number,
  value: number | string,
): number {
  enter(w, F___sys_setsockopt);
  try {
    const sock = sockfd_lookup(task, fd);
    if (typeof sock === 'number') return ret(w, sock);
    const sk = sock.sk;
    if (level !== SOL_SOCKET) {
      const own = sk_prot(sk).setsockopt;
      if (!own || typeof value !== 'number') return ret(w, -ENOPROTOOPT);
      return ret(w, own(w, sk, level, optname, value));
    }
    if (optname === SO_BINDTODEVICE) return ret(w, sock_setbindtodevice(w, sk, String(value)));
    if (typeof value !== 'number') return ret(w, -EINVAL);
    switch (optname) {
      case SO_REUSEADDR:
        sk.reuse = value !== 0;
        return ret(w, 0);
      case SO_REUSEPORT:
        sk.reuseport = value !== 0;
        return ret(w, 0);
      case SO_BROADCAST:
        sk.broadcast = value !== 0;
        return ret(w, 0);
      default:
        return ret(w, -ENOPROTOOPT);
    }
  } finally {
    leave(w);
  }
}

/** sock_setbindtodevice: the socket sends and receives through this device only ("" unbinds); 0 or -ENODEV. */
function sock_setbindtodevice(w: World, sk: Sock, name: string): number {
  let ifindex = 0;
  if (name) {
    const dev = devGetByName(netByUid(w, sk.netUid), name);
    if (!dev) return -ENODEV;
    ifindex = dev.ifindex;
  }
  sk.boundDevIf = ifindex;
  sk_dst_reset(sk);
  return 0;
}

/** getsockopt(SOL_SOCKET, SO_ERROR): the pending error (positive errno), else the soft one; either is cleared. */
export function sys_getsockopt_so_error(task: Task, fd: number): number {
  const sock = sockfd_lookup(task, fd);
  if (typeof sock === 'number') return sock;
  const err = -sock_error(sock.sk);
  if (err) return err;
  const soft = sock.sk.errSoft;
  sock.sk.errSoft = 0;
  return soft;
}

/** getsockname / getpeername */
export function sys_getsockname(w: World, task: Task, fd: number, peer = false): SockaddrIn | number {
  const sock = sockfd_lookup(task, fd);
  if (typeof sock === 'number') return sock;
  return sock_ops(sock).getname(w, sock, peer);
}

/** sock_poll: the socket's poll mask; with `task`, the task also waits on the socket (poll_wait). */
export function sock_poll(w: World, task: Task | null, fd: number): number {
  const sock = sockfd_lookup(task ?? ({ files: [] } as unknown as Task), fd);
  if (typeof sock === 'number') return 0;
  if (task && !sock.sk.wq.includes(task.pid)) sock.sk.wq.push(task.pid);
  return sock_ops(sock).poll(w, sock);
}

/** close(fd) on a socket: the descriptor goes, and sock_close releases the socket. */
export function sys_close(w: World, task: Task, fd: number): number {
  const sock = sockfd_lookup(task, fd);
  if (typeof sock === 'number') return sock;
  fdTable(task)[fd] = null;
  sock_close(w, task, sock);
  return 0;
}

function sock_close(w: World, task: Task, sock: Socket): void {
  enter(w, F_sock_close);
  try {
    // The process no longer waits on it.
    sock.sk.wq = sock.sk.wq.filter((pid) => pid !== task.pid);
    sock_ops(sock).release(w, sock);
    sock.state = SS_UNCONNECTED;
  } finally {
    leave(w);
  }
}

/** exit_files: at exit, every descriptor the task still has is closed. */
export function exit_files(w: World, task: Task): void {
  const files = task.files ?? [];
  for (let fd = 0; fd < files.length; fd++) if (files[fd]) sys_close(w, task, fd);
}

/** Rejects an address of another family (inet_bind and friends check this first). */
export function checkInetAddr(addr: SockaddrIn): number {
  return addr.family === AF_INET ? 0 : -EINVAL;
}
