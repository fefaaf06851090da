// Generic socket code (net/core/sock.c): allocating a `struct sock`, its
// default callbacks (sk_data_ready, sk_error_report, sk_state_change), the
// cached route of a connected socket, and the registry of transport
// protocols (`struct proto`) that sockets are run by.
import type { World } from '../../kernel/world.ts';
import { newUid } from '../../kernel/world.ts';
import type { WaitQueue } from '../../include/sched.ts';
import type { Sock, SockExtendedErr } from '../../include/sock.ts';
import { IP_PMTUDISC_WANT, TCP_CLOSE } from '../../include/sock.ts';
import type { Rtable } from '../../include/route.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import type { Net } from '../../include/net.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { local_bh_disable, local_bh_enable } from '../../kernel/softirq.ts';
import { wake_up_interruptible } from '../../kernel/sched.ts';

const F_sock_def_readable = kfn(
  'sock_def_readable',
  'net/core/sock.c',
  'sk_data_ready: data was queued on the socket, so every process sleeping on its wait queue (in recvmsg or poll) is woken.',
);
const F_sock_def_error_report = kfn(
  'sock_def_error_report',
  'net/core/sock.c',
  'sk_error_report: the socket has a pending error (sk_err, an ICMP error about what it sent, say): every process sleeping on it is woken, and poll() reports EPOLLERR.',
);
const F_sock_def_wakeup = kfn(
  'sock_def_wakeup',
  'net/core/sock.c',
  "sk_state_change: the socket's state changed (connected, shut down, closed): every process sleeping on it is woken to look again.",
);
const F_sk_alloc = kfn(
  'sk_alloc',
  'net/core/sock.c',
  'Allocates the struct sock of a new socket, with its protocol (sk_prot), its namespace and empty queues.',
);

/** sk->sk_data_ready = sock_def_readable */
export function sk_data_ready(w: World, sk: { wq: WaitQueue }): void {
  enter(w, F_sock_def_readable);
  try {
    wake_up_interruptible(w, sk.wq);
  } finally {
    leave(w);
  }
}

/** sk->sk_error_report = sock_def_error_report */
export function sk_error_report(w: World, sk: Sock): void {
  enter(w, F_sock_def_error_report);
  try {
    wake_up_interruptible(w, sk.wq);
  } finally {
    leave(w);
  }
}

/** sk->sk_state_change = sock_def_wakeup */
export function sk_state_change(w: World, sk: Sock): void {
  enter(w, F_sock_def_wakeup);
  try {
    wake_up_interruptible(w, sk.wq);
  } finally {
    leave(w);
  }
}

/** How the skb log and the Topology name a socket: by its protocol ('UDP', 'TCP'), a raw socket as 'raw'. */
export function sockNoteName(sk: Sock): string {
  return sk.prot === 'RAW' ? 'raw' : sk.prot;
}

/** sock_error: the pending error, returned once (negative errno), then cleared. */
export function sock_error(sk: Sock): number {
  const err = sk.err;
  sk.err = 0;
  return -err;
}

/** net.core.rmem_default, wmem_default: a new socket's buffer sizes. */
export const SK_RMEM_DEFAULT = 212992;
export const SK_WMEM_DEFAULT = 212992;

/**
 * sk_alloc + sock_init_data: a fresh socket of protocol `prot` in `net`,
 * unbound, unconnected, in state TCP_CLOSE.
 */
export function sk_alloc(w: World, net: Net, family: number, type: number, protocol: number, prot: string): Sock {
  enter(w, F_sk_alloc);
  try {
    return {
      id: newUid(w),
      netUid: net.uid,
      family,
      type,
      protocol,
      prot,
      state: TCP_CLOSE,
      rcvSaddr: 0,
      saddr: 0,
      num: 0,
      daddr: 0,
      dport: 0,
      boundDevIf: 0,
      reuse: false,
      reuseport: false,
      broadcast: false,
      userlocks: 0,
      err: 0,
      errSoft: 0,
      shutdown: 0,
      recverr: false,
      pmtudisc: IP_PMTUDISC_WANT,
      ttl: -1,
      receiveQueue: [],
      errorQueue: [],
      rmemAlloc: 0,
      rcvbuf: SK_RMEM_DEFAULT,
      sndbuf: SK_WMEM_DEFAULT,
      wmemQueued: 0,
      dst: null,
      wq: [],
      dead: false,
      proto: {},
    };
  } finally {
    leave(w);
  }
}

/** sk_dst_set: a connected socket keeps its route (sk_dst_cache). */
export function sk_dst_set(sk: Sock, dst: Rtable | null): void {
  sk.dst = dst;
}

/** sk_dst_reset */
export function sk_dst_reset(sk: Sock): void {
  sk.dst = null;
}

/**
 * sk_dst_check: the cached route if still valid. Routes here are never made
 * obsolete (no route cache flush is modelled), so a cached one stays valid.
 */
export function sk_dst_check(sk: Sock): Rtable | null {
  return sk.dst;
}

/** SKB_TRUESIZE: what a buffer costs its socket, the data area plus the sk_buff and skb_shared_info structs. */
export function skbTruesize(skb: SkBuff): number {
  return skb.end + 256 + 320;
}

