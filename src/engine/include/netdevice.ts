// Plain-data models of the kernel's `struct net_device` and `struct in_device`
// (include/linux/netdevice.h, include/linux/inetdevice.h). Everything here is
// structured-clone friendly: no functions, no classes, so a whole world can be
// checkpointed with structuredClone().
import type { Net } from './net.ts';
import type { Ipv4DevConf, NeighParms } from './sysctl.ts';

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_PROMISC = 0x100;
export const IFF_MASTER = 0x400;
export const IFF_SLAVE = 0x800;
export const IFF_MULTICAST = 0x1000;
export const IFF_LOWER_UP = 0x10000;
// Flags skbwalk never sets but the tools know how to name.
export const IFF_DEBUG = 0x4;
export const IFF_NOTRAILERS = 0x20;
export const IFF_ALLMULTI = 0x200;
export const IFF_PORTSEL = 0x2000;
export const IFF_AUTOMEDIA = 0x4000;
export const IFF_DYNAMIC = 0x8000;
export const IFF_DORMANT = 0x20000;
export const IFF_ECHO = 0x40000;

/** A bridge port's STP state (include/uapi/linux/if_bridge.h). */
export const BR_STATE_DISABLED = 0;
export const BR_STATE_FORWARDING = 3;
export const BR_STATE_BLOCKING = 4;

export type DeviceKind = 'loopback' | 'veth' | 'bridge';

/** RFC 2863 operational state, as `ip link` prints it. */
export type OperState = 'UNKNOWN' | 'DOWN' | 'LOWERLAYERDOWN' | 'UP';

export interface DeviceStats {
  rxPackets: number;
  rxBytes: number;
  rxDropped: number;
  txPackets: number;
  txBytes: number;
  txDropped: number;
}

/** One IPv4 address on a device (`struct in_ifaddr`). */
export interface InIfaddr {
  local: number; // host-order u32
  prefixlen: number;
  broadcast: number; // 0 when none was given (ip addr add without brd)
  scope: 'host' | 'link' | 'global';
  label: string;
  secondary: boolean;
}

/** `struct in_device`: the IPv4 side of a device. */
export interface InDevice {
  addrs: InIfaddr[];
  conf: Ipv4DevConf;
}

export interface NetDevice {
  /** Engine-wide unique identity (stable across namespace moves). */
  uid: number;
  ifindex: number;
  name: string;
  kind: DeviceKind;
  net: Net;
  /** IFF_* administrative flags (IFF_UP, IFF_BROADCAST, ...). */
  flags: number;
  /** Physical carrier (netif_carrier_on/off): a new device has it until its driver says otherwise. */
  carrier: boolean;
  /** carrier_up_count + carrier_down_count: what `ip -s -s link` calls transns. */
  carrierChanges: number;
  /** RFC 2863 state as linkwatch last set it (lo never changes carrier: UNKNOWN). */
  operstate: OperState;
  /** Set once the device has ever been brought up (dormant M-DOWN shown before). */
  mtu: number;
  minMtu: number;
  maxMtu: number;
  addr: Uint8Array; // 6 bytes (all zero for lo)
  broadcast: Uint8Array;
  txQueueLen: number;
  /** 'noqueue' for lo/veth/bridge once up; 'noop' while never up. */
  qdisc: 'noqueue' | 'noop';
  stats: DeviceStats;
  inDev: InDevice;
  /** veth: `priv->peer` (null once the peer is gone). */
  peer: NetDevice | null;
  /** Bridge port: the bridge this device is enslaved to. */
  master: NetDevice | null;
  /** Bridge port: its STP state (BR_STATE_*; without STP, disabled or forwarding). */
  brPortState: number;
  /** Bridge: its ports in order of enslavement, and the forwarding database. */
  bridge: BridgeState | null;
  /** ARP parameters of this device (net.ipv4.neigh.DEV.*). */
  neighParms: NeighParms;
  /** Set once an address was given by hand (NET_ADDR_SET): a bridge then keeps it. */
  addrSet: boolean;
  /** Indices of the captures (tcpdump) listening on this device. */
  taps: number[];
}

export interface FdbEntry {
  mac: string; // aa:bb:cc:dd:ee:ff
  port: NetDevice;
  isLocal: boolean;
  updated: number; // ns
}

export interface BridgeState {
  ports: NetDevice[];
  fdb: FdbEntry[];
  ageingTime: number; // ns
  /** bridge_id.addr: the lowest port MAC, or the one set by hand; zero while it has no port. */
  bridgeId: Uint8Array;
  /** BROPT_MTU_SET_BY_USER: the bridge's MTU was set by hand, so it no longer follows its ports'. */
  mtuSetByUser: boolean;
}

export function netifRunning(dev: NetDevice): boolean {
  return (dev.flags & IFF_UP) !== 0;
}

/** What `ip link` calls the device's operational state. */
export function operState(dev: NetDevice): OperState {
  // IFLA_OPERSTATE: DOWN while not running, else what linkwatch last computed.
  return netifRunning(dev) ? dev.operstate : 'DOWN';
}

/**
 * default_operstate, as linkwatch computes it after a carrier change:
 * LOWERLAYERDOWN only when the device's iflink (a veth's peer ifindex) names a
 * device in *this* namespace that has no carrier either.
 */
export function defaultOperstate(dev: NetDevice): OperState {
  if (dev.carrier) return 'UP';
  if (!dev.peer || dev.peer.ifindex === dev.ifindex) return 'DOWN';
  const lower = dev.net.devices.find((d) => d.ifindex === dev.peer!.ifindex);
  return lower && !lower.carrier ? 'LOWERLAYERDOWN' : 'DOWN';
}

/** dev_get_flags: what userspace sees, with RUNNING and LOWER_UP derived from carrier. */
export function devGetFlags(dev: NetDevice): number {
  let flags = dev.flags & ~(IFF_RUNNING | IFF_LOWER_UP);
  if (netifRunning(dev)) {
    if (dev.operstate === 'UP' || dev.operstate === 'UNKNOWN') flags |= IFF_RUNNING;
    if (dev.carrier) flags |= IFF_LOWER_UP;
  }
  return flags;
}
