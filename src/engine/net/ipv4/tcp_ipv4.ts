// TCP over IPv4 (net/ipv4/tcp_ipv4.c): connect, the receive entry point and
// its socket lookup, the backlog, resets, and the listener's side of the
// handshake (request socks and the child socket).
import type { World } from '../../kernel/world.ts';
import { newUid, randomU32 } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { PACKET_HOST, skbLen } from '../../include/skbuff.ts';
import type { RequestSock, TcpSock } from '../../include/tcp.ts';
import {
  TCP_CLOSE,
  TCP_ESTABLISHED,
  TCP_LISTEN,
  TCP_NEW_SYN_RECV,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  TCPHDR_ACK,
  TCPHDR_FIN,
  TCPHDR_RST,
  TCPHDR_SYN,
} from '../../include/tcp.ts';
import { RTCF_BROADCAST, RTN_LOCAL, RT_SCOPE_UNIVERSE } from '../../include/route.ts';
import { EADDRNOTAVAIL, EISCONN, EALREADY, ENETUNREACH, EHOSTUNREACH, EPROTO } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { trace_tcp_send_reset } from '../../trace/tracepoints.ts';
import { get16, get32, kfree_skb_reason } from '../core/skbuff.ts';
import { SKB_ACCEPT_QUEUE, SKB_REQUEST } from '../../trace/skblog.ts';
import { sk_data_ready, sk_error_report } from '../core/sock.ts';
import { inet_add_protocol } from './protocol.ts';
import { ip_route_connect, ip_route_output_flow } from './route.ts';
import { ip_make_skb, ip_push_pending_frames } from './ip_output.ts';
import {
  after,
  before,
  tcp_close,
  tcp_disconnect,
  tcp_init_sock,
  tcp_recvmsg,
  tcp_sendmsg,
  tcp_done_with_error,
  tcp_set_state,
  tcp_shutdown_sock,
  tcp_v4_init_sock,
} from './tcp.ts';
import { proto_register } from '../core/sock.ts';
import { tcp_rcv_established, tcp_rcv_state_process, tcp_parse_options } from './tcp_input.ts';
import {
  MAX_TCP_HEADER,
  tcp_build_header,
  tcp_connect,
  tcp_full_space,
  tcp_select_initial_window,
  tcp_sync_mss,
  tcp_v4_full_check,
  tcp_v4_send_synack,
  tcp_send_active_reset,
  tcp_v4_mtu_reduced,
  TCP_MTU_REDUCED_DEFERRED,
} from './tcp_output.ts';
import {
  icmp_err_convert,
  ICMP_DEST_UNREACH,
  ICMP_FRAG_NEEDED,
  ICMP_PARAMETERPROB,
  ICMP_TIME_EXCEEDED,
  NR_ICMP_UNREACH,
} from './icmp.ts';
import { ip_icmp_error } from './ip_sockglue.ts';
import { alloc_skb } from '../core/skbuff.ts';
import {
  inet_csk_clone_lock,
  inet_csk_get_port,
  inet_csk_reqsk_queue_add,
  inet_csk_route_child_sock,
  inet_csk_route_req,
} from './inet_connection_sock.ts';
import { dst_metric_advmss, dst_mtu } from './route.ts';
import { netByUid } from '../core/net_namespace.ts';

