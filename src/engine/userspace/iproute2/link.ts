// `ip link`: creating, changing, deleting and listing devices, and the
// device header that `ip address` shares with it.
import type { NetDevice } from '../../include/netdevice.ts';
import {
  devGetFlags,
  IFF_ALLMULTI,
  IFF_AUTOMEDIA,
  IFF_BROADCAST,
  IFF_DEBUG,
  IFF_DORMANT,
  IFF_DYNAMIC,
  IFF_ECHO,
  IFF_LOOPBACK,
  IFF_LOWER_UP,
  IFF_MASTER,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_POINTOPOINT,
  IFF_PORTSEL,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_SLAVE,
  IFF_UP,
  operState,
} from '../../include/netdevice.ts';
import type { Net } from '../../include/net.ts';
import { EADDRNOTAVAIL, EEXIST, EINVAL, ENOTCONN, EOPNOTSUPP } from '../../include/errno.ts';
import { devGetByName, devNewIndex } from '../../net/core/register.ts';
import {
  br_add_if,
  br_del_if,
  br_newlink,
  dev_change_net_namespace,
  dev_close,
  dev_open,
  dev_set_mac_address,
  dev_set_mtu,
  IFNAMSIZ,
  rtnl_dellink,
  veth_newlink,
} from '../../net/core/rtnetlink.ts';
import { dev_change_flags, dev_change_name, dev_change_tx_queue_len } from '../../net/core/dev.ts';
import { peernet2idAlloc } from '../../net/core/net_namespace.ts';
import { macStr } from '../../net/ipv4/addr.ts';
import type { IpCtx } from './utils.ts';
import {
  cannotFindDevice,
  duparg,
  duparg2,
  exit,
  EXIT_MINUS_1,
  extackError,
  llAddrA2n,
  invarg,
  lookupNetns,
  matches,
  nameForNsid,
  nextArg,
  padLeft,
  padRight,
  rtnlError,
} from './utils.ts';

/** Flag names in the order `ip link` prints them. */
const FLAG_NAMES: [number, string][] = [
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_MULTICAST, 'MULTICAST'],
  [IFF_NOARP, 'NOARP'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_MASTER, 'MASTER'],
  [IFF_SLAVE, 'SLAVE'],
  [IFF_DEBUG, 'DEBUG'],
  [IFF_DYNAMIC, 'DYNAMIC'],
  [IFF_AUTOMEDIA, 'AUTOMEDIA'],
  [IFF_PORTSEL, 'PORTSEL'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_UP, 'UP'],
  [IFF_LOWER_UP, 'LOWER_UP'],
  [IFF_DORMANT, 'DORMANT'],
  [IFF_ECHO, 'ECHO'],
];

/** `<BROADCAST,MULTICAST,UP,LOWER_UP>` for a flags word. */
/** skbwalk's topology limit: a clear error instead of an ever-slower page. */
function roomForDevices(c: IpCtx, more: number): boolean {
  const w = c.ctx.w;
  const count = w.nets.reduce((n, net) => n + net.devices.length, 0);
  if (count + more <= w.limits.maxDevices) return true;
  c.ctx.stderr(`skbwalk: too many network devices (the limit is ${w.limits.maxDevices})`);
  return false;
}

export function linkFlagsText(flags: number, mdown: boolean): string {
  const names: string[] = [];
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) names.push('NO-CARRIER');
  let rest = flags & ~IFF_RUNNING;
  for (const [bit, name] of FLAG_NAMES) {
    if (rest & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest) names.push((rest >>> 0).toString(16));
  if (mdown) names.push('M-DOWN');
  return `<${names.join(',')}>`;
}

/** Devices in the order a dump returns them (by ifindex). */
export function devicesInOrder(net: Net): NetDevice[] {
  return net.devices.slice().sort((a, b) => a.ifindex - b.ifindex);
}

/** The "veth0@veth1" / "veth0@if2" name, and whether the link partner is down (M-DOWN). */
export function nameWithLink(dev: NetDevice): { text: string; mdown: boolean } {
  const peer = dev.kind === 'veth' ? dev.peer : null;
  if (!peer) return { text: dev.name, mdown: false };
  if (peer.net !== dev.net) return { text: `${dev.name}@if${peer.ifindex}`, mdown: false };
  return { text: `${dev.name}@${peer.name}`, mdown: !(devGetFlags(peer) & IFF_UP) };
}

