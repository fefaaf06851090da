// TCP's socket calls and state (net/ipv4/tcp.c): creating a socket, the state
// machine's transitions (each one the inet_sock_set_state tracepoint),
// sending, receiving, shutdown and close.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { skbLen } from '../../include/skbuff.ts';
import type { TcpSock } from '../../include/tcp.ts';
import {
  RCV_SHUTDOWN,
  SEND_SHUTDOWN,
  TCP_CLOSE,
  TCP_CLOSE_WAIT,
  TCP_ESTABLISHED,
  TCP_CLOSING,
  TCP_FIN_WAIT1,
  TCP_FIN_WAIT2,
  TCP_LAST_ACK,
  TCP_LISTEN,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  TCPHDR_FIN,
} from '../../include/tcp.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { JIFFY_NS } from '../../kernel/timer.ts';
import { trace_inet_sock_set_state } from '../../trace/tracepoints.ts';
import { __kfree_skb, kfree_skb_reason } from '../core/skbuff.ts';
import { SKB_DEQUEUE_SOCKET } from '../../trace/skblog.ts';
import { lock_sock, release_sock, sk_alloc, sk_state_change } from '../core/sock.ts';
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLRDNORM, EPOLLWRNORM } from '../../include/sock.ts';
import { tcp_v4_do_rcv } from './tcp_ipv4.ts';
import { tcp_cleanup_rbuf } from './tcp_input.ts';
import { tcp_queue_data, tcp_release_cb, tcp_send_active_reset, tcp_send_fin, tcp_write_xmit } from './tcp_output.ts';
import { netByUid } from '../core/net_namespace.ts';
import type { Sock } from '../../include/sock.ts';
import { AF_INET, IPPROTO_TCP, SOCK_BINDPORT_LOCK, SOCK_STREAM } from '../../include/sock.ts';
import { EPIPE, ENOTCONN } from '../../include/errno.ts';
import { inet_csk_listen_stop, inet_put_port } from './inet_connection_sock.ts';

const F_tcp_set_state = kfn(
  'tcp_set_state',
  'net/ipv4/tcp.c',
  "Moves the socket to a new TCP state; the sock:inet_sock_set_state tracepoint records the transition with the socket's addresses. Entering CLOSE unhashes it.",
);
const F_tcp_done = kfn(
  'tcp_done',
  'net/ipv4/tcp.c',
  'The connection is over: the socket goes to CLOSE, its timers stop, both directions are shut, and whoever sleeps on it is woken.',
);
const F_tcp_sendmsg = kfn(
  'tcp_sendmsg_locked',
  'net/ipv4/tcp.c',
  'write() on a connected socket: the data is cut into segments of at most one MSS at the tail of the write queue, and tcp_push sends what the windows allow. Returns the bytes taken.',
  'errno',
);
const F_tcp_recvmsg = kfn(
  'tcp_recvmsg_locked',
  'net/ipv4/tcp.c',
  "read() on a connected socket: copies in-order data off the receive queue (each skb freed, without a tracepoint, once read), and may send a window update. Returns the bytes copied, 0 at the peer's FIN.",
  'errno',
);
const F_tcp_shutdown = kfn(
  'tcp_shutdown',
  'net/ipv4/tcp.c',
  'shutdown(SHUT_WR): no more data from us; the state moves on (ESTABLISHED to FIN_WAIT1, CLOSE_WAIT to LAST_ACK) and a FIN is sent.',
);
const F_tcp_close = kfn(
  '__tcp_close',
  'net/ipv4/tcp.c',
  'close(): unread data is thrown away (then the peer gets a reset), otherwise the state moves on and a FIN is sent; the socket is orphaned and the kernel finishes the connection alone.',
);

/** TCP_ATO_MIN, TCP_DELACK_MIN (HZ/25) and TCP_DELACK_MAX (HZ/5). */
export const TCP_ATO_MIN = 40e6;
export const TCP_DELACK_MAX = 200e6;
export const TCP_RTO_MAX = 120e9;

/** When a timer set `delay` ns from `now` runs: on the tick `delay` rounds up to, never the current one. */
export function jiffiesTimeout(delay: number, now = 0): number {
  const tick = Math.floor(now / JIFFY_NS);
  return (tick + Math.max(1, Math.ceil(delay / JIFFY_NS))) * JIFFY_NS;
}

/** tcp_clock_ms */
export function tcp_clock_ms(w: World): number {
  return Math.floor(w.now / 1e6);
}

