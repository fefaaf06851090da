// `ip route`: listing the FIB, adding/deleting routes, and `ip route get`
// (the output-route resolution of ip_route_output_key, without side effects).
import type { NetDevice } from '../../include/netdevice.ts';
import type { FibAlias, RouteProto } from '../../include/route.ts';
import {
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTCF_BROADCAST,
  RTCF_DOREDIRECT,
  RTCF_REDIRECTED,
  RTCF_LOCAL,
  RTCF_MULTICAST,
  RTCF_NOTIFY,
  RTN_ANYCAST,
  RTN_BLACKHOLE,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_PROHIBIT,
  RTN_THROW,
  RTN_UNICAST,
  RTN_UNREACHABLE,
} from '../../include/route.ts';
import { EACCES, ENOENT, ESRCH, strerror } from '../../include/errno.ts';
import { proc_sys_write } from '../../fs/proc/proc_sysctl.ts';
import { fib_table_dump } from '../../net/ipv4/fib_trie.ts';
import { fib_dump_info_fnhe, inet_rtm_getroute, type RtmRouteReply } from '../../net/ipv4/route.ts';
import { inet_rtm_delroute, inet_rtm_newroute } from '../../net/ipv4/fib_frontend.ts';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../include/netlink.ts';
import { inPrefix, ipStr, prefixMask } from '../../net/ipv4/addr.ts';
import { devGetByName } from '../../net/core/register.ts';
import type { IpCtx } from './utils.ts';
import {
  cannotFindDevice,
  duparg,
  duparg2,
  exit,
  EXIT_MINUS_1,
  extackError,
  invarg,
  matches,
  nextArg,
  parseInetAddr,
  parsePrefix,
  parseUnsigned,
  requireDev,
  rtnlError,
} from './utils.ts';
import { usageNotModelled } from './link.ts';

const TYPE_NAMES: Record<number, string> = {
  [RTN_UNICAST]: 'unicast',
  [RTN_LOCAL]: 'local',
  [RTN_BROADCAST]: 'broadcast',
  [RTN_ANYCAST]: 'anycast',
  [RTN_MULTICAST]: 'multicast',
  [RTN_BLACKHOLE]: 'blackhole',
  [RTN_UNREACHABLE]: 'unreachable',
  [RTN_PROHIBIT]: 'prohibit',
  [RTN_THROW]: 'throw',
};

function typeFromName(s: string): number | null {
  for (const [k, v] of Object.entries(TYPE_NAMES)) if (v === s) return Number(k);
  return null;
}

function scopeName(scope: number): string {
  if (scope === RT_SCOPE_UNIVERSE) return 'global';
  if (scope === RT_SCOPE_LINK) return 'link';
  if (scope === RT_SCOPE_HOST) return 'host';
  if (scope === RT_SCOPE_NOWHERE) return 'nowhere';
  if (scope === 200) return 'site';
  return String(scope);
}

function parseRtScope(s: string): number | null {
  const names: Record<string, number> = {
    global: 0,
    universe: 0,
    site: 200,
    link: RT_SCOPE_LINK,
    host: RT_SCOPE_HOST,
    nowhere: RT_SCOPE_NOWHERE,
  };
  if (Object.hasOwn(names, s)) return names[s];
  const n = parseUnsigned(s);
  return n !== null && n <= 255 ? n : null;
}

function parseTable(s: string): number | null {
  if (s === 'main') return RT_TABLE_MAIN;
  if (s === 'local') return RT_TABLE_LOCAL;
  if (s === 'default') return 253;
  if (s === 'all' || s === 'unspec') return 0;
  const n = parseUnsigned(s);
  return n;
}

const PROTO_NAMES: Record<string, number> = {
  unspec: 0,
  redirect: 1,
  kernel: 2,
  boot: 3,
  static: 4,
  gated: 8,
  ra: 9,
  mrt: 10,
  zebra: 11,
  bird: 12,
  dnrouted: 13,
  xorp: 14,
  ntk: 15,
  dhcp: 16,
  keepalived: 18,
  babel: 42,
  openr: 99,
  bgp: 186,
  isis: 187,
  ospf: 188,
  rip: 189,
  eigrp: 192,
};

