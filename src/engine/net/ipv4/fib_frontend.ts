// FIB maintenance and the lookups other code asks of it
// (net/ipv4/fib_frontend.c): kernel routes that follow addresses and links,
// user routes, source validation (rp_filter), and address types.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { IFF_LOOPBACK, IFF_UP } from '../../include/netdevice.ts';
import type { FibAlias, RouteProto } from '../../include/route.ts';
import {
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTN_ANYCAST,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_UNICAST,
} from '../../include/route.ts';
import type { InIfaddr } from '../../include/netdevice.ts';
import { EEXIST, EINVAL, ENETDOWN, ENODEV, ENOENT, ESRCH } from '../../include/errno.ts';
import { NLM_F_CREATE, NLM_F_EXCL, type RtnlAnswer } from '../../include/netlink.ts';

export const EXDEV = 18;
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { fib_lookup, fib_table_lookup, fibInsertSorted, fibMatch } from './fib_trie.ts';
import { inPrefix, isLbcast, isMulticast, isZeronet, prefixMask } from './addr.ts';
import { in_dev_orconf, in_dev_tx_redirects, inet_lookup_ifaddr, NETDEV_DOWN, NETDEV_UP } from './devinet.ts';
import { arp_ifdown } from './arp.ts';

const F_fib_validate_source = kfn(
  'fib_validate_source',
  'net/ipv4/fib_frontend.c',
  'Is the source address believable on this interface? With rp_filter off and accept_local on it trusts it; otherwise a local source is a martian, and with rp_filter on a reverse route lookup must point back out of the same device.',
  'errno',
);
const F_inet_addr_type_dev_table = kfn(
  'inet_addr_type_dev_table',
  'net/ipv4/fib_frontend.c',
  'Classifies an address (local, unicast, broadcast...) by looking it up in the local table.',
  'rtn_type',
);

/** fib_magic: a kernel route (unicast ones in main, the rest in local). */
function magic(type: number, dst: number, dstLen: number, dev: NetDevice, prefsrc: number, scope: number): FibAlias {
  return {
    table: type === RTN_UNICAST ? RT_TABLE_MAIN : RT_TABLE_LOCAL,
    dst: (dst & prefixMask(dstLen)) >>> 0,
    dstLen,
    type,
    scope,
    protocol: 'kernel',
    prefsrc,
    gateway: 0,
    dev,
    metric: 0,
    dead: false,
  };
}

function addKernelRoute(net: Net, fa: FibAlias): void {
  const exists = net.ipv4.fib.some(
    (x) =>
      x.table === fa.table &&
      x.dst === fa.dst &&
      x.dstLen === fa.dstLen &&
      x.type === fa.type &&
      x.dev === fa.dev &&
      x.prefsrc === fa.prefsrc,
  );
  if (!exists) fibInsertSorted(net, fa, true);
}

/** The primary address a secondary one belongs to (inet_ifa_byprefix). */
function primaryOf(dev: NetDevice, ifa: InIfaddr): InIfaddr {
  if (!ifa.secondary) return ifa;
  return (
    dev.inDev.addrs.find((a) => !a.secondary && a.prefixlen === ifa.prefixlen && inPrefix(ifa.local, a.local, a.prefixlen)) ?? ifa
  );
}

/** fib_add_ifaddr: the routes an address brings; a secondary's use its primary as source. */
export function fib_add_ifaddr(dev: NetDevice, ifa: InIfaddr): void {
  const net = dev.net;
  const mask = prefixMask(ifa.prefixlen);
  const prefix = (ifa.local & mask) >>> 0;
  const src = primaryOf(dev, ifa).local;
  addKernelRoute(net, magic(RTN_LOCAL, ifa.local, 32, dev, src, RT_SCOPE_HOST));
  if (!(dev.flags & IFF_UP)) return;
  if (ifa.broadcast && ifa.broadcast !== 0xffffffff)
    addKernelRoute(net, magic(RTN_BROADCAST, ifa.broadcast, 32, dev, src, RT_SCOPE_LINK));
  if (!isZeronet(prefix) && !ifa.secondary && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    const type = dev.flags & IFF_LOOPBACK ? RTN_LOCAL : RTN_UNICAST;
    addKernelRoute(net, magic(type, prefix, ifa.prefixlen, dev, src, type === RTN_LOCAL ? RT_SCOPE_HOST : RT_SCOPE_LINK));
    if (ifa.prefixlen < 31) addKernelRoute(net, magic(RTN_BROADCAST, (prefix | ~mask) >>> 0, 32, dev, src, RT_SCOPE_LINK));
  }
}