const F_tcp_v4_rcv = kfn(
  'tcp_v4_rcv',
  'net/ipv4/tcp_ipv4.c',
  "TCP's receive handler in inet_protos: finds the socket by the four addresses (a connection, a half-open request, or else a listener). No socket: the sender gets a reset and the segment is dropped with NO_SOCKET. A socket a process holds gets the segment in its backlog.",
);
const F_tcp_v4_do_rcv = kfn(
  'tcp_v4_do_rcv',
  'net/ipv4/tcp_ipv4.c',
  'Hands the segment to the socket: the established fast path (tcp_rcv_established) or the state machine (tcp_rcv_state_process), and answers with a reset when that asks for one.',
);
const F_tcp_v4_connect = kfn(
  'tcp_v4_connect',
  'net/ipv4/tcp_ipv4.c',
  'connect(): routes to the destination (twice, to pick the source address), enters SYN_SENT, picks an ephemeral port (inet_hash_connect) and routes again with it, chooses the initial sequence number and timestamp offset, then sends the SYN.',
  'errno',
);
const F_tcp_v4_send_reset = kfn(
  'tcp_v4_send_reset',
  'net/ipv4/tcp_ipv4.c',
  "Answers a segment with a reset (never a reset with a reset): the tcp_send_reset tracepoint, then a bare RST built from the segment's own numbers and sent with ip_send_unicast_reply through a per-namespace control socket.",
);
const F_tcp_v4_conn_request = kfn(
  'tcp_v4_conn_request',
  'net/ipv4/tcp_ipv4.c',
  "A SYN for a listener (tcp_conn_request): a request sock records the peer's options, a route back is found (inet_csk_route_req), an initial sequence number chosen, and the SYN-ACK sent. The request waits in the namespace's ehash for the final ACK.",
  'int',
);
const F_tcp_v4_syn_recv_sock = kfn(
  'tcp_v4_syn_recv_sock',
  'net/ipv4/tcp_ipv4.c',
  "The handshake's last ACK: the child socket is cloned from the listener (SYN_RECV), given its route (inet_csk_route_child_sock) and its MSS, and replaces the request in the ehash; the listener's accept queue gets it.",
);
const F_tcp_v4_early_demux = kfn(
  'tcp_v4_early_demux',
  'net/ipv4/tcp_ipv4.c',
  'Before routing a received segment, IPv4 asks TCP whether it belongs to a connection that cached its input route (sk_rx_dst): if so the route lookup is skipped.',
);
const F_tcp_add_backlog = kfn(
  'tcp_add_backlog',
  'net/ipv4/tcp_ipv4.c',
  "A process holds the socket: the segment waits in the socket's backlog (its route dropped) until release_sock processes it in that process's context.",
);
const F_ip_send_unicast_reply = kfn(
  'ip_send_unicast_reply',
  'net/ipv4/ip_output.c',
  'Sends a reply on behalf of no socket (a reset): routes back to the sender from the address it wrote to, and builds the packet with the control socket (DF set, IP ID 0).',
);
const F_tcp_check_req = kfn(
  'tcp_check_req',
  'net/ipv4/tcp_minisocks.c',
  'A segment for a half-open request: the ACK of our SYN-ACK creates the child socket (syn_recv_sock); a retransmitted SYN gets the SYN-ACK again; anything else is dropped or reset.',
);
const F_tcp_child_process = kfn(
  'tcp_child_process',
  'net/ipv4/tcp_minisocks.c',
  'The new child processes the ACK that created it (SYN_RECV to ESTABLISHED), then the listener is told (sk_data_ready) so that accept() wakes.',
);

const TCP_MSS_DEFAULT = 536;

function protocolNet(w: World, skb: SkBuff): Net {
  return skb.dev!.net;
}

/** The segment's four addresses, as seen by the receiver: local first. */
function addrs(skb: SkBuff): { saddr: number; sport: number; daddr: number; dport: number } {
  const ih = skb.networkHeader;
  const th = skb.transportHeader;
  return {
    saddr: get32(skb.head, ih + 16),
    sport: get16(skb.head, th + 2),
    daddr: get32(skb.head, ih + 12),
    dport: get16(skb.head, th),
  };
}

function matchEstablished(sk: TcpSock | RequestSock, a: ReturnType<typeof addrs>): boolean {
  if ('wq' in sk) return sk.saddr === a.saddr && sk.num === a.sport && sk.daddr === a.daddr && sk.dport === a.dport;
  return sk.laddr === a.saddr && sk.lport === a.sport && sk.raddr === a.daddr && sk.rport === a.dport;
}

/** __inet_lookup_established */
export function inet_lookup_established(net: Net, a: ReturnType<typeof addrs>): TcpSock | RequestSock | null {
  for (const sk of net.tcp.established) if (matchEstablished(sk, a)) return sk;
  return null;
}

