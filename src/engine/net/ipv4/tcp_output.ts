// TCP output (net/ipv4/tcp_output.c): segments with their header and options,
// the window they advertise, SYN, ACK, FIN, and the write queue's way out.
import type { World } from '../../kernel/world.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { __skb_queue_tail, skbLen } from '../../include/skbuff.ts';
import type { RequestSock, TcpSock } from '../../include/tcp.ts';
import {
  ICSK_ACK_PUSHED,
  ICSK_ACK_TIMER,
  TCP_CLOSE,
  TCP_LISTEN,
  TCPHDR_ACK,
  TCPHDR_FIN,
  TCPHDR_PSH,
  TCPHDR_RST,
  TCPHDR_SYN,
} from '../../include/tcp.ts';
import type { Rtable } from '../../include/route.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { alloc_skb, alloc_skb_fclone, put16, put32, skb_clone, skb_push, skb_put } from '../core/skbuff.ts';
import { SKB_QUEUE_RTX, SKB_QUEUE_WRITE } from '../../trace/skblog.ts';
import { ip_build_and_send_pkt, ip_queue_xmit } from './ip_output.ts';
import { __ip_rt_update_pmtu, dst_metric_advmss, dst_mtu, ip_route_output_key } from './route.ts';
import { netByUid } from '../core/net_namespace.ts';
import {
  inet_csk_reset_xmit_timer,
  ICSK_TIME_DACK,
  ICSK_TIME_RETRANS,
  inet_csk_clear_xmit_timer,
  tcp_delack_timer,
  tcp_retransmit_timer,
  TCP_ACK_DEFERRED,
  TCP_DELACK_TIMER_DEFERRED,
  TCP_WRITE_TIMER_DEFERRED,
} from './tcp_timer.ts';
import { tcp_clock_ms, after, TCP_ATO_MIN, TCP_DELACK_MAX, jiffiesTimeout, sockEndpoints } from './tcp.ts';
import { trace_tcp_retransmit_skb, trace_tcp_send_reset } from '../../trace/tracepoints.ts';
import { RT_SCOPE_UNIVERSE } from '../../include/route.ts';
import { EBUSY } from '../../include/errno.ts';
import { jiffiesAt, JIFFY_NS } from '../../kernel/timer.ts';

const F_tcp_transmit_skb = kfn(
  'tcp_transmit_skb',
  'net/ipv4/tcp_output.c',
  'Sends one segment: a clone of the queued skb (the original stays until it is acknowledged) gets its TCP header and options, the window we advertise and the partial checksum the device finishes, then goes to ip_queue_xmit.',
  'errno',
);
const F_tcp_v4_mtu_reduced = kfn(
  'tcp_v4_mtu_reduced',
  'net/ipv4/tcp_ipv4.c',
  'A router said our segments are too big for the path: the route learns the smaller MTU, the MSS shrinks to fit, and what was dropped is sent again at once (path MTU discovery).',
);
const F_tcp_connect = kfn(
  'tcp_connect',
  'net/ipv4/tcp_output.c',
  'Builds the SYN: the initial window and window scale are chosen, the SYN is queued for retransmission and sent, and the retransmit timer is armed (1 s).',
  'errno',
);
const F_tcp_send_ack = kfn(
  'tcp_send_ack',
  'net/ipv4/tcp_output.c',
  'Sends a pure ACK at once: a fresh skb with no data, acknowledging everything received so far (rcv_nxt).',
);
const F_tcp_send_delayed_ack = kfn(
  'tcp_send_delayed_ack',
  'net/ipv4/tcp_output.c',
  'The ACK may wait: the delayed-ACK timer is armed for the predicted interval (ato, 40 ms once data has come in), so the ACK can ride on a reply instead.',
);
const F_tcp_send_fin = kfn(
  'tcp_send_fin',
  'net/ipv4/tcp_output.c',
  'Queues the FIN (on the last unsent segment, or in a segment of its own) and pushes the write queue out, Nagle off.',
);
const F_tcp_write_xmit = kfn(
  'tcp_write_xmit',
  'net/ipv4/tcp_output.c',
  "Sends what the write queue holds as far as the congestion window, the receiver's window and Nagle allow, arming the retransmit timer for what is in flight.",
  'int',
);
const F_tcp_send_synack = kfn(
  'tcp_v4_send_synack',
  'net/ipv4/tcp_ipv4.c',
  "Answers a SYN for a listener: tcp_make_synack builds the SYN-ACK (the request sock's initial sequence number, its window and options) and ip_build_and_send_pkt sends it.",
  'errno',
);

/** MAX_TCP_HEADER: the headroom TCP leaves in front of a segment for its own header and the layers below. */
export const MAX_TCP_HEADER = 320;
const TCP_MSS_DEFAULT = 536;
const TCPOLEN_TSTAMP_ALIGNED = 12;
/** Initial congestion window (TCP_INIT_CWND). */
export const TCP_INIT_CWND = 10;
export const TCP_TIMEOUT_INIT = 1e9;
/** TCP_RMEM_TO_WIN_SCALE: scaling_ratio is a fraction of 256. */
const TCP_RMEM_TO_WIN_SCALE = 8;
export const TCP_DEFAULT_SCALING_RATIO = 1 << (TCP_RMEM_TO_WIN_SCALE - 1);
const TCP_MAX_WSCALE = 14;

