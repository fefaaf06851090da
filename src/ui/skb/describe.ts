// What an skb is, in words: "ARP request who-has 192.168.1.2", "ICMP echo
// request seq 1", "IPv4 fragment +1480", "clone of #4". Pure: read from the
// view's bytes and header offsets (the same buffer the skb panel decodes) and
// from what the engine knows (a clone's original, a drop's reason).
import type { SkbView } from '../../engine/run/view.ts';
import { hexToBytes } from './hex.ts';

/** The protocol family a token is coloured by. */
export type PacketClass = 'arp' | 'icmp' | 'udp' | 'tcp' | 'ip' | 'other';

export const PACKET_CLASSES: { cls: PacketClass; name: string }[] = [
  { cls: 'arp', name: 'ARP' },
  { cls: 'icmp', name: 'ICMP' },
  { cls: 'udp', name: 'UDP' },
  { cls: 'tcp', name: 'TCP' },
  { cls: 'ip', name: 'other IPv4' },
  { cls: 'other', name: 'no headers' },
];

export interface SkbDescription {
  /** A few characters for the token itself: "ARP req", "echo 1". */
  short: string;
  /** What the packet is: "ARP request who-has 192.168.1.2 tell 192.168.1.1". */
  what: string;
  cls: PacketClass;
  /** One line for a tooltip: "skb #3: ARP request … · 42 bytes on veth1". */
  summary: string;
}

const ip = (b: Uint8Array, o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const mac = (b: Uint8Array, o: number) => Array.from(b.subarray(o, o + 6), (x) => x.toString(16).padStart(2, '0')).join(':');

const ICMP_NAMES: Record<number, [string, string]> = {
  0: ['ICMP echo reply', 'reply'],
  3: ['ICMP destination unreachable', 'unreach'],
  5: ['ICMP redirect', 'redirect'],
  8: ['ICMP echo request', 'echo'],
  11: ['ICMP time exceeded', 'ttl exc'],
};

const UNREACH_CODES: Record<number, string> = {
  0: 'net unreachable',
  1: 'host unreachable',
  2: 'protocol unreachable',
  3: 'port unreachable',
  4: 'frag needed',
  13: 'admin prohibited',
};

type Core = Pick<SkbDescription, 'short' | 'what' | 'cls'>;

function ethertypeOf(skb: SkbView, b: Uint8Array): number {
  if (skb.macHeader >= 0 && skb.macHeader + 14 <= b.length) return u16(b, skb.macHeader + 12);
  const m = /0x([0-9a-f]{4})/i.exec(skb.protocol);
  return m ? parseInt(m[1], 16) : -1;
}

/** Where the network header starts: set, or right after a set MAC header, or (being built) at data. */
function networkOffset(skb: SkbView, b: Uint8Array): number {
  if (skb.networkHeader >= 0) return skb.networkHeader;
  if (skb.macHeader >= 0) return skb.macHeader + 14;
  // A buffer still being built by a socket: IPv4 starts at data if it looks like one.
  return skb.dataOffset < b.length && b[skb.dataOffset] >> 4 === 4 ? skb.dataOffset : -1;
}

function arp(b: Uint8Array, o: number): Core | null {
  if (o + 28 > b.length) return null;
  const op = u16(b, o + 6);
  const spa = ip(b, o + 14);
  const tpa = ip(b, o + 24);
  if (op === 1) return { short: 'ARP req', what: `ARP request who-has ${tpa} tell ${spa}`, cls: 'arp' };
  if (op === 2) return { short: 'ARP reply', what: `ARP reply ${spa} is-at ${mac(b, o + 8)}`, cls: 'arp' };
  return { short: 'ARP', what: `ARP opcode ${op}`, cls: 'arp' };
}

function ipv4(b: Uint8Array, o: number): Core | null {
  if (o + 20 > b.length || b[o] >> 4 !== 4) return null;
  const ihl = (b[o] & 0xf) * 4;
  const proto = b[o + 9];
  const frag = u16(b, o + 6);
  const offset = (frag & 0x1fff) * 8;
  const more = (frag & 0x2000) !== 0;
  const route = `${ip(b, o + 12)} → ${ip(b, o + 16)}`;
  // Only the first fragment carries the transport header.
  if (offset > 0)
    return { short: `frag +${offset}`, what: `IPv4 fragment at offset ${offset}${more ? '' : ' (last)'} ${route}`, cls: 'ip' };
  const t = o + ihl;
  const firstFrag = more ? ' (first fragment)' : '';
  if (proto === 1 && t + 8 <= b.length) {
    const type = b[t];
    const code = b[t + 1];
    const [name, short] = ICMP_NAMES[type] ?? [`ICMP type ${type}`, `icmp ${type}`];
    if (type === 0 || type === 8) {
      const seq = u16(b, t + 6);
      return { short: `${short} ${seq}`, what: `${name} seq ${seq} ${route}${firstFrag}`, cls: 'icmp' };
    }
    const why = type === 3 ? ` (${UNREACH_CODES[code] ?? `code ${code}`})` : '';
    return { short, what: `${name}${why} ${route}${firstFrag}`, cls: 'icmp' };
  }
  if (proto === 17 && t + 8 <= b.length)
    return {
      short: 'UDP',
      what: `UDP ${ip(b, o + 12)}:${u16(b, t)} → ${ip(b, o + 16)}:${u16(b, t + 2)}${firstFrag}`,
      cls: 'udp',
    };
  if (proto === 6 && t + 14 <= b.length) {
    const f = b[t + 13];
    const flags = [f & 2 ? 'SYN' : '', f & 16 ? 'ACK' : '', f & 1 ? 'FIN' : '', f & 4 ? 'RST' : '', f & 8 ? 'PSH' : '']
      .filter(Boolean)
      .join(',');
    return {
      short: flags ? `TCP ${flags.split(',')[0]}` : 'TCP',
      what: `TCP ${ip(b, o + 12)}:${u16(b, t)} → ${ip(b, o + 16)}:${u16(b, t + 2)}${flags ? ` [${flags}]` : ''}${firstFrag}`,
      cls: 'tcp',
    };
  }
  return { short: more ? 'frag +0' : `IP ${proto}`, what: `IPv4 protocol ${proto} ${route}${firstFrag}`, cls: 'ip' };
}

function core(skb: SkbView): Core {
  const b = hexToBytes(skb.bytes);
  const type = ethertypeOf(skb, b);
  const nh = networkOffset(skb, b);
  if (nh >= 0) {
    const got = type === 0x0806 ? arp(b, nh) : ipv4(b, nh);
    if (got) return got;
  }
  if (skb.len === 0) return { short: 'empty', what: 'an empty buffer (nothing written yet)', cls: 'other' };
  return { short: 'data', what: `${skb.len} bytes without headers yet`, cls: 'other' };
}

/** Describes an skb for a label, a legend colour and a tooltip. */
export function describeSkb(skb: SkbView): SkbDescription {
  const c = core(skb);
  const clone = skb.cloneOf ? `, clone of #${skb.cloneOf}` : '';
  const end =
    skb.state === 'dropped'
      ? `, dropped (${skb.dropReason || 'NOT_SPECIFIED'})`
      : skb.state === 'consumed'
        ? ', freed (consumed)'
        : '';
  const what = `${c.what}${clone}${end}`;
  const where = skb.dev ? ` on ${skb.dev}` : '';
  return {
    short: c.short,
    what,
    cls: c.cls,
    summary: `skb #${skb.id}: ${what} · ${skb.len} bytes${where}`,
  };
}
