// Virtual Ethernet pairs (drivers/net/veth.c): two devices joined by
// `priv->peer`. Transmitting on one end is receiving on the other.
import type { World } from '../../kernel/world.ts';
import { register_netdev_ops } from '../../net/core/netdev_ops.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { ETH_HLEN, skbLen } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { eth_type_trans } from '../../net/ethernet/eth.ts';
import { __netif_rx, is_skb_forwardable, NET_RX_DROP, NET_RX_SUCCESS, NET_XMIT_DROP } from '../../net/core/dev.ts';
import { kfree_skb_reason } from '../../net/core/skbuff.ts';

const F_veth_xmit = kfn(
  'veth_xmit',
  'drivers/net/veth.c',
  "veth's ndo_start_xmit. There is no wire: it looks up its peer through priv->peer and forwards the frame into the peer as if the peer had just received it.",
  'netdev_tx',
);
const F_veth_forward_skb = kfn(
  'veth_forward_skb',
  'drivers/net/veth.c',
  "Prepares the frame for the peer (__dev_forward_skb) and injects it with __netif_rx, into this CPU's backlog.",
  'net_rx',
);
const F___dev_forward_skb = kfn(
  '__dev_forward_skb',
  'net/core/dev.c',
  'Checks the peer is up and the frame fits its MTU, scrubs state that must not cross devices (and namespaces), then runs eth_type_trans as the peer.',
  'net_rx',
);

register_netdev_ops('veth', { ndo_start_xmit: (w, skb, dev) => veth_xmit(w, skb, dev) });

export function veth_xmit(w: World, skb: SkBuff, dev: NetDevice): number {
  enter(w, F_veth_xmit, skb, dev);
  try {
    const rcv = dev.peer;
    const length = skbLen(skb);
    if (!rcv || length < ETH_HLEN) {
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'veth_xmit');
      dev.stats.txDropped++;
      return ret(w, NET_XMIT_DROP);
    }
    const rc = veth_forward_skb(w, rcv, skb);
    if (rc === NET_RX_SUCCESS) {
      dev.stats.txPackets++;
      dev.stats.txBytes += length;
      rcv.stats.rxPackets++;
      rcv.stats.rxBytes += length;
      return ret(w, 0);
    }
    dev.stats.txDropped++;
    return ret(w, NET_XMIT_DROP);
  } finally {
    leave(w);
  }
}

function veth_forward_skb(w: World, rcv: NetDevice, skb: SkBuff): number {
  enter(w, F_veth_forward_skb, skb, rcv);
  try {
    const r = __dev_forward_skb(w, rcv, skb);
    if (r !== 0) return ret(w, r);
    return ret(w, __netif_rx(w, skb));
  } finally {
    leave(w);
  }
}

export function __dev_forward_skb(w: World, dev: NetDevice, skb: SkBuff): number {
  enter(w, F___dev_forward_skb, skb, dev);
  try {
    if (!is_skb_forwardable(dev, skb)) {
      dev.stats.rxDropped++;
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', '__dev_forward_skb2');
      return ret(w, NET_RX_DROP);
    }
    if (skb.dev && skb.dev.net !== dev.net) {
      // skb_scrub_packet(skb, xnet): the packet forgets its socket and route.
      skb.sk = 0;
    }
    skb.dst = null;
    skb.protocol = eth_type_trans(w, skb, dev);
    return ret(w, 0);
  } finally {
    leave(w);
  }
}
