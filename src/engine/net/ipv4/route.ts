// Route resolution (net/ipv4/route.c): output routes for what we send, input
// routes for what we receive (local delivery, forwarding, or a martian).
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { IFF_LOOPBACK, IFF_UP } from '../../include/netdevice.ts';
import type { FibAlias, FibNhException, Rtable } from '../../include/route.ts';
import {
  RT_TABLE_LOCAL,
  RTCF_BROADCAST,
  RTCF_LOCAL,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_UNIVERSE,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_UNICAST,
  RTN_UNREACHABLE,
} from '../../include/route.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { ETH_P_IP } from '../../include/skbuff.ts';
import { EACCES, EINVAL, ENETUNREACH, ENODEV, EHOSTUNREACH } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { fib_lookup, fib_table_lookup, type Flowi4 } from './fib_trie.ts';
import { fib_validate_source, EXDEV } from './fib_frontend.ts';
import { inet_lookup_ifaddr, inet_select_addr } from './devinet.ts';
import { isLbcast, isLoopbackAddr, isMulticast, isZeronet } from './addr.ts';
import { devGetByIndex } from '../core/register.ts';
import { __icmp_send, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH } from './icmp.ts';

const F_ip_route_output_key_hash_rcu = kfn(
  'ip_route_output_key_hash_rcu',
  'net/ipv4/route.c',
  "Finds the output route: a FIB lookup in table main. A local destination is sent through the loopback device; otherwise the route's device and gateway are used and a source address is chosen.",
  'route',
);
const F_ip_route_input_slow = kfn(
  'ip_route_input_slow',
  'net/ipv4/route.c',
  'Routes a received packet: a FIB lookup with iif set. A local destination must pass fib_validate_source (rp_filter, accept_local); anything else is forwarded only if forwarding is on.',
  'drop_reason',
);
const F_ipv4_link_failure = kfn(
  'ipv4_link_failure',
  'net/ipv4/route.c',
  'The next hop could not be reached: tell the sender with ICMP destination unreachable (host unreachable).',
);

export type RouteResult = { rt: Rtable; fl: Flowi4 } | { err: number };

/** net.ipv4.route.min_pmtu: a learned path MTU is never below this (552). */
export const IP_RT_MIN_PMTU = 512 + 20 + 20;
/** net.ipv4.route.mtu_expires: a learned path MTU lasts ten minutes. */
export const IP_RT_MTU_EXPIRES = 600e9;

const F___ip_rt_update_pmtu = kfn(
  '__ip_rt_update_pmtu',
  'net/ipv4/route.c',
  'An ICMP "fragmentation needed" said a smaller MTU lies on the way: the next hop for that destination gets an exception (fib_nh_exception) holding the path MTU for ten minutes, which later routes to it carry.',
);
const F_ipv4_sk_update_pmtu = kfn(
  'ipv4_sk_update_pmtu',
  'net/ipv4/route.c',
  "The socket's flow is routed again from the quoted packet's addresses, and that route's MTU is lowered to what the router reported.",
);

/** find_exception: the next hop's live exception for `daddr` (an expired one is dropped). */
export function find_exception(w: World, fa: FibAlias, daddr: number): FibNhException | null {
  const list = fa.exceptions;
  if (!list) return null;
  const e = list.find((x) => x.daddr === daddr);
  if (!e) return null;
  if (w.now >= e.expires) {
    fa.exceptions = list.filter((x) => x !== e);
    return null;
  }
  return e;
}

/** ipv4_mtu (dst_mtu): a learned path MTU while it lasts, else the device's. */
export function dst_mtu(w: World, rt: Rtable): number {
  if (rt.pmtu && rt.expires !== undefined && w.now < rt.expires) return rt.pmtu;
  return rt.dev.mtu;
}

/** update_or_create_fnhe */
function update_or_create_fnhe(fa: FibAlias, daddr: number, pmtu: number, expires: number): void {
  const list = (fa.exceptions ??= []);
  const e = list.find((x) => x.daddr === daddr);
  if (e) {
    e.pmtu = pmtu;
    e.expires = expires;
  } else list.push({ daddr, pmtu, expires });
}