/** The options a segment carries (struct tcp_out_options). */
export interface TcpOutOptions {
  mss: number;
  /** -1: none. */
  wscale: number;
  sackOk: boolean;
  ts: boolean;
  tsval: number;
  tsecr: number;
}

/** tcp_options_write: the bytes the kernel puts after the fixed header, in its order and with its NOPs. */
export function tcp_options_bytes(o: TcpOutOptions): number[] {
  const b: number[] = [];
  const u32 = (v: number) => b.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  if (o.mss) b.push(2, 4, (o.mss >> 8) & 0xff, o.mss & 0xff);
  if (o.ts) {
    if (o.sackOk) b.push(4, 2, 8, 10);
    else b.push(1, 1, 8, 10);
    u32(o.tsval);
    u32(o.tsecr);
  } else if (o.sackOk) b.push(1, 1, 4, 2);
  if (o.wscale >= 0) b.push(1, 3, 3, o.wscale);
  return b;
}

/** __tcp_win_from_space: how much window a buffer of `space` bytes is worth at this payload/truesize ratio. */
export function tcp_win_from_space(scalingRatio: number, space: number): number {
  return Math.floor((space * scalingRatio) / 256);
}

/** tcp_full_space */
export function tcp_full_space(sk: TcpSock): number {
  return tcp_win_from_space(sk.scalingRatio, sk.rcvbuf);
}

/** tcp_space: what is left of the receive buffer, as window. */
export function tcp_space(sk: TcpSock): number {
  return tcp_win_from_space(sk.scalingRatio, sk.rcvbuf - sk.rmemAlloc);
}

export interface InitialWindow {
  rcvWnd: number;
  windowClamp: number;
  rcvWscale: number;
}

/** tcp_select_initial_window: the first window (a multiple of the MSS) and the window scale. */
export function tcp_select_initial_window(
  space: number,
  mss: number,
  windowClamp: number,
  wscaleOk: boolean,
  rmemMax: number,
): InitialWindow {
  if (windowClamp === 0) windowClamp = 65535 * 2 ** TCP_MAX_WSCALE;
  space = Math.min(windowClamp, space);
  if (space > mss) space = Math.floor(space / mss) * mss;
  const rcvWnd = Math.min(space, 65535);
  let rcvWscale = 0;
  if (wscaleOk) {
    // Scale for the largest window the buffer may grow to (tcp_rmem[2], rmem_max).
    const s = Math.min(Math.max(space, rmemMax, 212992), windowClamp);
    rcvWscale = Math.max(0, Math.min(TCP_MAX_WSCALE, Math.floor(Math.log2(s)) - 15));
  }
  return { rcvWnd, windowClamp: Math.min(65535 * 2 ** rcvWscale, windowClamp), rcvWscale };
}

/** tcp_mtu_to_mss less the options every segment carries: the most data one segment holds (mss_cache). */
export function tcp_sync_mss(sk: TcpSock, pmtu: number): number {
  let mss = pmtu - 20 - 20;
  if (mss > sk.rxOpt.mssClamp) mss = sk.rxOpt.mssClamp;
  mss -= sk.tcpHeaderLen - 20;
  sk.mssCache = Math.max(mss, 48);
  sk.pmtuCookie = pmtu;
  return sk.mssCache;
}

/** tcp_receive_window: what is left of the window we last advertised. */
export function tcp_receive_window(sk: TcpSock): number {
  const win = sk.rcvWup + sk.rcvWnd - sk.rcvNxt;
  return win < 0 ? 0 : win;
}

/** __tcp_select_window: the window the free receive buffer allows now. */
export function __tcp_select_window(sk: TcpSock): number {
  let mss = sk.ack.rcvMss;
  let freeSpace = tcp_space(sk);
  const allowed = tcp_full_space(sk);
  const fullSpace = Math.min(sk.windowClamp, allowed);
  const scale = 2 ** sk.rxOpt.rcvWscale;
  if (mss > fullSpace) {
    mss = fullSpace;
    if (mss <= 0) return 0;
  }
  if (freeSpace < fullSpace >> 1) {
    sk.ack.quick = 0;
    freeSpace = Math.floor(freeSpace / scale) * scale;
    if (freeSpace < allowed >> 4 || freeSpace < mss) return 0;
  }
  if (freeSpace > sk.rcvSsthresh) freeSpace = sk.rcvSsthresh;
  if (sk.rxOpt.rcvWscale) return Math.ceil(freeSpace / scale) * scale;
  let window = sk.rcvWnd;
  if (window <= freeSpace - mss || window > freeSpace) window = Math.floor(freeSpace / mss) * mss;
  else if (mss === fullSpace && freeSpace > window + (fullSpace >> 1)) window = freeSpace;
  return window;
}