/** " link-netns ns1" / " link-netnsid 0" for a device whose partner lives elsewhere. */
function linkNetnsText(c: IpCtx, dev: NetDevice): string {
  const peer = dev.kind === 'veth' ? dev.peer : null;
  if (!peer || peer.net === dev.net) return '';
  const id = peernet2idAlloc(dev.net, peer.net);
  const name = nameForNsid(c, dev.net, id);
  return name !== null ? ` link-netns ${name}` : ` link-netnsid ${id}`;
}

function promiscuity(dev: NetDevice): number {
  return dev.taps.length + (dev.master ? 1 : 0) + (dev.flags & IFF_PROMISC ? 1 : 0);
}

function detailsText(dev: NetDevice, forLink: boolean): { linkTail: string; extra: string[] } {
  const allmulti = dev.flags & IFF_ALLMULTI ? 1 : 0;
  const lo = dev.kind === 'loopback';
  const minmtu = lo ? 0 : dev.minMtu;
  const maxmtu = lo ? 0 : dev.maxMtu;
  const common = `promiscuity ${promiscuity(dev)}  allmulti ${allmulti} minmtu ${minmtu} maxmtu ${maxmtu} `;
  // print_af_spec (IPv6's addrgenmode) only for `ip link`, not `ip addr`.
  const afSpec = forLink ? 'addrgenmode eui64 ' : '';
  const tail = (queues: number, tso: number) =>
    `${afSpec}numtxqueues ${queues} numrxqueues ${queues} gso_max_size 65536 gso_max_segs 65535 tso_max_size ${tso} tso_max_segs 65535 gro_max_size 65536 `;
  if (lo) return { linkTail: ' ' + common + tail(1, 524280), extra: [] };
  if (dev.kind === 'veth') return { linkTail: ' ' + common, extra: [`    veth ${tail(2, 524280)}`] };
  // A bridge (STP off, the kernel's defaults).
  const id = bridgeIdText(dev);
  return {
    linkTail: ' ' + common,
    extra: [
      `    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id ${id} designated_root ${id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 ${tail(1, 65536)}`,
    ],
  };
}

function bridgeIdText(br: NetDevice): string {
  const mac = br.bridge?.bridgeId ?? new Uint8Array(6);
  return '8000.' + Array.from(mac, (b) => b.toString(16)).join(':');
}

/** The two (or more, with -d) lines heading a device in `ip link` / `ip addr`. */
export function linkHeaderLines(c: IpCtx, dev: NetDevice, forLink: boolean): string[] {
  const { text, mdown } = nameWithLink(dev);
  const flags = devGetFlags(dev);
  let head = `${dev.ifindex}: ${text}: ${linkFlagsText(flags, mdown)} mtu ${dev.mtu} qdisc ${dev.qdisc}`;
  if (dev.master) head += ` master ${dev.master.name}`;
  head += ` state ${operState(dev)}`;
  if (forLink) head += ' mode DEFAULT';
  head += ` group default qlen ${dev.txQueueLen}`;
  // print_linkinfo: the link/ether line only for a listing of every family
  // (or links, or with -d); the link-netns that follows it is printed either
  // way, so under `ip -4 addr` it ends the heading line.
  let l = head;
  const lines: string[] = [];
  if (c.opts.family === 'any' || c.opts.family === 'link' || c.opts.details) {
    lines.push(l);
    const kind = dev.kind === 'loopback' ? 'loopback' : 'ether';
    l = `    link/${kind} ${macStr(dev.addr)} brd ${macStr(dev.broadcast)}`;
  }
  l += linkNetnsText(c, dev);
  if (c.opts.details) {
    const d = detailsText(dev, forLink);
    lines.push(l + d.linkTail, ...d.extra);
  } else {
    lines.push(l);
  }
  return lines;
}

function statCols(values: number[], mins: number[]): number[] {
  return mins.map((m, i) => Math.max(m, String(values[i] ?? 0).length));
}

/** `ip -s link`: the RX/TX counter table (twice -s adds the error breakdown). */
export function statsLines(c: IpCtx, dev: NetDevice): string[] {
  const s = dev.stats;
  const rx = [s.rxBytes, s.rxPackets, 0, s.rxDropped, 0, 0];
  const tx = [s.txBytes, s.txPackets, 0, s.txDropped, 0, 0];
  const cols = statCols(
    rx.map((v, i) => Math.max(v, tx[i])),
    [10, 7, 6, 7, 7, 7],
  );
  const hdr = (label: string, names: string[]) =>
    `    ${label}: ${padLeft(names[0], cols[0] - 4)} ${names
      .slice(1)
      .map((n, i) => padLeft(n, cols[i + 1]))
      .join(' ')} ${' '.repeat(10)}`;
  const nums = (v: number[]) => '    ' + v.map((x, i) => padLeft(String(x), cols[i])).join(' ') + ' ';
  const lines = [hdr('RX', ['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast']), nums(rx)];
  if (c.opts.stats > 1) {
    lines.push('    RX errors:  length    crc   frame    fifo overrun', '                     0      0       0       0       0 ');
  }
  lines.push(hdr('TX', ['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns']), nums(tx));
  if (c.opts.stats > 1) {
    // transns: the carrier's changes (IFLA_CARRIER_CHANGES).
    lines.push(
      '    TX errors: aborted   fifo  window heartbt transns',
      `                     0      0       0       0${padLeft(String(dev.carrierChanges), 8)} `,
    );
  }
  return lines;
}

