// Decodes the headers of an skb's buffer (Ethernet, ARP, IPv4, ICMP) from its
// hex bytes and header offsets. Every field carries its byte range in the
// buffer (offsets from skb->head) so the hex dump can highlight it.
import type { SkbView } from '../../engine/run/view.ts';
import { hexToBytes } from './hex.ts';

export interface Field {
  name: string;
  value: string;
  start: number;
  /** Exclusive. */
  end: number;
}

export interface Layer {
  name: string;
  start: number;
  end: number;
  fields: Field[];
}

const h2 = (v: number) => v.toString(16).padStart(2, '0');
const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const mac = (b: Uint8Array, o: number) => Array.from(b.subarray(o, o + 6), h2).join(':');
const ip = (b: Uint8Array, o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
const hex16 = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;

const ETHERTYPES: Record<number, string> = { 0x0800: 'IPv4', 0x0806: 'ARP', 0x86dd: 'IPv6' };
const IP_PROTOS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };
const ICMP_TYPES: Record<number, string> = {
  0: 'echo reply',
  3: 'destination unreachable',
  5: 'redirect',
  8: 'echo request',
  11: 'time exceeded',
};

function field(name: string, value: string, start: number, len: number): Field {
  return { name, value, start, end: start + len };
}

function ethernet(b: Uint8Array, o: number): Layer | null {
  if (o < 0 || o + 14 > b.length) return null;
  const type = u16(b, o + 12);
  return {
    name: 'Ethernet',
    start: o,
    end: o + 14,
    fields: [
      field('dst', mac(b, o), o, 6),
      field('src', mac(b, o + 6), o + 6, 6),
      field('type', `${hex16(type)}${ETHERTYPES[type] ? ` (${ETHERTYPES[type]})` : ''}`, o + 12, 2),
    ],
  };
}

function arp(b: Uint8Array, o: number): Layer | null {
  if (o < 0 || o + 28 > b.length) return null;
  const op = u16(b, o + 6);
  return {
    name: 'ARP',
    start: o,
    end: o + 28,
    fields: [
      field('htype', String(u16(b, o)), o, 2),
      field('ptype', hex16(u16(b, o + 2)), o + 2, 2),
      field('hlen', String(b[o + 4]), o + 4, 1),
      field('plen', String(b[o + 5]), o + 5, 1),
      field('oper', `${op}${op === 1 ? ' (request)' : op === 2 ? ' (reply)' : ''}`, o + 6, 2),
      field('sha', mac(b, o + 8), o + 8, 6),
      field('spa', ip(b, o + 14), o + 14, 4),
      field('tha', mac(b, o + 18), o + 18, 6),
      field('tpa', ip(b, o + 24), o + 24, 4),
    ],
  };
}

function ipv4(b: Uint8Array, o: number): Layer | null {
  if (o < 0 || o + 20 > b.length) return null;
  const ihl = (b[o] & 0xf) * 4;
  const proto = b[o + 9];
  const frag = u16(b, o + 6);
  const flags = [frag & 0x4000 ? 'DF' : '', frag & 0x2000 ? 'MF' : ''].filter(Boolean).join(',');
  return {
    name: 'IPv4',
    start: o,
    end: o + Math.max(20, ihl),
    fields: [
      field('version/ihl', `${b[o] >> 4} / ${ihl} bytes`, o, 1),
      field('tos', `0x${h2(b[o + 1])}`, o + 1, 1),
      field('tot_len', String(u16(b, o + 2)), o + 2, 2),
      field('id', hex16(u16(b, o + 4)), o + 4, 2),
      field('frag_off', `${flags || '0'} +${(frag & 0x1fff) * 8}`, o + 6, 2),
      field('ttl', String(b[o + 8]), o + 8, 1),
      field('protocol', `${proto}${IP_PROTOS[proto] ? ` (${IP_PROTOS[proto]})` : ''}`, o + 9, 1),
      field('check', hex16(u16(b, o + 10)), o + 10, 2),
      field('saddr', ip(b, o + 12), o + 12, 4),
      field('daddr', ip(b, o + 16), o + 16, 4),
    ],
  };
}

function icmp(b: Uint8Array, o: number, end: number): Layer | null {
  if (o < 0 || o + 8 > b.length) return null;
  const type = b[o];
  const fields = [
    field('type', `${type}${ICMP_TYPES[type] ? ` (${ICMP_TYPES[type]})` : ''}`, o, 1),
    field('code', String(b[o + 1]), o + 1, 1),
    field('checksum', hex16(u16(b, o + 2)), o + 2, 2),
  ];
  if (type === 0 || type === 8) {
    fields.push(field('id', String(u16(b, o + 4)), o + 4, 2), field('sequence', String(u16(b, o + 6)), o + 6, 2));
  } else {
    fields.push(field('rest', Array.from(b.subarray(o + 4, o + 8), h2).join(''), o + 4, 4));
  }
  if (end > o + 8) fields.push(field('payload', `${end - o - 8} bytes`, o + 8, end - o - 8));
  return { name: 'ICMP', start: o, end: Math.max(o + 8, end), fields };
}

