// Allocating and registering devices (alloc_netdev / register_netdevice /
// dev_new_index in net/core/dev.c).
import type { World } from '../../kernel/world.ts';
import { newUid, randomU32 } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { DeviceKind, NetDevice } from '../../include/netdevice.ts';
import { BR_STATE_DISABLED } from '../../include/netdevice.ts';
import type { NeighParms } from '../../include/sysctl.ts';
import { inetdev_event, NETDEV_REGISTER } from '../ipv4/devinet.ts';

/** dev_index_reserve(net, 0): the next free ifindex after the last one handed out. */
export function devNewIndex(net: Net): number {
  let i = net.ifindex + 1;
  while (net.devices.some((d) => d.ifindex === i)) i++;
  net.ifindex = i;
  return i;
}

export function devGetByName(net: Net, name: string): NetDevice | undefined {
  return net.devices.find((d) => d.name === name);
}

export function devGetByIndex(net: Net, ifindex: number): NetDevice | undefined {
  return net.devices.find((d) => d.ifindex === ifindex);
}

export function allocNetdev(w: World, net: Net, name: string, kind: DeviceKind): NetDevice {
  return {
    uid: newUid(w),
    ifindex: 0,
    name,
    kind,
    net,
    flags: 0,
    carrier: true,
    carrierChanges: 0,
    operstate: 'UNKNOWN',
    mtu: 1500,
    minMtu: 68,
    maxMtu: 65535,
    addr: new Uint8Array(6),
    broadcast: new Uint8Array([255, 255, 255, 255, 255, 255]),
    txQueueLen: 1000,
    qdisc: 'noop',
    stats: { rxPackets: 0, rxBytes: 0, rxDropped: 0, txPackets: 0, txBytes: 0, txDropped: 0 },
    // A new device's IPv4 config starts as a copy of net.ipv4.conf.default.
    inDev: { addrs: [], conf: { ...net.ipv4.devconfDflt } },
    peer: null,
    master: null,
    brPortState: BR_STATE_DISABLED,
    bridge: null,
    taps: [],
    addrSet: false,
    neighParms: neighParmsAlloc(w, net.ipv4.neighParmsDefault),
  };
}

/** register_netdevice: listed in its namespace, then announced (NETDEV_REGISTER) to IPv4. */
export function registerNetdevice(w: World, net: Net, dev: NetDevice): void {
  dev.ifindex = devNewIndex(net);
  dev.net = net;
  net.devices.push(dev);
  inetdev_event(w, NETDEV_REGISTER, dev);
}

export function unlistNetdevice(dev: NetDevice): void {
  const devs = dev.net.devices;
  const i = devs.indexOf(dev);
  if (i >= 0) devs.splice(i, 1);
}

/** neigh_parms_alloc: a device's ARP parameters start as its namespace's defaults. */
export function neighParmsAlloc(w: World, dflt: NeighParms): NeighParms {
  return { ...dflt, reachableTime: neighRandReachTime(w, dflt.baseReachableTime) };
}

/**
 * neigh_rand_reach_time draws uniformly from [base/2, 3*base/2). skbwalk uses
 * the middle of that range: the kernel's expected value, and so the choice
 * that lands neighbour timers where a recording most likely saw them.
 */
export function neighRandReachTime(_w: World, base: number): number {
  return base;
}

/** eth_hw_addr_random: a random unicast, locally administered MAC. */
export function ethHwAddrRandom(w: World, dev: NetDevice): void {
  const a = new Uint8Array(6);
  for (let i = 0; i < 6; i++) a[i] = randomU32(w) & 0xff;
  a[0] &= 0xfe;
  a[0] |= 0x02;
  dev.addr = a;
}
