// Link operations that `ip link` asks for over rtnetlink (net/core/rtnetlink.c,
// net/core/dev.c, drivers/net/veth.c's newlink, net/bridge/br_if.c).
// Each returns 0 or -errno; the tools turn errors into iproute2's messages.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { ETH_DATA_LEN } from '../../include/skbuff.ts';
import {
  BR_STATE_DISABLED,
  defaultOperstate,
  IFF_BROADCAST,
  IFF_MULTICAST,
  IFF_UP,
  netifRunning,
} from '../../include/netdevice.ts';
import { EADDRNOTAVAIL, EBUSY, EEXIST, EINVAL, ENOTCONN, EOPNOTSUPP } from '../../include/errno.ts';
import {
  neighParmsAlloc,
  allocNetdev,
  devGetByIndex,
  devGetByName,
  devNewIndex,
  ethHwAddrRandom,
  registerNetdevice,
  unlistNetdevice,
} from './register.ts';
import { fib_disable_ip, fib_netdev_unregister, fib_netdev_up } from '../ipv4/fib_frontend.ts';
import { neigh_carrier_down } from './neighbour.ts';
import { inetdev_event, NETDEV_REGISTER, NETDEV_UP } from '../ipv4/devinet.ts';
import { copyNetNs } from './net_namespace.ts';
import {
  br_port_carrier_check,
  br_port_down,
  br_port_up,
  br_stp_change_bridge_id,
  br_stp_disable_bridge,
  br_stp_disable_port,
  br_stp_enable_bridge,
  br_stp_enable_port,
  br_stp_recalculate_bridge_id,
} from '../bridge/br_stp_if.ts';

export const IFNAMSIZ = 16;

export function devValidName(name: string): boolean {
  return name.length > 0 && name.length < IFNAMSIZ && name !== '.' && name !== '..' && !/[/:\s]/.test(name);
}

function newEtherDevice(w: World, net: Net, name: string, kind: 'veth' | 'bridge'): NetDevice {
  const dev = allocNetdev(w, net, name, kind);
  dev.flags = IFF_BROADCAST | IFF_MULTICAST;
  ethHwAddrRandom(w, dev);
  return dev;
}

/** veth_newlink: the peer is registered first, so it gets the lower ifindex. */
export function veth_newlink(w: World, net: Net, name: string, peerName: string, peerNet: Net): number {
  if (!devValidName(name) || !devValidName(peerName)) return -EINVAL;
  if (devGetByName(peerNet, peerName)) return -EEXIST;
  if (devGetByName(net, name) || (net === peerNet && name === peerName)) return -EEXIST;
  const peer = newEtherDevice(w, peerNet, peerName, 'veth');
  registerNetdevice(w, peerNet, peer);
  netif_carrier(w, peer, false);
  const dev = newEtherDevice(w, net, name, 'veth');
  registerNetdevice(w, net, dev);
  netif_carrier(w, dev, false);
  dev.peer = peer;
  peer.peer = dev;
  // linkwatch then computes both ends' operstate.
  linkwatch([peer, dev]);
  return 0;
}

export function br_newlink(w: World, net: Net, name: string): number {
  if (!devValidName(name)) return -EINVAL;
  if (devGetByName(net, name)) return -EEXIST;
  const br = newEtherDevice(w, net, name, 'bridge');
  br.bridge = { ports: [], fdb: [], ageingTime: 300e9, mtuSetByUser: false, bridgeId: new Uint8Array(6) };
  registerNetdevice(w, net, br);
  // It keeps the carrier it was made with until its ports are first
  // selected (br_port_state_selection): no linkwatch event, state UNKNOWN.
  return 0;
}

