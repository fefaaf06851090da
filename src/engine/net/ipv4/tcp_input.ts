// TCP input (net/ipv4/tcp_input.c): what each state does with an arriving
// segment, acknowledgements, in-order data, the FIN, resets, and when an ACK
// goes out at once or waits.
import type { World } from '../../kernel/world.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { __skb_queue_tail } from '../../include/skbuff.ts';
import type { TcpOptionsReceived, TcpSock } from '../../include/tcp.ts';
import {
  ICSK_ACK_NOW,
  ICSK_ACK_PUSHED,
  ICSK_ACK_PUSHED2,
  ICSK_ACK_SCHED,
  RCV_SHUTDOWN,
  SEND_SHUTDOWN,
  TCP_CLOSE,
  TCP_CLOSE_WAIT,
  TCP_CLOSING,
  TCP_ESTABLISHED,
  TCP_FIN_WAIT1,
  TCP_FIN_WAIT2,
  TCP_LAST_ACK,
  TCP_LISTEN,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  TCPHDR_ACK,
  TCPHDR_FIN,
  TCPHDR_PSH,
  TCPHDR_RST,
  TCPHDR_SYN,
} from '../../include/tcp.ts';
import { ECONNREFUSED, ECONNRESET, EPIPE } from '../../include/errno.ts';
import { netByUid } from '../core/net_namespace.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { trace_tcp_receive_reset } from '../../trace/tracepoints.ts';
import { __kfree_skb, consume_skb, get16, get32, kfree_skb_reason } from '../core/skbuff.ts';
import { SKB_COALESCE, SKB_DEQUEUE_RTX, SKB_QUEUE_SOCKET } from '../../trace/skblog.ts';
import { sk_data_ready, sk_state_change } from '../core/sock.ts';
import {
  after,
  before,
  skbTruesize,
  sockEndpoints,
  TCP_ATO_MIN,
  tcp_done,
  tcp_done_with_error,
  tcp_set_state,
  tcp_time_wait_enter,
} from './tcp.ts';
import {
  __tcp_select_window,
  tcp_receive_window,
  tcp_send_ack,
  tcp_send_delayed_ack,
  tcp_sync_mss,
  tcp_space,
  tcp_win_from_space,
  tcp_skb_pcount,
  tcp_write_xmit,
} from './tcp_output.ts';
import { ICSK_TIME_RETRANS, inet_csk_clear_xmit_timer, inet_csk_reset_xmit_timer, TCP_ACK_DEFERRED } from './tcp_timer.ts';
import { dst_mtu } from './route.ts';

const F_tcp_rcv_state_process = kfn(
  'tcp_rcv_state_process',
  'net/ipv4/tcp_input.c',
  'The state machine for every state but ESTABLISHED: a SYN to a listener becomes a request, a SYN-ACK completes our connect, an ACK moves SYN_RECV, FIN_WAIT1, CLOSING and LAST_ACK on, and data or a FIN is queued. Nonzero means: answer with a reset.',
  'drop_reason',
);
const F_tcp_rcv_established = kfn(
  'tcp_rcv_established',
  'net/ipv4/tcp_input.c',
  "An established connection's segment: in-order data is queued for the reader and acknowledged (at once while in quick-ACK mode, else after a delay); an ACK frees what it acknowledges.",
);
const F_tcp_rcv_synsent_state_process = kfn(
  'tcp_rcv_synsent_state_process',
  'net/ipv4/tcp_input.c',
  "Our SYN's answer: a SYN-ACK acknowledging it sets up both sequence spaces and the negotiated options, the connection becomes ESTABLISHED and is acknowledged; a reset means the port is closed (ECONNREFUSED).",
  'int',
);
const F_tcp_data_queue = kfn(
  'tcp_data_queue',
  'net/ipv4/tcp_input.c',
  "Queues an in-order segment's data on the receive queue (or merges it into the last skb there), advances rcv_nxt, handles a FIN, and wakes the reader.",
);
const F_tcp_fin = kfn(
  'tcp_fin',
  'net/ipv4/tcp_input.c',
  'The peer has finished sending: the receive side is shut, and the state moves (ESTABLISHED to CLOSE_WAIT; FIN_WAIT2 to TIME_WAIT, with an ACK at once). Its ACK is scheduled, and a CLOSE_WAIT socket delays it, hoping our own FIN will carry it.',
);
const F_tcp_ack = kfn(
  'tcp_ack',
  'net/ipv4/tcp_input.c',
  'An acknowledgement: segments it covers leave the retransmit queue (freed without a tracepoint), the send window is updated, and the retransmit timer stops when nothing is left in flight.',
  'int',
);
const F_tcp_reset = kfn(
  'tcp_reset',
  'net/ipv4/tcp_input.c',
  'A valid reset from the peer: the tcp_receive_reset tracepoint, then the connection ends with the error the process will see (ECONNREFUSED while connecting, EPIPE in CLOSE_WAIT, else ECONNRESET).',
);
const F_tcp_ack_snd_check = kfn(
  '__tcp_ack_snd_check',
  'net/ipv4/tcp_input.c',
  'Decides how to acknowledge what just arrived: at once (quick-ACK mode, more than one full segment, or ACK_NOW), else after a delay (tcp_send_delayed_ack).',
);