function parseProto(s: string): RouteProto | 'other' | null {
  if (s === 'kernel' || s === '2') return 'kernel';
  if (s === 'boot' || s === '3') return 'boot';
  if (s === 'static' || s === '4') return 'static';
  if (Object.hasOwn(PROTO_NAMES, s) || (parseUnsigned(s) !== null && parseUnsigned(s)! <= 255)) return 'other';
  return null;
}

/** Is the route's next hop without carrier (RTNH_F_LINKDOWN)? Host-scope nexthops never are. */
function linkdown(fa: FibAlias): boolean {
  if (fa.type === RTN_LOCAL) return false;
  if (fa.type === RTN_UNREACHABLE || fa.type === RTN_PROHIBIT || fa.type === RTN_BLACKHOLE || fa.type === RTN_THROW) return false;
  return fa.dev !== null && !fa.dev.carrier;
}

function hasDev(fa: FibAlias): boolean {
  return !(fa.type === RTN_UNREACHABLE || fa.type === RTN_PROHIBIT || fa.type === RTN_BLACKHOLE || fa.type === RTN_THROW);
}

interface RouteFilter {
  /** 0: all tables. */
  table: number;
  dev: NetDevice | null;
  via: number | null;
  src: number | null;
  proto: RouteProto | null;
  scope: number | null;
  type: number | null;
  metric: number | null;
  /** root: dstLen >= len and inside; match: dstLen <= len and covers. */
  root: { addr: number; len: number } | null;
  match: { addr: number; len: number } | null;
  /** `cached`/`cloned`: dump the cache entries (next-hop exceptions) instead of the routes. */
  cloned: boolean;
}

function routeLine(fa: FibAlias, f: RouteFilter): string {
  const parts: string[] = [];
  if (fa.type !== RTN_UNICAST) parts.push(TYPE_NAMES[fa.type] ?? String(fa.type));
  parts.push(fa.dstLen === 0 ? 'default' : fa.dstLen === 32 ? ipStr(fa.dst) : `${ipStr(fa.dst)}/${fa.dstLen}`);
  if (fa.gateway && f.via === null) parts.push('via', ipStr(fa.gateway));
  if (hasDev(fa) && fa.dev && !f.dev) parts.push('dev', fa.dev.name);
  if (f.table === 0 && fa.table !== RT_TABLE_MAIN) parts.push('table', fa.table === RT_TABLE_LOCAL ? 'local' : String(fa.table));
  if (fa.protocol !== 'boot' && f.proto === null) parts.push('proto', fa.protocol);
  if (fa.scope !== RT_SCOPE_UNIVERSE && f.scope === null) parts.push('scope', scopeName(fa.scope));
  if (fa.prefsrc && f.src === null) parts.push('src', ipStr(fa.prefsrc));
  if (fa.metric && f.metric === null) parts.push('metric', String(fa.metric));
  if (fa.dead) parts.push('dead');
  if (fa.onlink) parts.push('onlink');
  if (linkdown(fa)) parts.push('linkdown');
  return parts.join(' ') + ' ';
}

function routeMatches(fa: FibAlias, f: RouteFilter): boolean {
  if (f.table !== 0 && fa.table !== f.table) return false;
  if (f.dev && (!hasDev(fa) || fa.dev !== f.dev)) return false;
  if (f.via !== null && fa.gateway !== f.via) return false;
  if (f.src !== null && fa.prefsrc !== f.src) return false;
  if (f.proto !== null && fa.protocol !== f.proto) return false;
  if (f.scope !== null && fa.scope !== f.scope) return false;
  if (f.type !== null && fa.type !== f.type) return false;
  if (f.metric !== null && fa.metric !== f.metric) return false;
  if (f.root && !(fa.dstLen >= f.root.len && inPrefix(fa.dst, f.root.addr, f.root.len))) return false;
  if (f.match && !(fa.dstLen <= f.match.len && inPrefix(f.match.addr, fa.dst, fa.dstLen))) return false;
  return true;
}

