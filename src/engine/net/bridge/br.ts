// The software bridge (net/bridge/br_input.c, br_forward.c, br_device.c,
// br_fdb.c): ports hand frames to the bridge, which learns source MACs and
// forwards, floods, or passes frames up to its own device.
import type { World } from '../../kernel/world.ts';
import { register_netdev_ops } from '../core/netdev_ops.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { IFF_PROMISC, IFF_UP } from '../../include/netdevice.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { ETH_HLEN, PACKET_HOST } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { consume_skb, kfree_skb_reason, skb_clone, skb_pull, skb_push } from '../core/skbuff.ts';
import { dev_queue_xmit, is_skb_forwardable, __netif_receive_skb_one_core } from '../core/dev.ts';
import { macKey } from '../core/rtnetlink.ts';

const F_br_handle_frame = kfn(
  'br_handle_frame',
  'net/bridge/br_input.c',
  "The rx_handler of a bridge port: the frame now belongs to the bridge, not to the port's own IP stack. A frame for the bridge's MAC is marked PACKET_HOST.",
);
const F_br_handle_frame_finish = kfn(
  'br_handle_frame_finish',
  'net/bridge/br_input.c',
  "Learns the sender's MAC on this port, then looks up the destination in the forwarding database: forward to one port, flood to all, or pass up to the bridge device.",
);
const F_br_fdb_update = kfn(
  'br_fdb_update',
  'net/bridge/br_fdb.c',
  'Records (or refreshes) "this MAC lives behind this port" in the forwarding database.',
);
const F_br_pass_frame_up = kfn(
  'br_pass_frame_up',
  'net/bridge/br_input.c',
  'The frame is for the host itself: it is received again, this time as arriving on the bridge device.',
);
const F_br_forward = kfn(
  'br_forward',
  'net/bridge/br_forward.c',
  'Sends the frame out of the one port the destination MAC was learned on.',
);
const F_br_flood = kfn(
  'br_flood',
  'net/bridge/br_forward.c',
  'Unknown or broadcast destination: every forwarding port except the one it came in on gets a copy.',
);
const F_br_dev_queue_push_xmit = kfn(
  'br_dev_queue_push_xmit',
  'net/bridge/br_forward.c',
  'Puts the Ethernet header back on and transmits the frame on the port device.',
);
const F_br_dev_xmit = kfn(
  'br_dev_xmit',
  'net/bridge/br_device.c',
  "The bridge device transmits: the host's own packet is forwarded or flooded to ports like any frame.",
  'netdev_tx',
);

function macOf(b: Uint8Array, off: number): string {
  return macKey(b.subarray(off, off + 6));
}

function isMulticastMac(b: Uint8Array, off: number): boolean {
  return (b[off] & 1) === 1;
}

function isBroadcastMac(b: Uint8Array, off: number): boolean {
  for (let i = 0; i < 6; i++) if (b[off + i] !== 0xff) return false;
  return true;
}

function portForwarding(p: NetDevice): boolean {
  return (p.flags & IFF_UP) !== 0 && p.carrier;
}

function br_fdb_update(w: World, br: NetDevice, port: NetDevice, mac: string): void {
  enter(w, F_br_fdb_update, null, port);
  try {
    const fdb = br.bridge!.fdb;
    const e = fdb.find((f) => f.mac === mac);
    if (e) {
      if (e.isLocal) return;
      e.port = port;
      e.updated = w.now;
    } else fdb.push({ mac, port, isLocal: false, updated: w.now });
  } finally {
    leave(w);
  }
}

/** The rx_handler: returns after consuming the frame. */
export function br_handle_frame(w: World, skb: SkBuff, port: NetDevice): void {
  enter(w, F_br_handle_frame, skb, port);
  try {
    const br = port.master!;
    const m = skb.macHeader;
    if (!portForwarding(port) || !(br.flags & IFF_UP)) {
      kfree_skb_reason(w, skb, 'BRIDGE_INGRESS_STP_STATE', 'br_handle_frame');
      return;
    }
    let same = true;
    for (let i = 0; i < 6; i++) if (skb.head[m + i] !== br.addr[i]) same = false;
    if (same) skb.pktType = PACKET_HOST;
    br_handle_frame_finish(w, skb, br, port);
  } finally {
    leave(w);
  }
}

function br_handle_frame_finish(w: World, skb: SkBuff, br: NetDevice, port: NetDevice): void {
  enter(w, F_br_handle_frame_finish, skb, br);
  try {
    const m = skb.macHeader;
    br_fdb_update(w, br, port, macOf(skb.head, m + 6));
    // A packet socket on the bridge (tcpdump -i br0) puts it in promiscuous mode.
    let localRcv = (br.flags & IFF_PROMISC) !== 0 || br.taps.length > 0;
    let flood = false;
    let dst = null as NetDevice | null;
    if (isMulticastMac(skb.head, m)) {
      flood = true;
      if (isBroadcastMac(skb.head, m)) localRcv = true;
    } else {
      const dest = macOf(skb.head, m);
      const e = br.bridge!.fdb.find((f) => f.mac === dest);
      if ((e && e.isLocal) || dest === macKey(br.addr)) {
        br_pass_frame_up(w, skb, br);
        return;
      }
      if (e) dst = e.port;
      else flood = true;
    }
    if (dst) br_forward(w, dst, skb, localRcv, true);
    else if (flood) br_flood(w, br, skb, localRcv, true);
    if (localRcv) br_pass_frame_up(w, skb, br);
  } finally {
    leave(w);
  }
}

