// Frame builders for the output tests: crafted Ethernet frames with correct
// checksums, to compare our tcpdump text with the real tcpdump's.
import { internetChecksum, UDP_PORTS_DECODED_BY_TCPDUMP, UNDECODED_ETHERTYPES, UNDECODED_IP_PROTOCOLS } from './tcpdump.ts';

export const MAC_A = '7a:0b:6c:99:a2:01';
export const MAC_B = '46:5d:0b:c1:c0:13';
export const MAC_BCAST = 'ff:ff:ff:ff:ff:ff';
export const MAC_ZERO = '00:00:00:00:00:00';

export function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function mac(s: string): number[] {
  return s.split(':').map((x) => parseInt(x, 16));
}

export function ip4(s: string): number[] {
  return s.split('.').map((x) => parseInt(x, 10));
}

export function be16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

export function be32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

export function eth(dst: string, src: string, type: number, payload: Uint8Array | number[]): Uint8Array {
  return concat(mac(dst), mac(src), be16(type), payload);
}

export interface IpOpts {
  ttl?: number;
  id?: number;
  /** flags and fragment offset (in 8-byte units), as the 16-bit field */
  frag?: number;
  tos?: number;
  options?: number[];
  totLen?: number;
  ihl?: number;
  version?: number;
  checksum?: number;
}

export function ipv4(src: string, dst: string, proto: number, payload: Uint8Array | number[], o: IpOpts = {}): Uint8Array {
  const opts = o.options ?? [];
  const hl = 20 + opts.length;
  const h = concat(
    [((o.version ?? 4) << 4) | (o.ihl ?? hl / 4), o.tos ?? 0],
    be16(o.totLen ?? hl + payload.length),
    be16(o.id ?? 0x1234),
    be16(o.frag ?? 0x4000),
    [o.ttl ?? 64, proto, 0, 0],
    ip4(src),
    ip4(dst),
    opts,
  );
  const c = o.checksum ?? internetChecksum(h, 0, h.length);
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return concat(h, payload);
}

export function icmp(type: number, code: number, rest: number[], data: Uint8Array | number[] = []): Uint8Array {
  const b = concat([type, code, 0, 0], rest, data);
  const c = internetChecksum(b, 0, b.length);
  b[2] = c >> 8;
  b[3] = c & 0xff;
  return b;
}

export function pingData(n = 56): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = i & 0xff;
  return d;
}

export function echo(type: 0 | 8, id: number, seq: number, data: Uint8Array | number[] = pingData()): Uint8Array {
  return icmp(type, 0, [...be16(id), ...be16(seq)], data);
}

export function arp(
  op: number,
  sha: string,
  spa: string,
  tha: string,
  tpa: string,
  o: { htype?: number; ptype?: number; hlen?: number; plen?: number } = {},
): Uint8Array {
  return concat(
    be16(o.htype ?? 1),
    be16(o.ptype ?? 0x0800),
    [o.hlen ?? 6, o.plen ?? 4],
    be16(op),
    mac(sha),
    ip4(spa),
    mac(tha),
    ip4(tpa),
  );
}

export function udp(sport: number, dport: number, data: Uint8Array | number[], ulen?: number): Uint8Array {
  return concat(be16(sport), be16(dport), be16(ulen ?? 8 + data.length), [0, 0], data);
}

export function igmp(type: number, code: number, group: string, extra: number[] = []): Uint8Array {
  const b = concat([type, code, 0, 0], ip4(group), extra);
  const c = internetChecksum(b, 0, b.length);
  b[2] = c >> 8;
  b[3] = c & 0xff;
  return b;
}

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const A = MAC_A;
const B = MAC_B;

