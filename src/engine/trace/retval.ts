// A modelled call's return value in the kernel's own terms, for its return
// step: NET_RX_SUCCESS rather than 0, -ENETUNREACH rather than -101, the
// SKB_DROP_REASON_* a route lookup gives, the skb a clone made.
import type { KernelFunction } from './functions.ts';
import type { SkBuff } from '../include/skbuff.ts';
import type { Neighbour } from '../include/neighbour.ts';
import type { Rtable } from '../include/route.ts';
import type { FibResult } from '../net/ipv4/fib_trie.ts';
import {
  EACCES,
  EADDRNOTAVAIL,
  EAGAIN,
  EBUSY,
  EEXIST,
  EHOSTUNREACH,
  EINVAL,
  ENETDOWN,
  ENETUNREACH,
  ENOBUFS,
  ENODEV,
  ENOENT,
  ENOTCONN,
  ENXIO,
  EOPNOTSUPP,
  EPERM,
  ERANGE,
  ESRCH,
} from '../include/errno.ts';
import { ipStr } from '../net/ipv4/addr.ts';

const ERRNO_NAMES: Record<number, string> = {
  [EPERM]: 'EPERM',
  [ENOENT]: 'ENOENT',
  [ESRCH]: 'ESRCH',
  [ENXIO]: 'ENXIO',
  [EAGAIN]: 'EAGAIN',
  [EACCES]: 'EACCES',
  [EBUSY]: 'EBUSY',
  [EEXIST]: 'EEXIST',
  [18]: 'EXDEV',
  [ENODEV]: 'ENODEV',
  [EINVAL]: 'EINVAL',
  [ERANGE]: 'ERANGE',
  [90]: 'EMSGSIZE',
  [EOPNOTSUPP]: 'EOPNOTSUPP',
  [EADDRNOTAVAIL]: 'EADDRNOTAVAIL',
  [ENETDOWN]: 'ENETDOWN',
  [ENETUNREACH]: 'ENETUNREACH',
  [ENOBUFS]: 'ENOBUFS',
  [ENOTCONN]: 'ENOTCONN',
  [EHOSTUNREACH]: 'EHOSTUNREACH',
  [115]: 'EINPROGRESS',
};

/** -ENETUNREACH for -101; other numbers as they are. */
export function errnoText(n: number): string {
  if (n < 0 && ERRNO_NAMES[-n]) return `-${ERRNO_NAMES[-n]}`;
  return String(n);
}

const RTN_NAMES = [
  'RTN_UNSPEC',
  'RTN_UNICAST',
  'RTN_LOCAL',
  'RTN_BROADCAST',
  'RTN_ANYCAST',
  'RTN_MULTICAST',
  'RTN_BLACKHOLE',
  'RTN_UNREACHABLE',
  'RTN_PROHIBIT',
  'RTN_THROW',
  'RTN_NAT',
  'RTN_XRESOLVE',
];

const NUD_NAMES: [number, string][] = [
  [0x01, 'NUD_INCOMPLETE'],
  [0x02, 'NUD_REACHABLE'],
  [0x04, 'NUD_STALE'],
  [0x08, 'NUD_DELAY'],
  [0x10, 'NUD_PROBE'],
  [0x20, 'NUD_FAILED'],
  [0x40, 'NUD_NOARP'],
  [0x80, 'NUD_PERMANENT'],
];

function nud(state: number): string {
  return NUD_NAMES.find(([bit]) => state & bit)?.[1] ?? 'NUD_NONE';
}

function num(v: unknown): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' ? v : NaN;
}

/**
 * The text of `value`, returned by `fn`, as a kernel reader would write it;
 * null when the function returns nothing (or the value is not known).
 */
export function formatReturn(fn: KernelFunction, value: unknown): string | null {
  if (fn.returns === 'void' || value === undefined) return null;
  switch (fn.returns) {
    case 'int':
      return String(num(value));
    case 'errno':
      return errnoText(num(value));
    case 'net_rx': {
      const n = num(value);
      return n === 0 ? 'NET_RX_SUCCESS' : n === 1 ? 'NET_RX_DROP' : errnoText(n);
    }
    case 'net_xmit': {
      const n = num(value);
      return n === 0 ? 'NET_XMIT_SUCCESS' : n === 1 ? 'NET_XMIT_DROP' : n === 2 ? 'NET_XMIT_CN' : errnoText(n);
    }
    case 'netdev_tx': {
      const n = num(value);
      return n === 0 ? 'NETDEV_TX_OK' : n === 0x10 ? 'NETDEV_TX_BUSY' : n === 1 ? 'NET_XMIT_DROP' : errnoText(n);
    }
    case 'drop_reason':
      return value === null ? 'SKB_NOT_DROPPED_YET' : `SKB_DROP_REASON_${String(value)}`;
    case 'skb':
      return value === null ? 'NULL' : `skb #${(value as SkBuff).id}`;
    case 'neighbour': {
      const n = value as Neighbour;
      return `neighbour ${ipStr(n.key)} on ${n.dev.name} (${nud(n.nudState)})`;
    }
    case 'route': {
      const r = value as { rt: Rtable } | { err: number };
      if ('err' in r) return `ERR_PTR(${errnoText(r.err)})`;
      return `rtable: ${RTN_NAMES[r.rt.type] ?? r.rt.type} via ${r.rt.gateway ? ipStr(r.rt.gateway) : 'on-link'} dev ${r.rt.dev.name}`;
    }
    case 'fib': {
      const r = value as FibResult;
      if (r.err || !r.alias) return errnoText(r.err || -EAGAIN);
      const a = r.alias;
      return `0 (res: ${RTN_NAMES[a.type] ?? a.type} ${a.dstLen === 0 ? 'default' : `${ipStr(a.dst)}/${a.dstLen}`}${a.dev ? ` dev ${a.dev.name}` : ''})`;
    }
    case 'rtn_type':
      return RTN_NAMES[num(value)] ?? String(value);
    case 'be16_proto': {
      const n = num(value);
      return n === 0x0800 ? 'htons(ETH_P_IP)' : n === 0x0806 ? 'htons(ETH_P_ARP)' : `htons(0x${n.toString(16).padStart(4, '0')})`;
    }
    case 'rx_handler':
      // __netif_receive_skb_core returns NET_RX_SUCCESS and hands the protocol's
      // packet_type back to its caller (*ppt_prev), or drops the packet.
      if (value && typeof value === 'object' && 'name' in value) {
        const pt = value as { name: string; funcName: string };
        return `NET_RX_SUCCESS, *ppt_prev = ${pt.name} (${pt.funcName})`;
      }
      return 'NET_RX_DROP';
    case 'defrag':
      // ip_defrag: 0 once the datagram is whole, -EINPROGRESS while fragments are missing.
      return value === null ? '-EINPROGRESS' : `0 (reassembled as skb #${(value as SkBuff).id})`;
  }
}