const TCP_MAX_QUICKACKS = 16;
const TCPOLEN_TSTAMP_ALIGNED = 12;

/** tcp_parse_options: what the segment's options say. */
export function tcp_parse_options(skb: SkBuff, syn: boolean, opt: TcpOptionsReceived): void {
  const b = skb.head;
  const th = skb.transportHeader;
  const end = th + (b[th + 12] >> 4) * 4;
  opt.sawTstamp = false;
  for (let o = th + 20; o < end;) {
    const kind = b[o];
    if (kind === 0) break;
    if (kind === 1) {
      o++;
      continue;
    }
    const len = b[o + 1];
    if (len < 2 || o + len > end) break;
    if (kind === 2 && len === 4 && syn) {
      const mss = get16(b, o + 2);
      // The peer's MSS becomes the clamp (a user_mss, not modelled, would bound it).
      if (mss) opt.mssClamp = mss;
    } else if (kind === 3 && len === 3 && syn) {
      opt.wscaleOk = true;
      opt.sndWscale = Math.min(b[o + 2], 14);
    } else if (kind === 4 && len === 2 && syn) opt.sackOk = true;
    else if (kind === 8 && len === 10) {
      opt.sawTstamp = true;
      opt.rcvTsval = get32(b, o + 2);
      opt.rcvTsecr = get32(b, o + 6);
    }
    o += len;
  }
}

/** tcp_incr_quickack / tcp_enter_quickack_mode */
function tcp_incr_quickack(sk: TcpSock, max: number): void {
  let quickacks = Math.floor(sk.rcvWnd / (2 * sk.ack.rcvMss));
  if (quickacks === 0) quickacks = 2;
  quickacks = Math.min(quickacks, max);
  if (quickacks > sk.ack.quick) sk.ack.quick = quickacks;
}

function tcp_in_quickack_mode(sk: TcpSock): boolean {
  return sk.ack.quick > 0 && !sk.ack.pingpong;
}

/**
 * tcp_measure_rcv_mss: the peer's segment size, from one segment of a GSO skb
 * (`len` is the data's length, `gsoSize` the segment size of a GSO skb, else 0).
 * A small pushed segment marks the ACK "pushed" (the reader draining it may ACK).
 */
