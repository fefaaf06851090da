// The length checks of GSO skbs (net/core/gso.c): a TCP skb carrying several
// segments' worth of data is measured by the segments it would be cut into,
// not by its whole length, wherever an MTU is checked.
import type { SkBuff } from '../../include/skbuff.ts';

/** skb_gso_transport_seglen for TCP: one segment's TCP header and data. */
function skb_gso_transport_seglen(skb: SkBuff): number {
  const tcpHdrLen = (skb.head[skb.transportHeader + 12] >> 4) * 4;
  return tcpHdrLen + skb.gsoSize;
}

/** skb_gso_network_seglen: one segment's length from its IP header on. */
export function skb_gso_network_seglen(skb: SkBuff): number {
  return skb.transportHeader - skb.networkHeader + skb_gso_transport_seglen(skb);
}

/** skb_gso_validate_network_len: would every segment fit an MTU of `mtu`? */
export function skb_gso_validate_network_len(skb: SkBuff, mtu: number): boolean {
  return skb_gso_network_seglen(skb) <= mtu;
}