/** -o: one line per record, the line breaks shown as backslashes. */
export function emitRecord(c: IpCtx, lines: string[]): void {
  if (c.opts.oneline) c.ctx.stdout(lines.join('\\'));
  else for (const l of lines) c.ctx.stdout(l);
}

export function briefLinkLine(dev: NetDevice): string {
  const { text, mdown } = nameWithLink(dev);
  return `${padRight(text, 16)} ${padRight(operState(dev), 14)} ${macStr(dev.addr)} ${linkFlagsText(devGetFlags(dev), mdown)} `;
}

export interface LinkFilter {
  dev: NetDevice | null;
  up: boolean;
  kind: string | null;
  master: NetDevice | null;
}

export function linkFilterMatches(f: LinkFilter, dev: NetDevice): boolean {
  if (f.dev && f.dev !== dev) return false;
  if (f.up && !(dev.flags & IFF_UP)) return false;
  if (f.master && dev.master !== f.master) return false;
  if (f.kind !== null) {
    if (f.kind.endsWith('_slave')) {
      if (!dev.master || `${dev.master.kind}_slave` !== f.kind) return false;
    } else if (dev.kind !== f.kind) return false;
  }
  return true;
}

/** ip link show / ip addr show argument parsing for the link part. Returns leftover address filters. */
export function parseLinkFilter(c: IpCtx, argv: string[], addrWords: (argv: string[], i: number) => number): LinkFilter {
  const f: LinkFilter = { dev: null, up: false, kind: null, master: null };
  let devName: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === 'up') f.up = true;
    else if (a === 'type') {
      f.kind = nextArg(c, argv, i);
      i++;
    } else if (a === 'master') {
      const m = nextArg(c, argv, i);
      i++;
      const md = devGetByName(c.net, m);
      if (!md) invarg(c, 'Device does not exist\n', m);
      f.master = md;
    } else {
      const used = addrWords(argv, i);
      if (used > 0) {
        i += used - 1;
        continue;
      }
      let name = a;
      if (a === 'dev') {
        name = nextArg(c, argv, i);
        i++;
      } else if (matches(a, 'help')) {
        return usageNotModelled(c, 'ip link help');
      }
      if (devName !== null) duparg2(c, 'dev', name);
      devName = name;
    }
  }
  if (devName !== null) {
    const d = devGetByName(c.net, devName);
    if (!d) {
      c.ctx.stderr(`Device "${devName}" does not exist.`);
      exit(1);
    }
    f.dev = d;
  }
  return f;
}

export function usageNotModelled(c: IpCtx, what: string): never {
  c.ctx.stderr(`skbwalk: "${what}" (the usage text) is not available in skbwalk`);
  exit(EXIT_MINUS_1);
}

function ipLinkShow(c: IpCtx, argv: string[]): number {
  const f = parseLinkFilter(c, argv, () => 0);
  for (const dev of devicesInOrder(c.net)) {
    if (!linkFilterMatches(f, dev)) continue;
    if (c.opts.brief) {
      c.ctx.stdout(briefLinkLine(dev));
      continue;
    }
    const lines = linkHeaderLines(c, dev, true);
    if (c.opts.stats) lines.push(...statsLines(c, dev));
    emitRecord(c, lines);
  }
  return 0;
}

// ---- ip link add / set / delete -------------------------------------------------

/** What iplink_parse() collects for one device (the new one, or a veth's peer). */
interface LinkReq {
  /** The positional (or `dev`) device name. */
  dev: string | null;
  /** `name NAME`. */
  name: string | null;
  up: boolean | null;
  mtu: number | null;
  address: Uint8Array | null;
  netns: Net | null;
  /** `netns PID`: a process's namespace. */
  netnsPid: string | null;
  master: NetDevice | null | 'nomaster';
  txqlen: number | null;
  flagSet: number;
  flagClear: number;
  type: string | null;
  /** `link DEV`: the lower device of a stacked one (checked, then not modelled). */
  link: string | null;
  /** `alias TEXT` (not modelled). */
  alias: string | null;
  /** Arguments after `type KIND`. */
  typeArgs: string[];
}