/** __inet_lookup_listener: the best listener for the local address and port (bound address over wildcard). */
export function inet_lookup_listener(net: Net, daddr: number, dport: number, dif: number): TcpSock | null {
  let best: TcpSock | null = null;
  let bestScore = -1;
  for (const sk of net.tcp.listening) {
    if (sk.num !== dport) continue;
    let score = 1;
    if (sk.saddr) {
      if (sk.saddr !== daddr) continue;
      score += 4;
    }
    if (sk.boundDevIf) {
      if (sk.boundDevIf !== dif) continue;
      score += 4;
    }
    if (score > bestScore) {
      best = sk;
      bestScore = score;
    }
  }
  return best;
}

/** tcp_v4_fill_cb: TCP_SKB_CB from the header; skb.data stays at the TCP header. */
function tcp_v4_fill_cb(skb: SkBuff): void {
  const b = skb.head;
  const th = skb.transportHeader;
  const doff = (b[th + 12] >> 4) * 4;
  const flags = b[th + 13];
  const seq = get32(b, th + 4);
  const len = skb.tail - th - doff;
  skb.tcpCb = {
    seq,
    endSeq: (seq + len + (flags & TCPHDR_SYN ? 1 : 0) + (flags & TCPHDR_FIN ? 1 : 0)) >>> 0,
    ackSeq: get32(b, th + 8),
    flags,
    payload: th + doff,
    sentAt: 0,
  };
}

/** tcp_v4_early_demux (the net_protocol's early_demux). */
export function tcp_v4_early_demux(w: World, skb: SkBuff): void {
  if (skb.pktType !== PACKET_HOST) return;
  const net = protocolNet(w, skb);
  if (!net.tcp.established.length) return;
  const th = skb.transportHeader;
  if (skb.tail - th < 20) return;
  enter(w, F_tcp_v4_early_demux, skb, skb.dev);
  try {
    const sk = inet_lookup_established(net, addrs(skb));
    if (sk && 'wq' in sk && sk.rxDst && sk.rxDstIfindex === skb.skbIif) skb.dst = sk.rxDst;
  } finally {
    leave(w);
  }
}

/** tcp_v4_rcv */
export function tcp_v4_rcv(w: World, skb: SkBuff): void {
  enter(w, F_tcp_v4_rcv, skb, skb.dev);
  try {
    const net = protocolNet(w, skb);
    if (skb.pktType !== PACKET_HOST) {
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'tcp_v4_rcv');
      return;
    }
    skb.transportHeader = skb.data;
    const th = skb.transportHeader;
    if (skbLen(skb) < 20) {
      kfree_skb_reason(w, skb, 'PKT_TOO_SMALL', 'tcp_v4_rcv');
      return;
    }
    const doff = (skb.head[th + 12] >> 4) * 4;
    if (doff < 20 || doff > skbLen(skb)) {
      kfree_skb_reason(w, skb, 'PKT_TOO_SMALL', 'tcp_v4_rcv');
      return;
    }
    tcp_v4_fill_cb(skb);
    const a = addrs(skb);
    const found = inet_lookup_established(net, a);
    if (found && !('wq' in found)) {
      // A half-open request: tcp_check_req, then the child's own processing.
      const req = found;
      const listener = req.listener;
      const child = tcp_check_req(w, listener, skb, req);
      if (!child) return;
      const reason = tcp_child_process(w, listener, child, skb);
      if (reason) {
        tcp_v4_send_reset(w, child, skb);
        kfree_skb_reason(w, skb, reason, 'tcp_v4_rcv');
      }
      return;
    }
    let sk: TcpSock | null = found;
    if (!sk) {
      const tw = net.tcp.timeWait.find(
        (t) => t.until > w.now && t.saddr === a.saddr && t.sport === a.sport && t.daddr === a.daddr && t.dport === a.dport,
      );
      if (tw && !(skb.tcpCb!.flags & TCPHDR_SYN)) {
        // tcp_timewait_state_process: the connection is over; what the peer still sends is dropped.
        kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'tcp_v4_rcv');
        return;
      }
      sk = inet_lookup_listener(net, a.saddr, a.sport, skb.skbIif);
    }
    if (!sk) {
      // no_tcp_socket
      tcp_v4_send_reset(w, null, skb);
      kfree_skb_reason(w, skb, 'NO_SOCKET', 'tcp_v4_rcv');
      return;
    }
    if (sk.state === TCP_LISTEN) {
      tcp_v4_do_rcv(w, sk, skb);
      return;
    }
    if (!sk.owned) tcp_v4_do_rcv(w, sk, skb);
    else tcp_add_backlog(w, sk, skb);
  } finally {
    leave(w);
  }
}

