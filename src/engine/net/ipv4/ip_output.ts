// IPv4 output (net/ipv4/ip_output.c): build the IP header, then hand the
// packet to the neighbour layer of the route's next hop.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { Rtable } from '../../include/route.ts';
import { RTCF_BROADCAST } from '../../include/route.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { ETH_P_IP, PACKET_LOOPBACK, skb_is_gso, skbLen } from '../../include/skbuff.ts';
import { skb_gso_validate_network_len } from '../core/gso.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import {
  alloc_skb,
  consume_skb,
  get16,
  get32,
  ipChecksum,
  kfree_skb_reason,
  LL_RESERVED_SPACE,
  put16,
  put32,
  skb_clone,
  skb_push,
  skb_put,
  skbEndFor,
} from '../core/skbuff.ts';
import { netif_rx } from '../core/dev.ts';
import { __neigh_create, __ipv4_neigh_lookup_noref, neigh_output } from '../core/neighbour.ts';
import { randomU32 } from '../../kernel/world.ts';
import { dst_mtu } from './route.ts';

const F_ip_push_pending_frames = kfn(
  'ip_push_pending_frames',
  'net/ipv4/ip_output.c',
  "The socket's queued data becomes one packet: __ip_make_skb writes the IPv4 header (TTL, protocol, addresses, the DF bit) and ip_send_skb sends it.",
  'errno',
);
const F_ip_send_skb = kfn('ip_send_skb', 'net/ipv4/ip_output.c', 'Sends a finished IP packet with ip_local_out.', 'errno');
const F_ip_local_out = kfn(
  'ip_local_out',
  'net/ipv4/ip_output.c',
  "Fills in the total length and header checksum, runs the LOCAL_OUT netfilter hook, and calls the route's output function.",
  'net_xmit',
);
const F_ip_output = kfn(
  'ip_output',
  'net/ipv4/ip_output.c',
  "The route's output function for IPv4: sets skb->dev to the route's device and runs the POST_ROUTING hook.",
  'net_xmit',
);
const F_ip_finish_output = kfn(
  'ip_finish_output',
  'net/ipv4/ip_output.c',
  'Checks the packet fits the device MTU (fragmenting if it may) before the final step.',
  'net_xmit',
);
const F_ip_finish_output2 = kfn(
  'ip_finish_output2',
  'net/ipv4/ip_output.c',
  'Finds the neighbour for the next hop (the gateway, or the destination itself when on-link), creating one if needed, and sends through it.',
  'net_xmit',
);
const F_ip_mc_output = kfn(
  'ip_mc_output',
  'net/ipv4/ip_output.c',
  'Output for broadcast (and multicast) routes: a clone is looped back so local listeners hear it, then the original goes out of the device.',
  'net_xmit',
);
const F_dev_loopback_xmit = kfn(
  'dev_loopback_xmit',
  'net/core/dev.c',
  'Delivers a looped-back copy of an outgoing broadcast to this host with netif_rx, marked PACKET_LOOPBACK; it never touches the driver.',
);
const F_ip_fragment = kfn(
  'ip_do_fragment',
  'net/ipv4/ip_output.c',
  'The packet is larger than the MTU and DF is clear: it is cut into fragments, each with its own IP header.',
  'errno',
);

export { IPPROTO_ICMP } from '../../include/sock.ts';
/** IPCB(skb)->flags: the packet is being forwarded. */
export const IPSKB_FORWARDED = 0x1;
export const IP_DF = 0x4000;

/** ip_hdr(skb)->frag_off & htons(IP_DF): the packet must not be fragmented. */
export function ip_dont_fragment(skb: SkBuff): boolean {
  return (get16(skb.head, skb.networkHeader + 6) & IP_DF) !== 0;
}
export const IPHDR_LEN = 20;

export interface IpBuild {
  saddr: number;
  daddr: number;
  protocol: number;
  ttl: number;
  tos: number;
  df: boolean;
  payload: Uint8Array;
  /** The IP ID when the socket chose it (ip_select_ident: a connected socket's inet_id under DF); else the namespace's generator. */
  id?: number;
}

/** ip_append_data + __ip_make_skb: an skb holding one IPv4 packet. */
export function ip_make_skb(w: World, net: Net, b: IpBuild): SkBuff {
  const skb = alloc_skb(w, IPHDR_LEN + b.payload.length, LL_RESERVED_SPACE);
  const off = skb_put(skb, IPHDR_LEN + b.payload.length);
  const h = skb.head;
  skb.networkHeader = off;
  skb.transportHeader = off + IPHDR_LEN;
  h[off] = 0x45;
  h[off + 1] = b.tos;
  put16(h, off + 2, IPHDR_LEN + b.payload.length);
  if (b.id !== undefined) put16(h, off + 4, b.id);
  else {
    net.ipIdent = (net.ipIdent + 1 + (randomU32(w) & 0x3)) & 0xffff;
    put16(h, off + 4, net.ipIdent);
  }
  put16(h, off + 6, b.df ? IP_DF : 0);
  h[off + 8] = b.ttl;
  h[off + 9] = b.protocol;
  put32(h, off + 12, b.saddr);
  put32(h, off + 16, b.daddr);
  h.set(b.payload, off + IPHDR_LEN);
  skb.protocol = ETH_P_IP;
  return skb;
}

