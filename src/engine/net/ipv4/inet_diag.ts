// sock_diag for IPv4 sockets (net/ipv4/inet_diag.c): what `ss` asks the
// kernel over netlink. Each transport protocol registers how it lists its
// sockets (udp_diag_dump, tcp_diag's inet_diag_dump_icsk) and the kernel
// answers one inet_diag_msg per socket whose state the request asked for.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { Sock } from '../../include/sock.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';

/** struct inet_diag_msg, with the queue sizes ss shows. */
export interface InetDiagMsg {
  /** The socket's identity (its inode, for ss -p to match processes' descriptors). */
  sockId: number;
  state: number;
  saddr: number;
  sport: number;
  daddr: number;
  dport: number;
  /** idiag_rqueue, idiag_wqueue: Recv-Q and Send-Q. */
  rqueue: number;
  wqueue: number;
}

export interface InetDiagHandler {
  /** The namespace's sockets of the protocol, in the order the kernel walks its tables. */
  dump(w: World, net: Net): InetDiagMsg[];
}

const handlers = new Map<number, InetDiagHandler>();

/** inet_diag_register: a protocol's dump, by IP protocol number. */
export function inet_diag_register(protocol: number, h: InetDiagHandler): void {
  handlers.set(protocol, h);
}

const F_inet_diag_dump = kfn(
  'inet_diag_dump',
  'net/ipv4/inet_diag.c',
  "A sock_diag request (ss): the protocol's sockets in this namespace whose state was asked for, each with its addresses, ports and queue sizes.",
);

/** The sockets of `protocol` in `net` whose state is in `states` (a bit mask of 1 << TCP_*). */
export function inet_diag_dump(w: World, net: Net, protocol: number, states: number): InetDiagMsg[] | null {
  const h = handlers.get(protocol);
  if (!h) return null;
  enter(w, F_inet_diag_dump);
  try {
    return h.dump(w, net).filter((m) => states & (1 << m.state));
  } finally {
    leave(w);
  }
}

/** The fields every inet socket reports the same way (inet_diag_msg_common_fill). */
export function inetDiagMsg(sk: Sock, rqueue: number, wqueue: number): InetDiagMsg {
  return { sockId: sk.id, state: sk.state, saddr: sk.rcvSaddr, sport: sk.num, daddr: sk.daddr, dport: sk.dport, rqueue, wqueue };
}