/** tcp_add_backlog */
function tcp_add_backlog(w: World, sk: TcpSock, skb: SkBuff): void {
  enter(w, F_tcp_add_backlog, skb, skb.dev);
  try {
    skb.dst = null;
    sk.backlog.push(skb);
  } finally {
    leave(w);
  }
}

/** tcp_v4_do_rcv: also sk_backlog_rcv, for segments from the backlog. */
export function tcp_v4_do_rcv(w: World, sk: TcpSock, skb: SkBuff): void {
  enter(w, F_tcp_v4_do_rcv, skb, skb.dev);
  try {
    if (sk.state === TCP_ESTABLISHED) {
      if (sk.rxDst && sk.rxDstIfindex !== skb.skbIif) sk.rxDst = null;
      if (!sk.rxDst && skb.dst) {
        sk.rxDst = skb.dst;
        sk.rxDstIfindex = skb.skbIif;
      }
      tcp_rcv_established(w, sk, skb);
      return;
    }
    const reason = tcp_rcv_state_process(w, sk, skb, tcp_v4_conn_request);
    if (reason) {
      tcp_v4_send_reset(w, sk, skb);
      kfree_skb_reason(w, skb, reason, 'tcp_v4_do_rcv');
    }
  } finally {
    leave(w);
  }
}

/** tcp_v4_send_reset: `sk` null when no socket answers. */
export function tcp_v4_send_reset(w: World, sk: TcpSock | null, skb: SkBuff): void {
  const cb = skb.tcpCb!;
  if (cb.flags & TCPHDR_RST) return;
  if (!sk && (!skb.dst || skb.dst.type !== RTN_LOCAL)) return;
  enter(w, F_tcp_v4_send_reset, skb, skb.dev);
  try {
    const a = addrs(skb);
    const net = protocolNet(w, skb);
    const hdr = { sport: a.sport, dport: a.dport, seq: 0, ack: 0, flags: TCPHDR_RST, window: 0 };
    if (cb.flags & TCPHDR_ACK) hdr.seq = cb.ackSeq;
    else {
      hdr.flags |= TCPHDR_ACK;
      hdr.ack = cb.endSeq;
    }
    trace_tcp_send_reset(w, net.uid, a, sk ? sk.state : 0);
    ip_send_unicast_reply(w, net, sk ? sk.boundDevIf : 0, a.saddr, a.daddr, hdr);
  } finally {
    leave(w);
  }
}

/** ip_send_unicast_reply for a TCP segment with no payload, from `saddr` to `daddr`. */
function ip_send_unicast_reply(
  w: World,
  net: Net,
  oif: number,
  saddr: number,
  daddr: number,
  hdr: Parameters<typeof tcp_build_header>[1],
): void {
  enter(w, F_ip_send_unicast_reply);
  try {
    const fl = { oif, iif: 1, proto: 6, saddr, daddr, scope: RT_SCOPE_UNIVERSE };
    const r = ip_route_output_flow(w, net, fl);
    if ('err' in r) return;
    const seg = alloc_skb(w, 0, MAX_TCP_HEADER);
    tcp_build_header(seg, hdr, []);
    tcp_v4_full_check(seg, saddr, daddr);
    const payload = seg.head.slice(seg.transportHeader, seg.tail);
    const skb = ip_make_skb(w, net, {
      saddr,
      daddr,
      protocol: 6,
      ttl: net.ipv4.sysctl.ip_default_ttl,
      tos: 0,
      df: true,
      payload,
      id: 0,
    });
    ip_push_pending_frames(w, skb, r.rt);
  } finally {
    leave(w);
  }
}