/** ip_send_check: the header checksum. */
export function ip_send_check(skb: SkBuff): void {
  const o = skb.networkHeader;
  put16(skb.head, o + 10, 0);
  put16(skb.head, o + 10, ipChecksum(skb.head, o, (skb.head[o] & 0xf) * 4));
}

const F_ip_queue_xmit = kfn(
  'ip_queue_xmit',
  'net/ipv4/ip_output.c',
  "TCP's way out: the socket's cached route, an IPv4 header pushed in front of the segment (DF set, the socket's next IP ID), then ip_local_out.",
  'errno',
);
const F_ip_build_and_send_pkt = kfn(
  'ip_build_and_send_pkt',
  'net/ipv4/ip_output.c',
  'Sends a SYN-ACK for a request sock: an IPv4 header on the route the listener found for it (DF set, so the IP ID is 0), then ip_local_out.',
  'errno',
);

export interface IpHeaderFields {
  saddr: number;
  daddr: number;
  protocol: number;
  ttl: number;
  tos: number;
  df: boolean;
  id: number;
}

/** Pushes an IPv4 header in front of the transport header at skb.data. */
function pushIpHeader(skb: SkBuff, f: IpHeaderFields): void {
  const off = skb_push(skb, IPHDR_LEN);
  const h = skb.head;
  skb.networkHeader = off;
  h[off] = 0x45;
  h[off + 1] = f.tos;
  put16(h, off + 2, skbLen(skb));
  put16(h, off + 4, f.id);
  put16(h, off + 6, f.df ? IP_DF : 0);
  h[off + 8] = f.ttl;
  h[off + 9] = f.protocol;
  put16(h, off + 10, 0);
  put32(h, off + 12, f.saddr);
  put32(h, off + 16, f.daddr);
  skb.protocol = ETH_P_IP;
}

/** __ip_queue_xmit: `rt` is the socket's cached route (the caller checked it is still there). */
export function ip_queue_xmit(w: World, skb: SkBuff, rt: Rtable, f: IpHeaderFields): number {
  enter(w, F_ip_queue_xmit, skb, rt.dev);
  try {
    skb.dst = rt;
    pushIpHeader(skb, f);
    return ret(w, ip_local_out(w, skb));
  } finally {
    leave(w);
  }
}

/** ip_build_and_send_pkt */
export function ip_build_and_send_pkt(w: World, skb: SkBuff, rt: Rtable, f: IpHeaderFields): number {
  enter(w, F_ip_build_and_send_pkt, skb, rt.dev);
  try {
    skb.dst = rt;
    pushIpHeader(skb, f);
    return ret(w, ip_local_out(w, skb));
  } finally {
    leave(w);
  }
}

export function ip_push_pending_frames(w: World, skb: SkBuff, rt: Rtable): number {
  enter(w, F_ip_push_pending_frames, skb, rt.dev);
  try {
    skb.dst = rt;
    return ret(w, ip_send_skb(w, skb));
  } finally {
    leave(w);
  }
}

export function ip_send_skb(w: World, skb: SkBuff): number {
  enter(w, F_ip_send_skb, skb, skb.dst?.dev ?? null);
  try {
    return ret(w, ip_local_out(w, skb));
  } finally {
    leave(w);
  }
}

export function ip_local_out(w: World, skb: SkBuff): number {
  enter(w, F_ip_local_out, skb, skb.dst?.dev ?? null);
  try {
    put16(skb.head, skb.networkHeader + 2, skbLen(skb));
    ip_send_check(skb);
    return ret(w, ip_output(w, skb));
  } finally {
    leave(w);
  }
}

export function ip_output(w: World, skb: SkBuff): number {
  const rt = skb.dst!;
  if (rt.flags & RTCF_BROADCAST && !rt.isInput) return ip_mc_output(w, skb);
  enter(w, F_ip_output, skb, rt.dev);
  try {
    skb.dev = rt.dev;
    skb.protocol = ETH_P_IP;
    return ret(w, ip_finish_output(w, skb));
  } finally {
    leave(w);
  }
}

/** Broadcast output: the host hears its own broadcast first, through a looped-back clone. */
function ip_mc_output(w: World, skb: SkBuff): number {
  const rt = skb.dst!;
  enter(w, F_ip_mc_output, skb, rt.dev);
  try {
    skb.dev = rt.dev;
    skb.protocol = ETH_P_IP;
    const copy = skb_clone(w, skb);
    dev_loopback_xmit(w, copy);
    return ret(w, ip_finish_output(w, skb));
  } finally {
    leave(w);
  }
}

function dev_loopback_xmit(w: World, skb: SkBuff): void {
  enter(w, F_dev_loopback_xmit, skb, skb.dev);
  try {
    skb.macHeader = skb.data;
    skb.data = skb.networkHeader;
    skb.pktType = PACKET_LOOPBACK;
    netif_rx(w, skb);
  } finally {
    leave(w);
  }
}

