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
  RTCF_DOREDIRECT,
  RTCF_LOCAL,
  RTCF_MULTICAST,
  RTCF_REDIRECTED,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_UNIVERSE,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_UNICAST,
  RTN_UNREACHABLE,
} from '../../include/route.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { ETH_P_IP } from '../../include/skbuff.ts';
import { EACCES, EINVAL, ENETUNREACH, ENODEV, EHOSTUNREACH } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { ctlDir, type CtlDir, type CtlFile } from '../../kernel/sysctl.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { fib_lookup, fib_table_dump, fib_table_lookup, type Flowi4 } from './fib_trie.ts';
import { fib_validate_source, EXDEV, inet_addr_type_dev_table } from './fib_frontend.ts';
import {
  in_dev_rx_redirects,
  in_dev_sec_redirects,
  in_dev_shared_media,
  in_dev_tx_redirects,
  inet_addr_onlink,
  inet_lookup_ifaddr,
  inet_select_addr,
} from './devinet.ts';
import { isLbcast, isLoopbackAddr, isMulticast, isZeronet } from './addr.ts';
import { devGetByIndex } from '../core/register.ts';
import { alloc_skb, consume_skb, get32 } from '../core/skbuff.ts';
import { __icmp_send, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, ICMP_REDIR_HOST, ICMP_REDIRECT } from './icmp.ts';
import { NUD_VALID } from '../../include/neighbour.ts';
import { __ipv4_neigh_lookup_noref, __neigh_create, neigh_event_send } from '../core/neighbour.ts';
import { inet_getpeer_v4 } from './inetpeer.ts';
import { HZ, jiffiesAt } from '../../kernel/timer.ts';