function emptyReq(): LinkReq {
  return {
    dev: null,
    name: null,
    up: null,
    mtu: null,
    address: null,
    netns: null,
    netnsPid: null,
    master: null,
    txqlen: null,
    flagSet: 0,
    flagClear: 0,
    type: null,
    link: null,
    alias: null,
    typeArgs: [],
  };
}

/** The name a new device gets. */
function newDevName(c: IpCtx, req: LinkReq): string | null {
  if (req.name !== null && req.dev !== null && req.name !== req.dev) {
    c.ctx.stderr('both "name" and "dev" cannot be used when creating devices.');
    exit(EXIT_MINUS_1);
  }
  return req.name ?? req.dev;
}

/** check_ifname(): what iproute2 accepts as an interface name. */
export function validIfname(name: string): boolean {
  if (name.length === 0 || name.length >= IFNAMSIZ) return false;
  return !/[/:\s]/.test(name);
}

function validAltIfname(name: string): boolean {
  return name.length > 0 && name.length < 128 && !/[/:\s]/.test(name);
}

/** ll_addr_a2n for Ethernet: hex bytes separated by ':'. */
/** get_integer(..., 0): a C int in decimal, octal or hex. */
function parseInt0(s: string): number | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const body = m[2];
  let v = /^0[xX]/.test(body)
    ? parseInt(body.slice(2), 16)
    : body.length > 1 && body[0] === '0'
      ? parseInt(body, 8)
      : parseInt(body, 10);
  if (m[1] === '-') v = -v;
  if (v > 2147483647 || v < -2147483648) return null;
  return v;
}

const ON_OFF_FLAGS: Record<string, number> = {
  arp: IFF_NOARP,
  promisc: IFF_PROMISC,
  multicast: IFF_MULTICAST,
  allmulticast: IFF_ALLMULTI,
  trailers: IFF_NOTRAILERS,
  dynamic: IFF_DYNAMIC,
};

/**
 * iplink_parse() as iproute2 6.1 has it: fills `req` from argv, stopping after
 * `type KIND`. Its keywords are tried in its order, some in full (strcmp) and
 * some by any prefix (matches()), so a device named `a`, `b`, `m` or `t` is
 * taken for `address`, `broadcast`, `master` or `txqueuelen` unless `dev` or
 * `name` comes first, with the errors iproute2 then prints.
 */