function prefixOrExit(c: IpCtx, v: string, allowDefault = true): { addr: number; len: number; hasLen: boolean } {
  const p = parsePrefix(v, allowDefault);
  if (!p) {
    c.ctx.stderr(`Error: ${c.opts.family === 'inet' ? 'inet' : 'any valid'} prefix is expected rather than "${v}".`);
    exit(1);
  }
  return p;
}

function addrOrExit(c: IpCtx, v: string): number {
  const a = parseInetAddr(v);
  if (a === null) {
    c.ctx.stderr(`Error: ${c.opts.family === 'inet' ? 'inet' : 'any valid'} address is expected rather than "${v}".`);
    exit(1);
  }
  return a;
}

function parseRouteFilter(c: IpCtx, argv: string[]): RouteFilter {
  const f: RouteFilter = {
    table: RT_TABLE_MAIN,
    dev: null,
    via: null,
    src: null,
    proto: null,
    scope: null,
    type: null,
    metric: null,
    root: null,
    match: null,
    cloned: false,
  };
  let devName: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (matches(a, 'table')) {
      const v = nextArg(c, argv, i++);
      const t = parseTable(v);
      if (t === null && v === 'cache') {
        // Not a table's name: the cache entries, of table main.
        f.cloned = true;
        continue;
      }
      if (t === null) invarg(c, 'table id value is invalid\n', v);
      if (t !== 0 && t !== RT_TABLE_MAIN && t !== RT_TABLE_LOCAL) {
        c.ctx.stderr('Error: ipv4: FIB table does not exist.');
        c.ctx.stderr('Dump terminated');
        exit(2);
      }
      f.table = t;
    } else if (matches(a, 'cached') || matches(a, 'cloned')) {
      f.cloned = true;
    } else if (matches(a, 'protocol')) {
      const v = nextArg(c, argv, i++);
      const p = parseProto(v);
      if (p === null) invarg(c, 'invalid "protocol"\n', v);
      f.proto = p === 'other' ? ('other' as RouteProto) : p;
    } else if (matches(a, 'scope')) {
      const v = nextArg(c, argv, i++);
      const s = parseRtScope(v);
      if (s === null) invarg(c, 'invalid "scope" value\n', v);
      f.scope = s;
    } else if (matches(a, 'type')) {
      const v = nextArg(c, argv, i++);
      const t = typeFromName(v);
      if (t === null) invarg(c, 'node type value is invalid\n', v);
      f.type = t;
    } else if (a === 'dev' || a === 'oif') {
      devName = nextArg(c, argv, i++);
    } else if (a === 'via') {
      let v = nextArg(c, argv, i++);
      if (v === 'inet') v = nextArg(c, argv, i++);
      f.via = addrOrExit(c, v);
    } else if (a === 'src') {
      f.src = addrOrExit(c, nextArg(c, argv, i++));
    } else if (matches(a, 'metric') || matches(a, 'priority') || matches(a, 'preference')) {
      const v = nextArg(c, argv, i++);
      const n = parseUnsigned(v);
      if (n === null) invarg(c, '"metric" value is invalid\n', v);
      f.metric = n;
    } else if (a === 'iif' || a === 'mark' || a === 'from' || a === 'vrf' || a === 'tos' || a === 'dsfield' || a === 'realms') {
      c.ctx.stderr(`skbwalk: "ip route show ${a}" is not supported by skbwalk`);
      exit(1);
    } else {
      let v = a;
      if (matches(a, 'to')) v = nextArg(c, argv, i++);
      if (matches(v, 'root')) {
        f.root = prefixOrExit(c, nextArg(c, argv, i++));
      } else if (matches(v, 'match')) {
        f.match = prefixOrExit(c, nextArg(c, argv, i++));
      } else {
        if (matches(v, 'exact')) v = nextArg(c, argv, i++);
        const p = prefixOrExit(c, v);
        f.root = p;
        f.match = p;
      }
    }
  }
  if (devName !== null) {
    const d = devGetByName(c.net, devName);
    if (!d) cannotFindDevice(c, devName);
    f.dev = d;
  }
  return f;
}