/** tcp_select_window: the window field of an outgoing segment; never shrinks what was offered. */
function tcp_select_window(sk: TcpSock): number {
  const cur = tcp_receive_window(sk);
  let win = __tcp_select_window(sk);
  const scale = 2 ** sk.rxOpt.rcvWscale;
  if (win < cur) win = Math.ceil(cur / scale) * scale;
  sk.rcvWnd = win;
  sk.rcvWup = sk.rcvNxt;
  win = Math.min(Math.floor(win / scale), 65535);
  if (win === 0) sk.ack.pingpong = false;
  return win;
}

/** The TCP timestamp clock: milliseconds plus the connection's random offset. */
export function tcp_time_stamp_ts(w: World, tsOffset: number): number {
  return (tcp_clock_ms(w) + tsOffset) >>> 0;
}

/** tcp_established_options: the timestamps, when the connection agreed to them. */
function tcp_established_options(w: World, sk: TcpSock): TcpOutOptions {
  const ts = sk.rxOpt.tstampOk;
  return { mss: 0, wscale: -1, sackOk: false, ts, tsval: ts ? tcp_time_stamp_ts(w, sk.tsOffset) : 0, tsecr: sk.rxOpt.tsRecent };
}

/** tcp_syn_options: what our SYN offers (MSS, timestamps, SACK, window scaling, per the namespace's sysctls). */
function tcp_syn_options(w: World, sk: TcpSock): TcpOutOptions {
  const sys = netByUid(w, sk.netUid).tcpSysctl;
  const ts = sys.tcp_timestamps !== 0;
  return {
    mss: sk.advmss,
    wscale: sys.tcp_window_scaling ? sk.rxOpt.rcvWscale : -1,
    sackOk: sys.tcp_sack !== 0,
    ts,
    tsval: ts ? tcp_time_stamp_ts(w, sk.tsOffset) : 0,
    tsecr: sk.rxOpt.tsRecent,
  };
}

/** Writes the TCP header and options in front of skb.data; returns its offset. */
export function tcp_build_header(
  skb: SkBuff,
  h: { sport: number; dport: number; seq: number; ack: number; flags: number; window: number },
  opts: number[],
): number {
  const hlen = 20 + opts.length;
  const off = skb_push(skb, hlen);
  const b = skb.head;
  put16(b, off, h.sport);
  put16(b, off + 2, h.dport);
  put32(b, off + 4, h.seq);
  put32(b, off + 8, h.ack);
  b[off + 12] = (hlen / 4) << 4;
  b[off + 13] = h.flags;
  put16(b, off + 14, h.window);
  put16(b, off + 16, 0);
  put16(b, off + 18, 0);
  b.set(opts, off + 20);
  skb.transportHeader = off;
  return off;
}

