// Per-device and per-namespace sysctls (net.ipv4.conf.*, net.ipv4.*, net.core.*).

/** net.ipv4.conf.{all,default,DEV}.* that skbwalk models. */
export interface Ipv4DevConf {
  forwarding: number;
  rp_filter: number;
  accept_local: number;
  arp_ignore: number;
  arp_announce: number;
  arp_filter: number;
  arp_accept: number;
  proxy_arp: number;
  log_martians: number;
  send_redirects: number;
  accept_redirects: number;
  /** Redirects may name any gateway on the link's medium, not only one in a subnet of the device. */
  shared_media: number;
  /** Without shared_media: accept only redirects to a gateway the FIB already uses. */
  secure_redirects: number;
}

export const IPV4_DEVCONF_KEYS: readonly (keyof Ipv4DevConf)[] = [
  'forwarding',
  'rp_filter',
  'accept_local',
  'arp_ignore',
  'arp_announce',
  'arp_filter',
  'arp_accept',
  'proxy_arp',
  'log_martians',
  'send_redirects',
  'accept_redirects',
  'shared_media',
  'secure_redirects',
];

export function defaultIpv4DevConf(): Ipv4DevConf {
  return {
    forwarding: 0,
    rp_filter: 0,
    accept_local: 0,
    arp_ignore: 0,
    arp_announce: 0,
    arp_filter: 0,
    arp_accept: 0,
    proxy_arp: 0,
    log_martians: 0,
    send_redirects: 1,
    accept_redirects: 1,
    shared_media: 1,
    secure_redirects: 1,
  };
}

/** Every key of net.ipv4.conf.X, in the order procfs lists them, with a new namespace's defaults. */
export const IPV4_DEVCONF_DEFAULTS: Record<string, number> = {
  accept_local: 0,
  accept_redirects: 1,
  accept_source_route: 1,
  arp_accept: 0,
  arp_announce: 0,
  arp_evict_nocarrier: 1,
  arp_filter: 0,
  arp_ignore: 0,
  arp_notify: 0,
  bc_forwarding: 0,
  bootp_relay: 0,
  disable_policy: 0,
  disable_xfrm: 0,
  drop_gratuitous_arp: 0,
  drop_unicast_in_l2_multicast: 0,
  force_igmp_version: 0,
  forwarding: 0,
  igmpv2_unsolicited_report_interval: 10000,
  igmpv3_unsolicited_report_interval: 1000,
  ignore_routes_with_linkdown: 0,
  log_martians: 0,
  mc_forwarding: 0,
  medium_id: 0,
  promote_secondaries: 0,
  proxy_arp: 0,
  proxy_arp_pvlan: 0,
  route_localnet: 0,
  rp_filter: 0,
  secure_redirects: 1,
  send_redirects: 1,
  shared_media: 1,
  src_valid_mark: 0,
  tag: 0,
};
export const IPV4_DEVCONF_ALL_KEYS = Object.keys(IPV4_DEVCONF_DEFAULTS).sort();
/**
 * What the kernel keeps beside the modelled values of a namespace's IPv4
 * confs (ipv4_devconf's `state` bitmap and its other `data`): which keys each
 * conf had written explicitly (conf/default then no longer overrides them),
 * and the values of keys the engine's Ipv4DevConf does not model.
 */
export interface Ipv4DevconfState {
  /** Keys written in conf/default. */
  dfltSet: string[];
  /** Keys written (or counted as written) per device, by device uid. */
  devSet: Record<string, string[]>;
  /** Unmodelled keys' values: 'all', 'default', and device uids. */
  extra: Record<string, Record<string, number>>;
}

const MODELLED_DEVCONF_KEYS = new Set<string>(IPV4_DEVCONF_KEYS as readonly string[]);

/** A new namespace's devconf state: nothing written, the kernel's defaults for what is not modelled. */
export function defaultIpv4DevconfState(): Ipv4DevconfState {
  const extraOf = (acceptSourceRoute: number) => {
    const e: Record<string, number> = {};
    for (const k of IPV4_DEVCONF_ALL_KEYS) if (!MODELLED_DEVCONF_KEYS.has(k)) e[k] = IPV4_DEVCONF_DEFAULTS[k];
    e.accept_source_route = acceptSourceRoute;
    return e;
  };
  return { dfltSet: [], devSet: {}, extra: { all: extraOf(0), default: extraOf(1) } };
}

/** Neighbour parameters (net.ipv4.neigh.DEV.*), times in ns. */
export interface NeighParms {
  baseReachableTime: number;
  retransTime: number;
  delayProbeTime: number;
  gcStaleTime: number;
  ucastProbes: number;
  appProbes: number;
  mcastProbes: number;
  mcastReprobes: number;
  queueLenBytes: number;
  locktime: number;
  /** The randomized reachable time every entry of these parms uses (neigh_rand_reach_time). */
  reachableTime: number;
}

export const NSEC_PER_SEC = 1_000_000_000;
export const NSEC_PER_MSEC = 1_000_000;

export function defaultNeighParms(): NeighParms {
  return {
    baseReachableTime: 30 * NSEC_PER_SEC,
    retransTime: 1 * NSEC_PER_SEC,
    delayProbeTime: 5 * NSEC_PER_SEC,
    gcStaleTime: 60 * NSEC_PER_SEC,
    ucastProbes: 3,
    appProbes: 0,
    mcastProbes: 3,
    mcastReprobes: 0,
    queueLenBytes: 212992,
    locktime: 1 * NSEC_PER_SEC,
    reachableTime: 30 * NSEC_PER_SEC,
  };
}

/** Namespace-wide IPv4 sysctls. */
export interface NetIpv4Sysctl {
  ip_forward: number;
  ip_default_ttl: number;
  icmp_echo_ignore_all: number;
  icmp_echo_ignore_broadcasts: number;
  icmp_ratelimit: number;
  icmp_ratemask: number;
  icmp_errors_use_inbound_ifaddr: number;
  ping_group_range: string;
}

export function defaultNetIpv4Sysctl(): NetIpv4Sysctl {
  return {
    ip_forward: 0,
    ip_default_ttl: 64,
    icmp_echo_ignore_all: 0,
    icmp_echo_ignore_broadcasts: 1,
    icmp_ratelimit: 1000,
    icmp_ratemask: 6168,
    icmp_errors_use_inbound_ifaddr: 0,
    // A new namespace's default: no group may open ICMP datagram sockets.
    ping_group_range: '1\t0',
  };
}

/** Global net.core.* sysctls (not per namespace in Linux). */
export interface NetCoreSysctl {
  netdev_max_backlog: number;
  dev_weight: number;
  netdev_budget: number;
  netdev_budget_usecs: number;
}

export function defaultNetCoreSysctl(): NetCoreSysctl {
  return { netdev_max_backlog: 1000, dev_weight: 64, netdev_budget: 300, netdev_budget_usecs: 2000 };
}