function tablesToShow(f: RouteFilter): number[] {
  return f.table === 0 ? [RT_TABLE_MAIN, RT_TABLE_LOCAL] : [f.table];
}

function ipRouteShow(c: IpCtx, argv: string[]): number {
  if (c.opts.family !== 'any' && c.opts.family !== 'inet') return 0;
  const f = parseRouteFilter(c, argv);
  if (f.cloned) {
    for (const t of tablesToShow(f)) {
      for (const r of fib_dump_info_fnhe(c.ctx.w, c.net, t)) if (cachedMatches(r, f)) printRouteReply(c, r, f);
    }
    return 0;
  }
  for (const t of tablesToShow(f)) {
    for (const fa of fib_table_dump(c.net, t)) {
      if (routeMatches(fa, f)) c.ctx.stdout(routeLine(fa, f));
    }
  }
  return 0;
}

/** The file iproute2 writes to flush IPv4's route cache. */
const ROUTE_FLUSH_PATH = '/proc/sys/net/ipv4/route/flush';

/**
 * iproute_flush_cache: `ip route flush cache` writes "-1" to
 * net.ipv4.route.flush; iproute_flush goes on (exit status 0) whatever came of it.
 */
function iproute_flush_cache(c: IpCtx): number {
  const err = -proc_sys_write(c.ctx.w, c.net, ['net', 'ipv4', 'route', 'flush'], '-1');
  if (err === ENOENT || err === EACCES) c.ctx.stderr(`Cannot open "${ROUTE_FLUSH_PATH}": ${strerror(err)}`);
  else if (err) c.ctx.stderr('Cannot flush routing cache');
  return 0;
}

function ipRouteFlush(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) {
    c.ctx.stderr('"ip route flush" requires arguments.');
    return 1;
  }
  const f = parseRouteFilter(c, argv);
  if (f.cloned) return iproute_flush_cache(c);
  // iproute2 dumps the tables, then asks the kernel to delete each route that matches.
  for (const t of tablesToShow(f)) {
    for (const fa of fib_table_dump(c.net, t)) {
      if (!routeMatches(fa, f)) continue;
      const req: Parameters<typeof inet_rtm_delroute>[1] = { dst: fa.dst, dstLen: fa.dstLen, table: fa.table, metric: fa.metric };
      if (fa.dev) req.dev = fa.dev;
      if (fa.gateway) req.gateway = fa.gateway;
      const err = inet_rtm_delroute(c.net, req);
      if (err) rtnlError(c, -err);
    }
  }
  return 0;
}

interface RouteReq {
  type: number | null;
  dst: { addr: number; len: number } | null;
  gateway: number;
  dev: string | null;
  metric: number | null;
  prefsrc: number;
  proto: RouteProto | null;
  scope: number | null;
  table: number | null;
  onlink: boolean;
}