function tcp_measure_rcv_mss(sk: TcpSock, skb: SkBuff, dataLen: number, psh: boolean): void {
  const len = skb.gsoSize || dataLen;
  if (len >= sk.ack.rcvMss) {
    // A new segment size: the payload's share of what its buffers cost becomes
    // the scaling ratio that turns receive buffer into window.
    if (len !== sk.ack.rcvMss) {
      const old = sk.scalingRatio;
      sk.scalingRatio = Math.floor((dataLen * 256) / skbTruesize(skb)) || 1;
      if (sk.scalingRatio !== old) tcp_set_window_clamp(sk, tcp_win_from_space(sk.scalingRatio, sk.rcvbuf));
    }
    sk.ack.rcvMss = Math.min(len, sk.advmss);
    if (psh) sk.ack.pending |= ICSK_ACK_PUSHED;
  } else {
    if (sk.ack.pending & ICSK_ACK_PUSHED) sk.ack.pending |= ICSK_ACK_PUSHED2;
    sk.ack.pending |= ICSK_ACK_PUSHED;
  }
}

/** SOCK_MIN_RCVBUF: the smallest receive buffer (2048 plus an skb's overhead). */
const SOCK_MIN_RCVBUF = 4608;

/** tcp_set_window_clamp: a new largest window; a smaller one lowers the slow-start threshold with it. */
function tcp_set_window_clamp(sk: TcpSock, val: number): void {
  const clamp = Math.max(SOCK_MIN_RCVBUF / 2, val);
  if (clamp === sk.windowClamp) return;
  const old = sk.windowClamp;
  sk.windowClamp = clamp;
  if (clamp < old) sk.rcvSsthresh = Math.min(sk.rcvSsthresh, clamp);
  else sk.rcvSsthresh = Math.max(Math.min(sk.rcvWnd, clamp), sk.rcvSsthresh);
}

/**
 * tcp_grow_window: data that arrived in buffers worth their size lets the
 * window we advertise grow (rcv_ssthresh), by twice the data at least, up to
 * what the free receive buffer allows.
 */
function tcp_grow_window(w: World, sk: TcpSock, skb: SkBuff, dataLen: number): void {
  const room = Math.min(sk.windowClamp, tcp_space(sk)) - sk.rcvSsthresh;
  if (room <= 0) return;
  const truesize = skbTruesize(skb);
  let incr = 0;
  if (tcp_win_from_space(sk.scalingRatio, truesize) <= dataLen) incr = 2 * sk.advmss;
  else {
    // __tcp_grow_window: halve the buffer's cost until the data would pay for it.
    let cost = tcp_win_from_space(sk.scalingRatio, truesize) >> 1;
    let window = tcp_win_from_space(sk.scalingRatio, netByUid(w, sk.netUid).tcpSysctl.rmem[2]) >> 1;
    while (sk.rcvSsthresh <= window) {
      if (cost <= dataLen) {
        incr = 2 * sk.ack.rcvMss;
        break;
      }
      cost >>= 1;
      window >>= 1;
    }
  }
  if (incr) {
    sk.rcvSsthresh += Math.min(room, Math.max(incr, 2 * dataLen));
    sk.ack.quick |= 1;
  }
}

/** tcp_event_data_recv: new data came in, so an ACK is due; the first data starts quick-ACK mode. */
function tcp_event_data_recv(w: World, sk: TcpSock, skb: SkBuff, len: number, psh: boolean): void {
  sk.ack.pending |= ICSK_ACK_SCHED;
  tcp_measure_rcv_mss(sk, skb, len, psh);
  const now = w.now;
  if (!sk.ack.ato) {
    tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
    sk.ack.ato = TCP_ATO_MIN;
  } else {
    const m = now - sk.ack.lrcvtime;
    if (m <= TCP_ATO_MIN / 2) sk.ack.ato = sk.ack.ato / 2 + TCP_ATO_MIN / 2;
    else if (m < sk.ack.ato) sk.ack.ato = Math.min(sk.ack.ato / 2 + m, sk.rto);
    else if (m > sk.rto) tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
  }
  sk.ack.lrcvtime = now;
  if (len >= 128) tcp_grow_window(w, sk, skb, len);
}