/** dev_open: bring a device up. */
export function dev_open(w: World, dev: NetDevice): number {
  if (dev.flags & IFF_UP) return 0;
  if (dev.kind === 'veth' && !dev.peer) return -ENOTCONN;
  dev.flags |= IFF_UP;
  dev.qdisc = 'noqueue';
  if (dev.kind === 'loopback') dev.carrier = true;
  inetdev_event(w, NETDEV_UP, dev);
  if (dev.kind === 'veth' && dev.peer && dev.peer.flags & IFF_UP) {
    netif_carrier(w, dev, true);
    netif_carrier(w, dev.peer, true);
    linkwatch([dev, dev.peer]);
  }
  if (dev.master) br_port_up(w, dev);
  if (dev.kind === 'bridge') br_stp_enable_bridge(w, dev);
  fib_netdev_up(dev);
  return 0;
}

/** dev_close: bring a device down. */
export function dev_close(w: World, dev: NetDevice): number {
  if (!(dev.flags & IFF_UP)) return 0;
  dev.flags &= ~IFF_UP;
  if (dev.kind === 'veth') {
    const peer = dev.peer;
    const peerHadCarrier = !!peer && peer.carrier;
    netif_carrier(w, dev, false);
    if (peer) netif_carrier(w, peer, false);
    if (peer && peerHadCarrier) linkwatch([peer]);
  }
  if (dev.kind === 'bridge') br_stp_disable_bridge(w, dev);
  if (dev.master) br_port_down(w, dev);
  fib_disable_ip(w, dev, false);
  return 0;
}

/**
 * netif_carrier_on/off (net/sched/sch_generic.c) and what follows the
 * NETDEV_CHANGE: each change is counted; losing carrier flushes the device's
 * neighbours (neigh_carrier_down); a bridge port is enabled or disabled
 * (br_port_carrier_check).
 */
export function netif_carrier(w: World, dev: NetDevice, on: boolean): void {
  if (dev.carrier === on) return;
  dev.carrier = on;
  dev.carrierChanges++;
  if (!on) neigh_carrier_down(w, dev);
  if (dev.master) br_port_carrier_check(w, dev);
}

/** linkwatch_do_dev: recompute the operstate of devices whose carrier changed. */
export function linkwatch(devs: NetDevice[]): void {
  for (const d of devs) d.operstate = defaultOperstate(d);
}

export function dev_set_mtu(dev: NetDevice, mtu: number): number {
  if (mtu < dev.minMtu || mtu > dev.maxMtu) return -EINVAL;
  dev.mtu = mtu;
  // br_change_mtu: a bridge given an MTU keeps it from now on.
  if (dev.bridge) dev.bridge.mtuSetByUser = true;
  // br_device_event's NETDEV_CHANGEMTU: a port's new MTU may change its bridge's.
  if (dev.master) br_mtu_auto_adjust(dev.master);
  return 0;
}

/**
 * br_mtu_auto_adjust: a bridge whose MTU was never set by hand takes the
 * smallest of its ports' (br_mtu_min; 1500 with none), so a frame it sends
 * fits every port.
 */
function br_mtu_auto_adjust(br: NetDevice): void {
  if (!br.bridge || br.bridge.mtuSetByUser) return;
  let min = 0;
  for (const p of br.bridge.ports) if (!min || p.mtu < min) min = p.mtu;
  br.mtu = min || ETH_DATA_LEN;
}

export function dev_set_mac_address(w: World, dev: NetDevice, mac: Uint8Array): number {
  // eth_prepare_mac_addr_change: only a valid unicast, non-zero address.
  if (mac.length !== 6 || mac[0] & 1 || mac.every((b) => b === 0)) return -EADDRNOTAVAIL;
  dev.addrSet = true;
  // br_set_mac_address: a bridge's new MAC is its new identifier.
  if (dev.bridge) {
    if (macKey(dev.addr) !== macKey(mac)) br_stp_change_bridge_id(w, dev, mac);
    return 0;
  }
  dev.addr = mac.slice();
  // NETDEV_CHANGEADDR on a port.
  if (dev.master) br_stp_recalculate_bridge_id(w, dev.master);
  return 0;
}