function parseRouteModify(c: IpCtx, argv: string[]): RouteReq {
  const r: RouteReq = {
    type: null,
    dst: null,
    gateway: 0,
    dev: null,
    metric: null,
    prefsrc: 0,
    proto: null,
    scope: null,
    table: null,
    onlink: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === 'onlink') {
      r.onlink = true;
    } else if (a === 'src') {
      r.prefsrc = addrOrExit(c, nextArg(c, argv, i++));
    } else if (a === 'via') {
      let v = nextArg(c, argv, i++);
      if (v === 'inet') v = nextArg(c, argv, i++);
      if (r.gateway) duparg(c, 'via', v);
      r.gateway = addrOrExit(c, v);
    } else if (matches(a, 'metric') || matches(a, 'priority') || matches(a, 'preference')) {
      const v = nextArg(c, argv, i++);
      if (r.metric !== null) duparg(c, 'metric', v);
      const n = parseUnsigned(v);
      if (n === null) invarg(c, '"metric" value is invalid\n', v);
      r.metric = n;
    } else if (matches(a, 'scope')) {
      const v = nextArg(c, argv, i++);
      const s = parseRtScope(v);
      if (s === null) invarg(c, 'invalid "scope" value\n', v);
      r.scope = s;
    } else if (a === 'dev' || a === 'oif') {
      r.dev = nextArg(c, argv, i++);
    } else if (matches(a, 'table')) {
      const v = nextArg(c, argv, i++);
      const t = parseTable(v);
      if (t === null) invarg(c, '"table" value is invalid\n', v);
      if (t !== RT_TABLE_MAIN && t !== RT_TABLE_LOCAL) {
        c.ctx.stderr(`skbwalk: routing table "${v}" is not modelled (only main and local are)`);
        exit(2);
      }
      r.table = t;
    } else if (matches(a, 'protocol')) {
      const v = nextArg(c, argv, i++);
      const p = parseProto(v);
      if (p === null) invarg(c, '"protocol" value is invalid\n', v);
      if (p === 'other') {
        c.ctx.stderr(`skbwalk: route protocol "${v}" is not modelled (kernel, boot and static are)`);
        exit(2);
      }
      r.proto = p;
    } else if (
      [
        'mtu',
        'advmss',
        'rtt',
        'rttvar',
        'reordering',
        'window',
        'cwnd',
        'initcwnd',
        'initrwnd',
        'ssthresh',
        'realms',
        'rto_min',
        'hoplimit',
        'features',
        'quickack',
        'congctl',
        'pref',
        'expires',
        'nexthop',
        'nhid',
        'encap',
        'tos',
        'dsfield',
        'from',
        'as',
        'mark',
        'fastopen_no_cookie',
        'ttl-propagate',
        'lock',
      ].includes(a)
    ) {
      c.ctx.stderr(`skbwalk: "ip route ... ${a}" is not supported by skbwalk`);
      exit(1);
    } else {
      let v = a;
      if (matches(v, 'to')) v = nextArg(c, argv, i++);
      const t = typeFromName(v);
      if (t !== null) {
        r.type = t;
        v = nextArg(c, argv, i++);
      }
      if (r.dst) duparg2(c, 'to', v);
      const p = prefixOrExit(c, v);
      r.dst = { addr: p.addr, len: p.len };
    }
  }
  return r;
}

function ipRouteAdd(c: IpCtx, argv: string[], mode: 'add' | 'replace' | 'change'): number {
  const net = c.net;
  const r = parseRouteModify(c, argv);
  let dev: NetDevice | null = null;
  if (r.dev !== null) dev = requireDev(c, r.dev);
  if (!r.dst) {
    c.ctx.stderr('skbwalk: "ip route add" needs a destination');
    return 1;
  }
  const type = r.type ?? RTN_UNICAST;
  let scope = r.scope;
  if (scope === null) {
    if (type === RTN_LOCAL) scope = RT_SCOPE_HOST;
    else if (type === RTN_BROADCAST || type === RTN_MULTICAST || type === RTN_ANYCAST) scope = RT_SCOPE_LINK;
    else if (type === RTN_UNICAST && !r.gateway) scope = RT_SCOPE_LINK;
  }
  const table =
    r.table ?? (type === RTN_LOCAL || type === RTN_BROADCAST || type === RTN_ANYCAST ? RT_TABLE_LOCAL : RT_TABLE_MAIN);
  const { addr, len } = r.dst;
  const flags = mode === 'add' ? NLM_F_CREATE | NLM_F_EXCL : mode === 'replace' ? NLM_F_CREATE | NLM_F_REPLACE : NLM_F_REPLACE;
  const answer = inet_rtm_newroute(
    net,
    {
      table,
      dst: addr,
      dstLen: len,
      type,
      gateway: r.gateway,
      dev,
      metric: r.metric ?? 0,
      prefsrc: r.prefsrc,
      scope,
      protocol: r.proto ?? 'boot',
      onlink: r.onlink,
    },
    flags,
  );
  if (answer.msg) extackError(c, answer.msg);
  if (answer.err) rtnlError(c, -answer.err);
  return 0;
}

