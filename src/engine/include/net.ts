// `struct net`: one network namespace.
import type { NetDevice } from './netdevice.ts';
import type { Ipv4DevConf, NeighParms, NetIpv4Sysctl } from './sysctl.ts';
import type { FibAlias } from './route.ts';
import type { Neighbour } from './neighbour.ts';
import type { RawSock, Sock } from './sock.ts';

export interface Net {
  /** Engine-wide unique namespace id. */
  uid: number;
  /** '' for the scenario's host namespace, else the `ip netns add` name. */
  name: string;
  /** Last ifindex handed out (dev_new_index counts up from here). */
  ifindex: number;
  devices: NetDevice[]; // in registration order
  loopback: NetDevice;
  ipv4: {
    /** The merged local+main FIB trie (no custom rules: tables 255 and 254 share one trie). */
    fib: FibAlias[];
    devconfAll: Ipv4DevConf;
    devconfDflt: Ipv4DevConf;
    sysctl: NetIpv4Sysctl;
    neighParmsDefault: NeighParms;
  };
  /** ARP neighbour table entries for devices of this namespace. */
  neighbours: Neighbour[];
  rawSockets: RawSock[];
  /** This namespace's part of udp_table: its bound UDP sockets. */
  udp: Sock[];
  /** net_hash_mix: the random value a namespace adds to its sockets' hashes (where they sit in the tables). */
  hashMix: number;
  /** Peer namespace ids (peernet2id), allocated lazily from 0, keyed by Net.uid. */
  netnsIds: { netUid: number; id: number }[];
  /** IPv4 reassembly queues. */
  ipFrags: { key: string; frags: import('./skbuff.ts').SkBuff[] }[];
  /** IP ID generator state per (saddr,daddr,proto) is approximated by one counter. */
  ipIdent: number;
}