/** Sequence-space comparisons (before()/after() of include/net/tcp.h). */
export function before(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function after(a: number, b: number): boolean {
  return before(b, a);
}

/** Finds a TCP socket by id in any namespace (a timer names its socket by id). */
export function tcpSockByUid(w: World, id: number): TcpSock | undefined {
  for (const net of w.nets) {
    for (const sk of net.tcp.listening) {
      if (sk.id === id) return sk;
      for (const c of sk.acceptQueue) if (c.id === id) return c;
    }
    for (const sk of net.tcp.established) if (sk.id === id && 'wq' in sk) return sk;
    for (const sk of net.tcp.orphans) if (sk.id === id) return sk;
  }
  return undefined;
}

/**
 * tcp_v4_init_sock (tcp_init_sock): TCP's part of a new socket, in CLOSE,
 * with the namespace's buffer sizes (tcp_rmem[1], tcp_wmem[1]).
 */
export function tcp_v4_init_sock(w: World, sock: Sock): TcpSock {
  const net = netByUid(w, sock.netUid);
  const tcp = {
    owned: false,
    backlog: [],
    done: false,
    sndbuf: net.tcpSysctl.wmem[1],
    rcvbuf: net.tcpSysctl.rmem[1],
    rxDst: null,
    rxDstIfindex: 0,
    inetId: 0,
    writeSeq: 0,
    sndUna: 0,
    sndSml: 0,
    sndNxt: 0,
    sndWnd: 0,
    sndWl1: 0,
    maxWindow: 0,
    pmtuCookie: 0,
    mtuInfo: 0,
    gsoSegs: 0,
    rcvNxt: 0,
    copiedSeq: 0,
    rcvWup: 0,
    rcvWnd: 0,
    rcvSsthresh: 0,
    windowClamp: 0,
    scalingRatio: 128,
    advmss: 536,
    mssCache: 536,
    rxOpt: {
      mssClamp: 536,
      sackOk: false,
      tstampOk: false,
      wscaleOk: false,
      sndWscale: 0,
      rcvWscale: 0,
      sawTstamp: false,
      rcvTsval: 0,
      rcvTsecr: 0,
      tsRecent: 0,
      tsRecentStamp: 0,
    },
    tsOffset: 0,
    tcpHeaderLen: 20,
    srttUs: 0,
    sndCwnd: 10,
    writeQueue: [],
    rtxQueue: [],
    finQueued: false,
    ack: { pending: 0, quick: 0, pingpong: false, ato: 0, timeout: 0, rcvMss: 536, lrcvtime: 0 },
    rto: 1e9,
    retransmits: 0,
    backoff: 0,
    retransStamp: 0,
    rtxTimerGen: 0,
    rtxTimerAt: 0,
    delackTimerGen: 0,
    deferred: 0,
    maxAckBacklog: 0,
    acceptQueue: [],
    synQueue: [],
    parent: null,
    queued: false,
  };
  return Object.assign(sock, tcp) as TcpSock;
}

/** sk_alloc + tcp_v4_init_sock: a TCP socket of `net` (a listener's child starts as one). */
export function tcp_init_sock(w: World, net: Net): TcpSock {
  return tcp_v4_init_sock(w, sk_alloc(w, net, AF_INET, SOCK_STREAM, IPPROTO_TCP, 'TCP'));
}

function unhash(net: Net, sk: TcpSock): void {
  net.tcp.established = net.tcp.established.filter((s) => s !== sk);
  net.tcp.listening = net.tcp.listening.filter((s) => s !== sk);
}

/** tcp_set_state */
export function tcp_set_state(w: World, sk: TcpSock, state: number): void {
  enter(w, F_tcp_set_state);
  try {
    const old = sk.state;
    // Listeners' own transitions happen with no peer; the recorder keeps the others.
    trace_inet_sock_set_state(w, sk.netUid, sockEndpoints(sk), old, state);
    sk.state = state;
    if (state === TCP_CLOSE) {
      const net = w.nets.find((n) => n.uid === sk.netUid)!;
      unhash(net, sk);
      // A port the program did not bind explicitly is let go of here (inet_put_port).
      if (!(sk.userlocks & SOCK_BINDPORT_LOCK)) inet_put_port(net, sk);
      if (!net.tcp.orphans.includes(sk) && sk.dead) net.tcp.orphans.push(sk);
    }
  } finally {
    leave(w);
  }
}

/** tcp_done */
export function tcp_done(w: World, sk: TcpSock): void {
  enter(w, F_tcp_done);
  try {
    tcp_set_state(w, sk, TCP_CLOSE);
    sk.rtxTimerGen++;
    sk.rtxTimerAt = 0;
    sk.delackTimerGen++;
    sk.ack.pending = 0;
    sk.shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
    if (!sk.dead) sk_state_change(w, sk);
    else inet_csk_destroy_sock(w, sk);
  } finally {
    leave(w);
  }
}

/** tcp_done_with_error: a reset or a timeout ends the connection with `err`. */
export function tcp_done_with_error(w: World, sk: TcpSock, err: number): void {
  sk.err = err;
  tcp_write_queue_purge(w, sk);
  tcp_done(w, sk);
}

/** tcp_write_queue_purge: what was written and not yet acknowledged is dropped (no tracepoint). */
export function tcp_write_queue_purge(w: World, sk: TcpSock): void {
  for (const skb of [...sk.writeQueue.splice(0), ...sk.rtxQueue.splice(0)]) __kfree_skb(w, skb);
}

/** inet_csk_destroy_sock: an orphan that reached CLOSE is gone, with whatever it still held. */
export function inet_csk_destroy_sock(w: World, sk: TcpSock): void {
  const net = w.nets.find((n) => n.uid === sk.netUid)!;
  net.tcp.orphans = net.tcp.orphans.filter((s) => s !== sk);
  inet_put_port(net, sk);
  tcp_write_queue_purge(w, sk);
  // sk_stream_kill_queues: what nobody will read now is dropped, with a tracepoint.
  for (const skb of sk.receiveQueue.splice(0)) kfree_skb_reason(w, skb, 'QUEUE_PURGE', 'sk_stream_kill_queues');
  sk.rmemAlloc = 0;
  // inet_sock_destruct: ICMP errors nobody read (skb_queue_purge_reason).
  for (const skb of sk.errorQueue.splice(0)) kfree_skb_reason(w, skb, 'QUEUE_PURGE', 'skb_queue_purge_reason');
}

/** TCP_TIMEWAIT_LEN: how long the four addresses stay reserved after the connection ends. */
export const TCP_TIMEWAIT_LEN = 60e9;

/**
 * tcp_time_wait(sk, TCP_TIME_WAIT, 0): a small timewait sock keeps the four
 * addresses for a minute (its own state is not traced) and the full socket is done.
 */
export function tcp_time_wait_enter(w: World, sk: TcpSock): void {
  const net = w.nets.find((n) => n.uid === sk.netUid)!;
  net.tcp.timeWait = net.tcp.timeWait.filter((t) => t.until > w.now);
  net.tcp.timeWait.push({ saddr: sk.saddr, sport: sk.num, daddr: sk.daddr, dport: sk.dport, until: w.now + TCP_TIMEWAIT_LEN });
  tcp_done(w, sk);
}

/** What a reader would get now: data, the FIN (EOF), or an error. */
export function tcp_readable(sk: TcpSock): boolean {
  return sk.receiveQueue.length > 0 || sk.done || sk.err !== 0 || (sk.shutdown & RCV_SHUTDOWN) !== 0;
}

/**
 * tcp_recvmsg: copies up to `max` bytes of in-order data into `out`.
 * Returns the bytes copied (0 at end of stream), a negative errno, or
 * -EAGAIN when nothing is there yet. `cleanupRbuf` is tcp_cleanup_rbuf.
 */
export function tcp_recvmsg_locked(
  w: World,
  sk: TcpSock,
  max: number,
  out: number[],
  cleanupRbuf: (w: World, sk: TcpSock, copied: number) => void,
): number {
  enter(w, F_tcp_recvmsg, sk.receiveQueue[0] ?? null, null);
  try {
    let copied = 0;
    let fin = false;
    while (sk.receiveQueue.length && copied < max) {
      const skb = sk.receiveQueue[0];
      const cb = skb.tcpCb!;
      const offset = (sk.copiedSeq - cb.seq) >>> 0;
      const avail = skbLen(skb) - (cb.payload - skb.data) - offset;
      if (avail > 0) {
        const n = Math.min(avail, max - copied);
        for (let i = 0; i < n; i++) out.push(skb.head[cb.payload + offset + i]);
        sk.copiedSeq = (sk.copiedSeq + n) >>> 0;
        copied += n;
        if (n < avail) break;
      }
      if (cb.flags & TCPHDR_FIN) {
        fin = true;
        sk.copiedSeq = (sk.copiedSeq + 1) >>> 0;
      }
      sk.receiveQueue.shift();
      w.rec.skbNote(SKB_DEQUEUE_SOCKET, skb.id, sk.id, sk.prot);
      sk.rmemAlloc = Math.max(0, sk.rmemAlloc - skbTruesize(skb));
      __kfree_skb(w, skb);
      if (fin) break;
    }
    cleanupRbuf(w, sk, copied);
    if (copied) return ret(w, copied);
    if (fin || sk.done || sk.shutdown & RCV_SHUTDOWN) return ret(w, 0);
    if (sk.err) {
      const e = sk.err;
      sk.err = 0;
      return ret(w, -e);
    }
    if (sk.state === TCP_CLOSE) return ret(w, -ENOTCONN);
    return ret(w, -11);
  } finally {
    leave(w);
  }
}

/** The memory an skb charges to the receive buffer (skb->truesize). */
export function skbTruesize(skb: SkBuff): number {
  return skb.truesize ?? skb.end + 256 + 64;
}

/**
 * tcp_sendmsg_locked's part: queue `data` and push it. `queue` and `push` are
 * tcp_output's (passed to keep the call graph one-way).
 */
export function tcp_sendmsg_locked(
  w: World,
  sk: TcpSock,
  data: Uint8Array,
  queue: (w: World, sk: TcpSock, data: Uint8Array) => void,
  push: (w: World, sk: TcpSock) => void,
): number {
  enter(w, F_tcp_sendmsg);
  try {
    if (sk.err) {
      const e = sk.err;
      sk.err = 0;
      return ret(w, -e);
    }
    if (sk.shutdown & SEND_SHUTDOWN) return ret(w, -EPIPE);
    if (sk.state !== TCP_ESTABLISHED && sk.state !== TCP_CLOSE_WAIT) return ret(w, -EPIPE);
    queue(w, sk, data);
    push(w, sk);
    return ret(w, data.length);
  } finally {
    leave(w);
  }
}

/**
 * tcp_disconnect: the connection is dropped where it stands; a peer that
 * believes it connected is told with a reset. `orphan`: nobody holds the
 * socket any more (a child its listener never handed out), so it is freed.
 */
export function tcp_disconnect(w: World, sk: TcpSock, sendReset: (w: World, sk: TcpSock) => void, orphan = false): number {
  const old = sk.state;
  if (old !== TCP_CLOSE) tcp_set_state(w, sk, TCP_CLOSE);
  // tcp_need_reset, or unsent data in CLOSING/LAST_ACK.
  const needReset = [TCP_ESTABLISHED, TCP_CLOSE_WAIT, TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_SYN_RECV].includes(old);
  if (needReset || (sk.sndNxt !== sk.writeSeq && (old === TCP_CLOSING || old === TCP_LAST_ACK))) sendReset(w, sk);
  tcp_write_queue_purge(w, sk);
  for (const skb of sk.receiveQueue.splice(0)) __kfree_skb(w, skb);
  sk.rmemAlloc = 0;
  sk.rtxTimerGen++;
  sk.delackTimerGen++;
  sk.ack.pending = 0;
  sk.shutdown = 0;
  sk.done = false;
  sk.daddr = 0;
  sk.dport = 0;
  if (orphan) {
    sk.dead = true;
    inet_csk_destroy_sock(w, sk);
  }
  return 0;
}

/** tcp_close_state: where a close or shutdown moves the state, and whether a FIN goes out. */
export function tcp_close_state(w: World, sk: TcpSock): boolean {
  const next: Record<number, number> = {
    [TCP_ESTABLISHED]: TCP_FIN_WAIT1,
    [TCP_SYN_RECV]: TCP_FIN_WAIT1,
    [TCP_CLOSE_WAIT]: TCP_LAST_ACK,
  };
  const ns = next[sk.state];
  if (ns === undefined) return false;
  tcp_set_state(w, sk, ns);
  return true;
}

/** tcp_shutdown(SEND_SHUTDOWN) */
export function tcp_shutdown(w: World, sk: TcpSock, sendFin: (w: World, sk: TcpSock) => void): void {
  enter(w, F_tcp_shutdown);
  try {
    sk.shutdown |= SEND_SHUTDOWN;
    if (tcp_close_state(w, sk)) sendFin(w, sk);
  } finally {
    leave(w);
  }
}

/**
 * __tcp_close: `sendFin` and `sendReset` are tcp_output's. A socket closed
 * with unread data resets the connection (RFC 2525).
 */
export function __tcp_close(
  w: World,
  sk: TcpSock,
  sendFin: (w: World, sk: TcpSock) => void,
  sendReset: (w: World, sk: TcpSock) => void,
): void {
  enter(w, F_tcp_close);
  try {
    sk.shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
    if (sk.state === TCP_LISTEN) {
      tcp_set_state(w, sk, TCP_CLOSE);
      const net = w.nets.find((n) => n.uid === sk.netUid)!;
      inet_csk_listen_stop(w, net, sk, (ww, child) => tcp_disconnect(ww, child, sendReset, true));
      return;
    }
    let unread = 0;
    for (const skb of sk.receiveQueue.splice(0)) {
      const cb = skb.tcpCb!;
      unread += (cb.endSeq - cb.seq - (cb.flags & TCPHDR_FIN ? 1 : 0)) >>> 0;
      __kfree_skb(w, skb);
    }
    sk.rmemAlloc = 0;
    if (sk.state === TCP_CLOSE) {
      sk.dead = true;
      inet_csk_destroy_sock(w, sk);
      return;
    }
    sk.dead = true;
    const net = w.nets.find((n) => n.uid === sk.netUid)!;
    net.tcp.orphans.push(sk);
    if (unread > 0 && sk.state !== TCP_SYN_SENT) {
      sendReset(w, sk);
      tcp_set_state(w, sk, TCP_CLOSE);
      inet_csk_destroy_sock(w, sk);
    } else if (sk.state === TCP_SYN_SENT) {
      tcp_set_state(w, sk, TCP_CLOSE);
      inet_csk_destroy_sock(w, sk);
    } else if (tcp_close_state(w, sk)) sendFin(w, sk);
  } finally {
    leave(w);
  }
}

/** The addresses a TCP tracepoint prints for a socket: its own first. */
export function sockEndpoints(sk: TcpSock): { saddr: number; sport: number; daddr: number; dport: number } {
  return { saddr: sk.saddr, sport: sk.num, daddr: sk.daddr, dport: sk.dport };
}

/** lock_sock for a TCP socket. */
export function tcp_lock(w: World, sk: TcpSock): void {
  lock_sock(w, sk);
}

/** release_sock for a TCP socket: its backlog goes through tcp_v4_do_rcv, then tcp_release_cb. */
export function tcp_release(w: World, sk: TcpSock): void {
  release_sock(w, sk, tcp_v4_do_rcv, tcp_release_cb);
}

/** tcp_sendmsg: the data is queued and pushed with the socket locked. */
export function tcp_sendmsg(w: World, sk: TcpSock, data: Uint8Array): number {
  tcp_lock(w, sk);
  const n = tcp_sendmsg_locked(w, sk, data, tcp_queue_data, (ww, s) => void tcp_write_xmit(ww, s, false));
  tcp_release(w, sk);
  return n;
}

/** tcp_recvmsg: the bytes read into `out`, 0 at end of stream, -EAGAIN, or -errno. */
export function tcp_recvmsg(w: World, sk: TcpSock, max: number, out: number[]): number {
  tcp_lock(w, sk);
  const n = tcp_recvmsg_locked(w, sk, max, out, tcp_cleanup_rbuf);
  tcp_release(w, sk);
  return n;
}

/** tcp_close: __tcp_close with the socket locked. */
export function tcp_close(w: World, sk: TcpSock): void {
  tcp_lock(w, sk);
  __tcp_close(w, sk, tcp_send_fin, tcp_send_active_reset);
  tcp_release(w, sk);
}

/** tcp_shutdown for inet_shutdown (which holds the lock there): a FIN when the sending side closes. */
export function tcp_shutdown_sock(w: World, sk: TcpSock, how: number): void {
  if (!(how & SEND_SHUTDOWN)) return;
  tcp_lock(w, sk);
  if (sk.state === TCP_ESTABLISHED || sk.state === TCP_CLOSE_WAIT || sk.state === TCP_SYN_RECV || sk.state === TCP_SYN_SENT)
    tcp_shutdown(w, sk, tcp_send_fin);
  tcp_release(w, sk);
}

/** tcp_poll */
export function tcp_poll(sk: TcpSock): number {
  if (sk.state === TCP_LISTEN) return sk.acceptQueue.length ? EPOLLIN | EPOLLRDNORM : 0;
  let mask = 0;
  if (sk.shutdown === (RCV_SHUTDOWN | SEND_SHUTDOWN) || sk.state === TCP_CLOSE) mask |= EPOLLHUP;
  if (sk.shutdown & RCV_SHUTDOWN) mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
  if (sk.state !== TCP_SYN_SENT && sk.state !== TCP_SYN_RECV) {
    if (sk.receiveQueue.length) mask |= EPOLLIN | EPOLLRDNORM;
    mask |= EPOLLOUT | EPOLLWRNORM;
  }
  if (sk.err || sk.errorQueue.length) mask |= EPOLLERR;
  return mask;
}