function parseLinkArgs(c: IpCtx, argv: string[], req: LinkReq): void {
  /** A keyword skbwalk does not model, once iproute2 would have accepted its value. */
  const unsupported = (a: string): never => {
    c.ctx.stderr(`skbwalk: "ip link ... ${a}" is not supported by skbwalk`);
    exit(1);
  };
  const lladdr = (v: string): Uint8Array => {
    // iplink_parse reads addresses into a 32-byte buffer.
    const a = llAddrA2n(v, 32);
    if ('error' in a) {
      c.ctx.stderr(a.error);
      exit(1);
    }
    return a.bytes;
  };
  const onOff = (a: string, v: string): boolean => {
    if (v === 'on') return true;
    if (v === 'off') return false;
    c.ctx.stderr(`Error: argument of "${a}" must be "on" or "off", not "${v}"`);
    exit(EXIT_MINUS_1);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === 'up') req.up = true;
    else if (a === 'down') req.up = false;
    else if (a === 'name') {
      const n = nextArg(c, argv, i);
      i++;
      if (req.name !== null) duparg(c, 'name', n);
      if (!validIfname(n)) invarg(c, '"name" not a valid ifname', n);
      req.name = n;
    } else if (a === 'index') {
      nextArg(c, argv, i);
      unsupported(a);
    } else if (matches(a, 'link')) {
      // Looked up only when creating (iplink_modify); `ip link set` ignores it.
      req.link = nextArg(c, argv, i);
      i++;
    } else if (matches(a, 'address')) {
      req.address = lladdr(nextArg(c, argv, i));
      i++;
    } else if (matches(a, 'broadcast') || a === 'brd') {
      lladdr(nextArg(c, argv, i));
      unsupported('broadcast');
    } else if (matches(a, 'txqueuelen') || a === 'qlen' || matches(a, 'txqlen')) {
      const v = nextArg(c, argv, i);
      i++;
      if (req.txqlen !== null) duparg(c, 'txqueuelen', v);
      const n = parseInt0(v);
      if (n === null || n < 0) invarg(c, 'Invalid "txqueuelen" value\n', v);
      req.txqlen = n;
    } else if (a === 'mtu') {
      const v = nextArg(c, argv, i);
      i++;
      if (req.mtu !== null) duparg(c, 'mtu', v);
      const n = parseInt0(v);
      if (n === null) invarg(c, 'Invalid "mtu" value\n', v);
      req.mtu = n;
    } else if (a === 'netns') {
      const v = nextArg(c, argv, i);
      i++;
      if (req.netns) duparg(c, 'netns', v);
      const ns = lookupNetns(c, v);
      if (!ns) {
        // A number names a process's namespace (IFLA_NET_NS_PID).
        if (/^\d+$/.test(v)) {
          req.netnsPid = v;
          continue;
        }
        invarg(c, 'Invalid "netns" value\n', v);
      }
      req.netns = ns;
    } else if (Object.hasOwn(ON_OFF_FLAGS, a) || matches(a, 'dynamic')) {
      const name = Object.hasOwn(ON_OFF_FLAGS, a) ? a : 'dynamic';
      const on = onOff(name, nextArg(c, argv, i));
      i++;
      const bit = ON_OFF_FLAGS[name];
      // "arp on" clears NOARP, "trailers on" clears NOTRAILERS.
      const set = bit === IFF_NOARP || bit === IFF_NOTRAILERS ? !on : on;
      if (set) {
        req.flagSet |= bit;
        req.flagClear &= ~bit;
      } else {
        req.flagClear |= bit;
        req.flagSet &= ~bit;
      }
    } else if (a === 'carrier' || a === 'protodown') {
      onOff(a, nextArg(c, argv, i));
      unsupported(a);
    } else if (matches(a, 'master')) {
      const v = nextArg(c, argv, i);
      i++;
      const m = devGetByName(c.net, v);
      if (!m) invarg(c, 'Device does not exist\n', v);
      req.master = m;
    } else if (matches(a, 'nomaster')) {
      req.master = 'nomaster';
    } else if (matches(a, 'type')) {
      req.type = nextArg(c, argv, i);
      req.typeArgs = argv.slice(i + 2);
      return;
    } else if (matches(a, 'alias')) {
      req.alias = nextArg(c, argv, i);
      i++;
    } else if (matches(a, 'numtxqueues') || matches(a, 'numrxqueues')) {
      const key = matches(a, 'numtxqueues') ? 'numtxqueues' : 'numrxqueues';
      const v = nextArg(c, argv, i);
      if (parseInt0(v) === null) invarg(c, `Invalid "${key}" value\n`, v);
      unsupported(key);
    } else if (matches(a, 'addrgenmode') || matches(a, 'link-netns') || matches(a, 'link-netnsid')) {
      nextArg(c, argv, i);
      unsupported(a);
    } else if (
      [
        'group',
        'vf',
        'xdp',
        'xdpgeneric',
        'xdpdrv',
        'xdpoffload',
        'gso_max_size',
        'gso_max_segs',
        'gro_max_size',
        'mode',
        'state',
        'vrf',
        'parentdev',
      ].includes(a)
    ) {
      unsupported(a);
    } else {
      if (matches(a, 'help')) usageNotModelled(c, 'ip link help');
      let name = a;
      if (a === 'dev') {
        name = nextArg(c, argv, i);
        i++;
      }
      if (req.dev !== null) duparg2(c, 'dev', name);
      if (!validAltIfname(name)) invarg(c, '"dev" not a valid ifname', name);
      req.dev = name;
    }
  }
}

/** Kinds iproute2 has an option parser (a link_util) for, modelled or not. */
const LINK_KINDS_WITH_OPTIONS = new Set(['veth', 'bridge', 'vlan', 'macvlan', 'macvtap', 'vxlan']);

/** Kinds the recording kernel could create but skbwalk does not model. */
const UNMODELLED_LINK_TYPES = new Set(['vlan', 'macvlan', 'macvtap', 'vxlan', 'ifb']);

