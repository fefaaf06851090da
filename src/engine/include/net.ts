// `struct net`: one network namespace.
import type { NetDevice } from './netdevice.ts';
import type { Ipv4DevConf, Ipv4DevconfState, NeighParms, NetIpv4Sysctl } from './sysctl.ts';
import type { FibAlias } from './route.ts';
import type { Neighbour } from './neighbour.ts';
import type { RawSock, Sock } from './sock.ts';

import type { RequestSock, TcpSock } from './tcp.ts';

/** MAX_TCP_SYNCNT: the most SYN retransmissions tcp_syn_retries and tcp_syn_linear_timeouts take. */
export const MAX_TCP_SYNCNT = 127;

/** The TCP sysctls of a namespace (net.ipv4.tcp_*), at the kernel's defaults. */
export interface TcpNetSysctl {
  tcp_timestamps: number;
  tcp_sack: number;
  tcp_window_scaling: number;
  tcp_syn_retries: number;
  /** How many of a SYN's first retransmissions keep the initial timeout instead of doubling it. */
  tcp_syn_linear_timeouts: number;
  tcp_synack_retries: number;
  /** net.ipv4.ip_local_port_range */
  portLow: number;
  portHigh: number;
  /** tcp_rmem and tcp_wmem: min, default, max. */
  rmem: [number, number, number];
  wmem: [number, number, number];
}

export function defaultTcpNetSysctl(): TcpNetSysctl {
  return {
    tcp_timestamps: 1,
    tcp_sack: 1,
    tcp_window_scaling: 1,
    tcp_syn_retries: 6,
    tcp_syn_linear_timeouts: 4,
    tcp_synack_retries: 5,
    portLow: 32768,
    portHigh: 60999,
    rmem: [4096, 131072, 33554432],
    wmem: [4096, 16384, 4194304],
  };
}

/** The namespace's part of tcp_hashinfo: listeners, and connections by their four addresses. */
export interface TcpHash {
  listening: TcpSock[];
  /** Established and closing sockets, and half-open request socks. */
  established: (TcpSock | RequestSock)[];
  /** Sockets in TIME_WAIT (inet_timewait_sock): their four addresses until they expire. */
  timeWait: { saddr: number; sport: number; daddr: number; dport: number; until: number }[];
  /** Sockets their process closed that the kernel still finishes (FIN_WAIT, LAST_ACK...). */
  orphans: TcpSock[];
  /** The bind buckets: sockets holding a local port (bound, listening, or connected from it). */
  bound: TcpSock[];
}

/**
 * struct inet_peer (include/net/inetpeer.h): per remote address, the state of
 * the rate limits the kernel keeps for it (here, ip_rt_send_redirect's).
 */
export interface InetPeer {
  daddr: number;
  rateTokens: number;
  /** Redirects sent since the algorithm last reset. */
  nRedirects: number;
  /** In jiffies. */
  rateLast: number;
}

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
    /** Which conf keys were written, and the unmodelled keys' values. */
    devconfState: Ipv4DevconfState;
    sysctl: NetIpv4Sysctl;
    neighParmsDefault: NeighParms;
    /** net->ipv4.peers: what the namespace remembers per remote address (struct inet_peer). */
    peers: InetPeer[];
    /** fnhe_genid: bumped by net.ipv4.route.flush, it makes every next-hop exception stale. */
    fnheGenid: number;
  };
  /** ARP neighbour table entries for devices of this namespace. */
  neighbours: Neighbour[];
  rawSockets: RawSock[];
  /** This namespace's part of udp_table: its bound UDP sockets. */
  udp: Sock[];
  /** net_hash_mix: the random value a namespace adds to its sockets' hashes (where they sit in the tables). */
  hashMix: number;
  tcp: TcpHash;
  tcpSysctl: TcpNetSysctl;
  /** Peer namespace ids (peernet2id), allocated lazily from 0, keyed by Net.uid. */
  netnsIds: { netUid: number; id: number }[];
  /** IPv4 reassembly queues. */
  ipFrags: { key: string; frags: import('./skbuff.ts').SkBuff[] }[];
  /** IP ID generator state per (saddr,daddr,proto) is approximated by one counter. */
  ipIdent: number;
}