/** RTM_F_CLONED: the answer is a resolved route (a cache entry), not a FIB entry. */
export const RTM_F_CLONED = 0x200;
/** IPSKB_DOREDIRECT: a forwarded packet leaves by the device it came in on, to an on-link sender. */
export const IPSKB_DOREDIRECT = 0x20;

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
  if (e.expires && w.now >= e.expires) {
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

/** The IPv4 and TCP headers an MSS leaves out. */
const TCP_IP_HEADERS = 20 + 20;
/** IPV4_MAX_PMTU: the largest datagram IPv4 can carry; an MSS beyond it could not be sent. */
const IPV4_MAX_PMTU = 65535;
/** net.ipv4.route.min_adv_mss (ip_rt_min_advmss): the smallest MSS a route advertises. */
const IP_RT_MIN_ADVMSS = 256;

/**
 * dst_metric_advmss (ipv4_default_advmss, https://elixir.bootlin.com/linux/v6.18/source/net/ipv4/route.c):
 * the MSS TCP advertises on a route, its MTU less the headers, at least
 * min_adv_mss, and at most what fits in an IPv4 datagram: 65495 on lo, whose
 * 65536-byte MTU would allow 65496.
 */
export function dst_metric_advmss(w: World, rt: Rtable): number {
  const advmss = Math.max(dst_mtu(w, rt) - TCP_IP_HEADERS, IP_RT_MIN_ADVMSS);
  return Math.min(advmss, IPV4_MAX_PMTU - TCP_IP_HEADERS);
}

/**
 * update_or_create_fnhe: records what was learned about `daddr` behind a next
 * hop, a redirect's gateway or a path MTU (0: leave as it is), valid until
 * `expires`. Returns true when it made a new exception: the next hop's cached
 * routes are then stale (DST_OBSOLETE_KILL), and whoever keeps one must look
 * the route up again to see the exception.
 */
function update_or_create_fnhe(net: Net, fa: FibAlias, daddr: number, gw: number, pmtu: number, expires: number): boolean {
  const list = (fa.exceptions ??= []);
  const e = list.find((x) => x.daddr === daddr);
  if (e) {
    // A stale exception is current again (what it held before the flush is kept unless replaced).
    e.genid = net.ipv4.fnheGenid;
    if (gw) e.gw = gw;
    if (pmtu) e.pmtu = pmtu;
    e.expires = expires;
    return false;
  }
  // A new exception goes first in its hash chain.
  list.unshift({ daddr, gw, pmtu, expires, genid: net.ipv4.fnheGenid });
  return true;
}

/**
 * fill_route_from_fnhe, as rt_set_nexthop binds a route to an exception
 * (rt_bind_exception): the route carries its path MTU and expiry, and a
 * redirect's gateway replaces the FIB's (RTCF_REDIRECTED).
 */
function rt_bind_exception(net: Net, rt: Rtable, fnhe: FibNhException): void {
  if (fnhe.genid !== net.ipv4.fnheGenid) {
    // Stale since net.ipv4.route.flush: it is emptied, and the routes it held let go.
    fnhe.genid = net.ipv4.fnheGenid;
    fnhe.gw = 0;
    fnhe.pmtu = 0;
    fnhe.expires = 0;
    fnhe.rthInput = false;
    fnhe.rthOutput = false;
  }
  rt.pmtu = fnhe.pmtu;
  rt.expires = fnhe.expires;
  if (fnhe.gw) {
    rt.flags |= RTCF_REDIRECTED;
    rt.gateway = fnhe.gw;
  }
  // The route is cached in the exception (do_cache: a FIB route without a realm).
  if (rt.isInput) fnhe.rthInput = true;
  else fnhe.rthOutput = true;
}

/** __ip_rt_update_pmtu. Returns true when `rt` went stale (a new exception was made for its next hop). */
export function __ip_rt_update_pmtu(w: World, net: Net, rt: Rtable, fl: Flowi4, reported: number): boolean {
  enter(w, F___ip_rt_update_pmtu);
  try {
    const old = dst_mtu(w, rt);
    if (old < reported) return false;
    let mtu = reported;
    let lock = false;
    if (mtu < IP_RT_MIN_PMTU) {
      lock = true;
      mtu = Math.min(old, IP_RT_MIN_PMTU);
    }
    if (rt.pmtu === mtu && !lock && rt.expires !== undefined && w.now < rt.expires - IP_RT_MTU_EXPIRES / 2) return false;
    const res = fib_lookup(w, net, fl);
    return res.err === 0 && !!res.alias && update_or_create_fnhe(net, res.alias, fl.daddr, 0, mtu, w.now + IP_RT_MTU_EXPIRES);
  } finally {
    leave(w);
  }
}

/** What ipv4_sk_update_pmtu reads of a socket: its bound device and protocol, and a connected one's route and addresses. */
export interface PmtuSock {
  boundDevIfindex: number;
  protocol: number;
  dst?: Rtable | null;
  saddr?: number;
  daddr?: number;
}

/**
 * ipv4_sk_update_pmtu. A socket with no cached route (a raw socket): the flow
 * is rebuilt from the quoted header (__build_flow_key) and routed, and that
 * route learns the MTU. A connected socket's own route learns it, for the
 * socket's flow (build_sk_flow_key); if that made a new exception the route is
 * stale (dst_check fails), so the flow is routed again and the socket keeps
 * the new route, which carries the path MTU. Returns that new route, for the
 * caller to keep (sk_dst_set), or null.
 */
export function ipv4_sk_update_pmtu(
  w: World,
  net: Net,
  sk: PmtuSock,
  quotedSaddr: number,
  quotedDaddr: number,
  mtu: number,
): Rtable | null {
  enter(w, F_ipv4_sk_update_pmtu);
  try {
    if (!sk.dst) {
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
      return null;
    }
    const fl: Flowi4 = {
      oif: sk.boundDevIfindex,
      iif: 1,
      proto: sk.protocol,
      saddr: sk.saddr ?? 0,
      daddr: sk.daddr ?? 0,
      scope: RT_SCOPE_UNIVERSE,
    };
    if (!__ip_rt_update_pmtu(w, net, sk.dst, fl, mtu)) return null;
    const r = ip_route_output_key(w, net, { ...fl });
    return 'rt' in r ? r.rt : null;
  } finally {
    leave(w);
  }
}

/** ip_rt_redirect_number: after this many redirects unheeded, a router stops sending them. */
const IP_RT_REDIRECT_NUMBER = 9;
/** ip_rt_redirect_load (jiffies): the first gap between redirects, doubled after each one. */
const IP_RT_REDIRECT_LOAD = HZ / 50;
/** ip_rt_redirect_silence (jiffies, 20.48 s): without a packet to redirect for that long, the count starts over. */
const IP_RT_REDIRECT_SILENCE = IP_RT_REDIRECT_LOAD << (9 + 1);
/** ip_rt_gc_timeout (RT_GC_TIMEOUT): a redirect's exception lasts five minutes. */
export const IP_RT_GC_TIMEOUT = 300e9;

/** time_after: jiffies `a` is later than `b`. */
function time_after(a: number, b: number): boolean {
  return b - a < 0;
}

const F_ip_rt_send_redirect = kfn(
  'ip_rt_send_redirect',
  'net/ipv4/route.c',
  'A forwarded packet leaves by the link it came in on: its sender is told, by an ICMP redirect (host), to send such packets to the next hop itself. Per sender (inet_peer) the redirects back off exponentially from 20 ms, stop after 9, and start again after 20 s without packets to redirect.',
);
const F___ip_do_redirect = kfn(
  '__ip_do_redirect',
  'net/ipv4/route.c',
  "An ICMP redirect from the gateway in use: if redirects are accepted (accept_redirects) and the new gateway is a unicast host on the link, the destination gets a next-hop exception (fib_nh_exception) naming the new gateway for five minutes, once the gateway's neighbour entry is valid; until then, it is resolved.",
);
const F_ipv4_sk_redirect = kfn(
  'ipv4_sk_redirect',
  'net/ipv4/route.c',
  "A socket's packet was redirected: the route its flow takes (rebuilt from the quoted header and the socket) is looked up, and the redirect applied to it (__ip_do_redirect).",
);

/**
 * ip_rt_send_redirect: called by ip_forward for a packet its input route
 * marked IPSKB_DOREDIRECT. The redirect names the route's next hop (its
 * gateway, else the destination itself).
 */
export function ip_rt_send_redirect(w: World, skb: SkBuff): void {
  const rt = skb.dst!;
  enter(w, F_ip_rt_send_redirect, skb, rt.dev);
  try {
    if (!in_dev_tx_redirects(rt.dev)) return;
    const ih = skb.networkHeader;
    const peer = inet_getpeer_v4(w, rt.dev.net, get32(skb.head, ih + 12));
    const now = jiffiesAt(w.now);
    if (time_after(now, peer.rateLast + IP_RT_REDIRECT_SILENCE)) {
      peer.rateTokens = 0;
      peer.nRedirects = 0;
    }
    if (peer.nRedirects >= IP_RT_REDIRECT_NUMBER) {
      // The host ignores them: stay silent, and count this packet as seen.
      peer.rateLast = now;
      return;
    }
    if (peer.nRedirects === 0 || time_after(now, peer.rateLast + (IP_RT_REDIRECT_LOAD << peer.nRedirects))) {
      const gw = rt.gateway || get32(skb.head, ih + 16);
      __icmp_send(w, skb, ICMP_REDIRECT, ICMP_REDIR_HOST, gw);
      peer.rateLast = now;
      peer.nRedirects++;
    }
  } finally {
    leave(w);
  }
}

/** ip_fib_check_default: does some route use `gw` as its gateway through `dev`? */
function ip_fib_check_default(net: Net, gw: number, dev: NetDevice): boolean {
  return net.ipv4.fib.some((fa) => fa.dev === dev && fa.gateway === gw && !fa.dead);
}

/**
 * __ip_do_redirect: `skb` is the ICMP redirect (its IP header, the ICMP
 * header at skb.data), `rt` the route `fl` (the redirected flow) takes.
 * Returns true when a neighbour entry for the new gateway was valid and the
 * exception was made or refreshed.
 */
function __ip_do_redirect(w: World, rt: Rtable, skb: SkBuff, fl: Flowi4): boolean {
  enter(w, F___ip_do_redirect, skb, skb.dev);
  try {
    const h = skb.head;
    const newGw = get32(h, skb.transportHeader + 4);
    const oldGw = get32(h, skb.networkHeader + 12);
    const dev = skb.dev!;
    const net = dev.net;
    // ICMP_REDIR_NET, _HOST, _NETTOS and _HOSTTOS all redirect one host.
    if ((h[skb.transportHeader + 1] & 7) > 3) return false;
    // Only the gateway the route uses may redirect it.
    if (!rt.gateway || rt.gateway !== oldGw) return false;
    if (newGw === oldGw || !in_dev_rx_redirects(dev) || isMulticast(newGw) || isLbcast(newGw) || isZeronet(newGw)) return false;
    if (!in_dev_shared_media(dev)) {
      if (!inet_addr_onlink(dev, newGw, oldGw)) return false;
      if (in_dev_sec_redirects(dev) && !ip_fib_check_default(net, newGw, dev)) return false;
    } else if (inet_addr_type_dev_table(w, net, null, newGw) !== RTN_UNICAST) return false;
    const n = __ipv4_neigh_lookup_noref(rt.dev, newGw) ?? __neigh_create(w, rt.dev, newGw);
    if (!(n.nudState & NUD_VALID)) {
      // The new gateway must answer first: resolve it; a later redirect makes the exception.
      neigh_event_send(w, n, null);
      return false;
    }
    const res = fib_lookup(w, net, fl);
    if (res.err === 0 && res.alias) update_or_create_fnhe(net, res.alias, fl.daddr, newGw, 0, w.now + IP_RT_GC_TIMEOUT);
    return true;
  } finally {
    leave(w);
  }
}

/**
 * ipv4_sk_redirect: the ICMP redirect `skb` quotes at `inner` a packet the
 * socket sent. Its flow is rebuilt from the quoted addresses and the socket
 * (bound device, protocol) and routed; the redirect applies to that route.
 */
export function ipv4_sk_redirect(w: World, net: Net, sk: PmtuSock, skb: SkBuff, inner: number): void {
  enter(w, F_ipv4_sk_redirect, skb, skb.dev);
  try {
    const fl: Flowi4 = {
      oif: sk.boundDevIfindex,
      iif: 0,
      proto: sk.protocol,
      saddr: get32(skb.head, inner + 12),
      daddr: get32(skb.head, inner + 16),
      scope: RT_SCOPE_UNIVERSE,
    };
    const r = ip_route_output_key(w, net, fl);
    if ('rt' in r) __ip_do_redirect(w, r.rt, skb, fl);
  } finally {
    leave(w);
  }
}

/**
 * __mkroute_output: the route a flow leaves by. The destination's class
 * overrides the FIB's type (a limited broadcast, a multicast group); an
 * on-link multicast route is local when the host is in the group (every host
 * is in 224.0.0.1, ALL-HOSTS).
 */
function __mkroute_output(
  fl: Flowi4,
  type: number,
  dev: NetDevice,
  flags: number,
  gateway: number,
  fibDev: NetDevice | null,
): Rtable | number {
  if (isLoopbackAddr(fl.saddr) && !(dev.flags & IFF_LOOPBACK)) return -EINVAL;
  if (isLbcast(fl.daddr)) type = RTN_BROADCAST;
  else if (isMulticast(fl.daddr)) type = RTN_MULTICAST;
  else if (isZeronet(fl.daddr)) return -EINVAL;
  if (dev.flags & IFF_LOOPBACK) flags |= RTCF_LOCAL;
  if (type === RTN_BROADCAST) flags |= RTCF_BROADCAST | RTCF_LOCAL;
  else if (type === RTN_MULTICAST) {
    flags |= RTCF_MULTICAST;
    if (fl.daddr === INADDR_ALLHOSTS_GROUP) flags |= RTCF_LOCAL;
    else flags &= ~RTCF_LOCAL;
  }
  return {
    dev,
    type,
    flags,
    gateway: type === RTN_UNICAST ? gateway : 0,
    isInput: false,
    input: flags & RTCF_LOCAL ? 'local' : 'none',
    output: 'output',
    fibDev,
    errorCode: 0,
    pmtu: 0,
  };
}

/** 224.0.0.1: the group every multicast-capable host is in. */
const INADDR_ALLHOSTS_GROUP = 0xe0000001;

/** ipv4_is_local_multicast: 224.0.0.0/24, never forwarded. */
function isLocalMulticast(a: number): boolean {
  return (a & 0xffffff00) >>> 0 === 0xe0000000;
}

/**
 * __ip_dev_find: the device `addr` is configured on. Configured addresses
 * first, then the local table, so that any address of a local subnet
 * (127.0.0.0/8) counts (as the loopback device's).
 */
function __ip_dev_find(w: World, net: Net, addr: number): NetDevice | null {
  const dev = inet_lookup_ifaddr(net, addr);
  if (dev) return dev;
  const r = fib_table_lookup(w, net, RT_TABLE_LOCAL, {
    oif: 0,
    iif: 0,
    proto: 0,
    saddr: 0,
    daddr: addr,
    scope: RT_SCOPE_UNIVERSE,
  });
  return r.err === 0 && r.alias !== null && r.alias.type === RTN_LOCAL ? r.alias.dev : null;
}

/** ip_route_output_key_hash_rcu. `fl` is updated (saddr, daddr, oif) as the kernel does. */
export function ip_route_output_key(w: World, net: Net, fl: Flowi4): RouteResult {
  enter(w, F_ip_route_output_key_hash_rcu);
  try {
    const made = (r: Rtable | number): RouteResult => (typeof r === 'number' ? { err: r } : { rt: r, fl });
    fl.iif = 1;
    let devOut: NetDevice | null = null;
    if (fl.saddr) {
      if (isMulticast(fl.saddr) || isLbcast(fl.saddr) || isZeronet(fl.saddr)) return ret(w, { err: -EINVAL });
      const sdev = __ip_dev_find(w, net, fl.saddr);
      if (!sdev) return ret(w, { err: -ENETUNREACH });
      if (!fl.oif && (isMulticast(fl.daddr) || isLbcast(fl.daddr))) {
        // A multicast or broadcast from a given source leaves by the source's device.
        fl.oif = sdev.ifindex;
        return ret(w, made(__mkroute_output(fl, RTN_UNICAST, sdev, 0, 0, null)));
      }
    }
    if (fl.oif) {
      devOut = devGetByIndex(net, fl.oif) ?? null;
      if (!devOut) return ret(w, { err: -ENODEV });
      if (!(devOut.flags & IFF_UP)) return ret(w, { err: -ENETUNREACH });
      if (isLocalMulticast(fl.daddr) || isLbcast(fl.daddr)) {
        if (!fl.saddr) fl.saddr = inet_select_addr(devOut, 0, RT_SCOPE_LINK);
        return ret(w, made(__mkroute_output(fl, RTN_UNICAST, devOut, 0, 0, null)));
      }
      if (!fl.saddr) {
        if (isMulticast(fl.daddr)) fl.saddr = inet_select_addr(devOut, 0, fl.scope);
        else if (!fl.daddr) fl.saddr = inet_select_addr(devOut, 0, RT_SCOPE_HOST);
      }
    }
    if (!fl.daddr) {
      // No destination: ourselves, over lo (127.0.0.1 when there is no source either).
      fl.daddr = fl.saddr || INADDR_LOOPBACK;
      if (!fl.saddr) fl.saddr = INADDR_LOOPBACK;
      fl.oif = net.loopback.ifindex;
      return ret(w, made(__mkroute_output(fl, RTN_LOCAL, net.loopback, RTCF_LOCAL, 0, net.loopback)));
    }
    const res = fib_lookup(w, net, fl);
    if (res.err || !res.alias) {
      if (fl.oif && devOut) {
        // "Apparently, routing tables are wrong. Assume that the destination is on link."
        if (!fl.saddr) fl.saddr = inet_select_addr(devOut, 0, RT_SCOPE_LINK);
        return ret(w, made(__mkroute_output(fl, RTN_UNICAST, devOut, 0, 0, null)));
      }
      return ret(w, { err: res.err || -ENETUNREACH });
    }
    const fa = res.alias;
    // A lookup without an error found a unicast, local or broadcast route: it has a device.
    const faDev = fa.dev!;
    if (fa.type === RTN_LOCAL) {
      if (!fl.saddr) fl.saddr = fa.prefsrc || fl.daddr;
      fl.oif = net.loopback.ifindex;
      return ret(w, made(__mkroute_output(fl, RTN_LOCAL, net.loopback, RTCF_LOCAL, 0, faDev)));
    }
    // fib_select_path: the route's preferred source, else one chosen for its next hop's scope.
    if (!fl.saddr) fl.saddr = fa.prefsrc || inet_select_addr(faDev, fa.gateway, fa.scope);
    const rt = __mkroute_output(fl, fa.type, faDev, 0, fa.gateway, faDev);
    if (typeof rt !== 'number' && rt.type === RTN_UNICAST) {
      // rt_set_nexthop: a route to a destination with an exception takes what it learned.
      const fnhe = find_exception(w, fa, fl.daddr);
      if (fnhe) rt_bind_exception(net, rt, fnhe);
    }
    return ret(w, made(rt));
  } finally {
    leave(w);
  }
}

/** INADDR_LOOPBACK, 127.0.0.1. */
const INADDR_LOOPBACK = 0x7f000001;

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
    // Out by the device it came in on, from a sender on that link (the way
    // back to it is direct): the sender should be told of the better next hop,
    // if the medium is shared or the sender and the gateway share a subnet.
    if (outDev === dev && e > 0 && in_dev_tx_redirects(outDev) && skb.protocol === ETH_P_IP) {
      if (in_dev_shared_media(outDev) || inet_addr_onlink(outDev, saddr, fa.gateway)) skb.ipcbFlags |= IPSKB_DOREDIRECT;
    }
    if (skb.protocol !== ETH_P_IP && outDev === dev) return ret(w, 'IP_INVALID_SOURCE');
    const rt: Rtable = {
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
    const fnhe = find_exception(w, fa, daddr);
    if (fnhe) rt_bind_exception(net, rt, fnhe);
    skb.dst = rt;
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

const F_inet_rtm_getroute = kfn(
  'inet_rtm_getroute',
  'net/ipv4/route.c',
  'RTM_GETROUTE (`ip route get`): the route the kernel would use, asked of the routing code itself: an output route for a flow from this host, or, with an input device, the input route for a packet arriving there, answered as an RTM_NEWROUTE message.',
  'errno',
);

/** The attributes of an RTM_GETROUTE request (0: not given). */
export interface RtmGetRoute {
  dst: number;
  src: number;
  /** RTA_IIF: ask for the input route of a packet arriving on this device. */
  iif: number;
  oif: number;
  mark: number;
  /** RTA_UID; null: the asking process's (root's, 0). */
  uid: number | null;
}

/** rt_fill_info's RTM_NEWROUTE answer, attribute by attribute. */
export interface RtmRouteReply {
  type: number;
  /** rtm_flags: the route's RTCF_* (top bits) and RTM_F_CLONED. */
  flags: number;
  dst: number;
  /** RTA_SRC, the source asked for (0: none asked for). */
  src: number;
  oif: NetDevice;
  /** RTA_PREFSRC: the source the kernel chose (0: not sent). */
  prefsrc: number;
  /** RTA_GATEWAY (0: not sent). */
  gateway: number;
  mark: number;
  /** RTA_UID, sent for output routes. */
  uid: number | null;
  /** RTA_IIF, sent for input routes. */
  iif: NetDevice | null;
  /** RTAX_MTU and the cache entry's expiry (ns left), when a learned path MTU applies. */
  mtu: number;
  expires: number;
}

/** The errno an input route's drop reason stands for in inet_rtm_getroute's answer: every refusal is -EINVAL. */
function inputRouteErrno(reason: string | null): number {
  return reason === null ? 0 : -EINVAL;
}

/** inet_rtm_getroute: the route for `req`, or -errno. */
export function inet_rtm_getroute(w: World, net: Net, req: RtmGetRoute): RtmRouteReply | number {
  enter(w, F_inet_rtm_getroute);
  try {
    if (req.iif) {
      const dev = devGetByIndex(net, req.iif);
      if (!dev) return ret(w, -ENODEV);
      // A dummy packet, as if it had arrived on the device, routed as ip_rcv would.
      const skb = alloc_skb(w, 0, 0);
      skb.protocol = ETH_P_IP;
      skb.dev = dev;
      let err = inputRouteErrno(ip_route_input_noref(w, skb, req.dst, req.src, dev));
      const rt = skb.dst;
      if (!err && rt && rt.errorCode) err = -rt.errorCode;
      const doRedirect = (skb.ipcbFlags & IPSKB_DOREDIRECT) !== 0;
      consume_skb(w, skb, 'inet_rtm_getroute');
      if (err || !rt) return ret(w, err || -EINVAL);
      ret(w, 0);
      return {
        type: rt.type,
        flags: (rt.flags & ~0xffff) | RTM_F_CLONED | (doRedirect ? RTCF_DOREDIRECT : 0),
        dst: req.dst,
        src: req.src,
        oif: rt.dev,
        prefsrc: 0,
        gateway: rt.gateway,
        mark: req.mark,
        uid: null,
        iif: dev,
        ...rtCacheInfo(w, rt.pmtu, rt.expires),
      };
    }
    const fl: Flowi4 = { oif: req.oif, iif: 0, proto: 0, saddr: req.src, daddr: req.dst, scope: RT_SCOPE_UNIVERSE };
    const r = ip_route_output_key(w, net, fl);
    if ('err' in r) return ret(w, r.err);
    const rt = r.rt;
    ret(w, 0);
    return {
      type: rt.type,
      flags: (rt.flags & ~0xffff) | RTM_F_CLONED,
      dst: req.dst,
      src: req.src,
      oif: rt.dev,
      prefsrc: fl.saddr !== req.src ? fl.saddr : 0,
      gateway: rt.gateway,
      mark: req.mark,
      uid: req.uid ?? 0,
      iif: null,
      ...rtCacheInfo(w, rt.pmtu, rt.expires),
    };
  } finally {
    leave(w);
  }
}

/**
 * What rt_fill_info reports of a route's expiry: the time left (RTA_CACHEINFO's
 * rta_expires; 0 when none or past) and, while it lasts, the learned path MTU
 * as the mtu metric.
 */
function rtCacheInfo(w: World, pmtu: number, expires: number | undefined): { mtu: number; expires: number } {
  const left = expires !== undefined && w.now < expires ? expires - w.now : 0;
  return { mtu: pmtu && left ? pmtu : 0, expires: left };
}

/**
 * fib_dump_info_fnhe (https://elixir.bootlin.com/linux/v6.18/source/net/ipv4/route.c):
 * what a route dump asking for cloned routes (`ip route show cache`) gets:
 * for each route of `table`, the exceptions of its next hop that are current
 * (not stale since net.ipv4.route.flush), have not lapsed, and to which a cached route is bound (one made by a lookup since
 * the exception was learned), as rt_fill_info describes that route, with no
 * flow (no source, uid or input device).
 */
export function fib_dump_info_fnhe(w: World, net: Net, table: number): RtmRouteReply[] {
  const out: RtmRouteReply[] = [];
  for (const fa of fib_table_dump(net, table)) {
    if (fa.dead || !fa.dev || !fa.exceptions) continue;
    for (const e of fa.exceptions) {
      if (e.genid !== net.ipv4.fnheGenid || (e.expires && w.now >= e.expires)) continue;
      if (!(e.rthInput || e.rthOutput)) continue;
      out.push({
        type: RTN_UNICAST,
        flags: (e.gw ? RTCF_REDIRECTED : 0) | RTM_F_CLONED,
        dst: e.daddr,
        src: 0,
        oif: fa.dev,
        prefsrc: 0,
        gateway: e.gw || fa.gateway,
        mark: 0,
        uid: null,
        iif: null,
        ...rtCacheInfo(w, e.pmtu, e.expires),
      });
    }
  }
  return out;
}

/**
 * net.ipv4.route in a namespace other than the first (ipv4_route_netns_table):
 * of it skbwalk has `flush`, which only takes writes. Any write
 * (ipv4_sysctl_rtcache_flush) flushes the route cache and bumps fnhe_genid:
 * every next-hop exception is stale, out of the route dump, and emptied when
 * a route is next bound to it. (Routes sockets keep are not made stale: the
 * rt_genid half of the flush is not modelled.)
 */
export function ipv4_route_sysctl_dir(net: Net): CtlDir {
  const flush: CtlFile = {
    kind: 'file',
    read: () => '',
    write: () => {
      net.ipv4.fnheGenid++;
      return 0;
    },
    writeOnly: true,
  };
  return ctlDir(() => [['flush', () => flush]]);
}
