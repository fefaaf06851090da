// TCP's timers (net/ipv4/tcp_timer.c, inet_connection_sock.c): the
// retransmit timer (a lost SYN, FIN or data) and the delayed-ACK timer, run
// through timer_setup like every timer of the machine.
import type { World } from '../../kernel/world.ts';
import type { TcpSock } from '../../include/tcp.ts';
import { ICSK_ACK_TIMER, TCP_CLOSE, TCP_LISTEN, TCP_SYN_SENT } from '../../include/tcp.ts';
import { timer_setup } from '../../kernel/sched.ts';
import { addTimer } from '../../kernel/timer.ts';
import { runInTimerSoftirq } from '../../kernel/softirq.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { sockEndpoints, tcpSockByUid, TCP_ATO_MIN, TCP_RTO_MAX, tcp_done_with_error } from './tcp.ts';
import { tcp_send_ack, tcp_transmit_skb } from './tcp_output.ts';
import { trace_tcp_retransmit_skb } from '../../trace/tracepoints.ts';
import { ETIMEDOUT } from '../../include/errno.ts';

export const ICSK_TIME_RETRANS = 1;
export const ICSK_TIME_DACK = 2;

const F_tcp_delack_timer = kfn(
  'tcp_delack_timer',
  'net/ipv4/tcp_timer.c',
  'The delayed ACK is due and nothing carried it: send it now. A socket that was ping-ponging leaves that mode (the reply it waited for did not come).',
);
const F_tcp_retransmit_timer = kfn(
  'tcp_retransmit_timer',
  'net/ipv4/tcp_timer.c',
  'No ACK came in time: the oldest unacknowledged segment is sent again and the timeout doubles; after too many tries the connection fails with ETIMEDOUT.',
);

/** inet_csk_reset_xmit_timer */
export function inet_csk_reset_xmit_timer(w: World, sk: TcpSock, what: number, at: number): void {
  if (what === ICSK_TIME_DACK) {
    sk.delackTimerGen++;
    sk.ack.timeout = at;
    addTimer(w, at, 'tcp_delack', sk.id, sk.delackTimerGen);
  } else {
    sk.rtxTimerGen++;
    sk.rtxTimerAt = at;
    addTimer(w, at, 'tcp_retransmit', sk.id, sk.rtxTimerGen);
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

/** tcp_retransmit_timer: the head of the retransmit queue again, with exponential backoff. */
export function tcp_retransmit_timer(w: World, sk: TcpSock): void {
  enter(w, F_tcp_retransmit_timer);
  try {
    const skb = sk.rtxQueue[0];
    if (!skb || sk.state === TCP_CLOSE) return;
    const sys = tcpSockNetSysctl(w, sk);
    const limit = sk.state === TCP_SYN_SENT ? sys : 15;
    if (sk.retransmits >= limit) {
      tcp_done_with_error(w, sk, ETIMEDOUT);
      return;
    }
    // __tcp_retransmit_skb: the tracepoint once the segment went out.
    if (tcp_transmit_skb(w, sk, skb, true) === 0) trace_tcp_retransmit_skb(w, sk.netUid, sockEndpoints(sk), sk.state);
    sk.retransmits++;
    sk.rto = Math.min(sk.rto * 2, TCP_RTO_MAX);
    inet_csk_reset_xmit_timer(w, sk, ICSK_TIME_RETRANS, w.now + sk.rto);
  } finally {
    leave(w);
  }
}

function tcpSockNetSysctl(w: World, sk: TcpSock): number {
  return w.nets.find((n) => n.uid === sk.netUid)!.tcpSysctl.tcp_syn_retries;
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
