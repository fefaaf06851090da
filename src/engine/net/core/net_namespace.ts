// Network namespaces: creation, lookup by name, and peer namespace ids
// (net/core/net_namespace.c).
import type { World } from '../../kernel/world.ts';
import { newUid } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import { defaultTcpNetSysctl } from '../../include/net.ts';
import { defaultIpv4DevConf, defaultIpv4DevconfState, defaultNeighParms, defaultNetIpv4Sysctl } from '../../include/sysctl.ts';
import { createLoopback } from '../../drivers/net/loopback.ts';

export function netByUid(w: World, uid: number): Net {
  const n = w.nets.find((x) => x.uid === uid);
  if (!n) throw new Error(`internal: no namespace ${uid}`);
  return n;
}

export function netByName(w: World, name: string): Net | undefined {
  return w.nets.find((n) => n.name === name);
}

/** setup_net + loopback_net_init: a fresh namespace with only `lo` (down). */
export function copyNetNs(w: World, name: string): Net {
  const net = {
    uid: newUid(w),
    name,
    ifindex: 0,
    devices: [],
    loopback: null as unknown,
    ipv4: {
      fib: [],
      devconfAll: defaultIpv4DevConf(),
      devconfDflt: defaultIpv4DevConf(),
      devconfState: defaultIpv4DevconfState(),
      sysctl: defaultNetIpv4Sysctl(),
      neighParmsDefault: defaultNeighParms(),
      peers: [],
      fnheGenid: 0,
    },
    neighbours: [],
    rawSockets: [],
    udp: [],
    // A fixed function of the namespace's id: drawing it from the PRNG would shift every random number the scenarios already use.
    hashMix: 0,
    tcp: { listening: [], established: [], timeWait: [], orphans: [], bound: [] },
    tcpSysctl: defaultTcpNetSysctl(),
    ipFrags: [],
    netnsIds: [],
    ipIdent: 0,
  } as unknown as Net;
  net.hashMix = Math.imul(net.uid, 0x9e3779b1) >>> 16;
  w.nets.push(net);
  net.loopback = createLoopback(w, net);
  return net;
}

/** peernet2id_alloc: the id `net` uses to name `peer`, allocated on first use. */
export function peernet2idAlloc(net: Net, peer: Net): number {
  const found = net.netnsIds.find((x) => x.netUid === peer.uid);
  if (found) return found.id;
  let id = 0;
  while (net.netnsIds.some((x) => x.id === id)) id++;
  net.netnsIds.push({ netUid: peer.uid, id });
  return id;
}

export function peernet2id(net: Net, peer: Net): number {
  const found = net.netnsIds.find((x) => x.netUid === peer.uid);
  return found ? found.id : -1;
}
