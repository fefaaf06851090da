// The core of the data path (net/core/dev.c): transmit through the device
// layer, receive into the per-CPU backlog, and the NET_RX softirq that drains it.
import type { World } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import {
  IFF_ALLMULTI,
  IFF_AUTOMEDIA,
  IFF_DEBUG,
  IFF_DYNAMIC,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_PORTSEL,
  IFF_PROMISC,
  IFF_UP,
  netifRunning,
} from '../../include/netdevice.ts';
import { EEXIST, EINVAL } from '../../include/errno.ts';
import { inetdev_changename } from '../ipv4/devinet.ts';
import { dev_close, dev_open } from './rtnetlink.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import {
  ETH_HLEN,
  PACKET_OUTGOING,
  VLAN_HLEN,
  __skb_dequeue,
  __skb_queue_tail,
  skb_is_gso,
  skb_queue_splice_tail_init,
  skbLen,
} from '../../include/skbuff.ts';
import { NAPI_STATE_SCHED, NET_RX_SOFTIRQ } from '../../include/softnet.ts';
import { kfn } from '../../trace/functions.ts';
import { SKB_QUEUE_BACKLOG, SKB_QUEUE_PROCESS } from '../../trace/skblog.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import {
  trace_napi_poll,
  trace_net_dev_queue,
  trace_net_dev_start_xmit,
  trace_net_dev_xmit,
  trace_netif_receive_skb,
  trace_netif_rx,
} from '../../trace/tracepoints.ts';
import { kfree_skb_reason } from './skbuff.ts';
import { local_bh_disable, local_bh_enable, raise_softirq_irqoff } from '../../kernel/softirq.ts';
import { br_handle_frame } from '../bridge/br.ts';
import { netdev_ops } from './netdev_ops.ts';
import { ptype_lookup, type PacketType } from './ptype.ts';
import { packet_rcv } from '../packet/af_packet.ts';

export const NET_RX_SUCCESS = 0;
export const NET_RX_DROP = 1;
export const NETDEV_TX_OK = 0;
export const NET_XMIT_DROP = 1;
export const ENETDOWN_RC = -100;

const F_dev_queue_xmit = kfn(
  'dev_queue_xmit',
  'include/linux/netdevice.h',
  "The entry to the device layer for every outgoing frame: from here the packet is the device's business.",
  'net_xmit',
);
const F___dev_queue_xmit = kfn(
  '__dev_queue_xmit',
  'net/core/dev.c',
  'Disables bottom halves, picks the transmit queue and its qdisc. veth and lo use "noqueue", so there is no queueing: the frame goes straight to the driver.',
  'net_xmit',
);
const F_dev_hard_start_xmit = kfn(
  'dev_hard_start_xmit',
  'net/core/dev.c',
  'Hands the frame (or a list of them) to the driver, one xmit_one call each.',
  'netdev_tx',
);
const F_xmit_one = kfn(
  'xmit_one',
  'net/core/dev.c',
  "Shows the frame to any packet taps (tcpdump) first, then calls the driver's ndo_start_xmit.",
  'netdev_tx',
);
const F_dev_queue_xmit_nit = kfn(
  'dev_queue_xmit_nit',
  'net/core/dev.c',
  'Gives a clone of the outgoing frame to every packet socket listening on the device: this is where tcpdump sees what we send.',
);
const F_netdev_start_xmit = kfn(
  'netdev_start_xmit',
  'include/linux/netdevice.h',
  "Calls the driver's ndo_start_xmit and reports the result through the net_dev_xmit tracepoint.",
  'netdev_tx',
);
const F___netif_rx = kfn(
  '__netif_rx',
  'net/core/dev.c',
  'The receive entry for drivers that already run with bottom halves disabled, like veth and lo.',
  'net_rx',
);
const F_netif_rx = kfn(
  'netif_rx',
  'net/core/dev.c',
  'Queues a received packet for later processing by the NET_RX softirq.',
  'net_rx',
);
const F_netif_rx_internal = kfn(
  'netif_rx_internal',
  'net/core/dev.c',
  'Emits the netif_rx tracepoint and picks the CPU whose backlog gets the packet (this one, without RPS).',
  'net_rx',
);
const F_enqueue_to_backlog = kfn(
  'enqueue_to_backlog',
  'net/core/dev.c',
  "Appends the packet to this CPU's softnet_data.input_pkt_queue. If the queue was empty, the backlog NAPI is scheduled; if it is longer than netdev_max_backlog, the packet is dropped.",
  'net_rx',
);
const F_napi_schedule_rps = kfn(
  'napi_schedule_rps',
  'net/core/dev.c',
  'Schedules the backlog NAPI of the target CPU (here the local one).',
);
const F_____napi_schedule = kfn(
  '____napi_schedule',
  'net/core/dev.c',
  "Puts the NAPI instance on the CPU's poll_list and raises NET_RX, unless net_rx_action is already running and will see it.",
);
const F_net_rx_action = kfn(
  'net_rx_action',
  'net/core/dev.c',
  "The NET_RX softirq handler: polls every NAPI instance on this CPU's poll_list within a budget of netdev_budget packets.",
);
const F_napi_poll = kfn(
  'napi_poll',
  'net/core/dev.c',
  'Polls one NAPI instance with its weight (64) and reports the work done through the napi_poll tracepoint.',
  'int',
);
const F_process_backlog = kfn(
  'process_backlog',
  'net/core/dev.c',
  "The backlog's poll function: moves input_pkt_queue to process_queue and feeds each packet to __netif_receive_skb, until the queues are empty or the quota is used.",
  'int',
);
const F___netif_receive_skb = kfn('__netif_receive_skb', 'net/core/dev.c', 'Starts protocol processing of one received packet.');
const F___netif_receive_skb_one_core = kfn(
  '__netif_receive_skb_one_core',
  'net/core/dev.c',
  'Runs the core receive logic, then calls the protocol handler it found (ip_rcv, arp_rcv).',
);
const F___netif_receive_skb_core = kfn(
  '__netif_receive_skb_core',
  'net/core/dev.c',
  "The heart of receive: emits netif_receive_skb, delivers to packet taps, runs a bridge port's rx_handler, and finds the handler for skb->protocol.",
  'rx_handler',
);
const F_deliver_skb = kfn(
  'deliver_skb',
  'net/core/dev.c',
  'Delivers the packet to one packet_type handler (a tap or a protocol).',
);

