// tcp_diag (net/ipv4/tcp_diag.c): how sock_diag lists TCP sockets for ss.
// inet_diag_dump_icsk walks tcp_hashinfo: the listening hash first, then the
// established hash, whose chains hold full sockets, request socks (shown as
// SYN-RECV) and timewait socks alike. The established hash's order follows
// inet_ehashfn, keyed by a secret random at each boot, so the kernel's own
// order of two connections differs from boot to boot; skbwalk lists them in
// the order they were hashed.
import type { Net } from '../../include/net.ts';
import type { RequestSock, TcpSock } from '../../include/tcp.ts';
import { IPPROTO_TCP, TCP_LISTEN, TCP_SYN_RECV, TCP_TIME_WAIT } from '../../include/sock.ts';
import { inet_diag_register, inetDiagMsg, type InetDiagMsg } from './inet_diag.ts';

/**
 * tcp_diag_get_info's queues: a listener's accept queue and its backlog
 * limit; a connection's unread bytes and its bytes not yet acknowledged.
 */
function tcpDiagMsg(sk: TcpSock): InetDiagMsg {
  if (sk.state === TCP_LISTEN) return inetDiagMsg(sk, sk.acceptQueue.length, sk.maxAckBacklog);
  return inetDiagMsg(sk, Math.max((sk.rcvNxt - sk.copiedSeq) | 0, 0), (sk.writeSeq - sk.sndUna) | 0);
}

/** inet_req_diag_fill: a half-open connection, SYN-RECV with empty queues. */
function requestDiagMsg(req: RequestSock): InetDiagMsg {
  return {
    sockId: -1,
    state: TCP_SYN_RECV,
    saddr: req.laddr,
    sport: req.lport,
    daddr: req.raddr,
    dport: req.rport,
    rqueue: 0,
    wqueue: 0,
  };
}

function isFull(s: TcpSock | RequestSock): s is TcpSock {
  return 'wq' in s;
}

inet_diag_register(IPPROTO_TCP, {
  dump: (w, net: Net) => [
    ...net.tcp.listening.map(tcpDiagMsg),
    ...net.tcp.established.map((s) => (isFull(s) ? tcpDiagMsg(s) : requestDiagMsg(s))),
    // inet_twsk_diag_fill: a timewait sock has no queues and belongs to no process.
    ...net.tcp.timeWait
      .filter((t) => t.until > w.now)
      .map((t) => ({
        sockId: -1,
        state: TCP_TIME_WAIT,
        saddr: t.saddr,
        sport: t.sport,
        daddr: t.daddr,
        dport: t.dport,
        rqueue: 0,
        wqueue: 0,
      })),
  ],
});