/** The pseudo-header sum of a TCP segment, folded but not complemented. */
function pseudoSum(saddr: number, daddr: number, len: number): number {
  let sum = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + 6 + len;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * __tcp_v4_send_check with CHECKSUM_PARTIAL: the header holds the pseudo-header
 * sum and the device (here, none: veth passes it on as it is) would finish it.
 * What a capture on the sender sees is this partial value, as the kernel's records show.
 */
export function tcp_v4_send_check(skb: SkBuff, saddr: number, daddr: number): void {
  put16(skb.head, skb.transportHeader + 16, pseudoSum(saddr, daddr, skb.tail - skb.transportHeader));
}

/** The complete checksum, for segments sent with CHECKSUM_NONE (resets from no socket). */
export function tcp_v4_full_check(skb: SkBuff, saddr: number, daddr: number): void {
  const b = skb.head;
  const o = skb.transportHeader;
  put16(b, o + 16, 0);
  let sum = pseudoSum(saddr, daddr, skb.tail - o);
  for (let i = o; i < skb.tail; i += 2) sum += (b[i] << 8) | (i + 1 < skb.tail ? b[i + 1] : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  put16(b, o + 16, ~sum & 0xffff);
}

/** tcp_event_ack_sent: an ACK went out, so the delayed one is not needed and quick ACKs count down. */
function tcp_event_ack_sent(w: World, sk: TcpSock, rcvNxt: number): void {
  if (rcvNxt !== sk.rcvNxt) return;
  if (sk.ack.quick) {
    const pkts = sk.ack.pending ? 1 : 0;
    if (pkts >= sk.ack.quick) {
      sk.ack.quick = 0;
      sk.ack.ato = TCP_ATO_MIN;
    } else sk.ack.quick -= pkts;
  }
  inet_csk_clear_xmit_timer(w, sk, ICSK_TIME_DACK);
}

/** tcp_event_data_sent: a reply soon after data came in makes the connection interactive (ping-pong). */
function tcp_event_data_sent(w: World, sk: TcpSock): void {
  if (w.now - sk.ack.lrcvtime < sk.ack.ato) sk.ack.pingpong = true;
}

/**
 * __tcp_transmit_skb: `cloneIt` for segments that stay queued until acked (a
 * clone goes out); pure ACKs and resets are sent themselves.
 */
export function tcp_transmit_skb(w: World, sk: TcpSock, skb: SkBuff, cloneIt: boolean): number {
  enter(w, F_tcp_transmit_skb, skb, null);
  try {
    const cb = skb.tcpCb!;
    const rt = sk.dst;
    if (!rt) return ret(w, -113);
    if (cloneIt) {
      cb.sentAt = w.now;
      const orig = skb;
      skb = skb_clone(w, skb);
      orig.fclone = skb;
    }
    const syn = (cb.flags & TCPHDR_SYN) !== 0;
    const opts = syn ? tcp_syn_options(w, sk) : tcp_established_options(w, sk);
    const rcvNxt = sk.rcvNxt;
    // A SYN's window is never scaled; later ones are.
    const window = syn ? Math.min(sk.rcvWnd, 65535) : tcp_select_window(sk);
    tcp_build_header(
      skb,
      { sport: sk.num, dport: sk.dport, seq: cb.seq, ack: rcvNxt, flags: cb.flags, window },
      tcp_options_bytes(opts),
    );
    tcp_v4_send_check(skb, sk.saddr, sk.daddr);
    if (cb.flags & TCPHDR_ACK) tcp_event_ack_sent(w, sk, rcvNxt);
    const dataLen = (cb.endSeq - cb.seq - (syn ? 1 : 0) - (cb.flags & TCPHDR_FIN ? 1 : 0)) >>> 0;
    if (dataLen > 0) tcp_event_data_sent(w, sk);
    skb.sk = sk.id;
    const net = netByUid(w, sk.netUid);
    // ip_select_ident_segs: a GSO skb uses up one IP ID per segment it stands for.
    const id = sk.inetId;
    sk.inetId = (sk.inetId + tcp_skb_pcount(skb)) & 0xffff;
    const err = ip_queue_xmit(w, skb, rt, {
      saddr: sk.saddr,
      daddr: sk.daddr,
      protocol: 6,
      ttl: net.ipv4.sysctl.ip_default_ttl,
      tos: 0,
      df: true,
      id,
    });
    return ret(w, err);
  } finally {
    leave(w);
  }
}

/**
 * tcp_init_nondata_skb: an skb that carries only flags (SYN, FIN, ACK, RST).
 * A SYN or FIN waits in the queues until acknowledged, so it comes from
 * tcp_stream_alloc_skb, with an fclone companion; an ACK or reset is sent
 * once, from plain alloc_skb.
 */
export function tcp_nondata_skb(w: World, seq: number, flags: number): SkBuff {
  const skb = flags & (TCPHDR_SYN | TCPHDR_FIN) ? alloc_skb_fclone(w, 0, MAX_TCP_HEADER) : alloc_skb(w, 0, MAX_TCP_HEADER);
  const syn = flags & TCPHDR_SYN ? 1 : 0;
  const fin = flags & TCPHDR_FIN ? 1 : 0;
  skb.tcpCb = { seq, endSeq: (seq + syn + fin) >>> 0, ackSeq: 0, flags, payload: skb.data, sentAt: 0 };
  return skb;
}

/** tcp_connect_init + tcp_connect: the SYN. */
export function tcp_connect(w: World, sk: TcpSock): number {
  enter(w, F_tcp_connect);
  try {
    const net = netByUid(w, sk.netUid);
    const rt = sk.dst!;
    const sys = net.tcpSysctl;
    sk.tcpHeaderLen = 20 + (sys.tcp_timestamps ? TCPOLEN_TSTAMP_ALIGNED : 0);
    const pmtu = dst_mtu(w, rt);
    tcp_sync_mss(sk, pmtu);
    sk.advmss = dst_metric_advmss(w, rt);
    sk.ack.rcvMss = Math.min(sk.advmss, sk.mssCache, TCP_MSS_DEFAULT);
    const init = tcp_select_initial_window(
      tcp_full_space(sk),
      sk.advmss,
      sk.windowClamp,
      sys.tcp_window_scaling !== 0,
      sys.rmem[2],
    );
    sk.rcvWnd = init.rcvWnd;
    sk.windowClamp = init.windowClamp;
    sk.rxOpt.rcvWscale = init.rcvWscale;
    sk.rcvSsthresh = sk.rcvWnd;
    sk.err = 0;
    sk.done = false;
    sk.sndWnd = 0;
    sk.sndUna = sk.writeSeq;
    sk.sndSml = sk.writeSeq;
    sk.sndNxt = sk.writeSeq;
    sk.rcvNxt = 0;
    sk.rcvWup = 0;
    sk.copiedSeq = 0;
    sk.rto = TCP_TIMEOUT_INIT;
    sk.retransmits = 0;
    sk.backoff = 0;
    const syn = tcp_nondata_skb(w, sk.writeSeq, TCPHDR_SYN);
    sk.retransStamp = tcp_clock_ms(w);
    sk.writeSeq = (sk.writeSeq + 1) >>> 0;
    sk.rtxQueue.push(syn);
    w.rec.skbNote(SKB_QUEUE_RTX, syn.id, sk.id, sk.prot);
    const err = tcp_transmit_skb(w, sk, syn, true);
    if (err === -113) return ret(w, err);
    sk.sndNxt = sk.writeSeq;
    inet_csk_reset_xmit_timer(w, sk, ICSK_TIME_RETRANS, w.now + sk.rto);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}

/** __tcp_send_ack: a pure ACK of everything received so far. */
export function tcp_send_ack(w: World, sk: TcpSock): void {
  enter(w, F_tcp_send_ack);
  try {
    if (sk.state === TCP_CLOSE) return;
    const skb = tcp_nondata_skb(w, sk.sndNxt, TCPHDR_ACK);
    tcp_transmit_skb(w, sk, skb, false);
  } finally {
    leave(w);
  }
}

/** tcp_send_delayed_ack */
export function tcp_send_delayed_ack(w: World, sk: TcpSock): void {
  enter(w, F_tcp_send_delayed_ack);
  try {
    let ato = sk.ack.ato;
    if (ato > TCP_ATO_MIN) {
      let maxAto = 500e6;
      if (sk.ack.pingpong || sk.ack.pending & ICSK_ACK_PUSHED) maxAto = TCP_DELACK_MAX;
      if (sk.srttUs) {
        const rtt = Math.max(jiffiesTimeout(sk.srttUs * 1000), TCP_ATO_MIN);
        if (rtt < maxAto) maxAto = rtt;
      }
      ato = Math.min(ato, maxAto);
    }
    ato = Math.min(ato, TCP_DELACK_MAX);
    // jiffies + ato: the timer wheel runs it on the jiffy after (a socket that has
    // received no data has ato 0: its ACK goes at the next tick).
    const timeout = (jiffiesAt(w.now) + Math.ceil(ato / JIFFY_NS)) * JIFFY_NS;
    if (sk.ack.pending & ICSK_ACK_TIMER) {
      // Use the new timeout only if it wouldn't delay the ACK further.
      if (sk.ack.timeout <= timeout) {
        if (sk.ack.timeout <= w.now) tcp_send_ack(w, sk);
        return;
      }
    }
    sk.ack.pending |= ICSK_ACK_TIMER | 1;
    sk.ack.timeout = timeout;
    inet_csk_reset_xmit_timer(w, sk, ICSK_TIME_DACK, timeout);
  } finally {
    leave(w);
  }
}

/**
 * SKB_TRUESIZE of tcp_stream_alloc_skb's skb before any data: the fclone
 * struct and a kmalloc-1024 head for MAX_TCP_HEADER; the data copied into its
 * page fragments adds its own length.
 */
const TCP_STREAM_SKB_TRUESIZE = 1280;

/** GSO_LEGACY_MAX_SIZE: the most a GSO skb holds on a device that sets no other size (veth, lo, bridge). */
const GSO_LEGACY_MAX_SIZE = 65536;
/** sk_setup_caps: the socket's gso_max_size, less room for TCP's headers. */
const SK_GSO_MAX_SIZE = GSO_LEGACY_MAX_SIZE - (MAX_TCP_HEADER + 1);

/** tcp_bound_to_half_wnd: no more than half the largest window the peer has offered (when it is not tiny). */
function tcp_bound_to_half_wnd(sk: TcpSock, pktsize: number): number {
  const cutoff = sk.maxWindow > TCP_MSS_DEFAULT ? sk.maxWindow >>> 1 : sk.maxWindow;
  if (cutoff && pktsize > cutoff) return Math.max(cutoff, 68 - sk.tcpHeaderLen);
  return pktsize;
}

/**
 * tcp_xmit_size_goal: how much data one skb of the write queue takes. Every
 * device skbwalk models takes GSO skbs (sk_can_gso), so it is as many whole
 * segments as fit in the socket's GSO size, bounded by half the peer's window.
 */
function tcp_xmit_size_goal(sk: TcpSock, mssNow: number): number {
  const newSizeGoal = tcp_bound_to_half_wnd(sk, SK_GSO_MAX_SIZE);
  let sizeGoal = sk.gsoSegs * mssNow;
  if (newSizeGoal < sizeGoal || newSizeGoal >= sizeGoal + mssNow) {
    sk.gsoSegs = Math.min(Math.floor(newSizeGoal / mssNow), 0xffff);
    sizeGoal = sk.gsoSegs * mssNow;
  }
  return Math.max(sizeGoal, mssNow);
}

/** tcp_skb_pcount: the segments an skb stands for on the wire. */
export function tcp_skb_pcount(skb: SkBuff): number {
  return Math.max(skb.gsoSegs, 1);
}

/** tcp_set_skb_tso_segs: an skb longer than one segment is a GSO skb cut at `mss`. */
function tcp_set_skb_tso_segs(skb: SkBuff, mss: number): number {
  const len = skbLen(skb);
  if (len <= mss) {
    skb.gsoSize = 0;
    skb.gsoSegs = 1;
  } else {
    skb.gsoSize = mss;
    skb.gsoSegs = Math.ceil(len / mss);
  }
  return skb.gsoSegs;
}

/**
 * tcp_nagle_check: a segment shorter than the MSS (`partial`) waits while an
 * earlier short one is unacknowledged (Minshall's variant of Nagle's rule),
 * unless the application asked for no delay.
 */
function tcp_nagle_check(sk: TcpSock, partial: boolean, nagleOff: boolean): boolean {
  const minshall = after(sk.sndSml, sk.sndUna) && !after(sk.sndSml, sk.sndNxt);
  return partial && !nagleOff && sk.sndUna !== sk.sndNxt && minshall;
}

/** tcp_packets_in_flight: segments sent and not yet acknowledged (no loss or SACK is modelled). */
function tcp_packets_in_flight(sk: TcpSock): number {
  let n = 0;
  for (const skb of sk.rtxQueue) n += tcp_skb_pcount(skb);
  return n;
}

/**
 * tcp_mss_split_point: how much of the skb may go now: `maxSegs` segments,
 * within the peer's window; a partial last segment waits if Nagle says so.
 */
function tcp_mss_split_point(sk: TcpSock, skb: SkBuff, mssNow: number, maxSegs: number, nagleOff: boolean): number {
  const cb = skb.tcpCb!;
  const window = (sk.sndUna + sk.sndWnd - cb.seq) >>> 0;
  const maxLen = mssNow * maxSegs;
  const isTail = skb === sk.writeQueue[sk.writeQueue.length - 1];
  if (maxLen <= window && !isTail) return maxLen;
  const needed = Math.min(skbLen(skb), window);
  if (maxLen <= needed) return maxLen;
  const partial = needed % mssNow;
  if (tcp_nagle_check(sk, partial !== 0, nagleOff)) return needed - partial;
  return needed;
}

/** tso_fragment: the skb keeps its first `len` bytes; the rest becomes the next skb of the write queue. */
function tso_fragment(w: World, sk: TcpSock, skb: SkBuff, len: number): void {
  const cb = skb.tcpCb!;
  const rest = skbLen(skb) - len;
  const buff = alloc_skb_fclone(w, rest, MAX_TCP_HEADER);
  buff.truesize = TCP_STREAM_SKB_TRUESIZE + rest;
  skb.truesize = TCP_STREAM_SKB_TRUESIZE + len;
  const o = skb_put(buff, rest);
  buff.head.set(skb.head.subarray(skb.data + len, skb.tail), o);
  skb.tail -= rest;
  const seq = (cb.seq + len) >>> 0;
  // The FIN belongs to the end of the data, now the second part's. PSH stays
  // on both, as Linux 6.18 sends them (record tcp-cwnd-split: a 7001-byte
  // write left as three skbs cut at half the congestion window, each [P.]).
  buff.tcpCb = { seq, endSeq: cb.endSeq, ackSeq: 0, flags: cb.flags, payload: o, sentAt: 0 };
  cb.flags &= ~TCPHDR_FIN;
  cb.endSeq = seq;
  sk.writeQueue.splice(sk.writeQueue.indexOf(skb) + 1, 0, buff);
  w.rec.skbNote(SKB_QUEUE_WRITE, buff.id, sk.id, sk.prot);
}

/** tcp_write_xmit: sends queued segments as the windows allow. Returns how many skbs went out. */
export function tcp_write_xmit(w: World, sk: TcpSock, nagleOff: boolean): number {
  enter(w, F_tcp_write_xmit);
  try {
    let sent = 0;
    const mssNow = sk.mssCache;
    while (sk.writeQueue.length) {
      const skb = sk.writeQueue[0];
      const cb = skb.tcpCb!;
      const tsoSegs = tcp_set_skb_tso_segs(skb, mssNow);
      // tcp_cwnd_test: room in the congestion window, counted in segments, and
      // no more than half of it at once, so that two GSO skbs are in flight.
      const inFlight = tcp_packets_in_flight(sk);
      if (inFlight >= sk.sndCwnd) break;
      const cwndQuota = Math.min(Math.max(sk.sndCwnd >>> 1, 1), sk.sndCwnd - inFlight);
      // tcp_snd_wnd_test: the first segment must fit in the peer's window.
      const len = cb.endSeq - cb.seq;
      const firstEnd = skbLen(skb) > mssNow ? (cb.seq + mssNow) >>> 0 : cb.endSeq;
      if (after(firstEnd, (sk.sndUna + sk.sndWnd) >>> 0) && len > 0 && !(cb.flags & TCPHDR_FIN && len === 1)) break;
      const dataLen = skbLen(skb);
      if (tsoSegs === 1) {
        // tcp_nagle_test: a FIN goes at once; a short segment may wait (tcp_nagle_check).
        if (!(cb.flags & TCPHDR_FIN) && tcp_nagle_check(sk, dataLen < mssNow, nagleOff)) break;
      } else {
        // tcp_tso_should_defer is not modelled: with a window this fresh it sends at once.
        const limit = tcp_mss_split_point(sk, skb, mssNow, Math.min(cwndQuota, Math.floor(SK_GSO_MAX_SIZE / mssNow)), nagleOff);
        if (limit === 0) break;
        if (dataLen > limit) {
          tso_fragment(w, sk, skb, limit);
          tcp_set_skb_tso_segs(skb, mssNow);
        }
      }
      sk.writeQueue.shift();
      sk.rtxQueue.push(skb);
      w.rec.skbNote(SKB_QUEUE_RTX, skb.id, sk.id, sk.prot);
      sk.sndNxt = cb.endSeq;
      tcp_transmit_skb(w, sk, skb, true);
      // tcp_minshall_update: remember where a short segment ended.
      if (skbLen(skb) < tcp_skb_pcount(skb) * mssNow) sk.sndSml = cb.endSeq;
      sent++;
    }
    if (sent && sk.rtxTimerAt === 0) inet_csk_reset_xmit_timer(w, sk, ICSK_TIME_RETRANS, w.now + sk.rto);
    return ret(w, sent);
  } finally {
    leave(w);
  }
}

/** tcp_send_fin */
export function tcp_send_fin(w: World, sk: TcpSock): void {
  enter(w, F_tcp_send_fin);
  try {
    const tail = sk.writeQueue[sk.writeQueue.length - 1];
    if (tail) {
      tail.tcpCb!.flags |= TCPHDR_FIN;
      tail.tcpCb!.endSeq = (tail.tcpCb!.endSeq + 1) >>> 0;
    } else {
      const skb = tcp_nondata_skb(w, sk.writeSeq, TCPHDR_FIN | TCPHDR_ACK);
      __skb_queue_tail(w, sk.writeQueue, skb);
      w.rec.skbNote(SKB_QUEUE_WRITE, skb.id, sk.id, sk.prot);
    }
    sk.writeSeq = (sk.writeSeq + 1) >>> 0;
    sk.finQueued = true;
    tcp_write_xmit(w, sk, true);
  } finally {
    leave(w);
  }
}

/** tcp_sendmsg's queueing: cuts `data` into skbs of at most the size goal (tcp_xmit_size_goal) at the tail of the write queue. */
export function tcp_queue_data(w: World, sk: TcpSock, data: Uint8Array): void {
  const sizeGoal = tcp_xmit_size_goal(sk, sk.mssCache);
  for (let off = 0; off < data.length;) {
    const n = Math.min(sizeGoal, data.length - off);
    const skb = alloc_skb_fclone(w, n, MAX_TCP_HEADER);
    skb.truesize = TCP_STREAM_SKB_TRUESIZE + n;
    const o = skb_put(skb, n);
    skb.head.set(data.subarray(off, off + n), o);
    skb.tcpCb = { seq: sk.writeSeq, endSeq: (sk.writeSeq + n) >>> 0, ackSeq: 0, flags: TCPHDR_ACK, payload: o, sentAt: 0 };
    sk.writeSeq = (sk.writeSeq + n) >>> 0;
    __skb_queue_tail(w, sk.writeQueue, skb);
    w.rec.skbNote(SKB_QUEUE_WRITE, skb.id, sk.id, sk.prot);
    off += n;
  }
  const last = sk.writeQueue[sk.writeQueue.length - 1];
  if (last && data.length) last.tcpCb!.flags |= TCPHDR_PSH;
}

/** tcp_make_synack's options: what we grant the SYN's sender (only what it offered). */
export function tcp_synack_options(w: World, req: RequestSock): number[] {
  return tcp_options_bytes({
    mss: req.mss,
    wscale: req.opt.wscaleOk ? req.opt.rcvWscale : -1,
    sackOk: req.opt.sackOk,
    ts: req.opt.tstampOk,
    tsval: req.opt.tstampOk ? tcp_time_stamp_ts(w, req.tsOffset) : 0,
    tsecr: req.opt.tsRecent,
  });
}

/** tcp_make_synack + tcp_v4_send_synack */
export function tcp_v4_send_synack(w: World, req: RequestSock, rt: Rtable): number {
  enter(w, F_tcp_send_synack);
  try {
    const skb = alloc_skb(w, 0, MAX_TCP_HEADER);
    tcp_build_header(
      skb,
      {
        sport: req.lport,
        dport: req.rport,
        seq: req.sntIsn,
        ack: (req.rcvIsn + 1) >>> 0,
        flags: TCPHDR_SYN | TCPHDR_ACK,
        window: Math.min(req.rcvWnd, 65535),
      },
      tcp_synack_options(w, req),
    );
    tcp_v4_send_check(skb, req.laddr, req.raddr);
    const net = netByUid(w, req.listener.netUid);
    return ret(
      w,
      ip_build_and_send_pkt(w, skb, rt, {
        saddr: req.laddr,
        daddr: req.raddr,
        protocol: 6,
        ttl: net.ipv4.sysctl.ip_default_ttl,
        tos: 0,
        df: true,
        id: 0,
      }),
    );
  } finally {
    leave(w);
  }
}

const F_tcp_send_active_reset = kfn(
  'tcp_send_active_reset',
  'net/ipv4/tcp_output.c',
  'We abort the connection (closed with unread data): the tcp_send_reset tracepoint, then an RST from our next sequence number.',
);

/** tcp_send_active_reset */
export function tcp_send_active_reset(w: World, sk: TcpSock): void {
  enter(w, F_tcp_send_active_reset);
  try {
    trace_tcp_send_reset(w, sk.netUid, { saddr: sk.saddr, sport: sk.num, daddr: sk.daddr, dport: sk.dport }, sk.state);
    const skb = tcp_nondata_skb(w, sk.sndNxt, TCPHDR_ACK | TCPHDR_RST);
    tcp_transmit_skb(w, sk, skb, false);
  } finally {
    leave(w);
  }
}

/** TCP_MTU_REDUCED_DEFERRED: an ICMP "fragmentation needed" came while the process held the socket. */
export const TCP_MTU_REDUCED_DEFERRED = 8;

/**
 * tcp_simple_retransmit + tcp_xmit_retransmit_queue: after the path MTU fell,
 * what is unacknowledged was dropped on the way; it goes again at once, cut
 * for the new MSS (a GSO skb keeps its data and takes the smaller segment size).
 */
function tcp_simple_retransmit(w: World, sk: TcpSock): void {
  const skb = sk.rtxQueue[0];
  if (!skb || skbLen(skb) <= sk.mssCache) return;
  tcp_set_skb_tso_segs(skb, sk.mssCache);
  __tcp_retransmit_skb(w, sk, skb);
  inet_csk_reset_xmit_timer(w, sk, ICSK_TIME_RETRANS, w.now + sk.rto);
}

/**
 * skb_still_in_host_queue: the clone sent last time is still alive and still
 * the socket's (skb_fclone_busy): it waits in this host, in a neighbour's
 * queue for ARP, say. Sending again would only queue a second copy.
 */
function skb_still_in_host_queue(sk: TcpSock, skb: SkBuff): boolean {
  const clone = skb.fclone;
  return clone !== null && clone.state === 'live' && clone.sk === sk.id;
}

/**
 * __tcp_retransmit_skb: sends a segment of the retransmit queue again, unless
 * its last copy has not even left the host (-EBUSY). The tcp_retransmit_skb
 * tracepoint reports every attempt, with its error, failed ones too.
 */
export function __tcp_retransmit_skb(w: World, sk: TcpSock, skb: SkBuff): number {
  // Not a step of its own: its work is tcp_transmit_skb's, inside the caller's frame.
  const err = skb_still_in_host_queue(sk, skb) ? -EBUSY : tcp_transmit_skb(w, sk, skb, true);
  trace_tcp_retransmit_skb(w, sk.netUid, sockEndpoints(sk), sk.state);
  return err;
}

/**
 * tcp_v4_mtu_reduced: the socket's route learns the reported MTU
 * (inet_csk_update_pmtu: update_pmtu, then the route is looked up again), and
 * if that is below what the MSS was computed for, the MSS shrinks and the
 * dropped data is sent again.
 */
export function tcp_v4_mtu_reduced(w: World, sk: TcpSock): void {
  enter(w, F_tcp_v4_mtu_reduced);
  try {
    if (sk.state === TCP_LISTEN || sk.state === TCP_CLOSE || !sk.dst) return;
    const net = netByUid(w, sk.netUid);
    // __build_flow_key: an output flow, from the loopback device as every output lookup is.
    const fl = { oif: sk.boundDevIf, iif: 1, proto: 6, saddr: sk.saddr, daddr: sk.daddr, scope: RT_SCOPE_UNIVERSE };
    __ip_rt_update_pmtu(w, net, sk.dst, fl, sk.mtuInfo);
    const r = ip_route_output_key(w, net, { ...fl });
    if (!('rt' in r)) return;
    sk.dst = r.rt;
    const mtu = dst_mtu(w, sk.dst);
    if (sk.pmtuCookie > mtu) {
      tcp_sync_mss(sk, mtu);
      tcp_simple_retransmit(w, sk);
    }
  } finally {
    leave(w);
  }
}

/** tcp_release_cb: the work a softirq or timer left while the process held the socket. */
export function tcp_release_cb(w: World, sk: TcpSock): void {
  const flags = sk.deferred;
  if (!flags) return;
  sk.deferred = 0;
  if (flags & TCP_MTU_REDUCED_DEFERRED) tcp_v4_mtu_reduced(w, sk);
  if (flags & TCP_WRITE_TIMER_DEFERRED) tcp_retransmit_timer(w, sk);
  if (flags & TCP_DELACK_TIMER_DEFERRED) tcp_delack_timer(w, sk);
  if (flags & TCP_ACK_DEFERRED && sk.ack.pending) tcp_send_ack(w, sk);
}