export function dev_queue_xmit(w: World, skb: SkBuff): number {
  enter(w, F_dev_queue_xmit, skb, skb.dev);
  try {
    return ret(w, __dev_queue_xmit(w, skb));
  } finally {
    leave(w);
  }
}

function __dev_queue_xmit(w: World, skb: SkBuff): number {
  const dev = skb.dev!;
  enter(w, F___dev_queue_xmit, skb, dev);
  try {
    skb.macHeader = skb.data;
    local_bh_disable(w);
    let rc: number;
    trace_net_dev_queue(w, skb);
    if (!dev.carrier && dev.flags & IFF_UP && dev.kind !== 'loopback') {
      // Carrier off: the queue holds noop_qdisc, which drops everything.
      dev.stats.txDropped++;
      kfree_skb_reason(w, skb, 'QDISC_DROP', '__dev_queue_xmit');
      rc = NET_XMIT_DROP;
    } else if (dev.flags & IFF_UP) {
      rc = dev_hard_start_xmit(w, skb, dev);
    } else {
      dev.stats.txDropped++;
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', '__dev_queue_xmit');
      rc = ENETDOWN_RC;
    }
    local_bh_enable(w);
    return ret(w, rc);
  } finally {
    leave(w);
  }
}

function dev_hard_start_xmit(w: World, skb: SkBuff, dev: NetDevice): number {
  enter(w, F_dev_hard_start_xmit, skb, dev);
  try {
    return ret(w, xmit_one(w, skb, dev));
  } finally {
    leave(w);
  }
}

function xmit_one(w: World, skb: SkBuff, dev: NetDevice): number {
  enter(w, F_xmit_one, skb, dev);
  try {
    if (dev.taps.length) dev_queue_xmit_nit(w, skb, dev);
    const len = skbLen(skb);
    return ret(w, netdev_start_xmit(w, skb, dev, len));
  } finally {
    leave(w);
  }
}

function dev_queue_xmit_nit(w: World, skb: SkBuff, dev: NetDevice): void {
  enter(w, F_dev_queue_xmit_nit, skb, dev);
  try {
    for (const cap of dev.taps) packet_rcv(w, skb, dev, cap, PACKET_OUTGOING);
  } finally {
    leave(w);
  }
}

function netdev_start_xmit(w: World, skb: SkBuff, dev: NetDevice, len: number): number {
  enter(w, F_netdev_start_xmit, skb, dev);
  try {
    trace_net_dev_start_xmit(w, skb, dev);
    const rc = netdev_ops(dev).ndo_start_xmit(w, skb, dev);
    trace_net_dev_xmit(w, skb, rc, dev, len);
    return ret(w, rc);
  } finally {
    leave(w);
  }
}

/**
 * is_skb_forwardable: whether `dev` can take the frame (headers and all)
 * from another device: it is up and the frame fits its MTU with a VLAN tag's
 * 4 bytes to spare, or is a GSO skb of segments that each will.
 */
