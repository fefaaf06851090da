// What `tcpdump -i DEV [-n|-nn] [-e]` prints for a captured Ethernet frame.
//
// Written from tcpdump 4.99's observed output (tcpdump -r on crafted pcaps),
// not from its source. The rules that matter:
//   - A frame too short for a header prints what came before plus ` [|proto]`
//     (tcpdump stops decoding at the first missing byte). Nothing throws.
//   - `-e` prints the Ethernet header (`SRC > DST, ethertype NAME (0xNNNN),
//     length N: `); without it, IPv4 lines start `IP ` and ARP lines `ARP, `.
//     An ethertype tcpdump cannot decode prints the header even without -e,
//     followed by a hex dump of the payload (lines `\n\t0x0000:  ...`).
//   - Without -v, IPv4 prints no TTL, id, options or fragment details: the
//     first fragment decodes as a whole packet would, later ones print only
//     `ip-proto-N`. Every "length" after the addresses comes from the headers
//     (IP total length, UDP length), not from how much was captured.
//   - -n and -nn print the same for everything decoded here (ports stay
//     numeric with a single -n in 4.99). Without -n tcpdump resolves names
//     from the host's files and DNS; `numeric: false` reproduces the parts that
//     do not depend on the host: MACs gain ` (oui NAME)` and ff:ff:ff:ff:ff:ff
//     reads `Broadcast`; IP addresses go through `resolveHost` if given.
//
// Decoded as tcpdump does, checked against it on crafted and randomly damaged
// frames (tcpdump.test.ts): Ethernet II, 802.1Q/QinQ, ARP/RARP, IPv4 (with
// IP-in-IP), ICMP, IGMP, UDP in its generic form, STP BPDUs, LLC/SNAP framing.
// Partly: IPv6 and ICMPv6 (the common messages), TCP (the header only, with
// absolute sequence numbers and no options: tcpdump's relative numbers need
// state across packets). Not at all: tcpdump's decoders for UDP well-known
// ports (53, 67, 123, 4789...) and for the protocols in UNDECODED_* below,
// which print a generic form here. skbwalk sends none of those.

import type { Capture } from '../run/output.ts';
import { tcpdumpTimestamp } from './clock.ts';
import { getservbyport } from '../userspace/etc/services.ts';

export interface TcpdumpOptions {
  /** -n / -nn (tcpdump prints the same for both here). */
  numeric: boolean;
  /** -e */
  ethernet: boolean;
  /** `HH:MM:SS.uuuuuu`, or null for none (the reference files strip it). */
  timestamp: string | null;
  /** Name for an IPv4 address when !numeric (tcpdump asks the resolver). */
  resolveHost?: (addr: string) => string | null | undefined;
  /** The TCP conversations seen so far in this capture (relative numbers); none: every packet stands alone. */
  tcpSeq?: TcpSeqTable;
}

class Truncated extends Error {
  constructor(readonly proto: string) {
    super(`[|${proto}]`);
  }
}

/** The pieces of a frame being printed: bytes, and where the capture ends. */
class Printer {
  out = '';
  constructor(
    readonly b: Uint8Array,
    readonly opts: TcpdumpOptions,
  ) {}
  print(s: string): void {
    this.out += s;
  }
}

/** Throws Truncated(proto) unless bytes [off, off+n) lie before end. */
function need(end: number, off: number, n: number, proto: string): void {
  if (off + n > end) throw new Truncated(proto);
}

function u16(b: Uint8Array, off: number): number {
  return (b[off] << 8) | b[off + 1];
}
function u32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

function macString(b: Uint8Array, off: number, len = 6): string {
  const parts: string[] = [];
  for (let i = 0; i < len; i++) parts.push(hex2(b[off + i]));
  return parts.join(':');
}

// OUIs tcpdump 4.99 names (only the ones checked against it; every other OUI,
// including all locally administered ones such as veth's random MACs, prints
// "Unknown").
const OUI_NAMES: Record<number, string> = {
  0x000000: 'Ethernet',
  0x00000c: 'Cisco',
  0x00005e: 'IANA',
  0x0000f8: 'Cisco bridged',
  0x0080c2: 'Ethernet bridged',
};

/** A MAC as tcpdump prints it in Ethernet and ARP headers. */
function macName(p: Printer, off: number): string {
  const s = macString(p.b, off);
  if (p.opts.numeric) return s;
  if (s === 'ff:ff:ff:ff:ff:ff') return 'Broadcast';
  const oui = (p.b[off] << 16) | (p.b[off + 1] << 8) | p.b[off + 2];
  return `${s} (oui ${OUI_NAMES[oui] ?? 'Unknown'})`;
}

function ipString(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

function ipName(p: Printer, off: number): string {
  const s = ipString(p.b, off);
  if (p.opts.numeric || !p.opts.resolveHost) return s;
  return p.opts.resolveHost(s) ?? s;
}

// IP protocol names for !numeric, as tcpdump 4.99 prints them (read off its
// output for every protocol number; the IANA keywords, as in /etc/protocols).
const PROTO_NAMES: Record<number, string> = {
  0: 'hopopt',
  1: 'icmp',
  2: 'igmp',
  3: 'ggp',
  4: 'ipencap',
  5: 'st',
  6: 'tcp',
  7: 'cbt',
  8: 'egp',
  9: 'igp',
  10: 'bbn-rcc-mon',
  11: 'nvp-ii',
  12: 'pup',
  13: 'argus',
  14: 'emcon',
  15: 'xnet',
  16: 'chaos',
  17: 'udp',
  18: 'mux',
  19: 'dcn-meas',
  20: 'hmp',
  21: 'prm',
  22: 'xns-idp',
  23: 'trunk-1',
  24: 'trunk-2',
  25: 'leaf-1',
  26: 'leaf-2',
  27: 'rdp',
  28: 'irtp',
  29: 'iso-tp4',
  30: 'netblt',
  31: 'mfe-nsp',
  32: 'merit-inp',
  33: 'dccp',
  34: '3pc',
  35: 'idpr',
  36: 'xtp',
  37: 'ddp',
  38: 'idpr-cmtp',
  39: 'tp++',
  40: 'il',
  41: 'ipv6',
  42: 'sdrp',
  43: 'ipv6-route',
  44: 'ipv6-frag',
  45: 'idrp',
  46: 'rsvp',
  47: 'gre',
  48: 'dsr',
  49: 'bna',
  50: 'esp',
  51: 'ah',
  52: 'i-nlsp',
  53: 'swipe',
  54: 'narp',
  55: 'mobile',
  56: 'tlsp',
  57: 'skip',
  58: 'ipv6-icmp',
  59: 'ipv6-nonxt',
  60: 'ipv6-opts',
  62: 'cftp',
  64: 'sat-expak',
  65: 'kryptolan',
  66: 'rvd',
  67: 'ippc',
  69: 'sat-mon',
  70: 'visa',
  71: 'ipcv',
  72: 'cpnx',
  73: 'rspf',
  74: 'wsn',
  75: 'pvp',
  76: 'br-sat-mon',
  77: 'sun-nd',
  78: 'wb-mon',
  79: 'wb-expak',
  80: 'iso-ip',
  81: 'vmtp',
  82: 'secure-vmtp',
  83: 'vines',
  84: 'ttp',
  85: 'nsfnet-igp',
  86: 'dgp',
  87: 'tcf',
  88: 'eigrp',
  89: 'ospf',
  90: 'sprite-rpc',
  91: 'larp',
  92: 'mtp',
  93: 'ax.25',
  94: 'ipip',
  95: 'micp',
  96: 'scc-sp',
  97: 'etherip',
  98: 'encap',
  100: 'gmtp',
  101: 'ifmp',
  102: 'pnni',
  103: 'pim',
  104: 'aris',
  105: 'scps',
  106: 'qnx',
  107: 'a/n',
  108: 'ipcomp',
  109: 'snp',
  110: 'compaq-peer',
  111: 'ipx-in-ip',
  112: 'vrrp',
  113: 'pgm',
  115: 'l2tp',
  116: 'ddx',
  117: 'iatp',
  118: 'stp',
  119: 'srp',
  120: 'uti',
  121: 'smp',
  122: 'sm',
  123: 'ptp',
  124: 'isis',
  125: 'fire',
  126: 'crtp',
  127: 'crudp',
  128: 'sscopmce',
  129: 'iplt',
  130: 'sps',
  131: 'pipe',
  132: 'sctp',
  133: 'fc',
  134: 'rsvp-e2e-ignore',
  135: 'mobility-header',
  136: 'udplite',
  137: 'mpls-in-ip',
  138: 'manet',
  139: 'hip',
  140: 'shim6',
  141: 'wesp',
  142: 'rohc',
  253: 'exptest-253',
  254: 'exptest-254',
  255: 'reserved',
};

/**
 * IP protocols tcpdump decodes but this module does not: they print as
 * `ip-proto-N LEN` here. (skbwalk sends none of them.)
 */
export const UNDECODED_IP_PROTOCOLS = new Set([8, 9, 33, 46, 47, 50, 51, 55, 62, 88, 89, 103, 108, 112, 113, 132, 135]);

/**
 * UDP ports (source or destination) whose payload tcpdump 4.99 decodes (DNS,
 * DHCP, TFTP, NTP, SNMP, syslog, RIP, VXLAN, Geneve, mDNS, ...), found by
 * sending it datagrams for every port. Here such datagrams print in the
 * generic `UDP, length N` form, which tcpdump would not.
 */
export const UDP_PORTS_DECODED_BY_TCPDUMP = new Set([
  53, 67, 68, 69, 88, 123, 161, 162, 319, 320, 496, 500, 514, 520, 521, 525, 546, 547, 646, 654, 698, 701, 750, 921, 1589, 1645,
  1646, 1700, 1701, 1812, 1813, 1985, 2049, 2103, 2104, 3456, 3503, 3784, 3785, 3799, 4342, 4500, 4567, 4784, 4789, 4790, 5060,
  5353, 5359, 6081, 6343, 6635, 6696, 6697, 6784, 7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008, 7009, 7500, 8231, 8472,
  8500, 12222, 12223, 17754, 30490, 49152,
]);

function protoName(p: Printer, proto: number): string {
  if (!p.opts.numeric && PROTO_NAMES[proto]) return PROTO_NAMES[proto];
  return `ip-proto-${proto}`;
}

function portName(p: Printer, port: number, proto: 'tcp' | 'udp'): string {
  if (p.opts.numeric) return String(port);
  return getservbyport(port, proto) ?? String(port);
}

/** tcpdump's hex and ASCII dump: `\n\t0xOOOO:  xxxx xxxx ...  ascii`. */
export function hexAsciiDump(b: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let line = 0; line < len; line += 16) {
    const n = Math.min(16, len - line);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < n; i += 2) {
      hex += ' ' + hex2(b[off + line + i]) + (i + 1 < n ? hex2(b[off + line + i + 1]) : '');
    }
    for (let i = 0; i < n; i++) {
      const c = b[off + line + i];
      ascii += c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    }
    s += `\n\t0x${hex4(line)}: ${hex.padEnd(40, ' ')}  ${ascii}`;
  }
  return s;
}

