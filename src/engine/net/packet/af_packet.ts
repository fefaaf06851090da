// Packet sockets (net/packet/af_packet.c): how tcpdump sees frames.
import type { World } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { PACKET_LOOPBACK, PACKET_OUTGOING } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { keepCapturedPacket } from '../../run/output.ts';

const F_packet_rcv = kfn(
  'packet_rcv',
  'net/packet/af_packet.c',
  'A packet socket (tcpdump) receives a copy of the frame, link-layer header included. The original packet goes on untouched.',
);

export function packet_rcv(w: World, skb: SkBuff, dev: NetDevice, capture: number, pktType: number): void {
  enter(w, F_packet_rcv, skb, dev);
  try {
    // packet_rcv drops looped-back copies (dev_loopback_xmit) outright.
    if (pktType === PACKET_LOOPBACK) return;
    if (w.out.muted) return;
    // libpcap skips outgoing frames on the loopback device: it sees each one
    // again as an incoming frame.
    if (pktType === PACKET_OUTGOING && dev.kind === 'loopback') return;
    const cap = w.out.captures[capture];
    const start = skb.macHeader >= 0 ? skb.macHeader : skb.data;
    keepCapturedPacket(w, cap, {
      step: w.rec.count,
      time: w.now,
      bytes: skb.head.slice(start, skb.tail),
      skb: skb.id,
      outgoing: pktType === PACKET_OUTGOING,
    });
  } finally {
    leave(w);
  }
}