/** bridge_parse_opt's options, in the order it tries them (each by prefix, matches()). */
const BRIDGE_OPTS = [
  'forward_delay',
  'hello_time',
  'max_age',
  'ageing_time',
  'stp_state',
  'priority',
  'vlan_filtering',
  'vlan_protocol',
  'group_fwd_mask',
  'group_address',
  'fdb_flush',
  'vlan_default_pvid',
  'vlan_stats_enabled',
  'vlan_stats_per_port',
  'mcast_router',
  'mcast_snooping',
  'mcast_vlan_snooping',
  'mcast_query_use_ifaddr',
  'mcast_querier',
  'mcast_hash_elasticity',
  'mcast_hash_max',
  'mcast_last_member_count',
  'mcast_startup_query_count',
  'mcast_last_member_interval',
  'mcast_membership_interval',
  'mcast_querier_interval',
  'mcast_query_interval',
  'mcast_query_response_interval',
  'mcast_startup_query_interval',
  'mcast_stats_enabled',
  'mcast_igmp_version',
  'mcast_mld_version',
  'nf_call_iptables',
  'nf_call_ip6tables',
  'nf_call_arptables',
  'no_linklocal_learn',
];

/**
 * bridge_parse_opt: each option a bridge takes, with its value (fdb_flush
 * has none); false after iproute2's complaint about an unknown one. The
 * values are not applied: skbwalk's bridges keep the kernel's defaults.
 */
function parseBridgeOpts(c: IpCtx, args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const opt = BRIDGE_OPTS.find((o) => matches(a, o));
    if (!opt) {
      c.ctx.stderr(`bridge: unknown command "${a}"?`);
      return false;
    }
    if (opt !== 'fdb_flush') {
      nextArg(c, args, i);
      i++;
    }
  }
  return true;
}

/** The kernel's "veth%d" for a peer without a name: the first free one. */
function autoVethName(net: Net): string {
  for (let i = 0; ; i++) if (!devGetByName(net, `veth${i}`)) return `veth${i}`;
}

function ipLinkAdd(c: IpCtx, argv: string[]): number {
  const req = emptyReq();
  parseLinkArgs(c, argv, req);
  if (req.link !== null) {
    if (!devGetByName(c.net, req.link)) cannotFindDevice(c, req.link);
    c.ctx.stderr('skbwalk: "ip link add ... link DEV" is not supported by skbwalk');
    return 1;
  }
  if (req.type === null) {
    c.ctx.stderr('Not enough information: "type" argument is required');
    return 1;
  }
  const kind = req.type;
  // A kind iproute2 has no option parser for takes no options.
  if (!LINK_KINDS_WITH_OPTIONS.has(kind) && req.typeArgs.length) {
    c.ctx.stderr(`Garbage instead of arguments "${req.typeArgs[0]} ...". Try "ip link help".`);
    return 1;
  }
  if (req.alias !== null) {
    c.ctx.stderr('skbwalk: "ip link ... alias" is not supported by skbwalk');
    return 1;
  }
  const net = req.netns ?? c.net;
  if (kind === 'veth') {
    const peer = emptyReq();
    const targs = req.typeArgs;
    if (targs.length) {
      if (targs[0] !== 'peer') {
        c.ctx.stderr(`skbwalk: "ip link add ... type veth ${targs[0]}" is not supported by skbwalk`);
        return 1;
      }
      // `peer [name] NAME [options]`: the rest describes the peer.
      parseLinkArgs(c, targs.slice(1), peer);
      if (peer.type !== null) {
        c.ctx.stderr('skbwalk: "type" inside the veth peer options is not supported by skbwalk');
        return 1;
      }
    }
    const name = newDevName(c, req);
    if (name === null) {
      c.ctx.stderr('skbwalk: "ip link add" without a device name is not supported by skbwalk');
      return 1;
    }
    return addVeth(c, net, name, req, peer);
  }
  if (kind === 'bridge') {
    if (!parseBridgeOpts(c, req.typeArgs)) return 1;
    const name = newDevName(c, req);
    if (name === null) {
      c.ctx.stderr('skbwalk: "ip link add" without a device name is not supported by skbwalk');
      return 1;
    }
    if (name.length >= IFNAMSIZ) extackError(c, 'Attribute failed policy validation.');
    if (devGetByName(net, name)) rtnlError(c, EEXIST);
    if (!roomForDevices(c, 1)) return 1;
    const err = br_newlink(c.ctx.w, net, name);
    if (err) rtnlError(c, -err);
    const br = devGetByName(net, name)!;
    return configureNewLink(c, br, req, true);
  }
  if (UNMODELLED_LINK_TYPES.has(kind)) {
    c.ctx.stderr(`skbwalk: link type "${kind}" is not modelled (skbwalk has veth and bridge devices)`);
    return 2;
  }
  if (kind === 'tun' || kind === 'tap') extackError(c, 'tun/tap creation via rtnetlink is not supported.');
  // Everything else is a kind the recording kernel has no driver for.
  extackError(c, 'Unknown device type.');
}