function ipRouteDel(c: IpCtx, argv: string[]): number {
  const r = parseRouteModify(c, argv);
  let dev: NetDevice | null = null;
  if (r.dev !== null) dev = requireDev(c, r.dev);
  if (!r.dst) {
    c.ctx.stderr('skbwalk: "ip route del" needs a destination');
    return 1;
  }
  const table = r.table ?? (r.type === RTN_LOCAL || r.type === RTN_BROADCAST ? RT_TABLE_LOCAL : RT_TABLE_MAIN);
  const { addr, len } = r.dst;
  if (len < 32 && (addr & ~prefixMask(len)) >>> 0) extackError(c, 'Invalid prefix for given prefix length.');
  const req: Parameters<typeof inet_rtm_delroute>[1] = { dst: addr, dstLen: len, table };
  if (dev) req.dev = dev;
  if (r.gateway) req.gateway = r.gateway;
  if (r.metric) req.metric = r.metric;
  const err = inet_rtm_delroute(c.net, req);
  if (err) rtnlError(c, err === -ESRCH ? ESRCH : -err);
  return 0;
}

// ---- ip route get ----------------------------------------------------------------

/** print_cache_flags: the route's RTCF_* flags by name, in iproute2's order. */
const CACHE_FLAG_NAMES: [number, string][] = [
  [RTCF_LOCAL, 'local'],
  [RTCF_MULTICAST, 'mc'],
  [RTCF_BROADCAST, 'brd'],
  [RTCF_REDIRECTED, 'redirected'],
  [RTCF_DOREDIRECT, 'redirect'],
  [RTCF_NOTIFY, 'notify'],
];

function cacheFlags(rtmFlags: number): string {
  const names: string[] = [];
  for (const [bit, name] of CACHE_FLAG_NAMES) if (rtmFlags & bit) names.push(name);
  return names.length ? `<${names.join(',')}> ` : '';
}

/** How print_route writes a mark: small ones in decimal, others in hex. */
function markText(mark: number): string {
  return mark < 16 ? String(mark) : `0x${mark.toString(16)}`;
}

/** get_u32 for `mark` and `uid`: any base, at most 32 bits. */
function parseU32(s: string): number | null {
  if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(s)) return null;
  const n =
    s.startsWith('0x') || s.startsWith('0X')
      ? parseInt(s.slice(2), 16)
      : s.length > 1 && s[0] === '0'
        ? parseInt(s, 8)
        : Number(s);
  return n <= 0xffffffff ? n : null;
}

function ipRouteGet(c: IpCtx, argv: string[]): number {
  let dst: number | null = null;
  let from = 0;
  let oifName: string | null = null;
  let iifName: string | null = null;
  let mark = 0;
  let uid: number | null = null;
  let badFromLen = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === 'from') {
      const p = prefixOrExit(c, nextArg(c, argv, i++));
      from = p.addr;
      if (p.hasLen && p.len !== 32) badFromLen = true;
    } else if (a === 'oif' || a === 'dev') {
      oifName = nextArg(c, argv, i++);
    } else if (a === 'iif') {
      iifName = nextArg(c, argv, i++);
    } else if (a === 'mark') {
      const v = nextArg(c, argv, i++);
      const n = parseU32(v);
      if (n === null) invarg(c, 'invalid mark value\n', v);
      mark = n;
    } else if (matches(a, 'uid')) {
      const v = nextArg(c, argv, i++);
      const n = parseU32(v);
      if (n === null) invarg(c, 'invalid UID\n', v);
      uid = n;
    } else if (a === 'tos' || a === 'dsfield') {
      nextArg(c, argv, i++);
    } else if (
      a === 'vrf' ||
      a === 'ipproto' ||
      a === 'sport' ||
      a === 'dport' ||
      a === 'connected' ||
      a === 'fibmatch' ||
      a === 'as' ||
      a === 'notify' ||
      a === 'flowlabel'
    ) {
      c.ctx.stderr(`skbwalk: "ip route get ... ${a}" is not supported by skbwalk`);
      return 1;
    } else {
      let v = a;
      if (matches(a, 'to')) v = nextArg(c, argv, i++);
      const p = prefixOrExit(c, v, false);
      if (p.hasLen && p.len !== 32) c.ctx.stderr(`Warning: /${p.len} as prefix is invalid, only /32 (or none) is supported.`);
      dst = p.addr;
    }
  }
  if (dst === null) {
    c.ctx.stderr('need at least a destination address');
    return 1;
  }
  const iif = iifName !== null ? requireDev(c, iifName).ifindex : 0;
  const oif = oifName !== null ? requireDev(c, oifName).ifindex : 0;
  // inet_rtm_valid_getroute_req: a source given as a prefix is refused.
  if (badFromLen) extackError(c, 'ipv4: Invalid values in header for route get request.');
  const r = inet_rtm_getroute(c.ctx.w, c.net, { dst, src: from, iif, oif, mark, uid });
  if (typeof r === 'number') rtnlError(c, -r);
  printRouteReply(c, r);
  return 0;
}

