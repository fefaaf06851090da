// ICMP (net/ipv4/icmp.c): answering echo requests, and sending and receiving
// error messages.
import type { World } from '../../kernel/world.ts';
import { inet_add_protocol, inet_protocol } from './protocol.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { PACKET_HOST, skbLen } from '../../include/skbuff.ts';
import { RTCF_BROADCAST, RTCF_LOCAL, RTCF_MULTICAST, RT_SCOPE_UNIVERSE, RTN_LOCAL } from '../../include/route.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { consume_skb, get16, get32, ipChecksum, kfree_skb_reason, put16, put32 } from '../core/skbuff.ts';
import { ip_route_input_noref, ip_route_output_key } from './route.ts';
import { inet_addr_type_dev_table } from './fib_frontend.ts';
import { fib_lookup } from './fib_trie.ts';
import { inet_select_addr } from './devinet.ts';
import { RT_SCOPE_LINK } from '../../include/route.ts';
import { ip_make_skb, ip_push_pending_frames, IPPROTO_ICMP } from './ip_output.ts';
import { ping_rcv } from './ping.ts';
import { raw_icmp_error } from './raw.ts';
import { local_bh_disable, local_bh_enable } from '../../kernel/softirq.ts';
import {
  ECONNREFUSED,
  EHOSTDOWN,
  EHOSTUNREACH,
  EMSGSIZE,
  ENETUNREACH,
  ENONET,
  ENOPROTOOPT,
  EOPNOTSUPP,
  EPROTO,
} from '../../include/errno.ts';

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_SOURCE_QUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETERPROB = 12;
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_PKT_FILTERED = 13;
export const ICMP_REDIR_HOST = 1;
/** The highest destination-unreachable code (ICMP_PREC_CUTOFF). */
export const NR_ICMP_UNREACH = 15;

/** icmp_err_convert: the errno an ICMP destination unreachable code means, and whether it is fatal (a hard error). */
export const icmp_err_convert: readonly (readonly [number, boolean])[] = [
  [ENETUNREACH, false],
  [EHOSTUNREACH, false],
  [ENOPROTOOPT, true],
  [ECONNREFUSED, true],
  [EMSGSIZE, false],
  [EOPNOTSUPP, false],
  [ENETUNREACH, true],
  [EHOSTDOWN, true],
  [ENONET, true],
  [ENETUNREACH, true],
  [EHOSTUNREACH, true],
  [ENETUNREACH, false],
  [EHOSTUNREACH, false],
  [EHOSTUNREACH, true],
  [EHOSTUNREACH, true],
  [EHOSTUNREACH, true],
];

/**
 * What an ICMP error means to a datagram socket (the switch raw_err and
 * __udp4_lib_err share): its errno and whether it is a hard error, or null
 * for one that is not an error to report (a source quench; a redirect, which
 * only changes the route). A "fragmentation needed" is a hard EMSGSIZE under
 * IP_PMTUDISC_WANT, the sockets' default; the callers learn its MTU first.
 */
export function icmp_err_errno(type: number, code: number): readonly [number, boolean] | null {
  switch (type) {
    case ICMP_SOURCE_QUENCH:
    case ICMP_REDIRECT:
      return null;
    case ICMP_PARAMETERPROB:
      return [EPROTO, true];
    case ICMP_DEST_UNREACH:
      if (code === ICMP_FRAG_NEEDED) return [EMSGSIZE, true];
      return icmp_err_convert[code] ?? [EHOSTUNREACH, false];
    default:
      // ICMP_TIME_EXCEEDED, and any other type.
      return [EHOSTUNREACH, false];
  }
}

export const ICMP_EXC_TTL = 0;

