// `struct tcp_sock` (with the inet_connection_sock and inet_sock parts TCP
// uses), the request sock of a half-open connection, and the control block
// TCP keeps in each skb (include/net/tcp.h, include/linux/tcp.h).
import type { SkBuff } from './skbuff.ts';
import type { Rtable } from './route.ts';

// The states and their names are struct sock's (include/net/tcp_states.h, in sock.ts).
export {
  TCP_ESTABLISHED,
  TCP_SYN_SENT,
  TCP_SYN_RECV,
  TCP_FIN_WAIT1,
  TCP_FIN_WAIT2,
  TCP_TIME_WAIT,
  TCP_CLOSE,
  TCP_CLOSE_WAIT,
  TCP_LAST_ACK,
  TCP_LISTEN,
  TCP_CLOSING,
  TCP_NEW_SYN_RECV,
  TCP_STATE_NAMES,
  RCV_SHUTDOWN,
  SEND_SHUTDOWN,
} from './sock.ts';
import type { Sock } from './sock.ts';

// TCP header flags (TCPHDR_*)
export const TCPHDR_FIN = 0x01;
export const TCPHDR_SYN = 0x02;
export const TCPHDR_RST = 0x04;
export const TCPHDR_PSH = 0x08;
export const TCPHDR_ACK = 0x10;

/** TCP_SKB_CB(skb): where a segment lies in the sequence space, and its flags. */
export interface TcpSkbCb {
  seq: number;
  endSeq: number;
  ackSeq: number;
  flags: number;
  /** Offset of the payload in skb.head (after the TCP header), for received segments. */
  payload: number;
  /** When it was (last) sent, ns: what an ACK of it measures the RTT from. */
  sentAt: number;
}

/** The options a segment carried or a connection negotiated (struct tcp_options_received). */
export interface TcpOptionsReceived {
  mssClamp: number;
  sackOk: boolean;
  tstampOk: boolean;
  wscaleOk: boolean;
  sndWscale: number;
  rcvWscale: number;
  sawTstamp: boolean;
  rcvTsval: number;
  rcvTsecr: number;
  tsRecent: number;
  tsRecentStamp: number;
}

/** inet_connection_sock's icsk_ack: the delayed-ACK machine. */
export interface IcskAck {
  /** ICSK_ACK_SCHED | ICSK_ACK_TIMER | ICSK_ACK_PUSHED ... */
  pending: number;
  /** Quick ACKs still to send before delaying. */
  quick: number;
  /** Ping-pong (interactive) mode: ACKs are delayed to ride on replies. */
  pingpong: boolean;
  /** Predicted delay before an ACK is due, ns (0 until data has come in). */
  ato: number;
  /** When the delayed-ACK timer fires, ns (0: not armed). */
  timeout: number;
  /** MSS of the peer's data as seen (icsk_ack.rcv_mss). */
  rcvMss: number;
  lrcvtime: number;
}

export const ICSK_ACK_SCHED = 1;
export const ICSK_ACK_TIMER = 2;
export const ICSK_ACK_PUSHED = 4;
export const ICSK_ACK_PUSHED2 = 8;
export const ICSK_ACK_NOW = 16;

/** A half-open connection a listener answered with a SYN-ACK (struct tcp_request_sock). */
export interface RequestSock {
  id: number;
  state: 12;
  listener: TcpSock;
  laddr: number;
  lport: number;
  raddr: number;
  rport: number;
  /** The peer's initial sequence number and ours. */
  rcvIsn: number;
  sntIsn: number;
  mss: number;
  opt: TcpOptionsReceived;
  tsOffset: number;
  rcvWnd: number;
  windowClamp: number;
  numRetrans: number;
  /** The SYN-ACK retransmit timer's generation and expiry. */
  timerGen: number;
  /** inet_rsk(req)->ir_iif: the device the SYN came in on. */
  iif: number;
}

/** `struct tcp_sock`: a struct sock (sock.ts) with TCP's part. */
export interface TcpSock extends Sock {
  /** sock_owned_by_user: a process holds the socket lock; softirq input goes to the backlog. */
  owned: boolean;
  backlog: SkBuff[];
  /** SOCK_DONE: the peer's FIN (or a reset) ended the receive side. */
  done: boolean;
  /** sk_rx_dst and its ifindex: the input route early demux gives this socket's packets. */
  rxDst: Rtable | null;
  rxDstIfindex: number;
  /** inet_id: the IP ID of the next packet. */
  inetId: number;
  // struct tcp_sock
  writeSeq: number;
  sndUna: number;
  sndNxt: number;
  sndWnd: number;
  sndWl1: number;
  maxWindow: number;
  /** icsk_pmtu_cookie: the path MTU the MSS was last computed for. */
  pmtuCookie: number;
  /** tp->mtu_info: the MTU an ICMP "fragmentation needed" reported, for tcp_v4_mtu_reduced. */
  mtuInfo: number;
  /** tp->snd_sml: where the last segment shorter than the MSS ended (Minshall's Nagle). */
  sndSml: number;
  /** tp->gso_segs: how many segments an skb of the write queue is sized for (tcp_xmit_size_goal). */
  gsoSegs: number;
  rcvNxt: number;
  copiedSeq: number;
  rcvWup: number;
  rcvWnd: number;
  rcvSsthresh: number;
  windowClamp: number;
  scalingRatio: number;
  advmss: number;
  mssCache: number;
  rxOpt: TcpOptionsReceived;
  tsOffset: number;
  /** tcp_header_len: 20, or 32 with timestamps. */
  tcpHeaderLen: number;
  srttUs: number;
  sndCwnd: number;
  /** Data written but not yet sent, then sent and not yet acknowledged (one list: sk_write_queue + the rtx queue). */
  writeQueue: SkBuff[];
  rtxQueue: SkBuff[];
  /** The FIN is queued (in writeQueue's last skb, or alone). */
  finQueued: boolean;
  // inet_connection_sock
  ack: IcskAck;
  rto: number;
  /** icsk_retransmits: timeouts since data was last acknowledged. */
  retransmits: number;
  /** icsk_backoff: how many times the timeout was doubled (or, for a SYN, held linear). */
  backoff: number;
  /** tp->retrans_stamp, ms: when the SYN was first sent (what its give-up time counts from). */
  retransStamp: number;
  /** Generations of the retransmit and delayed-ACK timers (a stale timer is ignored). */
  rtxTimerGen: number;
  rtxTimerAt: number;
  delackTimerGen: number;
  /** TCP_*_DEFERRED: work a timer or softirq left for release_sock (tcp_release_cb). */
  deferred: number;
  // listeners
  maxAckBacklog: number;
  /** icsk_accept_queue: children whose handshake is done, waiting for accept(). */
  acceptQueue: TcpSock[];
  /** Half-open connections (also in the namespace's ehash). */
  synQueue: RequestSock[];
  /** The listener a child came from, until accept() takes it. */
  parent: TcpSock | null;
  /** Whether the child is on its listener's accept queue. */
  queued: boolean;
}
