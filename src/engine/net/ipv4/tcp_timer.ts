// TCP's timers (net/ipv4/tcp_timer.c, inet_connection_sock.c): the
// retransmit timer (a lost SYN, FIN or data) and the delayed-ACK timer, run
// through timer_setup like every timer of the machine.
import type { World } from '../../kernel/world.ts';
import type { TcpSock } from '../../include/tcp.ts';
import { ICSK_ACK_TIMER, TCP_CLOSE, TCP_LISTEN, TCP_SYN_SENT } from '../../include/tcp.ts';
import { timer_setup } from '../../kernel/sched.ts';
import { mod_timer } from '../../kernel/timer.ts';
import { runInTimerSoftirq } from '../../kernel/softirq.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { tcp_clock_ms, tcpSockByUid, TCP_ATO_MIN, TCP_RTO_MAX, tcp_done_with_error } from './tcp.ts';
import { __tcp_retransmit_skb, tcp_send_ack, TCP_TIMEOUT_INIT } from './tcp_output.ts';
import { netByUid } from '../core/net_namespace.ts';
import { ETIMEDOUT } from '../../include/errno.ts';

export const ICSK_TIME_RETRANS = 1;
export const ICSK_TIME_DACK = 2;
/** TCP_RESOURCE_PROBE_INTERVAL (HZ/2): the retry after a retransmission failed for want of local resources. */
const TCP_RESOURCE_PROBE_INTERVAL = 500e6;
/** net.ipv4.tcp_retries2's default: how many timeouts an established connection survives. */
const TCP_RETRIES2 = 15;

const F_tcp_delack_timer = kfn(
  'tcp_delack_timer',
  'net/ipv4/tcp_timer.c',
  'The delayed ACK is due and nothing carried it: send it now. A socket that was ping-ponging leaves that mode (the reply it waited for did not come).',
);
const F_tcp_retransmit_timer = kfn(
  'tcp_retransmit_timer',
  'net/ipv4/tcp_timer.c',
  "No ACK came in time: the oldest unacknowledged segment is sent again (unless its last copy still waits in this host, in a neighbour's queue for ARP) and the timeout doubles, except for a SYN's first four retries (tcp_syn_linear_timeouts); after too many tries the connection fails with ETIMEDOUT.",
);

/** inet_csk_reset_xmit_timer */
export function inet_csk_reset_xmit_timer(w: World, sk: TcpSock, what: number, at: number): void {
  if (what === ICSK_TIME_DACK) {
    sk.delackTimerGen++;
    sk.ack.timeout = at;
    mod_timer(w, at, 'tcp_delack', sk.id, sk.delackTimerGen);
  } else {
    sk.rtxTimerGen++;
    sk.rtxTimerAt = at;
    mod_timer(w, at, 'tcp_retransmit', sk.id, sk.rtxTimerGen);
  }
}

/** inet_csk_clear_xmit_timer */
export function inet_csk_clear_xmit_timer(w: World, sk: TcpSock, what: number): void {
  void w;
  if (what === ICSK_TIME_DACK) {
    sk.ack.pending = 0;
    sk.delackTimerGen++;
    sk.ack.timeout = 0;
  } else {
    sk.rtxTimerGen++;
    sk.rtxTimerAt = 0;
  }
}

/** tcp_delack_timer_handler */
export function tcp_delack_timer(w: World, sk: TcpSock): void {
  enter(w, F_tcp_delack_timer);
  try {
    if (sk.state === TCP_CLOSE || sk.state === TCP_LISTEN || !(sk.ack.pending & ICSK_ACK_TIMER)) return;
    sk.ack.pending &= ~ICSK_ACK_TIMER;
    if (sk.ack.pending) {
      if (!sk.ack.pingpong) sk.ack.ato = Math.min(sk.ack.ato * 2, sk.rto);
      else {
        sk.ack.pingpong = false;
        sk.ack.ato = TCP_ATO_MIN;
      }
      tcp_send_ack(w, sk);
    }
  } finally {
    leave(w);
  }
}

/**
 * tcp_retransmit_timer: the head of the retransmit queue again. The timeout
 * doubles each time, except a SYN's first tcp_syn_linear_timeouts
 * retransmissions, which keep the initial second; tcp_write_timeout says when
 * to give up.
 * A retransmission that fails locally (> 0, a full queue) is tried again
 * after TCP_RESOURCE_PROBE_INTERVAL; one refused because its last copy is
 * still in the host (-EBUSY) counts as sent.
 */