/** secure_tcp_seq / secure_tcp_ts_off: unpredictable, from the machine's seeded generator. */
function secureSeq(w: World): number {
  return randomU32(w);
}

/**
 * inet_hash_connect: an ephemeral port for a connecting socket, one no other
 * socket of the namespace holds (the even ones first, as the kernel tries).
 */
function inet_hash_connect(w: World, net: Net, sk: TcpSock): number {
  const low = net.tcpSysctl.portLow;
  const high = net.tcpSysctl.portHigh + 1;
  const remaining = (high - low) & ~1;
  const used = new Set<number>(net.tcp.bound.map((s) => s.num));
  for (const t of net.tcp.timeWait) if (t.until > w.now && t.daddr === sk.daddr && t.dport === sk.dport) used.add(t.sport);
  let offset = (randomU32(w) % remaining) & ~1;
  for (let parity = 0; parity < 2; parity++) {
    for (let i = 0; i < remaining; i += 2) {
      const port = low + ((offset + i) % remaining);
      if (!used.has(port)) {
        sk.num = port;
        net.tcp.bound.push(sk);
        net.tcp.established.push(sk);
        return 0;
      }
    }
    offset++;
  }
  return -EADDRNOTAVAIL;
}

/** tcp_v4_connect */
export function tcp_v4_connect(w: World, sk: TcpSock, daddr: number, dport: number): number {
  enter(w, F_tcp_v4_connect);
  try {
    if (sk.state === TCP_SYN_SENT) return ret(w, -EALREADY);
    if (sk.state !== TCP_CLOSE) return ret(w, -EISCONN);
    const net = netByUid(w, sk.netUid);
    const r = ip_route_connect(w, net, daddr, sk.saddr, sk.boundDevIf, 6, true);
    if ('err' in r) return ret(w, r.err);
    if (r.rt.flags & RTCF_BROADCAST) return ret(w, -ENETUNREACH);
    if (!sk.saddr) sk.saddr = r.fl.saddr;
    // sk_rcv_saddr_set: the bound address is now the source (what ss and getsockname show).
    sk.rcvSaddr = sk.saddr;
    sk.daddr = daddr;
    sk.dport = dport;
    sk.rxOpt.mssClamp = TCP_MSS_DEFAULT;
    tcp_set_state(w, sk, TCP_SYN_SENT);
    const origSport = sk.num;
    const err = sk.num ? (net.tcp.established.push(sk), 0) : inet_hash_connect(w, net, sk);
    if (err) {
      tcp_set_state(w, sk, TCP_CLOSE);
      return ret(w, err);
    }
    // ip_route_newports: if the port changed (it was picked just now, not at
    // bind()), the flow is routed again.
    let rt = r.rt;
    if (sk.num !== origSport) {
      const r2 = ip_route_output_flow(w, net, {
        oif: sk.boundDevIf,
        iif: 1,
        proto: 6,
        saddr: sk.saddr,
        daddr,
        scope: RT_SCOPE_UNIVERSE,
      });
      if ('err' in r2) {
        tcp_set_state(w, sk, TCP_CLOSE);
        return ret(w, r2.err);
      }
      rt = r2.rt;
    }
    sk.dst = rt;
    sk.writeSeq = secureSeq(w);
    sk.tsOffset = secureSeq(w);
    sk.inetId = randomU32(w) & 0xffff;
    return ret(w, tcp_connect(w, sk));
  } finally {
    leave(w);
  }
}

/** tcp_openreq_init_rwin: the request's window, from the listener's buffer and the route's MSS less the timestamps. */
function tcp_openreq_init_rwin(net: Net, req: RequestSock, listener: TcpSock, mss: number): void {
  const init = tcp_select_initial_window(
    tcp_full_space(listener),
    mss - (req.opt.tstampOk ? 12 : 0),
    listener.windowClamp,
    req.opt.wscaleOk,
    net.tcpSysctl.rmem[2],
  );
  req.rcvWnd = init.rcvWnd;
  req.windowClamp = init.windowClamp;
  req.opt.rcvWscale = init.rcvWscale;
}