/** Frames covering what skbwalk sends, and the ways they can be cut or bent. */
export function craftedFrames(): Uint8Array[] {
  const fr: Uint8Array[] = [];
  const E = (p: Uint8Array, dst = B, src = A): Uint8Array => eth(dst, src, 0x0800, p);
  const ping = ipv4('10.1.1.1', '10.1.1.2', 1, echo(8, 17225, 1));
  const err = (t: number, code: number, inner: Uint8Array | number[], rest: number[] = [0, 0, 0, 0]): Uint8Array =>
    eth(A, B, 0x0800, ipv4('10.1.1.2', '10.1.1.1', 1, icmp(t, code, rest, inner)));
  const udpInner = ipv4('10.1.1.1', '10.1.1.3', 17, udp(40000, 33434, new Uint8Array(8).fill(0x78)));
  const tcpInner = ipv4(
    '10.1.1.1',
    '10.1.1.3',
    6,
    concat(be16(40000), be16(80), be32(1), be32(0), [0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0]),
  );
  // Echo, loopback, padding.
  fr.push(E(ping), E(ipv4('10.1.1.2', '10.1.1.1', 1, echo(0, 17225, 1)), A, B));
  fr.push(eth(MAC_ZERO, MAC_ZERO, 0x0800, ipv4('127.0.0.1', '127.0.0.1', 1, echo(8, 1, 2))));
  fr.push(E(concat(ping, new Uint8Array(10))));
  fr.push(E(concat(ipv4('10.1.1.1', '10.1.1.2', 1, echo(8, 1, 1, [])), new Uint8Array(18))));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 1, echo(8, 65535, 65535, pingData(1472)))));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.255', 1, echo(8, 3, 1)), MAC_BCAST));
  // Unreachable, time exceeded, redirect, ... with every code.
  for (let code = 0; code <= 16; code++) fr.push(err(3, code, ping.subarray(0, 28)));
  fr.push(err(3, 3, udpInner.subarray(0, 28)), err(3, 3, tcpInner.subarray(0, 28)), err(3, 2, udpInner.subarray(0, 28)));
  fr.push(err(3, 4, ping.subarray(0, 28), [0, 0, 0x05, 0xdc]), err(3, 4, udpInner, [0, 0, 0x05, 0xdc]));
  fr.push(err(3, 1, ping), err(3, 3, ping));
  for (let code = 0; code <= 2; code++) fr.push(err(11, code, ping.subarray(0, 28)));
  fr.push(err(11, 0, ping));
  for (let code = 0; code <= 4; code++) fr.push(err(5, code, ping.subarray(0, 28), ip4('10.1.1.254')));
  fr.push(
    err(12, 0, ping.subarray(0, 28), [5, 0, 0, 0]),
    err(12, 1, ping.subarray(0, 28), [5, 0, 0, 0]),
    err(12, 2, ping.subarray(0, 28)),
  );
  for (const t of [4, 10, 13, 14, 15, 16, 17, 18, 1, 2, 6, 7, 19, 30, 37, 40, 41, 42, 43, 44, 255]) {
    fr.push(err(t, 0, ping.subarray(0, 28), [0, 1, 0, 2]));
  }
  fr.push(err(9, 0, concat(ip4('10.1.1.1'), be32(0), ip4('10.1.1.9'), be32(7)), [2, 2, 0x07, 0x08]));
  fr.push(err(9, 0, [], [0, 2, 0, 0]), err(9, 0, [], [1, 1, 0, 30]));
  // ICMP errors quoting too little.
  for (const n of [0, 8, 19, 20, 21, 22, 23, 24]) {
    fr.push(
      err(3, 1, ping.subarray(0, n)),
      err(3, 3, ping.subarray(0, n)),
      err(11, 0, ping.subarray(0, n)),
      err(5, 1, ping.subarray(0, n), ip4('10.1.1.9')),
    );
  }
  for (const n of [20, 22, 23, 24]) fr.push(err(3, 3, udpInner.subarray(0, n)), err(3, 2, udpInner.subarray(0, n)));
  // Fragments.
  const big = echo(8, 17225, 1, pingData(2000));
  const f0 = big.subarray(0, 1480);
  const f1 = big.subarray(1480);
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 1, f0, { frag: 0x2000, id: 0xabcd })));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 1, f1, { frag: 185, id: 0xabcd })));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 1, f1, { frag: 0x2000 | 185, id: 0xabcd })));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 17, f1, { frag: 185, id: 0xabcd })));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 2, f1, { frag: 185, id: 0xabcd })));
  // IP header oddities.
  const data = echo(8, 17225, 1);
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { version: 5 })), E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { version: 6 })));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { ihl: 4 })), E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { ihl: 0 })));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { ihl: 15 })), E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { ihl: 6 })));
  for (const tot of [0, 10, 20, 24, 28, 40, 200]) fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { totLen: tot })));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { checksum: 0x1234, ttl: 0, tos: 0xb8 })));
  const rr = [7, 39, 4, ...new Array(36).fill(0), 0];
  fr.push(
    E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { options: rr })),
    E(ipv4('10.1.1.1', '10.1.1.2', 1, data, { options: [0x94, 4, 0, 0] })),
  );
  for (const cut of [1, 4, 10, 19, 20, 21, 23, 24, 27, 28, 40]) fr.push(E(ping.subarray(0, cut)));
  for (const p of [0, 4, 41, 58, 59, 77, 136, 143, 144, 200, 253, 255]) {
    fr.push(E(ipv4('10.1.1.1', '10.1.1.2', p, new Uint8Array(40))));
  }
  // UDP.
  fr.push(E(ipv4('10.1.1.1', '10.1.1.3', 17, udp(40000, 9, [1, 2, 3]))));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.3', 17, udp(40000, 12345, new Uint8Array(20), 4))));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.3', 17, udp(40000, 12345, new Uint8Array(20), 400))));
  fr.push(E(ipv4('10.1.1.1', '10.1.1.3', 17, udp(40000, 12345, new Uint8Array(20)).subarray(0, 6))));
  // IGMP.
  const RA = [0x94, 4, 0, 0];
  const ig = (src: string, dst: string, body: Uint8Array): Uint8Array =>
    eth('01:00:5e:00:00:16', A, 0x0800, ipv4(src, dst, 2, body, { ttl: 1, tos: 0xc0, options: RA }));
  const v3rep = (recs: [number, string, string[]][]): Uint8Array => {
    const body: number[] = [];
    for (const [rt, g, srcs] of recs) body.push(rt, 0, ...be16(srcs.length), ...ip4(g), ...srcs.flatMap(ip4));
    const b = concat([0x22, 0, 0, 0, 0, 0], be16(recs.length), body);
    const c = internetChecksum(b, 0, b.length);
    b[2] = c >> 8;
    b[3] = c & 0xff;
    return b;
  };
  fr.push(ig('10.1.1.1', '224.0.0.22', v3rep([[4, '224.0.0.251', []]])));
  fr.push(
    ig(
      '10.1.1.1',
      '224.0.0.22',
      v3rep([
        [4, '224.0.0.251', []],
        [3, '239.1.1.1', ['10.0.0.1']],
      ]),
    ),
  );
  fr.push(ig('10.1.1.1', '224.0.0.22', v3rep([])));
  fr.push(ig('0.0.0.0', '224.0.0.1', igmp(0x11, 100, '0.0.0.0', [2, 125, 0, 0])));
  fr.push(ig('0.0.0.0', '224.0.0.1', igmp(0x11, 200, '0.0.0.0', [2, 125, 0, 0])));
  fr.push(ig('0.0.0.0', '224.0.0.1', igmp(0x11, 100, '239.1.1.1', [2, 125, 0, 1, ...ip4('1.2.3.4')])));
  fr.push(ig('0.0.0.0', '224.0.0.1', igmp(0x11, 100, '0.0.0.0')), ig('0.0.0.0', '224.0.0.1', igmp(0x11, 0, '0.0.0.0')));
  fr.push(ig('0.0.0.0', '224.0.0.1', igmp(0x11, 50, '239.1.1.1')));
  fr.push(ig('10.1.1.1', '239.1.1.1', igmp(0x16, 0, '239.1.1.1')), ig('10.1.1.1', '239.1.1.1', igmp(0x12, 0, '239.1.1.1')));
  fr.push(ig('10.1.1.1', '224.0.0.2', igmp(0x17, 0, '239.1.1.1')), ig('10.1.1.1', '224.0.0.2', igmp(0x13, 0, '239.1.1.1')));
  fr.push(
    ig('10.1.1.1', '224.0.0.2', igmp(0x99, 0, '239.1.1.1')),
    ig('10.1.1.1', '224.0.0.2', igmp(0x11, 0, '239.1.1.1').subarray(0, 4)),
  );
  // ARP.
  const req = arp(1, A, '10.1.1.1', MAC_ZERO, '10.1.1.2');
  fr.push(eth(MAC_BCAST, A, 0x0806, req), eth(MAC_BCAST, A, 0x0806, concat(req, new Uint8Array(18))));
  fr.push(eth(A, B, 0x0806, arp(2, B, '10.1.1.2', A, '10.1.1.1')));
  fr.push(eth(MAC_BCAST, A, 0x0806, arp(1, A, '10.1.1.1', MAC_BCAST, '10.1.1.2')));
  fr.push(eth(MAC_BCAST, A, 0x0806, arp(1, A, '10.1.1.1', MAC_ZERO, '10.1.1.1')));
  fr.push(eth(MAC_BCAST, A, 0x0806, arp(2, A, '10.1.1.1', MAC_BCAST, '10.1.1.1')));
  for (const op of [0, 3, 4, 5, 8, 9, 10, 11, 255]) fr.push(eth(MAC_BCAST, A, 0x0806, arp(op, A, '10.1.1.1', B, '10.1.1.2')));
  fr.push(eth(MAC_BCAST, A, 0x0806, concat(arp(7, A, '10.1.1.1', B, '10.1.1.2'), new Uint8Array(18))));
  fr.push(eth(MAC_BCAST, A, 0x0806, arp(1, A, '10.1.1.1', B, '10.1.1.2', { htype: 6 })));
  fr.push(eth(MAC_BCAST, A, 0x0806, arp(1, A, '10.1.1.1', B, '10.1.1.2', { ptype: 0x86dd })));
  for (const cut of [0, 1, 7, 8, 9, 14, 17, 18, 24, 27]) fr.push(eth(MAC_BCAST, A, 0x0806, req.subarray(0, cut)));
  fr.push(
    eth(MAC_BCAST, A, 0x8035, arp(3, A, '10.1.1.1', B, '10.1.1.2')),
    eth(MAC_BCAST, A, 0x8035, arp(4, A, '10.1.1.1', B, '10.1.1.2')),
  );
  fr.push(eth(MAC_BCAST, A, 0x8035, []));
  // Ethernet: short frames, unknown types, VLANs, 802.3.
  const full = E(ping);
  for (const cut of [1, 5, 6, 11, 12, 13, 14, 15]) fr.push(full.subarray(0, cut));
  fr.push(eth(MAC_BCAST, A, 0x88b5, new TextEncoder().encode('hello world, this is a test payload!!')));
  fr.push(eth(MAC_BCAST, A, 0x88b5, []), eth(MAC_BCAST, A, 0x1234, pingData(17)));
  fr.push(eth(MAC_BCAST, A, 0x8100, concat(be16(0x2005), be16(0x0800), ping)));
  fr.push(eth(MAC_BCAST, A, 0x8100, concat(be16(0x0064), be16(0x0806), req)));
  fr.push(eth(MAC_BCAST, A, 0x8100, concat(be16(0xf00a), be16(0x0806), req)));
  fr.push(eth(MAC_BCAST, A, 0x8100, concat(be16(0x2005), be16(0x88b5), pingData(9))));
  fr.push(eth(MAC_BCAST, A, 0x8100, concat(be16(0x2005), be16(0x8100), be16(7), be16(0x0800), ping)));
  fr.push(
    eth(MAC_BCAST, A, 0x8100, be16(0x2005)),
    eth(MAC_BCAST, A, 0x8100, []),
    eth(MAC_BCAST, A, 0x8100, concat(be16(5), be16(0x0800))),
  );
  const bpdu = concat(
    [0x42, 0x42, 0x03, 0, 0, 0, 0, 0x80, 0],
    mac(A),
    be32(0),
    [0x80, 0],
    mac(A),
    [0x80, 1, 0, 0, 0x14, 0, 2, 0, 0x0f, 0],
  );
  fr.push(eth('01:80:c2:00:00:00', A, bpdu.length, concat(bpdu, new Uint8Array(8))));
  fr.push(eth('01:80:c2:00:00:00', A, 7, [0x42, 0x42, 0x03, 0, 0, 0, 0x80]));
  fr.push(eth(MAC_BCAST, A, 0x0030, concat([0xaa, 0xaa, 3, 0, 0, 0, 8, 0], ping)));
  fr.push(eth(MAC_ZERO, MAC_ZERO, 0, []));
  // Tunnels and IPv6.
  fr.push(E(ipv4('192.168.0.1', '192.168.0.2', 4, ping)), E(ipv4('192.168.0.1', '192.168.0.2', 4, ping.subarray(0, 10))));
  const v6 = (src: number[], dst: number[], nh: number, payload: Uint8Array | number[], plen?: number): Uint8Array =>
    concat([0x60, 0, 0, 0], be16(plen ?? payload.length), [nh, 64], src, dst, payload);
  const ll1 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x78, 0x0b, 0x6c, 0xff, 0xfe, 0x99, 0xa2, 0x01];
  const ll2 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x44, 0x5d, 0x0b, 0xff, 0xfe, 0xc1, 0xc0, 0x13];
  const mc = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16];
  const all = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  const any = new Array(16).fill(0);
  const v4m = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 1, 1];
  const E6 = (p: Uint8Array, dst = '33:33:00:00:00:16'): Uint8Array => eth(dst, A, 0x86dd, p);
  fr.push(E6(v6(ll1, ll2, 58, concat([128, 0, 0, 0], be16(7), be16(1), pingData(56)))));
  fr.push(E6(v6(ll2, ll1, 58, concat([129, 0, 0, 0], be16(7), be16(1), pingData(56)))));
  fr.push(E6(v6(ll1, mc, 58, concat([143, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0], mc)), '33:33:00:00:00:16'));
  fr.push(E6(v6(any, mc, 0, concat([58, 0, 5, 2, 0, 0, 1, 0, 143, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0], mc))));
  fr.push(E6(v6(ll1, all, 58, concat([133, 0, 0, 0, 0, 0, 0, 0]))));
  fr.push(E6(v6(ll1, all, 58, concat([134, 0, 0, 0, 64, 0, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0]))));
  fr.push(E6(v6(any, all, 58, concat([135, 0, 0, 0, 0, 0, 0, 0], ll2))));
  fr.push(E6(v6(ll2, ll1, 58, concat([136, 0, 0, 0, 0x60, 0, 0, 0], ll2, [2, 1], mac(B)))));
  fr.push(E6(v6(ll2, ll1, 58, concat([1, 4, 0, 0, 0, 0, 0, 0]))), E6(v6(ll2, ll1, 58, concat([3, 0, 0, 0, 0, 0, 0, 0]))));
  fr.push(E6(v6(ll2, ll1, 58, concat([150, 0, 0, 0]))), E6(v6(ll2, ll1, 58, [128, 0])));
  fr.push(E6(v6(ll1, v4m, 17, udp(5000, 5001, [1, 2, 3, 4]))), E6(v6(ll1, ll2, 6, new Uint8Array(20))), E6(v6(ll1, ll2, 59, [])));
  fr.push(E6(v6(ll1, ll2, 58, concat([128, 0, 0, 0], be16(7), be16(1)), 100)));
  fr.push(E6(v6(ll1, ll2, 58, []).subarray(0, 20)), E6(new Uint8Array([0x40, 0, 0, 0])));
  fr.push(E(ipv4('192.168.0.1', '192.168.0.2', 41, v6(ll1, ll2, 58, concat([128, 0, 0, 0], be16(7), be16(1))))));
  return fr;
}