export function is_skb_forwardable(dev: NetDevice, skb: SkBuff): boolean {
  if (!(dev.flags & IFF_UP)) return false;
  return skbLen(skb) <= dev.mtu + ETH_HLEN + VLAN_HLEN || skb_is_gso(skb);
}

/** __netif_rx: callers already run with bottom halves disabled. */
export function __netif_rx(w: World, skb: SkBuff): number {
  enter(w, F___netif_rx, skb, skb.dev);
  try {
    return ret(w, netif_rx_internal(w, skb));
  } finally {
    leave(w);
  }
}

/** netif_rx: for callers in any context; runs softirqs on the way out in task context. */
export function netif_rx(w: World, skb: SkBuff): number {
  enter(w, F_netif_rx, skb, skb.dev);
  try {
    local_bh_disable(w);
    const rc = netif_rx_internal(w, skb);
    local_bh_enable(w);
    return ret(w, rc);
  } finally {
    leave(w);
  }
}

function netif_rx_internal(w: World, skb: SkBuff): number {
  enter(w, F_netif_rx_internal, skb, skb.dev);
  try {
    trace_netif_rx(w, skb);
    return ret(w, enqueue_to_backlog(w, skb, w.cpu));
  } finally {
    leave(w);
  }
}

export function enqueue_to_backlog(w: World, skb: SkBuff, cpu: number): number {
  enter(w, F_enqueue_to_backlog, skb, skb.dev);
  try {
    const dev = skb.dev!;
    if (!netifRunning(dev)) {
      dev.stats.rxDropped++;
      kfree_skb_reason(w, skb, 'DEV_READY', 'enqueue_to_backlog');
      return ret(w, NET_RX_DROP);
    }
    const sd = w.cpus[cpu];
    const qlen = sd.inputPktQueue.length;
    if (qlen > w.core.netdev_max_backlog) {
      sd.dropped++;
      dev.stats.rxDropped++;
      kfree_skb_reason(w, skb, 'CPU_BACKLOG', 'enqueue_to_backlog');
      return ret(w, NET_RX_DROP);
    }
    if (qlen === 0 && !(sd.backlogState & NAPI_STATE_SCHED)) {
      sd.backlogState |= NAPI_STATE_SCHED;
      napi_schedule_rps(w, cpu);
    }
    __skb_queue_tail(w, sd.inputPktQueue, skb);
    w.rec.skbNote(SKB_QUEUE_BACKLOG, skb.id, cpu);
    return ret(w, NET_RX_SUCCESS);
  } finally {
    leave(w);
  }
}

function napi_schedule_rps(w: World, cpu: number): void {
  enter(w, F_napi_schedule_rps);
  try {
    ____napi_schedule(w, cpu);
  } finally {
    leave(w);
  }
}

function ____napi_schedule(w: World, cpu: number): void {
  enter(w, F_____napi_schedule);
  try {
    const sd = w.cpus[cpu];
    sd.pollList.push('backlog');
    if (!sd.inNetRxAction) raise_softirq_irqoff(w, NET_RX_SOFTIRQ);
  } finally {
    leave(w);
  }
}

export function net_rx_action(w: World): void {
  enter(w, F_net_rx_action);
  const sd = w.cpus[w.cpu];
  try {
    let budget = w.core.netdev_budget;
    sd.budgetUsed = 0;
    let list = sd.pollList.splice(0);
    const repoll: string[] = [];
    sd.inNetRxAction = true;
    for (;;) {
      if (list.length === 0) {
        if (repoll.length === 0) {
          sd.inNetRxAction = false;
          if (sd.pollList.length) {
            // ____napi_schedule refilled poll_list while we ran: start over.
            list = sd.pollList.splice(0);
            sd.inNetRxAction = true;
            continue;
          }
          sd.budgetUsed = 0;
          return;
        }
        break;
      }
      const n = list.shift()!;
      const work = napi_poll(w, n, repoll);
      budget -= work;
      sd.budgetUsed += work;
      if (budget <= 0) {
        sd.timeSqueeze++;
        break;
      }
    }
    // Out of budget (or repolls left): whatever remains waits for the next NET_RX.
    sd.pollList = [...sd.pollList, ...list, ...repoll];
    if (sd.pollList.length) raise_softirq_irqoff(w, NET_RX_SOFTIRQ);
    else sd.inNetRxAction = false;
    sd.budgetUsed = 0;
  } finally {
    leave(w);
  }
}

function napi_poll(w: World, n: string, repoll: string[]): number {
  enter(w, F_napi_poll);
  try {
    const weight = 64;
    const work = process_backlog(w, weight);
    trace_napi_poll(w, '(no_device)', work, weight);
    if (work >= weight) repoll.push(n);
    return ret(w, work);
  } finally {
    leave(w);
  }
}

