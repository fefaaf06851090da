// struct net_device_ops, one table per kind of device: the driver registers
// its functions (veth_xmit, loopback_xmit, br_dev_xmit) and the core calls
// through the table, never naming a driver. Devices are plain data (they are
// checkpointed with structuredClone), so they name their kind, not the table.
import type { World } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import type { SkBuff } from '../../include/skbuff.ts';

export interface NetDeviceOps {
  ndo_start_xmit(w: World, skb: SkBuff, dev: NetDevice): number;
}

const opsByKind = new Map<string, NetDeviceOps>();

/** What a driver's netdev_ops assignment does (dev->netdev_ops = &veth_netdev_ops). */
export function register_netdev_ops(kind: string, ops: NetDeviceOps): void {
  opsByKind.set(kind, ops);
}

export function netdev_ops(dev: NetDevice): NetDeviceOps {
  const ops = opsByKind.get(dev.kind);
  if (!ops) throw new Error(`no net_device_ops for devices of kind "${dev.kind}"`);
  return ops;
}