function ip_finish_output(w: World, skb: SkBuff): number {
  enter(w, F_ip_finish_output, skb, skb.dev);
  try {
    // ip_skb_dst_mtu: a forwarded packet goes by the device's MTU, our own
    // by the route's (a learned path MTU while it lasts).
    const mtu = skb.ipcbFlags & IPSKB_FORWARDED ? skb.dev!.mtu : dst_mtu(w, skb.dst!);
    // ip_finish_output_gso: segments that fit go out whole, as one skb. (Cutting
    // a GSO skb whose segments no longer fit, skb_gso_segment, is not modelled:
    // TCP sizes them from the path MTU, and ip_forward refuses them first.)
    if (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu)) return ret(w, ip_finish_output2(w, skb));
    if (skbLen(skb) > mtu) return ret(w, ip_fragment(w, skb, mtu));
    return ret(w, ip_finish_output2(w, skb));
  } finally {
    leave(w);
  }
}

function ip_fragment(w: World, skb: SkBuff, mtu: number): number {
  enter(w, F_ip_fragment, skb, skb.dev);
  try {
    if (ip_dont_fragment(skb)) {
      // DF set and too big: the sender is told the MTU (ICMP frag needed) and the packet dropped.
      kfree_skb_reason(w, skb, 'PKT_TOO_BIG', 'ip_fragment');
      return ret(w, -90);
    }
    return ret(w, fragment(w, skb, mtu, (skb.ipcbFlags & IPSKB_FORWARDED) !== 0, ip_finish_output2));
  } finally {
    leave(w);
  }
}

/**
 * ip_do_fragment for a packet this host did not build (br_nf_ip_fragment's
 * bridged one): cut in the slow path, each piece handed to `output`.
 */
export function ip_do_fragment(w: World, skb: SkBuff, mtu: number, output: (w: World, frag: SkBuff) => number): number {
  enter(w, F_ip_fragment, skb, skb.dev);
  try {
    return ret(w, fragment(w, skb, mtu, true, output));
  } finally {
    leave(w);
  }
}

/**
 * Cuts `skb` into pieces that fit `mtu`. The slow path (a packet this host
 * did not build) makes each piece an alloc_skb of exactly its size, sent as
 * soon as it is made, and consumes the original; a local packet was built by
 * ip_append_data as a list of fragment-sized buffers (15 bytes more asked for
 * each) before any was sent, the first of them the packet's own skb.
 */
function fragment(w: World, skb: SkBuff, mtu: number, slow: boolean, output: (w: World, frag: SkBuff) => number): number {
  const o = skb.networkHeader;
  const h = skb.head;
  const hlen = (h[o] & 0xf) * 4;
  const payload = h.slice(o + hlen, skb.tail);
  const chunk = (mtu - hlen) & ~7;
  // A forwarded fragment is cut again at its own offset; MF stays on every
  // piece unless this fragment was the datagram's last (ip_frag_next).
  const origFragOff = get16(h, o + 6);
  const baseOffset = (origFragOff & 0x1fff) * 8;
  const origMore = (origFragOff & 0x2000) !== 0;
  const frags: SkBuff[] = [];
  let rc = 0;
  for (let start = 0; start < payload.length; start += chunk) {
    const len = Math.min(chunk, payload.length - start);
    let frag: SkBuff;
    let fo: number;
    if (start === 0 && !slow) {
      frag = skb;
      frag.head = new Uint8Array(LL_RESERVED_SPACE + hlen + len);
      frag.data = frag.tail = LL_RESERVED_SPACE;
      frag.end = skbEndFor(LL_RESERVED_SPACE + hlen + len + 15);
      fo = skb_put(frag, hlen + len);
    } else {
      frag = alloc_skb(w, hlen + len, LL_RESERVED_SPACE, slow ? 0 : 15);
      fo = skb_put(frag, hlen + len);
    }
    frag.head.set(h.subarray(o, o + hlen), fo);
    frag.head.set(payload.subarray(start, start + len), fo + hlen);
    frag.networkHeader = fo;
    frag.transportHeader = fo + hlen;
    const more = start + len < payload.length || origMore;
    put16(frag.head, fo + 6, (more ? 0x2000 : 0) | ((baseOffset + start) >> 3));
    put16(frag.head, fo + 2, hlen + len);
    ip_send_check(frag);
    frag.dev = skb.dev;
    frag.dst = skb.dst;
    frag.protocol = ETH_P_IP;
    frag.sk = skb.sk;
    if (slow) rc = output(w, frag);
    else frags.push(frag);
  }
  for (const frag of frags) rc = output(w, frag);
  if (slow) consume_skb(w, skb, 'ip_do_fragment');
  return rc;
}

function ip_finish_output2(w: World, skb: SkBuff): number {
  const dev = skb.dev!;
  enter(w, F_ip_finish_output2, skb, dev);
  try {
    const rt = skb.dst!;
    const nexthop = rt.gateway || get32(skb.head, skb.networkHeader + 16);
    const n = __ipv4_neigh_lookup_noref(dev, nexthop) ?? __neigh_create(w, dev, nexthop);
    return ret(w, neigh_output(w, n, skb));
  } finally {
    leave(w);
  }
}