/** Random variations of crafted frames: cut short, bytes changed, fields set to odd values. */
export function mutatedFrames(seed: number, count: number): Uint8Array[] {
  const r = rng(seed);
  const base = craftedFrames().filter((f) => f.length >= 14);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const f = base[Math.floor(r() * base.length)].slice();
    const kind = r();
    if (kind < 0.3) {
      out.push(f.subarray(0, Math.floor(r() * (f.length + 1))));
    } else if (kind < 0.8) {
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) {
        // Mostly in the headers.
        const pos = Math.min(f.length - 1, Math.floor(r() * r() * Math.min(f.length, 80)));
        f[pos] = r() < 0.5 ? Math.floor(r() * 256) : f[pos] ^ (1 << Math.floor(r() * 8));
      }
      out.push(f);
    } else {
      const pos = 14 + Math.floor(r() * Math.max(1, Math.min(f.length - 14, 60)));
      if (pos < f.length) f[pos] = [0, 1, 2, 3, 4, 5, 6, 8, 11, 17, 0x45, 0x80, 0xff][Math.floor(r() * 13)];
      out.push(f.subarray(0, r() < 0.5 ? f.length : Math.floor(r() * f.length)));
    }
  }
  return out;
}

/**
 * Whether tcpdump's text for a frame involves something this formatter does
 * not reproduce (see the UNDECODED_* sets and the notes in tcpdump.ts): such
 * frames are left out of the comparisons with random frames.
 */
