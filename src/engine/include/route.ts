// FIB entries (`struct fib_alias` + `struct fib_info`) and routes (`struct rtable`).
import type { NetDevice } from './netdevice.ts';

export const RTN_UNSPEC = 0;
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_ANYCAST = 4;
export const RTN_MULTICAST = 5;
export const RTN_BLACKHOLE = 6;
export const RTN_UNREACHABLE = 7;
export const RTN_PROHIBIT = 8;
export const RTN_THROW = 9;

export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

export type RouteProto = 'kernel' | 'boot' | 'static';

export interface FibAlias {
  table: number; // 254 main, 255 local
  dst: number;
  dstLen: number;
  type: number; // RTN_*
  scope: number; // RT_SCOPE_*
  protocol: RouteProto;
  prefsrc: number; // 0 when none
  gateway: number; // 0 when none
  /** null for routes without a device (blackhole, unreachable, prohibit). */
  dev: NetDevice | null;
  metric: number;
  /** Kernel-made routes die with their address; RTNH_F_LINKDOWN follows carrier. */
  dead: boolean;
  /** RTNH_F_ONLINK: the gateway was taken as on the device's link, whatever its subnets. */
  onlink?: boolean;
  /** The next hop's exceptions (fib_nh_common.nhc_exceptions): learned path MTUs. */
  exceptions?: FibNhException[];
}

/** struct fib_nh_exception: what the host learned about one destination behind a next hop. */
export interface FibNhException {
  daddr: number;
  /** fnhe_gw: the gateway an ICMP redirect named (0: none). */
  gw: number;
  /** fnhe_pmtu: a learned path MTU (0: none). */
  pmtu: number;
  /** Virtual ns when the exception lapses (0: never). */
  expires: number;
  /** fnhe_genid: the namespace's fnheGenid when it was last made or bound; an older one is stale. */
  genid: number;
  /** fnhe_rth_input / fnhe_rth_output: a forwarding or an output route bound to it is cached (the route dump shows only those). */
  rthInput?: boolean;
  rthOutput?: boolean;
}

// The route cache flags (rt_flags, include/uapi/linux/in_route.h), with the
// kernel's values. They live in the top bits of a u32; JavaScript's bitwise
// operators work on signed 32-bit numbers, so RTCF_LOCAL is written as the
// signed value its bit has (`flags & RTCF_LOCAL` and comparisons of masked
// flags then work as in C).
export const RTCF_NOTIFY = 0x00010000;
export const RTCF_REDIRECTED = 0x00040000;
export const RTCF_DOREDIRECT = 0x01000000;
export const RTCF_BROADCAST = 0x10000000;
export const RTCF_MULTICAST = 0x20000000;
export const RTCF_LOCAL = 0x80000000 | 0;

/** A resolved route (`struct rtable`), attached to skbs as skb->dst. */
export interface Rtable {
  dev: NetDevice; // dst.dev: for local routes, the loopback device
  type: number; // rt_type
  flags: number; // RTCF_*
  gateway: number; // 0: on-link (the neighbour is the destination)
  isInput: boolean;
  /** Output side of an input route: deliver locally, forward, or error. */
  input: 'local' | 'forward' | 'error' | 'none';
  output: 'output' | 'error';
  /** The FIB result's device (orig_oif) for local routes. */
  fibDev: NetDevice | null;
  errorCode: number;
  /** rt_pmtu, from a next-hop exception; 0 when none. */
  pmtu: number;
  /** dst.expires for rt_pmtu (virtual ns). */
  expires?: number;
}
