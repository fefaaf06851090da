// net-tools `ifconfig` (2.10): listing interfaces in its long and short (-s)
// formats, and the classic ioctl-style settings (address, netmask,
// broadcast, mtu, hw ether, up/down, flags).
import type { ToolContext, ToolMain } from './tool.ts';
import type { World } from '../kernel/world.ts';
import type { InIfaddr, NetDevice } from '../include/netdevice.ts';
import {
  devGetFlags,
  IFF_ALLMULTI,
  IFF_AUTOMEDIA,
  IFF_BROADCAST,
  IFF_DEBUG,
  IFF_DYNAMIC,
  IFF_LOOPBACK,
  IFF_MASTER,
  IFF_NOTRAILERS,
  IFF_PORTSEL,
  IFF_SLAVE,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_POINTOPOINT,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_UP,
} from '../include/netdevice.ts';
import { EADDRNOTAVAIL, EINVAL, ENODEV, strerror } from '../include/errno.ts';
import { devGetByName } from '../net/core/register.ts';
import { dev_close, dev_open, dev_set_mac_address, dev_set_mtu } from '../net/core/rtnetlink.ts';
import { dev_change_flags, dev_change_tx_queue_len } from '../net/core/dev.ts';
import { inet_rtm_deladdr, inet_rtm_newaddr } from '../net/ipv4/devinet.ts';
import { ipStr, isLbcast, isMulticast, isZeronet, macStr, parseIp, parseMac, prefixMask } from '../net/ipv4/addr.ts';

/** Long-format flag names, in ifconfig's order. */
const LONG_FLAGS: [number, string][] = [
  [IFF_UP, 'UP'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_DEBUG, 'DEBUG'],
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_RUNNING, 'RUNNING'],
  [IFF_NOARP, 'NOARP'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_MASTER, 'MASTER'],
  [IFF_SLAVE, 'SLAVE'],
  [IFF_MULTICAST, 'MULTICAST'],
  [IFF_PORTSEL, 'PORTSEL'],
  [IFF_AUTOMEDIA, 'AUTOMEDIA'],
  [IFF_DYNAMIC, 'DYNAMIC'],
];

/** Short-format (-s) flag letters, in ifconfig's order. */
const SHORT_FLAGS: [number, string][] = [
  [IFF_ALLMULTI, 'A'],
  [IFF_BROADCAST, 'B'],
  [IFF_DEBUG, 'D'],
  [IFF_LOOPBACK, 'L'],
  [IFF_MULTICAST, 'M'],
  [IFF_DYNAMIC, 'd'],
  [IFF_PROMISC, 'P'],
  [IFF_NOTRAILERS, 'N'],
  [IFF_NOARP, 'O'],
  [IFF_POINTOPOINT, 'P'],
  [IFF_SLAVE, 's'],
  [IFF_MASTER, 'm'],
  [IFF_RUNNING, 'R'],
  [IFF_UP, 'U'],
];

/** SIOCGIFFLAGS: dev_get_flags() truncated to a short. */
function ifFlags(dev: NetDevice): number {
  return devGetFlags(dev) & 0xffff;
}