// ---------------------------------------------------------------- Ethernet

// The names tcpdump 4.99 gives ethertypes (read off its output for every type).
const ETHERTYPE_NAMES: Record<number, string> = {
  0x00fe: 'GRE-OSI',
  0x0200: 'PUP',
  0x0500: 'Sprite',
  0x0600: 'NS',
  0x0707: 'GeoNet (old)',
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x1000: 'Trail',
  0x1111: 'CALM FAST',
  0x6001: 'MOP DL',
  0x6002: 'MOP RC',
  0x6003: 'DN',
  0x6004: 'LAT',
  0x6007: 'SCA',
  0x6558: 'TEB',
  0x8035: 'Reverse ARP',
  0x8038: 'Lanbridge',
  0x803c: 'DEC DNS',
  0x803e: 'DEC DTS',
  0x805b: 'VEXP',
  0x805c: 'VPROD',
  0x809b: 'Appletalk',
  0x80f3: 'Appletalk ARP',
  0x8100: '802.1Q',
  0x8137: 'IPX',
  0x86dd: 'IPv6',
  0x8808: 'MPCP',
  0x8809: 'Slow Protocols',
  0x880b: 'PPP',
  0x8847: 'MPLS unicast',
  0x8848: 'MPLS multicast',
  0x8863: 'PPPoE D',
  0x8864: 'PPPoE S',
  0x886f: 'MS NLB heartbeat',
  0x888e: 'EAPOL',
  0x8899: 'Realtek protocols',
  0x88a2: 'AoE',
  0x88a8: '802.1Q-QinQ',
  0x88ca: 'TIPC',
  0x88cc: 'LLDP',
  0x88e5: '802.1AE MACsec',
  0x88f7: 'PTP',
  0x8902: 'CFM',
  0x893a: 'IEEE1905.1',
  0x8947: 'GeoNet',
  0x894f: 'NSH',
  0x9000: 'Loopback',
  0x9100: '802.1Q-9100',
  0x9200: '802.1Q-9200',
  0xabcd: 'CFM (old)',
  0xd28b: 'Arista Vendor Specific Protocol',
  0xfefe: 'OSI',
};

function ethertypeName(t: number): string {
  return ETHERTYPE_NAMES[t] ?? 'Unknown';
}

function ethertype(t: number): string {
  return `ethertype ${ethertypeName(t)} (0x${hex4(t)})`;
}

const ETH_HLEN = 14;
const VLAN_TYPES = new Set([0x8100, 0x88a8, 0x9100, 0x9200]);

/**
 * Ethertypes tcpdump decodes but this module does not: their payload prints
 * as a hex dump here, where tcpdump would decode it.
 */
export const UNDECODED_ETHERTYPES = new Set([
  0x0707, 0x1111, 0x3c12, 0x3c13, 0x6003, 0x809b, 0x80f3, 0x8137, 0x8808, 0x8809, 0x880b, 0x8847, 0x8848, 0x8863, 0x8864, 0x886f,
  0x8870, 0x888e, 0x8899, 0x88a2, 0x88ca, 0x88cc, 0x88e5, 0x88f7, 0x8902, 0x8947, 0x894f, 0x9000, 0xabcd, 0xd28b, 0xfefe,
]);

/** Whether `printEthertypePayload` decodes this ethertype. */
function decodable(t: number): boolean {
  return t === 0x0800 || t === 0x0806 || t === 0x8035 || t === 0x86dd;
}

function printEther(p: Printer): void {
  const b = p.b;
  const caplen = b.length;
  if (caplen < ETH_HLEN) throw new Truncated('ether');
  const hdr = `${macName(p, 6)} > ${macName(p, 0)}, `;
  const e = p.opts.ethernet;
  let type = u16(b, 12);
  let off = ETH_HLEN;
  if (type <= 1500) {
    // 802.3: the field is a length, and an LLC header follows.
    const l = Math.min(type, caplen - off);
    if (e) p.print(`${hdr}802.3, length ${l}: `);
    printLlc(p, off, off + l, l);
    return;
  }
  if (VLAN_TYPES.has(type)) {
    if (e) p.print(hdr);
    need(caplen, off, 4, 'vlan');
    if (e) p.print(`${ethertype(type)}, length ${caplen}: `);
    while (VLAN_TYPES.has(type)) {
      need(caplen, off, 4, 'vlan');
      const tci = u16(b, off);
      type = u16(b, off + 2);
      off += 4;
      if (e) p.print(`vlan ${tci & 0xfff}, p ${tci >> 13}${tci & 0x1000 ? ', DEI' : ''}, `);
      if (VLAN_TYPES.has(type)) need(caplen, off, 4, 'vlan');
      if (e) p.print(type <= 1500 ? '802.3' : `${ethertype(type)}, `);
    }
    if (type <= 1500) {
      const l = Math.min(type, caplen - off);
      printLlc(p, off, off + l, l);
      return;
    }
    if (!decodable(type)) {
      if (!e) p.print(`${hdr}${ethertype(type)}, length ${caplen}: `);
      p.print(hexAsciiDump(b, off, caplen - off));
      return;
    }
  } else if (!decodable(type)) {
    // tcpdump shows the header of what it cannot decode, -e or not.
    p.print(`${hdr}${ethertype(type)}, length ${caplen}: `);
    p.print(hexAsciiDump(b, off, caplen - off));
    return;
  } else if (e) {
    p.print(`${hdr}${ethertype(type)}, length ${caplen}: `);
  }
  printEthertypePayload(p, type, off, caplen);
}