function addVeth(c: IpCtx, net: Net, name: string, req: LinkReq, peerReq: LinkReq): number {
  const w = c.ctx.w;
  // The peer is made where the request came from unless it names its own namespace.
  const peerNet = peerReq.netns ?? c.net;
  let peerName = newDevName(c, peerReq);
  // Attribute policy first, then rtnl_newlink: an existing name fails at once.
  if (name.length >= IFNAMSIZ || (peerName !== null && peerName.length >= IFNAMSIZ))
    extackError(c, 'Attribute failed policy validation.');
  if (devGetByName(net, name)) rtnlError(c, EEXIST);
  if (peerName === null) {
    peerName = autoVethName(peerNet);
    if (peerNet === net && peerName === name) {
      // The peer took the name (and an ifindex) first; the device itself then cannot register.
      devNewIndex(peerNet);
      rtnlError(c, EEXIST);
    }
  }
  if (devGetByName(peerNet, peerName)) rtnlError(c, EEXIST);
  if (peerNet === net && peerName === name) {
    devNewIndex(peerNet);
    rtnlError(c, EEXIST);
  }
  if (peerReq.up) {
    // The peer is configured (and opened) before it has a partner: veth_open fails, everything is undone.
    devNewIndex(peerNet);
    rtnlError(c, ENOTCONN);
  }
  if (!roomForDevices(c, 2)) return 1;
  const err = veth_newlink(w, net, name, peerName, peerNet);
  if (err) rtnlError(c, -err);
  const dev = devGetByName(net, name)!;
  const peer = devGetByName(peerNet, peerName)!;
  const e1 = configureNewLink(c, peer, peerReq, false);
  if (e1) return e1;
  if (peerNet !== net) peernet2idAlloc(net, peerNet);
  return configureNewLink(c, dev, req, true);
}

/** Attributes given with `ip link add` that apply after registration. */
function configureNewLink(c: IpCtx, dev: NetDevice, req: LinkReq, main: boolean): number {
  if (req.address) setAddress(c, dev, req.address);
  if (req.mtu !== null) setMtu(c, dev, req.mtu);
  if (req.txqlen !== null) setTxQueueLen(c, dev, req.txqlen);
  applyFlagBits(c, dev, req);
  if (main && req.up) openDev(c, dev);
  if (req.master && req.master !== 'nomaster') setMaster(c, dev, req.master);
  return 0;
}

function applyFlagBits(c: IpCtx, dev: NetDevice, req: LinkReq): void {
  const err = dev_change_flags(c.ctx.w, dev, (dev.flags | req.flagSet) & ~req.flagClear);
  if (err) rtnlError(c, -err);
}

function setTxQueueLen(c: IpCtx, dev: NetDevice, len: number): void {
  const err = dev_change_tx_queue_len(dev, len);
  if (err) rtnlError(c, -err);
}

function openDev(c: IpCtx, dev: NetDevice): void {
  const err = dev_open(c.ctx.w, dev);
  if (err) rtnlError(c, -err);
}

function setMtu(c: IpCtx, dev: NetDevice, mtu: number): void {
  const min = dev.kind === 'loopback' ? 0 : dev.minMtu;
  if (mtu < min) extackError(c, 'mtu less than device minimum.');
  if (dev.kind !== 'loopback' && dev.maxMtu > 0 && mtu > dev.maxMtu) extackError(c, 'mtu greater than device maximum.');
  const err = dev_set_mtu(dev, mtu);
  if (err) rtnlError(c, -err);
}

function setAddress(c: IpCtx, dev: NetDevice, mac: Uint8Array): void {
  if (mac.length !== 6) rtnlError(c, EINVAL);
  // eth_prepare_mac_addr_change: multicast or all-zero addresses are refused.
  if (mac[0] & 1 || mac.every((b) => b === 0)) rtnlError(c, EADDRNOTAVAIL);
  const err = dev_set_mac_address(c.ctx.w, dev, mac);
  if (err) rtnlError(c, -err === EINVAL ? EADDRNOTAVAIL : -err);
}

function setMaster(c: IpCtx, dev: NetDevice, master: NetDevice): void {
  if (dev.master === master) return;
  if (!master.bridge) rtnlError(c, EOPNOTSUPP);
  // br_add_if's checks: no bridges in bridges, nothing that is not Ethernet (lo).
  if (dev.kind === 'bridge') extackError(c, 'Can not enslave a bridge to a bridge.');
  if (dev.kind === 'loopback') rtnlError(c, EINVAL);
  if (dev.master) {
    const e = br_del_if(c.ctx.w, dev.master, dev);
    if (e) rtnlError(c, -e);
  }
  const err = br_add_if(c.ctx.w, master, dev);
  if (err) rtnlError(c, -err);
}