/** dev_change_net_namespace: the device goes down and loses its addresses. */
export function dev_change_net_namespace(w: World, dev: NetDevice, target: Net): number {
  if (dev.net === target) return 0;
  if (dev.kind === 'loopback') return -EINVAL;
  if (devGetByName(target, dev.name)) return -EEXIST;
  dev_close(w, dev);
  if (dev.master) br_del_if(w, dev.master, dev);
  dev.inDev.addrs = [];
  fib_netdev_unregister(dev);
  dev.qdisc = 'noop';
  unlistNetdevice(dev);
  // Keep the ifindex if it is free in the new namespace.
  if (devGetByIndex(target, dev.ifindex)) dev.ifindex = devNewIndex(target);
  dev.net = target;
  target.devices.push(dev);
  dev.inDev.conf = { ...target.ipv4.devconfDflt };
  inetdev_event(w, NETDEV_REGISTER, dev);
  dev.neighParms = neighParmsAlloc(w, target.ipv4.neighParmsDefault);
  // The carrier changes of dev_close are handled by linkwatch work that needs
  // RTNL, so it runs only once the move is over: the peer's default_operstate
  // looks its lower device up by ifindex in its own namespace and, with this
  // end gone (or come) there, computes DOWN (or LOWERLAYERDOWN) from where the
  // device is now, not from where it was.
  if (dev.peer) linkwatch([dev.peer, dev]);
  return 0;
}

export function br_add_if(w: World, br: NetDevice, dev: NetDevice): number {
  if (!br.bridge) return -EOPNOTSUPP;
  if (dev === br || dev.kind === 'loopback' || dev.kind === 'bridge') return -EINVAL;
  if (dev.master === br) return 0;
  if (dev.master) return -EBUSY;
  dev.master = br;
  // new_nbp: the port starts disabled.
  dev.brPortState = BR_STATE_DISABLED;
  // br_add_if adds at the head of port_list: floods visit the newest port first.
  br.bridge.ports.unshift(dev);
  br.bridge.fdb.push({ mac: macKey(dev.addr), port: dev, isLocal: true, updated: w.now });
  br_stp_recalculate_bridge_id(w, br);
  if (netifRunning(dev) && dev.carrier && br.flags & IFF_UP) br_stp_enable_port(w, dev);
  br_mtu_auto_adjust(br);
  return 0;
}

export function br_del_if(w: World, br: NetDevice, dev: NetDevice): number {
  if (!br.bridge || dev.master !== br) return -EINVAL;
  // del_nbp: the port is disabled (the others selected again) before it leaves.
  br_stp_disable_port(w, dev);
  dev.master = null;
  br.bridge.ports = br.bridge.ports.filter((p) => p !== dev);
  br.bridge.fdb = br.bridge.fdb.filter((f) => f.port !== dev);
  br_mtu_auto_adjust(br);
  br_stp_recalculate_bridge_id(w, br);
  return 0;
}

export function macKey(a: Uint8Array): string {
  return Array.from(a.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** rtnl_dellink: a veth takes its peer with it; a bridge releases its ports. */
export function rtnl_dellink(w: World, dev: NetDevice): number {
  if (dev.kind === 'loopback') return -EOPNOTSUPP;
  const victims = dev.kind === 'veth' && dev.peer ? [dev, dev.peer] : [dev];
  for (const d of victims) {
    dev_close(w, d);
    if (d.master) br_del_if(w, d.master, d);
    if (d.bridge) for (const p of [...d.bridge.ports]) br_del_if(w, d, p);
    fib_netdev_unregister(d);
    d.inDev.addrs = [];
    unlistNetdevice(d);
    d.peer = null;
  }
  return 0;
}

/** `ip netns add`. As in the kernel reference recordings, a new namespace starts with lo up. */
export function netns_add(w: World, name: string): Net {
  const net = copyNetNs(w, name);
  dev_open(w, net.loopback);
  return net;
}

/** `ip netns del`: physical devices would return to init_net; veths are destroyed. */
export function netns_del(w: World, net: Net): void {
  for (const dev of [...net.devices]) if (dev.kind !== 'loopback') rtnl_dellink(w, dev);
  w.nets = w.nets.filter((n) => n !== net);
  for (const other of w.nets) other.netnsIds = other.netnsIds.filter((x) => x.netUid !== net.uid);
}