function printEthertypePayload(p: Printer, type: number, off: number, end: number): void {
  switch (type) {
    case 0x0800:
      if (off >= end) throw new Truncated('ip');
      printIp(p, off, end);
      return;
    case 0x0806:
    case 0x8035:
      if (off >= end) throw new Truncated('arp');
      printArp(p, off, end);
      return;
    case 0x86dd:
      if (off >= end) throw new Truncated('ip6');
      printIp6(p, off, end);
      return;
  }
}

// ---------------------------------------------------------------- LLC / STP

const SAP_NAMES: Record<number, string> = {
  0x00: 'Null',
  0x02: '802.1B I',
  0x04: 'SNA',
  0x06: 'IP',
  0x0e: 'ProWay NM',
  0x42: 'STP',
  0x4e: 'RS511',
  0x7e: 'ISO8208',
  0x8e: 'ProWay',
  0xaa: 'SNAP',
  0xe0: 'IPX',
  0xf0: 'NetBeui',
  0xfe: 'OSI',
};

const LLC_U_NAMES: Record<number, string> = {
  0x03: 'ui',
  0x0f: 'dm',
  0x43: 'disc',
  0x63: 'ua',
  0x6f: 'sabme',
  0x87: 'frmr',
  0xaf: 'xid',
  0xe3: 'test',
};

const LLC_S_NAMES = ['Receiver Ready', 'Receiver not Ready', 'Reject', '?'];

/** An 802.2 LLC frame of `length` bytes at `off` (captured up to `end`). */
function printLlc(p: Printer, off: number, end: number, length: number): void {
  const b = p.b;
  const e = p.opts.ethernet;
  const cut = (): void => {
    // tcpdump follows a cut-short LLC header with a dump of what there is.
    p.print(' [|llc]');
    p.print(hexAsciiDump(b, off, end - off));
  };
  if (end - off < 3) return cut();
  const dsap = b[off];
  const ssap = b[off + 1];
  const unnumbered = (b[off + 2] & 3) === 3;
  if (!unnumbered && end - off < 4) return cut();
  const ctrl = unnumbered ? b[off + 2] : b[off + 2] | (b[off + 3] << 8);
  if (e) {
    const sap = (v: number): string => `${SAP_NAMES[v & 0xfe] ?? 'Unknown'} (0x${hex2(v & 0xfe)})`;
    p.print(
      `LLC, dsap ${sap(dsap)} ${dsap & 1 ? 'Group' : 'Individual'}, ssap ${sap(ssap)} ${ssap & 1 ? 'Response' : 'Command'}, ` +
        `ctrl 0x${unnumbered ? hex2(ctrl) : hex4(ctrl)}: `,
    );
  }
  if ((dsap & 0xfe) === 0x42 && (ssap & 0xfe) === 0x42 && ctrl === 0x03) {
    printStp(p, off + 3, end, length - 3);
    return;
  }
  if (dsap === 0x06 && ssap === 0x06 && ctrl === 0x03) {
    if (off + 3 >= end) throw new Truncated('ip');
    printIp(p, off + 3, end);
    return;
  }
  if (dsap === 0xaa && ssap === 0xaa && ctrl === 0x03) {
    need(end, off + 3, 5, 'snap');
    const oui = (b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5];
    const type = u16(b, off + 6);
    const what =
      oui === 0
        ? `oui Ethernet (0x000000), ${ethertype(type)}`
        : `oui ${OUI_NAMES[oui] ?? 'Unknown'} (0x${oui.toString(16).padStart(6, '0')}), pid Unknown (0x${hex4(type)})`;
    if (e) p.print(`${what}, length ${length - 8}: `);
    if (oui === 0 && decodable(type)) {
      printEthertypePayload(p, type, off + 8, end);
    } else {
      if (!e) p.print(`${macName(p, 6)} > ${macName(p, 0)} SNAP, ${oui === 0 ? ethertype(type) : what}, length ${length - 8}: `);
      p.print(hexAsciiDump(b, off, end - off));
    }
    return;
  }
  if (!e) {
    const name = (v: number, which: string): string => SAP_NAMES[v & 0xfe] ?? `Unknown ${which} 0x${hex2(v & 0xfe)}`;
    if ((dsap & 0xfe) === (ssap & 0xfe)) p.print(`${macName(p, 6)} > ${macName(p, 0)} ${name(dsap, 'DSAP')} `);
    else p.print(`${macName(p, 6)} ${name(ssap, 'SSAP')} > ${macName(p, 0)} ${name(dsap, 'DSAP')} `);
  }
  const response = (ssap & 1) !== 0;
  if (unnumbered) {
    const pf = ctrl & 0x10 ? (response ? 'Final' : 'Poll') : response ? 'Response' : 'Command';
    p.print(`Unnumbered, ${LLC_U_NAMES[ctrl & 0xef] ?? hex2(ctrl & 0xef)}, Flags [${pf}], length ${length}`);
    p.print(hexAsciiDump(b, off, end - off));
    return;
  }
  const pf = ctrl & 0x100 ? (response ? 'Final' : 'Poll') : response ? 'Response' : 'Command';
  if ((ctrl & 1) === 0) {
    p.print(`Information, send seq ${(ctrl >> 1) & 0x7f}, rcv seq ${(ctrl >> 9) & 0x7f}, Flags [${pf}], length ${length}`);
    p.print(hexAsciiDump(b, off, end - off));
    return;
  }
  p.print(`Supervisory, ${LLC_S_NAMES[(ctrl >> 2) & 3]}, rcv seq ${(ctrl >> 9) & 0x7f}, Flags [${pf}], length ${length}`);
}

function stpBridgeId(b: Uint8Array, off: number): string {
  return `${hex4(u16(b, off))}.${macString(b, off + 2)}`;
}

const STP_FLAGS: [number, string][] = [
  [0x01, 'Topology change'],
  [0x02, 'Proposal'],
  [0x10, 'Learn'],
  [0x20, 'Forward'],
  [0x40, 'Agreement'],
  [0x80, 'Topology change ACK'],
];

/** A spanning tree BPDU (the 802.1d ones a Linux bridge sends, and RSTP's). */
function printStp(p: Printer, off: number, end: number, length: number): void {
  const b = p.b;
  if (length < 4) {
    p.print(' (invalid)');
    return;
  }
  need(end, off, 4, 'stp');
  const version = b[off + 2];
  const type = b[off + 3];
  if (u16(b, off) !== 0) {
    p.print(`unknown STP version, length ${length}`);
    return;
  }
  p.print('STP ');
  if (version === 0) p.print('802.1d');
  else if (version === 2) p.print('802.1w');
  else if (version === 3) p.print('802.1s');
  else if (version === 4) p.print('802.1aq');
  else {
    p.print(`Unknown STP protocol (0x${hex2(version)})`);
    return;
  }
  const flags = (o: number): string => {
    need(end, o, 1, 'stp');
    const f = STP_FLAGS.filter(([bit]) => b[o] & bit).map(([, n]) => n);
    return `Flags [${f.length ? f.join(', ') : 'none'}]`;
  };
  switch (type) {
    case 0x00:
      p.print(', Config');
      if (length < 35) {
        p.print(' (invalid)');
        return;
      }
      p.print(`, ${flags(off + 4)}`);
      need(end, off + 17, 10, 'stp');
      p.print(`, bridge-id ${stpBridgeId(b, off + 17)}.${hex4(u16(b, off + 25))}, length ${length}`);
      return;
    case 0x80:
      p.print(', Topology Change');
      return;
    case 0x02:
      p.print(', Rapid STP');
      if (version < 2) return;
      if (version === 3) throw new Truncated('stp');
      if (length < 36) {
        p.print(' (invalid)');
        return;
      }
      p.print(`, ${flags(off + 4)}`);
      need(end, off + 17, 10, 'stp');
      p.print(`, bridge-id ${stpBridgeId(b, off + 17)}.${hex4(u16(b, off + 25))}, length ${length}`);
      return;
    default:
      p.print(`, Unknown BPDU Type (0x${hex2(type)})`);
  }
}