/** __tcp_ack_snd_check */
export function __tcp_ack_snd_check(w: World, sk: TcpSock): void {
  enter(w, F_tcp_ack_snd_check);
  try {
    if (!sk.ack.pending) return;
    if (
      ((sk.rcvNxt - sk.rcvWup) >>> 0 > sk.ack.rcvMss && __tcp_select_window(sk) >= sk.rcvWnd) ||
      tcp_in_quickack_mode(sk) ||
      sk.ack.pending & ICSK_ACK_NOW
    ) {
      // From __release_sock the ACK waits for tcp_release_cb (tcp_backlog_ack_defer).
      if (sk.owned) {
        sk.deferred |= TCP_ACK_DEFERRED;
        return;
      }
      tcp_send_ack(w, sk);
      return;
    }
    tcp_send_delayed_ack(w, sk);
  } finally {
    leave(w);
  }
}

/** tcp_cleanup_rbuf: after a read, an ACK if one is owed and the reader drained a pushed segment, or a window update worth sending. */
export function tcp_cleanup_rbuf(w: World, sk: TcpSock, copied: number): void {
  let timeToAck = false;
  if (sk.ack.pending & ICSK_ACK_SCHED) {
    if (
      (sk.rcvNxt - sk.rcvWup) >>> 0 > sk.ack.rcvMss ||
      (copied > 0 &&
        (sk.ack.pending & ICSK_ACK_PUSHED2 || (sk.ack.pending & ICSK_ACK_PUSHED && !sk.ack.pingpong)) &&
        sk.rmemAlloc === 0)
    )
      timeToAck = true;
  }
  if (copied > 0 && !timeToAck && !(sk.shutdown & RCV_SHUTDOWN)) {
    const now = tcp_receive_window(sk);
    if (2 * now <= sk.windowClamp) {
      const win = __tcp_select_window(sk);
      if (win && win >= 2 * now) timeToAck = true;
    }
  }
  if (timeToAck) tcp_send_ack(w, sk);
}

/** tcp_clean_rtx_queue: segments the ACK covers are done with. */
function tcp_clean_rtx_queue(w: World, sk: TcpSock, ack: number): void {
  while (sk.rtxQueue.length) {
    const skb = sk.rtxQueue[0];
    const cb = skb.tcpCb!;
    if (after(cb.endSeq, ack)) break;
    if (cb.sentAt && !sk.retransmits) {
      // An RTT sample (tcp_rtt_estimator), in microseconds.
      const m = Math.max(1, Math.round((w.now - cb.sentAt) / 1000));
      sk.srttUs = sk.srttUs ? Math.round((sk.srttUs * 7) / 8 + m) : m * 8;
    }
    sk.rtxQueue.shift();
    w.rec.skbNote(SKB_DEQUEUE_RTX, skb.id, sk.id, sk.prot);
    // Slow start (the congestion window grows by what was acknowledged; no loss is modelled, so no ssthresh).
    if (!(cb.flags & TCPHDR_SYN) && cb.endSeq !== cb.seq) sk.sndCwnd += tcp_skb_pcount(skb);
    __kfree_skb(w, skb);
  }
}

/**
 * tcp_ack: returns 1 when it acknowledged something new or nothing was in
 * doubt, 0 for an old duplicate, -1 for an ACK of what we never sent.
 */
export function tcp_ack(w: World, sk: TcpSock, skb: SkBuff): number {
  enter(w, F_tcp_ack, skb, skb.dev);
  try {
    const cb = skb.tcpCb!;
    const ack = cb.ackSeq;
    if (before(ack, sk.sndUna)) return ret(w, 0);
    if (after(ack, sk.sndNxt)) return ret(w, -1);
    const th = skb.transportHeader;
    const win = get16(skb.head, th + 14) * 2 ** (cb.flags & TCPHDR_SYN ? 0 : sk.rxOpt.sndWscale);
    // tcp_may_update_window
    if (after(ack, sk.sndUna) || after(cb.seq, sk.sndWl1) || (cb.seq === sk.sndWl1 && win > sk.sndWnd)) {
      sk.sndWnd = win;
      sk.sndWl1 = cb.seq;
      if (win > sk.maxWindow) sk.maxWindow = win;
    }
    if (after(ack, sk.sndUna)) {
      sk.sndUna = ack;
      sk.retransmits = 0;
      sk.backoff = 0;
      tcp_clean_rtx_queue(w, sk, ack);
      if (sk.rtxQueue.length) inet_csk_reset_xmit_timer(w, sk, ICSK_TIME_RETRANS, w.now + sk.rto);
      else inet_csk_clear_xmit_timer(w, sk, ICSK_TIME_RETRANS);
    }
    return ret(w, 1);
  } finally {
    leave(w);
  }
}

