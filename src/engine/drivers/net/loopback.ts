// The loopback device (drivers/net/loopback.c): whatever it transmits, it
// receives, through the same per-CPU backlog a veth peer uses.
import type { World } from '../../kernel/world.ts';
import { register_netdev_ops } from '../../net/core/netdev_ops.ts';
import type { Net } from '../../include/net.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { IFF_LOOPBACK } from '../../include/netdevice.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { skbLen } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { allocNetdev, registerNetdevice } from '../../net/core/register.ts';
import { eth_type_trans } from '../../net/ethernet/eth.ts';
import { __netif_rx, NET_RX_SUCCESS } from '../../net/core/dev.ts';

const F_loopback_xmit = kfn(
  'loopback_xmit',
  'drivers/net/loopback.c',
  'The loopback driver transmits by receiving: it sets the protocol from the Ethernet header and hands the packet straight to __netif_rx on the same device.',
  'netdev_tx',
);

/** loopback_net_init: every namespace gets `lo` first, so it is ifindex 1. */
export function createLoopback(w: World, net: Net): NetDevice {
  const dev = allocNetdev(w, net, 'lo', 'loopback');
  dev.flags = IFF_LOOPBACK;
  dev.mtu = 65536;
  dev.minMtu = 0;
  dev.maxMtu = 0x7fffffff;
  dev.broadcast = new Uint8Array(6);
  dev.carrier = true;
  registerNetdevice(w, net, dev);
  return dev;
}

register_netdev_ops('loopback', { ndo_start_xmit: (w, skb, dev) => loopback_xmit(w, skb, dev) });

export function loopback_xmit(w: World, skb: SkBuff, dev: NetDevice): number {
  enter(w, F_loopback_xmit, skb, dev);
  try {
    skb.sk = 0; // skb_orphan
    skb.protocol = eth_type_trans(w, skb, dev);
    const len = skbLen(skb);
    if (__netif_rx(w, skb) === NET_RX_SUCCESS) {
      dev.stats.txPackets++;
      dev.stats.txBytes += len;
      dev.stats.rxPackets++;
      dev.stats.rxBytes += len;
    }
    return ret(w, 0);
  } finally {
    leave(w);
  }
}