/** Moves `dev` to `target` as `ip link set DEV netns NS` does, with the side effects userspace can see. */
export function moveToNetns(c: IpCtx, dev: NetDevice, target: Net): void {
  if (dev.net === target) return;
  if (dev.kind === 'loopback') extackError(c, 'The interface netns is immutable.');
  if (devGetByName(target, dev.name))
    extackError(c, 'A network device with the same name already exists in the target network namespace.');
  const old = dev.net;
  const err = dev_change_net_namespace(c.ctx.w, dev, target);
  if (err) rtnlError(c, -err);
  // The notifications sent on both sides allocate namespace ids.
  peernet2idAlloc(old, target);
  if (dev.kind === 'veth' && dev.peer && dev.peer.net !== target) peernet2idAlloc(target, dev.peer.net);
}

function renameDev(c: IpCtx, dev: NetDevice, newName: string): void {
  const err = dev_change_name(dev, newName);
  if (err) rtnlError(c, -err);
}

function ipLinkSet(c: IpCtx, argv: string[]): number {
  const req = emptyReq();
  parseLinkArgs(c, argv, req);
  if (req.dev === null) {
    c.ctx.stderr('Not enough information: "dev" argument is required.');
    exit(EXIT_MINUS_1);
  }
  const dev = devGetByName(c.net, req.dev);
  if (!dev) cannotFindDevice(c, req.dev);
  // `type bridge OPTIONS` on a bridge: taken as at creation.
  const bridgeOpts = req.type === 'bridge' && dev.kind === 'bridge';
  if ((req.type !== null && !bridgeOpts) || req.alias !== null) {
    c.ctx.stderr(`skbwalk: "ip link set ... ${req.type !== null ? 'type' : 'alias'}" is not supported by skbwalk`);
    return 1;
  }
  if (bridgeOpts && !parseBridgeOpts(c, req.typeArgs)) return 1;
  // do_setlink's order: namespace, address, mtu, name, flags, master, txqueuelen.
  if (req.netnsPid !== null) {
    if (dev.kind === 'loopback') extackError(c, 'The interface netns is immutable.');
    c.ctx.stderr(`skbwalk: "netns ${req.netnsPid}" (a process's namespace) is not supported by skbwalk; use a namespace name`);
    return 1;
  }
  if (req.netns) moveToNetns(c, dev, req.netns);
  if (req.address) setAddress(c, dev, req.address);
  if (req.mtu !== null) setMtu(c, dev, req.mtu);
  if (req.name !== null) renameDev(c, dev, req.name);
  applyFlagBits(c, dev, req);
  if (req.up === true) openDev(c, dev);
  else if (req.up === false) {
    const err = dev_close(c.ctx.w, dev);
    if (err) rtnlError(c, -err);
  }
  if (req.master === 'nomaster') {
    if (dev.master) {
      const e = br_del_if(c.ctx.w, dev.master, dev);
      if (e) rtnlError(c, -e);
    }
  } else if (req.master) setMaster(c, dev, req.master);
  if (req.txqlen !== null) setTxQueueLen(c, dev, req.txqlen);
  return 0;
}

function ipLinkDel(c: IpCtx, argv: string[]): number {
  let name: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === 'type') {
      i++;
      nextArg(c, argv, i - 1);
      continue;
    }
    if (a === 'dev') {
      a = nextArg(c, argv, i);
      i++;
    }
    if (name !== null) duparg2(c, 'dev', a);
    name = a;
  }
  if (name === null) {
    c.ctx.stderr('Not enough information: "dev" argument is required.');
    exit(EXIT_MINUS_1);
  }
  const dev = devGetByName(c.net, name);
  if (!dev) cannotFindDevice(c, name);
  const err = rtnl_dellink(c.ctx.w, dev);
  if (err) rtnlError(c, -err);
  return 0;
}

export function ipLink(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) return ipLinkShow(c, []);
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (matches(cmd, 'add')) return ipLinkAdd(c, rest);
  if (matches(cmd, 'set') || matches(cmd, 'change')) return ipLinkSet(c, rest);
  if (matches(cmd, 'replace')) {
    c.ctx.stderr('skbwalk: "ip link replace" is not supported by skbwalk');
    return 1;
  }
  if (matches(cmd, 'delete')) return ipLinkDel(c, rest);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return ipLinkShow(c, rest);
  if (matches(cmd, 'help')) usageNotModelled(c, 'ip link help');
  c.ctx.stderr(`Command "${cmd}" is unknown, try "ip link help".`);
  return EXIT_MINUS_1;
}