/** __ip_rt_update_pmtu */
export function __ip_rt_update_pmtu(w: World, net: Net, rt: Rtable, fl: Flowi4, reported: number): void {
  enter(w, F___ip_rt_update_pmtu);
  try {
    const old = dst_mtu(w, rt);
    if (old < reported) return;
    let mtu = reported;
    let lock = false;
    if (mtu < IP_RT_MIN_PMTU) {
      lock = true;
      mtu = Math.min(old, IP_RT_MIN_PMTU);
    }
    if (rt.pmtu === mtu && !lock && rt.expires !== undefined && w.now < rt.expires - IP_RT_MTU_EXPIRES / 2) return;
    const res = fib_lookup(w, net, fl);
    if (res.err === 0 && res.alias) update_or_create_fnhe(res.alias, fl.daddr, mtu, w.now + IP_RT_MTU_EXPIRES);
  } finally {
    leave(w);
  }
}

/**
 * ipv4_sk_update_pmtu for a socket with no cached route (a raw socket): the
 * flow is rebuilt from the quoted header (__build_flow_key) and routed, and
 * that route learns the MTU.
 */
export function ipv4_sk_update_pmtu(
  w: World,
  net: Net,
  sk: { boundDevIfindex: number; protocol: number },
  quotedSaddr: number,
  quotedDaddr: number,
  mtu: number,
): void {
  enter(w, F_ipv4_sk_update_pmtu);
  try {
    const fl: Flowi4 = {
      oif: sk.boundDevIfindex,
      iif: 0,
      proto: sk.protocol,
      saddr: quotedSaddr,
      daddr: quotedDaddr,
      scope: RT_SCOPE_UNIVERSE,
    };
    const r = ip_route_output_key(w, net, fl);
    if ('rt' in r) __ip_rt_update_pmtu(w, net, r.rt, fl, mtu);
  } finally {
    leave(w);
  }
}

function mkroute(dev: NetDevice, type: number, flags: number, gateway: number, fibDev: NetDevice | null): Rtable {
  if (dev.flags & IFF_LOOPBACK) flags |= RTCF_LOCAL;
  return {
    dev,
    type,
    flags,
    gateway,
    isInput: false,
    input: flags & RTCF_LOCAL ? 'local' : 'none',
    output: 'output',
    fibDev,
    errorCode: 0,
    pmtu: 0,
  };
}

/**
 * __ip_dev_find: is `addr` ours? Configured addresses first, then the local
 * table, so that any address of a local subnet (127.0.0.0/8) counts.
 */
function __ip_dev_find(w: World, net: Net, addr: number): boolean {
  if (inet_lookup_ifaddr(net, addr)) return true;
  const r = fib_table_lookup(w, net, RT_TABLE_LOCAL, {
    oif: 0,
    iif: 0,
    proto: 0,
    saddr: 0,
    daddr: addr,
    scope: RT_SCOPE_UNIVERSE,
  });
  return r.err === 0 && r.alias !== null && r.alias.type === RTN_LOCAL;
}