/** sock_writeable: less than half the send buffer is in use. */
export function sock_writeable(sk: Sock): boolean {
  return sk.wmemQueued < sk.sndbuf >> 1;
}

/**
 * `struct proto`: what a transport protocol does for its sockets. Each
 * protocol registers one (proto_register) and a socket names it in sk.prot;
 * calls go through it, as sk->sk_prot->... does.
 */
export interface Proto {
  name: string;
  /** Called by inet_release: the file is closed (`timeout` is SO_LINGER's, ns). */
  close(w: World, sk: Sock, timeout: number): void;
  /** connect() (the address already checked by the proto_ops); 0 or -errno. */
  connect(w: World, sk: Sock, daddr: number, dport: number): number;
  /** connect(AF_UNSPEC) and shutdown of a connecting socket. */
  disconnect(w: World, sk: Sock, flags: number): number;
  /** Sends `data` (to `dest` when given); returns the bytes sent or -errno. */
  sendmsg(w: World, sk: Sock, msg: Msghdr): number;
  /** Reads into `msg`; returns the bytes read or -errno (-EAGAIN when nothing is there). */
  recvmsg(w: World, sk: Sock, msg: Msghdr, flags: number): number;
  /** The protocol's own bind (raw_bind), used by inet_bind instead of its own. */
  bind?(w: World, sk: Sock, addr: number): number;
  /** Hashes a socket that has its number from the start (a raw socket's protocol, inet_create). */
  hash?(w: World, sk: Sock): void;
  /** setsockopt below SOL_SOCKET (raw_setsockopt, udp_setsockopt): 0 or -errno. */
  setsockopt?(w: World, sk: Sock, level: number, optname: number, value: number): number;
  /** Binds `snum` (0: pick an ephemeral port) and hashes the socket; 0, or -EADDRINUSE. */
  get_port(w: World, sk: Sock, snum: number): number;
  /** Takes the socket out of the protocol's lookup tables. */
  unhash(w: World, sk: Sock): void;
  /** inet_shutdown calls it after setting sk_shutdown (TCP sends its FIN). */
  shutdown?(w: World, sk: Sock, how: number): void;
  /** The namespace's sockets of this protocol, in the order ss lists them. */
  sockets(net: Net): Sock[];
  /** sk_prot->init: the protocol's own part of a new socket (tcp_v4_init_sock). */
  init?(w: World, sk: Sock): void;
}

/** A message for sendmsg/recvmsg: the data and the peer's address. */
export interface Msghdr {
  /** msg_name: the destination (sendto) or, after recvmsg, the source. */
  name: { addr: number; port: number } | null;
  /** The data sent, or after recvmsg the data read. */
  data: Uint8Array;
  /** recvmsg: how many bytes the program's buffer holds. */
  size: number;
  /** recvmsg(MSG_ERRQUEUE): the error's sock_extended_err (its control message). */
  ee?: SockExtendedErr;
  /** recvmsg: MSG_TRUNC when the buffer was too small, MSG_ERRQUEUE for an error. */
  flags?: number;
}

const protos = new Map<string, Proto>();

/** proto_register */
export function proto_register(prot: Proto): void {
  protos.set(prot.name, prot);
}

/** sk->sk_prot */
export function sk_prot(sk: Sock): Proto {
  const p = protos.get(sk.prot);
  if (!p) throw new Error(`internal: no protocol "${sk.prot}" registered`);
  return p;
}

/** Every registered protocol (for listings such as ss). */
export function proto_list(): Proto[] {
  return [...protos.values()];
}

const F_lock_sock = kfn(
  'lock_sock_nested',
  'net/core/sock.c',
  'A process takes the socket lock: from now until release_sock, packets softirq brings for this socket wait in its backlog.',
);
const F_release_sock = kfn(
  'release_sock',
  'net/core/sock.c',
  "The process lets go of the socket: first the packets that came in meanwhile are processed from the backlog (__release_sock), in the process's own context, then the protocol's deferred work runs (tcp_release_cb).",
);

/** What lock_sock and release_sock need of a socket. */
export interface LockableSock {
  owned: boolean;
  backlog: SkBuff[];
}

/** lock_sock */
export function lock_sock(w: World, sk: LockableSock): void {
  enter(w, F_lock_sock);
  sk.owned = true;
  leave(w);
}

/**
 * release_sock: the backlog is processed by `backlogRcv` (sk_backlog_rcv),
 * packets that arrive while it runs included, then `releaseCb` (the
 * protocol's release_cb) runs before the lock is dropped.
 */
export function release_sock<S extends LockableSock>(
  w: World,
  sk: S,
  backlogRcv: (w: World, sk: S, skb: SkBuff) => void,
  releaseCb?: (w: World, sk: S) => void,
): void {
  enter(w, F_release_sock);
  try {
    while (sk.backlog.length) {
      const list = sk.backlog.splice(0);
      for (const skb of list) backlogRcv(w, sk, skb);
    }
    // The protocol's deferred work runs under the socket's spinlock, with
    // bottom halves off: what it sends is received (NET_RX) only once the
    // lock is dropped, after the socket is no longer owned.
    local_bh_disable(w);
    releaseCb?.(w, sk);
    sk.owned = false;
    local_bh_enable(w);
  } finally {
    leave(w);
  }
}