/** tcp_v4_conn_request (tcp_conn_request): returns false to have the SYN answered with a reset. */
export function tcp_v4_conn_request(w: World, sk: TcpSock, skb: SkBuff): boolean {
  enter(w, F_tcp_v4_conn_request, skb, skb.dev);
  try {
    const net = protocolNet(w, skb);
    if (sk.acceptQueue.length > sk.maxAckBacklog) {
      return ret(w, true);
    }
    const a = addrs(skb);
    const cb = skb.tcpCb!;
    const sys = net.tcpSysctl;
    const opt = {
      mssClamp: TCP_MSS_DEFAULT,
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
    };
    opt.mssClamp = 0;
    tcp_parse_options(skb, true, opt);
    if (!opt.mssClamp) opt.mssClamp = TCP_MSS_DEFAULT;
    // tcp_openreq_init: only what both sides enable is used.
    opt.tstampOk = opt.sawTstamp && sys.tcp_timestamps !== 0;
    opt.tsRecent = opt.tstampOk ? opt.rcvTsval : 0;
    opt.sackOk = opt.sackOk && sys.tcp_sack !== 0;
    opt.wscaleOk = opt.wscaleOk && sys.tcp_window_scaling !== 0;
    if (!opt.wscaleOk) opt.sndWscale = 0;
    const req: RequestSock = {
      id: newUid(w),
      state: TCP_NEW_SYN_RECV,
      listener: sk,
      laddr: a.saddr,
      lport: a.sport,
      raddr: a.daddr,
      rport: a.dport,
      rcvIsn: cb.seq,
      sntIsn: 0,
      mss: 0,
      opt,
      tsOffset: 0,
      rcvWnd: 0,
      windowClamp: 0,
      numRetrans: 0,
      timerGen: 0,
      iif: sk.boundDevIf,
    };
    const rt = inet_csk_route_req(w, net, sk, req);
    if (!rt) {
      kfree_skb_reason(w, skb, 'IP_OUTNOROUTES', 'tcp_conn_request');
      return ret(w, true);
    }
    req.sntIsn = secureSeq(w);
    req.tsOffset = secureSeq(w);
    req.mss = dst_metric_advmss(w, rt);
    tcp_openreq_init_rwin(net, req, sk, req.mss);
    net.tcp.established.push(req);
    sk.synQueue.push(req);
    w.rec.skbNote(SKB_REQUEST, skb.id, req.id, String(sk.id));
    tcp_v4_send_synack(w, req, rt);
    return ret(w, true);
  } finally {
    leave(w);
  }
}

/** tcp_check_req: the child for an acceptable ACK, else null (the segment was dealt with). */
function tcp_check_req(w: World, listener: TcpSock, skb: SkBuff, req: RequestSock): TcpSock | null {
  enter(w, F_tcp_check_req, skb, skb.dev);
  try {
    const cb = skb.tcpCb!;
    const net = protocolNet(w, skb);
    if (cb.flags & TCPHDR_RST) {
      dropRequest(net, req);
      kfree_skb_reason(w, skb, 'TCP_RESET', 'tcp_check_req');
      return ret(w, null);
    }
    if (cb.flags & TCPHDR_SYN && cb.seq === req.rcvIsn) {
      // A retransmitted SYN: answer it again.
      const rt = inet_csk_route_req(w, net, listener, req);
      if (rt) tcp_v4_send_synack(w, req, rt);
      kfree_skb_reason(w, skb, 'TCP_FLAGS', 'tcp_check_req');
      return ret(w, null);
    }
    if (!(cb.flags & TCPHDR_ACK) || cb.ackSeq !== (req.sntIsn + 1) >>> 0) {
      if (cb.flags & TCPHDR_ACK) tcp_v4_send_reset(w, null, skb);
      kfree_skb_reason(w, skb, 'TCP_ACK_UNSENT_DATA', 'tcp_check_req');
      return ret(w, null);
    }
    if (before(cb.seq, (req.rcvIsn + 1) >>> 0) || after(cb.seq, (req.rcvIsn + 1 + req.rcvWnd) >>> 0)) {
      kfree_skb_reason(w, skb, 'TCP_INVALID_SEQUENCE', 'tcp_check_req');
      return ret(w, null);
    }
    const child = tcp_v4_syn_recv_sock(w, listener, skb, req);
    if (!child) {
      kfree_skb_reason(w, skb, 'TCP_LISTEN_OVERFLOW', 'tcp_check_req');
      return ret(w, null);
    }
    return ret(w, child);
  } finally {
    leave(w);
  }
}