// ---------------------------------------------------------------- ARP

const ARPHRD_NAMES: Record<number, string> = {
  1: 'Ethernet',
  6: 'TokenRing',
  7: 'ArcNet',
  15: 'FrameRelay',
  23: 'Strip',
  24: 'IEEE 1394',
  32: 'InfiniBand',
};

function printArp(p: Printer, off: number, end: number): void {
  const b = p.b;
  const length = end - off;
  need(end, off, 8, 'arp');
  const hrd = u16(b, off);
  const pro = u16(b, off + 2);
  const hln = b[off + 4];
  const pln = b[off + 5];
  const op = u16(b, off + 6);
  const sha = off + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  need(end, tpa, pln, 'arp');
  if (!p.opts.ethernet) p.print('ARP, ');
  if ((pro !== 0x0800 && pro !== 0x1000) || pln !== 4 || hln === 0) {
    p.print(
      `${ARPHRD_NAMES[hrd] ?? `Unknown Hardware (${hrd})`} (len ${hln}), ` +
        `${ETHERTYPE_NAMES[pro] ?? `Unknown Protocol (0x${hex4(pro)})`} (len ${pln})` +
        `, length ${length}`,
    );
    return;
  }
  const hw = (o: number): string => (hln === 6 ? macName(p, o) : macString(b, o, hln));
  const nonzero = (o: number, n: number): boolean => {
    for (let i = 0; i < n; i++) if (b[o + i]) return true;
    return false;
  };
  switch (op) {
    case 1:
      p.print(`Request who-has ${ipName(p, tpa)}`);
      if (nonzero(tha, hln)) p.print(` (${hw(tha)})`);
      p.print(` tell ${ipName(p, spa)}`);
      break;
    case 2:
      p.print(`Reply ${ipName(p, spa)} is-at ${hw(sha)}`);
      break;
    case 3:
      p.print(`Reverse Request who-is ${hw(tha)} tell ${hw(sha)}`);
      break;
    case 4:
      p.print(`Reverse Reply ${hw(tha)} at ${ipName(p, tpa)}`);
      break;
    case 8:
      p.print(`Inverse Request who-is ${hw(tha)} tell ${hw(sha)}`);
      break;
    case 9:
      p.print(`Inverse Reply ${hw(sha)} at ${ipName(p, spa)}`);
      break;
    default:
      p.print(`${op === 10 ? 'NACK Reply' : `Unknown (${op})`} `);
      p.print(hexAsciiDump(b, off, length));
      return;
  }
  p.print(`, length ${length}`);
}

// ---------------------------------------------------------------- IPv4

/** IPv4 at `off`; `length` is how long the layer below says it is. */
function printIp(p: Printer, off: number, end: number, length = end - off): void {
  const b = p.b;
  const version = b[off] >> 4;
  if (version !== 4) {
    p.print(version === 6 ? 'IP6, wrong link-layer encapsulation' : `IP${version}`);
    p.print(' (invalid)');
    return;
  }
  if (!p.opts.ethernet) p.print('IP ');
  need(end, off, 20, 'ip');
  const hlen = (b[off] & 0x0f) * 4;
  if (hlen < 20) {
    p.print(`bad-hlen ${hlen}`);
    return;
  }
  const tot = u16(b, off + 2);
  if (tot < hlen) {
    p.print(`bad-len ${tot}`);
    return;
  }
  if (length < tot) p.print(`truncated-ip - ${tot - length} bytes missing! `);
  end = Math.min(end, off + tot);
  const frag = u16(b, off + 6) & 0x1fff;
  const proto = b[off + 9];
  const src = ipName(p, off + 12);
  const dst = ipName(p, off + 16);
  if (frag !== 0) {
    // Not the first fragment: no transport header to decode.
    p.print(`${src} > ${dst}: ${protoName(p, proto)}`);
    return;
  }
  if (end - off < hlen) {
    // Transports that print the addresses with their ports have not yet.
    if (![6, 17, 33, 132].includes(proto)) p.print(`${src} > ${dst}: `);
    p.print(` [remaining caplen(${end - off}) < header length(${hlen})]`);
    throw new Truncated('ip');
  }
  const poff = off + hlen;
  const plen = tot - hlen;
  switch (proto) {
    case 1:
      p.print(`${src} > ${dst}: `);
      printIcmp(p, poff, end, plen);
      return;
    case 2:
      p.print(`${src} > ${dst}: `);
      printIgmp(p, poff, end, plen);
      return;
    case 6:
      printTcp(p, poff, end, plen, src, dst);
      return;
    case 17:
      printUdp(p, poff, end, plen, src, dst, false, (u16(b, off + 6) & 0x2000) !== 0);
      return;
    case 4:
      // IP in IP: the inner datagram, as tcpdump prints one after `IP `.
      p.print(`${src} > ${dst}: `);
      if (poff >= end) throw new Truncated('ip');
      printIp(p, poff, end, plen);
      return;
    case 41:
      p.print(`${src} > ${dst}: `);
      if (poff >= end) throw new Truncated('ip6');
      printIp6(p, poff, end, plen);
      return;
    case 58:
      p.print(`${src} > ${dst}: [ICMPv6 requires IPv6] (invalid)`);
      return;
    case 59:
      p.print(`${src} > ${dst}: no next header`);
      return;
    case 77:
      p.print(`${src} > ${dst}:  nd ${plen}`);
      return;
    case 143:
      p.print(`${src} > ${dst}: [Ethernet requires IPv6] (invalid)`);
      return;
    default:
      p.print(`${src} > ${dst}:  ${protoName(p, proto)} ${plen}`);
  }
}

// ---------------------------------------------------------------- ICMP

const UNREACH: Record<number, (d: string) => string> = {
  0: (d) => `net ${d} unreachable`,
  1: (d) => `host ${d} unreachable`,
  5: (d) => `${d} unreachable - source route failed`,
  6: (d) => `net ${d} unreachable - unknown`,
  7: (d) => `host ${d} unreachable - unknown`,
  8: (d) => `${d} unreachable - source host isolated`,
  9: (d) => `net ${d} unreachable - admin prohibited`,
  10: (d) => `host ${d} unreachable - admin prohibited`,
  11: (d) => `net ${d} unreachable - tos prohibited`,
  12: (d) => `host ${d} unreachable - tos prohibited`,
  13: (d) => `host ${d} unreachable - admin prohibited filter`,
  14: (d) => `host ${d} unreachable - host precedence violation`,
  15: (d) => `host ${d} unreachable - precedence cutoff`,
};

