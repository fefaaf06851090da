// Sockets: `struct socket` (what a file descriptor refers to, with the
// address family's proto_ops), `struct sock` with `inet_sock` (addresses,
// ports, queues, state; include/net/sock.h, include/net/inet_sock.h), and
// `raw_sock` (include/net/raw.h), the raw socket ping uses.
import type { SkBuff } from './skbuff.ts';
import type { WaitQueue } from './sched.ts';
import type { Rtable } from './route.ts';

export const AF_UNSPEC = 0;
export const AF_INET = 2;

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_SEQPACKET = 5;

export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/**
 * sk_state: TCP's states (include/net/tcp_states.h). UDP uses two of them:
 * TCP_CLOSE while unconnected, TCP_ESTABLISHED once connect()ed.
 */
export const TCP_ESTABLISHED = 1;
export const TCP_SYN_SENT = 2;
export const TCP_SYN_RECV = 3;
export const TCP_FIN_WAIT1 = 4;
export const TCP_FIN_WAIT2 = 5;
export const TCP_TIME_WAIT = 6;
export const TCP_CLOSE = 7;
export const TCP_CLOSE_WAIT = 8;
export const TCP_LAST_ACK = 9;
export const TCP_LISTEN = 10;
export const TCP_CLOSING = 11;
export const TCP_NEW_SYN_RECV = 12;

/** The states' names, as the tracepoints (without `TCP_`) and ss print them. */
export const TCP_STATE_NAMES = [
  '',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
];

/** socket->state (include/uapi/linux/net.h). */
export const SS_UNCONNECTED = 1;
export const SS_CONNECTING = 2;
export const SS_CONNECTED = 3;
export const SS_DISCONNECTING = 4;

/** sk_shutdown bits. */
export const RCV_SHUTDOWN = 1;
export const SEND_SHUTDOWN = 2;
export const SHUTDOWN_MASK = 3;
/** shutdown(2)'s `how`. */
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

/** Poll events (include/uapi/linux/eventpoll.h). */
export const EPOLLIN = 0x001;
export const EPOLLPRI = 0x002;
export const EPOLLOUT = 0x004;
export const EPOLLERR = 0x008;
export const EPOLLHUP = 0x010;
export const EPOLLRDNORM = 0x040;
export const EPOLLWRNORM = 0x100;
export const EPOLLWRBAND = 0x200;
export const EPOLLRDHUP = 0x2000;

/** recvmsg/sendmsg flags. */
export const MSG_PEEK = 0x2;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
export const MSG_ERRQUEUE = 0x2000;

/** setsockopt levels and names used here. */
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_BROADCAST = 6;
export const SO_REUSEPORT = 15;
export const SO_BINDTODEVICE = 25;
export const SOL_IP = 0;
export const IP_TTL = 2;
export const IP_MTU_DISCOVER = 10;
export const IP_RECVERR = 11;
/** IP_MTU_DISCOVER's values: whether DF is set and a packet too big for the path MTU refused. */
export const IP_PMTUDISC_DONT = 0;
export const IP_PMTUDISC_WANT = 1;
export const IP_PMTUDISC_DO = 2;
export const IP_PMTUDISC_PROBE = 3;
export const IP_PMTUDISC_OMIT = 5;
export const SOL_RAW = 255;
/** SOL_RAW: the ICMP types a raw ICMP socket does not want (struct icmp_filter). */
export const ICMP_FILTER = 1;

/** sock_extended_err's origin (include/uapi/linux/errqueue.h). */
export const SO_EE_ORIGIN_LOCAL = 1;
export const SO_EE_ORIGIN_ICMP = 2;

/**
 * What recvmsg(MSG_ERRQUEUE) reports of a queued error (struct
 * sock_extended_err, with SO_EE_OFFENDER: the address that sent the ICMP error).
 */
export interface SockExtendedErr {
  errno: number;
  origin: number;
  type: number;
  code: number;
  /** ee_info: a "fragmentation needed"'s MTU. */
  info: number;
  offender: number;
}

