// Ethernet framing (net/ethernet/eth.c).
import type { World } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { ETH_HLEN, PACKET_BROADCAST, PACKET_HOST, PACKET_MULTICAST, PACKET_OTHERHOST } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { get16, put16, skb_pull, skb_push } from '../core/skbuff.ts';

const F_eth_type_trans = kfn(
  'eth_type_trans',
  'net/ethernet/eth.c',
  'Reads the Ethernet header of an arriving frame: sets skb->dev, decides pkt_type (for us, broadcast, multicast or another host) and pulls the 14-byte header off, returning the EtherType.',
  'be16_proto',
);
const F_eth_header = kfn(
  'eth_header',
  'net/ethernet/eth.c',
  'Pushes a 14-byte Ethernet header in front of the packet: destination MAC, source MAC, EtherType.',
);

export function eth_type_trans(w: World, skb: SkBuff, dev: NetDevice): number {
  enter(w, F_eth_type_trans, skb, dev);
  try {
    skb.dev = dev;
    skb.macHeader = skb.data;
    const h = skb.head;
    const d = skb.data;
    skb_pull(skb, ETH_HLEN);
    skb.networkHeader = skb.data;
    if (h[d] & 1) {
      let bcast = true;
      for (let i = 0; i < 6; i++) if (h[d + i] !== 0xff) bcast = false;
      skb.pktType = bcast ? PACKET_BROADCAST : PACKET_MULTICAST;
    } else {
      let same = true;
      for (let i = 0; i < 6; i++) if (h[d + i] !== dev.addr[i]) same = false;
      skb.pktType = same ? PACKET_HOST : PACKET_OTHERHOST;
    }
    return ret(w, get16(h, d + 12));
  } finally {
    leave(w);
  }
}

/** eth_header: builds the link-layer header in the skb's headroom. */
export function eth_header(w: World, skb: SkBuff, dev: NetDevice, type: number, daddr: Uint8Array, saddr: Uint8Array): void {
  enter(w, F_eth_header, skb, dev);
  try {
    const off = skb_push(skb, ETH_HLEN);
    const h = skb.head;
    for (let i = 0; i < 6; i++) {
      h[off + i] = daddr[i];
      h[off + 6 + i] = saddr[i];
    }
    put16(skb.head, off + 12, type);
    skb.macHeader = off;
  } finally {
    leave(w);
  }
}