/** net-tools' nstrcmp: like strcmp, but runs of digits compare as numbers. */
export function nstrcmp(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return 0;
  const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
  // Back up to the start of a number both strings are in.
  let s = i;
  while (s > 0 && isDigit(a[s - 1])) s--;
  if (isDigit(a[s]) && isDigit(b[s])) {
    let ea = s;
    while (isDigit(a[ea])) ea++;
    let eb = s;
    while (isDigit(b[eb])) eb++;
    const na = BigInt(a.slice(s, ea));
    const nb = BigInt(b.slice(s, eb));
    if (na !== nb) return na < nb ? -1 : 1;
  }
  const ca = i < a.length ? a.charCodeAt(i) : -1;
  const cb = i < b.length ? b.charCodeAt(i) : -1;
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

/** "(1.2 KiB)": ifconfig's byte counts, truncated to one decimal, switching unit only above 1024. */
export function humanBytes(n: number): string {
  const units: [number, string][] = [
    [1125899906842624, 'PiB'],
    [1099511627776, 'TiB'],
    [1073741824, 'GiB'],
    [1048576, 'MiB'],
    [1024, 'KiB'],
  ];
  let tenths = n * 10;
  let unit = 'B';
  for (const [size, name] of units) {
    if (n > size) {
      tenths = Math.floor(tenths / size);
      unit = name;
      break;
    }
  }
  return `${Math.floor(tenths / 10)}.${tenths % 10} ${unit}`;
}

/** SIOCGIFADDR and friends: the address whose label is the interface name. */
function primaryAddr(dev: NetDevice, label = dev.name): InIfaddr | undefined {
  return dev.inDev.addrs.find((a) => a.label === label);
}

/** Alias interfaces ("veth0:1"): address labels SIOCGIFCONF reports beside the devices. */
function aliasLabels(dev: NetDevice): string[] {
  const seen: string[] = [];
  for (const a of dev.inDev.addrs) if (a.label.startsWith(dev.name + ':') && !seen.includes(a.label)) seen.push(a.label);
  return seen;
}

function longLines(dev: NetDevice, alias: string | null = null): string[] {
  const flags = ifFlags(dev);
  const names = LONG_FLAGS.filter(([bit]) => flags & bit).map(([, n]) => n);
  const lines = [`${alias ?? dev.name}: flags=${flags}<${names.join(',')}>  mtu ${dev.mtu}`];
  const a = primaryAddr(dev, alias ?? dev.name);
  if (a) {
    let l = `        inet ${ipStr(a.local)}  netmask ${ipStr(prefixMask(a.prefixlen))}`;
    if (flags & IFF_BROADCAST) l += `  broadcast ${ipStr(a.broadcast)}`;
    lines.push(l);
  }
  if (dev.kind === 'loopback') lines.push(`        loop  txqueuelen ${dev.txQueueLen}  (Local Loopback)`);
  else lines.push(`        ether ${macStr(dev.addr)}  txqueuelen ${dev.txQueueLen}  (Ethernet)`);
  // An alias has no counters of its own.
  if (alias) {
    lines.push('');
    return lines;
  }
  const s = dev.stats;
  lines.push(
    `        RX packets ${s.rxPackets}  bytes ${s.rxBytes} (${humanBytes(s.rxBytes)})`,
    `        RX errors 0  dropped ${s.rxDropped}  overruns 0  frame 0`,
    `        TX packets ${s.txPackets}  bytes ${s.txBytes} (${humanBytes(s.txBytes)})`,
    `        TX errors 0  dropped ${s.txDropped} overruns 0  carrier 0  collisions 0`,
    '',
  );
  return lines;
}

function pad(s: string, n: number, left: boolean): string {
  if (s.length >= n) return s;
  return left ? s + ' '.repeat(n - s.length) : ' '.repeat(n - s.length) + s;
}

const SHORT_HEADER = 'Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg';

function shortLine(dev: NetDevice): string {
  const flags = ifFlags(dev);
  const s = dev.stats;
  const letters =
    flags === 0
      ? '[NO FLAGS]'
      : SHORT_FLAGS.filter(([bit]) => flags & bit)
          .map(([, l]) => l)
          .join('');
  return (
    `${pad(dev.name.slice(0, 15), 15, true)} ${pad(String(dev.mtu), 5, false)} ${pad(String(s.rxPackets), 8, false)} ${pad('0', 6, false)} ` +
    `${pad(String(s.rxDropped), 6, false)} ${pad('0', 6, true)} ${pad(String(s.txPackets), 8, false)} ${pad('0', 6, false)} ` +
    `${pad(String(s.txDropped), 6, false)} ${pad('0', 6, false)} ${letters}`
  );
}

function usageHint(ctx: ToolContext): void {
  ctx.stderr("ifconfig: `--help' gives usage information.");
}

/** inet_abc_len: the classful prefix length of an address, or -1. */
function classfulLen(a: number): number {
  if (isZeronet(a) || isLbcast(a)) return 0;
  if (a >>> 31 === 0) return 8;
  if (a >>> 30 === 0b10) return 16;
  if (a >>> 29 === 0b110) return 24;
  if (isMulticast(a)) return -1;
  return 32;
}

function maskLen(m: number): number {
  let len = 0;
  while (len < 32 && m & (0x80000000 >>> len)) len++;
  return prefixMask(len) === m >>> 0 ? len : -1;
}

/** Replaces the interface's address as SIOCSIFADDR does: class mask, derived broadcast. */
function setIfAddr(w: World, dev: NetDevice, addr: number): number {
  const len = classfulLen(addr);
  if (len < 0) return -EINVAL;
  const old = primaryAddr(dev);
  if (old && old.local === addr) return 0;
  if (old) inet_rtm_deladdr(w, dev, old.local, old.prefixlen);
  if (isZeronet(addr)) return 0;
  const brd = dev.flags & IFF_BROADCAST && len < 31 ? (addr | ~prefixMask(len)) >>> 0 : 0;
  return inet_rtm_newaddr(w, dev, { local: addr, prefixlen: len, broadcast: brd, scope: null, label: dev.name });
}

function setIfNetmask(w: World, dev: NetDevice, mask: number): number {
  const a = primaryAddr(dev);
  if (!a) return -EADDRNOTAVAIL;
  const len = maskLen(mask);
  if (len < 0) return -EINVAL;
  if (len === a.prefixlen) return 0;
  const oldMask = prefixMask(a.prefixlen);
  let brd = a.broadcast;
  if (dev.flags & IFF_BROADCAST && len < 31 && brd === (a.local | ~oldMask) >>> 0) brd = (a.local | ~prefixMask(len)) >>> 0;
  const { local, scope } = a;
  inet_rtm_deladdr(w, dev, local, a.prefixlen);
  return inet_rtm_newaddr(w, dev, { local, prefixlen: len, broadcast: brd, scope, label: dev.name });
}

function setIfBroadcast(w: World, dev: NetDevice, brd: number): number {
  const a = primaryAddr(dev);
  if (!a) return -EADDRNOTAVAIL;
  if (a.broadcast === brd) return 0;
  const { local, prefixlen, scope } = a;
  inet_rtm_deladdr(w, dev, local, prefixlen);
  return inet_rtm_newaddr(w, dev, { local, prefixlen, broadcast: brd, scope, label: dev.name });
}

const FLAG_WORDS: Record<string, [number, boolean]> = {
  arp: [IFF_NOARP, false],
  '-arp': [IFF_NOARP, true],
  promisc: [IFF_PROMISC, true],
  '-promisc': [IFF_PROMISC, false],
  allmulti: [IFF_ALLMULTI, true],
  '-allmulti': [IFF_ALLMULTI, false],
  multicast: [IFF_MULTICAST, true],
  '-multicast': [IFF_MULTICAST, false],
  trailers: [IFF_NOTRAILERS, false],
  '-trailers': [IFF_NOTRAILERS, true],
  dynamic: [IFF_DYNAMIC, true],
  '-dynamic': [IFF_DYNAMIC, false],
};

function configure(ctx: ToolContext, name: string, args: string[]): number {
  const dev = devGetByName(ctx.net, name) ?? null;
  let status = 0;
  const flagError = () => {
    ctx.stderr(`${name}: ERROR while getting interface flags: ${strerror(ENODEV)}`);
    return 255;
  };
  const ioctlError = (what: string, errno: number) => {
    ctx.stderr(`${what}: ${strerror(errno)}`);
    status = status || 1;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string | null => (i + 1 < args.length ? args[++i] : null);
    if (a === 'up') {
      if (!dev) return flagError();
      const err = dev_open(ctx.w, dev);
      if (err) ioctlError('SIOCSIFFLAGS', -err);
    } else if (a === 'down') {
      if (!dev) return flagError();
      dev_close(ctx.w, dev);
    } else if (Object.hasOwn(FLAG_WORDS, a)) {
      if (!dev) return flagError();
      const [bit, on] = FLAG_WORDS[a];
      const err = dev_change_flags(ctx.w, dev, on ? dev.flags | bit : dev.flags & ~bit);
      if (err) ioctlError('SIOCSIFFLAGS', -err);
    } else if (a === 'mtu') {
      const v = next();
      const n = v !== null && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!dev) ioctlError('SIOCSIFMTU', ENODEV);
      else if (!Number.isFinite(n)) ioctlError('SIOCSIFMTU', EINVAL);
      else {
        const err = dev_set_mtu(dev, n);
        if (err) ioctlError('SIOCSIFMTU', -err);
      }
    } else if (a === 'txqueuelen') {
      const v = next();
      if (!dev) ioctlError('SIOCSIFTXQLEN', ENODEV);
      else if (v === null || !/^\d+$/.test(v)) ioctlError('SIOCSIFTXQLEN', EINVAL);
      else {
        const err = dev_change_tx_queue_len(dev, Number(v));
        if (err) ioctlError('SIOCSIFTXQLEN', -err);
      }
    } else if (a === 'netmask') {
      const v = next();
      const m = v === null ? null : parseIp(v);
      if (m === null) {
        ctx.stderr(`${v ?? ''}: Host name lookup failure`);
        usageHint(ctx);
        return 1;
      }
      if (!dev) ioctlError('SIOCSIFNETMASK', ENODEV);
      else {
        const err = setIfNetmask(ctx.w, dev, m);
        if (err) ioctlError('SIOCSIFNETMASK', -err);
      }
    } else if (a === 'broadcast') {
      const v = next();
      const b = v === null ? null : parseIp(v);
      if (b === null) {
        ctx.stderr(`${v ?? ''}: Host name lookup failure`);
        usageHint(ctx);
        return 1;
      }
      if (!dev) ioctlError('SIOCSIFBRDADDR', ENODEV);
      else {
        const err = setIfBroadcast(ctx.w, dev, b);
        if (err) ioctlError('SIOCSIFBRDADDR', -err);
      }
    } else if (a === 'hw') {
      const cls = next();
      const mac = next();
      if (cls !== 'ether') {
        ctx.stderr(`hw: unknown hardware type \`${cls ?? ''}'`);
        return 1;
      }
      const m = mac === null ? null : parseMac(mac);
      if (!m) {
        ctx.stderr(`${mac ?? ''}: invalid ether address.`);
        return 1;
      }
      if (!dev) ioctlError('SIOCSIFHWADDR', ENODEV);
      else if (m[0] & 1 || m.every((x) => x === 0)) ioctlError('SIOCSIFHWADDR', EADDRNOTAVAIL);
      else {
        const err = dev_set_mac_address(ctx.w, dev, m);
        if (err) ioctlError('SIOCSIFHWADDR', -err === EINVAL ? EADDRNOTAVAIL : -err);
      }
    } else if (
      [
        'add',
        'del',
        'pointopoint',
        '-pointopoint',
        'dstaddr',
        'tunnel',
        'irq',
        'io_addr',
        'mem_start',
        'media',
        'keepalive',
        'outfill',
        'metric',
        'mem_start',
        '-broadcast',
        'name',
      ].includes(a)
    ) {
      ctx.stderr(`skbwalk: "ifconfig ... ${a}" is not supported by skbwalk`);
      return 1;
    } else {
      // An address, optionally with a prefix length.
      const [host, lenText] = a.split('/');
      const addr = parseIp(host);
      const len = lenText === undefined ? null : /^\d+$/.test(lenText) && Number(lenText) <= 32 ? Number(lenText) : -1;
      if (addr === null || len === -1) {
        ctx.stderr(`${a}: Host name lookup failure`);
        usageHint(ctx);
        return 1;
      }
      if (!dev) {
        ctx.stderr(`SIOCSIFADDR: ${strerror(ENODEV)}`);
        return flagError();
      }
      const err = setIfAddr(ctx.w, dev, addr);
      if (err) {
        ioctlError('SIOCSIFADDR', -err);
        continue;
      }
      if (len !== null && !isZeronet(addr)) {
        const e2 = setIfNetmask(ctx.w, dev, prefixMask(len));
        if (e2) ioctlError('SIOCSIFNETMASK', -e2);
      }
      // Setting an address brings the interface up.
      if (!(dev.flags & IFF_UP)) {
        const e3 = dev_open(ctx.w, dev);
        if (e3) ioctlError('SIOCSIFFLAGS', -e3);
      }
    }
  }
  return status;
}