const F_icmp_rcv = kfn(
  'icmp_rcv',
  'net/ipv4/icmp.c',
  'The ICMP protocol handler: verifies the checksum and dispatches on the type (echo request, echo reply, destination unreachable...). A handled message is consumed here.',
);
const F_icmp_echo = kfn(
  'icmp_echo',
  'net/ipv4/icmp.c',
  'An echo request for us: the reply is the same message with type 0, sent back to the source.',
);
const F_icmp_reply = kfn(
  'icmp_reply',
  'net/ipv4/icmp.c',
  "Routes the reply from the request's destination back to its source. If that source is one of our own addresses, the route goes through lo.",
);
const F___icmp_send = kfn(
  '__icmp_send',
  'net/ipv4/icmp.c',
  'Sends an ICMP error about a packet back to its source, quoting its IP header and the start of its payload.',
);
const F_icmp_unreach = kfn(
  'icmp_unreach',
  'net/ipv4/icmp.c',
  'An ICMP error arrived: it is passed to the sockets that sent the packet it quotes (raw_icmp_error), so ping can report it.',
);
const F_icmp_redirect = kfn(
  'icmp_redirect',
  'net/ipv4/icmp.c',
  'An ICMP redirect: like an error, it goes to the sockets that sent the packet it quotes (icmp_socket_deliver), which apply it to their route (ipv4_sk_redirect): the host learns the better gateway only through a socket.',
);
const F_icmp_socket_deliver = kfn(
  'icmp_socket_deliver',
  'net/ipv4/icmp.c',
  "Passes the ICMP error to the raw sockets of the quoted packet's protocol and to that protocol's error handler (udp_err, tcp_v4_err), which find the socket that sent it.",
);
const F_icmp_route_lookup = kfn(
  'icmp_route_lookup',
  'net/ipv4/icmp.c',
  "Routes an ICMP error back to the quoted packet's source, then checks whether that address is local.",
);

function icmpPayload(type: number, code: number, rest: Uint8Array, body: Uint8Array): Uint8Array {
  const p = new Uint8Array(8 + body.length);
  p[0] = type;
  p[1] = code;
  for (let i = 0; i < 4; i++) p[4 + i] = rest[i];
  p.set(body, 8);
  put16(p, 2, ipChecksum(p, 0, p.length));
  return p;
}

// inet_init: ICMP is IP protocol 1.
inet_add_protocol({ handler: (w, skb) => icmp_rcv(w, skb) }, IPPROTO_ICMP);

export function icmp_rcv(w: World, skb: SkBuff): void {
  enter(w, F_icmp_rcv, skb, skb.dev);
  try {
    const h = skb.head;
    const o = skb.data;
    if (skbLen(skb) < 8 || ipChecksum(h, o, skbLen(skb)) !== 0) {
      kfree_skb_reason(w, skb, 'ICMP_CSUM', 'icmp_rcv');
      return;
    }
    const type = h[o];
    const rt = skb.dst!;
    if (rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {
      if (type === ICMP_ECHO && skb.dev!.net.ipv4.sysctl.icmp_echo_ignore_broadcasts) {
        kfree_skb_reason(w, skb, 'INVALID_PROTO', 'icmp_rcv');
        return;
      }
    }
    if (type === ICMP_ECHOREPLY) {
      ping_rcv(w, skb);
      return;
    }
    if (type === ICMP_ECHO) {
      icmp_echo(w, skb);
    } else if (type === ICMP_DEST_UNREACH || type === ICMP_TIME_EXCEEDED) {
      icmp_unreach(w, skb);
    } else if (type === ICMP_REDIRECT) {
      const reason = icmp_redirect(w, skb);
      if (reason) {
        kfree_skb_reason(w, skb, reason, 'icmp_rcv');
        return;
      }
    }
    consume_skb(w, skb, 'icmp_rcv');
  } finally {
    leave(w);
  }
}

function icmp_echo(w: World, skb: SkBuff): void {
  enter(w, F_icmp_echo, skb, skb.dev);
  try {
    if (skb.dev!.net.ipv4.sysctl.icmp_echo_ignore_all) return;
    icmp_reply(w, skb);
  } finally {
    leave(w);
  }
}

/**
 * fib_compute_spec_dst: the source for a reply. For a plain local route it is
 * the address the request was sent to; for broadcast it is the preferred
 * source of the route back to the requester.
 */
function specDst(w: World, skb: SkBuff): number {
  const rt = skb.dst!;
  const ih = skb.networkHeader;
  if ((rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST | RTCF_LOCAL)) === RTCF_LOCAL) return get32(skb.head, ih + 16);
  const dev = skb.dev!;
  const saddr = get32(skb.head, ih + 12);
  if (saddr >>> 24 !== 0) {
    const r = fib_lookup(w, dev.net, { oif: 0, iif: 1, proto: 0, saddr: 0, daddr: saddr, scope: RT_SCOPE_UNIVERSE });
    if (r.err === 0 && r.alias) return r.alias.prefsrc || inet_select_addr(r.alias.dev!, 0, r.alias.scope);
    return inet_select_addr(dev, saddr, RT_SCOPE_UNIVERSE);
  }
  return inet_select_addr(dev, saddr, RT_SCOPE_LINK);
}