/** tcp_reset */
export function tcp_reset(w: World, sk: TcpSock): void {
  enter(w, F_tcp_reset);
  try {
    trace_tcp_receive_reset(w, sk.netUid, sockEndpoints(sk));
    let err = ECONNRESET;
    if (sk.state === TCP_SYN_SENT) err = ECONNREFUSED;
    else if (sk.state === TCP_CLOSE_WAIT) err = EPIPE;
    else if (sk.state === TCP_CLOSE) return;
    tcp_done_with_error(w, sk, err);
  } finally {
    leave(w);
  }
}

/** tcp_fin */
function tcp_fin(w: World, sk: TcpSock): void {
  enter(w, F_tcp_fin);
  try {
    sk.ack.pending |= ICSK_ACK_SCHED;
    sk.shutdown |= RCV_SHUTDOWN;
    sk.done = true;
    switch (sk.state) {
      case TCP_SYN_RECV:
      case TCP_ESTABLISHED:
        tcp_set_state(w, sk, TCP_CLOSE_WAIT);
        sk.ack.pingpong = true;
        break;
      case TCP_FIN_WAIT1:
        tcp_send_ack(w, sk);
        tcp_set_state(w, sk, TCP_CLOSING);
        break;
      case TCP_FIN_WAIT2:
        tcp_send_ack(w, sk);
        tcp_time_wait_enter(w, sk);
        break;
    }
    if (!sk.dead) sk_state_change(w, sk);
  } finally {
    leave(w);
  }
}

/** tcp_data_queue: in-order data and the FIN; anything else is acknowledged again and dropped. */
function tcp_data_queue(w: World, sk: TcpSock, skb: SkBuff): void {
  enter(w, F_tcp_data_queue, skb, skb.dev);
  try {
    const cb = skb.tcpCb!;
    if (cb.seq === cb.endSeq) {
      __kfree_skb(w, skb);
      return;
    }
    const len = skb.tail - cb.payload;
    if (cb.seq === sk.rcvNxt) {
      if (tcp_receive_window(sk) === 0 && len > 0) {
        sk.ack.pending |= ICSK_ACK_NOW;
        kfree_skb_reason(w, skb, 'TCP_ZEROWINDOW', 'tcp_data_queue');
        return;
      }
      sk.rcvNxt = cb.endSeq;
      // tcp_queue_rcv: a segment without its own FIN merges into the last queued one (no tracepoint).
      const tail = sk.receiveQueue[sk.receiveQueue.length - 1];
      if (len) tcp_event_data_recv(w, sk, skb, len, (cb.flags & TCPHDR_PSH) !== 0);
      if (tail && !(tail.tcpCb!.flags & TCPHDR_FIN) && len > 0) {
        const merged = new Uint8Array(tail.tail + len);
        merged.set(tail.head.subarray(0, tail.tail));
        merged.set(skb.head.subarray(cb.payload, skb.tail), tail.tail);
        tail.head = merged;
        tail.tail += len;
        tail.tcpCb!.endSeq = cb.endSeq;
        tail.tcpCb!.flags |= cb.flags & TCPHDR_FIN;
        const fin = (cb.flags & TCPHDR_FIN) !== 0;
        w.rec.skbNote(SKB_COALESCE, skb.id, tail.id);
        __kfree_skb(w, skb);
        if (fin) tcp_fin(w, sk);
      } else {
        __skb_queue_tail(w, sk.receiveQueue, skb);
        w.rec.skbNote(SKB_QUEUE_SOCKET, skb.id, sk.id, sk.prot);
        sk.rmemAlloc += skbTruesize(skb);
        if (cb.flags & TCPHDR_FIN) tcp_fin(w, sk);
      }
      if (!sk.dead) sk_data_ready(w, sk);
      return;
    }
    // Out of window or a retransmission of what we have: tell the peer where we are.
    sk.ack.pending |= ICSK_ACK_NOW | ICSK_ACK_SCHED;
    kfree_skb_reason(
      w,
      skb,
      before(cb.endSeq, sk.rcvNxt) || cb.endSeq === sk.rcvNxt ? 'TCP_OLD_DATA' : 'TCP_OFOMERGE',
      'tcp_data_queue',
    );
  } finally {
    leave(w);
  }
}