function br_pass_frame_up(w: World, skb: SkBuff, br: NetDevice): void {
  enter(w, F_br_pass_frame_up, skb, br);
  try {
    br.stats.rxPackets++;
    br.stats.rxBytes += skb.tail - skb.data;
    skb.dev = br;
    // br_netif_receive_skb -> netif_receive_skb: received again, on the bridge.
    __netif_receive_skb_one_core(w, skb);
  } finally {
    leave(w);
  }
}

function deliverClone(w: World, to: NetDevice, skb: SkBuff, viaPort: boolean): void {
  const c = skb_clone(w, skb);
  __br_forward(w, to, c, viaPort);
}

/** `viaPort`: the frame came in on a port (br_netfilter's PRE_ROUTING hook saw it), not from the bridge's own stack. */
function br_forward(w: World, to: NetDevice, skb: SkBuff, localRcv: boolean, viaPort: boolean): void {
  enter(w, F_br_forward, skb, to);
  try {
    if (to === skb.dev && !localRcv) {
      // Never send a frame back out of the port it came in on.
      consume_skb(w, skb, 'br_forward');
      return;
    }
    if (localRcv) deliverClone(w, to, skb, viaPort);
    else __br_forward(w, to, skb, viaPort);
  } finally {
    leave(w);
  }
}

function br_flood(w: World, br: NetDevice, skb: SkBuff, localRcv: boolean, viaPort: boolean): void {
  enter(w, F_br_flood, skb, br);
  try {
    let prev: NetDevice | null = null;
    for (const p of br.bridge!.ports) {
      if (p === skb.dev || !portForwarding(p)) continue;
      if (prev) deliverClone(w, prev, skb, viaPort);
      prev = p;
    }
    if (!prev) {
      if (!localRcv) kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'br_flood');
      return;
    }
    if (localRcv) deliverClone(w, prev, skb, viaPort);
    else __br_forward(w, prev, skb, viaPort);
  } finally {
    leave(w);
  }
}

/**
 * A bridged packet's last hook before it leaves (NF_BR_POST_ROUTING), set by
 * br_netfilter when it is loaded: true when the hook took the packet (sent it
 * in pieces or dropped it), false to let br_dev_queue_push_xmit send it.
 */
type BrPostRouting = (w: World, skb: SkBuff, to: NetDevice) => boolean;
let brPostRouting: BrPostRouting | null = null;

/** nf_register_net_hooks for NF_BR_POST_ROUTING. */
export function br_register_post_routing(hook: BrPostRouting): void {
  brPostRouting = hook;
}

/**
 * __br_forward. `viaPort`: the frame came in on a port, so br_netfilter's
 * PRE_ROUTING hook has seen it (a frame from the bridge's own stack has not,
 * and its POST_ROUTING hook lets such a frame go untouched).
 */
function __br_forward(w: World, to: NetDevice, skb: SkBuff, viaPort: boolean): void {
  skb.dev = to;
  if (viaPort && brPostRouting && brPostRouting(w, skb, to)) return;
  br_dev_queue_push_xmit(w, skb);
}

/** br_dev_queue_push_xmit: the frame, its Ethernet header back on, out of the port. */
export function br_dev_queue_push_xmit(w: World, skb: SkBuff): void {
  enter(w, F_br_dev_queue_push_xmit, skb, skb.dev);
  try {
    skb_push(skb, skb.data - skb.macHeader);
    if (!is_skb_forwardable(skb.dev!, skb)) {
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'br_dev_queue_push_xmit');
      return;
    }
    dev_queue_xmit(w, skb);
  } finally {
    leave(w);
  }
}

register_netdev_ops('bridge', { ndo_start_xmit: (w, skb, dev) => br_dev_xmit(w, skb, dev) });

export function br_dev_xmit(w: World, skb: SkBuff, br: NetDevice): number {
  enter(w, F_br_dev_xmit, skb, br);
  try {
    br.stats.txPackets++;
    br.stats.txBytes += skb.tail - skb.data;
    const m = skb.data;
    skb.macHeader = m;
    skb_pull(skb, ETH_HLEN);
    const dest = macOf(skb.head, m);
    const e = isMulticastMac(skb.head, m) ? undefined : br.bridge!.fdb.find((f) => f.mac === dest && !f.isLocal);
    const origin = skb.dev;
    skb.dev = null;
    if (e) __br_forward(w, e.port, skb, false);
    else {
      skb.dev = origin;
      br_flood(w, br, skb, false, false);
    }
    return ret(w, 0);
  } finally {
    leave(w);
  }
}