function icmp_reply(w: World, skb: SkBuff): void {
  enter(w, F_icmp_reply, skb, skb.dev);
  try {
    const net = skb.dev!.net;
    local_bh_disable(w);
    const ih = skb.networkHeader;
    const daddr = get32(skb.head, ih + 12);
    const saddr = specDst(w, skb);
    const fl = { oif: 0, iif: 1, proto: IPPROTO_ICMP, saddr, daddr, scope: RT_SCOPE_UNIVERSE };
    const r = ip_route_output_key(w, net, fl);
    if ('rt' in r) {
      const o = skb.data;
      const payload = icmpPayload(ICMP_ECHOREPLY, 0, skb.head.subarray(o + 4, o + 8), skb.head.subarray(o + 8, skb.tail));
      const reply = ip_make_skb(w, net, {
        saddr: fl.saddr,
        daddr,
        protocol: IPPROTO_ICMP,
        ttl: net.ipv4.sysctl.ip_default_ttl,
        tos: skb.head[ih + 1],
        df: false,
        payload,
      });
      ip_push_pending_frames(w, reply, r.rt);
    }
    local_bh_enable(w);
  } finally {
    leave(w);
  }
}

/** __icmp_send: an error about `skbIn` to its source. */
export function __icmp_send(w: World, skbIn: SkBuff, type: number, code: number, info: number): void {
  enter(w, F___icmp_send, skbIn, skbIn.dev);
  try {
    const rt = skbIn.dst;
    if (!rt || skbIn.networkHeader < 0) return;
    const net = rt.dev.net;
    if (skbIn.pktType !== PACKET_HOST) return;
    if (rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) return;
    const ih = skbIn.networkHeader;
    const h = skbIn.head;
    // Never answer a fragment other than the first, nor an ICMP error with an error.
    if (get16(h, ih + 6) & 0x1fff) return;
    if (h[ih + 9] === IPPROTO_ICMP) {
      const it = ih + (h[ih] & 0xf) * 4;
      const itype = h[it];
      if (
        itype !== ICMP_ECHO &&
        itype !== ICMP_ECHOREPLY &&
        itype !== 13 &&
        itype !== 14 &&
        itype !== 15 &&
        itype !== 16 &&
        itype !== 17 &&
        itype !== 18
      )
        return;
    }
    const saddr = rt.flags & RTCF_LOCAL ? get32(h, ih + 16) : 0;
    local_bh_disable(w);
    const tos = (h[ih + 1] & 0x1e) | 0xc0;
    const daddr = get32(h, ih + 12);
    const route = icmp_route_lookup(w, skbIn, daddr, saddr);
    if (route) {
      const { rt: ort, saddr: src } = route;
      // As much of the offending packet as fits a 576-byte reply (RFC 1812).
      const quoteLen = Math.min(skbIn.tail - ih, Math.min(ort.dev.mtu, 576) - 20 - 8);
      // icmph.un.gateway: a redirect's gateway, a "fragmentation needed"'s MTU in its low half.
      const rest = new Uint8Array(4);
      put32(rest, 0, info);
      const payload = icmpPayload(type, code, rest, h.subarray(ih, ih + quoteLen));
      const err = ip_make_skb(w, net, {
        saddr: src,
        daddr,
        protocol: IPPROTO_ICMP,
        ttl: net.ipv4.sysctl.ip_default_ttl,
        tos,
        df: false,
        payload,
      });
      ip_push_pending_frames(w, err, ort);
    }
    local_bh_enable(w);
  } finally {
    leave(w);
  }
}