export const ifconfig_main: ToolMain = (ctx, argv) => {
  let all = false;
  let short = false;
  let i = 1;
  for (; i < argv.length && argv[i].startsWith('-') && argv[i].length > 1; i++) {
    const a = argv[i];
    if (a === '-a') all = true;
    else if (a === '-s') short = true;
    else if (a === '-v') {
      // Verbose only adds error details.
    } else if (a === '--help' || a === '-h' || a === '-?') {
      ctx.stderr('skbwalk: the ifconfig usage text is not available in skbwalk');
      return 0;
    } else if (a === '-V' || a === '--version') {
      ctx.stdout('net-tools 2.10');
      return 0;
    } else {
      break;
    }
  }
  const rest = argv.slice(i);
  if (rest.length === 0) {
    const entries: { name: string; dev: NetDevice; alias: string | null }[] = [];
    for (const d of ctx.net.devices) {
      if (!all && !(ifFlags(d) & IFF_UP)) continue;
      entries.push({ name: d.name, dev: d, alias: null });
      if (!short) for (const a of aliasLabels(d)) entries.push({ name: a, dev: d, alias: a });
    }
    entries.sort((a, b) => nstrcmp(a.name, b.name));
    if (short) ctx.stdout(SHORT_HEADER);
    for (const e of entries) {
      if (short) ctx.stdout(shortLine(e.dev));
      else for (const l of longLines(e.dev, e.alias)) ctx.stdout(l);
    }
    return 0;
  }
  const name = rest[0];
  if (rest.length === 1) {
    const colon = name.indexOf(':');
    const aliasDev = colon > 0 ? devGetByName(ctx.net, name.slice(0, colon)) : undefined;
    if (aliasDev && !short && aliasLabels(aliasDev).includes(name)) {
      for (const l of longLines(aliasDev, name)) ctx.stdout(l);
      return 0;
    }
    const dev = devGetByName(ctx.net, name);
    if (!dev) {
      ctx.stderr(`${name}: error fetching interface information: Device not found`);
      return 1;
    }
    if (short) {
      ctx.stdout(SHORT_HEADER);
      ctx.stdout(shortLine(dev));
    } else {
      for (const l of longLines(dev)) ctx.stdout(l);
    }
    return 0;
  }
  return configure(ctx, name, rest.slice(1));
};
