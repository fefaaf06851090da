// procps `sysctl` and writes to /proc/sys (`echo V > /proc/sys/...`): the
// part of /proc/sys/net a network namespace shows, with the kernel's
// proc handlers (value parsing and ranges) and side effects (forwarding
// propagation, conf/default copied to devices that never set a key).
//
// Scenarios run in non-initial network namespaces, where net.core's
// netdev_max_backlog, dev_weight, netdev_budget and netdev_budget_usecs do not
// exist (they are init_net-only): reading or writing them fails with ENOENT,
// as on the real machine. coreSysctlsVisible() is the one switch for that.
import type { ToolContext, ToolMain } from './tool.ts';
import type { Net } from '../include/net.ts';
import type { NetDevice } from '../include/netdevice.ts';
import type { Ipv4DevConf, NeighParms } from '../include/sysctl.ts';
import type { Ipv4DevconfState } from '../include/sysctl.ts';
import { IPV4_DEVCONF_ALL_KEYS, IPV4_DEVCONF_KEYS } from '../include/sysctl.ts';
import { EACCES, EINVAL, ENOENT, strerror } from '../include/errno.ts';
import type { World } from '../kernel/world.ts';
import { neighRandReachTime } from '../net/core/register.ts';

const EISDIR = 21;

// ---- the confs' state, kept by the kernel (devinet.c) ------------------------------

const CONF_KEYS = IPV4_DEVCONF_ALL_KEYS;
const MODELLED = new Set<string>(IPV4_DEVCONF_KEYS as readonly string[]);

function book(net: Net): Ipv4DevconfState {
  return net.ipv4.devconfState;
}

function devKey(dev: NetDevice): string {
  return String(dev.uid);
}

function isSet(dev: NetDevice, key: string): boolean {
  return book(dev.net).devSet[devKey(dev)].includes(key);
}

function markSet(dev: NetDevice, key: string): void {
  const s = book(dev.net).devSet[devKey(dev)];
  if (!s.includes(key)) s.push(key);
}

/** Is net.core.{netdev_max_backlog,dev_weight,netdev_budget,netdev_budget_usecs} visible? Not outside init_net. */
export function coreSysctlsVisible(_w: World, _net: Net): boolean {
  return false;
}

// ---- value parsing (the kernel's proc handlers) ---------------------------------

/**
 * proc_dointvec's parser for one value: leading blanks, an optional '-', a
 * number in base 0 (0x hex, 0 octal), then a blank or the end. Returns null
 * for EINVAL. Later values in the buffer are ignored for a one-int entry.
 */
export function parseProcInt(text: string, unsigned = false): number | null {
  const m = /^[ \t\n\r\f\v]*(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([ \t\n\r\f\v]|$)/.exec(text);
  if (!m) return null;
  const neg = m[1] === '-';
  if (neg && unsigned) return null;
  const body = m[2];
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body, 8);
  else v = body.length > 15 ? Infinity : parseInt(body, 10);
  if (unsigned) return v > 0xffffffff ? null : v;
  if (neg) return v > 2147483648 ? null : -v;
  return v > 2147483647 ? null : v;
}

function minmax(v: number | null, lo: number, hi: number): number | null {
  return v === null || v < lo || v > hi ? null : v;
}

/** proc_dointvec_minmax: an integer within [lo, hi] is stored, anything else is EINVAL. */
function inRange(text: string, lo: number, hi: number, set: (v: number) => void): number {
  const v = minmax(parseProcInt(text), lo, hi);
  if (v === null) return EINVAL;
  set(v);
  return 0;
}

// ---- the tree ---------------------------------------------------------------------

interface FileNode {
  kind: 'file';
  read(): string;
  /** 0 or an errno. */
  write(text: string): number;
}

interface DirNode {
  kind: 'dir';
  children(): string[];
  child(name: string): Node | null;
}

type Node = FileNode | DirNode;

