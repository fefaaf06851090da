// inet_protos (net/ipv4/protocol.c): the transport protocols IPv4 delivers
// to, by IP protocol number. Each registers its receive handler and its
// error handler (what an ICMP error about a packet of that protocol reaches).
import type { World } from '../../kernel/world.ts';
import type { SkBuff } from '../../include/skbuff.ts';

export interface NetProtocol {
  handler(w: World, skb: SkBuff): void;
  /** Finds the socket before routing, so a connection's cached input route can skip the lookup. */
  early_demux?(w: World, skb: SkBuff): void;
  /** `inner` is the offset of the quoted IP header; `info` the ICMP's extra word (an MTU, say). */
  err_handler?(w: World, skb: SkBuff, inner: number, info: number): void;
}

const inet_protos = new Map<number, NetProtocol>();

/** inet_add_protocol */
export function inet_add_protocol(prot: NetProtocol, protocol: number): void {
  inet_protos.set(protocol, prot);
}

export function inet_protocol(protocol: number): NetProtocol | undefined {
  return inet_protos.get(protocol);
}