function dropRequest(net: Net, req: RequestSock): void {
  net.tcp.established = net.tcp.established.filter((s) => s !== req);
  req.listener.synQueue = req.listener.synQueue.filter((r) => r !== req);
  req.timerGen++;
}

/** tcp_v4_syn_recv_sock (with tcp_create_openreq_child) */
function tcp_v4_syn_recv_sock(w: World, listener: TcpSock, skb: SkBuff, req: RequestSock): TcpSock | null {
  enter(w, F_tcp_v4_syn_recv_sock, skb, skb.dev);
  try {
    const net = protocolNet(w, skb);
    if (listener.acceptQueue.length > listener.maxAckBacklog) return ret(w, null);
    const child = inet_csk_clone_lock(w, net, listener, req, tcp_init_sock(w, net));
    // inet_sk_rx_dst_set: the ACK's input route serves this connection's later segments.
    if (skb.dst) {
      child.rxDst = skb.dst;
      child.rxDstIfindex = skb.skbIif;
    }
    child.inetId = randomU32(w) & 0xffff;
    const rt = inet_csk_route_child_sock(w, net, child, req);
    if (!rt) {
      tcp_set_state(w, child, TCP_CLOSE);
      return ret(w, null);
    }
    child.dst = rt;
    tcp_sync_mss(child, dst_mtu(w, rt));
    child.advmss = dst_metric_advmss(w, rt);
    child.ack.rcvMss = Math.min(child.advmss, child.mssCache, TCP_MSS_DEFAULT);
    child.sndWnd = get16(skb.head, skb.transportHeader + 14) * 2 ** child.rxOpt.sndWscale;
    child.maxWindow = child.sndWnd;
    child.sndWl1 = skb.tcpCb!.seq;
    // inet_ehash_nolisten: the child takes the request's place.
    net.tcp.established = net.tcp.established.map((s) => (s === req ? child : s));
    listener.synQueue = listener.synQueue.filter((r) => r !== req);
    req.timerGen++;
    // __inet_inherit_port: the child holds its listener's port too.
    net.tcp.bound.push(child);
    inet_csk_reqsk_queue_add(listener, child);
    w.rec.skbNote(SKB_ACCEPT_QUEUE, skb.id, child.id, String(listener.id));
    return ret(w, child);
  } finally {
    leave(w);
  }
}

/** tcp_child_process: returns a drop reason when the child asks for a reset. */
function tcp_child_process(w: World, parent: TcpSock, child: TcpSock, skb: SkBuff): string | null {
  enter(w, F_tcp_child_process, skb, skb.dev);
  try {
    const state = child.state;
    if (child.owned) {
      child.backlog.push(skb);
      return ret(w, null);
    }
    const reason = tcp_rcv_state_process(w, child, skb, tcp_v4_conn_request);
    if (state === TCP_SYN_RECV && child.state !== state) sk_data_ready(w, parent);
    return ret(w, reason);
  } finally {
    leave(w);
  }
}

function isFull(s: TcpSock | RequestSock): s is TcpSock {
  return 'wq' in s;
}