/** Milliseconds since midnight as tcpdump prints ICMP timestamps. */
function icmpTime(ms: number): string {
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  const r = ms % 1000;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(r).padStart(3, '0')}`;
}

function printIcmp(p: Printer, off: number, end: number, length: number): void {
  // Nothing is printed for a message cut short before its text is complete.
  p.print(`ICMP ${icmpText(p, off, end)}, length ${length}`);
}

function icmpText(p: Printer, off: number, end: number): string {
  const b = p.b;
  const T = 'icmp';
  need(end, off, 2, T);
  const type = b[off];
  const code = b[off + 1];
  const inner = off + 8;
  /** The destination of the datagram an error quotes. */
  const innerDst = (): string => {
    need(end, inner + 16, 4, T);
    return ipName(p, inner + 16);
  };
  switch (type) {
    case 0:
    case 8:
      need(end, off, 8, T);
      return `echo ${type === 0 ? 'reply' : 'request'}, id ${u16(b, off + 4)}, seq ${u16(b, off + 6)}`;
    case 3: {
      const d = innerDst();
      if (code === 2) return `${d} protocol ${b[inner + 9]} unreachable`;
      if (code === 3) {
        const ihl = (b[inner] & 0x0f) * 4;
        need(end, inner + ihl, 4, T);
        const proto = b[inner + 9];
        const port = u16(b, inner + ihl + 2);
        if (proto === 6) return `${d} tcp port ${portName(p, port, 'tcp')} unreachable`;
        if (proto === 17) return `${d} udp port ${portName(p, port, 'udp')} unreachable`;
        return `${d} protocol ${proto} port ${port} unreachable`;
      }
      if (code === 4) {
        need(end, off, 8, T);
        const mtu = u16(b, off + 6);
        return `${d} unreachable - need to frag${mtu ? ` (mtu ${mtu})` : ''}`;
      }
      const f = UNREACH[code];
      return f ? f(d) : `${d} unreachable - #${code}`;
    }
    case 4:
      return 'source quench';
    case 5: {
      const d = innerDst();
      need(end, off + 4, 4, T);
      const gw = ipName(p, off + 4);
      switch (code) {
        case 0:
          return `redirect ${d} to net ${gw}`;
        case 1:
          return `redirect ${d} to host ${gw}`;
        case 2:
          return `redirect-tos ${d} to net ${gw}`;
        case 3:
          return `redirect-tos ${d} to host ${gw}`;
        default:
          return `redirect-#${code} ${d} to ${gw}`;
      }
    }
    case 9: {
      need(end, off, 8, T);
      const num = b[off + 4];
      const size = b[off + 5];
      const life = u16(b, off + 6);
      let s = `router advertisement lifetime ${clockTime(life)} ${num}:`;
      if (size !== 2) return `${s} [size ${size}]`;
      let o = off + 8;
      for (let i = 0; i < num; i++) {
        need(end, o, 8, T);
        s += ` {${ipName(p, o)} ${u32(b, o + 4)}}`;
        o += 8;
      }
      return s;
    }
    case 10:
      return 'router solicitation';
    case 11: {
      innerDst();
      if (code === 0) return 'time exceeded in-transit';
      if (code === 1) return 'ip reassembly time exceeded';
      return `time exceeded-#${code}`;
    }
    case 12:
      if (code) return `parameter problem - code ${code}`;
      need(end, off + 4, 1, T);
      return `parameter problem - octet ${b[off + 4]}`;
    case 13:
    case 14: {
      need(end, off, 8, T);
      let s = `time stamp ${type === 13 ? 'query' : 'reply'} id ${u16(b, off + 4)} seq ${u16(b, off + 6)}`;
      if (type === 14) {
        need(end, off + 8, 12, T);
        s += `: org ${icmpTime(u32(b, off + 8))}, recv ${icmpTime(u32(b, off + 12))}, xmit ${icmpTime(u32(b, off + 16))}`;
      }
      return s;
    }
    case 15:
      return 'information request';
    case 16:
      return 'information reply';
    case 17:
      return 'address mask request';
    case 18:
      need(end, off + 8, 4, T);
      return `address mask is 0x${u32(b, off + 8)
        .toString(16)
        .padStart(8, '0')}`;
    default:
      return `type-#${type}`;
  }
}

/** Seconds as S, M:SS or H:MM:SS (ICMP router advertisement lifetimes). */
function clockTime(secs: number): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  if (secs < 60) return `${secs}`;
  if (secs < 3600) return `${Math.floor(secs / 60)}:${two(secs % 60)}`;
  return `${Math.floor(secs / 3600)}:${two(Math.floor((secs % 3600) / 60))}:${two(secs % 60)}`;
}

