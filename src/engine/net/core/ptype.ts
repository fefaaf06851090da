// The protocol handlers of received frames (ptype_base, net/core/dev.c):
// each layer-3 protocol registers itself with dev_add_pack (ip_rcv for
// ETH_P_IP, arp_rcv for ETH_P_ARP) and __netif_receive_skb_core delivers to
// whichever matches skb->protocol.
import type { World } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import type { SkBuff } from '../../include/skbuff.ts';

export interface PacketType {
  type: number;
  /** The kernel's name for it (ip_packet_type) and its handler's (ip_rcv). */
  name: string;
  funcName: string;
  func(w: World, skb: SkBuff, dev: NetDevice): void;
}

const ptype_base = new Map<number, PacketType>();

/** dev_add_pack */
export function dev_add_pack(pt: PacketType): void {
  ptype_base.set(pt.type, pt);
}

/** The handler for an ethertype, if any protocol registered one. */
export function ptype_lookup(type: number): PacketType | undefined {
  return ptype_base.get(type);
}