/**
 * fib_del_ifaddr: the routes an address brought go, except those another
 * remaining address of the device still needs (the same local address, or
 * the same broadcast).
 */
export function fib_del_ifaddr(dev: NetDevice, ifa: InIfaddr): void {
  const net = dev.net;
  const rest = dev.inDev.addrs.filter((a) => a !== ifa);
  const mask = prefixMask(ifa.prefixlen);
  const prefix = (ifa.local & mask) >>> 0;
  const subnetBrd = (prefix | ~mask) >>> 0;
  const broadcastsInUse = new Set<number>();
  for (const a of rest) {
    if (a.broadcast) broadcastsInUse.add(a.broadcast);
    if (!a.secondary && a.prefixlen < 31) {
      const m = prefixMask(a.prefixlen);
      broadcastsInUse.add(((a.local & m) | ~m) >>> 0);
      broadcastsInUse.add((a.local & m) >>> 0);
    }
  }
  const localInUse = rest.some((a) => a.local === ifa.local);
  net.ipv4.fib = net.ipv4.fib.filter((fa) => {
    if (fa.protocol !== 'kernel' || fa.dev !== dev) return true;
    if (fa.type === RTN_LOCAL && fa.dstLen === 32 && fa.dst === ifa.local) return localInUse;
    if (
      fa.type === RTN_BROADCAST &&
      (fa.dst === ifa.broadcast || (!ifa.secondary && (fa.dst === subnetBrd || fa.dst === prefix)))
    )
      return broadcastsInUse.has(fa.dst);
    if (!ifa.secondary && fa.dst === prefix && fa.dstLen === ifa.prefixlen && fa.type !== RTN_BROADCAST) return false;
    return true;
  });
  if (!localInUse) {
    // fib_sync_down_addr: routes whose preferred source was this address die.
    net.ipv4.fib = net.ipv4.fib.filter((fa) => fa.prefsrc !== ifa.local || fa.protocol === 'kernel');
  }
  // Routes through a gateway this address made reachable die with it.
  net.ipv4.fib = net.ipv4.fib.filter(
    (fa) =>
      !(
        fa.gateway &&
        fa.dev === dev &&
        !rest.some((a) => inPrefix(fa.gateway, a.local, a.prefixlen)) &&
        inPrefix(fa.gateway, ifa.local, ifa.prefixlen)
      ),
  );
}

/** NETDEV_UP: every address's routes come (back). */
export function fib_netdev_up(dev: NetDevice): void {
  for (const ifa of dev.inDev.addrs) fib_add_ifaddr(dev, ifa);
}

/**
 * fib_sync_down_dev then fib_flush: every route whose next hop is the device
 * dies. Unforced (the device went down), host-scope routes live on: their
 * next hop's scope is RT_SCOPE_NOWHERE, which the sync spares, so the
 * device's local addresses stay local. Forced (its last address went), they
 * die too.
 */
function fib_sync_down_dev(dev: NetDevice, force: boolean): void {
  dev.net.ipv4.fib = dev.net.ipv4.fib.filter((fa) => fa.dev !== dev || (!force && fa.scope === RT_SCOPE_HOST));
}

/**
 * fib_disable_ip: IPv4 stops using the device: its routes go (fib_sync_down_dev,
 * fib_flush) and arp_ifdown flushes its neighbours, static ones too. Called
 * unforced on NETDEV_DOWN, forced when the device's last address is deleted.
 */
export function fib_disable_ip(w: World, dev: NetDevice, force: boolean): void {
  fib_sync_down_dev(dev, force);
  arp_ifdown(w, dev);
}

/**
 * fib_inetaddr_event: the inetaddr notifier. An address coming brings its
 * routes; one going takes its routes, and when it was the device's last,
 * fib_disable_ip(force) takes every other route through the device and its
 * neighbours.
 */
export function fib_inetaddr_event(w: World, event: number, ifa: InIfaddr, dev: NetDevice): void {
  if (event === NETDEV_UP) {
    fib_add_ifaddr(dev, ifa);
  } else if (event === NETDEV_DOWN) {
    fib_del_ifaddr(dev, ifa);
    if (dev.inDev.addrs.length === 0) fib_disable_ip(w, dev, true);
  }
}

/** NETDEV_UNREGISTER (or leaving the namespace): every route through the device goes. */
export function fib_netdev_unregister(dev: NetDevice): void {
  dev.net.ipv4.fib = dev.net.ipv4.fib.filter((fa) => fa.dev !== dev);
}

