// net.ipv4's own sysctls (net/ipv4/sysctl_net_ipv4.c): ICMP's knobs, the
// default TTL, ip_forward (conf/all/forwarding under another name),
// ping_group_range and the SYN's retransmissions, each with its proc handler.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import { EINVAL } from '../../include/errno.ts';
import {
  ctlDir,
  ctlIntFile,
  proc_dointvec,
  proc_dointvec_minmax,
  proc_dou8vec_minmax,
  type CtlDir,
  type CtlNode,
} from '../../kernel/sysctl.ts';
import { devinet_sysctl_dir, devinet_sysctl_forward_all } from './devinet.ts';
import { neigh_sysctl_table } from '../core/neighbour.ts';
import { ipv4_route_sysctl_dir } from './route.ts';
import { MAX_TCP_SYNCNT } from '../../include/net.ts';

/**
 * net.ipv4: ipv4_net_table's entries, with conf (devinet) and neigh
 * (neighbour) registered under it by their subsystems.
 */
export function ipv4_sysctl_dir(w: World, net: Net): CtlDir {
  const s = net.ipv4.sysctl;
  const entries = (): [string, () => CtlNode][] => [
    ['conf', () => devinet_sysctl_dir(net)],
    [
      'icmp_echo_ignore_all',
      () =>
        ctlIntFile(
          () => s.icmp_echo_ignore_all,
          (t) => proc_dou8vec_minmax(t, (v) => (s.icmp_echo_ignore_all = v)),
        ),
    ],
    [
      'icmp_echo_ignore_broadcasts',
      () =>
        ctlIntFile(
          () => s.icmp_echo_ignore_broadcasts,
          (t) => proc_dou8vec_minmax(t, (v) => (s.icmp_echo_ignore_broadcasts = v)),
        ),
    ],
    [
      'icmp_errors_use_inbound_ifaddr',
      () =>
        ctlIntFile(
          () => s.icmp_errors_use_inbound_ifaddr,
          (t) => proc_dou8vec_minmax(t, (v) => (s.icmp_errors_use_inbound_ifaddr = v)),
        ),
    ],
    [
      'icmp_ratelimit',
      () =>
        ctlIntFile(
          () => s.icmp_ratelimit,
          (t) => proc_dointvec(t, (v) => (s.icmp_ratelimit = v)),
        ),
    ],
    [
      'icmp_ratemask',
      () =>
        ctlIntFile(
          () => s.icmp_ratemask,
          (t) => proc_dointvec(t, (v) => (s.icmp_ratemask = v)),
        ),
    ],
    [
      'ip_default_ttl',
      () =>
        ctlIntFile(
          () => s.ip_default_ttl,
          (t) => proc_dointvec_minmax(t, 1, 255, (v) => (s.ip_default_ttl = v)),
        ),
    ],
    // ip_forward is conf/all/forwarding under another name.
    [
      'ip_forward',
      () =>
        ctlIntFile(
          () => net.ipv4.devconfAll.forwarding,
          (t) => devinet_sysctl_forward_all(net, t),
        ),
    ],
    // Outside init_net there is no neigh/default: only the devices.
    [
      'neigh',
      () =>
        ctlDir(() =>
          net.devices
            .map((dev) => [dev.name, () => neigh_sysctl_table(w, dev)] as [string, () => CtlNode])
            .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
        ),
    ],
    ['route', () => ipv4_route_sysctl_dir(net)],
    [
      'tcp_syn_linear_timeouts',
      () =>
        ctlIntFile(
          () => net.tcpSysctl.tcp_syn_linear_timeouts,
          (t) => proc_dou8vec_minmax(t, (v) => (net.tcpSysctl.tcp_syn_linear_timeouts = v), 0, MAX_TCP_SYNCNT),
        ),
    ],
    [
      'tcp_syn_retries',
      () =>
        ctlIntFile(
          () => net.tcpSysctl.tcp_syn_retries,
          (t) => proc_dou8vec_minmax(t, (v) => (net.tcpSysctl.tcp_syn_retries = v), 1, MAX_TCP_SYNCNT),
        ),
    ],
    [
      'ping_group_range',
      () => ({ kind: 'file', read: () => s.ping_group_range, write: (t: string) => ipv4_ping_group_range(net, t) }),
    ],
  ];
  return ctlDir(() => entries().sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/** ipv4_ping_group_range: two gids, the first not above the second. */
function ipv4_ping_group_range(net: Net, text: string): number {
  const m = /^[ \t\n]*(\d+)[ \t\n]+(\d+)[ \t\n]*$/.exec(text);
  if (!m) return EINVAL;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  if (lo > 4294967294 || hi > 4294967294) return EINVAL;
  net.ipv4.sysctl.ping_group_range = `${lo}\t${hi}`;
  return 0;
}