/** A duration in seconds as tcpdump writes it: 1h2m3s, 0s for zero. */
function relTime(secs: number): string {
  if (secs === 0) return '0s';
  let s = '';
  const units: [number, string][] = [
    [86400 * 365, 'y'],
    [86400 * 7, 'w'],
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  for (const [n, u] of units) {
    if (secs >= n) {
      s += `${Math.floor(secs / n)}${u}`;
      secs %= n;
    }
  }
  return s;
}

// ---------------------------------------------------------------- IGMP

/** IGMPv3's Max Resp Code -> tenths of a second (RFC 3376 4.1.1). */
function igmpCode(c: number): number {
  if (c < 128) return c;
  return ((c & 0x0f) | 0x10) << (((c >> 4) & 7) + 3);
}

function printIgmp(p: Printer, off: number, end: number, length: number): void {
  const b = p.b;
  const T = 'igmp';
  need(end, off, 1, T);
  const type = b[off];
  switch (type) {
    case 0x11: {
      p.print('igmp query');
      if (length >= 12) {
        p.print(' v3');
        if (length % 4 !== 0) {
          p.print(` [invalid len ${length}]`);
          return;
        }
        need(end, off + 1, 1, T);
        const tenths = igmpCode(b[off + 1]);
        if (tenths !== 100) {
          p.print(' [max resp time ');
          p.print(tenths < 600 ? `${Math.floor(tenths / 10)}.${tenths % 10}s` : relTime(Math.floor(tenths / 10)));
          p.print(']');
        }
        need(end, off + 4, 4, T);
        if (u32(b, off + 4) === 0) return;
        p.print(` [gaddr ${ipName(p, off + 4)}`);
        need(end, off + 10, 2, T);
        const nsrc = u16(b, off + 10);
        if (12 + nsrc * 4 > length) p.print(' [invalid number of sources]]');
        else p.print(nsrc ? `, ${nsrc} source(s)]` : ']');
        return;
      }
      need(end, off + 1, 1, T);
      const mrt = b[off + 1];
      p.print(mrt === 0 ? ' v1' : ' v2');
      if (mrt !== 0 && mrt !== 100) p.print(` [max resp time ${mrt}]`);
      need(end, off + 4, 4, T);
      if (u32(b, off + 4)) p.print(` [gaddr ${ipName(p, off + 4)}]`);
      if (length !== 8) p.print(` [len ${length}]`);
      return;
    }
    case 0x12:
      need(end, off + 4, 4, T);
      p.print(`igmp v1 report ${ipName(p, off + 4)}`);
      if (length !== 8) p.print(` [len ${length}]`);
      return;
    case 0x16:
      need(end, off + 4, 4, T);
      p.print(`igmp v2 report ${ipName(p, off + 4)}`);
      return;
    case 0x17:
      need(end, off + 4, 4, T);
      p.print(`igmp leave ${ipName(p, off + 4)}`);
      return;
    case 0x22: {
      p.print('igmp v3 report');
      if (length < 16 || length % 4 !== 0) {
        p.print(` [invalid len ${length}]`);
        return;
      }
      need(end, off + 6, 2, T);
      p.print(`, ${u16(b, off + 6)} group record(s)`);
      return;
    }
    case 0x13:
      p.print('igmp dvmrp');
      need(end, off + 1, 1, 'dvmrp');
      p.print(b[off + 1] === 1 ? ' Probe' : b[off + 1] === 2 ? ' Report' : ` [type ${b[off + 1]}]`);
      return;
    default:
      p.print(`igmp-${type}`);
  }
}

// ---------------------------------------------------------------- UDP / TCP

/** print-rx.c's rx_types. */
const RX_TYPES = new Map<number, string>([
  [1, 'data'],
  [2, 'ack'],
  [3, 'busy'],
  [4, 'abort'],
  [5, 'ackall'],
  [6, 'challenge'],
  [7, 'response'],
  [8, 'debug'],
  [9, 'params'],
  [13, 'version'],
]);

/** `portsOnly`: after IPv6 extension headers tcpdump prints `SPORT > DPORT: `. */
function printUdp(
  p: Printer,
  off: number,
  end: number,
  length: number,
  src: string,
  dst: string,
  portsOnly = false,
  moreFragments = false,
): void {
  const b = p.b;
  if (off + 4 > end) {
    if (!portsOnly) p.print(`${src} > ${dst}: `);
    throw new Truncated('udp');
  }
  const sport = portName(p, u16(b, off), 'udp');
  const dport = portName(p, u16(b, off + 2), 'udp');
  p.print(portsOnly ? `${sport} > ${dport}: ` : `${src}.${sport} > ${dst}.${dport}: `);
  if (length < 8) {
    p.print(`truncated-udp ${length}`);
    return;
  }
  need(end, off + 4, 2, 'udp');
  const ulen = u16(b, off + 4);
  if (ulen < 8) {
    p.print(`truncated-udplength ${ulen}`);
    return;
  }
  need(end, off, 8, 'udp');
  if (ulen > length && !moreFragments) {
    p.print(`UDP, bad length ${ulen - 8} > ${length - 8}`);
    return;
  }
  const sp = u16(b, off);
  const dp = u16(b, off + 2);
  // rx_print (AFS RX, ports 7000-7009): the packet type from the 28-byte
  // header, then the payload's length (this fragment's, if it is one). Not
  // decoded: the AFS call inside a first DATA packet or an ACK's contents.
  if ((sp >= 7000 && sp <= 7009) || (dp >= 7000 && dp <= 7009)) {
    const rxLength = Math.min(length, ulen) - 8;
    if (end - (off + 8) < 28) p.print(` [|rx] (${rxLength})`);
    else {
      const type = b[off + 8 + 20];
      p.print(` rx ${RX_TYPES.get(type) ?? `type ${type}`} (${rxLength})`);
    }
    return;
  }
  p.print(`UDP, length ${ulen - 8}`);
}

// tcpdump's flag letters, in the order it prints them.
const TCP_FLAGS: [number, string][] = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

/**
 * tcpdump's table of conversations (print-tcp.c's tcp_seq_hash): the first
 * ACK-bearing packet of a connection (or any SYN-ACK) prints absolute
 * numbers and records each direction's base; later packets print relative to
 * it. One table lives as long as one tcpdump run reads a capture.
 */
export class TcpSeqTable {
  private flows = new Map<string, Map<string, number>>();

  /** Returns [seq, ack] as tcpdump prints them, recording a new conversation when it starts one. */
  numbers(src: string, dst: string, syn: boolean, seq: number, ack: number): [number, number] {
    const key = src < dst ? `${src} ${dst}` : `${dst} ${src}`;
    const bases = this.flows.get(key);
    if (!bases || syn) {
      this.flows.set(
        key,
        new Map([
          [src, seq],
          [dst, (ack - 1) >>> 0],
        ]),
      );
      return [seq, ack];
    }
    return [(seq - bases.get(src)!) >>> 0, (ack - bases.get(dst)!) >>> 0];
  }

  /** The base of `end`'s sequence numbers (what its SACK blocks are printed relative to), 0 if none. */
  base(src: string, dst: string, end: string): number {
    const key = src < dst ? `${src} ${dst}` : `${dst} ${src}`;
    return this.flows.get(key)?.get(end) ?? 0;
  }
}

function printTcpOptions(p: Printer, off: number, end: number, hlen: number, sackBase: number): void {
  const b = p.b;
  const parts: string[] = [];
  let o = off + 20;
  const stop = off + hlen;
  p.print(', options [');
  try {
    while (o < stop) {
      need(end, o, 1, 'tcp');
      const kind = b[o];
      if (kind === 0) {
        parts.push('eol');
        break;
      }
      if (kind === 1) {
        parts.push('nop');
        o++;
        continue;
      }
      need(end, o + 1, 1, 'tcp');
      const len = b[o + 1];
      if (len < 2 || o + len > stop) {
        parts.push(`opt-${kind}:`);
        break;
      }
      need(end, o, len, 'tcp');
      const d = o + 2;
      const dl = len - 2;
      switch (kind) {
        case 2:
          parts.push(dl === 2 ? `mss ${u16(b, d)}` : `mss[len ${len}]`);
          break;
        case 3:
          parts.push(dl === 1 ? `wscale ${b[d]}` : `wscale[len ${len}]`);
          break;
        case 4:
          parts.push('sackOK');
          break;
        case 5: {
          if (dl % 8 !== 0) {
            parts.push('sack invalid sack');
            break;
          }
          let s = `sack ${dl / 8} `;
          for (let i = 0; i < dl; i += 8) s += `{${(u32(b, d + i) - sackBase) >>> 0}:${(u32(b, d + i + 4) - sackBase) >>> 0}}`;
          parts.push(s);
          break;
        }
        case 8:
          parts.push(dl === 8 ? `TS val ${u32(b, d)} ecr ${u32(b, d + 4)}` : `TS[len ${len}]`);
          break;
        default: {
          let s = `unknown-${kind}`;
          if (dl > 0) s += ' 0x' + Array.from(b.subarray(d, d + dl), hex2).join('');
          parts.push(s);
        }
      }
      o += len;
    }
  } finally {
    p.print(parts.join(','));
  }
  p.print(']');
}

// Text protocols tcpdump 4.99 recognises by port, with the request names it
// knows (an HTTP or RTSP payload that starts with none of them, nor with a
// status line, prints only the protocol's name).
const HTTP_METHODS = new Set(
  'GET PUT COPY HEAD LOCK MOVE POLL POST BCOPY BMOVE MKCOL TRACE LABEL MERGE DELETE SEARCH UNLOCK REPORT UPDATE NOTIFY BDELETE CONNECT OPTIONS CHECKIN PROPFIND CHECKOUT SUBSCRIBE PROPPATCH BPROPFIND BPROPPATCH UNCHECKOUT MKACTIVITY MKWORKSPACE UNSUBSCRIBE RPC_CONNECT VERSION-CONTROL BASELINE-CONTROL'.split(
    ' ',
  ),
);
const RTSP_METHODS = new Set(
  'DESCRIBE ANNOUNCE GET_PARAMETER OPTIONS PAUSE PLAY RECORD REDIRECT SETUP SET_PARAMETER TEARDOWN'.split(' '),
);
const TCP_TEXT_PROTOCOLS: Record<number, { name: string; methods: Set<string> | null }> = {
  21: { name: 'ftp', methods: null },
  25: { name: 'smtp', methods: null },
  43: { name: 'whois', methods: null },
  80: { name: 'http', methods: HTTP_METHODS },
  8080: { name: 'http', methods: HTTP_METHODS },
  554: { name: 'rtsp', methods: RTSP_METHODS },
  8554: { name: 'rtsp', methods: RTSP_METHODS },
};

/**
 * TCP ports (source or destination) where tcpdump 4.99 prints a line of text
 * after `length N` with a decoder this module does not have (DNS, BGP,
 * RPKI-RTR, MSDP, PPTP, RESP, OpenFlow, BEEP), found by sending a line of text
 * to every port: there its text differs from ours.
 */
export const TCP_PORTS_DECODED_BY_TCPDUMP = new Set([53, 179, 323, 639, 1723, 6379, 6633, 6653, 10288]);

const isPrint = (c: number): boolean => c >= 0x20 && c < 0x7f;

/** fetch_token: a printable word ending at white space; returns [token, index after it and its blanks] or null. */
function fetchToken(b: Uint8Array, off: number, idx: number, len: number): [string, number] | null {
  let tok = '';
  for (; idx < len; idx++) {
    const c = b[off + idx];
    if (c >= 0x80) return null;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (!isPrint(c) || tok.length + 2 > 129) return null;
    tok += String.fromCharCode(c);
  }
  if (!tok) return null;
  for (; idx < len; idx++) {
    const c = b[off + idx];
    if (c === 0x0d || c === 0x0a || !isPrint(c) || (c !== 0x20 && c !== 0x09)) break;
  }
  return [tok, idx];
}

/** print_txt_line from the start of the payload: the first line if it is printable text. */
function printTextLine(p: Printer, off: number, len: number, proto: string): void {
  const b = p.b;
  for (let i = 0; i < len; i++) {
    const c = b[off + i];
    if (c === 0x0a || (c === 0x0d && i + 1 < len && b[off + i + 1] === 0x0a)) {
      p.print(': ' + String.fromCharCode(...b.subarray(off, off + i)));
      return;
    }
    if (c === 0x0d || (!isPrint(c) && c !== 0x09)) return;
  }
  p.print(': ' + String.fromCharCode(...b.subarray(off, off + len)) + ` [|${proto}]`);
}

/** txtproto_print, non-verbose: the protocol's name and, for a request or response, its first line. */
function printTextProtocol(p: Printer, off: number, len: number, proto: { name: string; methods: Set<string> | null }): void {
  let reqresp = proto.methods === null;
  if (proto.methods) {
    const first = fetchToken(p.b, off, 0, len);
    if (first) {
      if (proto.methods.has(first[0].toUpperCase())) reqresp = true;
      const second = fetchToken(p.b, off, first[1], len);
      if (second && /^[0-9]{3}$/.test(second[0])) reqresp = true;
    }
  }
  p.print(': ' + proto.name.toUpperCase());
  if (reqresp) printTextLine(p, off, len, proto.name);
}

function printTcp(p: Printer, off: number, end: number, length: number, src: string, dst: string, portsOnly = false): void {
  const b = p.b;
  if (off + 4 > end) {
    if (!portsOnly) p.print(`${src} > ${dst}:`);
    throw new Truncated('tcp');
  }
  const sportNum = u16(b, off);
  const dportNum = u16(b, off + 2);
  const sport = portName(p, sportNum, 'tcp');
  const dport = portName(p, dportNum, 'tcp');
  p.print(portsOnly ? `${sport} > ${dport}: ` : `${src}.${sport} > ${dst}.${dport}: `);
  need(end, off, 20, 'tcp');
  const hlen = (b[off + 12] >> 4) * 4;
  if (hlen < 20) {
    p.print(` tcp ${length - hlen} [bad hdr length ${hlen} - too short, < 20]`);
    return;
  }
  const flags = b[off + 13];
  let f = '';
  for (const [bit, c] of TCP_FLAGS) if (flags & bit) f += c;
  if (!f) f = 'none';
  let seq = u32(b, off + 4);
  let ack = u32(b, off + 8);
  const win = u16(b, off + 14);
  p.print(`Flags [${f}]`);
  const me = `${src}.${sportNum}`;
  const peer = `${dst}.${dportNum}`;
  const table = p.opts.tcpSeq ?? new TcpSeqTable();
  if (flags & 0x10) [seq, ack] = table.numbers(me, peer, (flags & 0x02) !== 0, seq, ack);
  if (hlen > length) {
    p.print(` [bad hdr length ${hlen} - too long, > ${length}]`);
    return;
  }
  const dlen = length - hlen;
  if (dlen > 0 || flags & 0x07) p.print(`, seq ${seq}${dlen > 0 ? `:${(seq + dlen) >>> 0}` : ''}`);
  if (flags & 0x10) p.print(`, ack ${ack}`);
  p.print(`, win ${win}`);
  if (flags & 0x20) p.print(`, urg ${u16(b, off + 18)}`);
  if (hlen > 20) printTcpOptions(p, off, end, hlen, flags & 0x10 ? table.base(me, peer, peer) : 0);
  p.print(`, length ${dlen}`);
  if (dlen <= 0) return;
  const text = TCP_TEXT_PROTOCOLS[sportNum] ?? TCP_TEXT_PROTOCOLS[dportNum];
  if (text) printTextProtocol(p, off + hlen, Math.min(dlen, end - off - hlen), text);
}

// ---------------------------------------------------------------- IPv6

function ip6String(b: Uint8Array, off: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(u16(b, off + 2 * i));
  // The longest run (of at least two) of zero words becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexw = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  if (best < 0) return hexw(w);
  // IPv4-mapped and -compatible forms print the last 32 bits dotted.
  if (best === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
    const v4 = `${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
    return bestLen === 6 ? `::${v4}` : `::ffff:${v4}`;
  }
  return `${hexw(w.slice(0, best))}::${hexw(w.slice(best + bestLen))}`;
}

function printIp6(p: Printer, off: number, end: number, length = end - off): void {
  const b = p.b;
  need(end, off, 40, 'ip6');
  if (!p.opts.ethernet) p.print('IP6 ');
  const version = b[off] >> 4;
  if (version !== 6) {
    p.print(`version error: ${version} != 6`);
    return;
  }
  const plen = u16(b, off + 4);
  let nh = b[off + 6];
  const src = ip6String(b, off + 8);
  const dst = ip6String(b, off + 24);
  if (length - 40 < plen) p.print(`truncated-ip6 - ${plen - (length - 40)} bytes missing!`);
  end = Math.min(end, off + 40 + plen);
  let o = off + 40;
  let len = plen;
  // TCP and UDP print the addresses with their ports; everything else after them.
  const addrs = nh !== 6 && nh !== 17;
  if (addrs) p.print(`${src} > ${dst}: `);
  for (;;) {
    switch (nh) {
      case 0:
      case 60: {
        need(end, o, 2, nh === 0 ? 'hbhopt' : 'dstopt');
        const l = (b[o + 1] + 1) * 8;
        need(end, o, l, nh === 0 ? 'hbhopt' : 'dstopt');
        p.print(nh === 0 ? 'HBH ' : 'DSTOPT ');
        nh = b[o];
        o += l;
        len -= l;
        continue;
      }
      case 44: {
        need(end, o, 8, 'frag6');
        const fo = u16(b, o + 2) & 0xfff8;
        nh = b[o];
        o += 8;
        len -= 8;
        p.print(`frag (${fo}|${len})`);
        if (fo !== 0) return;
        p.print(' ');
        continue;
      }
      case 58:
        printIcmp6(p, o, end, len);
        return;
      case 17:
        if (addrs) printUdp(p, o, end, len, '', '', true);
        else printUdp(p, o, end, len, src, dst);
        return;
      case 6:
        if (addrs) printTcp(p, o, end, len, '', '', true);
        else printTcp(p, o, end, len, src, dst);
        return;
      case 59:
        p.print('no next header');
        return;
      default:
        if (!addrs) p.print(`${src} > ${dst}: `);
        p.print(` ${protoName(p, nh)} ${len}`);
        return;
    }
  }
}

/** tcpdump's hex dump without ASCII (`\n\t0x0000:  xxxx xxxx ...`). */
function hexDump(b: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let line = 0; line < len; line += 16) {
    const n = Math.min(16, len - line);
    let hex = '';
    for (let i = 0; i < n; i += 2) {
      hex += ' ' + hex2(b[off + line + i]) + (i + 1 < n ? hex2(b[off + line + i + 1]) : '');
    }
    s += `\n\t0x${hex4(line)}: ${hex}`;
  }
  return s;
}

const ICMP6_NAMES: Record<number, string> = {
  133: 'router solicitation',
  134: 'router advertisement',
  141: 'inverse neighbor solicitation',
  142: 'inverse neighbor advertisement',
  144: 'ha discovery request',
  145: 'ha discovery reply',
  146: 'mobile router solicitation',
  147: 'mobile router advertisement',
  200: 'mtrace response',
  201: 'mtrace message',
};

/** ICMPv6 types tcpdump decodes in ways this module does not (printed here as unknown types). */
export const UNDECODED_ICMP6_TYPES = new Set([138, 139, 140, 155]);

const ICMP6_PARAM_PROBLEMS = ['erroneous', 'next header', 'option', 'incomplete header chain'];

function printIcmp6(p: Printer, off: number, end: number, length: number): void {
  const b = p.b;
  const T = 'icmp6';
  if (length <= 0) {
    p.print(`ICMP6, length ${length} (invalid)`);
    return;
  }
  need(end, off, 1, T);
  p.print('ICMP6, ');
  const type = b[off];
  const inner = off + 8;
  const innerAddr = (at: number): string => {
    need(end, inner + at, 16, T);
    return ip6String(b, inner + at);
  };
  const code = (): number => (need(end, off + 1, 1, T), b[off + 1]);
  switch (type) {
    case 1: {
      p.print('destination unreachable');
      const c = code();
      switch (c) {
        case 0:
          p.print(', unreachable route');
          p.print(` ${innerAddr(24)}`);
          break;
        case 1:
          p.print(',  unreachable prohibited');
          p.print(` ${innerAddr(24)}`);
          break;
        case 2:
          p.print(', beyond scope');
          p.print(` ${innerAddr(24)}`);
          p.print(`, source address ${innerAddr(8)}`);
          break;
        case 3:
          p.print(', unreachable address');
          p.print(` ${innerAddr(24)}`);
          break;
        case 4: {
          p.print(', unreachable port');
          const d = innerAddr(24);
          need(end, inner + 6, 1, T);
          const nh = b[inner + 6];
          if (nh !== 6 && nh !== 17) throw new Truncated(T);
          need(end, inner + 40, 4, T);
          p.print(`, ${d} ${nh === 6 ? 'tcp' : 'udp'} port ${portName(p, u16(b, inner + 42), nh === 6 ? 'tcp' : 'udp')}`);
          break;
        }
        default:
          p.print(`, unknown unreach code (${c})`);
          need(end, off, length, T);
          p.print(hexDump(b, off, length));
          return;
      }
      break;
    }
    case 2:
      need(end, off + 4, 4, T);
      p.print(`packet too big, mtu ${u32(b, off + 4)}`);
      break;
    case 3: {
      p.print('time exceeded in-transit');
      const c = code();
      if (c === 0) p.print(` for ${innerAddr(24)}`);
      else if (c === 1) p.print(' (reassembly)');
      else p.print(`, unknown code (${c})`);
      break;
    }
    case 4: {
      p.print('parameter problem, ');
      const c = code();
      need(end, off + 4, 4, T);
      p.print(`${ICMP6_PARAM_PROBLEMS[c] ?? `code-#${c}`} - octet ${u32(b, off + 4)}`);
      break;
    }
    case 128:
    case 129:
      p.print(`echo ${type === 128 ? 'request' : 'reply'}`);
      need(end, off + 4, 4, T);
      p.print(`, id ${u16(b, off + 4)}, seq ${u16(b, off + 6)}`);
      break;
    case 130:
    case 131:
    case 132: {
      p.print(`multicast listener ${type === 130 ? 'query' : type === 131 ? 'report' : 'done'}`);
      if (type === 130 && length !== 24) {
        if (length >= 28) {
          p.print(' v2');
          need(end, off + 8, 16, T);
          p.print(` [gaddr ${ip6String(b, off + 8)}`);
          need(end, off + 26, 2, T);
          const nsrc = u16(b, off + 26);
          if (28 + nsrc * 16 > length) p.print(' [invalid number of sources]]');
          else p.print(nsrc ? `, ${nsrc} source(s)]` : ']');
        } else {
          p.print(` unknown-version (len ${length}) `);
        }
        break;
      }
      if (length < 24) break;
      need(end, off + 8, 16, T);
      p.print(`max resp delay: ${u16(b, off + 4)} addr: ${ip6String(b, off + 8)}`);
      break;
    }
    case 133:
    case 134:
    case 141:
    case 142:
    case 145:
    case 147:
      p.print(ICMP6_NAMES[type]);
      need(end, off, 2, T);
      break;
    case 144:
    case 146:
      p.print(ICMP6_NAMES[type]);
      need(end, off + 4, 2, T);
      p.print(`, id 0x${hex4(u16(b, off + 4))}`);
      break;
    case 200:
    case 201:
      p.print(ICMP6_NAMES[type]);
      need(end, off, length, T);
      p.print(`, length ${length}`);
      p.print(hexDump(b, off, length));
      return;
    case 135:
      p.print('neighbor solicitation');
      need(end, off + 8, 16, T);
      p.print(`, who has ${ip6String(b, off + 8)}`);
      break;
    case 136:
      p.print('neighbor advertisement');
      need(end, off + 8, 16, T);
      p.print(`, tgt is ${ip6String(b, off + 8)}`);
      break;
    case 137:
      p.print('redirect');
      need(end, off + 8, 32, T);
      p.print(`, ${ip6String(b, off + 8)} to ${ip6String(b, off + 24)}`);
      break;
    case 143:
      p.print('multicast listener report v2');
      if (length < 8) {
        p.print(` [invalid len ${length}]`);
        break;
      }
      need(end, off + 6, 2, T);
      p.print(`, ${u16(b, off + 6)} group record(s)`);
      break;
    default:
      p.print(`unknown icmp6 type (${type})`);
      need(end, off, length, T);
      p.print(`, length ${length}`);
      p.print(hexDump(b, off, length));
      return;
  }
  p.print(`, length ${length}`);
}

// ---------------------------------------------------------------- API

/**
 * One packet as `tcpdump [-n|-nn] [-e] -r FILE` prints it. A packet tcpdump
 * prints on several lines (the hex dump of an undecoded payload) comes back
 * as one string with "\n" between them.
 */
export function formatTcpdumpLine(bytes: Uint8Array, opts: TcpdumpOptions): string {
  if (bytes.length === 0) return '[Invalid header: caplen==0, len==0]';
  const p = new Printer(bytes, opts);
  try {
    printEther(p);
  } catch (e) {
    if (!(e instanceof Truncated)) throw e;
    p.print(` [|${e.proto}]`);
  }
  return (opts.timestamp !== null ? `${opts.timestamp} ` : '') + p.out;
}

/**
 * The 16-bit ones' complement sum used by IP, ICMP, IGMP, UDP and TCP
 * (0 when the covered bytes, checksum included, are right).
 */
export function internetChecksum(b: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < len; i += 2) sum += (b[off + i] << 8) | b[off + i + 1];
  if (len & 1) sum += b[off + len - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * The checksums of an Ethernet frame that are wrong, as short descriptions
 * (empty when all are right): the IPv4 header checksum, and for an unfragmented
 * IPv4 datagram that was captured whole, its ICMP, IGMP, UDP or TCP checksum
 * (a UDP checksum of 0 means "none"; one left to checksum offload holds the
 * pseudo-header's sum). Frames that carry no IPv4 pass.
 */
export function checksumProblems(frame: Uint8Array): string[] {
  let off = ETH_HLEN;
  if (frame.length < off) return [];
  let type = u16(frame, 12);
  while (type === 0x8100 && frame.length >= off + 4) {
    type = u16(frame, off + 2);
    off += 4;
  }
  if (type !== 0x0800 || frame.length < off + 20 || frame[off] >> 4 !== 4) return [];
  const problems: string[] = [];
  const hlen = (frame[off] & 0x0f) * 4;
  const tot = u16(frame, off + 2);
  if (hlen < 20 || frame.length < off + hlen) return ['ip: bad header length'];
  if (internetChecksum(frame, off, hlen) !== 0) problems.push('ip: bad header checksum');
  const fragmented = (u16(frame, off + 6) & 0x3fff) !== 0;
  if (tot < hlen || frame.length < off + tot || fragmented) return problems;
  const proto = frame[off + 9];
  const poff = off + hlen;
  const plen = tot - hlen;
  if (proto === 1 || proto === 2) {
    if (internetChecksum(frame, poff, plen) !== 0) problems.push(`${proto === 1 ? 'icmp' : 'igmp'}: bad checksum`);
  } else if (proto === 6 || proto === 17) {
    if (proto === 17 && plen >= 8 && u16(frame, poff + 6) === 0) return problems;
    let pseudo = plen + proto;
    for (let i = 0; i < 8; i += 2) pseudo += u16(frame, off + 12 + i);
    // Checksum offload (CHECKSUM_PARTIAL): a device that computes it leaves
    // the pseudo-header's sum in the field, and a capture on the sending side
    // (veth, lo, a bridge) sees that.
    let folded = pseudo;
    while (folded > 0xffff) folded = (folded & 0xffff) + (folded >>> 16);
    const field = u16(frame, poff + (proto === 6 ? 16 : 6));
    if (field !== folded && internetChecksum(frame, poff, plen, pseudo) !== 0)
      problems.push(`${proto === 6 ? 'tcp' : 'udp'}: bad checksum`);
  }
  return problems;
}

/** Whether an Ethernet frame's IPv4 checksums (header and payload) are right. */
export function ipChecksumOk(frame: Uint8Array): boolean {
  return checksumProblems(frame).length === 0;
}

export interface CaptureFormatOptions {
  numeric: boolean;
  ethernet: boolean;
  /** Prefix each packet with its `HH:MM:SS.uuuuuu` (as tcpdump does; default true). */
  timestamps?: boolean;
  resolveHost?: (addr: string) => string | null | undefined;
}

/** What tcpdump prints for a whole capture: one string per packet (see formatTcpdumpLine). */
export function formatCapture(cap: Capture, opts: CaptureFormatOptions): string[] {
  const tcpSeq = new TcpSeqTable();
  return cap.packets.map((pkt) =>
    formatTcpdumpLine(pkt.bytes, {
      tcpSeq,
      numeric: opts.numeric,
      ethernet: opts.ethernet,
      resolveHost: opts.resolveHost,
      timestamp: opts.timestamps === false ? null : tcpdumpTimestamp(pkt.time),
    }),
  );
}