function process_backlog(w: World, quota: number): number {
  enter(w, F_process_backlog);
  try {
    const sd = w.cpus[w.cpu];
    let work = 0;
    for (;;) {
      let skb: SkBuff | null;
      while ((skb = __skb_dequeue(w, sd.processQueue))) {
        __netif_receive_skb(w, skb);
        sd.processed++;
        if (++work >= quota) return ret(w, work);
      }
      if (sd.inputPktQueue.length === 0) {
        sd.backlogState &= ~NAPI_STATE_SCHED;
        return ret(w, work);
      }
      const moved = sd.inputPktQueue.map((s) => s.id);
      skb_queue_splice_tail_init(w, sd.inputPktQueue, sd.processQueue);
      for (const id of moved) w.rec.skbNote(SKB_QUEUE_PROCESS, id, sd.cpu);
    }
  } finally {
    leave(w);
  }
}

function __netif_receive_skb(w: World, skb: SkBuff): void {
  enter(w, F___netif_receive_skb, skb, skb.dev);
  try {
    __netif_receive_skb_one_core(w, skb);
  } finally {
    leave(w);
  }
}

export function __netif_receive_skb_one_core(w: World, skb: SkBuff): void {
  enter(w, F___netif_receive_skb_one_core, skb, skb.dev);
  try {
    const pt = __netif_receive_skb_core(w, skb);
    if (pt) pt.func(w, skb, skb.dev!);
  } finally {
    leave(w);
  }
}

/**
 * The protocol handler (from ptype_base) __netif_receive_skb_core found, or
 * null when a bridge port's rx_handler took the frame or nothing wanted it.
 */
function __netif_receive_skb_core(w: World, skb: SkBuff): PacketType | null {
  enter(w, F___netif_receive_skb_core, skb, skb.dev);
  try {
    trace_netif_receive_skb(w, skb);
    const dev = skb.dev!;
    skb.skbIif = dev.ifindex;
    skb.networkHeader = skb.data;
    if (dev.taps.length) {
      for (const cap of dev.taps) deliver_skb_to_tap(w, skb, dev, cap);
    }
    if (dev.master && dev.master.kind === 'bridge') {
      // rx_handler: the bridge takes the frame (RX_HANDLER_CONSUMED).
      br_handle_frame(w, skb, dev);
      return ret(w, null);
    }
    const pt = ptype_lookup(skb.protocol);
    if (pt) return ret(w, pt);
    dev.stats.rxDropped++;
    kfree_skb_reason(w, skb, 'UNHANDLED_PROTO', '__netif_receive_skb_core');
    return ret(w, null);
  } finally {
    leave(w);
  }
}

function deliver_skb_to_tap(w: World, skb: SkBuff, dev: NetDevice, cap: number): void {
  enter(w, F_deliver_skb, skb, dev);
  try {
    packet_rcv(w, skb, dev, cap, skb.pktType);
  } finally {
    leave(w);
  }
}

/** The flags a user may set (SIOCSIFFLAGS, IFLA_FLAGS); the rest are the device's own state. */
const IFF_USER_CHANGEABLE =
  IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC | IFF_MULTICAST | IFF_PORTSEL | IFF_AUTOMEDIA | IFF_PROMISC | IFF_ALLMULTI;

/**
 * dev_change_flags (__dev_change_flags): the user-settable flags take the
 * asked-for values (promiscuity and allmulti as the user's own request, which
 * is what the flags show), and a change of IFF_UP opens or closes the device.
 * Returns 0 or -errno.
 */
export function dev_change_flags(w: World, dev: NetDevice, flags: number): number {
  const old = dev.flags;
  dev.flags = (flags & IFF_USER_CHANGEABLE) | (old & ~IFF_USER_CHANGEABLE);
  if ((old ^ flags) & IFF_UP) return flags & IFF_UP ? dev_open(w, dev) : dev_close(w, dev);
  return 0;
}

/** dev_change_tx_queue_len: a queue length is an unsigned int the kernel keeps as int. */
export function dev_change_tx_queue_len(dev: NetDevice, len: number): number {
  if (len !== (len | 0) || len < 0) return -EINVAL;
  dev.txQueueLen = len;
  return 0;
}

/** dev_change_name: a name taken in the namespace is refused; IPv4's address labels follow (inetdev_changename). */
export function dev_change_name(dev: NetDevice, newName: string): number {
  if (newName === dev.name) return 0;
  if (dev.net.devices.some((d) => d.name === newName)) return -EEXIST;
  const old = dev.name;
  dev.name = newName;
  inetdev_changename(dev, old);
  return 0;
}