/** tcp_validate_incoming: sequence checks and resets. Returns false when the segment was dealt with. */
function tcp_validate_incoming(w: World, sk: TcpSock, skb: SkBuff): boolean {
  const cb = skb.tcpCb!;
  const inWindow = !before(cb.endSeq, sk.rcvWup) && !after(cb.seq, (sk.rcvNxt + tcp_receive_window(sk)) >>> 0);
  if (!inWindow) {
    if (!(cb.flags & TCPHDR_RST)) {
      sk.ack.pending |= ICSK_ACK_NOW | ICSK_ACK_SCHED;
      tcp_send_ack(w, sk);
    }
    kfree_skb_reason(w, skb, 'TCP_INVALID_SEQUENCE', 'tcp_validate_incoming');
    return false;
  }
  if (cb.flags & TCPHDR_RST) {
    if (cb.seq === sk.rcvNxt) tcp_reset(w, sk);
    else tcp_send_ack(w, sk); // a challenge ACK
    __kfree_skb(w, skb);
    return false;
  }
  if (sk.rxOpt.tstampOk && sk.rxOpt.sawTstamp && !after(cb.seq, sk.rcvWup)) sk.rxOpt.tsRecent = sk.rxOpt.rcvTsval;
  return true;
}

/** tcp_rcv_established */
export function tcp_rcv_established(w: World, sk: TcpSock, skb: SkBuff): void {
  enter(w, F_tcp_rcv_established, skb, skb.dev);
  try {
    const cb = skb.tcpCb!;
    tcp_parse_options(skb, false, sk.rxOpt);
    if (!(cb.flags & TCPHDR_ACK) && !(cb.flags & TCPHDR_RST) && !(cb.flags & TCPHDR_SYN)) {
      kfree_skb_reason(w, skb, 'TCP_FLAGS', 'tcp_rcv_established');
      return;
    }
    if (!tcp_validate_incoming(w, sk, skb)) return;
    if (cb.flags & TCPHDR_ACK && tcp_ack(w, sk, skb) < 0) {
      kfree_skb_reason(w, skb, 'TCP_ACK_UNSENT_DATA', 'tcp_rcv_established');
      return;
    }
    tcp_data_queue(w, sk, skb);
    tcp_write_xmit(w, sk, false);
    __tcp_ack_snd_check(w, sk);
  } finally {
    leave(w);
  }
}

/** tcp_finish_connect */
function tcp_finish_connect(w: World, sk: TcpSock, skb: SkBuff): void {
  tcp_set_state(w, sk, TCP_ESTABLISHED);
  sk.ack.lrcvtime = w.now;
  // inet_sk_rx_dst_set: only a segment that still carries its route leaves one (the backlog drops it).
  if (skb.dst) {
    sk.rxDst = skb.dst;
    sk.rxDstIfindex = skb.skbIif;
  }
}