const TCP_OPTION_NAMES: Record<number, string> = { 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 8: 'timestamps' };

/** The TCP header: ports, sequence numbers, flags, window, checksum, each option, and the payload. */
function tcp(b: Uint8Array, o: number, end: number): Layer | null {
  if (o < 0 || o + 20 > b.length) return null;
  const doff = (b[o + 12] >> 4) * 4;
  const f = b[o + 13];
  const names: [number, string][] = [
    [0x80, 'CWR'],
    [0x40, 'ECE'],
    [0x20, 'URG'],
    [0x10, 'ACK'],
    [0x08, 'PSH'],
    [0x04, 'RST'],
    [0x02, 'SYN'],
    [0x01, 'FIN'],
  ];
  const flags = names.filter(([bit]) => f & bit).map(([, n]) => n);
  const fields = [
    field('source', String(u16(b, o)), o, 2),
    field('dest', String(u16(b, o + 2)), o + 2, 2),
    field('seq', String(u32(b, o + 4)), o + 4, 4),
    field('ack_seq', String(u32(b, o + 8)), o + 8, 4),
    field('doff', `${doff} bytes`, o + 12, 1),
    field('flags', flags.join(',') || 'none', o + 13, 1),
    field('window', String(u16(b, o + 14)), o + 14, 2),
    field('check', hex16(u16(b, o + 16)), o + 16, 2),
    field('urg_ptr', String(u16(b, o + 18)), o + 18, 2),
  ];
  const optEnd = Math.min(o + doff, b.length);
  for (let p = o + 20; p < optEnd;) {
    const kind = b[p];
    if (kind === 0 || kind === 1) {
      fields.push(field('option', kind ? 'nop' : 'eol', p, 1));
      if (kind === 0) break;
      p++;
      continue;
    }
    const len = b[p + 1] ?? 0;
    if (len < 2 || p + len > optEnd) break;
    let value = TCP_OPTION_NAMES[kind] ?? `kind ${kind}`;
    if (kind === 2 && len === 4) value = `mss ${u16(b, p + 2)}`;
    else if (kind === 3 && len === 3) value = `wscale ${b[p + 2]}`;
    else if (kind === 8 && len === 10) value = `TS val ${u32(b, p + 2)} ecr ${u32(b, p + 6)}`;
    fields.push(field('option', value, p, len));
    p += len;
  }
  if (end > o + doff) fields.push(field('payload', `${end - o - doff} bytes`, o + doff, end - o - doff));
  return { name: 'TCP', start: o, end: Math.max(o + doff, end), fields };
}

/** The UDP header: ports, the length it claims (header and data), checksum, and the payload. */
function udp(b: Uint8Array, o: number, end: number): Layer | null {
  if (o < 0 || o + 8 > b.length) return null;
  const fields = [
    field('source', String(u16(b, o)), o, 2),
    field('dest', String(u16(b, o + 2)), o + 2, 2),
    field('len', String(u16(b, o + 4)), o + 4, 2),
    field('check', hex16(u16(b, o + 6)), o + 6, 2),
  ];
  if (end > o + 8) fields.push(field('payload', `${end - o - 8} bytes`, o + 8, end - o - 8));
  return { name: 'UDP', start: o, end: Math.max(o + 8, end), fields };
}

/** The headers the buffer holds, outermost first. */
export function decodeSkb(skb: SkbView): Layer[] {
  const b = hexToBytes(skb.bytes);
  const layers: Layer[] = [];
  let ethType = -1;
  if (skb.macHeader >= 0 && skb.macHeader + 14 <= b.length) {
    const eth = ethernet(b, skb.macHeader);
    if (eth) {
      layers.push(eth);
      ethType = u16(b, skb.macHeader + 12);
    }
  }
  const protoMatch = /0x([0-9a-f]{4})/i.exec(skb.protocol);
  const proto = ethType >= 0 ? ethType : protoMatch ? parseInt(protoMatch[1], 16) : -1;
  const nh = skb.networkHeader >= 0 ? skb.networkHeader : ethType >= 0 ? skb.macHeader + 14 : -1;
  if (nh < 0) return layers;
  if (proto === 0x0806) {
    const a = arp(b, nh);
    if (a) layers.push(a);
  } else if (proto === 0x0800 && b[nh] >> 4 === 4) {
    const v4 = ipv4(b, nh);
    if (v4) {
      layers.push(v4);
      const ihl = (b[nh] & 0xf) * 4;
      const th = skb.transportHeader > nh ? skb.transportHeader : nh + ihl;
      const totLen = u16(b, nh + 2);
      const end = Math.min(b.length, nh + totLen, Math.max(skb.tailOffset, th + 8));
      if (b[nh + 9] === 1) {
        const ic = icmp(b, th, end);
        if (ic) layers.push(ic);
      } else if ((u16(b, nh + 6) & 0x1fff) === 0) {
        // Only a datagram's first fragment starts with the transport header.
        const transport = b[nh + 9] === 6 ? tcp : b[nh + 9] === 17 ? udp : null;
        const t = transport?.(b, th, Math.min(b.length, nh + totLen));
        if (t) layers.push(t);
      }
    }
  }
  return layers;
}