export interface UserRoute {
  table: number;
  dst: number;
  dstLen: number;
  type: number;
  gateway: number;
  dev: NetDevice | null;
  metric: number;
  prefsrc: number;
  scope: number | null;
  protocol: RouteProto;
  /** RTNH_F_ONLINK (`onlink`). */
  onlink: boolean;
}

function answer(err: number, msg: string | null = null): RtnlAnswer {
  return { err, msg };
}

/**
 * RTM_NEWROUTE (inet_rtm_newroute -> fib_table_insert): the prefix is
 * checked, fib_create_info checks the next hop and the preferred source, then
 * the flags decide what an existing route with the same key (table,
 * destination, metric) means: EEXIST with EXCL, replaced with REPLACE, and
 * without CREATE a missing one is ENOENT.
 */
export function inet_rtm_newroute(net: Net, r: UserRoute, nlflags: number): RtnlAnswer {
  // fib_valid_key_len: no host bits under the prefix.
  if (r.dstLen < 32 && (r.dst & ~prefixMask(r.dstLen)) >>> 0) return answer(-EINVAL, 'Invalid prefix for given prefix length.');
  let dev = r.dev;
  let scope = r.scope;
  if (r.gateway && r.onlink) {
    // fib_check_nh_v4_gw with RTNH_F_ONLINK: the gateway is on the given
    // device's link; it needs only be an up device and a unicast address there.
    if (scope !== null && scope >= RT_SCOPE_LINK) return answer(-EINVAL, 'Nexthop has invalid scope.');
    if (!dev) return answer(-ENODEV, 'Nexthop device required for onlink.');
    if (!(dev.flags & IFF_UP)) return answer(-ENETDOWN, 'Nexthop device is not up.');
    const local = fibMatch(net, { oif: 0, iif: 0, proto: 0, saddr: 0, daddr: r.gateway, scope: 0 });
    const isLocalType = local.alias && local.alias.table === RT_TABLE_LOCAL && local.alias.type !== RTN_UNICAST;
    if (isZeronet(r.gateway) || isLbcast(r.gateway) || isMulticast(r.gateway) || isLocalType)
      return answer(-EINVAL, 'Nexthop has invalid gateway.');
    if (scope === null) scope = RT_SCOPE_UNIVERSE;
  } else if (r.gateway) {
    // fib_check_nh_v4_gw: the gateway must resolve, at link scope, to a unicast or local route.
    const gw = fibMatch(net, { oif: dev ? dev.ifindex : 0, iif: 0, proto: 0, saddr: 0, daddr: r.gateway, scope: RT_SCOPE_LINK });
    if (gw.err || !gw.alias || (gw.alias.type !== RTN_UNICAST && gw.alias.type !== RTN_LOCAL))
      return answer(-EINVAL, 'Nexthop has invalid gateway.');
    if (dev && !(dev.flags & IFF_UP)) return answer(-ENETDOWN, 'Nexthop device is not up.');
    dev ??= gw.alias.dev;
    if (scope === null) scope = RT_SCOPE_UNIVERSE;
  } else {
    if (
      r.type === RTN_UNICAST ||
      r.type === RTN_LOCAL ||
      r.type === RTN_BROADCAST ||
      r.type === RTN_MULTICAST ||
      r.type === RTN_ANYCAST
    ) {
      // fib_check_nh_nongw: a direct route needs an up device.
      if (!dev) return answer(-ENODEV);
      if (!(dev.flags & IFF_UP)) return answer(-ENETDOWN, 'Device for nexthop is not up.');
    }
    if (scope === null) scope = r.type === RTN_LOCAL ? RT_SCOPE_HOST : r.type === RTN_UNICAST ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
  }
  // fib_create_info: a preferred source must be one of this host's addresses.
  if (r.prefsrc && !(r.type === RTN_LOCAL && r.dstLen && r.prefsrc === r.dst)) {
    const t = fibMatch(net, { oif: 0, iif: 0, proto: 0, saddr: 0, daddr: r.prefsrc, scope: 0 });
    if (!t.alias || t.alias.type !== RTN_LOCAL) return answer(-EINVAL, 'Invalid prefsrc address.');
  }
  const fib = net.ipv4.fib;
  const existing = fib.findIndex(
    (fa) => fa.table === r.table && fa.dst === r.dst && fa.dstLen === r.dstLen && fa.metric === r.metric,
  );
  if (existing >= 0 && nlflags & NLM_F_EXCL) return answer(-EEXIST);
  if (existing < 0 && !(nlflags & NLM_F_CREATE)) return answer(-ENOENT);
  if (existing >= 0) fib.splice(existing, 1);
  fibInsertSorted(
    net,
    {
      table: r.table,
      dst: r.dst,
      dstLen: r.dstLen,
      type: r.type,
      scope,
      protocol: r.protocol,
      prefsrc: r.prefsrc,
      gateway: r.gateway,
      dev: dev!,
      metric: r.metric,
      dead: false,
      ...(r.onlink && r.gateway ? { onlink: true } : {}),
    },
    false,
  );
  return answer(0);
}