/** tcp_rcv_synsent_state_process: returns -1 when the segment is done with here, 0 when consumed, 1 to reset. */
function tcp_rcv_synsent_state_process(w: World, sk: TcpSock, skb: SkBuff): number {
  enter(w, F_tcp_rcv_synsent_state_process, skb, skb.dev);
  try {
    const cb = skb.tcpCb!;
    tcp_parse_options(skb, true, sk.rxOpt);
    if (cb.flags & TCPHDR_ACK) {
      if (!after(cb.ackSeq, sk.sndUna) || after(cb.ackSeq, sk.sndNxt)) return ret(w, 1);
      if (cb.flags & TCPHDR_RST) {
        tcp_reset(w, sk);
        __kfree_skb(w, skb);
        return ret(w, 0);
      }
      if (!(cb.flags & TCPHDR_SYN)) {
        kfree_skb_reason(w, skb, 'TCP_FLAGS', 'tcp_rcv_synsent_state_process');
        return ret(w, 0);
      }
      sk.sndWl1 = cb.seq;
      tcp_ack(w, sk, skb);
      sk.rcvNxt = (cb.seq + 1) >>> 0;
      sk.rcvWup = sk.rcvNxt;
      sk.sndWnd = get16(skb.head, skb.transportHeader + 14);
      if (!sk.rxOpt.wscaleOk) {
        sk.rxOpt.sndWscale = sk.rxOpt.rcvWscale = 0;
        sk.windowClamp = Math.min(sk.windowClamp, 65535);
      }
      if (sk.rxOpt.sawTstamp) {
        sk.rxOpt.tstampOk = true;
        sk.tcpHeaderLen = 20 + TCPOLEN_TSTAMP_ALIGNED;
        sk.advmss -= TCPOLEN_TSTAMP_ALIGNED;
        sk.rxOpt.tsRecent = sk.rxOpt.rcvTsval;
      } else sk.tcpHeaderLen = 20;
      tcp_sync_mss(sk, dst_mtu(w, sk.dst!));
      sk.ack.rcvMss = Math.min(sk.advmss, sk.mssCache, 536);
      sk.copiedSeq = sk.rcvNxt;
      tcp_finish_connect(w, sk, skb);
      if (!sk.dead) sk_state_change(w, sk);
      tcp_send_ack(w, sk);
      __kfree_skb(w, skb);
      return ret(w, -1);
    }
    if (cb.flags & TCPHDR_RST) {
      kfree_skb_reason(w, skb, 'TCP_RESET', 'tcp_rcv_synsent_state_process');
      return ret(w, 0);
    }
    // A SYN without ACK (a simultaneous open) is not modelled: it is dropped.
    kfree_skb_reason(w, skb, 'TCP_FLAGS', 'tcp_rcv_synsent_state_process');
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/**
 * tcp_rcv_state_process: returns a drop reason when the caller should answer
 * with a reset (and drop the segment), '' when the segment was dealt with.
 * `conn_request` is the address family's (tcp_v4_conn_request).
 */
export function tcp_rcv_state_process(
  w: World,
  sk: TcpSock,
  skb: SkBuff,
  conn_request: (w: World, sk: TcpSock, skb: SkBuff) => boolean,
): string | null {
  enter(w, F_tcp_rcv_state_process, skb, skb.dev);
  try {
    const cb = skb.tcpCb!;
    switch (sk.state) {
      case TCP_CLOSE:
        kfree_skb_reason(w, skb, 'TCP_CLOSE', 'tcp_rcv_state_process');
        return ret(w, null);
      case TCP_LISTEN:
        if (cb.flags & TCPHDR_ACK) return ret(w, 'TCP_FLAGS');
        if (cb.flags & TCPHDR_RST) {
          kfree_skb_reason(w, skb, 'TCP_RESET', 'tcp_rcv_state_process');
          return ret(w, null);
        }
        if (cb.flags & TCPHDR_SYN) {
          if (cb.flags & TCPHDR_FIN) {
            kfree_skb_reason(w, skb, 'TCP_FLAGS', 'tcp_rcv_state_process');
            return ret(w, null);
          }
          if (!conn_request(w, sk, skb)) return ret(w, 'TCP_FLAGS');
          consume_skb(w, skb, 'tcp_rcv_state_process');
          return ret(w, null);
        }
        kfree_skb_reason(w, skb, 'TCP_FLAGS', 'tcp_rcv_state_process');
        return ret(w, null);
      case TCP_SYN_SENT: {
        const r = tcp_rcv_synsent_state_process(w, sk, skb);
        if (r > 0) return ret(w, 'TCP_FLAGS');
        if (r < 0) tcp_write_xmit(w, sk, false);
        return ret(w, null);
      }
    }
    tcp_parse_options(skb, false, sk.rxOpt);
    if (!(cb.flags & (TCPHDR_ACK | TCPHDR_RST | TCPHDR_SYN))) {
      kfree_skb_reason(w, skb, 'TCP_FLAGS', 'tcp_rcv_state_process');
      return ret(w, null);
    }
    if (!tcp_validate_incoming(w, sk, skb)) return ret(w, null);
    const acked = tcp_ack(w, sk, skb);
    if (acked <= 0) {
      if (sk.state === TCP_SYN_RECV) return ret(w, 'TCP_OLD_ACK');
      if (acked < 0) {
        tcp_send_ack(w, sk);
        kfree_skb_reason(w, skb, 'TCP_ACK_UNSENT_DATA', 'tcp_rcv_state_process');
        return ret(w, null);
      }
    }
    switch (sk.state) {
      case TCP_SYN_RECV:
        sk.copiedSeq = sk.rcvNxt;
        tcp_set_state(w, sk, TCP_ESTABLISHED);
        sk_state_change(w, sk);
        sk.sndUna = cb.ackSeq;
        sk.sndWnd = get16(skb.head, skb.transportHeader + 14) * 2 ** sk.rxOpt.sndWscale;
        sk.sndWl1 = cb.seq;
        if (sk.rxOpt.tstampOk) sk.advmss -= TCPOLEN_TSTAMP_ALIGNED;
        sk.ack.rcvMss = Math.min(sk.advmss, sk.mssCache, 536);
        break;
      case TCP_FIN_WAIT1:
        if (sk.sndUna !== sk.writeSeq) break;
        tcp_set_state(w, sk, TCP_FIN_WAIT2);
        sk.shutdown |= SEND_SHUTDOWN;
        if (!sk.dead) {
          sk_state_change(w, sk);
          break;
        }
        if (cb.endSeq !== cb.seq && after((cb.endSeq - (cb.flags & TCPHDR_FIN ? 1 : 0)) >>> 0, sk.rcvNxt)) {
          tcp_done(w, sk);
          return ret(w, 'TCP_ABORT_ON_DATA');
        }
        // An orphan waits in FIN_WAIT2 for the peer's FIN (tcp_fin_timeout).
        break;
      case TCP_CLOSING:
        if (sk.sndUna === sk.writeSeq) {
          tcp_time_wait_enter(w, sk);
          __kfree_skb(w, skb);
          return ret(w, null);
        }
        break;
      case TCP_LAST_ACK:
        if (sk.sndUna === sk.writeSeq) {
          tcp_done(w, sk);
          __kfree_skb(w, skb);
          return ret(w, null);
        }
        break;
    }
    // Step 7: the segment's text. After the peer's FIN nothing new may come.
    let queued = false;
    const st = sk.state;
    const newData = cb.endSeq !== cb.seq && after((cb.endSeq - (cb.flags & TCPHDR_FIN ? 1 : 0)) >>> 0, sk.rcvNxt);
    const lateState = st === TCP_CLOSE_WAIT || st === TCP_CLOSING || st === TCP_LAST_ACK;
    if (st === TCP_ESTABLISHED || st === TCP_FIN_WAIT1 || st === TCP_FIN_WAIT2 || (lateState && before(cb.seq, sk.rcvNxt))) {
      if (st !== TCP_ESTABLISHED && sk.shutdown & RCV_SHUTDOWN && newData) {
        tcp_reset(w, sk);
        return ret(w, 'TCP_ABORT_ON_DATA');
      }
      tcp_data_queue(w, sk, skb);
      queued = true;
    }
    if (sk.state !== TCP_CLOSE) {
      tcp_write_xmit(w, sk, false);
      __tcp_ack_snd_check(w, sk);
    }
    if (!queued) kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'tcp_rcv_state_process');
    return ret(w, null);
  } finally {
    leave(w);
  }
}