function icmp_route_lookup(w: World, skbIn: SkBuff, daddr: number, saddr: number) {
  enter(w, F_icmp_route_lookup, skbIn, skbIn.dev);
  try {
    const net = skbIn.dst!.dev.net;
    const fl = { oif: 0, iif: 1, proto: IPPROTO_ICMP, saddr, daddr, scope: RT_SCOPE_UNIVERSE };
    const r = ip_route_output_key(w, net, fl);
    if ('err' in r) return null;
    const routeLookupDev = skbIn.dev ?? skbIn.dst!.dev;
    // After xfrm_lookup (a no-op without IPsec policies) the kernel keeps the
    // route if the destination is local; otherwise it decodes the quoted
    // packet in reverse and classifies its destination before giving up on a
    // relookup and keeping the first route anyway.
    if (inet_addr_type_dev_table(w, net, routeLookupDev, daddr) !== RTN_LOCAL) {
      const ih = skbIn.networkHeader;
      const origSrc = get32(skbIn.head, ih + 12);
      const origDst = get32(skbIn.head, ih + 16);
      const origProto = skbIn.head[ih + 9];
      if (inet_addr_type_dev_table(w, net, routeLookupDev, origDst) === RTN_LOCAL) {
        ip_route_output_key(w, net, {
          oif: skbIn.skbIif,
          iif: 1,
          proto: origProto,
          saddr: origDst,
          daddr: origSrc,
          scope: RT_SCOPE_UNIVERSE,
        });
      } else {
        // Route the quoted packet again, then route the reply as if it came
        // in on that route's device (ip_route_input on skb_in, whose own
        // route is put back after). (The kernel records show the first
        // lookup with the quoted packet's own source, which need not be
        // local, so it is a bare FIB lookup.)
        const r2 = fib_lookup(w, net, {
          oif: 0,
          iif: 1,
          proto: origProto,
          saddr: origSrc,
          daddr: origDst,
          scope: RT_SCOPE_UNIVERSE,
        });
        if (r2.err === 0 && r2.alias) {
          const orefdst = skbIn.dst;
          skbIn.dst = null;
          ip_route_input_noref(w, skbIn, origSrc, origDst, r2.alias.dev!);
          skbIn.dst = orefdst;
        }
      }
      // xfrm_lookup(XFRM_LOOKUP_ICMP) without policies fails: the first route stays.
    }
    return { rt: r.rt, saddr: fl.saddr };
  } finally {
    leave(w);
  }
}

function icmp_unreach(w: World, skb: SkBuff): void {
  enter(w, F_icmp_unreach, skb, skb.dev);
  try {
    const o = skb.data;
    if (skbLen(skb) < 8 + 20) return;
    const inner = o + 8;
    if ((skb.head[inner] & 0xf) < 5) return;
    // A "fragmentation needed" carries the next hop's MTU (ip_no_pmtu_disc 0).
    const info = skb.head[o] === ICMP_DEST_UNREACH && skb.head[o + 1] === ICMP_FRAG_NEEDED ? get16(skb.head, o + 6) : 0;
    icmp_socket_deliver(w, skb, inner, info);
  } finally {
    leave(w);
  }
}

/**
 * icmp_redirect: the redirect goes to the sockets of the packet it quotes,
 * with the new gateway as its info. Returns the drop reason of one too short
 * to quote an IP header, else null.
 */
function icmp_redirect(w: World, skb: SkBuff): string | null {
  enter(w, F_icmp_redirect, skb, skb.dev);
  try {
    const o = skb.data;
    if (skbLen(skb) < 8 + 20) return 'PKT_TOO_SMALL';
    const inner = o + 8;
    // icmp_socket_deliver needs the quoted header and 8 bytes of what followed.
    if (skbLen(skb) < 8 + (skb.head[inner] & 0xf) * 4 + 8) return null;
    icmp_socket_deliver(w, skb, inner, get32(skb.head, o + 4));
    return null;
  } finally {
    leave(w);
  }
}

/** icmp_socket_deliver: raw sockets of the quoted protocol, then the protocol's own error handler (udp_err, tcp_v4_err). */
function icmp_socket_deliver(w: World, skb: SkBuff, inner: number, info: number): void {
  enter(w, F_icmp_socket_deliver, skb, skb.dev);
  try {
    const protocol = skb.head[inner + 9];
    raw_icmp_error(w, skb, protocol, inner, info);
    inet_protocol(protocol)?.err_handler?.(w, skb, inner, info);
  } finally {
    leave(w);
  }
}