function dir(entries: () => [string, () => Node][]): DirNode {
  return {
    kind: 'dir',
    children: () => entries().map(([n]) => n),
    child: (name) => {
      const e = entries().find(([n]) => n === name);
      return e ? e[1]() : null;
    },
  };
}

function intFile(get: () => number, set: (text: string) => number): FileNode {
  return { kind: 'file', read: () => String(get()), write: set };
}

/** inet_forward_change: all.forwarding (alias ip_forward) was changed. */
function inetForwardChange(net: Net): void {
  const on = net.ipv4.devconfAll.forwarding;
  net.ipv4.sysctl.ip_forward = on;
  net.ipv4.devconfAll.accept_redirects = on ? 0 : 1;
  net.ipv4.devconfDflt.forwarding = on;
  for (const dev of net.devices) {
    dev.inDev.conf.forwarding = on;
    markSet(dev, 'forwarding');
  }
}

function writeAllForwarding(net: Net, text: string): number {
  const v = parseProcInt(text);
  if (v === null) return EINVAL;
  if (v !== net.ipv4.devconfAll.forwarding) {
    net.ipv4.devconfAll.forwarding = v;
    inetForwardChange(net);
  }
  return 0;
}

type ConfWho = { kind: 'all' } | { kind: 'default' } | { kind: 'dev'; dev: NetDevice };

function confGet(net: Net, who: ConfWho, key: string): number {
  if (MODELLED.has(key)) {
    const conf = who.kind === 'all' ? net.ipv4.devconfAll : who.kind === 'default' ? net.ipv4.devconfDflt : who.dev.inDev.conf;
    return conf[key as keyof Ipv4DevConf];
  }
  const b = book(net);
  if (who.kind === 'dev') return b.extra[devKey(who.dev)][key];
  return b.extra[who.kind][key];
}

function confPut(net: Net, who: ConfWho, key: string, v: number): void {
  if (MODELLED.has(key)) {
    const conf = who.kind === 'all' ? net.ipv4.devconfAll : who.kind === 'default' ? net.ipv4.devconfDflt : who.dev.inDev.conf;
    conf[key as keyof Ipv4DevConf] = v;
    return;
  }
  const b = book(net);
  if (who.kind === 'dev') b.extra[devKey(who.dev)][key] = v;
  else b.extra[who.kind][key] = v;
}

function confWrite(net: Net, who: ConfWho, key: string, text: string): number {
  if (key === 'mc_forwarding') return EACCES;
  const v = parseProcInt(text);
  if (v === null) return EINVAL;
  if (key === 'forwarding') {
    // devinet_sysctl_forward: only "all" propagates, and only on a change.
    if (who.kind === 'all') return writeAllForwarding(net, text);
    confPut(net, who, key, v);
    return 0;
  }
  // devinet_conf_proc: the key is now set on this conf; a default write reaches devices that never set it.
  confPut(net, who, key, v);
  if (who.kind === 'dev') markSet(who.dev, key);
  if (who.kind === 'default') {
    const b = book(net);
    if (!b.dfltSet.includes(key)) b.dfltSet.push(key);
    for (const dev of net.devices) if (!isSet(dev, key)) confPut(net, { kind: 'dev', dev }, key, v);
  }
  return 0;
}

function confDir(net: Net, who: ConfWho): DirNode {
  return dir(() =>
    CONF_KEYS.map(
      (k) =>
        [
          k,
          () =>
            intFile(
              () => confGet(net, who, k),
              (t) => confWrite(net, who, k, t),
            ),
        ] as [string, () => Node],
    ),
  );
}

// ---- net.ipv4.neigh.DEV (the device's ARP parameters) ------------------------------

/** The kernel's HZ on the recording machine: jiffies are 4 ms. */
const JIFFY_NS = 4_000_000;
const HZ = 250;
const USER_HZ = 100;
/** SKB_TRUESIZE(ETH_FRAME_LEN): unres_qlen counts packets of this size. */
const UNRES_TRUESIZE = 2090;