/** filter_nlmsg for a cache entry: a /32 unicast route of no protocol, scope universe and no metric. */
function cachedMatches(r: RtmRouteReply, f: RouteFilter): boolean {
  if (f.dev && r.oif !== f.dev) return false;
  if (f.via !== null && r.gateway !== f.via) return false;
  if (f.src !== null || f.proto !== null || (f.metric !== null && f.metric !== 0)) return false;
  if (f.scope !== null && f.scope !== RT_SCOPE_UNIVERSE) return false;
  if (f.type !== null && f.type !== r.type) return false;
  if (f.root && !inPrefix(r.dst, f.root.addr, f.root.len)) return false;
  if (f.match && f.match.len < 32) return false;
  if (f.match && f.match.addr !== r.dst) return false;
  return true;
}

/** print_route for a cloned route (RTM_F_CLONED): the route line, then its cache line. */
function printRouteReply(c: IpCtx, r: RtmRouteReply, f: RouteFilter | null = null): void {
  const parts: string[] = [];
  if (r.type !== RTN_UNICAST) parts.push(TYPE_NAMES[r.type]);
  parts.push(ipStr(r.dst));
  if (r.src) parts.push('from', ipStr(r.src));
  // What a listing's filter pins down (the gateway, the device) goes unsaid.
  if (r.gateway && (f === null || f.via === null)) parts.push('via', ipStr(r.gateway));
  if (f === null || !f.dev) parts.push('dev', r.oif.name);
  if (r.prefsrc) parts.push('src', ipStr(r.prefsrc));
  if (r.type === RTN_MULTICAST) parts.push('rt_offload_failed');
  if (r.mark) parts.push('mark', markText(r.mark));
  if (r.uid !== null) parts.push('uid', String(r.uid));
  c.ctx.stdout(parts.join(' ') + ' ');
  // An exception's expiry (in USER_HZ ticks, printed as whole seconds), then
  // a learned path MTU as the mtu metric.
  const expires = r.expires ? `expires ${Math.floor(r.expires / 1e9)}sec ` : '';
  const mtu = r.mtu ? `mtu ${r.mtu} ` : '';
  const iifText = r.iif ? `iif ${r.iif.name} ` : '';
  c.ctx.stdout(`    cache ${cacheFlags(r.flags)}${expires}${mtu}${iifText}`);
}

export function ipRoute(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) return ipRouteShow(c, []);
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (matches(cmd, 'add')) return ipRouteAdd(c, rest, 'add');
  if (matches(cmd, 'change') || cmd === 'chg') return ipRouteAdd(c, rest, 'change');
  if (matches(cmd, 'replace')) return ipRouteAdd(c, rest, 'replace');
  if (matches(cmd, 'prepend') || matches(cmd, 'append') || matches(cmd, 'test')) {
    c.ctx.stderr(`skbwalk: "ip route ${cmd}" is not supported by skbwalk`);
    return 1;
  }
  if (matches(cmd, 'delete')) return ipRouteDel(c, rest);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return ipRouteShow(c, rest);
  if (matches(cmd, 'get')) return ipRouteGet(c, rest);
  if (matches(cmd, 'flush')) return ipRouteFlush(c, rest);
  if (matches(cmd, 'help')) usageNotModelled(c, 'ip route help');
  c.ctx.stderr(`Command "${cmd}" is unknown, try "ip route help".`);
  return EXIT_MINUS_1;
}