/** sk_userlocks: the program chose these itself. */
export const SOCK_BINDADDR_LOCK = 4;
export const SOCK_BINDPORT_LOCK = 8;

/**
 * `struct sock` with its `inet_sock` part: what every IPv4 transport
 * protocol's socket has. A protocol keeps its own state in `proto` (a
 * tcp_sock's sequence numbers, say), as plain data.
 */
export interface Sock {
  id: number;
  netUid: number;
  /** sk_family */
  family: number;
  /** sk_type */
  type: number;
  /** sk_protocol */
  protocol: number;
  /** sk_prot->name: the `struct proto` that runs this socket ('UDP', 'TCP'); see net/core/sock.ts proto_register. */
  prot: string;
  /** sk_state (TCP_*). */
  state: number;
  /** inet_rcv_saddr: the bound local address (0: any). */
  rcvSaddr: number;
  /** inet_saddr: the source address it sends from. */
  saddr: number;
  /** inet_num: the local port, host order (0: not bound yet). */
  num: number;
  /** inet_daddr, inet_dport: the peer once connected. */
  daddr: number;
  dport: number;
  /** sk_bound_dev_if */
  boundDevIf: number;
  /** sk_reuse (SO_REUSEADDR), sk_reuseport */
  reuse: boolean;
  reuseport: boolean;
  /** SO_BROADCAST */
  broadcast: boolean;
  /** sk_userlocks */
  userlocks: number;
  /** sk_err: a pending error, reported once (sock_error). */
  err: number;
  /** sk_err_soft */
  errSoft: number;
  /** sk_shutdown */
  shutdown: number;
  /** inet->recverr (IP_RECVERR) */
  recverr: boolean;
  /** inet->pmtudisc (IP_MTU_DISCOVER): IP_PMTUDISC_WANT unless set. */
  pmtudisc: number;
  /** inet->uc_ttl: -1 for the namespace's default. */
  ttl: number;
  /** sk_receive_queue */
  receiveQueue: SkBuff[];
  /** sk_error_queue: ICMP errors kept for the socket (ip_icmp_error). */
  errorQueue: SkBuff[];
  /** sk_rmem_alloc: bytes of the receive queue's buffers (their truesize). */
  rmemAlloc: number;
  /** sk_rcvbuf, sk_sndbuf */
  rcvbuf: number;
  sndbuf: number;
  /** sk_wmem_queued: bytes queued to send (TCP's write queue). */
  wmemQueued: number;
  /** sk_dst_cache: the route a connected socket keeps. */
  dst: Rtable | null;
  /** sk_wq: the processes sleeping on it (in recvmsg, accept, poll). */
  wq: WaitQueue;
  /** SOCK_DEAD: the file is closed; the protocol may still hold it (TCP's FIN_WAIT). */
  dead: boolean;
  /** The protocol's own part of the socket (tcp_sock, udp_sock), plain data. */
  proto: Record<string, unknown>;
}

/** `struct raw_sock`: a raw socket, with the ICMP types it filters out. */
export interface RawSock extends Sock {
  /** ICMP_FILTER: bit N set means type N is not delivered to the socket. */
  icmpFilter: number;
}

/** `struct socket`: what a file descriptor refers to; `ops` names its proto_ops (see net/socket.ts). */
export interface Socket {
  state: number;
  type: number;
  /** The proto_ops table's name: 'inet_dgram_ops', 'inet_stream_ops'. */
  ops: string;
  sk: Sock;
  /** O_NONBLOCK on its file (SOCK_NONBLOCK, fcntl). */
  nonblock: boolean;
}

/** The names iproute2's ss gives the states (sstate_name): TCP_CLOSE is UNCONN. */
const SS_STATE_NAMES = [
  'UNKNOWN',
  'ESTAB',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'UNCONN',
  'CLOSE-WAIT',
  'LAST-ACK',
  'LISTEN',
  'CLOSING',
  'NEW-SYN-RECV',
];

export function ssStateName(state: number): string {
  return SS_STATE_NAMES[state] ?? 'UNKNOWN';
}