/** ip_route_output_key_hash_rcu. `fl` is updated (saddr, oif) as the kernel does. */
export function ip_route_output_key(w: World, net: Net, fl: Flowi4): RouteResult {
  enter(w, F_ip_route_output_key_hash_rcu);
  try {
    fl.iif = 1;
    let devOut: NetDevice | undefined;
    if (fl.saddr) {
      if (isMulticast(fl.saddr) || isLbcast(fl.saddr) || isZeronet(fl.saddr)) return ret(w, { err: -EINVAL });
      if (!__ip_dev_find(w, net, fl.saddr)) return ret(w, { err: -EINVAL });
    }
    if (fl.oif) {
      devOut = devGetByIndex(net, fl.oif);
      if (!devOut) return ret(w, { err: -ENODEV });
      if (!(devOut.flags & IFF_UP)) return ret(w, { err: -ENETUNREACH });
      if (isLbcast(fl.daddr)) {
        if (!fl.saddr) fl.saddr = inet_select_addr(devOut, 0, RT_SCOPE_LINK);
        return ret(w, { rt: mkroute(devOut, RTN_BROADCAST, RTCF_BROADCAST | RTCF_LOCAL, 0, null), fl });
      }
      if (!fl.saddr && !fl.daddr) fl.saddr = inet_select_addr(devOut, 0, RT_SCOPE_HOST);
    }
    if (!fl.daddr) {
      fl.daddr = fl.saddr || 0x7f000001;
      if (!fl.saddr) fl.saddr = 0x7f000001;
      fl.oif = 1;
      return ret(w, { rt: mkroute(net.loopback, RTN_LOCAL, RTCF_LOCAL, 0, net.loopback), fl });
    }
    const res = fib_lookup(w, net, fl);
    if (res.err || !res.alias) {
      if (fl.oif && devOut && res.err === -ENETUNREACH) {
        // "Apparently, routing tables are wrong": assume the destination is on link.
        if (!fl.saddr) fl.saddr = inet_select_addr(devOut, 0, RT_SCOPE_LINK);
        return ret(w, { rt: mkroute(devOut, RTN_UNICAST, 0, 0, null), fl });
      }
      return ret(w, { err: res.err || -ENETUNREACH });
    }
    const fa = res.alias;
    // A lookup without an error found a unicast, local or broadcast route: it has a device.
    const faDev = fa.dev!;
    if (fa.type === RTN_LOCAL) {
      if (!fl.saddr) fl.saddr = fa.prefsrc || fl.daddr;
      fl.oif = net.loopback.ifindex;
      return ret(w, { rt: mkroute(net.loopback, RTN_LOCAL, RTCF_LOCAL, 0, faDev), fl });
    }
    if (fa.type === RTN_BROADCAST) {
      if (!fl.saddr) fl.saddr = fa.prefsrc || inet_select_addr(faDev, 0, RT_SCOPE_LINK);
      return ret(w, { rt: mkroute(faDev, RTN_BROADCAST, RTCF_BROADCAST | RTCF_LOCAL, 0, faDev), fl });
    }
    if (!fl.saddr) fl.saddr = fa.prefsrc || inet_select_addr(faDev, fa.gateway, fa.gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
    const rt = mkroute(faDev, RTN_UNICAST, 0, fa.gateway, faDev);
    // rt_set_nexthop: a route to a destination with an exception carries its path MTU.
    const fnhe = find_exception(w, fa, fl.daddr);
    if (fnhe) {
      rt.pmtu = fnhe.pmtu;
      rt.expires = fnhe.expires;
    }
    return ret(w, { rt, fl });
  } finally {
    leave(w);
  }
}

/** ip_route_output_flow for a socket: the lookup, then oif pinned to the result (xfrm). */
export function ip_route_output_flow(w: World, net: Net, fl: Flowi4): RouteResult {
  const r = ip_route_output_key(w, net, fl);
  if ('rt' in r && fl.proto) fl.oif = r.rt.dev.ifindex;
  return r;
}

/**
 * ip_route_connect: a connect() on a datagram socket. With no source yet, the
 * kernel routes once to pick one, then routes again with it.
 */
export function ip_route_connect(
  w: World,
  net: Net,
  daddr: number,
  saddr: number,
  oif: number,
  proto: number,
  soBroadcast: boolean,
): RouteResult {
  const fl: Flowi4 = { oif, iif: 1, proto, saddr, daddr, scope: RT_SCOPE_UNIVERSE };
  if (!daddr || !saddr) {
    const first = ip_route_output_key(w, net, fl);
    if ('err' in first) return first;
    fl.oif = oif; // flowi4_update_output
  }
  const r = ip_route_output_flow(w, net, fl);
  // ip4_datagram_connect: a broadcast route needs SO_BROADCAST.
  if ('rt' in r && r.rt.flags & RTCF_BROADCAST && !soBroadcast) return { err: -EACCES };
  return r;
}

/**
 * ip_route_input_noref: attaches an input route to skb->dst. Returns null on
 * success, else the drop reason.
 */
/** A local input route (rt_dst_alloc for RTN_LOCAL, RTN_BROADCAST, RTN_UNREACHABLE): delivered through lo, or an error. */
function localInputRoute(skb: SkBuff, dev: NetDevice, type: number, flags: number, errorCode = 0): null {
  const unreachable = type === RTN_UNREACHABLE;
  skb.dst = {
    dev: dev.net.loopback,
    type,
    flags: unreachable ? flags & ~RTCF_LOCAL : flags | RTCF_LOCAL,
    gateway: 0,
    isInput: true,
    input: unreachable ? 'error' : 'local',
    output: 'error',
    fibDev: dev,
    errorCode,
    pmtu: 0,
  };
  return null;
}

export function ip_route_input_noref(w: World, skb: SkBuff, daddr: number, saddr: number, dev: NetDevice): string | null {
  enter(w, F_ip_route_input_slow, skb, dev);
  try {
    const net = dev.net;
    const conf = dev.inDev.conf;
    const forwarding = conf.forwarding > 0;
    if (isMulticast(saddr) || isLbcast(saddr)) return ret(w, 'IP_INVALID_SOURCE');
    if (isLbcast(daddr) || (saddr === 0 && daddr === 0)) {
      if (skb.protocol !== ETH_P_IP) return ret(w, 'INVALID_PROTO');
      return ret(w, localInputRoute(skb, dev, RTN_BROADCAST, RTCF_BROADCAST));
    }
    if (isZeronet(saddr)) return ret(w, 'IP_INVALID_SOURCE');
    if (isZeronet(daddr)) return ret(w, 'IP_INADDRERRORS');
    if (isLoopbackAddr(daddr)) return ret(w, 'IP_INADDRERRORS');
    if (isLoopbackAddr(saddr)) return ret(w, 'IP_INVALID_SOURCE');
    const fl: Flowi4 = { oif: 0, iif: dev.ifindex, proto: 0, saddr, daddr, scope: RT_SCOPE_UNIVERSE };
    const res = fib_lookup(w, net, fl);
    if (res.err || !res.alias) {
      return ret(w, localInputRoute(skb, dev, RTN_UNREACHABLE, 0, forwarding ? -res.err : EHOSTUNREACH));
    }
    const fa = res.alias;
    if (fa.type === RTN_BROADCAST) {
      if (skb.protocol !== ETH_P_IP) return ret(w, 'INVALID_PROTO');
      const e = fib_validate_source(w, saddr, 0, 0, dev);
      if (e < 0) return ret(w, e === -EXDEV ? 'IP_RPFILTER' : 'IP_LOCAL_SOURCE');
      return ret(w, localInputRoute(skb, dev, RTN_BROADCAST, RTCF_BROADCAST));
    }
    if (fa.type === RTN_LOCAL) {
      const e = fib_validate_source(w, saddr, daddr, 0, dev);
      if (e < 0) return ret(w, e === -EXDEV ? 'IP_RPFILTER' : 'IP_LOCAL_SOURCE');
      return ret(w, localInputRoute(skb, dev, RTN_LOCAL, 0));
    }
    if (!forwarding) return ret(w, localInputRoute(skb, dev, RTN_UNREACHABLE, 0, EHOSTUNREACH));
    if (fa.type !== RTN_UNICAST) return ret(w, 'IP_INADDRERRORS');
    const outDev = fa.dev!; // a unicast route has a device
    // ip_mkroute_input / __mkroute_input: validate the source against the way out.
    const e = fib_validate_source(w, saddr, daddr, outDev.ifindex, dev);
    if (e < 0) return ret(w, e === -EXDEV ? 'IP_RPFILTER' : 'IP_LOCAL_SOURCE');
    if (skb.protocol !== ETH_P_IP && outDev === dev) return ret(w, 'IP_INVALID_SOURCE');
    skb.dst = {
      dev: outDev,
      type: RTN_UNICAST,
      flags: 0,
      gateway: fa.gateway,
      isInput: true,
      input: 'forward',
      output: 'output',
      fibDev: fa.dev,
      errorCode: 0,
      pmtu: 0,
    };
    return ret(w, null);
  } finally {
    leave(w);
  }
}

export function ipv4_link_failure(w: World, skb: SkBuff): void {
  enter(w, F_ipv4_link_failure, skb, skb.dev);
  try {
    __icmp_send(w, skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
  } finally {
    leave(w);
  }
}
