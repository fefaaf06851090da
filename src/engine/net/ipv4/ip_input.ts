// IPv4 receive (net/ipv4/ip_input.c, ip_forward.c): sanity checks, the input
// route, then local delivery or forwarding.
import type { World } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { ETH_P_IP, PACKET_HOST, PACKET_OTHERHOST, skb_is_gso, skbLen } from '../../include/skbuff.ts';
import { skb_gso_validate_network_len } from '../core/gso.ts';
import { dev_add_pack } from '../core/ptype.ts';
import { inet_protocol } from './protocol.ts';
import { EHOSTUNREACH, ENETUNREACH, EACCES } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { get16, get32, ipChecksum, kfree_skb_reason, put16 } from '../core/skbuff.ts';
import { ip_route_input_noref, ip_rt_send_redirect, IPSKB_DOREDIRECT } from './route.ts';
import { ip_dont_fragment, ip_output, ip_send_check, IPSKB_FORWARDED } from './ip_output.ts';
import {
  __icmp_send,
  ICMP_DEST_UNREACH,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED,
  ICMP_TIME_EXCEEDED,
  ICMP_EXC_TTL,
  ICMP_PROT_UNREACH,
  ICMP_FRAG_NEEDED,
} from './icmp.ts';
import { raw_local_deliver } from './raw.ts';
import { ip_defrag, ipIsFragment } from './ip_fragment.ts';

const F_ip_rcv = kfn(
  'ip_rcv',
  'net/ipv4/ip_input.c',
  'The IPv4 protocol handler: drops frames for other hosts, validates the header (version, length, checksum) and runs the PRE_ROUTING hook.',
);
const F_ip_rcv_finish = kfn(
  'ip_rcv_finish',
  'net/ipv4/ip_input.c',
  'Gives the packet an input route unless it already carries one (packets looped through lo keep their output route), then follows it.',
);
const F_ip_local_deliver = kfn(
  'ip_local_deliver',
  'net/ipv4/ip_input.c',
  'The packet is for this host: reassemble fragments, run the LOCAL_IN hook.',
);
const F_ip_local_deliver_finish = kfn(
  'ip_local_deliver_finish',
  'net/ipv4/ip_input.c',
  "Strips the IP header and delivers to raw sockets of the protocol (ping's) and then to the protocol handler itself (icmp_rcv).",
);
const F_ip_forward = kfn(
  'ip_forward',
  'net/ipv4/ip_forward.c',
  "Forwarding: checks and decrements the TTL (answering ICMP time exceeded at zero), sends an ICMP redirect when the packet leaves by the link it came in on, and sends the packet out of the route's device.",
);
const F_ip_error = kfn(
  'ip_error',
  'net/ipv4/route.c',
  'The input route said "unreachable": without forwarding the packet is simply dropped; a router answers with ICMP destination unreachable.',
);

// inet_init: IPv4 receives every ETH_P_IP frame.
dev_add_pack({ type: ETH_P_IP, name: 'ip_packet_type', funcName: 'ip_rcv', func: (w, skb, dev) => ip_rcv(w, skb, dev) });

export function ip_rcv(w: World, skb: SkBuff, dev: NetDevice): void {
  enter(w, F_ip_rcv, skb, dev);
  try {
    if (skb.pktType === PACKET_OTHERHOST) {
      kfree_skb_reason(w, skb, 'OTHERHOST', 'ip_rcv_core');
      return;
    }
    const h = skb.head;
    const o = skb.data;
    skb.networkHeader = o;
    const ihl = (h[o] & 0xf) * 4;
    if (skbLen(skb) < 20 || h[o] >> 4 !== 4 || ihl < 20 || skbLen(skb) < ihl) {
      kfree_skb_reason(w, skb, 'IP_INHDR', 'ip_rcv_core');
      return;
    }
    if (ipChecksum(h, o, ihl) !== 0) {
      kfree_skb_reason(w, skb, 'IP_CSUM', 'ip_rcv_core');
      return;
    }
    const totLen = get16(h, o + 2);
    if (skbLen(skb) < totLen || totLen < ihl) {
      kfree_skb_reason(w, skb, 'PKT_TOO_SMALL', 'ip_rcv_core');
      return;
    }
    skb.tail = o + totLen; // pskb_trim_rcsum: drop Ethernet padding
    skb.transportHeader = o + ihl;
    // The IP control block (IPCB) starts empty in every namespace the packet enters.
    skb.ipcbFlags = 0;
    ip_rcv_finish(w, skb, dev);
  } finally {
    leave(w);
  }
}