/** A device's ARP parameters (in_dev->arp_parms). */
export function devArpParms(dev: NetDevice): NeighParms {
  return dev.neighParms;
}

type NeighNsKey = 'baseReachableTime' | 'retransTime' | 'delayProbeTime' | 'gcStaleTime' | 'locktime';
type NeighCountKey = 'ucastProbes' | 'appProbes' | 'mcastProbes' | 'mcastReprobes' | 'queueLenBytes';

function neighExtra(dev: NetDevice): Record<string, number> {
  const b = book(dev.net);
  const k = `neigh:${devKey(dev)}`;
  if (!b.extra[k]) b.extra[k] = { anycast_delay: 250, proxy_delay: 200, proxy_qlen: 64, interval_probe_time: 1250 };
  return b.extra[k];
}

/** Keys procps leaves out of a directory listing (it prints them only when asked by name). */
const DEPRECATED = new Set(['base_reachable_time', 'retrans_time']);

function neighDir(w: World, dev: NetDevice): DirNode {
  const p = () => devArpParms(dev);
  const jGet = (k: NeighNsKey) => Math.round(p()[k] / JIFFY_NS);
  const jPut = (k: NeighNsKey, j: number) => {
    p()[k] = j * JIFFY_NS;
  };
  const intOk = (v: number | null): v is number => v !== null;
  // Seconds (proc_dointvec_jiffies).
  const secs = (k: NeighNsKey): FileNode =>
    intFile(
      () => Math.trunc(jGet(k) / HZ),
      (t) => {
        const v = parseProcInt(t);
        if (!intOk(v) || Math.abs(v) > Math.floor(2147483647 / HZ)) return EINVAL;
        jPut(k, v * HZ);
        return 0;
      },
    );
  // Milliseconds (proc_dointvec_ms_jiffies): no negative values.
  const msecs = (get: () => number, put: (j: number) => void, min = 0): FileNode =>
    intFile(
      () => get() * (1000 / HZ),
      (t) => {
        const v = parseProcInt(t);
        if (!intOk(v) || v < min) return EINVAL;
        put(Math.ceil(v / (1000 / HZ)));
        return 0;
      },
    );
  // USER_HZ ticks (proc_dointvec_userhz_jiffies).
  const ticks = (get: () => number, put: (j: number) => void): FileNode =>
    intFile(
      () => Math.trunc((get() * USER_HZ) / HZ),
      (t) => {
        const v = parseProcInt(t);
        if (!intOk(v)) return EINVAL;
        put(Math.trunc((v * HZ) / USER_HZ));
        return 0;
      },
    );
  const count = (k: NeighCountKey): FileNode =>
    intFile(
      () => p()[k],
      (t) => {
        const v = parseProcInt(t);
        if (!intOk(v) || v < 0) return EINVAL;
        p()[k] = v;
        return 0;
      },
    );
  // neigh_proc_base_reachable_time: a new base draws a new reachable_time at once.
  const withNewReachableTime = (f: FileNode): FileNode => ({
    kind: 'file',
    read: f.read,
    write: (t) => {
      const err = f.write(t);
      if (!err) p().reachableTime = neighRandReachTime(w, p().baseReachableTime);
      return err;
    },
  });
  const extra = (k: string) => ({ get: () => neighExtra(dev)[k], put: (v: number) => (neighExtra(dev)[k] = v) });
  const entries: [string, () => Node][] = [
    ['anycast_delay', () => ticks(extra('anycast_delay').get, extra('anycast_delay').put)],
    ['app_solicit', () => count('appProbes')],
    ['base_reachable_time', () => withNewReachableTime(secs('baseReachableTime'))],
    [
      'base_reachable_time_ms',
      () =>
        withNewReachableTime(
          msecs(
            () => jGet('baseReachableTime'),
            (j) => jPut('baseReachableTime', j),
          ),
        ),
    ],
    ['delay_first_probe_time', () => secs('delayProbeTime')],
    ['gc_stale_time', () => secs('gcStaleTime')],
    ['interval_probe_time_ms', () => msecs(extra('interval_probe_time').get, extra('interval_probe_time').put, 1)],
    [
      'locktime',
      () =>
        ticks(
          () => jGet('locktime'),
          (j) => jPut('locktime', j),
        ),
    ],
    ['mcast_resolicit', () => count('mcastReprobes')],
    ['mcast_solicit', () => count('mcastProbes')],
    ['proxy_delay', () => ticks(extra('proxy_delay').get, extra('proxy_delay').put)],
    [
      'proxy_qlen',
      () =>
        intFile(extra('proxy_qlen').get, (t) => {
          const v = parseProcInt(t);
          if (!intOk(v) || v < 0) return EINVAL;
          extra('proxy_qlen').put(v);
          return 0;
        }),
    ],
    [
      'retrans_time',
      () =>
        ticks(
          () => jGet('retransTime'),
          (j) => jPut('retransTime', j),
        ),
    ],
    [
      'retrans_time_ms',
      () =>
        msecs(
          () => jGet('retransTime'),
          (j) => jPut('retransTime', j),
        ),
    ],
    ['ucast_solicit', () => count('ucastProbes')],
    [
      'unres_qlen',
      () =>
        intFile(
          () => Math.floor(p().queueLenBytes / UNRES_TRUESIZE),
          (t) => {
            const v = parseProcInt(t);
            if (!intOk(v) || v < 0 || v > Math.floor(2147483647 / UNRES_TRUESIZE)) return EINVAL;
            p().queueLenBytes = v * UNRES_TRUESIZE;
            return 0;
          },
        ),
    ],
    ['unres_qlen_bytes', () => count('queueLenBytes')],
  ];
  return dir(() => entries);
}