export function tcp_retransmit_timer(w: World, sk: TcpSock): void {
  enter(w, F_tcp_retransmit_timer);
  try {
    const skb = sk.rtxQueue[0];
    if (!skb || sk.state === TCP_CLOSE) return;
    const sys = netByUid(w, sk.netUid).tcpSysctl;
    const synSent = sk.state === TCP_SYN_SENT;
    if (tcp_write_timeout(w, sk)) return;
    sk.retransmits++;
    if (__tcp_retransmit_skb(w, sk, skb) > 0) {
      inet_csk_reset_xmit_timer(w, sk, ICSK_TIME_RETRANS, w.now + TCP_RESOURCE_PROBE_INTERVAL);
      return;
    }
    sk.backoff++;
    if (!synSent || sk.backoff > sys.tcp_syn_linear_timeouts) sk.rto = Math.min(sk.rto * 2, TCP_RTO_MAX);
    inet_csk_reset_xmit_timer(w, sk, ICSK_TIME_RETRANS, w.now + sk.rto);
  } finally {
    leave(w);
  }
}

/**
 * tcp_model_timeout: how long `boundary` retransmissions take when the timeout
 * starts at `rtoBase` and doubles each time up to TCP_RTO_MAX, in ms.
 */
function tcp_model_timeout(boundary: number, rtoBase: number): number {
  const linearBackoffThresh = Math.floor(Math.log2(TCP_RTO_MAX / rtoBase));
  const timeout =
    boundary <= linearBackoffThresh
      ? (2 * 2 ** boundary - 1) * rtoBase
      : (2 * 2 ** linearBackoffThresh - 1) * rtoBase + (boundary - linearBackoffThresh) * TCP_RTO_MAX;
  return timeout / 1e6;
}

/**
 * tcp_write_timeout: has the connection tried long enough? A SYN gives up after
 * tcp_syn_retries + tcp_syn_linear_timeouts retransmissions, or once the time
 * tcp_syn_retries doubling timeouts from a second would take has passed since it
 * was first sent (retransmits_timed_out), whichever comes first. Not modelled:
 * the time limit of an established connection, which gives up after
 * tcp_retries2 retransmissions here.
 */
function tcp_write_timeout(w: World, sk: TcpSock): boolean {
  const sys = netByUid(w, sk.netUid).tcpSysctl;
  let expired: boolean;
  if (sk.state === TCP_SYN_SENT) {
    const retryUntil = sys.tcp_syn_retries;
    expired =
      sk.retransmits >= retryUntil + sys.tcp_syn_linear_timeouts ||
      (sk.retransmits > 0 && tcp_clock_ms(w) - sk.retransStamp >= tcp_model_timeout(retryUntil, TCP_TIMEOUT_INIT));
  } else expired = sk.retransmits >= TCP_RETRIES2;
  if (expired) tcp_done_with_error(w, sk, ETIMEDOUT);
  return expired;
}

/**
 * A timer that fires while a process holds the socket is deferred to
 * release_sock (TCP_DELACK_TIMER_DEFERRED, TCP_WRITE_TIMER_DEFERRED).
 */
function runOrDefer(w: World, sk: TcpSock, deferBit: number, fn: () => void): void {
  if (sk.owned) {
    sk.deferred |= deferBit;
    return;
  }
  runInTimerSoftirq(w, fn);
}

export const TCP_DELACK_TIMER_DEFERRED = 1;
export const TCP_WRITE_TIMER_DEFERRED = 2;
export const TCP_ACK_DEFERRED = 4;

timer_setup('tcp_delack', (w, t) => {
  const sk = tcpSockByUid(w, t.ref);
  if (!sk || t.gen !== sk.delackTimerGen) return;
  runOrDefer(w, sk, TCP_DELACK_TIMER_DEFERRED, () => tcp_delack_timer(w, sk));
});

timer_setup('tcp_retransmit', (w, t) => {
  const sk = tcpSockByUid(w, t.ref);
  if (!sk || t.gen !== sk.rtxTimerGen) return;
  sk.rtxTimerAt = 0;
  runOrDefer(w, sk, TCP_WRITE_TIMER_DEFERRED, () => tcp_retransmit_timer(w, sk));
});