export function beyondFormatter(f: Uint8Array): boolean {
  if (f.length < 14) return false;
  let type = (f[12] << 8) | f[13];
  let off = 14;
  while ([0x8100, 0x88a8, 0x9100, 0x9200].includes(type) && f.length >= off + 4) {
    type = (f[off + 2] << 8) | f[off + 3];
    off += 4;
  }
  if (type <= 1500) {
    // LLC: only STP's config/TCN BPDUs and SNAP-encapsulated IPv4/ARP are decoded in full.
    const llc = f.subarray(off);
    if (llc.length >= 3 && (llc[0] & 0xfe) === 0x42 && (llc[1] & 0xfe) === 0x42 && llc[2] === 3) {
      return llc.length >= 6 && llc[5] >= 3;
    }
    if (llc.length >= 8 && llc[0] === 0xaa && llc[1] === 0xaa && llc[2] === 3) {
      const t = (llc[6] << 8) | llc[7];
      if (!(llc[3] === 0 && llc[4] === 0 && llc[5] === 0 && (t === 0x0800 || t === 0x0806 || t === 0x8035))) return true;
      type = t;
      off += 8;
    } else {
      return true;
    }
  }
  if (UNDECODED_ETHERTYPES.has(type) || type === 0x86dd) return true;
  // ATM ARP (hardware type 19) has a layout of its own.
  if ((type === 0x0806 || type === 0x8035) && f.length >= off + 2 && f[off] === 0 && f[off + 1] === 19) return true;
  if (type !== 0x0800 || f.length < off + 20 || f[off] >> 4 !== 4) return false;
  const fragOff = ((f[off + 6] << 8) | f[off + 7]) & 0x1fff;
  const proto = f[off + 9];
  if (fragOff !== 0) return false;
  const hl = (f[off] & 15) * 4;
  // IGMP's DVMRP, PIMv1 and mtrace messages are decoded only as far as their type.
  if (proto === 2 && f.length > off + hl && [0x13, 0x14, 0x1e, 0x1f].includes(f[off + hl])) return true;
  if (proto === 17 && f.length >= off + hl + 4) {
    const sport = (f[off + hl] << 8) | f[off + hl + 1];
    const dport = (f[off + hl + 2] << 8) | f[off + hl + 3];
    if (UDP_PORTS_DECODED_BY_TCPDUMP.has(sport) || UDP_PORTS_DECODED_BY_TCPDUMP.has(dport)) return true;
  }
  return UNDECODED_IP_PROTOCOLS.has(proto) || proto === 6 || proto === 41 || proto === 4;
}