function ipv4Dir(w: World, net: Net): DirNode {
  const s = net.ipv4.sysctl;
  const entries = (): [string, () => Node][] => [
    [
      'conf',
      () =>
        dir(() => {
          const list: [string, () => Node][] = [
            ['all', () => confDir(net, { kind: 'all' })],
            ['default', () => confDir(net, { kind: 'default' })],
          ];
          for (const dev of net.devices) list.push([dev.name, () => confDir(net, { kind: 'dev', dev })]);
          return list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        }),
    ],
    [
      'icmp_echo_ignore_all',
      () =>
        intFile(
          () => s.icmp_echo_ignore_all,
          (t) => setU8(t, (v) => (s.icmp_echo_ignore_all = v)),
        ),
    ],
    [
      'icmp_echo_ignore_broadcasts',
      () =>
        intFile(
          () => s.icmp_echo_ignore_broadcasts,
          (t) => setU8(t, (v) => (s.icmp_echo_ignore_broadcasts = v)),
        ),
    ],
    [
      'icmp_errors_use_inbound_ifaddr',
      () =>
        intFile(
          () => s.icmp_errors_use_inbound_ifaddr,
          (t) => setU8(t, (v) => (s.icmp_errors_use_inbound_ifaddr = v)),
        ),
    ],
    [
      'icmp_ratelimit',
      () =>
        intFile(
          () => s.icmp_ratelimit,
          (t) => setInt(t, (v) => (s.icmp_ratelimit = v)),
        ),
    ],
    [
      'icmp_ratemask',
      () =>
        intFile(
          () => s.icmp_ratemask,
          (t) => setInt(t, (v) => (s.icmp_ratemask = v)),
        ),
    ],
    [
      'ip_default_ttl',
      () =>
        intFile(
          () => s.ip_default_ttl,
          (t) => inRange(t, 1, 255, (v) => (s.ip_default_ttl = v)),
        ),
    ],
    // ip_forward is conf/all/forwarding under another name.
    [
      'ip_forward',
      () =>
        intFile(
          () => net.ipv4.devconfAll.forwarding,
          (t) => writeAllForwarding(net, t),
        ),
    ],
    // Outside init_net there is no neigh/default: only the devices.
    [
      'neigh',
      () =>
        dir(() =>
          net.devices
            .map((dev) => [dev.name, () => neighDir(w, dev)] as [string, () => Node])
            .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
        ),
    ],
    [
      'ping_group_range',
      () => ({ kind: 'file', read: () => s.ping_group_range, write: (t: string) => writePingGroupRange(net, t) }),
    ],
  ];
  return dir(() => entries().sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

function setU8(text: string, put: (v: number) => void): number {
  const v = minmax(parseProcInt(text, true), 0, 1);
  if (v === null) return EINVAL;
  put(v);
  return 0;
}

function setInt(text: string, put: (v: number) => void): number {
  const v = parseProcInt(text);
  if (v === null) return EINVAL;
  put(v);
  return 0;
}

/** ipv4_ping_group_range: two gids, the first not above the second. */
function writePingGroupRange(net: Net, text: string): number {
  const m = /^[ \t\n]*(\d+)[ \t\n]+(\d+)[ \t\n]*$/.exec(text);
  if (!m) return EINVAL;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  if (lo > 4294967294 || hi > 4294967294) return EINVAL;
  net.ipv4.sysctl.ping_group_range = `${lo}\t${hi}`;
  return 0;
}

function coreDir(w: World): DirNode {
  const c = w.core;
  const positive = (t: string, put: (v: number) => void) => {
    const v = parseProcInt(t);
    if (v === null) return EINVAL;
    put(v);
    return 0;
  };
  return dir(() => [
    [
      'dev_weight',
      () =>
        intFile(
          () => c.dev_weight,
          (t) => positive(t, (v) => (c.dev_weight = v)),
        ),
    ],
    [
      'netdev_budget',
      () =>
        intFile(
          () => c.netdev_budget,
          (t) => positive(t, (v) => (c.netdev_budget = v)),
        ),
    ],
    [
      'netdev_budget_usecs',
      () =>
        intFile(
          () => c.netdev_budget_usecs,
          (t) => inRange(t, 0, 2147483647, (v) => (c.netdev_budget_usecs = v)),
        ),
    ],
    [
      'netdev_max_backlog',
      () =>
        intFile(
          () => c.netdev_max_backlog,
          (t) => positive(t, (v) => (c.netdev_max_backlog = v)),
        ),
    ],
  ]);
}

/** /proc/sys as the namespace `net` sees it (only the net/ipv4 part is modelled). */
function procSysRoot(w: World, net: Net): DirNode {
  return dir(() => [
    [
      'net',
      () =>
        dir(() => {
          const l: [string, () => Node][] = [];
          if (coreSysctlsVisible(w, net)) l.push(['core', () => coreDir(w)]);
          l.push(['ipv4', () => ipv4Dir(w, net)]);
          return l;
        }),
    ],
  ]);
}

/** Components of a path below /proc/sys, or null when it is not under /proc/sys. */
function lookup(w: World, net: Net, parts: string[]): Node | null {
  let node: Node = procSysRoot(w, net);
  for (const p of parts) {
    if (node.kind !== 'dir') return null;
    const next: Node | null = node.child(p);
    if (!next) return null;
    node = next;
  }
  return node;
}

/** Reads /proc/sys/... for `cat`-like use: the file's text without its newline, or an errno. */
export function procSysRead(ctx: ToolContext, path: string): { ok: true; value: string } | { ok: false; errno: number } {
  const parts = procSysParts(path);
  if (!parts) return { ok: false, errno: ENOENT };
  const node = lookup(ctx.w, ctx.net, parts);
  if (!node) return { ok: false, errno: ENOENT };
  if (node.kind === 'dir') return { ok: false, errno: EISDIR };
  return { ok: true, value: node.read() };
}

function procSysParts(path: string): string[] | null {
  const comps = path.split('/').filter((x) => x !== '' && x !== '.');
  if (!path.startsWith('/') || comps[0] !== 'proc' || comps[1] !== 'sys') return null;
  return comps.slice(2);
}

/** echo's own options at the front of its arguments (-n, -e, -E and combinations). */
function stripEchoOptions(value: string): { text: string; newline: boolean } {
  const words = value.split(' ');
  let newline = true;
  let i = 0;
  while (i < words.length && /^-[neE]+$/.test(words[i])) {
    if (words[i].includes('n')) newline = false;
    i++;
  }
  return { text: words.slice(i).join(' '), newline };
}

/**
 * `echo VALUE > PATH` (or >>) run by the script's bash at line `lineNo`.
 * `value` is echo's arguments joined by spaces. Returns the exit status.
 */
export function procSysWrite(ctx: ToolContext, path: string, value: string, lineNo: number): number {
  const where = `bash: line ${lineNo}: `;
  if (path === '/dev/null') return 0;
  const parts = procSysParts(path);
  if (!parts) {
    ctx.stderr(`skbwalk: line ${lineNo}: writing to ${path} is not supported (only /proc/sys/... files)`);
    return 1;
  }
  const node = lookup(ctx.w, ctx.net, parts);
  if (!node) {
    ctx.stderr(`${where}${path}: ${strerror(ENOENT)}`);
    return 1;
  }
  if (node.kind === 'dir') {
    ctx.stderr(`${where}${path}: Is a directory`);
    return 1;
  }
  if (path.endsWith('/')) {
    ctx.stderr(`${where}${path}: Not a directory`);
    return 1;
  }
  const { text, newline } = stripEchoOptions(value);
  const err = node.write(text + (newline ? '\n' : ''));
  if (err === EACCES) {
    ctx.stderr(`${where}${path}: Permission denied`);
    return 1;
  }
  if (err) {
    ctx.stderr(`${where}echo: write error: ${strerror(err)}`);
    return 1;
  }
  return 0;
}

// ---- the sysctl program (procps-ng 4.0) ------------------------------------------

/** procps's slashdot(): the first separator decides; otherwise '.' and '/' swap. */
function slashdot(name: string, old: string, neu: string): { text: string; repeated: string | null } {
  const first = name.search(/[./]/);
  if (first < 0 || name[first] === neu) return { text: name, repeated: null };
  let repeated: string | null = null;
  const chars = name.split('');
  for (let i = first; i < chars.length; i++) {
    const ch = name[i];
    if (ch !== '.' && ch !== '/') continue;
    const nx = name[i + 1];
    if ((nx === '.' || nx === '/') && repeated === null) repeated = name.slice(i);
    if (ch === old) chars[i] = neu;
    else if (ch === neu) chars[i] = old;
  }
  return { text: chars.join(''), repeated };
}

const SYSCTL_USAGE = [
  '',
  'Usage:',
  ' sysctl [options] [variable[=value] ...]',
  '',
  'Options:',
  '  -a, --all            display all variables',
  '  -A                   alias of -a',
  '  -X                   alias of -a',
  '      --deprecated     include deprecated parameters to listing',
  '      --dry-run        Print the key and values but do not write',
  '  -b, --binary         print value without new line',
  '  -e, --ignore         ignore unknown variables errors',
  '  -N, --names          print variable names without values',
  '  -n, --values         print only values of the given variable(s)',
  '  -p, --load[=<file>]  read values from file',
  '  -f                   alias of -p',
  '      --system         read values from all system directories',
  '  -r, --pattern <expression>',
  '                       select setting that match expression',
  '  -q, --quiet          do not echo variable set',
  '  -w, --write          enable writing a value to variable',
  '  -o                   does nothing',
  '  -x                   does nothing',
  '  -d                   alias of -h',
  '',
  ' -h, --help     display this help and exit',
  ' -V, --version  output version information and exit',
  '',
  'For more details see sysctl(8).',
];

interface SysctlOpts {
  write: boolean;
  quiet: boolean;
  valuesOnly: boolean;
  namesOnly: boolean;
  ignore: boolean;
  dryRun: boolean;
}

export const sysctl_main: ToolMain = (ctx, argv) => {
  const o: SysctlOpts = { write: false, quiet: false, valuesOnly: false, namesOnly: false, ignore: false, dryRun: false };
  const args: string[] = [];
  let onlyArgs = false;
  const longOpts: Record<
    string,
    keyof SysctlOpts | 'all' | 'help' | 'version' | 'load' | 'system' | 'binary' | 'deprecated' | 'pattern'
  > = {
    '--write': 'write',
    '--quiet': 'quiet',
    '--values': 'valuesOnly',
    '--names': 'namesOnly',
    '--ignore': 'ignore',
    '--dry-run': 'dryRun',
    '--all': 'all',
    '--help': 'help',
    '--version': 'version',
    '--load': 'load',
    '--system': 'system',
    '--binary': 'binary',
    '--deprecated': 'deprecated',
    '--pattern': 'pattern',
  };
  const unsupported = (what: string) => {
    ctx.stderr(`skbwalk: sysctl ${what} is not supported by skbwalk (name the keys to read or write)`);
    return 1;
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (onlyArgs || !a.startsWith('-') || a === '-') {
      args.push(a);
      continue;
    }
    if (a === '--') {
      onlyArgs = true;
      continue;
    }
    if (a.startsWith('--')) {
      const name = a.split('=')[0];
      const hits = Object.keys(longOpts).filter((k) => k.startsWith(name));
      const exact = Object.hasOwn(longOpts, name) ? longOpts[name] : undefined;
      const opt = exact ?? (hits.length === 1 ? longOpts[hits[0]] : undefined);
      if (!opt) {
        ctx.stderr(hits.length > 1 ? `sysctl: option '${a}' is ambiguous` : `sysctl: unrecognized option '${a}'`);
        for (const l of SYSCTL_USAGE) ctx.stdout(l);
        return 0;
      }
      if (opt === 'all' || opt === 'load' || opt === 'system' || opt === 'pattern' || opt === 'binary' || opt === 'deprecated')
        return unsupported(a);
      if (opt === 'help') {
        for (const l of SYSCTL_USAGE) ctx.stdout(l);
        return 0;
      }
      if (opt === 'version') {
        ctx.stdout('sysctl from procps-ng 4.0.2');
        return 0;
      }
      o[opt] = true;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const ch = a[j];
      switch (ch) {
        case 'w':
          o.write = true;
          break;
        case 'q':
          o.quiet = true;
          break;
        case 'n':
          o.valuesOnly = true;
          break;
        case 'N':
          o.namesOnly = true;
          break;
        case 'e':
          o.ignore = true;
          break;
        case 'o':
        case 'x':
          break;
        case 'a':
        case 'A':
        case 'X':
          return unsupported(`-${ch}`);
        case 'p':
        case 'f':
        case 'r':
        case 'b':
          return unsupported(`-${ch}`);
        case 'h':
        case 'd':
          for (const l of SYSCTL_USAGE) ctx.stdout(l);
          return 0;
        case 'V':
          ctx.stdout('sysctl from procps-ng 4.0.2');
          return 0;
        default:
          ctx.stderr(`sysctl: invalid option -- '${ch}'`);
          for (const l of SYSCTL_USAGE) ctx.stdout(l);
          return 0;
      }
    }
  }
  if (args.length === 0) {
    if (argv.length === 1) {
      for (const l of SYSCTL_USAGE) ctx.stderr(l);
      return 1;
    }
    ctx.stderr('sysctl: no variables specified');
    ctx.stderr("Try `sysctl --help' for more information.");
    return 1;
  }
  let status = 0;
  for (const a of args) {
    if (o.write || a.includes('=')) status |= writeSetting(ctx, o, a);
    else status += readSetting(ctx, o, a);
  }
  return status;
};

function resolveKey(ctx: ToolContext, name: string): { node: Node | null; path: string; display: string } {
  const sd = slashdot(name, '.', '/');
  if (sd.repeated !== null) ctx.stderr(`sysctl: separators should not be repeated: ${sd.repeated}`);
  const path = '/proc/sys/' + sd.text;
  const display = slashdot(name, '/', '.').text;
  const parts = sd.text.split('/').filter((p) => p !== '');
  const node = lookup(ctx.w, ctx.net, parts);
  return { node, path, display };
}

function readSetting(ctx: ToolContext, o: SysctlOpts, name: string): number {
  const { node, path, display } = resolveKey(ctx, name);
  if (!node) {
    if (o.ignore) return 0;
    ctx.stderr(`sysctl: cannot stat ${path}: ${strerror(ENOENT)}`);
    return 1;
  }
  if (node.kind === 'dir') {
    // Only net.ipv4.conf.X is listed whole: elsewhere skbwalk does not model every key.
    const ok = /^net[./]ipv4[./](conf|neigh)[./][^./]+[./]?$/.test(name);
    if (!ok) {
      ctx.stderr(`skbwalk: sysctl can list only net.ipv4.conf.DEV and net.ipv4.neigh.DEV as directories; name the keys to read`);
      return 1;
    }
    const base = display.replace(/\.$/, '');
    for (const child of node.children()) {
      if (DEPRECATED.has(child)) continue;
      const n = node.child(child);
      if (n && n.kind === 'file') printValue(ctx, o, `${base}.${child}`, n.read());
    }
    return 0;
  }
  printValue(ctx, o, display, node.read());
  return 0;
}

function printValue(ctx: ToolContext, o: SysctlOpts, display: string, value: string): void {
  if (o.namesOnly) ctx.stdout(display);
  else if (o.valuesOnly) ctx.stdout(value);
  else ctx.stdout(`${display} = ${value}`);
}

function writeSetting(ctx: ToolContext, o: SysctlOpts, setting: string): number {
  // procps parses a command-line setting like a line of sysctl.conf: blanks,
  // comments and one-character lines are skipped (but still fail).
  const t = setting.replace(/^[ \t]+/, '');
  if (t.length < 2 || t[0] === '#' || t[0] === ';') return 1;
  const eq = t.indexOf('=');
  if (eq < 0) {
    ctx.stderr('sysctl: command line(0): invalid syntax, continuing...');
    return 1;
  }
  const name = t.slice(0, eq).trim();
  const value = t.slice(eq + 1).trim();
  if (name === '') {
    ctx.stderr('sysctl: Path is not under /proc/sys/: /proc/sys/');
    return 1;
  }
  const { node, path, display } = resolveKey(ctx, name);
  if (!node) {
    if (o.ignore) return 0;
    ctx.stderr(`sysctl: cannot stat ${path}: ${strerror(ENOENT)}`);
    return 1;
  }
  if (node.kind === 'dir') {
    // procps reports the directory as EINVAL and (oddly) still exits 0.
    ctx.stderr(`sysctl: setting key "${display}": ${strerror(EINVAL)}`);
    return 0;
  }
  if (!o.dryRun) {
    const err = node.write(value + '\n');
    if (err) {
      ctx.stderr(`sysctl: setting key "${display}": ${strerror(err === EACCES ? EINVAL : err)}`);
      return 1;
    }
  }
  if (!o.quiet) {
    if (o.namesOnly || o.valuesOnly) ctx.stdout(value);
    else ctx.stdout(`${display} = ${value}`);
  }
  return 0;
}