function ip_rcv_finish(w: World, skb: SkBuff, dev: NetDevice): void {
  enter(w, F_ip_rcv_finish, skb, dev);
  try {
    const o = skb.networkHeader;
    // ip_rcv_finish_core: early demux (net.ipv4.ip_early_demux) for an unfragmented packet.
    if (!skb.dst && !ipIsFragment(skb)) {
      const ipprot = inet_protocol(skb.head[o + 9]);
      if (ipprot?.early_demux) ipprot.early_demux(w, skb);
    }
    if (!skb.dst) {
      const reason = ip_route_input_noref(w, skb, get32(skb.head, o + 16), get32(skb.head, o + 12), dev);
      if (reason) {
        kfree_skb_reason(w, skb, reason, 'ip_rcv_finish_core');
        return;
      }
    }
    const rt = skb.dst!;
    if (rt.input === 'local') ip_local_deliver(w, skb);
    else if (rt.input === 'forward') ip_forward(w, skb);
    else ip_error(w, skb);
  } finally {
    leave(w);
  }
}

function ip_error(w: World, skb: SkBuff): void {
  enter(w, F_ip_error, skb, skb.dev);
  try {
    const rt = skb.dst!;
    const dev = skb.dev!;
    let reason = 'NOT_SPECIFIED';
    if (!dev.inDev.conf.forwarding) {
      if (rt.errorCode === EHOSTUNREACH) reason = 'IP_INADDRERRORS';
      else if (rt.errorCode === ENETUNREACH) reason = 'IP_INNOROUTES';
    } else {
      let code = -1;
      if (rt.errorCode === EHOSTUNREACH) code = ICMP_HOST_UNREACH;
      else if (rt.errorCode === ENETUNREACH) {
        code = ICMP_NET_UNREACH;
        reason = 'IP_INNOROUTES';
      } else if (rt.errorCode === EACCES) code = ICMP_PKT_FILTERED;
      if (code >= 0) __icmp_send(w, skb, ICMP_DEST_UNREACH, code, 0);
    }
    kfree_skb_reason(w, skb, reason, 'ip_error');
  } finally {
    leave(w);
  }
}

function ip_local_deliver(w: World, skb: SkBuff): void {
  enter(w, F_ip_local_deliver, skb, skb.dev);
  try {
    if (ipIsFragment(skb)) {
      const whole = ip_defrag(w, skb);
      if (!whole) return;
      skb = whole;
    }
    ip_local_deliver_finish(w, skb);
  } finally {
    leave(w);
  }
}

function ip_local_deliver_finish(w: World, skb: SkBuff): void {
  enter(w, F_ip_local_deliver_finish, skb, skb.dev);
  try {
    const o = skb.networkHeader;
    const protocol = skb.head[o + 9];
    skb.data = skb.transportHeader;
    const raw = raw_local_deliver(w, skb, protocol);
    // ip_protocol_deliver_rcu: the transport protocol registered for it.
    const ipprot = inet_protocol(protocol);
    if (ipprot) {
      ipprot.handler(w, skb);
      return;
    }
    if (!raw) {
      __icmp_send(w, skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
      kfree_skb_reason(w, skb, 'IP_NOPROTO', 'ip_protocol_deliver_rcu');
    } else {
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'ip_protocol_deliver_rcu');
    }
  } finally {
    leave(w);
  }
}

function ip_forward(w: World, skb: SkBuff): void {
  enter(w, F_ip_forward, skb, skb.dev);
  try {
    if (skb.pktType !== PACKET_HOST) {
      kfree_skb_reason(w, skb, 'OTHERHOST', 'ip_forward');
      return;
    }
    const o = skb.networkHeader;
    const h = skb.head;
    if (h[o + 8] <= 1) {
      __icmp_send(w, skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
      kfree_skb_reason(w, skb, 'IP_INHDR', 'ip_forward');
      return;
    }
    // ip_exceeds_mtu: too big for the way out with DF set (a GSO skb when
    // its segments are). The sender is told the MTU (it will learn the path
    // MTU) and the packet is dropped.
    const mtu = skb.dst!.dev.mtu;
    const segmentsFit = skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu);
    if (skbLen(skb) > mtu && ip_dont_fragment(skb) && !segmentsFit) {
      __icmp_send(w, skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
      kfree_skb_reason(w, skb, 'PKT_TOO_BIG', 'ip_forward');
      return;
    }
    // ip_decrease_ttl: TTL down by one, checksum patched incrementally.
    h[o + 8]--;
    put16(h, o + 10, 0);
    ip_send_check(skb);
    // Leaving by the link it came in on: tell the sender of the better next
    // hop (the redirect quotes the header with its TTL already lowered).
    if (skb.ipcbFlags & IPSKB_DOREDIRECT) ip_rt_send_redirect(w, skb);
    skb.data = o;
    skb.ipcbFlags |= IPSKB_FORWARDED;
    ip_output(w, skb);
  } finally {
    leave(w);
  }
}