/** RTM_DELROUTE from `ip route del`: the first route matching what was given. */
export function inet_rtm_delroute(net: Net, r: Partial<UserRoute> & { dst: number; dstLen: number; table: number }): number {
  const dst = (r.dst & prefixMask(r.dstLen)) >>> 0;
  const i = net.ipv4.fib.findIndex(
    (fa) =>
      fa.table === r.table &&
      fa.dst === dst &&
      fa.dstLen === r.dstLen &&
      (!r.dev || fa.dev === r.dev) &&
      (!r.gateway || fa.gateway === r.gateway) &&
      (r.metric === undefined || fa.metric === r.metric),
  );
  if (i < 0) return -ESRCH;
  net.ipv4.fib.splice(i, 1);
  return 0;
}

/** __inet_dev_addr_type through inet_addr_type_dev_table: a lookup in table 255. */
export function inet_addr_type_dev_table(w: World, net: Net, dev: NetDevice | null, addr: number): number {
  if (isZeronet(addr) || isLbcast(addr)) return RTN_BROADCAST;
  if (isMulticast(addr)) return RTN_MULTICAST;
  enter(w, F_inet_addr_type_dev_table, null, dev);
  try {
    const r = fib_table_lookup(w, net, RT_TABLE_LOCAL, { oif: 0, iif: 0, proto: 0, saddr: 0, daddr: addr, scope: 0 });
    if (r.err === 0 && r.alias && r.alias.type !== RTN_UNICAST) return ret(w, r.alias.type);
    return ret(w, RTN_UNICAST);
  } finally {
    leave(w);
  }
}

/**
 * fib_validate_source: -EINVAL or -EXDEV for a martian source or a failed
 * reverse-path check; else 1 when the way back to the source is a direct route
 * through the device the packet came in on (its next hop's scope is host:
 * the sender is on-link there), 0 otherwise.
 */
export function fib_validate_source(w: World, src: number, dst: number, oif: number, dev: NetDevice): number {
  enter(w, F_fib_validate_source, null, dev);
  try {
    const net = dev.net;
    const conf = dev.inDev.conf;
    const rpFilter = Math.max(net.ipv4.devconfAll.rp_filter, conf.rp_filter);
    const acceptLocal = in_dev_orconf(dev, 'accept_local');
    const txRedirects = in_dev_tx_redirects(dev);
    if (!rpFilter && (dev.ifindex !== oif || !txRedirects)) {
      if (acceptLocal) return ret(w, 0);
      if (inet_lookup_ifaddr(net, src)) return ret(w, -EINVAL);
      return ret(w, 0);
    }
    // __fib_validate_source: a reverse lookup, as if replying to the source.
    const fl = { oif: 0, iif: oif || 1, proto: 0, saddr: dst, daddr: src, scope: RT_SCOPE_UNIVERSE };
    const r = fib_lookup(w, net, fl);
    if (r.err !== 0 || !r.alias) return ret(w, rpFilter ? -EXDEV : 0);
    const fa = r.alias;
    if (fa.type !== RTN_UNICAST && (fa.type !== RTN_LOCAL || !acceptLocal)) return ret(w, -EINVAL);
    if (fa.dev === dev || (fa.type === RTN_LOCAL && dev === net.loopback)) return ret(w, fa.gateway ? 0 : 1);
    if (dev.inDev.addrs.length === 0) return ret(w, rpFilter ? -EXDEV : 0);
    if (rpFilter === 1) return ret(w, -EXDEV);
    // Loose mode: is there any route back through this device?
    const back = fib_lookup(w, net, { ...fl, oif: dev.ifindex });
    return ret(w, back.err === 0 && back.alias?.type === RTN_UNICAST && !back.alias.gateway ? 1 : 0);
  } finally {
    leave(w);
  }
}