// tcp_prot: what the socket layer calls for TCP sockets.
proto_register({
  name: 'TCP',
  init: (w, sk) => void tcp_v4_init_sock(w, sk),
  close: (w, sk) => tcp_close(w, sk as TcpSock),
  connect: (w, sk, daddr, dport) => tcp_v4_connect(w, sk as TcpSock, daddr, dport),
  disconnect: (w, sk) => tcp_disconnect(w, sk as TcpSock, tcp_send_active_reset),
  sendmsg: (w, sk, msg) => tcp_sendmsg(w, sk as TcpSock, msg.data),
  recvmsg: (w, sk, msg) => {
    const out: number[] = [];
    const n = tcp_recvmsg(w, sk as TcpSock, msg.size, out);
    msg.data = Uint8Array.from(out);
    return n;
  },
  get_port: (w, sk, snum) => inet_csk_get_port(w, sk as TcpSock, snum),
  unhash: (w, sk) => {
    const net = netByUid(w, sk.netUid);
    net.tcp.listening = net.tcp.listening.filter((s) => s !== sk);
    net.tcp.established = net.tcp.established.filter((s) => s !== sk);
  },
  shutdown: (w, sk, how) => tcp_shutdown_sock(w, sk as TcpSock, how),
  // ss lists the listening hash first, then the established one.
  sockets: (net) => [...net.tcp.listening, ...net.tcp.established.filter(isFull)],
});

// inet_init: TCP is IPv4's protocol 6, with early demux.
const F_tcp_v4_err = kfn(
  'tcp_v4_err',
  'net/ipv4/tcp_ipv4.c',
  'An ICMP error quotes one of our segments: the connection it belongs to is found by the quoted addresses and ports. A "fragmentation needed" starts path MTU discovery (tcp_v4_mtu_reduced), now or when the process lets go of the socket. Any other error about a SYN ends the connection attempt: kept on the error queue, and the socket closed with the errno the error means (or, while the process holds the socket, noted as its soft error for connect() to report). An established connection only notes it and keeps retransmitting.',
);

/**
 * tcp_v4_err. Not modelled: redirects, and RFC 6069's revert of the
 * retransmission backoff on net/host unreachable (tcp_ld_RTO_revert).
 */
function tcp_v4_err(w: World, skb: SkBuff, inner: number, info: number): void {
  enter(w, F_tcp_v4_err, skb, skb.dev);
  try {
    const h = skb.head;
    const ith = inner + (h[inner] & 0xf) * 4;
    if (skb.tail < ith + 8) return;
    const found = inet_lookup_established(skb.dev!.net, {
      saddr: get32(h, inner + 12),
      sport: get16(h, ith),
      daddr: get32(h, inner + 16),
      dport: get16(h, ith + 2),
    });
    if (!found || !('wq' in found)) return;
    const sk = found;
    // A quoted sequence number outside what is in flight is stale or forged.
    const seq = get32(h, ith + 4);
    if (sk.state !== TCP_LISTEN && (before(seq, sk.sndUna) || after(seq, sk.sndNxt))) return;
    const type = h[skb.data];
    const code = h[skb.data + 1];
    let err: number;
    if (type === ICMP_DEST_UNREACH) {
      if (code > NR_ICMP_UNREACH) return;
      if (code === ICMP_FRAG_NEEDED) {
        if (sk.state === TCP_LISTEN) return;
        sk.mtuInfo = info;
        if (!sk.owned) tcp_v4_mtu_reduced(w, sk);
        else sk.deferred |= TCP_MTU_REDUCED_DEFERRED;
        return;
      }
      err = icmp_err_convert[code][0];
    } else if (type === ICMP_PARAMETERPROB) err = EPROTO;
    else if (type === ICMP_TIME_EXCEEDED) err = EHOSTUNREACH;
    else return;
    if (sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV) {
      ip_icmp_error(w, sk, skb);
      if (!sk.owned) tcp_done_with_error(w, sk, err);
      else sk.errSoft = err;
      return;
    }
    // Connected: RFC 1122 lets only a few errors be hard; without IP_RECVERR it waits for a timeout.
    if (!sk.owned && sk.recverr) {
      sk.err = err;
      sk_error_report(w, sk);
    } else sk.errSoft = err;
  } finally {
    leave(w);
  }
}

inet_add_protocol({ handler: tcp_v4_rcv, early_demux: tcp_v4_early_demux, err_handler: tcp_v4_err }, 6);
